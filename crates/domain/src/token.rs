//! Personal API tokens: what a token may do (its scopes), how long it lives, and when its
//! last use is worth writing down.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::refusal::Refusal;
use crate::UserId;

/// What a token may do. A token carries a set of these; each endpoint of the API needs one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Every `GET` of the API except the interim report: the caller, units, services, cases,
    /// their messages and history.
    Read,
    /// Creating and changing cases, writing messages and answering a case's survey.
    Cases,
    /// Importing files.
    Imports,
    /// Computing (`GET`) and approving the interim report.
    Reports,
}

impl TokenScope {
    pub const ALL: [TokenScope; 4] = [
        TokenScope::Read,
        TokenScope::Cases,
        TokenScope::Imports,
        TokenScope::Reports,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Cases => "cases",
            TokenScope::Imports => "imports",
            TokenScope::Reports => "reports",
        }
    }

    pub fn parse(s: &str) -> Option<TokenScope> {
        TokenScope::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What the scope allows, in English, for API errors and the command line.
    pub fn allows(self) -> &'static str {
        match self {
            TokenScope::Read => "reading through the API",
            TokenScope::Cases => "creating and changing cases and their messages",
            TokenScope::Imports => "importing files",
            TokenScope::Reports => "computing and approving reports",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The scopes of one token: a small set, stored as the names separated by spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TokenScopes(u8);

impl TokenScopes {
    /// Every scope: what tokens made before scopes existed, and system tools, carry.
    pub fn all() -> TokenScopes {
        TokenScopes::of(&TokenScope::ALL)
    }

    pub fn of(scopes: &[TokenScope]) -> TokenScopes {
        TokenScopes(scopes.iter().fold(0, |acc, s| acc | s.bit()))
    }

    pub fn contains(self, s: TokenScope) -> bool {
        self.0 & s.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn with(self, s: TokenScope) -> TokenScopes {
        TokenScopes(self.0 | s.bit())
    }

    pub fn without(self, s: TokenScope) -> TokenScopes {
        TokenScopes(self.0 & !s.bit())
    }

    /// The scopes in their fixed order.
    pub fn iter(self) -> impl Iterator<Item = TokenScope> {
        TokenScope::ALL
            .into_iter()
            .filter(move |s| self.contains(*s))
    }

    /// Reads a list of scope names separated by spaces or commas (the stored form, or what
    /// a person typed); an unknown name is an error naming it.
    pub fn parse(s: &str) -> Result<TokenScopes, String> {
        let mut set = TokenScopes::default();
        for name in s
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|n| !n.is_empty())
        {
            let scope = TokenScope::parse(name).ok_or_else(|| {
                format!(
                    "unknown scope {name:?}; scopes: {}",
                    TokenScopes::all().to_string().replace(' ', ", ")
                )
            })?;
            set = set.with(scope);
        }
        Ok(set)
    }
}

/// The stored form: `read cases imports reports`.
impl fmt::Display for TokenScopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(TokenScope::as_str).collect();
        f.write_str(&names.join(" "))
    }
}

impl Serialize for TokenScopes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A token lives this many days unless its maker chooses otherwise.
pub const DEFAULT_LIFETIME_DAYS: u32 = 90;
/// No token lives longer than a year.
pub const MAX_LIFETIME_DAYS: u32 = 365;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// When a token made at `now` (ms) and valid for `days` expires.
pub fn expires_at(now: i64, days: u32) -> Result<i64, Refusal> {
    if !(1..=MAX_LIFETIME_DAYS).contains(&days) {
        return Err(Refusal::TokenLifetime {
            max_days: MAX_LIFETIME_DAYS,
        });
    }
    Ok(now + i64::from(days) * DAY_MS)
}

/// The longest a token name may be, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// What a new token is to be: its name (what it is for), scopes and lifetime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    pub name: String,
    pub scopes: TokenScopes,
    pub days: u32,
}

impl TokenRequest {
    /// A token with every scope and the default lifetime: the command line's and tools' kind.
    pub fn full(name: &str) -> TokenRequest {
        TokenRequest {
            name: name.to_string(),
            scopes: TokenScopes::all(),
            days: DEFAULT_LIFETIME_DAYS,
        }
    }

    /// Checks the request: a name of 1–100 characters, at least one scope, 1–365 days.
    /// Returns the trimmed name.
    pub fn check(&self) -> Result<&str, Refusal> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(Refusal::TokenName {
                max_chars: MAX_NAME_CHARS,
            });
        }
        if self.scopes.is_empty() {
            return Err(Refusal::TokenWithoutScope);
        }
        expires_at(0, self.days)?;
        Ok(name)
    }
}

