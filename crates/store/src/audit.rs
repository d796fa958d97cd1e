//! The audit log: who changed what, when, and how it looked before and after.

use serde::Serialize;
use serva_domain::UserId;
use sqlx::{Any, Transaction};

use crate::{Db, StoreResult};

/// One row of the audit log.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

#[allow(clippy::too_many_arguments)]
/// Records a change inside the transaction that makes it, so the log and the data never disagree.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    at: i64,
    actor: Option<UserId>,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(at)
    .bind(actor.map(|a| a.0))
    .bind(action)
    .bind(entity)
    .bind(entity_id.to_string())
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Filters for reading the log; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

impl Db {
    /// Newest first, keyset-paginated by id.
    pub async fn audit_entries(&self, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query_as::<_, AuditEntry>(
            "SELECT a.id, a.at, a.actor_id, u.username AS actor_name, a.action, a.entity, a.entity_id, \
                    a.before_json, a.after_json \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
             WHERE ($1 IS NULL OR a.entity = $1) AND ($2 IS NULL OR a.entity_id = $2) \
               AND ($3 IS NULL OR a.id < $3) \
             ORDER BY a.id DESC LIMIT $4",
        )
        .bind(f.entity.clone())
        .bind(f.entity_id.clone())
        .bind(f.before_id)
        .bind(f.limit.clamp(1, 500))
        .fetch_all(&self.read)
        .await?;
        Ok(rows)
    }
}
