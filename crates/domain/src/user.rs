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

/// A field of the add-a-person form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonField {
    Username,
    DisplayName,
    Email,
    Password,
}

/// What is wrong with one field of a person to add, said beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonProblem {
    BadUsername,
    UsernameTaken,
    NoName,
    BadEmail,
    PasswordTooShort { min: usize },
}

/// Every problem of a person to add, field by field (empty: the form may be saved). The
/// database still checks; this lets the form say all of it at once, each beside its field.
pub fn person_problems(
    username: &str,
    display_name: &str,
    email: Option<&str>,
    password: &str,
    min_password: usize,
) -> Vec<(PersonField, PersonProblem)> {
    let mut out = Vec::new();
    if check_username(&username.trim().to_lowercase()).is_err() {
        out.push((PersonField::Username, PersonProblem::BadUsername));
    }
    if display_name.trim().is_empty() {
        out.push((PersonField::DisplayName, PersonProblem::NoName));
    }
    if let Some(e) = email.map(str::trim).filter(|e| !e.is_empty()) {
        if !crate::notify::is_mail_address(e) {
            out.push((PersonField::Email, PersonProblem::BadEmail));
        }
    }
    if password.chars().count() < min_password {
        out.push((
            PersonField::Password,
            PersonProblem::PasswordTooShort { min: min_password },
        ));
    }
    out
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
    use super::*;

    #[test]
    fn usernames_are_checked() {
        assert!(super::check_username("eva.ek").is_ok());
        assert!(super::check_username("e").is_err());
        assert!(super::check_username("Eva").is_err());
        assert!(super::check_username("eva ek").is_err());
    }

    #[test]
    fn a_person_s_problems_are_named_per_field() {
        assert!(person_problems(
            "anna.berg",
            "Anna Berg",
            Some("anna@example.se"),
            "hemligt!!",
            8
        )
        .is_empty());
        let p = person_problems("Anna Berg", " ", Some("inte en adress"), "kort", 8);
        assert_eq!(
            p,
            vec![
                (PersonField::Username, PersonProblem::BadUsername),
                (PersonField::DisplayName, PersonProblem::NoName),
                (PersonField::Email, PersonProblem::BadEmail),
                (
                    PersonField::Password,
                    PersonProblem::PasswordTooShort { min: 8 }
                ),
            ]
        );
        // An empty e-mail is no e-mail, not a wrong one.
        assert!(person_problems("ab", "A", Some(""), "12345678", 8).is_empty());
    }
}
