//! Single sign-on with OpenID Connect: the authorization-code flow with PKCE, state and nonce.
//!
//! `App::sso_start` makes a sign-in: a fresh state, nonce and PKCE verifier, kept in the
//! database under the state's SHA-256 for ten minutes, and the provider's URL to send the
//! browser to. `App::sso_finish` takes that sign-in back once (a state works once), redeems
//! the code, validates the ID token, finds the person by (issuer, subject) — never by e-mail —
//! or creates their account on the first sign-in, replaces the grants the provider's groups
//! gave last time, and starts a session as a password sign-in does. It never looks at a
//! password nor at the password-login lock: a person who signs in here is not stopped by
//! failed password attempts against their username.

mod mapping;
mod provider;

use std::fmt;
use std::path::Path;
use std::time::Duration;

use serva_domain::sso::{username_from_claims, GrantMapping};
use serva_domain::user::User;
use serva_store::identities::{PendingSignIn, ProviderIdentity};
use serva_store::sessions::NewSession;
use serva_store::users::NewUser;

pub use mapping::{parse_mapping, read_mapping};
pub use provider::VerifiedPerson;

use crate::{App, AppError, AppResult};

/// How long a sign-in may take at the provider before its state expires.
pub const SIGN_IN_MINUTES: i64 = 10;

/// The operator's single sign-on settings (`serva serve --oidc-…`, docs/sso.md).
#[derive(Clone)]
pub struct SsoSettings {
    /// The provider's issuer URL; discovery reads `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// From an environment variable or a file, never the database or the command line.
    pub client_secret: Option<String>,
    /// Serva's callback as registered at the provider: `https://<host>/login/sso/callback`.
    pub redirect_url: String,
    /// The provider's name on the login page ("Logga in med <name>").
    pub name: String,
    pub mapping: GrantMapping,
    /// How old the provider's metadata and keys may get before they are fetched again.
    pub key_refresh: Duration,
}

impl fmt::Debug for SsoSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("redirect_url", &self.redirect_url)
            .field("name", &self.name)
            .field("mapping", &self.mapping)
            .field("key_refresh", &self.key_refresh)
            .finish()
    }
}

/// Why a single sign-on did not succeed. The pages say each in Swedish and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SsoFailure {
    /// Single sign-on is not configured.
    NotConfigured,
    /// The state is unknown, used already, expired, or not this browser's.
    UnknownState,
    /// The person stopped at the provider, or the provider refused them (`error=…`).
    Refused(String),
    /// The code or the ID token was not accepted (replayed code, wrong nonce, bad signature,
    /// wrong issuer or audience, expired token).
    Rejected(String),
    /// The provider could not be reached or answered nonsense.
    Unavailable(String),
    /// The provider gave neither a usable username nor an e-mail address.
    NoUsername,
    /// The account exists but an administrator has turned it off.
    Deactivated,
}

impl fmt::Display for SsoFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SsoFailure::NotConfigured => f.write_str("single sign-on is not configured"),
            SsoFailure::UnknownState => {
                f.write_str("the sign-in state is unknown, used already or expired")
            }
            SsoFailure::Refused(m) => write!(f, "the identity provider refused: {m}"),
            SsoFailure::Rejected(m) | SsoFailure::Unavailable(m) => f.write_str(m),
            SsoFailure::NoUsername => {
                f.write_str("the identity provider gave no username nor e-mail address")
            }
            SsoFailure::Deactivated => f.write_str("the account is deactivated"),
        }
    }
}

/// A failed sign-in, or the store failing under it.
#[derive(Debug)]
pub enum SsoError {
    Failed(SsoFailure),
    App(AppError),
}

impl From<SsoFailure> for SsoError {
    fn from(f: SsoFailure) -> Self {
        SsoError::Failed(f)
    }
}

impl<E: Into<AppError>> From<E> for SsoError {
    fn from(e: E) -> Self {
        SsoError::App(e.into())
    }
}

/// Single sign-on as configured: the settings and the provider's client.
pub struct Sso {
    provider: provider::Provider,
}

impl fmt::Debug for Sso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sso")
            .field("settings", self.settings())
            .finish()
    }
}

impl Sso {
    pub fn new(settings: SsoSettings) -> Result<Sso, String> {
        settings.mapping.check()?;
        Ok(Sso {
            provider: provider::Provider::new(settings)?,
        })
    }

    pub fn settings(&self) -> &SsoSettings {
        self.provider.settings()
    }
}

