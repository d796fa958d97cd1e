//! Browser sessions and personal API tokens. Both live in the database so every app node
//! behind the load balancer knows them.

use serva_domain::user::{ApiToken, User};
use serva_domain::UserId;

use crate::audit::{Action, Change, Entity};
use crate::rows::{TokenRow, UserRow};
use crate::{secrets, Db, StoreError, StoreResult};

/// A session lasts eight hours: a working day.
pub const SESSION_MS: i64 = 8 * 3600 * 1000;

/// A new session: the raw id goes in the cookie, only its hash is stored.
pub struct NewSession {
    pub raw_id: String,
    pub csrf_token: String,
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
        sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(secrets::sha256_hex(&raw_id))
            .bind(user.0)
            .bind(&csrf_token)
            .bind(now)
            .bind(now + SESSION_MS)
            .execute(tx.conn())
            .await?;
        tx.commit(Change::new(Action::Login, Entity::User(user)))
            .await?;
        Ok(NewSession { raw_id, csrf_token })
    }

    /// The user and CSRF token of a live session.
    pub async fn session(&self, raw_id: &str) -> StoreResult<Option<(User, String)>> {
        let now = serva_domain::time::now_ms();
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT user_id, csrf_token FROM sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(secrets::sha256_hex(raw_id))
        .bind(now)
        .fetch_optional(&self.read)
        .await?;
        let Some((uid, csrf)) = row else {
            return Ok(None);
        };
        let user = self.user(UserId(uid)).await?;
        Ok(user.active.then_some((user, csrf)))
    }

    pub async fn delete_session(&self, raw_id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(secrets::sha256_hex(raw_id))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Creates a personal API token and returns it; it is shown once and stored only hashed.
    pub async fn create_token(
        &self,
        actor: Option<UserId>,
        user: UserId,
        name: &str,
    ) -> StoreResult<String> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::Invalid(
                "a token needs a name of at most 100 characters".into(),
            ));
        }
        let raw = format!("serva_{}", secrets::random_token());
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, token_hash, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.0)
        .bind(secrets::sha256_hex(&raw))
        .bind(name)
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        tx.commit(
            Change::new(Action::Create, Entity::ApiToken(id))
                .after(serde_json::json!({"user_id": user.0, "name": name})),
        )
        .await?;
        Ok(raw)
    }

    /// The owner of a live token.
    pub async fn token_user(&self, raw: &str) -> StoreResult<Option<User>> {
        let user = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {} FROM users WHERE id = (SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL)",
            crate::users::USER_COLUMNS
        ))
        .bind(secrets::sha256_hex(raw))
        .fetch_optional(&self.read)
        .await?;
        Ok(user.map(|r| r.user).filter(|u| u.active))
    }

    pub async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        Ok(sqlx::query_as::<_, TokenRow>(
            "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(user.0)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    pub async fn revoke_token(
        &self,
        actor: Option<UserId>,
        user: UserId,
        token_id: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_audited(actor).await?;
        let n = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(tx.now)
            .bind(token_id)
            .bind(user.0)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("token"));
        }
        tx.commit(Change::new(Action::Revoke, Entity::ApiToken(token_id)))
            .await
    }
}
