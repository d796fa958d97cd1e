//! Signing in and out, who a request belongs to, and the person's own settings and API tokens.

use serva_domain::access::Principal;
use serva_domain::user::{ApiToken, User};
use serva_store::sessions::NewSession;

use crate::{App, AppError, AppResult};

/// A signed-in person: who they are and what their grants let them do.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: User,
    pub principal: Principal,
}

impl App {
    /// Checks a password and starts a session (a new id on every sign-in). `None` when the
    /// username or password is wrong or the account is inactive — the same answer either way.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
    ) -> AppResult<Option<(User, NewSession)>> {
        let Some(user) = self.db().authenticate(username, password).await? else {
            return Ok(None);
        };
        // A person linked to the identity provider signs in there only (docs/sso.md).
        if self.db().has_provider_identity(user.id).await? {
            return Ok(None);
        }
        let session = self.db().create_session(user.id).await?;
        Ok(Some((user, session)))
    }

    pub async fn sign_out(&self, raw_session: &str) -> AppResult<()> {
        Ok(self.db().delete_session(raw_session).await?)
    }

    /// The person behind a live browser session, and its CSRF token.
    pub async fn session_identity(&self, raw: &str) -> AppResult<Option<(Identity, String)>> {
        let Some((user, csrf)) = self.db().session(raw).await? else {
            return Ok(None);
        };
        let principal = self.db().principal(&user).await?;
        Ok(Some((Identity { user, principal }, csrf)))
    }

    /// The person behind a live personal API token.
    pub async fn token_identity(&self, raw: &str) -> AppResult<Option<Identity>> {
        let Some(user) = self.db().token_user(raw).await? else {
            return Ok(None);
        };
        let principal = self.db().principal(&user).await?;
        Ok(Some(Identity { user, principal }))
    }

    /// The person's language: `sv`, `en`, or none to follow the browser.
    pub async fn set_locale(&self, p: &Principal, locale: Option<&str>) -> AppResult<()> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        if locale.is_some_and(|l| l != "sv" && l != "en") {
            return Err(AppError::bad_request("language must be sv or en"));
        }
        Ok(self.db().set_locale(p.user, me, locale).await?)
    }

    /// The person's own API tokens, newest first.
    pub async fn my_tokens(&self, p: &Principal) -> AppResult<Vec<ApiToken>> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        Ok(self.db().tokens_of(me).await?)
    }

    /// Creates a personal API token for `p` and returns it; it is shown once.
    pub async fn create_my_token(&self, p: &Principal, name: &str) -> AppResult<String> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        Ok(self.db().create_token(p.user, me, name).await?)
    }

    /// Creates a token for someone else: the command line and administrators.
    pub async fn create_token_for(
        &self,
        p: &Principal,
        username: &str,
        name: &str,
    ) -> AppResult<String> {
        if !p.administers() {
            return Err(AppError::forbidden(
                "only administrators make tokens for others",
            ));
        }
        let user = self.db().user_by_username(username).await?;
        Ok(self.db().create_token(p.user, user.id, name).await?)
    }

    /// Revokes one of `p`'s own tokens.
    pub async fn revoke_my_token(&self, p: &Principal, token: i64) -> AppResult<()> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        Ok(self.db().revoke_token(p.user, me, token).await?)
    }
}
