//! Roles a person holds, each granted on a unit (and so on its whole subtree).

use serde::{Deserialize, Serialize};

use crate::UnitId;

/// What a grant lets a person do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    /// Manages users, the organisation and the catalogue; sees every case.
    Admin,
    /// Follows up finance and figures across the administration.
    Controller,
    /// Manages a provider unit: its catalogue, its queues and its cases.
    UnitManager,
    /// Handläggare: works the queues of a provider unit.
    Agent,
    /// Staff of a customer department who order services and follow their own cases.
    Customer,
    /// A manager of a customer department who sees all of the department's cases.
    CustomerManager,
}

impl RoleKind {
    pub const ALL: [RoleKind; 6] = [
        RoleKind::Admin,
        RoleKind::Controller,
        RoleKind::UnitManager,
        RoleKind::Agent,
        RoleKind::Customer,
        RoleKind::CustomerManager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Admin => "admin",
            RoleKind::Controller => "controller",
            RoleKind::UnitManager => "unit_manager",
            RoleKind::Agent => "agent",
            RoleKind::Customer => "customer",
            RoleKind::CustomerManager => "customer_manager",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the role is granted on a unit (all but the global admin and controller roles).
    pub fn needs_unit(self) -> bool {
        !matches!(self, RoleKind::Admin | RoleKind::Controller)
    }
}

/// Målgrupp: which group of customer staff a requester belongs to (HR-direkt follows these up).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    Manager,
    Administrator,
    HrConsultant,
    Employee,
    Citizen,
}

impl TargetGroup {
    pub const ALL: [TargetGroup; 5] = [
        TargetGroup::Manager,
        TargetGroup::Administrator,
        TargetGroup::HrConsultant,
        TargetGroup::Employee,
        TargetGroup::Citizen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TargetGroup::Manager => "manager",
            TargetGroup::Administrator => "administrator",
            TargetGroup::HrConsultant => "hr_consultant",
            TargetGroup::Employee => "employee",
            TargetGroup::Citizen => "citizen",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One role held by one person, on one unit where the role needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: RoleKind,
    pub unit: Option<UnitId>,
    pub target_group: Option<TargetGroup>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BadGrant {
    #[error("role {0} must be granted on a unit")]
    MissingUnit(&'static str),
    #[error("role {0} is global and takes no unit")]
    UnexpectedUnit(&'static str),
    #[error("only the customer role has a target group")]
    UnexpectedTargetGroup,
}

impl Grant {
    /// A grant in a valid shape: unit where needed, target group only for customers.
    pub fn new(
        role: RoleKind,
        unit: Option<UnitId>,
        target_group: Option<TargetGroup>,
    ) -> Result<Self, BadGrant> {
        match (role.needs_unit(), unit) {
            (true, None) => return Err(BadGrant::MissingUnit(role.as_str())),
            (false, Some(_)) => return Err(BadGrant::UnexpectedUnit(role.as_str())),
            _ => {}
        }
        if target_group.is_some() && role != RoleKind::Customer {
            return Err(BadGrant::UnexpectedTargetGroup);
        }
        Ok(Grant {
            role,
            unit,
            target_group,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_have_valid_shapes() {
        assert!(Grant::new(RoleKind::Admin, None, None).is_ok());
        assert_eq!(
            Grant::new(RoleKind::Admin, Some(UnitId(1)), None),
            Err(BadGrant::UnexpectedUnit("admin"))
        );
        assert_eq!(
            Grant::new(RoleKind::Agent, None, None),
            Err(BadGrant::MissingUnit("agent"))
        );
        assert!(Grant::new(
            RoleKind::Customer,
            Some(UnitId(1)),
            Some(TargetGroup::Manager)
        )
        .is_ok());
        assert_eq!(
            Grant::new(RoleKind::Agent, Some(UnitId(1)), Some(TargetGroup::Manager)),
            Err(BadGrant::UnexpectedTargetGroup)
        );
        for r in RoleKind::ALL {
            assert_eq!(RoleKind::parse(r.as_str()), Some(r));
        }
        for t in TargetGroup::ALL {
            assert_eq!(TargetGroup::parse(t.as_str()), Some(t));
        }
    }
}
