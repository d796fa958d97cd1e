//! Where a person lands after signing in: the start page of their strongest role.
//!
//! An agent lands on their own work, not on the (often empty) list of cases they ordered; a
//! controller on follow-up; a manager on their overview. A login's own `next` target is the web
//! layer's concern and wins over this.

use crate::access::Principal;

/// The page a role starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartPage {
    /// Administration: users, organisation, queues.
    Administration,
    /// The controller's follow-up of finance and figures.
    FollowUp,
    /// A unit manager's overview of the units they manage.
    UnitOverview,
    /// "Mitt arbete": an agent's assigned cases and their queues' unassigned ones.
    MyWork,
    /// "Mina ärenden": the cases the person ordered and, for a customer manager, their
    /// department's cases with who ordered each.
    MyCases,
}

impl StartPage {
    /// The start page of `p`'s strongest role: administrator, controller, unit manager,
    /// agent, then whoever orders (customer managers and customers).
    pub fn of(p: &Principal) -> StartPage {
        if p.admin {
            StartPage::Administration
        } else if p.controller {
            StartPage::FollowUp
        } else if !p.manages.is_empty() {
            StartPage::UnitOverview
        } else if !p.works.is_empty() {
            StartPage::MyWork
        } else {
            StartPage::MyCases
        }
    }

    /// The path of the page on this site.
    pub fn path(self) -> &'static str {
        match self {
            StartPage::Administration => "/admin",
            StartPage::FollowUp => "/followup",
            StartPage::UnitOverview => "/overview",
            StartPage::MyWork => "/work",
            StartPage::MyCases => "/cases",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::{Grant, RoleKind, TargetGroup};
    use crate::{UnitId, UserId};

    fn principal(grants: &[(RoleKind, Option<i64>)]) -> Principal {
        let grants: Vec<Grant> = grants
            .iter()
            .map(|&(role, unit)| Grant {
                role,
                unit: unit.map(UnitId),
                target_group: (role == RoleKind::Customer).then_some(TargetGroup::Employee),
            })
            .collect();
        Principal::from_grants(UserId(7), Some(UnitId(1)), &grants, |u| vec![u])
    }

    #[test]
    fn each_role_starts_on_its_own_page() {
        use RoleKind::*;
        let cases = [
            (vec![(Admin, None)], StartPage::Administration, "/admin"),
            (vec![(Controller, None)], StartPage::FollowUp, "/followup"),
            (
                vec![(UnitManager, Some(2))],
                StartPage::UnitOverview,
                "/overview",
            ),
            (vec![(Agent, Some(2))], StartPage::MyWork, "/work"),
            (
                vec![(CustomerManager, Some(3))],
                StartPage::MyCases,
                "/cases",
            ),
            (vec![(Customer, Some(3))], StartPage::MyCases, "/cases"),
            (vec![], StartPage::MyCases, "/cases"),
        ];
        for (grants, want, path) in cases {
            let got = StartPage::of(&principal(&grants));
            assert_eq!(got, want, "{grants:?}");
            assert_eq!(got.path(), path);
        }
    }

    #[test]
    fn the_strongest_role_wins() {
        use RoleKind::*;
        // An agent who also orders for a department works first.
        let p = principal(&[(Customer, Some(3)), (Agent, Some(2))]);
        assert_eq!(StartPage::of(&p), StartPage::MyWork);
        // A unit manager who is also an agent elsewhere manages first.
        let p = principal(&[(Agent, Some(4)), (UnitManager, Some(2))]);
        assert_eq!(StartPage::of(&p), StartPage::UnitOverview);
        // A controller who also manages a unit follows up first.
        let p = principal(&[(UnitManager, Some(2)), (Controller, None)]);
        assert_eq!(StartPage::of(&p), StartPage::FollowUp);
        // An administrator is an administrator whatever else they hold.
        let p = principal(&[(Agent, Some(2)), (Controller, None), (Admin, None)]);
        assert_eq!(StartPage::of(&p), StartPage::Administration);
        // A customer manager who is also an agent works first.
        let p = principal(&[(CustomerManager, Some(3)), (Agent, Some(2))]);
        assert_eq!(StartPage::of(&p), StartPage::MyWork);
    }
}
