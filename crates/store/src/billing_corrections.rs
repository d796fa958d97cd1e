//! Corrections of locked charge lines. A locked line never changes: its correction (a new
//! quantity, zero to cancel, and a reason) is stored, and the next run locked for a later month
//! charges the line's reversal and, when the new quantity is above zero, a new line at the
//! line's own price. A line is corrected once (the `line_id` is unique).

use serva_domain::billing::money::Milli;
use serva_domain::billing::run::{ChargeLine, Source, Volume};
use serva_domain::time::day_date;
use serva_domain::UserId;

use crate::audit::{Action, Change, Entity};
use crate::billing::LineIds;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Db, StoreError, StoreResult};

/// A stored correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub id: i64,
    pub line_id: i64,
    pub quantity: Milli,
    pub reason: String,
    pub created_at: i64,
    pub created_by: Option<String>,
    /// The month whose run charged it; `None` while it is open.
    pub charged_in: Option<String>,
}

/// A locked charge line with its id, its run's month and its correction, if any.
#[derive(Debug, Clone)]
pub struct StoredLine {
    pub id: i64,
    pub month: String,
    pub line: ChargeLine,
    pub ids: LineIds,
    pub correction: Option<Correction>,
}

/// An open correction to charge in a month's run: the line it corrects and the new quantity.
#[derive(Debug, Clone)]
pub struct DueCorrection {
    pub line_id: i64,
    pub line: ChargeLine,
    pub ids: LineIds,
    pub quantity: Milli,
}

/// The period a charge line is stored with: a source is charged once per period. A
/// subscription once a month; a correction twice at most, its reversal (`''`, the negative
/// line) and its new quantity (`new`).
pub fn line_period(month: &str, l: &ChargeLine) -> String {
    match l.volume.source {
        Source::Subscription(_) | Source::Time(_) => month.to_string(),
        Source::Correction(_) if l.volume.quantity.0 > 0 => "new".to_string(),
        _ => String::new(),
    }
}

const LINE_SQL: &str = "SELECT l.id, r.month, pu.code, cu.code, s.code, \
        l.provider_unit_id, l.customer_unit_id, l.service_id, l.source_kind, l.source_id, \
        l.day, l.quantity_milli, l.price_ore, l.amount_ore, \
        k.id, k.quantity_milli, k.reason, k.created_at, ku.display_name, \
        (SELECT cr.month FROM charge_lines cl JOIN billing_runs cr ON cr.id = cl.run_id \
         WHERE cl.source_kind = 'correction' AND cl.source_id = l.id AND cl.period = '') \
    FROM charge_lines l \
    JOIN billing_runs r ON r.id = l.run_id \
    JOIN units pu ON pu.id = l.provider_unit_id \
    JOIN units cu ON cu.id = l.customer_unit_id \
    JOIN services s ON s.id = l.service_id \
    LEFT JOIN charge_corrections k ON k.line_id = l.id \
    LEFT JOIN users ku ON ku.id = k.created_by ";

/// A stored line from a row of `LINE_SQL`; an unknown source kind is an error.
fn stored(r: &AnyRow) -> StoreResult<StoredLine> {
    let id: i64 = r.try_get(0)?;
    let kind: String = r.try_get(8)?;
    let source_id: i64 = r.try_get(9)?;
    let source = Source::parse(&kind, source_id)
        .ok_or_else(|| StoreError::Corrupt(format!("charge source {kind:?}")))?;
    let correction = match r.try_get::<Option<i64>, _>(14)? {
        Some(kid) => Some(Correction {
            id: kid,
            line_id: id,
            quantity: Milli(r.try_get(15)?),
            reason: r.try_get(16)?,
            created_at: r.try_get(17)?,
            created_by: r.try_get(18)?,
            charged_in: r.try_get(19)?,
        }),
        None => None,
    };
    Ok(StoredLine {
        id,
        month: r.try_get(1)?,
        line: ChargeLine {
            volume: Volume {
                source,
                provider: r.try_get(2)?,
                customer: r.try_get(3)?,
                service: r.try_get(4)?,
                day: day_date(r.try_get(10)?),
                quantity: Milli(r.try_get(11)?),
            },
            price_ore: r.try_get(12)?,
            amount_ore: r.try_get(13)?,
        },
        ids: LineIds {
            provider: r.try_get(5)?,
            customer: r.try_get(6)?,
            service: r.try_get(7)?,
        },
        correction,
    })
}

impl Db {
    /// A run's lines with their ids and corrections, by customer, service and line.
    pub async fn run_lines_stored(&self, run_id: i64) -> StoreResult<Vec<StoredLine>> {
        let rows = sqlx::query(&format!(
            "{LINE_SQL} WHERE l.run_id = $1 ORDER BY cu.code, s.code, l.id"
        ))
        .bind(run_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(stored).collect()
    }

    /// A run's lines of one customer and service (by code), with their ids and corrections.
    pub async fn run_lines_of(
        &self,
        run_id: i64,
        customer: &str,
        service: &str,
    ) -> StoreResult<Vec<StoredLine>> {
        let rows = sqlx::query(&format!(
            "{LINE_SQL} WHERE l.run_id = $1 AND cu.code = $2 AND s.code = $3 ORDER BY l.day, l.id"
        ))
        .bind(run_id)
        .bind(customer)
        .bind(service)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(stored).collect()
    }

    /// One locked line, with its correction.
    pub async fn charge_line(&self, id: i64) -> StoreResult<StoredLine> {
        let row = sqlx::query(&format!("{LINE_SQL} WHERE l.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound("charge line"))?;
        stored(&row)
    }

    /// Stores the correction of a locked line (audited under its run). A line is corrected
    /// once: a second correction is a conflict.
    pub async fn add_correction(
        &self,
        actor: Option<UserId>,
        line: &StoredLine,
        quantity: Milli,
        reason: &str,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO charge_corrections (line_id, quantity_milli, reason, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(line.id)
        .bind(quantity.0)
        .bind(reason)
        .bind(now)
        .bind(actor.map(|a| a.0))
        .fetch_one(tx.conn())
        .await
        .map_err(|e| match StoreError::on_unique(e, "a correction") {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("charge line {} is corrected already", line.id))
            }
            e => e,
        })?;
        tx.commit(
            Change::new(Action::Create, Entity::BillingRun(line.month.clone())).after(
                serde_json::json!({
                    "correction": id,
                    "line": line.id,
                    "quantity_milli": [line.line.volume.quantity.0, quantity.0],
                    "reason": reason,
                }),
            ),
        )
        .await?;
        Ok(id)
    }

    /// The open corrections a run of `month` charges: those of lines locked in an earlier
    /// month's run that no run has charged yet.
    pub async fn month_corrections(&self, month: &str) -> StoreResult<Vec<DueCorrection>> {
        let rows = sqlx::query(&format!(
            "{LINE_SQL} WHERE k.id IS NOT NULL AND r.month < $1 \
               AND NOT EXISTS (SELECT 1 FROM charge_lines c2 \
                               WHERE c2.source_kind = 'correction' AND c2.source_id = l.id) \
             ORDER BY l.id"
        ))
        .bind(month)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let s = stored(r)?;
                let quantity = s
                    .correction
                    .as_ref()
                    .map(|c| c.quantity)
                    .unwrap_or(Milli(0));
                Ok(DueCorrection {
                    line_id: s.id,
                    line: s.line,
                    ids: s.ids,
                    quantity,
                })
            })
            .collect()
    }
}
