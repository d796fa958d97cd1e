//! Signing in and out, who a request belongs to, the person's own settings, sessions and API
//! tokens, and administrators' control of everyone's tokens.

use std::time::Duration;

use serva_domain::access::Principal;
use serva_domain::session::{is_session_handle, SessionInfo};
use serva_domain::token::{OwnedToken, TokenRequest, TokenScopes};
use serva_domain::user::{ApiToken, User};
use serva_domain::UserId;
use serva_store::sessions::TokenLookup;

use crate::{App, AppError, AppResult};

/// A signed-in person: who they are and what their grants let them do.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: User,
    pub principal: Principal,
}

/// A live browser session: the person, the session's CSRF token, and its handle (its name
/// on the sessions page).
#[derive(Debug, Clone)]
pub struct BrowserSession {
    pub identity: Identity,
    pub csrf: String,
    pub handle: String,
}

/// What a presented API token allows.
#[derive(Debug, Clone)]
pub enum TokenAccess {
    /// The token works: its owner, and what it may do.
    Granted {
        identity: Box<Identity>,
        scopes: TokenScopes,
    },
    /// The token has expired.
    Expired,
    /// No such token, or a revoked one, or one of an inactive account.
    Unknown,
}

fn idle_ms(idle: Duration) -> i64 {
    i64::try_from(idle.as_millis()).unwrap_or(i64::MAX)
}

impl App {
    pub async fn sign_out(&self, raw_session: &str) -> AppResult<()> {
        Ok(self.db().delete_session(raw_session).await?)
    }

    /// Notes the browser and address a new session was signed in from (after
    /// [`App::sign_in`]), for the person's list of sessions.
    pub async fn describe_session(
        &self,
        raw_session: &str,
        user_agent: Option<&str>,
        ip: Option<&str>,
    ) -> AppResult<()> {
        Ok(self
            .db()
            .describe_session(raw_session, user_agent, ip)
            .await?)
    }

    /// The person behind a live browser session: one used within `idle` and not past its
    /// lifetime.
    pub async fn session_identity(
        &self,
        raw: &str,
        idle: Duration,
    ) -> AppResult<Option<BrowserSession>> {
        let Some(s) = self.db().session(raw, idle_ms(idle)).await? else {
            return Ok(None);
        };
        let principal = self.db().principal(&s.user).await?;
        Ok(Some(BrowserSession {
            identity: Identity {
                user: s.user,
                principal,
            },
            csrf: s.csrf_token,
            handle: s.handle,
        }))
    }

    /// The person behind a personal API token, and what the token may do.
    pub async fn token_identity(&self, raw: &str) -> AppResult<TokenAccess> {
        Ok(match self.db().token_lookup(raw).await? {
            TokenLookup::Live { user, scopes, .. } => {
                let principal = self.db().principal(&user).await?;
                TokenAccess::Granted {
                    identity: Box::new(Identity { user, principal }),
                    scopes,
                }
            }
            TokenLookup::Expired => TokenAccess::Expired,
            TokenLookup::Unknown => TokenAccess::Unknown,
        })
    }

    /// The person's live sessions, the most recently used first.
    pub async fn my_sessions(&self, p: &Principal, idle: Duration) -> AppResult<Vec<SessionInfo>> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        Ok(self.db().sessions_of(me, idle_ms(idle)).await?)
    }

    /// Ends one of the person's own sessions, named by its handle.
    pub async fn end_my_session(&self, p: &Principal, handle: &str) -> AppResult<()> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        if !is_session_handle(handle) {
            return Err(AppError::NotFound("session"));
        }
        Ok(self.db().end_session(p.user, me, handle).await?)
    }

    /// Ends every session of the person, the one asking included; returns how many.
    pub async fn end_all_my_sessions(&self, p: &Principal) -> AppResult<u64> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        Ok(self.db().end_all_sessions(p.user, me).await?)
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
    pub async fn create_my_token(&self, p: &Principal, req: &TokenRequest) -> AppResult<String> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        req.check().map_err(AppError::Refused)?;
        Ok(self.db().create_token_with(p.user, me, req).await?)
    }

    /// Creates a token for someone else: the command line and administrators.
    pub async fn create_token_for(
        &self,
        p: &Principal,
        username: &str,
        req: &TokenRequest,
    ) -> AppResult<String> {
        if !p.administers() {
            return Err(AppError::forbidden(
                "only administrators make tokens for others",
            ));
        }
        req.check().map_err(AppError::Refused)?;
        let user = self.db().user_by_username(username).await?;
        Ok(self.db().create_token_with(p.user, user.id, req).await?)
    }

    /// Tokens with their owners, for administrators: every token of one person, or everyone's
    /// tokens that still work. To anyone else the list does not exist.
    pub async fn owned_tokens(
        &self,
        p: &Principal,
        user: Option<UserId>,
    ) -> AppResult<Vec<OwnedToken>> {
        if !p.administers() {
            return Err(AppError::NotFound("tokens"));
        }
        Ok(self.db().owned_tokens(user).await?)
    }

    /// The tokens of the person named by `username`: the command line and administrators.
    pub async fn tokens_of_user(
        &self,
        p: &Principal,
        username: &str,
    ) -> AppResult<Vec<OwnedToken>> {
        if !p.administers() {
            return Err(AppError::NotFound("tokens"));
        }
        let user = self.db().user_by_username(username).await?;
        Ok(self.db().owned_tokens(Some(user.id)).await?)
    }

    /// Revokes anyone's token: administrators and the command line.
    pub async fn revoke_any_token(&self, p: &Principal, token: i64) -> AppResult<()> {
        if !p.administers() {
            return Err(AppError::NotFound("token"));
        }
        Ok(self.db().revoke_any_token(p.user, token).await?)
    }

    /// Revokes one of `p`'s own tokens.
    pub async fn revoke_my_token(&self, p: &Principal, token: i64) -> AppResult<()> {
        let me = p.user.ok_or_else(|| AppError::forbidden("sign in first"))?;
        Ok(self.db().revoke_token(p.user, me, token).await?)
    }
}
