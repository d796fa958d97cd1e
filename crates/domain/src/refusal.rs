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
    /// Giving a password to a person who signs in through the identity provider.
    PasswordOffForSso,
}

impl Refusal {
    /// Whether the refusal is a clash with the current state (409) rather than a broken rule (422).
    pub fn is_conflict(self) -> bool {
        matches!(self, Refusal::RoleHeldAlready | Refusal::RoleGone)
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
            Refusal::PasswordOffForSso => f.write_str(
                "the person signs in through the identity provider; Serva passwords are off for them",
            ),
        }
    }
}
