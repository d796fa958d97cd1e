//! Password sign-in with its throttle, and the administrators' view of paused sign-ins.

use std::net::IpAddr;

use serva_domain::access::Principal;
use serva_domain::login_throttle::{Subject, MAX_USERNAME_CHARS};
use serva_domain::user::User;
use serva_store::login_throttle::LoginPause;
use serva_store::sessions::NewSession;

use crate::{App, AppError, AppResult};

/// How a password sign-in ended.
pub enum SignIn {
    /// Signed in: a new session (a new id on every sign-in).
    Started(User, NewSession),
    /// Wrong username or password, or an inactive account: the same answer for each.
    Refused,
    /// Too many attempts: nothing was checked; try again in this many seconds.
    Paused { seconds: i64 },
}

/// The username as it is stored: trimmed and in lower case.
pub fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

impl App {
    /// Checks a password and starts a session. The attempt is counted (per account, per account
    /// and client address, per address; see `serva_domain::login_throttle`) before the password
    /// is checked, in one step with the decision, so parallel guesses cannot pass the limit.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        from: Option<IpAddr>,
    ) -> AppResult<SignIn> {
        let username = normalise_username(username);
        if username.chars().count() > MAX_USERNAME_CHARS {
            return Err(AppError::bad_request(format!(
                "a username has at most {MAX_USERNAME_CHARS} characters"
            )));
        }
        let subjects = Subject::for_attempt(&username, from);
        let now = serva_domain::time::now_ms() / 1000;
        if let Err(seconds) = self.db().count_login_attempt(&subjects, now).await? {
            return Ok(SignIn::Paused { seconds });
        }
        let Some(user) = self.db().authenticate(&username, password).await? else {
            return Ok(SignIn::Refused);
        };
        // A person linked to the identity provider signs in there only (docs/sso.md).
        if self.db().has_provider_identity(user.id).await? {
            return Ok(SignIn::Refused);
        }
        self.db().login_succeeded(&subjects).await?;
        let session = self.db().create_session(user.id).await?;
        Ok(SignIn::Started(user, session))
    }

    /// The sign-in pauses in force now: administrators only.
    pub async fn login_pauses(&self, p: &Principal) -> AppResult<Vec<LoginPause>> {
        if !p.administers() {
            return Err(AppError::forbidden(
                "only administrators see sign-in pauses",
            ));
        }
        Ok(self
            .db()
            .login_pauses(serva_domain::time::now_ms() / 1000)
            .await?)
    }

    /// Lifts the pause of an account (from every address) or of a client address:
    /// administrators only. Returns how many counters were removed.
    pub async fn lift_login_pause(&self, p: &Principal, subject: &Subject) -> AppResult<u64> {
        if !p.administers() {
            return Err(AppError::forbidden(
                "only administrators lift sign-in pauses",
            ));
        }
        Ok(self.db().lift_login_pause(p.user, subject).await?)
    }
}
