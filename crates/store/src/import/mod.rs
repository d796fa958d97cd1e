//! Applying imports: every row is checked first (units and indicators resolved, values typed),
//! then everything is written in one transaction. Any error, and nothing is written.

use std::collections::HashMap;

use serde::Serialize;
use serva_domain::followup::rows::FollowupRow;
use serva_domain::import::ImportError;
use serva_domain::org::UnitKind;
use serva_domain::UserId;

mod check;
mod volumes;

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError};

/// How an import went.
#[derive(Debug, Serialize)]
pub struct ImportSummary {
    pub kind: String,
    pub rows: usize,
}

#[derive(Debug)]
pub enum ImportFailure {
    /// The file is wrong; nothing was written.
    Rejected(Vec<ImportError>),
    Store(StoreError),
}

impl From<StoreError> for ImportFailure {
    fn from(e: StoreError) -> Self {
        ImportFailure::Store(e)
    }
}

impl From<sqlx::Error> for ImportFailure {
    fn from(e: sqlx::Error) -> Self {
        ImportFailure::Store(e.into())
    }
}

pub const ALL_KINDS: &[&str] = &[
    "units",
    "budget",
    "forecast",
    "investments",
    "calls",
    "indicators",
    "indicator_values",
    "goals",
    "staff",
    "assignments",
    "controls",
    "sie",
    "volumes",
];

/// Indicator code → (id, the administration it belongs to).
type IndicatorsByCode = HashMap<String, (i64, i64)>;

/// A typed, checked row, ready to write.
enum Row {
    Unit {
        code: String,
        name: String,
        kind: UnitKind,
        parent: Option<String>,
        erp: Option<String>,
    },
    Call {
        unit: i64,
        call_ref: String,
        at: i64,
        wait: i64,
        answered: bool,
    },
    Outcome {
        unit: i64,
        year: i64,
        month: i64,
        revenue: i64,
        cost: i64,
    },
    /// A row of a volume file, charged in its day's month.
    Volume {
        customer: i64,
        service: i64,
        day: i64,
        quantity: i64,
        reference: String,
    },
    /// Budget, forecasts, investments, indicators, values, goals, staff, assignments, controls.
    Followup(FollowupRow),
}

impl Db {
    /// Imports `bytes` as `kind`. The file is checked whole; on any error nothing is written.
    pub async fn import(
        &self,
        actor: Option<UserId>,
        kind: &str,
        bytes: &[u8],
    ) -> Result<ImportSummary, ImportFailure> {
        let rows = self.check_import(kind, bytes).await?;
        let n = rows.len();
        let mut tx = self.begin_audited(actor).await?;
        // Units first without parents, then parents, so a file may name parents in any order.
        let mut parents = Vec::new();
        let mut replaced_outcome = std::collections::HashSet::new();
        for row in &rows {
            match row {
                Row::Unit {
                    code,
                    name,
                    kind,
                    parent,
                    erp,
                } => {
                    sqlx::query(
                        "INSERT INTO units (code, name, kind, erp_code) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, erp_code = excluded.erp_code",
                    )
                    .bind(code)
                    .bind(name)
                    .bind(kind.as_str())
                    .bind(erp)
                    .execute(tx.conn())
                    .await?;
                    parents.push((code.clone(), parent.clone()));
                }
                Row::Call {
                    unit,
                    call_ref,
                    at,
                    wait,
                    answered,
                } => {
                    sqlx::query(
                        "INSERT INTO calls (unit_id, call_ref, offered_at, wait_seconds, answered) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (unit_id, call_ref) DO UPDATE SET offered_at = excluded.offered_at, \
                         wait_seconds = excluded.wait_seconds, answered = excluded.answered",
                    )
                    .bind(unit)
                    .bind(call_ref)
                    .bind(at)
                    .bind(wait)
                    .bind(i64::from(*answered))
                    .execute(tx.conn())
                    .await?;
                }
                Row::Volume {
                    customer,
                    service,
                    day,
                    quantity,
                    reference,
                } => {
                    volumes::write_volume(
                        &mut tx,
                        (*customer, *service, *day, *quantity, reference),
                    )
                    .await?;
                }
                Row::Followup(row) => {
                    crate::followup_rows::write_row(&mut tx, actor, row, "import").await?;
                }
                Row::Outcome {
                    unit,
                    year,
                    month,
                    revenue,
                    cost,
                } => {
                    // An SIE file replaces the outcome of the units and years it holds.
                    if replaced_outcome.insert((*unit, *year)) {
                        sqlx::query("DELETE FROM fin_outcome WHERE unit_id = $1 AND year = $2")
                            .bind(unit)
                            .bind(year)
                            .execute(tx.conn())
                            .await?;
                    }
                    sqlx::query("INSERT INTO fin_outcome (unit_id, year, month, revenue, cost) VALUES ($1, $2, $3, $4, $5)")
                        .bind(unit)
                        .bind(year)
                        .bind(month)
                        .bind(revenue)
                        .bind(cost)
                        .execute(tx.conn())
                        .await?;
                }
            }
        }
        for (code, parent) in parents {
            sqlx::query("UPDATE units SET parent_id = (SELECT id FROM units WHERE code = $1) WHERE code = $2")
                .bind(parent)
                .bind(&code)
                .execute(tx.conn())
                .await?;
        }
        tx.commit(
            Change::new(Action::Import, Entity::Import(kind.to_string()))
                .after(serde_json::json!({ "rows": n })),
        )
        .await?;
        self.principals.invalidate();
        Ok(ImportSummary {
            kind: kind.to_string(),
            rows: n,
        })
    }
}
