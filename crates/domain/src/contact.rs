//! Contacts (kontakter): people who reach a unit without a Serva account — a citizen, a caller,
//! someone who writes an e-mail. A case links to its contact, so an agent sees who it is and
//! what they asked before, and mail and follow links reach them.

use serde::{Deserialize, Serialize};

use crate::ContactId;

/// The longest name, e-mail address and phone number kept.
pub const NAME_MAX: usize = 200;
pub const EMAIL_MAX: usize = 254;
pub const PHONE_MAX: usize = 40;

/// A contact as it is read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub id: ContactId,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Contact {
    /// What to call the contact: the name, else the e-mail address, else the phone number.
    pub fn label(&self) -> &str {
        self.name
            .as_deref()
            .or(self.email.as_deref())
            .or(self.phone.as_deref())
            .unwrap_or("")
    }

    /// The words the case search finds the contact by: name, e-mail and phone, the phone also
    /// as bare digits (`013-20 50 00` is found as `013205000` and `+4613205000`).
    pub fn search_words(&self) -> String {
        let mut s = String::new();
        for part in [&self.name, &self.email, &self.phone].into_iter().flatten() {
            s.push_str(part);
            s.push(' ');
        }
        if let Some(key) = self.phone.as_deref().and_then(phone_key) {
            s.push_str(&key);
            s.push(' ');
            if let Some(national) = key.strip_prefix('0') {
                s.push_str("46");
                s.push_str(national);
            }
        }
        s
    }
}

/// A contact as someone gives it: at least one of name, e-mail and phone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewContact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What is wrong with a contact as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadContact {
    #[error("a contact needs a name, an e-mail address or a phone number")]
    Empty,
    #[error("the name is longer than {NAME_MAX} characters or has control characters")]
    Name,
    #[error("{0:?} is not an e-mail address")]
    Email(String),
    #[error("{0:?} is not a phone number")]
    Phone(String),
}

impl NewContact {
    /// Checks and tidies what was given: trims, drops empty parts, lower-cases the e-mail's
    /// domain, and refuses what cannot be a name, an address or a number.
    pub fn new(
        name: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<NewContact, BadContact> {
        fn given(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        let name = given(name)
            .map(|n| {
                if n.chars().count() > NAME_MAX || n.chars().any(char::is_control) {
                    Err(BadContact::Name)
                } else {
                    Ok(n.split_whitespace().collect::<Vec<_>>().join(" "))
                }
            })
            .transpose()?;
        let email = given(email).map(normalise_email).transpose()?;
        let phone = given(phone)
            .map(|p| {
                if p.chars().count() > PHONE_MAX || phone_key(p).is_none() {
                    Err(BadContact::Phone(p.to_string()))
                } else {
                    Ok(p.split_whitespace().collect::<Vec<_>>().join(" "))
                }
            })
            .transpose()?;
        if name.is_none() && email.is_none() && phone.is_none() {
            return Err(BadContact::Empty);
        }
        Ok(NewContact { name, email, phone })
    }

    /// The key an existing contact is found by: the e-mail address, lower-cased.
    pub fn email_key(&self) -> Option<String> {
        self.email.as_deref().map(email_key)
    }

    /// The key an existing contact is found by when there is no e-mail: the phone's digits.
    pub fn phone_key(&self) -> Option<String> {
        self.phone.as_deref().and_then(phone_key)
    }
}

/// An e-mail address as kept: one `@`, a dotted domain in lower case, nothing that could break
/// a header (spaces, angle brackets, control characters).
fn normalise_email(s: &str) -> Result<String, BadContact> {
    let bad = || BadContact::Email(s.to_string());
    if s.len() > EMAIL_MAX
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;:\"()[]\\".contains(c))
    {
        return Err(bad());
    }
    let (local, domain) = s.rsplit_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || local.contains('@')
        || domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(bad());
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// The key two spellings of one address share: all of it in lower case.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A phone number's digits in national form (`+46 13-20 50 00` → `013205000`), or `None` when
/// the text is not a phone number: only digits, spaces, `+`, `-`, `/`, `.` and brackets, and
/// 5 to 15 digits.
pub fn phone_key(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || " +-/.()".contains(c))
    {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let key = if s.starts_with('+') {
        match digits.strip_prefix("46") {
            Some(national) => format!("0{national}"),
            None => format!("+{digits}"),
        }
    } else if let Some(national) = digits.strip_prefix("0046") {
        format!("0{national}")
    } else {
        digits
    };
    let n = key.chars().filter(char::is_ascii_digit).count();
    (5..=15).contains(&n).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_share_a_key_however_written() {
        assert_eq!(phone_key("013-20 50 00").as_deref(), Some("013205000"));
        assert_eq!(phone_key("+46 13 20 50 00").as_deref(), Some("013205000"));
        assert_eq!(phone_key("0046 13 20 50 00").as_deref(), Some("013205000"));
        assert_eq!(phone_key("+47 22 33 44 55").as_deref(), Some("+4722334455"));
        assert_eq!(phone_key("070-123 45 67").as_deref(), Some("0701234567"));
        assert_eq!(phone_key("1234"), None);
        assert_eq!(phone_key("ring mig"), None);
        assert_eq!(phone_key("12345678901234567"), None);
    }

    #[test]
    fn a_contact_needs_something_to_reach_or_name() {
        assert_eq!(
            NewContact::new(None, Some(" "), None),
            Err(BadContact::Empty)
        );
        let c =
            NewContact::new(Some("  Åsa   Öberg "), Some("Asa.Oberg@Example.ORG"), None).unwrap();
        assert_eq!(c.name.as_deref(), Some("Åsa Öberg"));
        assert_eq!(c.email.as_deref(), Some("Asa.Oberg@example.org"));
        assert_eq!(c.email_key().as_deref(), Some("asa.oberg@example.org"));
        assert!(NewContact::new(None, None, Some("013-20 50 00")).is_ok());
    }

    #[test]
    fn what_cannot_be_an_address_or_number_is_refused() {
        for bad in [
            "asa",
            "asa@",
            "@example.org",
            "asa@example",
            "a b@example.org",
            "asa@example..org",
            "<asa@example.org>",
            "asa@example.org\r\nBcc: x@y.z",
        ] {
            assert!(
                matches!(
                    NewContact::new(None, Some(bad), None),
                    Err(BadContact::Email(_))
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            NewContact::new(None, None, Some("070-ABC")),
            Err(BadContact::Phone(_))
        ));
        assert_eq!(
            NewContact::new(Some(&"x".repeat(201)), None, None),
            Err(BadContact::Name)
        );
    }

    #[test]
    fn search_words_hold_the_phone_in_every_form() {
        let c = Contact {
            id: ContactId(1),
            name: Some("Per Persson".into()),
            email: None,
            phone: Some("013-20 50 00".into()),
        };
        let w = c.search_words();
        assert!(w.contains("013205000") && w.contains("4613205000"), "{w}");
        assert_eq!(c.label(), "Per Persson");
    }
}
