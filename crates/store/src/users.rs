//! People, their roles, and the principal the access rules work with.

use serva_domain::access::Principal;
use serva_domain::role::{Grant, RoleKind, TargetGroup};
use serva_domain::user::User;
use serva_domain::{UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::rows::{parsed, parsed_opt, UserRow};
use crate::{secrets, Db, StoreError, StoreResult};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// The argon2id hash; see [`secrets::hash_password`].
    pub password_hash: Option<String>,
    pub locale: Option<String>,
    pub home_unit: Option<UnitId>,
}

pub(crate) const USER_COLUMNS: &str =
    "id, username, display_name, email, password_hash, locale, home_unit_id, active";

/// A username: 2–64 characters a–z, 0–9, '.', '-', '_'.
pub fn check_username(s: &str) -> Result<(), StoreError> {
    serva_domain::user::check_username(s).map_err(StoreError::Invalid)
}

/// A grant as stored; an unknown role or target group is an error.
pub(crate) struct GrantRow(pub(crate) Grant);

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for GrantRow {
    fn from_row(r: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(GrantRow(Grant {
            role: parsed(r, "role", "role", RoleKind::parse)?,
            unit: r.try_get::<Option<i64>, _>("unit_id")?.map(UnitId),
            target_group: parsed_opt(r, "target_group", "target group", TargetGroup::parse)?,
        }))
    }
}

