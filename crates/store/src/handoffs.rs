//! Hand-offs: a case moved to another provider unit's queue (or back), each move a row of
//! `case_handoffs` written in the same audited transaction as the case itself.

use serva_domain::case::CaseStatus;
use serva_domain::handoff::{Handoff, HandoffPair};
use serva_domain::{CaseId, ServiceId, UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

const HANDOFF_SQL: &str = "SELECT h.id, h.case_id, h.from_unit_id, fu.code, fu.name, h.to_unit_id, tu.code, tu.name, \
            h.from_service_id, fs.code, h.to_service_id, ts.code, ts.name, h.note, h.by_user_id, u.display_name, \
            h.at, h.hand_back \
     FROM case_handoffs h \
     JOIN units fu ON fu.id = h.from_unit_id JOIN units tu ON tu.id = h.to_unit_id \
     JOIN services fs ON fs.id = h.from_service_id JOIN services ts ON ts.id = h.to_service_id \
     LEFT JOIN users u ON u.id = h.by_user_id";

/// A row of `HANDOFF_SQL`, read column by column (more columns than sqlx maps as a tuple).
fn handoff(r: &sqlx::any::AnyRow) -> StoreResult<Handoff> {
    use sqlx::Row;
    let hand_back = match r.try_get::<i64, _>(17)? {
        0 => false,
        1 => true,
        other => {
            return Err(StoreError::Corrupt(format!(
                "case_handoffs.hand_back is {other}, not 0 or 1"
            )))
        }
    };
    Ok(Handoff {
        id: r.try_get(0)?,
        case: CaseId(r.try_get(1)?),
        from_unit: UnitId(r.try_get(2)?),
        from_unit_code: r.try_get(3)?,
        from_unit_name: r.try_get(4)?,
        to_unit: UnitId(r.try_get(5)?),
        to_unit_code: r.try_get(6)?,
        to_unit_name: r.try_get(7)?,
        from_service: ServiceId(r.try_get(8)?),
        from_service_code: r.try_get(9)?,
        to_service: ServiceId(r.try_get(10)?),
        to_service_code: r.try_get(11)?,
        to_service_name: r.try_get(12)?,
        note: r.try_get(13)?,
        by: r.try_get::<Option<i64>, _>(14)?.map(UserId),
        by_name: r.try_get(15)?,
        at: r.try_get(16)?,
        hand_back,
    })
}

/// A move of a case, checked by the application layer.
#[derive(Debug, Clone)]
pub struct NewHandoff {
    pub case: CaseId,
    /// Where the case is now, as the caller saw it: a move by someone else first is a conflict.
    pub from_unit: UnitId,
    pub from_service: ServiceId,
    pub to_unit: UnitId,
    pub to_service: ServiceId,
    pub note: String,
    pub hand_back: bool,
}

impl Db {
    /// Moves a case to another unit's queue and service, unassigned, keeping its number and
    /// status. The first move records the unit that first took the case (`origin_unit_id`),
    /// where the report keeps counting it.
    pub async fn hand_off(&self, actor: Option<UserId>, h: &NewHandoff) -> StoreResult<Handoff> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let n = sqlx::query(
            "UPDATE cases SET origin_unit_id = COALESCE(origin_unit_id, unit_id), unit_id = $1, service_id = $2, \
             assignee_id = NULL, updated_at = $3 \
             WHERE id = $4 AND unit_id = $5 AND service_id = $6 AND status NOT IN ($7, $8)",
        )
        .bind(h.to_unit.0)
        .bind(h.to_service.0)
        .bind(now)
        .bind(h.case.0)
        .bind(h.from_unit.0)
        .bind(h.from_service.0)
        .bind(CaseStatus::Resolved.as_str())
        .bind(CaseStatus::Closed.as_str())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(
                "the case was moved, resolved or closed by someone else meanwhile; reload it"
                    .into(),
            ));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO case_handoffs (case_id, from_unit_id, to_unit_id, from_service_id, to_service_id, note, by_user_id, at, hand_back) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(h.case.0)
        .bind(h.from_unit.0)
        .bind(h.to_unit.0)
        .bind(h.from_service.0)
        .bind(h.to_service.0)
        .bind(&h.note)
        .bind(actor.map(|a| a.0))
        .bind(now)
        .bind(i64::from(h.hand_back))
        .fetch_one(tx.conn())
        .await?;
        // Its clocks are worked out again with the receiving unit's calendar and the new
        // service's targets.
        crate::sla::refresh(tx.tx(), self.backend(), h.case, now).await?;
        tx.commit(
            Change::new(Action::Update, Entity::Case(h.case))
                .before(serde_json::json!({ "unit_id": h.from_unit, "service_id": h.from_service }))
                .after(serde_json::json!({
                    "unit_id": h.to_unit, "service_id": h.to_service,
                    "handoff": id, "hand_back": h.hand_back,
                })),
        )
        .await?;
        let row = sqlx::query(&format!("{HANDOFF_SQL} WHERE h.id = $1"))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        handoff(&row)
    }

    /// A case's hand-offs, oldest first.
    pub async fn case_handoffs(&self, case: CaseId) -> StoreResult<Vec<Handoff>> {
        let rows = sqlx::query(&format!(
            "{HANDOFF_SQL} WHERE h.case_id = $1 ORDER BY h.at, h.id"
        ))
        .bind(case.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(handoff).collect()
    }

    /// Hand-offs from `start` to `end` (ms, UTC) per pair of units, where either unit is
    /// among `units`: the follow-up's table, most hand-offs first.
    pub async fn handoff_pairs(
        &self,
        units: &[UnitId],
        start: i64,
        end: i64,
    ) -> StoreResult<Vec<HandoffPair>> {
        let rows: Vec<(i64, String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT h.from_unit_id, fu.name, h.to_unit_id, tu.name, COUNT(*), \
                    CAST(COALESCE(SUM(h.hand_back), 0) AS BIGINT) \
             FROM case_handoffs h JOIN units fu ON fu.id = h.from_unit_id JOIN units tu ON tu.id = h.to_unit_id \
             WHERE h.at >= $1 AND h.at < $2 \
             GROUP BY h.from_unit_id, fu.name, h.to_unit_id, tu.name \
             ORDER BY COUNT(*) DESC, fu.name, tu.name",
        )
        .bind(start)
        .bind(end)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|r| units.contains(&UnitId(r.0)) || units.contains(&UnitId(r.2)))
            .map(|r| HandoffPair {
                from_unit: UnitId(r.0),
                from_unit_name: r.1,
                to_unit: UnitId(r.2),
                to_unit_name: r.3,
                handoffs: r.4,
                hand_backs: r.5,
            })
            .collect())
    }
}
