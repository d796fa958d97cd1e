//! Rules a request can break that a person should be told about in their own language: the
//! application layer refuses with one of these, and each page says it in Swedish or English.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A password shorter than the minimum.
    PasswordTooShort { min: usize },
    /// An administrator deactivating their own account.
    OwnAccountDeactivated,
    /// An administrator removing their own administrator role.
    OwnAdminRoleRemoved,
    /// Granting a role the person holds already.
    RoleHeldAlready,
    /// Removing a role that is no longer there (the page was stale).
    RoleGone,
    /// Assigning a case to someone who does not work its queue.
    NotAgentOfQueue,
    /// An indicator value's period that is not a year, month, week or date
    /// (`import::valid_period`).
    IndicatorPeriod,
    /// An API token without a name, or with too long a name.
    TokenName { max_chars: usize },
    /// An API token that would allow nothing.
    TokenWithoutScope,
    /// An API token valid for no days, or for longer than allowed.
    TokenLifetime { max_days: u32 },
    /// Giving a password to a person who signs in through the identity provider.
    PasswordOffForSso,
    /// Cases chosen for a bulk reassignment that cannot all be moved (none are, then).
    Reassign(crate::overview::BadReassign),
    /// Cases chosen on a queue for a change of assignee or status that cannot all take it
    /// (none are changed, then).
    BulkChange(crate::queue_work::BadBulkChange),
    /// Reopening a case that is not resolved (open still, or closed for good).
    NotReopenable,
    /// A reply template named like another of the unit's.
    TemplateNameTaken,
}

impl Refusal {
    /// Whether the refusal is a clash with the current state (409) rather than a broken rule (422).
    pub fn is_conflict(self) -> bool {
        matches!(
            self,
            Refusal::RoleHeldAlready
                | Refusal::RoleGone
                | Refusal::NotReopenable
                | Refusal::TemplateNameTaken
        )
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::PasswordTooShort { min } => {
                write!(f, "the password needs at least {min} characters")
            }
            Refusal::OwnAccountDeactivated => f.write_str("you cannot deactivate your own account"),
            Refusal::OwnAdminRoleRemoved => {
                f.write_str("you cannot remove your own administrator role")
            }
            Refusal::RoleHeldAlready => f.write_str("the person already has that role"),
            Refusal::RoleGone => f.write_str("the role is gone; reload the page"),
            Refusal::NotAgentOfQueue => f.write_str("that person is not an agent of this queue"),
            Refusal::IndicatorPeriod => f.write_str(
                "the period must be a year (2019), a month (2019-08), a week (2019-W35) or a date (2019-08-31)",
            ),
            Refusal::TokenName { max_chars } => {
                write!(f, "a token needs a name of at most {max_chars} characters")
            }
            Refusal::TokenWithoutScope => f.write_str("a token needs at least one scope"),
            Refusal::TokenLifetime { max_days } => {
                write!(f, "a token is valid for 1 to {max_days} days")
            }
            Refusal::PasswordOffForSso => f.write_str(
                "the person signs in through the identity provider; Serva passwords are off for them",
            ),
            Refusal::Reassign(e) => write!(f, "{e}; no case was reassigned"),
            Refusal::BulkChange(e) => write!(f, "{e}; no case was changed"),
            Refusal::NotReopenable => f.write_str("only a resolved case can be reopened"),
            Refusal::TemplateNameTaken => {
                f.write_str("the unit has a template with that name already")
            }
        }
    }
}
