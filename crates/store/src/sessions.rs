//! Browser sessions and personal API tokens. Both live in the database so every app node
//! behind the load balancer knows them.
//!
//! A session ends at the latest [`SESSION_MS`] after sign-in, and earlier when no request came
//! for the idle time the server was started with. A token ends when it expires, is revoked,
//! or its owner's password is set or account deactivated. The last request of a session and
//! the last use of a token are written at most once a minute, so the hot path stays a read.

use serva_domain::session::{last_seen_is_stale, SessionInfo, MAX_USER_AGENT_CHARS};
use serva_domain::token::{last_use_is_stale, ApiToken, OwnedToken, TokenRequest, TokenScopes};
use serva_domain::user::User;
use serva_domain::UserId;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::audit::{Action, Change, Entity};
use crate::rows::{parsed, TokenRow, UserRow};
use crate::{secrets, Db, StoreError, StoreResult};

/// A session lasts eight hours at most: a working day.
pub const SESSION_MS: i64 = 8 * 3600 * 1000;

/// A new session: the raw id goes in the cookie, only its hash is stored.
pub struct NewSession {
    pub raw_id: String,
    pub csrf_token: String,
}

/// A live session found by its id.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub user: User,
    pub csrf_token: String,
    /// The session's name on the sessions page.
    pub handle: String,
}

/// What a token presented to the API turned out to be.
#[derive(Debug, Clone)]
pub enum TokenLookup {
    /// A token that works, and its owner.
    Live {
        user: User,
        token_id: i64,
        scopes: TokenScopes,
    },
    /// A token that was valid but has expired.
    Expired,
    /// No such token, a revoked one, or one of an inactive account.
    Unknown,
}

const TOKEN_COLUMNS: &str = "id, name, scopes, created_at, expires_at, last_used_at, revoked_at";

/// A token with its owner's columns, read in one query on every API request.
struct TokenUserRow {
    user: UserRow,
    token_id: i64,
    scopes: TokenScopes,
    expires_at: i64,
    last_used_at: Option<i64>,
}

impl<'r> FromRow<'r, AnyRow> for TokenUserRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(TokenUserRow {
            user: UserRow::from_row(r)?,
            token_id: r.try_get("token_id")?,
            scopes: parsed(r, "scopes", "token scopes", |s| {
                TokenScopes::parse(s).ok().filter(|s| !s.is_empty())
            })?,
            expires_at: r.try_get("expires_at")?,
            last_used_at: r.try_get("last_used_at")?,
        })
    }
}

/// A token with its owner, for administrators.
struct OwnedTokenRow(OwnedToken);

impl<'r> FromRow<'r, AnyRow> for OwnedTokenRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(OwnedTokenRow(OwnedToken {
            user_id: UserId(r.try_get("user_id")?),
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            token: TokenRow::from_row(r)?.0,
        }))
    }
}

struct SessionRow(SessionInfo);

impl<'r> FromRow<'r, AnyRow> for SessionRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(SessionRow(SessionInfo {
            handle: r.try_get("handle")?,
            created_at: r.try_get("created_at")?,
            last_seen_at: r.try_get("last_seen_at")?,
            expires_at: r.try_get("expires_at")?,
            user_agent: r.try_get("user_agent")?,
            ip: r.try_get("ip")?,
        }))
    }
}

/// Ends every session and revokes every token of `user`, inside a write that changes how
/// they sign in (a new password, a deactivation). Returns how many of each there were.
pub(crate) async fn end_access(
    conn: &mut AnyConnection,
    user: UserId,
    now: i64,
) -> StoreResult<(u64, u64)> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let tokens = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(user.0)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((sessions, tokens))
}

