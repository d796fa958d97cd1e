//! Who may see and work what. Every decision about cases, queues and reports is made here,
//! so the rules can be read in one place and tested without a server.

use std::collections::HashSet;

use crate::role::{Grant, RoleKind, TargetGroup};
use crate::{UnitId, UserId};

/// A signed-in person with their grants, each unit scope already expanded to its subtree.
#[derive(Debug, Clone, Default)]
pub struct Principal {
    pub user: Option<UserId>,
    pub home_unit: Option<UnitId>,
    pub admin: bool,
    pub controller: bool,
    /// Provider units whose queues the person works (agent or unit manager).
    pub works: HashSet<UnitId>,
    /// Provider units the person manages (catalogue, reports).
    pub manages: HashSet<UnitId>,
    /// Customer units on whose behalf the person may order.
    pub orders_for: Vec<(UnitId, Option<TargetGroup>)>,
    /// Customer units whose cases the person oversees (customer manager).
    pub oversees: HashSet<UnitId>,
}

/// What the access rules need to know about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseScope {
    pub provider_unit: UnitId,
    pub customer_unit: Option<UnitId>,
    pub requester: Option<UserId>,
}

/// What a person may do on one case's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseRights {
    /// Status, assignment, internal notes: the provider's side.
    pub can_work: bool,
    /// A reply the customer sees.
    pub can_reply: bool,
    /// The satisfaction survey: the requester, once, after resolution.
    pub can_rate: bool,
    /// "Öppna igen" with a reason: the customer's side, on a resolved case.
    pub can_reopen: bool,
}

/// Which cases a person may list: everything, or the union of what their grants open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    All,
    Restricted {
        /// Provider units whose queues the person works.
        units: Vec<UnitId>,
        /// Customer units whose cases the person oversees.
        customer_units: Vec<UnitId>,
        /// The person's own orders.
        requester: Option<UserId>,
    },
}

impl Principal {
    /// The system itself acting for provider `unit`: intake that no signed-in person makes (a
    /// mail to the unit's mailbox, a chat, a citizen's form). It works that unit's queue and
    /// nothing else.
    pub fn system_of(unit: UnitId) -> Principal {
        Principal {
            user: None,
            home_unit: None,
            admin: false,
            controller: false,
            works: HashSet::from([unit]),
            manages: HashSet::new(),
            orders_for: Vec::new(),
            oversees: HashSet::new(),
        }
    }

    /// The cases this person may list anywhere (queues, search, the API).
    pub fn visibility(&self) -> Visibility {
        if self.admin {
            return Visibility::All;
        }
        let mut units: Vec<UnitId> = self.works.iter().copied().collect();
        units.sort_unstable();
        Visibility::Restricted {
            units,
            customer_units: self.own_visibility_customers(),
            requester: self.user,
        }
    }

    /// The cases listed as "my cases": what the person ordered and, for a customer manager,
    /// their department's cases — never the queues they work.
    pub fn own_cases(&self) -> Visibility {
        Visibility::Restricted {
            units: vec![],
            customer_units: self.own_visibility_customers(),
            requester: self.user,
        }
    }

    fn own_visibility_customers(&self) -> Vec<UnitId> {
        let mut v: Vec<UnitId> = self.oversees.iter().copied().collect();
        v.sort_unstable();
        v
    }

