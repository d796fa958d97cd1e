//! Applying imports: every row is checked first (units and indicators resolved, values typed),
//! then everything is written in one transaction. Any error, and nothing is written.

use std::collections::HashMap;

use serde::Serialize;
use serva_domain::import::{self, ImportError, Record};
use serva_domain::org::{UnitCode, UnitKind};
use serva_domain::UserId;

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

    async fn check_import(&self, kind: &str, bytes: &[u8]) -> Result<Vec<Row>, ImportFailure> {
        let units = self.units().await?;
        let by_code: HashMap<&str, i64> = units.iter().map(|u| (u.code.as_str(), u.id)).collect();
        let reject = |e: ImportError| ImportFailure::Rejected(vec![e]);
        if kind == "sie" {
            let text = import::decode_sie(bytes);
            let ledger = import::parse_sie(&text).map_err(ImportFailure::Rejected)?;
            let by_erp: HashMap<&str, i64> = units
                .iter()
                .filter_map(|u| Some((u.erp_code.as_deref()?, u.id)))
                .collect();
            let mut errors = Vec::new();
            let mut rows = Vec::new();
            for ((object, year, month), m) in &ledger.months {
                match by_erp.get(object.as_str()) {
                    Some(&unit) => {
                        let (revenue, cost) = import::SieLedger::revenue_cost(m);
                        rows.push(Row::Outcome {
                            unit,
                            year: i64::from(*year),
                            month: i64::from(*month),
                            revenue,
                            cost,
                        });
                    }
                    None => {
                        let line = ledger.first_line.get(object).copied().unwrap_or(0);
                        let e = ImportError {
                            line,
                            column: Some("objekt".into()),
                            message: format!("no unit has ERP code {object:?} (dimension 1)"),
                        };
                        if !errors.contains(&e) {
                            errors.push(e);
                        }
                    }
                }
            }
            if let Some(&line) = ledger.without_object.first() {
                errors.push(ImportError {
                    line,
                    column: Some("objekt".into()),
                    message: format!(
                        "{} transaction(s) on result accounts have no dimension-1 object, so no unit",
                        ledger.without_object.len()
                    ),
                });
            }
            if rows.is_empty() && errors.is_empty() {
                errors.push(ImportError {
                    line: 1,
                    column: None,
                    message: "the file holds no transactions on accounts 3–8".into(),
                });
            }
            return if errors.is_empty() {
                Ok(rows)
            } else {
                Err(ImportFailure::Rejected(errors))
            };
        }
        let columns = import::columns_of(kind).ok_or_else(|| {
            reject(ImportError {
                line: 0,
                column: None,
                message: format!(
                    "unknown import kind {kind:?}; kinds: {}",
                    ALL_KINDS.join(", ")
                ),
            })
        })?;
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            reject(ImportError {
                line,
                column: None,
                message: "the file is not UTF-8".into(),
            })
        })?;
        let records = import::read_csv_with(text, columns, import::optional_columns_of(kind))
            .map_err(ImportFailure::Rejected)?;
        let file_units: Vec<&str> = if kind == "units" {
            records.iter().map(|r| r.get("code")).collect()
        } else {
            vec![]
        };
        let unit = |r: &Record, col: &str| -> Result<i64, ImportError> {
            let code = r.required(col)?;
            by_code
                .get(code)
                .copied()
                .ok_or_else(|| r.error(col, format!("no unit has code {code:?}")))
        };
        // Only the indicator kinds look up indicators and goals.
        let (indicators, goals): (IndicatorsByCode, Vec<(i64, i64, String)>) =
            if matches!(kind, "indicators" | "indicator_values") {
                let indicators = sqlx::query_as::<_, (String, i64, i64)>(
                    "SELECT code, id, org_unit_id FROM indicators",
                )
                .fetch_all(&self.read)
                .await?
                .into_iter()
                .map(|(c, id, org)| (c, (id, org)))
                .collect();
                let goals =
                    sqlx::query_as("SELECT id, org_unit_id, name FROM goals ORDER BY year DESC")
                        .fetch_all(&self.read)
                        .await?;
                (indicators, goals)
            } else {
                (HashMap::new(), Vec::new())
            };
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for r in &records {
            let row: Result<Row, ImportError> = (|| {
                Ok(match kind {
                    "units" => {
                        let code = UnitCode::parse(r.required("code")?)
                            .map_err(|e| r.error("code", e.to_string()))?;
                        let k = r.required("kind")?;
                        let kind = UnitKind::parse(k).ok_or_else(|| {
                            r.error("kind", format!("{k:?} is not one of municipality, department, company, administration, unit"))
                        })?;
                        let parent = Some(r.get("parent")).filter(|p| !p.is_empty());
                        if let Some(p) = parent {
                            if !by_code.contains_key(p) && !file_units.contains(&p) {
                                return Err(r.error(
                                    "parent",
                                    format!("no unit has code {p:?}, here or in the file"),
                                ));
                            }
                            if p == code.as_str() {
                                return Err(r.error("parent", "a unit cannot be its own parent"));
                            }
                        }
                        Row::Unit {
                            code: code.as_str().to_string(),
                            name: r.required("name")?.to_string(),
                            kind,
                            parent: parent.map(str::to_string),
                            erp: Some(r.get("erp_code"))
                                .filter(|e| !e.is_empty())
                                .map(str::to_string),
                        }
                    }
                    "budget" => Row::Budget {
                        unit: unit(r, "unit")?,
                        year: i64::from(r.year("year")?),
                        revenue: r.kronor("revenue")?,
                        cost: r.kronor("cost")?,
                        note: Some(r.get("note"))
                            .filter(|n| !n.is_empty())
                            .map(str::to_string),
                    },
                    "forecast" => {
                        let year = r.year("year")?;
                        let through = r.date("through")?;
                        if chrono::Datelike::year(&through) != year {
                            return Err(r.error("through", format!("{through} is not in {year}")));
                        }
                        Row::Forecast {
                            unit: unit(r, "unit")?,
                            year: i64::from(year),
                            through: through.to_string(),
                            revenue: r.kronor("revenue")?,
                            cost: r.kronor("cost")?,
                        }
                    }
                    "investments" => Row::Investment {
                        unit: unit(r, "unit")?,
                        year: i64::from(r.year("year")?),
                        project: r.required("project")?.to_string(),
                        v: [
                            r.kronor("frame")?,
                            r.kronor("spent")?,
                            r.kronor("income")?,
                            r.kronor("forecast_spent")?,
                            r.kronor("forecast_income")?,
                        ],
                    },
                    "calls" => {
                        let wait = r.integer("wait_seconds")?;
                        if !(0..=86_400).contains(&wait) {
                            return Err(r.error(
                                "wait_seconds",
                                format!("{wait} is not a wait in seconds (0–86 400)"),
                            ));
                        }
                        Row::Call {
                            unit: unit(r, "unit")?,
                            call_ref: r.required("call_id")?.to_string(),
                            at: serva_domain::time::from_local(r.local_time("offered_at")?),
                            wait,
                            answered: r.boolean("answered")?,
                        }
                    }
                    "indicators" => {
                        let org = unit(r, "unit")?;
                        let d = r.required("direction")?;
                        if !matches!(d, "higher" | "lower" | "band") {
                            return Err(r.error(
                                "direction",
                                format!("{d:?} must be higher, lower or band"),
                            ));
                        }
                        let goal = match r.get("goal") {
                            "" => None,
                            g => Some(
                                goals
                                    .iter()
                                    .find(|x| x.1 == org && x.2 == g)
                                    .map(|x| x.0)
                                    .ok_or_else(|| {
                                        r.error("goal", format!("the unit has no goal named {g:?}"))
                                    })?,
                            ),
                        };
                        let band = match (
                            r.optional_number("band_low")?,
                            r.optional_number("band_high")?,
                        ) {
                            (Some(lo), Some(hi)) if lo <= hi => Some((lo, hi)),
                            (None, None) if d != "band" => None,
                            _ => {
                                return Err(r.error(
                                    "band_low",
                                    "a band indicator needs band_low ≤ band_high",
                                ))
                            }
                        };
                        let period_type = match r.get("period_type") {
                            "" => "year".to_string(),
                            p @ ("year" | "tertial" | "month" | "week") => p.to_string(),
                            p => {
                                return Err(r.error(
                                    "period_type",
                                    format!("{p:?} must be year, tertial, month or week"),
                                ))
                            }
                        };
                        let min_group_size = match r.get("min_group_size") {
                            "" => 0,
                            _ => r.integer("min_group_size").and_then(|n| {
                                if (0..=1000).contains(&n) {
                                    Ok(n)
                                } else {
                                    Err(r.error("min_group_size", "must be 0–1000"))
                                }
                            })?,
                        };
                        let computed_from = match r.get("computed_from") {
                            "" => None,
                            c => {
                                let ok = c.split_once(':').is_some_and(|(m, u)| {
                                    import::COMPUTED_MEASURES.contains(&m)
                                        && by_code.contains_key(u)
                                });
                                if !ok {
                                    return Err(r.error(
                                        "computed_from",
                                        format!(
                                            "{c:?} must be MEASURE:UNIT with a measure of {}",
                                            import::COMPUTED_MEASURES.join(", ")
                                        ),
                                    ));
                                }
                                Some(c.to_string())
                            }
                        };
                        let kolada = Some(r.get("kolada_id"))
                            .filter(|k| !k.is_empty())
                            .map(str::to_string);
                        Row::Indicator {
                            code: r.required("code")?.to_string(),
                            unit: org,
                            name: r.required("name")?.to_string(),
                            measure: r.get("measure").to_string(),
                            direction: d.to_string(),
                            goal,
                            extra: IndicatorExtra {
                                band,
                                period_type,
                                kolada_id: kolada,
                                min_group_size,
                                computed_from,
                            },
                        }
                    }
                    "indicator_values" => {
                        let code = r.required("indicator")?;
                        let &(id, org) = indicators.get(code).ok_or_else(|| {
                            r.error("indicator", format!("no indicator has code {code:?}; import it first (kind indicators)"))
                        })?;
                        if unit(r, "unit")? != org {
                            return Err(r.error(
                                "unit",
                                format!("indicator {code} belongs to another unit"),
                            ));
                        }
                        let period = r.required("period")?;
                        if !import::valid_period(period) {
                            return Err(r.error("period", format!("{period:?} is not a period (2019, 2019-08, 2019-W35 or 2019-08-31)")));
                        }
                        let g = r.required("gender")?;
                        if !matches!(g, "T" | "K" | "M") {
                            return Err(r.error("gender", format!("{g:?} must be T, K or M")));
                        }
                        Row::Value {
                            indicator: id,
                            period: period.to_string(),
                            gender: g.to_string(),
                            value: r.optional_number("value")?,
                            target: r.optional_number("target")?,
                        }
                    }
                    "goals" => {
                        let area = r.required("area")?;
                        if serva_domain::followup::GoalArea::parse(area).is_none() {
                            return Err(r.error(
                                "area",
                                format!("{area:?} must be economy, operations or staff"),
                            ));
                        }
                        Row::Goal {
                            year: i64::from(r.year("year")?),
                            unit: unit(r, "unit")?,
                            area: area.to_string(),
                            municipal: r.get("municipal_goal").to_string(),
                            name: r.required("name")?.to_string(),
                            description: r.get("description").to_string(),
                        }
                    }
                    "staff" => {
                        let period = r.required("period")?;
                        if !import::valid_period(period) {
                            return Err(r.error(
                                "period",
                                format!("{period:?} is not a period (2019 or 2019-08)"),
                            ));
                        }
                        let g = r.required("gender")?;
                        if !matches!(g, "T" | "K" | "M") {
                            return Err(r.error("gender", format!("{g:?} must be T, K or M")));
                        }
                        let m = r.required("metric")?;
                        if !matches!(
                            m,
                            "employees" | "sick_leave" | "external_turnover" | "full_time_share"
                        ) {
                            return Err(r.error(
                                "metric",
                                format!("{m:?} must be employees, sick_leave, external_turnover or full_time_share"),
                            ));
                        }
                        Row::Staff {
                            unit: unit(r, "unit")?,
                            period: period.to_string(),
                            gender: g.to_string(),
                            metric: m.to_string(),
                            value: r.number("value")?,
                            target: r.optional_number("target")?,
                        }
                    }
                    "assignments" => {
                        let status = r.required("status")?;
                        if serva_domain::followup::AssignmentStatus::parse(status).is_none() {
                            return Err(r.error(
                                "status",
                                format!("{status:?} must be not_started, actions_taken, done or not_applicable"),
                            ));
                        }
                        Row::Assignment {
                            year: i64::from(r.year("year")?),
                            unit: unit(r, "unit")?,
                            common: r.boolean("common")?,
                            text: r.required("text")?.to_string(),
                            status: status.to_string(),
                            comment: r.get("comment").to_string(),
                        }
                    }
                    "controls" => Row::Control {
                        year: i64::from(r.year("year")?),
                        unit: unit(r, "unit")?,
                        name: r.required("name")?.to_string(),
                        risk: r.get("risk").to_string(),
                        method: r.get("method").to_string(),
                        frequency: r.get("frequency").to_string(),
                        owner: r.get("owner").to_string(),
                    },
                    _ => unreachable!("kinds come from import::KINDS"),
                })
            })();
            match row {
                Ok(row) => rows.push(row),
                Err(e) => errors.push(e),
            }
            if errors.len() >= 100 {
                break;
            }
        }
        if errors.is_empty() {
            Ok(rows)
        } else {
            Err(ImportFailure::Rejected(errors))
        }
    }
}