/// Reads a client secret from a file (trailing newline dropped), for `--oidc-client-secret-file`.
pub fn read_secret_file(path: &Path) -> Result<String, String> {
    let s = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "reading the OIDC client secret file {}: {e}",
            path.display()
        )
    })?;
    let s = s.trim_end_matches(['\r', '\n']).to_string();
    if s.is_empty() {
        return Err(format!(
            "the OIDC client secret file {} is empty",
            path.display()
        ));
    }
    Ok(s)
}

/// A finished sign-in: the person, their new session, and where they were going.
pub struct SsoSignIn {
    pub user: User,
    pub session: NewSession,
    pub next: String,
}

/// The SHA-256 the database keeps a state under.
fn state_key(state: &str) -> String {
    serva_store::secrets::sha256_hex(state)
}

impl App {
    /// Single sign-on, when configured.
    pub fn sso(&self) -> Option<&Sso> {
        self.sso.as_deref()
    }

    /// Starts a sign-in: keeps its state, nonce and PKCE verifier server-side, and answers the
    /// provider's URL and the state (which the browser also keeps, in a cookie, so a sign-in
    /// only finishes in the browser that started it). `next` must already be a safe path.
    pub async fn sso_start(&self, next: &str) -> Result<(String, String), SsoError> {
        let sso = self.sso().ok_or(SsoFailure::NotConfigured)?;
        let a = sso.provider.authorize().await?;
        let pending = PendingSignIn {
            nonce: a.nonce,
            pkce_verifier: a.pkce_verifier,
            next: next.to_string(),
            expires_at: serva_domain::time::now_ms() + SIGN_IN_MINUTES * 60 * 1000,
        };
        self.db()
            .put_pending_sign_in(&state_key(&a.state), &pending)
            .await?;
        Ok((a.url, a.state))
    }

    /// Gives up a sign-in the provider answered with an error: its state is spent.
    pub async fn sso_abandon(&self, state: &str) -> AppResult<()> {
        self.db().take_pending_sign_in(&state_key(state)).await?;
        Ok(())
    }

    /// Finishes a sign-in: takes its state (once), redeems the code, finds or creates the
    /// person, applies the provider's grants and starts a session.
    pub async fn sso_finish(&self, state: &str, code: &str) -> Result<SsoSignIn, SsoError> {
        let sso = self.sso().ok_or(SsoFailure::NotConfigured)?;
        let pending = self
            .db()
            .take_pending_sign_in(&state_key(state))
            .await?
            .ok_or(SsoFailure::UnknownState)?;
        let person = sso
            .provider
            .redeem(code, &pending.pkce_verifier, &pending.nonce)
            .await?;
        let user = self.sso_account(sso.settings(), &person).await?;
        let session = self.db().create_session(user.id).await?;
        tracing::info!(user = %user.username, issuer = %person.issuer, "signed in through the identity provider");
        Ok(SsoSignIn {
            user,
            session,
            next: pending.next,
        })
    }

    /// The person's account, made on their first sign-in, with the provider's grants applied.
    async fn sso_account(
        &self,
        settings: &SsoSettings,
        person: &VerifiedPerson,
    ) -> Result<User, SsoError> {
        let db = self.db();
        let rules = settings.mapping.rules_for(&person.groups);
        let units = db.units().await?;
        let (grants, unknown) = mapping::grants_of(&rules, |code| {
            units.iter().find(|u| u.code == code).map(|u| u.id)
        });
        if !unknown.is_empty() {
            tracing::warn!(
                ?unknown,
                "the SSO mapping names units that do not exist; those grants were left out"
            );
        }
        let id = ProviderIdentity {
            issuer: person.issuer.clone(),
            subject: person.subject.clone(),
        };
        let email = person
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        match db.user_by_identity(&id).await? {
            Some(user) if !user.active => Err(SsoFailure::Deactivated.into()),
            Some(user) => {
                let name = person.name.as_deref().unwrap_or("");
                Ok(db
                    .provider_signed_in(&id, &user, name, email, &grants)
                    .await?)
            }
            None => {
                let username = username_from_claims(
                    person.preferred_username.as_deref(),
                    person.email.as_deref(),
                )
                .ok_or(SsoFailure::NoUsername)?;
                let display_name = person
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| username.clone());
                let new = NewUser {
                    username,
                    display_name,
                    email: email.map(str::to_string),
                    password_hash: None,
                    locale: None,
                    home_unit: None,
                };
                Ok(db.create_provider_user(&id, &new, &grants).await?)
            }
        }
    }
}