    /// Builds the principal from grants; `expand` gives the subtree of a unit.
    pub fn from_grants(
        user: UserId,
        home_unit: Option<UnitId>,
        grants: &[Grant],
        mut expand: impl FnMut(UnitId) -> Vec<UnitId>,
    ) -> Self {
        let mut p = Principal {
            user: Some(user),
            home_unit,
            ..Default::default()
        };
        for g in grants {
            match (g.role, g.unit) {
                (RoleKind::Admin, _) => p.admin = true,
                (RoleKind::Controller, _) => p.controller = true,
                (RoleKind::UnitManager, Some(u)) => {
                    let units = expand(u);
                    p.manages.extend(units.iter().copied());
                    p.works.extend(units);
                }
                (RoleKind::Agent, Some(u)) => p.works.extend(expand(u)),
                (RoleKind::Customer, Some(u)) => p.orders_for.push((u, g.target_group)),
                (RoleKind::CustomerManager, Some(u)) => {
                    p.orders_for.push((u, Some(TargetGroup::Manager)));
                    p.oversees.extend(expand(u));
                }
                (_, None) => {}
            }
        }
        p
    }

    pub fn can_view_case(&self, c: &CaseScope) -> bool {
        self.admin
            || (self.user.is_some() && c.requester == self.user)
            || self.works.contains(&c.provider_unit)
            || c.customer_unit.is_some_and(|u| self.oversees.contains(&u))
    }

    /// Working a case: status, assignment, internal notes. Only the provider side.
    pub fn can_work_case(&self, c: &CaseScope) -> bool {
        self.admin || self.works.contains(&c.provider_unit)
    }

    /// Writing a reply the customer sees: the provider side, the requester and their manager.
    pub fn can_reply_case(&self, c: &CaseScope) -> bool {
        self.can_view_case(c)
    }

    /// Reopening a resolved case with a reason: the customer's side — the requester and the
    /// customer unit's managers. The provider's side changes the status instead.
    pub fn can_reopen_case(&self, c: &CaseScope) -> bool {
        (self.user.is_some() && c.requester == self.user)
            || c.customer_unit.is_some_and(|u| self.oversees.contains(&u))
    }

    /// A unit's reply templates: its managers and administrators write them.
    pub fn can_manage_reply_templates(&self, unit: UnitId) -> bool {
        self.admin || self.manages.contains(&unit)
    }

    pub fn can_see_queue(&self, unit: UnitId) -> bool {
        self.admin || self.works.contains(&unit)
    }

    /// On the provider side of `unit`: may register cases there for someone else (a caller, a
    /// visitor, a customer unit), resolve them at first contact, and order as staff.
    pub fn is_provider_of(&self, unit: UnitId) -> bool {
        self.admin || self.works.contains(&unit)
    }

    pub fn can_manage_catalogue(&self, unit: UnitId) -> bool {
        self.admin || self.manages.contains(&unit)
    }

    /// The customer unit and target group a new order is made for, if the person may order.
    /// Customer grants come first; provider staff order for their home unit (internal service).
    pub fn ordering_as(&self) -> Option<(UnitId, Option<TargetGroup>)> {
        self.orders_for.first().copied().or_else(|| {
            (!self.works.is_empty() || self.admin)
                .then_some(self.home_unit?)
                .map(|u| (u, None))
        })
    }

    pub fn is_agent(&self) -> bool {
        self.admin || !self.works.is_empty()
    }

    /// The operator at the command line or a system job: every right, no person.
    pub fn system() -> Principal {
        Principal {
            admin: true,
            ..Default::default()
        }
    }

    /// Answering the satisfaction survey: the requester, once the case is resolved or closed.
    pub fn can_rate_case(&self, c: &CaseScope, active: bool, answered: bool) -> bool {
        self.user.is_some() && c.requester == self.user && !active && !answered
    }

    /// Seeing the answer to a case's survey: the requester (their own) and the provider
    /// unit's managers; never the agents who worked the case (docs/surveys.md).
    pub fn can_see_survey_answer(&self, c: &CaseScope) -> bool {
        self.admin
            || (self.user.is_some() && c.requester == self.user)
            || self.manages.contains(&c.provider_unit)
    }

    /// A unit's survey figures: its agents and managers, controllers and administrators.
    pub fn can_see_survey_figures(&self, unit: UnitId) -> bool {
        self.admin || self.controller || self.works.contains(&unit)
    }