impl Db {
    pub async fn create_user(
        &self,
        actor: Option<UserId>,
        u: &NewUser,
        grants: &[Grant],
    ) -> StoreResult<User> {
        check_username(&u.username)?;
        if u.display_name.trim().is_empty() {
            return Err(StoreError::Invalid("a user needs a display name".into()));
        }
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, email, password_hash, locale, home_unit_id, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
        )
        .bind(&u.username)
        .bind(u.display_name.trim())
        .bind(u.email.clone())
        .bind(u.password_hash.clone())
        .bind(u.locale.clone())
        .bind(u.home_unit.map(|h| h.0))
        .bind(now)
        .fetch_one(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, &format!("user {}", u.username)))?;
        insert_grants(tx.tx(), id, grants, "local").await?;
        let after = serde_json::json!({
            "username": u.username, "display_name": u.display_name, "email": u.email,
            "home_unit_id": u.home_unit, "grants": grants,
        });
        tx.commit(Change::new(Action::Create, Entity::User(UserId(id))).after(after))
            .await?;
        self.principals.invalidate();
        self.user(UserId(id)).await
    }

    pub async fn user(&self, id: UserId) -> StoreResult<User> {
        sqlx::query_as::<_, UserRow>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.user)
            .ok_or(StoreError::NotFound("user"))
    }

    pub async fn user_by_username(&self, username: &str) -> StoreResult<User> {
        sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.read)
        .await?
        .map(|r| r.user)
        .ok_or(StoreError::NotFound("user"))
    }

    pub async fn users(&self) -> StoreResult<Vec<User>> {
        Ok(sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        ))
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.user)
        .collect())
    }

    /// Agents of a unit (and of units above it), for the assignment list.
    pub async fn agents_of(&self, unit: UnitId) -> StoreResult<Vec<User>> {
        let nodes = self.unit_nodes().await?;
        let mut ancestors = vec![unit.0];
        let mut cur = unit;
        while let Some(p) = nodes.iter().find(|n| n.id == cur).and_then(|n| n.parent) {
            if ancestors.contains(&p.0) {
                break;
            }
            ancestors.push(p.0);
            cur = p;
        }
        // The ids are integers from the tree, not input: inlining them is safe.
        let ids = ancestors
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let cols = USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {cols} FROM users u WHERE u.active = 1 AND u.id IN \
             (SELECT g.user_id FROM grants g WHERE g.role IN ('agent', 'unit_manager') AND g.unit_id IN ({ids})) \
             ORDER BY u.display_name"
        ))
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.user)
        .collect())
    }

    pub async fn grants_of(&self, user: UserId) -> StoreResult<Vec<Grant>> {
        Ok(sqlx::query_as::<_, GrantRow>(
            "SELECT role, unit_id, target_group FROM grants WHERE user_id = $1 ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    pub async fn set_grants(
        &self,
        actor: Option<UserId>,
        user: UserId,
        grants: &[Grant],
    ) -> StoreResult<()> {
        let before = self.grants_of(user).await?;
        // A grant the identity provider gave stays the provider's (the next single sign-on
        // replaces it); every other grant is local.
        let mut from_provider = self.provider_grants_of(user).await?;
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query("DELETE FROM grants WHERE user_id = $1")
            .bind(user.0)
            .execute(tx.conn())
            .await?;
        for g in grants {
            let source = match from_provider.iter().position(|p| p == g) {
                Some(i) => {
                    from_provider.remove(i);
                    "sso"
                }
                None => "local",
            };
            insert_grants(tx.tx(), user.0, std::slice::from_ref(g), source).await?;
        }
        tx.commit(
            Change::new(Action::SetGrants, Entity::User(user))
                .before(&before)
                .after(grants),
        )
        .await?;
        self.principals.invalidate();
        Ok(())
    }

    /// Changes a person's details. Deactivating ends their sessions and revokes their tokens.
    pub async fn update_user(
        &self,
        actor: Option<UserId>,
        user: UserId,
        display_name: &str,
        email: Option<&str>,
        home_unit: Option<UnitId>,
        active: bool,
    ) -> StoreResult<User> {
        if display_name.trim().is_empty() {
            return Err(StoreError::Invalid("a user needs a display name".into()));
        }
        let before = self.user(user).await?;
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query("UPDATE users SET display_name = $1, email = $2, home_unit_id = $3, active = $4 WHERE id = $5")
            .bind(display_name.trim())
            .bind(email)
            .bind(home_unit.map(|u| u.0))
            .bind(i64::from(active))
            .bind(user.0)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "user"))?;
        // Deactivating ends the person's sessions and revokes their tokens for good: a
        // reactivated account starts without any.
        let ended = if active {
            None
        } else {
            let now = tx.now;
            Some(crate::sessions::end_access(tx.conn(), user, now).await?)
        };
        let after = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id = $1"
        ))
        .bind(user.0)
        .fetch_one(tx.conn())
        .await?
        .user;
        if let Some((sessions, tokens)) = ended {
            tx.record(
                &Change::new(Action::Revoke, Entity::User(user)).after(serde_json::json!({
                    "sessions_ended": sessions, "tokens_revoked": tokens,
                })),
            )
            .await?;
        }
        tx.commit(
            Change::new(Action::Update, Entity::User(user))
                .before(&before)
                .after(&after),
        )
        .await?;
        self.principals.invalidate();
        Ok(after)
    }

    pub async fn set_password(
        &self,
        actor: Option<UserId>,
        user: UserId,
        password: &str,
    ) -> StoreResult<()> {
        if password.chars().count() < 4 {
            return Err(StoreError::Invalid("the password is too short".into()));
        }
        let password = password.to_string();
        let hash = secrets::hash_password_bounded(password).await;
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.0)
            .execute(tx.conn())
            .await?;
        // A new password ends every session of the account and revokes every token: whoever
        // knew the old password may have made one.
        let now = tx.now;
        let (sessions, tokens) = crate::sessions::end_access(tx.conn(), user, now).await?;
        tx.commit(
            Change::new(Action::SetPassword, Entity::User(user)).after(serde_json::json!({
                "sessions_ended": sessions, "tokens_revoked": tokens,
            })),
        )
        .await
    }

    pub async fn set_locale(
        &self,
        actor: Option<UserId>,
        user: UserId,
        locale: Option<&str>,
    ) -> StoreResult<()> {
        if locale.is_some_and(|l| l != "sv" && l != "en") {
            return Err(StoreError::Invalid("language must be sv or en".into()));
        }
        let before = self.user(user).await?.locale;
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
            .bind(locale)
            .bind(user.0)
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::SetLocale, Entity::User(user))
                .before(serde_json::json!({ "locale": before }))
                .after(serde_json::json!({ "locale": locale })),
        )
        .await
    }

    /// The person as the access rules see them, unit grants expanded to subtrees.
    /// The person's grants with their units expanded (cached; see `principals`).
    pub async fn principal(&self, user: &User) -> StoreResult<Principal> {
        let key = (user.id.0, user.home_unit_id.map(|u| u.0));
        if let Some(p) = self.principals.get(key) {
            return Ok(p);
        }
        let generation = self.principals.generation();
        let grants = self.grants_of(user.id).await?;
        let nodes = self.unit_nodes().await?;
        let p = Principal::from_grants(user.id, user.home_unit_id, &grants, |u| {
            serva_domain::org::subtree(&nodes, u)
        });
        self.principals.put(key, generation, p.clone());
        Ok(p)
    }

    /// Checks a password; the same work is done whether or not the user exists.
    pub async fn authenticate(&self, username: &str, password: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.read)
        .await?;
        let hash = row.as_ref().and_then(|r| r.password_hash.clone());
        let has_password = hash.is_some();
        let password = password.to_string();
        let ok = secrets::verify_password_bounded(password, hash).await;
        Ok(row
            .map(|r| r.user)
            .filter(|u| ok && u.active && has_password))
    }
}

/// Inserts grants given in Serva (`source` "local") or by the identity provider ("sso").
pub(crate) async fn insert_grants(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    grants: &[Grant],
    source: &str,
) -> StoreResult<()> {
    for g in grants {
        let g = Grant::new(g.role, g.unit, g.target_group)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        sqlx::query(
            "INSERT INTO grants (user_id, role, unit_id, target_group, source) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user)
        .bind(g.role.as_str())
        .bind(g.unit.map(|u| u.0))
        .bind(g.target_group.map(|t| t.as_str()))
        .bind(source)
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::on_unique(e, "grant"))?;
    }
    Ok(())
}
