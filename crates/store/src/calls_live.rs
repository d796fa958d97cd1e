//! Call records posted live by the telephony platform (`POST /api/v1/calls`): idempotent on
//! the platform's call id, so a retried post never counts a call twice. The `calls` import
//! (`store::import`) writes the same table from a file.

use serde::Serialize;
use serva_domain::{UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

/// A checked call, its unit resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCall {
    pub unit: UnitId,
    pub call_ref: String,
    pub offered_at: i64,
    pub wait_seconds: i64,
    pub answered: bool,
}

/// A stored call record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCall {
    pub id: i64,
    pub unit: UnitId,
    pub call_ref: String,
    pub offered_at: i64,
    pub wait_seconds: i64,
    pub answered: bool,
}

impl StoredCall {
    fn same_as(&self, c: &NewCall) -> bool {
        self.unit == c.unit
            && self.offered_at == c.offered_at
            && self.wait_seconds == c.wait_seconds
            && self.answered == c.answered
    }
}

/// What became of one posted call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallWritten {
    /// New: stored now.
    Created(StoredCall),
    /// Its call id was stored already with the same fields: nothing written.
    Existing(StoredCall),
}

type CallRow = (i64, i64, String, i64, i64, i64);

fn stored((id, unit, call_ref, offered_at, wait_seconds, answered): CallRow) -> StoredCall {
    StoredCall {
        id,
        unit: UnitId(unit),
        call_ref,
        offered_at,
        wait_seconds,
        answered: answered != 0,
    }
}

const SELECT_BY_REF: &str = "SELECT id, unit_id, call_ref, offered_at, wait_seconds, answered \
     FROM calls WHERE call_ref = $1 ORDER BY id LIMIT 1";

impl Db {
    /// Stores `calls` in one transaction, each unless its call id is stored already. A call
    /// id stored with other fields (another unit, time, wait or outcome) refuses the whole
    /// post as a conflict naming its position: the platform should not say two things about
    /// one call, and what was accepted before stays as it was.
    pub async fn record_calls(
        &self,
        actor: Option<UserId>,
        calls: &[NewCall],
    ) -> StoreResult<Vec<CallWritten>> {
        let mut tx = self.begin_audited(actor).await?;
        let mut out = Vec::with_capacity(calls.len());
        for (i, c) in calls.iter().enumerate() {
            let existing: Option<CallRow> = sqlx::query_as(SELECT_BY_REF)
                .bind(&c.call_ref)
                .fetch_optional(tx.conn())
                .await?;
            if let Some(row) = existing {
                let s = stored(row);
                if !s.same_as(c) {
                    return Err(StoreError::Conflict(format!(
                        "call {i} (call_id {:?}) is stored already with other fields; \
                         nothing of this post was stored",
                        c.call_ref
                    )));
                }
                out.push(CallWritten::Existing(s));
                continue;
            }
            // ON CONFLICT: a post of the same call racing this one on another connection.
            sqlx::query(
                "INSERT INTO calls (unit_id, call_ref, offered_at, wait_seconds, answered) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id, call_ref) DO NOTHING",
            )
            .bind(c.unit.0)
            .bind(&c.call_ref)
            .bind(c.offered_at)
            .bind(c.wait_seconds)
            .bind(i64::from(c.answered))
            .execute(tx.conn())
            .await?;
            let row: CallRow = sqlx::query_as(SELECT_BY_REF)
                .bind(&c.call_ref)
                .fetch_one(tx.conn())
                .await?;
            out.push(CallWritten::Created(stored(row)));
        }
        let created = out
            .iter()
            .filter(|w| matches!(w, CallWritten::Created(_)))
            .count();
        tx.commit(
            Change::new(Action::Import, Entity::Import("calls".into()))
                .after(serde_json::json!({ "posted": calls.len(), "created": created })),
        )
        .await?;
        Ok(out)
    }
}
