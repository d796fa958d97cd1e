//! Single sign-on in the store: people linked to an identity provider by (issuer, subject),
//! sign-ins under way (state, nonce and PKCE verifier, kept server-side and taken once), and
//! the grants the provider's groups gave at the last sign-in (`grants.source = 'sso'`).

use serva_domain::role::Grant;
use serva_domain::user::User;
use serva_domain::UserId;

use crate::audit::{Action, Change, Entity};
use crate::rows::UserRow;
use crate::users::{check_username, insert_grants, GrantRow, NewUser, USER_COLUMNS};
use crate::{Db, StoreError, StoreResult};

/// A sign-in under way, as kept between the redirect to the provider and the way back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where the person goes once signed in (a path on this site).
    pub next: String,
    pub expires_at: i64,
}

/// Who the provider says a person is, as Serva keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderIdentity {
    pub issuer: String,
    pub subject: String,
}

/// How many numbered usernames (`eva`, `eva-2` … `eva-50`) a first sign-in tries.
const USERNAME_TRIES: u32 = 50;

impl Db {
    /// Keeps a sign-in under way under the SHA-256 of its state. Expired ones are swept here.
    /// Not audited: nobody is signed in yet, and the row lives for minutes (like a session's end).
    pub async fn put_pending_sign_in(
        &self,
        state_hash: &str,
        p: &PendingSignIn,
    ) -> StoreResult<()> {
        let now = serva_domain::time::now_ms();
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM sso_logins WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sso_logins (state_hash, nonce, pkce_verifier, next_path, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(state_hash)
        .bind(&p.nonce)
        .bind(&p.pkce_verifier)
        .bind(&p.next)
        .bind(now)
        .bind(p.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, "sign-in state"))?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the sign-in kept under `state_hash`: it is deleted in the same statement, so a
    /// state works once even when two requests bring it at the same moment. An expired one is
    /// taken too, and answered as `None`.
    pub async fn take_pending_sign_in(
        &self,
        state_hash: &str,
    ) -> StoreResult<Option<PendingSignIn>> {
        let row: Option<(String, String, String, i64)> = sqlx::query_as(
            "DELETE FROM sso_logins WHERE state_hash = $1 \
             RETURNING nonce, pkce_verifier, next_path, expires_at",
        )
        .bind(state_hash)
        .fetch_optional(&self.write)
        .await?;
        let now = serva_domain::time::now_ms();
        Ok(row
            .map(|(nonce, pkce_verifier, next, expires_at)| PendingSignIn {
                nonce,
                pkce_verifier,
                next,
                expires_at,
            })
            .filter(|p| p.expires_at > now))
    }

    /// The person linked to this provider identity, if anyone is.
    pub async fn user_by_identity(&self, id: &ProviderIdentity) -> StoreResult<Option<User>> {
        let cols = prefixed(USER_COLUMNS);
        Ok(sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {cols} FROM users u JOIN sso_identities i ON i.user_id = u.id \
             WHERE i.issuer = $1 AND i.subject = $2"
        ))
        .bind(&id.issuer)
        .bind(&id.subject)
        .fetch_optional(&self.read)
        .await?
        .map(|r| r.user))
    }

    /// Whether the person signs in through an identity provider (then never by password).
    pub async fn has_provider_identity(&self, user: UserId) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sso_identities WHERE user_id = $1")
            .bind(user.0)
            .fetch_one(&self.read)
            .await?;
        Ok(n > 0)
    }

    /// The grants that came from the provider at the person's last sign-in.
    pub async fn provider_grants_of(&self, user: UserId) -> StoreResult<Vec<Grant>> {
        Ok(sqlx::query_as::<_, GrantRow>(
            "SELECT role, unit_id, target_group FROM grants WHERE user_id = $1 AND source = 'sso' ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    /// A person's first sign-in: creates the account without a password, linked to `id`, with
    /// the provider's grants. The username is `u.username`, or the first of `u.username-2`,
    /// `-3` … that is free. One audited transaction; the person is the actor of their own
    /// creation, as nobody else is.
    pub async fn create_provider_user(
        &self,
        id: &ProviderIdentity,
        u: &NewUser,
        grants: &[Grant],
    ) -> StoreResult<User> {
        check_username(&u.username)?;
        if u.display_name.trim().is_empty() {
            return Err(StoreError::Invalid("a user needs a display name".into()));
        }
        if u.password_hash.is_some() {
            return Err(StoreError::Invalid(
                "a person who signs in through the identity provider has no password".into(),
            ));
        }
        let mut tx = self.begin_audited(None).await?;
        let now = tx.now;
        let mut username = None;
        for n in 1..=USERNAME_TRIES {
            let candidate = serva_domain::sso::numbered_username(&u.username, n);
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
                .bind(&candidate)
                .fetch_one(tx.conn())
                .await?;
            if taken == 0 {
                username = Some(candidate);
                break;
            }
        }
        let username = username.ok_or_else(|| {
            StoreError::Conflict(format!(
                "usernames {:?} to {:?} are all taken",
                u.username,
                serva_domain::sso::numbered_username(&u.username, USERNAME_TRIES)
            ))
        })?;
        let uid: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, email, password_hash, locale, home_unit_id, active, created_at) \
             VALUES ($1, $2, $3, NULL, $4, $5, 1, $6) RETURNING id",
        )
        .bind(&username)
        .bind(u.display_name.trim())
        .bind(u.email.clone())
        .bind(u.locale.clone())
        .bind(u.home_unit.map(|h| h.0))
        .bind(now)
        .fetch_one(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, &format!("user {username}")))?;
        sqlx::query(
            "INSERT INTO sso_identities (issuer, subject, user_id, created_at, last_sign_in_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(&id.issuer)
        .bind(&id.subject)
        .bind(uid)
        .bind(now)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "the provider identity"))?;
        insert_grants(tx.tx(), uid, grants, "sso").await?;
        tx.actor = Some(UserId(uid));
        let after = serde_json::json!({
            "username": username, "display_name": u.display_name, "email": u.email,
            "grants": grants, "sso": { "issuer": id.issuer, "subject": id.subject },
        });
        tx.commit(Change::new(Action::Create, Entity::User(UserId(uid))).after(after))
            .await?;
        self.principals.invalidate();
        self.user(UserId(uid)).await
    }

    /// A later sign-in: the provider's name and e-mail for the person replace Serva's, and its
    /// grants replace those it gave last time; grants given in Serva stay. A grant the person
    /// holds locally already is not added again. Audited when anything changed.
    pub async fn provider_signed_in(
        &self,
        id: &ProviderIdentity,
        user: &User,
        display_name: &str,
        email: Option<&str>,
        grants: &[Grant],
    ) -> StoreResult<User> {
        let before_grants = self.provider_grants_of(user.id).await?;
        let local: Vec<Grant> = sqlx::query_as::<_, GrantRow>(
            "SELECT role, unit_id, target_group FROM grants WHERE user_id = $1 AND source = 'local'",
        )
        .bind(user.id.0)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect();
        let mut wanted: Vec<Grant> = Vec::new();
        for g in grants {
            if !local.contains(g) && !wanted.contains(g) {
                wanted.push(g.clone());
            }
        }
        let display_name = match display_name.trim() {
            "" => user.display_name.as_str(),
            name => name,
        };
        let grants_changed = wanted != before_grants;
        let details_changed = display_name != user.display_name || email != user.email.as_deref();
        let touch =
            "UPDATE sso_identities SET last_sign_in_at = $1 WHERE issuer = $2 AND subject = $3";
        if !grants_changed && !details_changed {
            // Only the time of the sign-in changes; the session's own audit row records it.
            sqlx::query(touch)
                .bind(serva_domain::time::now_ms())
                .bind(&id.issuer)
                .bind(&id.subject)
                .execute(&self.write)
                .await?;
            return Ok(user.clone());
        }
        let mut tx = self.begin_audited(Some(user.id)).await?;
        let now = tx.now;
        sqlx::query(touch)
            .bind(now)
            .bind(&id.issuer)
            .bind(&id.subject)
            .execute(tx.conn())
            .await?;
        let details = Change::new(Action::Update, Entity::User(user.id))
            .before(serde_json::json!({"display_name": user.display_name, "email": user.email}))
            .after(serde_json::json!({"display_name": display_name, "email": email}));
        if details_changed {
            sqlx::query("UPDATE users SET display_name = $1, email = $2 WHERE id = $3")
                .bind(display_name)
                .bind(email)
                .bind(user.id.0)
                .execute(tx.conn())
                .await?;
        }
        if grants_changed {
            sqlx::query("DELETE FROM grants WHERE user_id = $1 AND source = 'sso'")
                .bind(user.id.0)
                .execute(tx.conn())
                .await?;
            insert_grants(tx.tx(), user.id.0, &wanted, "sso").await?;
            if details_changed {
                tx.record(&details).await?;
            }
            tx.commit(
                Change::new(Action::SetGrants, Entity::User(user.id))
                    .before(serde_json::json!({"sso_grants": before_grants}))
                    .after(serde_json::json!({"sso_grants": wanted})),
            )
            .await?;
        } else {
            tx.commit(details).await?;
        }
        self.principals.invalidate();
        self.user(user.id).await
    }
}

fn prefixed(cols: &str) -> String {
    cols.split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