    /// Every survey figure and comment of a unit, with case and agent: its managers,
    /// controllers and administrators. Agents see small groups withheld.
    pub fn sees_all_survey_figures(&self, unit: UnitId) -> bool {
        self.admin || self.controller || self.manages.contains(&unit)
    }

    /// A unit's survey settings (scale, sampling, reminder, smallest group): its managers
    /// and administrators.
    pub fn can_set_survey_settings(&self, unit: UnitId) -> bool {
        self.admin || self.manages.contains(&unit)
    }

    /// A provider unit's overview (open cases per agent, service level, satisfaction) and
    /// moving its cases between agents in bulk: its managers and administrators.
    pub fn can_see_unit_overview(&self, unit: UnitId) -> bool {
        self.admin || self.manages.contains(&unit)
    }

    /// A provider unit's dashboard (its cases, service level, satisfaction and backlog per
    /// week, as charts): its managers, controllers and administrators.
    pub fn can_see_unit_dashboard(&self, unit: UnitId) -> bool {
        self.admin || self.controller || self.manages.contains(&unit)
    }

    /// A customer department's overview (its cases and their service level): its customer
    /// managers and administrators.
    pub fn can_see_customer_overview(&self, unit: UnitId) -> bool {
        self.admin || self.oversees.contains(&unit)
    }

    /// What this person may do on a case they can see.
    pub fn rights_on(&self, c: &CaseScope, active: bool, answered: bool) -> CaseRights {
        CaseRights {
            can_work: self.can_work_case(c),
            can_reply: self.can_reply_case(c),
            can_rate: self.can_rate_case(c, active, answered),
            can_reopen: false,
        }
    }

    /// Ordering from a provider unit's catalogue: anyone who orders, and the provider's staff.
    pub fn can_order_from(&self, unit: UnitId) -> bool {
        self.ordering_as().is_some() || self.is_provider_of(unit)
    }

    /// Registering a contact (phone, visit, e-mail) for someone else: the provider's agents.
    pub fn registers_contacts(&self) -> bool {
        self.is_agent()
    }

    /// Imports: finance and follow-up data by administrators and controllers, the organisation
    /// (`units`) by administrators only.
    pub fn may_import(&self, kind: &str) -> bool {
        self.admin || (self.controller && kind != "units")
    }

    /// Whether the person may import anything at all (the import page).
    pub fn may_import_any(&self) -> bool {
        self.admin || self.controller
    }

    /// Billing runs, their exports and price lists: controllers and administrators.
    pub fn can_bill(&self) -> bool {
        self.admin || self.controller
    }

    /// A unit's result from the billing (its charges against its ledger costs): controllers,
    /// administrators and the unit's managers.
    pub fn can_see_unit_result(&self, unit: UnitId) -> bool {
        self.admin || self.controller || self.manages.contains(&unit)
    }

    /// Whether any unit's result is open to the person (the summary page).
    pub fn sees_unit_results(&self) -> bool {
        self.admin || self.controller || !self.manages.is_empty()
    }

    /// Organisation, users, roles, queues' settings and the audit log: administrators.
    pub fn administers(&self) -> bool {
        self.admin
    }

    /// Reading an administration's reports and follow-up: administrators, controllers and
    /// the administration's managers.
    pub fn can_read_reports(&self, org: UnitId) -> bool {
        self.admin || self.controller || self.manages.contains(&org)
    }

    /// Approving an administration's report or its texts: administrators and its head.
    pub fn can_approve_reports(&self, org: UnitId) -> bool {
        self.admin || self.manages.contains(&org)
    }

    /// Writing an administration's follow-up (goal assessments, texts, indicator values,
    /// events, assignments, control results): whoever may read its reports.
    pub fn can_write_followup(&self, org: UnitId) -> bool {
        self.can_read_reports(org)
    }

