//! Finding people among many: by name, username or e-mail, by unit and by role, a page at a
//! time, with each person's roles read in one more query (not one per person).

use serva_domain::role::{Grant, RoleKind};
use serva_domain::user::User;
use serva_domain::UnitId;

use crate::rows::UserRow;
use crate::users::{GrantRow, USER_COLUMNS};
use crate::{Db, StoreResult};

/// Which people to list. Every part is optional; together they narrow.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    /// Part of the username, name or e-mail.
    pub text: Option<String>,
    /// Belongs to the unit, or holds a role in it.
    pub unit: Option<UnitId>,
    pub role: Option<RoleKind>,
    /// Only active (`Some(true)`) or only deactivated (`Some(false)`) accounts.
    pub active: Option<bool>,
    pub offset: i64,
    pub limit: i64,
}

impl Db {
    /// People matching `f`, by username, with their roles; one more than `f.limit` is read so
    /// the caller knows whether a next page exists.
    pub async fn find_people(&self, f: &PeopleFilter) -> StoreResult<Vec<(User, Vec<Grant>)>> {
        let text = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let exact = text.map(|t| format!("%{}%", serva_domain::search::like_escape(t)));
        let lower =
            text.map(|t| format!("%{}%", serva_domain::search::like_escape(&t.to_lowercase())));
        let users: Vec<User> = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE \
               ($1 IS NULL OR LOWER(u.username || ' ' || u.display_name || ' ' || COALESCE(u.email, '')) LIKE $2 ESCAPE '\\' \
                 OR (u.username || ' ' || u.display_name || ' ' || COALESCE(u.email, '')) LIKE $1 ESCAPE '\\') \
             AND ($3 IS NULL OR u.home_unit_id = $3 \
                 OR EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.unit_id = $3)) \
             AND ($4 IS NULL OR EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role = $4)) \
             AND ($5 IS NULL OR u.active = $5) \
             ORDER BY u.username LIMIT $6 OFFSET $7"
        ))
        .bind(exact)
        .bind(lower)
        .bind(f.unit.map(|u| u.0))
        .bind(f.role.map(|r| r.as_str()))
        .bind(f.active.map(i64::from))
        .bind(f.limit.clamp(1, 500) + 1)
        .bind(f.offset.max(0))
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.user)
        .collect();
        if users.is_empty() {
            return Ok(Vec::new());
        }
        // The ids are integers read from the database, not input: inlining them is safe.
        let ids = users
            .iter()
            .map(|u| u.id.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let rows: Vec<(i64, GrantRow)> = {
            use sqlx::Row;
            sqlx::query(&format!(
                "SELECT user_id, role, unit_id, target_group FROM grants WHERE user_id IN ({ids}) ORDER BY id"
            ))
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                let g = <GrantRow as sqlx::FromRow<_>>::from_row(r)?;
                Ok((r.try_get::<i64, _>("user_id")?, g))
            })
            .collect::<Result<_, sqlx::Error>>()?
        };
        Ok(users
            .into_iter()
            .map(|u| {
                let grants = rows
                    .iter()
                    .filter(|(id, _)| *id == u.id.0)
                    .map(|(_, g)| g.0.clone())
                    .collect();
                (u, grants)
            })
            .collect())
    }
}

impl Db {
    /// Display names of the people with these ids (unknown ids are left out).
    pub async fn user_names(
        &self,
        ids: &[i64],
    ) -> StoreResult<std::collections::HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        // Integers, not text: inlining them is safe.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, display_name FROM users WHERE id IN ({list})"
        ))
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().collect())
    }
}
