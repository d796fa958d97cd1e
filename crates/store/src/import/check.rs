//! Checking an import file whole: the kind's columns, every row typed and its units,
//! indicators and goals resolved, before anything is written.

use std::collections::HashMap;

use serva_domain::import::{self, ImportError, Record};
use serva_domain::org::{UnitCode, UnitKind};

use super::{ImportFailure, IndicatorExtra, IndicatorsByCode, Row, ALL_KINDS};
use crate::Db;

impl Db {
    pub(super) async fn check_import(
        &self,
        kind: &str,
        bytes: &[u8],
    ) -> Result<Vec<Row>, ImportFailure> {
        let units = self.units().await?;
        let by_code: HashMap<&str, i64> = units.iter().map(|u| (u.code.as_str(), u.id.0)).collect();
        let reject = |e: ImportError| ImportFailure::Rejected(vec![e]);
        if kind == "sie" {
            let text = import::decode_sie(bytes);
            let ledger = import::parse_sie(&text).map_err(ImportFailure::Rejected)?;
            let by_erp: HashMap<&str, i64> = units
                .iter()
                .filter_map(|u| Some((u.erp_code.as_deref()?, u.id.0)))
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
                        // The same check as a call posted to the API (domain::phone).
                        let call = serva_domain::phone::check_call(r)?;
                        Row::Call {
                            unit: unit(r, "unit")?,
                            call_ref: call.call_ref,
                            at: call.offered_at,
                            wait: call.wait_seconds,
                            answered: call.answered,
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