    /// Making a unit's full-year forecast: its manager, controllers and administrators.
    pub fn can_forecast(&self, unit: UnitId) -> bool {
        self.admin || self.controller || self.manages.contains(&unit)
    }

    /// Seeing a unit's forecast on an administration's follow-up page: whoever reads the
    /// administration's reports sees every unit's; a unit's manager sees the units they
    /// manage (their own subtree), not their sibling units'.
    pub fn can_see_forecast(&self, org: UnitId, unit: UnitId) -> bool {
        self.can_read_reports(org) || self.can_forecast(unit)
    }

    /// Seeing the rest of an administration's follow-up — goals and their analyses, texts,
    /// assignments, control results, indicators, events: whoever reads its reports.
    pub fn can_see_whole_followup(&self, org: UnitId) -> bool {
        self.can_read_reports(org)
    }

    /// Seeing internal notes on a case, and that one was written, by whom and when: the
    /// provider's side. Pages and the API both ask this.
    pub fn can_see_internal_notes(&self, c: &CaseScope) -> bool {
        self.can_work_case(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(provider: i64, customer: Option<i64>, requester: Option<i64>) -> CaseScope {
        CaseScope {
            provider_unit: UnitId(provider),
            customer_unit: customer.map(UnitId),
            requester: requester.map(UserId),
        }
    }

    fn p(grants: &[Grant]) -> Principal {
        // units 10 ⊃ {11, 12}; 20 ⊃ {21}
        Principal::from_grants(UserId(1), Some(UnitId(21)), grants, |u| match u.0 {
            10 => vec![UnitId(10), UnitId(11), UnitId(12)],
            20 => vec![UnitId(20), UnitId(21)],
            x => vec![UnitId(x)],
        })
    }

    fn g(role: RoleKind, unit: Option<i64>) -> Grant {
        Grant {
            role,
            unit: unit.map(UnitId),
            target_group: None,
        }
    }

    #[test]
    fn requester_sees_only_own_cases() {
        let me = p(&[g(RoleKind::Customer, Some(21))]);
        assert!(me.can_view_case(&scope(11, Some(21), Some(1))));
        assert!(!me.can_view_case(&scope(11, Some(21), Some(2))));
        assert!(!me.can_work_case(&scope(11, Some(21), Some(1))));
        assert_eq!(me.ordering_as(), Some((UnitId(21), None)));
    }

    #[test]
    fn customer_manager_sees_department_subtree() {
        let me = p(&[g(RoleKind::CustomerManager, Some(20))]);
        assert!(me.can_view_case(&scope(11, Some(21), Some(7))));
        assert!(!me.can_view_case(&scope(11, Some(30), Some(7))));
        assert!(!me.can_work_case(&scope(11, Some(21), Some(7))));
    }

    #[test]
    fn agent_works_own_units_only() {
        let me = p(&[g(RoleKind::Agent, Some(11))]);
        assert!(me.can_work_case(&scope(11, None, None)));
        assert!(!me.can_view_case(&scope(12, None, None)));
        assert!(me.can_see_queue(UnitId(11)));
        assert!(!me.can_see_queue(UnitId(12)));
        assert!(!me.can_manage_catalogue(UnitId(11)));
        // provider staff order internal services for their home unit
        assert_eq!(me.ordering_as(), Some((UnitId(21), None)));
    }

    #[test]
    fn manager_of_administration_covers_its_units() {
        let me = p(&[g(RoleKind::UnitManager, Some(10))]);
        assert!(me.can_work_case(&scope(12, None, None)));
        assert!(me.can_manage_catalogue(UnitId(11)));
    }

    #[test]
    fn the_requester_rates_once_after_resolution() {
        let me = p(&[g(RoleKind::Customer, Some(21))]);
        let mine = scope(11, Some(21), Some(1));
        assert!(me.can_rate_case(&mine, false, false));
        assert!(!me.can_rate_case(&mine, true, false), "still open");
        assert!(!me.can_rate_case(&mine, false, true), "answered already");
        assert!(!me.can_rate_case(&scope(11, Some(21), Some(2)), false, false));
        assert!(!Principal::system().can_rate_case(&scope(11, None, None), false, false));
        let r = me.rights_on(&mine, false, false);
        assert!(r.can_reply && r.can_rate && !r.can_work);
    }

    #[test]
    fn survey_answers_and_figures() {
        let agent = p(&[g(RoleKind::Agent, Some(11))]);
        let manager = p(&[g(RoleKind::UnitManager, Some(10))]);
        let requester = p(&[g(RoleKind::Customer, Some(21))]);
        // Everyone here is user 1: the case is someone else's, then theirs.
        let case = scope(11, Some(21), Some(2));
        assert!(
            !agent.can_see_survey_answer(&case),
            "not the agents who worked it"
        );
        assert!(manager.can_see_survey_answer(&case));
        assert!(!requester.can_see_survey_answer(&case));
        assert!(requester.can_see_survey_answer(&scope(11, Some(21), Some(1))));
        assert!(agent.can_see_survey_figures(UnitId(11)));
        assert!(!agent.sees_all_survey_figures(UnitId(11)));
        assert!(!agent.can_set_survey_settings(UnitId(11)));
        assert!(!agent.can_see_survey_figures(UnitId(12)));
        assert!(manager.sees_all_survey_figures(UnitId(11)));
        assert!(manager.can_set_survey_settings(UnitId(12)));
        assert!(!requester.can_see_survey_figures(UnitId(11)));
        let controller = p(&[g(RoleKind::Controller, None)]);
        assert!(controller.sees_all_survey_figures(UnitId(11)));
        assert!(!controller.can_set_survey_settings(UnitId(11)));
    }

    #[test]
    fn visibility_follows_the_grants() {
        let agent = p(&[g(RoleKind::Agent, Some(10))]);
        assert_eq!(
            agent.visibility(),
            Visibility::Restricted {
                units: vec![UnitId(10), UnitId(11), UnitId(12)],
                customer_units: vec![],
                requester: Some(UserId(1)),
            }
        );
        assert_eq!(
            agent.own_cases(),
            Visibility::Restricted {
                units: vec![],
                customer_units: vec![],
                requester: Some(UserId(1)),
            }
        );
        let boss = p(&[g(RoleKind::CustomerManager, Some(20))]);
        assert!(matches!(
            boss.own_cases(),
            Visibility::Restricted { customer_units, .. } if customer_units == vec![UnitId(20), UnitId(21)]
        ));
        assert_eq!(Principal::system().visibility(), Visibility::All);
    }

    #[test]
    fn imports_and_ordering() {
        let controller = p(&[g(RoleKind::Controller, None)]);
        assert!(controller.may_import("budget"));
        assert!(!controller.may_import("units"));
        assert!(Principal::system().may_import("units"));
        let agent = p(&[g(RoleKind::Agent, Some(11))]);
        assert!(agent.can_order_from(UnitId(11)));
        assert!(agent.is_provider_of(UnitId(11)) && !agent.is_provider_of(UnitId(12)));
        let nobody = p(&[]);
        assert!(!nobody.can_order_from(UnitId(11)));
    }

    #[test]
    fn controller_sees_no_cases() {
        let me = p(&[g(RoleKind::Controller, None)]);
        assert!(!me.can_view_case(&scope(11, Some(21), None)));
        assert_eq!(me.ordering_as(), None);
    }

    #[test]
    fn reports_are_read_by_controllers_and_managers_and_approved_by_the_head() {
        // The head of administration 10 manages its subtree; unit 11's manager only that unit.
        let head = p(&[g(RoleKind::UnitManager, Some(10))]);
        let unit_manager = p(&[g(RoleKind::UnitManager, Some(11))]);
        let controller = p(&[g(RoleKind::Controller, None)]);
        let admin = p(&[g(RoleKind::Admin, None)]);
        let agent = p(&[g(RoleKind::Agent, Some(10))]);
        let org = UnitId(10);
        for (who, me, read, approve) in [
            ("head", &head, true, true),
            ("unit manager", &unit_manager, false, false),
            ("controller", &controller, true, false),
            ("admin", &admin, true, true),
            ("agent", &agent, false, false),
        ] {
            assert_eq!(me.can_read_reports(org), read, "{who} reads");
            assert_eq!(
                me.can_write_followup(org),
                read,
                "{who} writes the follow-up"
            );
            assert_eq!(me.can_approve_reports(org), approve, "{who} approves");
        }
    }

    #[test]
    fn a_forecast_is_made_by_the_units_manager_a_controller_or_an_admin() {
        let unit_manager = p(&[g(RoleKind::UnitManager, Some(11))]);
        assert!(unit_manager.can_forecast(UnitId(11)));
        assert!(!unit_manager.can_forecast(UnitId(12)));
        assert!(p(&[g(RoleKind::Controller, None)]).can_forecast(UnitId(12)));
        assert!(p(&[g(RoleKind::Admin, None)]).can_forecast(UnitId(12)));
        assert!(!p(&[g(RoleKind::Agent, Some(11))]).can_forecast(UnitId(11)));
    }

    #[test]
    fn a_unit_manager_sees_their_own_units_follow_up_only() {
        let org = UnitId(10);
        let unit_manager = p(&[g(RoleKind::UnitManager, Some(11))]);
        assert!(unit_manager.can_see_forecast(org, UnitId(11)));
        assert!(!unit_manager.can_see_forecast(org, UnitId(12)), "a sibling");
        assert!(!unit_manager.can_see_whole_followup(org));
        for whole in [
            p(&[g(RoleKind::UnitManager, Some(10))]),
            p(&[g(RoleKind::Controller, None)]),
            p(&[g(RoleKind::Admin, None)]),
        ] {
            assert!(whole.can_see_whole_followup(org));
            assert!(whole.can_see_forecast(org, UnitId(12)));
        }
    }

    #[test]
    fn overviews_are_for_managers() {
        let head = p(&[g(RoleKind::UnitManager, Some(10))]);
        assert!(head.can_see_unit_overview(UnitId(12)), "a unit below");
        assert!(!head.can_see_unit_overview(UnitId(21)));
        let agent = p(&[g(RoleKind::Agent, Some(11))]);
        assert!(!agent.can_see_unit_overview(UnitId(11)));
        assert!(!p(&[g(RoleKind::Controller, None)]).can_see_unit_overview(UnitId(11)));
        assert!(Principal::system().can_see_unit_overview(UnitId(11)));
        let boss = p(&[g(RoleKind::CustomerManager, Some(20))]);
        assert!(boss.can_see_customer_overview(UnitId(21)));
        assert!(!boss.can_see_customer_overview(UnitId(10)));
        assert!(!boss.can_see_unit_overview(UnitId(21)));
        let customer = p(&[g(RoleKind::Customer, Some(21))]);
        assert!(!customer.can_see_customer_overview(UnitId(21)));
        assert!(!head.can_see_customer_overview(UnitId(21)));
    }

    #[test]
    fn internal_notes_are_for_the_provider_side() {
        let case = scope(11, Some(21), Some(1));
        assert!(p(&[g(RoleKind::Agent, Some(11))]).can_see_internal_notes(&case));
        assert!(Principal::system().can_see_internal_notes(&case));
        assert!(!p(&[g(RoleKind::Customer, Some(21))]).can_see_internal_notes(&case));
        assert!(!p(&[g(RoleKind::CustomerManager, Some(20))]).can_see_internal_notes(&case));
        assert!(!p(&[g(RoleKind::Agent, Some(12))]).can_see_internal_notes(&case));
    }
}