/// A personal API token as its owner and administrators see it (never the secret itself,
/// which is shown once, when it is made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub scopes: TokenScopes,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A token with its owner, as administrators list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnedToken {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub token: ApiToken,
}

/// Whether a token works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl ApiToken {
    pub fn state(&self, now: i64) -> TokenState {
        if self.revoked_at.is_some() {
            TokenState::Revoked
        } else if self.expires_at <= now {
            TokenState::Expired
        } else {
            TokenState::Active
        }
    }
}

/// How finely a token's last use is kept: once a minute at most, so that a program calling
/// the API many times a second costs one small write a minute, not one a call.
pub const LAST_USED_RESOLUTION_MS: i64 = 60 * 1000;

/// Whether the stored last use is old enough to be written again.
pub fn last_use_is_stale(last_used_at: Option<i64>, now: i64) -> bool {
    last_used_at.is_none_or(|t| now - t >= LAST_USED_RESOLUTION_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_and_write_their_stored_form() {
        let s = TokenScopes::parse("cases read").unwrap();
        assert!(s.contains(TokenScope::Read) && s.contains(TokenScope::Cases));
        assert!(!s.contains(TokenScope::Imports));
        assert_eq!(s.to_string(), "read cases");
        assert_eq!(
            TokenScopes::parse("read,reports").unwrap().to_string(),
            "read reports"
        );
        assert_eq!(
            TokenScopes::parse(&TokenScopes::all().to_string()).unwrap(),
            TokenScopes::all()
        );
        assert!(TokenScopes::parse("").unwrap().is_empty());
        let e = TokenScopes::parse("read admin").unwrap_err();
        assert!(e.contains("\"admin\"") && e.contains("read, cases, imports, reports"));
        assert_eq!(
            TokenScopes::all().without(TokenScope::Cases).to_string(),
            "read imports reports"
        );
        assert_eq!(
            serde_json::to_string(&TokenScopes::of(&[TokenScope::Imports])).unwrap(),
            "[\"imports\"]"
        );
    }

    #[test]
    fn lifetimes_are_one_day_to_a_year() {
        assert_eq!(expires_at(1000, 1), Ok(1000 + DAY_MS));
        assert_eq!(expires_at(0, 365), Ok(365 * DAY_MS));
        for days in [0, 366, u32::MAX] {
            assert_eq!(
                expires_at(0, days),
                Err(Refusal::TokenLifetime { max_days: 365 })
            );
        }
    }

    #[test]
    fn requests_need_a_name_a_scope_and_a_lifetime() {
        let ok = TokenRequest {
            name: "  nightly import ".into(),
            scopes: TokenScopes::of(&[TokenScope::Imports]),
            days: 30,
        };
        assert_eq!(ok.check(), Ok("nightly import"));
        let unnamed = TokenRequest {
            name: " ".into(),
            ..ok.clone()
        };
        assert!(matches!(unnamed.check(), Err(Refusal::TokenName { .. })));
        let long = TokenRequest {
            name: "x".repeat(101),
            ..ok.clone()
        };
        assert!(matches!(long.check(), Err(Refusal::TokenName { .. })));
        let scopeless = TokenRequest {
            scopes: TokenScopes::default(),
            ..ok.clone()
        };
        assert_eq!(scopeless.check(), Err(Refusal::TokenWithoutScope));
        let forever = TokenRequest { days: 400, ..ok };
        assert!(matches!(
            forever.check(),
            Err(Refusal::TokenLifetime { .. })
        ));
        assert_eq!(TokenRequest::full("cli").scopes, TokenScopes::all());
    }

    #[test]
    fn a_token_is_active_until_it_expires_or_is_revoked() {
        let t = ApiToken {
            id: 1,
            name: "t".into(),
            scopes: TokenScopes::all(),
            created_at: 0,
            expires_at: 100,
            last_used_at: None,
            revoked_at: None,
        };
        assert_eq!(t.state(99), TokenState::Active);
        assert_eq!(t.state(100), TokenState::Expired);
        let revoked = ApiToken {
            revoked_at: Some(50),
            ..t
        };
        assert_eq!(revoked.state(10), TokenState::Revoked);
    }

    #[test]
    fn last_use_is_written_once_a_minute() {
        assert!(last_use_is_stale(None, 0));
        assert!(!last_use_is_stale(Some(1_000), 1_000 + 59_999));
        assert!(last_use_is_stale(Some(1_000), 1_000 + 60_000));
    }
}
