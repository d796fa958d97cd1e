//! Changes of many cases of one queue in one audited transaction: a new assignee, a new
//! status, or both. Each case gets its history entry and audit row as a single change does.

use serva_domain::case::{CaseEventKind, CaseStatus};
use serva_domain::queue_work::BulkTarget;
use serva_domain::{CaseId, UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::case_changes::{event, write_status};
use crate::{Db, StoreError, StoreResult};

/// What to change on every case chosen; `None` leaves it as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkEdit {
    pub assignee: Option<UserId>,
    pub status: Option<CaseStatus>,
}

/// What a bulk change did: the cases that got the new assignee (with who had them before) and
/// those that got the new status (with the status they had).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkEdited {
    pub assigned: Vec<(CaseId, Option<UserId>)>,
    pub status: Vec<(CaseId, CaseStatus)>,
}

/// A case's row as read for a bulk change: id, unit, assignee, status, resolved.
type FoundRow = (i64, i64, Option<i64>, String, Option<i64>);

/// A case as read for a bulk change.
struct Found {
    id: i64,
    unit: i64,
    assignee: Option<i64>,
    status: CaseStatus,
    resolved_at: Option<i64>,
}

fn id_list(ids: &[CaseId]) -> String {
    ids.iter()
        .map(|c| c.0.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn status_of(s: &str) -> StoreResult<CaseStatus> {
    CaseStatus::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown case status {s:?}")))
}

impl Db {
    /// The queue and status of each case of `ids` that exists, for checking a bulk change.
    pub async fn bulk_targets(&self, ids: &[CaseId]) -> StoreResult<Vec<BulkTarget>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
                "SELECT id, unit_id, status FROM cases WHERE id IN ({})",
                id_list(chunk)
            ))
            .fetch_all(&self.read)
            .await?;
            for (id, unit, status) in rows {
                out.push(BulkTarget {
                    id: CaseId(id),
                    unit: UnitId(unit),
                    status: status_of(&status)?,
                });
            }
        }
        Ok(out)
    }

    /// Changes every case of `ids` as `edit` says, in one transaction: all of them must be in
    /// `unit`'s queue when the change is made (a hand-off meanwhile refuses the whole change)
    /// and allowed the new status; a case that has the assignee or status already keeps it.
    pub async fn change_many(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        ids: &[CaseId],
        edit: BulkEdit,
    ) -> StoreResult<BulkEdited> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let left = |id: i64| {
            StoreError::Conflict(format!(
                "case {id} has left the queue meanwhile; nothing was changed"
            ))
        };
        let mut found: Vec<Found> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<FoundRow> = sqlx::query_as(&format!(
                "SELECT id, unit_id, assignee_id, status, resolved_at FROM cases WHERE id IN ({})",
                id_list(chunk)
            ))
            .fetch_all(tx.conn())
            .await?;
            for (id, unit, assignee, status, resolved_at) in rows {
                found.push(Found {
                    id,
                    unit,
                    assignee,
                    status: status_of(&status)?,
                    resolved_at,
                });
            }
        }
        let mut moving: Vec<(CaseId, Option<UserId>)> = Vec::new();
        let mut statuses: Vec<(CaseId, CaseStatus, Option<i64>)> = Vec::new();
        for &id in ids {
            let f = match found.iter().find(|f| f.id == id.0) {
                None => return Err(StoreError::NotFound("case")),
                Some(f) if f.unit != unit.0 => return Err(left(id.0)),
                Some(f) => f,
            };
            if let Some(to) = edit.assignee {
                if f.assignee != Some(to.0) {
                    moving.push((id, f.assignee.map(UserId)));
                }
            }
            if let Some(to) = edit.status {
                if f.status != to {
                    f.status.transition(to).map_err(|e| {
                        StoreError::Invalid(format!("case {}: {e}; nothing was changed", id.0))
                    })?;
                    statuses.push((id, f.status, f.resolved_at));
                }
            }
        }
        if let Some(to) = edit.assignee {
            for chunk in moving.chunks(500) {
                let list = chunk
                    .iter()
                    .map(|(c, _)| c.0.to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                // The unit once more in the change itself: a hand-off committed between the
                // read and the write leaves fewer rows to change, and then nothing is changed.
                let n = sqlx::query(&format!(
                    "UPDATE cases SET assignee_id = $1, updated_at = $2 WHERE id IN ({list}) AND unit_id = $3"
                ))
                .bind(to.0)
                .bind(now)
                .bind(unit.0)
                .execute(tx.conn())
                .await?
                .rows_affected();
                if n != chunk.len() as u64 {
                    return Err(left(chunk[0].0 .0));
                }
            }
            let to_s = to.0.to_string();
            for (id, before) in &moving {
                let from_s = before.map(|a| a.0.to_string());
                event(
                    tx.tx(),
                    id.0,
                    now,
                    actor,
                    CaseEventKind::Assigned,
                    from_s.as_deref(),
                    Some(&to_s),
                )
                .await?;
                tx.record(
                    &Change::new(Action::Assign, Entity::Case(*id))
                        .before(serde_json::json!({ "assignee_id": before }))
                        .after(serde_json::json!({ "assignee_id": Some(to) })),
                )
                .await?;
            }
        }
        let mut mailed = false;
        if let Some(to) = edit.status {
            for &(id, from, resolved_at) in &statuses {
                mailed |= write_status(&mut tx, self, id, from, resolved_at, to).await?;
                tx.record(
                    &Change::new(Action::SetStatus, Entity::Case(id))
                        .before(serde_json::json!({ "status": from }))
                        .after(serde_json::json!({ "status": to })),
                )
                .await?;
            }
        }
        // The transaction's own row: who changed how many cases of which unit, and how.
        let mut after = serde_json::Map::new();
        let action = match (edit.assignee, edit.status) {
            (Some(to), _) => {
                after.insert("assignee_id".into(), serde_json::json!(to));
                after.insert(
                    "cases".into(),
                    serde_json::json!(moving.iter().map(|(c, _)| c.0).collect::<Vec<_>>()),
                );
                Action::Assign
            }
            (None, _) => Action::SetStatus,
        };
        if let Some(to) = edit.status {
            after.insert("status".into(), serde_json::json!(to));
            after.insert(
                "status_cases".into(),
                serde_json::json!(statuses.iter().map(|(c, _, _)| c.0).collect::<Vec<_>>()),
            );
        }
        tx.commit(Change::new(action, Entity::Unit(unit)).after(serde_json::Value::Object(after)))
            .await?;
        if mailed {
            self.outbox.ring();
        }
        Ok(BulkEdited {
            assigned: moving,
            status: statuses.into_iter().map(|(c, s, _)| (c, s)).collect(),
        })
    }
}
