//! People with a login, and their personal API tokens.

use serde::Serialize;

use crate::{UnitId, UserId};

pub use crate::token::ApiToken;

/// A person with a login, as the rest of Serva sees them (the password hash stays in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// The language the person chose (`sv` or `en`); none follows the browser.
    pub locale: Option<String>,
    /// The unit the person belongs to: what they order for as staff.
    pub home_unit_id: Option<UnitId>,
    pub active: bool,
}

/// A username: 2–64 characters a–z, 0–9, '.', '-', '_'.
pub fn check_username(s: &str) -> Result<(), String> {
    let ok = (2..=64).contains(&s.len())
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "username {s:?} must be 2–64 characters a–z, 0–9, '.', '-' or '_'"
        ))
    }
}

/// One row of the audit log as it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<UserId>,
    /// The actor's username.
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn usernames_are_checked() {
        assert!(super::check_username("eva.ek").is_ok());
        assert!(super::check_username("e").is_err());
        assert!(super::check_username("Eva").is_err());
        assert!(super::check_username("eva ek").is_err());
    }
}