impl Db {
    /// Starts a fresh session (a new id on every login: no fixation).
    pub async fn create_session(&self, user: UserId) -> StoreResult<NewSession> {
        let raw_id = secrets::random_token();
        let csrf_token = secrets::random_token();
        let mut tx = self.begin_audited(Some(user)).await?;
        let now = tx.now;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, handle) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(secrets::sha256_hex(&raw_id))
        .bind(user.0)
        .bind(&csrf_token)
        .bind(now)
        .bind(now + SESSION_MS)
        .bind(now)
        .bind(secrets::random_handle())
        .execute(tx.conn())
        .await?;
        tx.commit(Change::new(Action::Login, Entity::User(user)))
            .await?;
        Ok(NewSession { raw_id, csrf_token })
    }

    /// Notes the browser (`User-Agent`, cut to 256 characters) and address a session was
    /// signed in from, for its owner's list of sessions. Bookkeeping of the sign-in the
    /// audit log has already recorded, so not audited again.
    pub async fn describe_session(
        &self,
        raw_id: &str,
        user_agent: Option<&str>,
        ip: Option<&str>,
    ) -> StoreResult<()> {
        let user_agent = user_agent
            .map(|ua| {
                ua.trim()
                    .chars()
                    .take(MAX_USER_AGENT_CHARS)
                    .collect::<String>()
            })
            .filter(|ua| !ua.is_empty());
        sqlx::query("UPDATE sessions SET user_agent = $1, ip = $2 WHERE id_hash = $3")
            .bind(user_agent)
            .bind(ip)
            .bind(secrets::sha256_hex(raw_id))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// A live session: not past its lifetime, and used within the last `idle_ms`. Its last
    /// request is written when the stored one is a minute old or more.
    pub async fn session(&self, raw_id: &str, idle_ms: i64) -> StoreResult<Option<LiveSession>> {
        let now = serva_domain::time::now_ms();
        let id_hash = secrets::sha256_hex(raw_id);
        let row: Option<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT user_id, csrf_token, handle, last_seen_at FROM sessions \
             WHERE id_hash = $1 AND expires_at > $2 AND last_seen_at > $3",
        )
        .bind(&id_hash)
        .bind(now)
        .bind(now.saturating_sub(idle_ms))
        .fetch_optional(&self.read)
        .await?;
        let Some((uid, csrf_token, handle, last_seen_at)) = row else {
            return Ok(None);
        };
        let user = self.user(UserId(uid)).await?;
        if !user.active {
            return Ok(None);
        }
        if last_seen_is_stale(last_seen_at, now) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(&id_hash)
                .execute(&self.write)
                .await?;
        }
        Ok(Some(LiveSession {
            user,
            csrf_token,
            handle,
        }))
    }

    pub async fn delete_session(&self, raw_id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(secrets::sha256_hex(raw_id))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// The person's live sessions (used within `idle_ms`), the most recently used first.
    pub async fn sessions_of(&self, user: UserId, idle_ms: i64) -> StoreResult<Vec<SessionInfo>> {
        let now = serva_domain::time::now_ms();
        Ok(sqlx::query_as::<_, SessionRow>(
            "SELECT handle, created_at, last_seen_at, expires_at, user_agent, ip FROM sessions \
             WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 \
             ORDER BY last_seen_at DESC, created_at DESC",
        )
        .bind(user.0)
        .bind(now)
        .bind(now.saturating_sub(idle_ms))
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    /// Ends one of the person's sessions, named by its handle.
    pub async fn end_session(
        &self,
        actor: Option<UserId>,
        user: UserId,
        handle: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin_audited(actor).await?;
        let n = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND handle = $2")
            .bind(user.0)
            .bind(handle)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("session"));
        }
        tx.commit(
            Change::new(Action::Revoke, Entity::User(user))
                .after(serde_json::json!({ "sessions_ended": 1 })),
        )
        .await
    }

    /// Ends every session of the person; returns how many there were.
    pub async fn end_all_sessions(&self, actor: Option<UserId>, user: UserId) -> StoreResult<u64> {
        let mut tx = self.begin_audited(actor).await?;
        let n = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(tx.conn())
            .await?
            .rows_affected();
        tx.commit(
            Change::new(Action::Revoke, Entity::User(user))
                .after(serde_json::json!({ "sessions_ended": n })),
        )
        .await?;
        Ok(n)
    }

    /// Creates a personal API token with every scope and the default lifetime (the command
    /// line's and tools' kind) and returns it.
    pub async fn create_token(
        &self,
        actor: Option<UserId>,
        user: UserId,
        name: &str,
    ) -> StoreResult<String> {
        self.create_token_with(actor, user, &TokenRequest::full(name))
            .await
    }

    /// Creates a personal API token and returns it; it is shown once and stored only hashed.
    pub async fn create_token_with(
        &self,
        actor: Option<UserId>,
        user: UserId,
        req: &TokenRequest,
    ) -> StoreResult<String> {
        let name = req
            .check()
            .map_err(|r| StoreError::Invalid(r.to_string()))?;
        let raw = format!("serva_{}", secrets::random_token());
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let expires_at = serva_domain::token::expires_at(now, req.days)
            .map_err(|r| StoreError::Invalid(r.to_string()))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, token_hash, name, scopes, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user.0)
        .bind(secrets::sha256_hex(&raw))
        .bind(name)
        .bind(req.scopes.to_string())
        .bind(now)
        .bind(expires_at)
        .fetch_one(tx.conn())
        .await?;
        tx.commit(
            Change::new(Action::Create, Entity::ApiToken(id)).after(serde_json::json!({
                "user_id": user.0, "name": name, "scopes": req.scopes, "expires_at": expires_at,
            })),
        )
        .await?;
        Ok(raw)
    }

    /// What a presented token is. A live token's last use is written when the stored one is
    /// a minute old or more.
    pub async fn token_lookup(&self, raw: &str) -> StoreResult<TokenLookup> {
        let cols = crate::users::USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query_as::<_, TokenUserRow>(&format!(
            "SELECT t.id AS token_id, t.scopes, t.expires_at, t.last_used_at, {cols} \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        ))
        .bind(secrets::sha256_hex(raw))
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row.filter(|r| r.user.user.active) else {
            return Ok(TokenLookup::Unknown);
        };
        let now = serva_domain::time::now_ms();
        if row.expires_at <= now {
            return Ok(TokenLookup::Expired);
        }
        if last_use_is_stale(row.last_used_at, now) {
            // Conditional, so that requests racing each other write once.
            sqlx::query(
                "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 \
                 AND (last_used_at IS NULL OR last_used_at <= $3)",
            )
            .bind(now)
            .bind(row.token_id)
            .bind(now - serva_domain::token::LAST_USED_RESOLUTION_MS)
            .execute(&self.write)
            .await?;
        }
        Ok(TokenLookup::Live {
            user: row.user.user,
            token_id: row.token_id,
            scopes: row.scopes,
        })
    }

    /// The person's tokens, newest first.
    pub async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        Ok(sqlx::query_as::<_, TokenRow>(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"
        ))
        .bind(user.0)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    /// Tokens with their owners, by owner and newest first: every token of `user`, or, without
    /// one, everyone's tokens that still work.
    pub async fn owned_tokens(&self, user: Option<UserId>) -> StoreResult<Vec<OwnedToken>> {
        let cols = TOKEN_COLUMNS
            .split(", ")
            .map(|c| format!("t.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let select = format!(
            "SELECT {cols}, t.user_id, u.username, u.display_name \
             FROM api_tokens t JOIN users u ON u.id = t.user_id"
        );
        let rows = match user {
            Some(u) => {
                sqlx::query_as::<_, OwnedTokenRow>(&format!(
                    "{select} WHERE t.user_id = $1 ORDER BY t.id DESC"
                ))
                .bind(u.0)
                .fetch_all(&self.read)
                .await?
            }
            None => {
                sqlx::query_as::<_, OwnedTokenRow>(&format!(
                    "{select} WHERE t.revoked_at IS NULL AND t.expires_at > $1 \
                     ORDER BY u.username, t.id DESC"
                ))
                .bind(serva_domain::time::now_ms())
                .fetch_all(&self.read)
                .await?
            }
        };
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Revokes one of `user`'s tokens.
    pub async fn revoke_token(
        &self,
        actor: Option<UserId>,
        user: UserId,
        token_id: i64,
    ) -> StoreResult<()> {
        self.revoke(actor, Some(user), token_id).await
    }

    /// Revokes anyone's token: administrators and the command line.
    pub async fn revoke_any_token(&self, actor: Option<UserId>, token_id: i64) -> StoreResult<()> {
        self.revoke(actor, None, token_id).await
    }

    async fn revoke(
        &self,
        actor: Option<UserId>,
        owner: Option<UserId>,
        token_id: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_audited(actor).await?;
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT user_id, name FROM api_tokens WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(token_id)
        .fetch_optional(tx.conn())
        .await?;
        let Some((user_id, name)) = found.filter(|(u, _)| owner.is_none_or(|o| o.0 == *u)) else {
            return Err(StoreError::NotFound("token"));
        };
        let n = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(tx.now)
        .bind(token_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("token"));
        }
        tx.commit(
            Change::new(Action::Revoke, Entity::ApiToken(token_id))
                .before(serde_json::json!({ "user_id": user_id, "name": name })),
        )
        .await
    }
}
