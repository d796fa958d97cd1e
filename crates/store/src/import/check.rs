//! Checking an import file whole: the kind's columns, every row typed and its units,
//! indicators and goals resolved, before anything is written.

use std::collections::HashMap;

use serva_domain::import::{self, ImportError, Record};
use serva_domain::org::{UnitCode, UnitKind};

use serva_domain::followup;

use super::{ImportFailure, IndicatorsByCode, Row, ALL_KINDS};
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
        let volume_names = if kind == "volumes" {
            Some(self.volume_names().await?)
        } else {
            None
        };
        let names = ImportNames {
            units: &by_code,
            indicators: &indicators,
            goals: &goals,
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
                    "volumes" => super::volumes::check_volume(
                        r,
                        volume_names.as_ref().expect("read for volumes"),
                    )?,
                    _ => Row::Followup(
                        followup::rows::check_row(kind, r, &names)
                            .expect("kinds come from import::KINDS")?,
                    ),
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

/// An import's names: every unit, indicator and goal.
struct ImportNames<'a> {
    units: &'a HashMap<&'a str, i64>,
    indicators: &'a IndicatorsByCode,
    goals: &'a [(i64, i64, String)],
}

impl followup::rows::Resolve for ImportNames<'_> {
    fn unit(&self, code: &str) -> Option<i64> {
        self.units.get(code).copied()
    }
    fn indicator(&self, code: &str) -> Option<(i64, i64)> {
        self.indicators.get(code).copied()
    }
    fn goal(&self, org: i64, name: &str) -> Option<i64> {
        self.goals
            .iter()
            .find(|x| x.1 == org && x.2 == name)
            .map(|x| x.0)
    }
}
