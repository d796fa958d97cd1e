//! Applying imports: every row is checked first (units and indicators resolved, values typed),
//! then everything is written in one transaction. Any error, and nothing is written.

use std::collections::HashMap;

use serde::Serialize;
use serva_domain::import::ImportError;
use serva_domain::org::UnitKind;
use serva_domain::UserId;

mod check;

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
];

/// Indicator code → (id, the administration it belongs to).
type IndicatorsByCode = HashMap<String, (i64, i64)>;

/// What an indicator may say besides its name.
struct IndicatorExtra {
    band: Option<(f64, f64)>,
    period_type: String,
    kolada_id: Option<String>,
    min_group_size: i64,
    computed_from: Option<String>,
}

/// A typed, checked row, ready to write.
enum Row {
    Unit {
        code: String,
        name: String,
        kind: UnitKind,
        parent: Option<String>,
        erp: Option<String>,
    },
    Budget {
        unit: i64,
        year: i64,
        revenue: i64,
        cost: i64,
        note: Option<String>,
    },
    Forecast {
        unit: i64,
        year: i64,
        through: String,
        revenue: i64,
        cost: i64,
    },
    Investment {
        unit: i64,
        year: i64,
        project: String,
        v: [i64; 5],
    },
    Call {
        unit: i64,
        call_ref: String,
        at: i64,
        wait: i64,
        answered: bool,
    },
    Indicator {
        code: String,
        unit: i64,
        name: String,
        measure: String,
        direction: String,
        goal: Option<i64>,
        extra: IndicatorExtra,
    },
    Value {
        indicator: i64,
        period: String,
        gender: String,
        value: Option<f64>,
        target: Option<f64>,
    },
    Outcome {
        unit: i64,
        year: i64,
        month: i64,
        revenue: i64,
        cost: i64,
    },
    Goal {
        year: i64,
        unit: i64,
        area: String,
        municipal: String,
        name: String,
        description: String,
    },
    Staff {
        unit: i64,
        period: String,
        gender: String,
        metric: String,
        value: f64,
        target: Option<f64>,
    },
    Assignment {
        year: i64,
        unit: i64,
        common: bool,
        text: String,
        status: String,
        comment: String,
    },
    Control {
        year: i64,
        unit: i64,
        name: String,
        risk: String,
        method: String,
        frequency: String,
        owner: String,
    },
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
                Row::Budget {
                    unit,
                    year,
                    revenue,
                    cost,
                    note,
                } => {
                    sqlx::query(
                        "INSERT INTO fin_budget (unit_id, year, revenue, cost, note) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (unit_id, year) DO UPDATE SET revenue = excluded.revenue, cost = excluded.cost, note = excluded.note",
                    )
                    .bind(unit)
                    .bind(year)
                    .bind(revenue)
                    .bind(cost)
                    .bind(note)
                    .execute(tx.conn())
                    .await?;
                }
                Row::Forecast {
                    unit,
                    year,
                    through,
                    revenue,
                    cost,
                } => {
                    sqlx::query(
                        "INSERT INTO fin_forecast (unit_id, year, made_on, revenue, cost, comment, author_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7) \
                         ON CONFLICT (unit_id, year, made_on) DO UPDATE SET revenue = excluded.revenue, cost = excluded.cost, \
                         author_id = excluded.author_id, created_at = excluded.created_at",
                    )
                    .bind(unit)
                    .bind(year)
                    .bind(through)
                    .bind(revenue)
                    .bind(cost)
                    .bind(actor.map(|a| a.0))
                    .bind(tx.now)
                    .execute(tx.conn())
                    .await?;
                }
                Row::Investment {
                    unit,
                    year,
                    project,
                    v,
                } => {
                    sqlx::query(
                        "INSERT INTO investments (unit_id, year, project, frame, spent, income, forecast_spent, forecast_income) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (unit_id, year, project) DO UPDATE SET \
                         frame = excluded.frame, spent = excluded.spent, income = excluded.income, \
                         forecast_spent = excluded.forecast_spent, forecast_income = excluded.forecast_income",
                    )
                    .bind(unit)
                    .bind(year)
                    .bind(project)
                    .bind(v[0])
                    .bind(v[1])
                    .bind(v[2])
                    .bind(v[3])
                    .bind(v[4])
                    .execute(tx.conn())
                    .await?;
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
                Row::Indicator {
                    code,
                    unit,
                    name,
                    measure,
                    direction,
                    goal,
                    extra,
                } => {
                    sqlx::query(
                        "INSERT INTO indicators (org_unit_id, goal_id, code, name, measure, direction, band_low, band_high, \
                         period_type, kolada_id, min_group_size, computed_from, position) \
                         VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS DOUBLE PRECISION), CAST($8 AS DOUBLE PRECISION), $9, $10, $11, $12, \
                         (SELECT COALESCE(MAX(position), 0) + 1 FROM indicators)) \
                         ON CONFLICT (code) DO UPDATE SET org_unit_id = excluded.org_unit_id, goal_id = excluded.goal_id, \
                         name = excluded.name, measure = excluded.measure, direction = excluded.direction, band_low = excluded.band_low, \
                         band_high = excluded.band_high, period_type = excluded.period_type, kolada_id = excluded.kolada_id, \
                         min_group_size = excluded.min_group_size, computed_from = excluded.computed_from",
                    )
                    .bind(unit)
                    .bind(goal)
                    .bind(code)
                    .bind(name)
                    .bind(measure)
                    .bind(direction)
                    .bind(extra.band.map(|b| b.0.to_string()))
                    .bind(extra.band.map(|b| b.1.to_string()))
                    .bind(&extra.period_type)
                    .bind(&extra.kolada_id)
                    .bind(extra.min_group_size)
                    .bind(&extra.computed_from)
                    .execute(tx.conn())
                    .await?;
                }
                Row::Value {
                    indicator,
                    period,
                    gender,
                    value,
                    target,
                } => {
                    sqlx::query(
                        "INSERT INTO indicator_values (indicator_id, period, gender, value, target, source) \
                         VALUES ($1, $2, $3, CAST($4 AS DOUBLE PRECISION), CAST($5 AS DOUBLE PRECISION), 'import') \
                         ON CONFLICT (indicator_id, period, gender) DO UPDATE SET value = excluded.value, target = excluded.target, source = 'import'",
                    )
                    .bind(indicator)
                    .bind(period)
                    .bind(gender)
                    // As text: the Any driver cannot bind a NULL float for PostgreSQL.
                    .bind(value.map(|v| v.to_string()))
                    .bind(target.map(|v| v.to_string()))
                    .execute(tx.conn())
                    .await?;
                }
                Row::Goal {
                    year,
                    unit,
                    area,
                    municipal,
                    name,
                    description,
                } => {
                    // Goals are matched on unit, year and name.
                    let n = sqlx::query(
                        "UPDATE goals SET area = $1, municipal_goal = $2, description = $3 \
                         WHERE org_unit_id = $4 AND year = $5 AND name = $6",
                    )
                    .bind(area)
                    .bind(municipal)
                    .bind(description)
                    .bind(unit)
                    .bind(year)
                    .bind(name)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
                    if n == 0 {
                        sqlx::query(
                            "INSERT INTO goals (org_unit_id, year, area, municipal_goal, name, description, position) \
                             VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(position), 0) + 1 FROM goals))",
                        )
                        .bind(unit)
                        .bind(year)
                        .bind(area)
                        .bind(municipal)
                        .bind(name)
                        .bind(description)
                        .execute(tx.conn())
                        .await?;
                    }
                }
                Row::Staff {
                    unit,
                    period,
                    gender,
                    metric,
                    value,
                    target,
                } => {
                    sqlx::query(
                        "INSERT INTO staff_figures (org_unit_id, period, gender, metric, value, target) \
                         VALUES ($1, $2, $3, $4, CAST($5 AS DOUBLE PRECISION), CAST($6 AS DOUBLE PRECISION)) \
                         ON CONFLICT (org_unit_id, period, gender, metric) DO UPDATE SET value = excluded.value, target = excluded.target",
                    )
                    .bind(unit)
                    .bind(period)
                    .bind(gender)
                    .bind(metric)
                    .bind(value.to_string())
                    .bind(target.map(|t| t.to_string()))
                    .execute(tx.conn())
                    .await?;
                }
                Row::Assignment {
                    year,
                    unit,
                    common,
                    text,
                    status,
                    comment,
                } => {
                    let n = sqlx::query(
                        "UPDATE strategic_assignments SET common = $1, status = $2, comment = $3 \
                         WHERE org_unit_id = $4 AND year = $5 AND body = $6",
                    )
                    .bind(i64::from(*common))
                    .bind(status)
                    .bind(comment)
                    .bind(unit)
                    .bind(year)
                    .bind(text)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
                    if n == 0 {
                        sqlx::query(
                            "INSERT INTO strategic_assignments (org_unit_id, year, common, body, status, comment, position) \
                             VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(position), 0) + 1 FROM strategic_assignments))",
                        )
                        .bind(unit)
                        .bind(year)
                        .bind(i64::from(*common))
                        .bind(text)
                        .bind(status)
                        .bind(comment)
                        .execute(tx.conn())
                        .await?;
                    }
                }
                Row::Control {
                    year,
                    unit,
                    name,
                    risk,
                    method,
                    frequency,
                    owner,
                } => {
                    let n = sqlx::query(
                        "UPDATE control_points SET risk = $1, method = $2, frequency = $3, owner = $4 \
                         WHERE unit_id = $5 AND year = $6 AND name = $7",
                    )
                    .bind(risk)
                    .bind(method)
                    .bind(frequency)
                    .bind(owner)
                    .bind(unit)
                    .bind(year)
                    .bind(name)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
                    if n == 0 {
                        sqlx::query(
                            "INSERT INTO control_points (unit_id, year, name, risk, method, frequency, owner) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(unit)
                        .bind(year)
                        .bind(name)
                        .bind(risk)
                        .bind(method)
                        .bind(frequency)
                        .bind(owner)
                        .execute(tx.conn())
                        .await?;
                    }
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
