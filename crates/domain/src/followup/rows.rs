//! The follow-up's own rows — budget, forecasts, investments, indicators and their values,
//! goals, staff figures, strategic assignments and control points — checked one at a time,
//! whether they come from an import file or a form. The one rule for each kind lives here, so
//! a value refused in a file is refused in a form too, with the same words.

use crate::import::{self, ImportError, Record};

/// The kinds a follow-up row can be, named as their import kinds.
pub const ROW_KINDS: &[&str] = &[
    "budget",
    "forecast",
    "investments",
    "indicators",
    "indicator_values",
    "goals",
    "staff",
    "assignments",
    "controls",
];

/// The staff figures kept per unit, period and gender.
pub const STAFF_METRICS: &[&str] = &[
    "employees",
    "sick_leave",
    "external_turnover",
    "full_time_share",
];

/// What a row's codes and names refer to. An import resolves them among all units; a form
/// among the units of the administration it belongs to, so a form cannot reach elsewhere.
pub trait Resolve {
    /// A unit's id by code.
    fn unit(&self, code: &str) -> Option<i64>;
    /// An indicator's id and its administration by code.
    fn indicator(&self, code: &str) -> Option<(i64, i64)>;
    /// A goal of the administration by name (the newest year first).
    fn goal(&self, org: i64, name: &str) -> Option<i64>;
}

/// What an indicator may say besides its name.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorExtra {
    pub band: Option<(f64, f64)>,
    pub period_type: String,
    pub kolada_id: Option<String>,
    pub min_group_size: i64,
    pub computed_from: Option<String>,
}

/// A typed, checked row, ready to write. Amounts are öre; ids are resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowupRow {
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

impl FollowupRow {
    /// The unit (or administration) the row belongs to; for an indicator value, none (its
    /// indicator says).
    pub fn unit(&self) -> Option<i64> {
        match self {
            FollowupRow::Budget { unit, .. }
            | FollowupRow::Forecast { unit, .. }
            | FollowupRow::Investment { unit, .. }
            | FollowupRow::Indicator { unit, .. }
            | FollowupRow::Goal { unit, .. }
            | FollowupRow::Staff { unit, .. }
            | FollowupRow::Assignment { unit, .. }
            | FollowupRow::Control { unit, .. } => Some(*unit),
            FollowupRow::Value { .. } => None,
        }
    }
}

/// A stored row as a form shows it: its key (what names it in a link), the unit it belongs to
/// (for an indicator value, the indicator's administration), and its fields by import column,
/// written the Swedish way (`16 015`, `1,5`) so a form can be filled with them and read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowFields {
    pub kind: String,
    pub key: String,
    pub unit: i64,
    pub fields: std::collections::BTreeMap<String, String>,
}

impl RowFields {
    pub fn get(&self, column: &str) -> &str {
        self.fields.get(column).map_or("", String::as_str)
    }

    /// The fields as a record, for checking again with [`check_row`].
    pub fn record(&self) -> Record {
        Record::from_fields(0, self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// Öre as kronor typed into a form: `16 015`, `1 234,50` (digit groups with a plain space).
pub fn kronor_field(ore: i64) -> String {
    let whole = crate::format::int(ore / 100).replace(crate::format::GROUP, " ");
    let rest = (ore % 100).abs();
    let sign = if ore < 0 && ore / 100 == 0 { "-" } else { "" };
    if rest == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole},{rest:02}")
    }
}

/// A measured value typed into a form: `1,5`, `16 015`.
pub fn number_field(x: f64) -> String {
    crate::format::number(x).replace(crate::format::GROUP, " ")
}

/// Checks one record of a follow-up kind (one of [`ROW_KINDS`]); `None` for another kind.
pub fn check_row(
    kind: &str,
    r: &Record,
    names: &impl Resolve,
) -> Option<Result<FollowupRow, ImportError>> {
    if !ROW_KINDS.contains(&kind) {
        return None;
    }
    Some(check(kind, r, names))
}

fn check(kind: &str, r: &Record, names: &impl Resolve) -> Result<FollowupRow, ImportError> {
    let unit = |col: &str| -> Result<i64, ImportError> {
        let code = r.required(col)?;
        names
            .unit(code)
            .ok_or_else(|| r.error(col, format!("no unit has code {code:?}")))
    };
    let gender = || -> Result<String, ImportError> {
        let g = r.required("gender")?;
        if !matches!(g, "T" | "K" | "M") {
            return Err(r.error("gender", format!("{g:?} must be T, K or M")));
        }
        Ok(g.to_string())
    };
    Ok(match kind {
        "budget" => FollowupRow::Budget {
            unit: unit("unit")?,
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
            FollowupRow::Forecast {
                unit: unit("unit")?,
                year: i64::from(year),
                through: through.to_string(),
                revenue: r.kronor("revenue")?,
                cost: r.kronor("cost")?,
            }
        }
        "investments" => FollowupRow::Investment {
            unit: unit("unit")?,
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
        "indicators" => {
            let org = unit("unit")?;
            let d = r.required("direction")?;
            if !matches!(d, "higher" | "lower" | "band") {
                return Err(r.error("direction", format!("{d:?} must be higher, lower or band")));
            }
            let goal =
                match r.get("goal") {
                    "" => None,
                    g => Some(names.goal(org, g).ok_or_else(|| {
                        r.error("goal", format!("the unit has no goal named {g:?}"))
                    })?),
                };
            let band = match (
                r.optional_number("band_low")?,
                r.optional_number("band_high")?,
            ) {
                (Some(lo), Some(hi)) if lo <= hi => Some((lo, hi)),
                (None, None) if d != "band" => None,
                _ => return Err(r.error("band_low", "a band indicator needs band_low ≤ band_high")),
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
                        import::COMPUTED_MEASURES.contains(&m) && names.unit(u).is_some()
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
            FollowupRow::Indicator {
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
            let (id, org) = names.indicator(code).ok_or_else(|| {
                r.error(
                    "indicator",
                    format!("no indicator has code {code:?}; import it first (kind indicators)"),
                )
            })?;
            if unit("unit")? != org {
                return Err(r.error("unit", format!("indicator {code} belongs to another unit")));
            }
            let period = r.required("period")?;
            if !import::valid_period(period) {
                return Err(r.error(
                    "period",
                    format!("{period:?} is not a period (2019, 2019-08, 2019-W35 or 2019-08-31)"),
                ));
            }
            FollowupRow::Value {
                indicator: id,
                period: period.to_string(),
                gender: gender()?,
                value: r.optional_number("value")?,
                target: r.optional_number("target")?,
            }
        }
        "goals" => {
            let area = r.required("area")?;
            if super::GoalArea::parse(area).is_none() {
                return Err(r.error(
                    "area",
                    format!("{area:?} must be economy, operations or staff"),
                ));
            }
            FollowupRow::Goal {
                year: i64::from(r.year("year")?),
                unit: unit("unit")?,
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
            let g = gender()?;
            let m = r.required("metric")?;
            if !STAFF_METRICS.contains(&m) {
                return Err(r.error(
                    "metric",
                    format!(
                        "{m:?} must be employees, sick_leave, external_turnover or full_time_share"
                    ),
                ));
            }
            FollowupRow::Staff {
                unit: unit("unit")?,
                period: period.to_string(),
                gender: g,
                metric: m.to_string(),
                value: r.number("value")?,
                target: r.optional_number("target")?,
            }
        }
        "assignments" => {
            let status = r.required("status")?;
            if super::AssignmentStatus::parse(status).is_none() {
                return Err(r.error(
                    "status",
                    format!(
                        "{status:?} must be not_started, actions_taken, done or not_applicable"
                    ),
                ));
            }
            FollowupRow::Assignment {
                year: i64::from(r.year("year")?),
                unit: unit("unit")?,
                common: r.boolean("common")?,
                text: r.required("text")?.to_string(),
                status: status.to_string(),
                comment: r.get("comment").to_string(),
            }
        }
        "controls" => FollowupRow::Control {
            year: i64::from(r.year("year")?),
            unit: unit("unit")?,
            name: r.required("name")?.to_string(),
            risk: r.get("risk").to_string(),
            method: r.get("method").to_string(),
            frequency: r.get("frequency").to_string(),
            owner: r.get("owner").to_string(),
        },
        _ => unreachable!("checked against ROW_KINDS"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Names;
    impl Resolve for Names {
        fn unit(&self, code: &str) -> Option<i64> {
            match code {
                "VSS" => Some(1),
                "KL" => Some(2),
                _ => None,
            }
        }
        fn indicator(&self, code: &str) -> Option<(i64, i64)> {
            (code == "VSS-IND-04").then_some((7, 1))
        }
        fn goal(&self, _: i64, _: &str) -> Option<i64> {
            None
        }
    }

    fn rec(fields: &[(&str, &str)]) -> Record {
        Record::from_fields(0, fields.iter().copied())
    }

    #[test]
    fn swedish_numbers_and_the_import_rules() {
        let budget = rec(&[
            ("year", "2019"),
            ("unit", "KL"),
            ("revenue", "16 015"),
            ("cost", "1 234,50"),
        ]);
        assert_eq!(
            check_row("budget", &budget, &Names).unwrap().unwrap(),
            FollowupRow::Budget {
                unit: 2,
                year: 2019,
                revenue: 1_601_500,
                cost: 123_450,
                note: None
            }
        );
        let value = rec(&[
            ("indicator", "VSS-IND-04"),
            ("unit", "VSS"),
            ("period", "2019-08"),
            ("gender", "T"),
            ("value", "1,5"),
        ]);
        let FollowupRow::Value { value, .. } = check_row("indicator_values", &value, &Names)
            .unwrap()
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(value, Some(1.5));
        let wrong_unit = rec(&[
            ("indicator", "VSS-IND-04"),
            ("unit", "KL"),
            ("period", "2019-08"),
            ("gender", "T"),
        ]);
        let e = check_row("indicator_values", &wrong_unit, &Names)
            .unwrap()
            .unwrap_err();
        assert_eq!(e.column.as_deref(), Some("unit"));
        let forecast = rec(&[
            ("year", "2019"),
            ("through", "2020-01-31"),
            ("unit", "KL"),
            ("revenue", "1"),
            ("cost", "1"),
        ]);
        let e = check_row("forecast", &forecast, &Names)
            .unwrap()
            .unwrap_err();
        assert_eq!(e.column.as_deref(), Some("through"));
        assert!(check_row("units", &forecast, &Names).is_none());
        assert_eq!(kronor_field(1_601_500), "16 015");
        assert_eq!(kronor_field(123_450), "1 234,50");
        assert_eq!(kronor_field(-50), "-0,50");
        assert_eq!(number_field(1.5), "1,5");
        assert_eq!(number_field(16015.0), "16 015");
    }
}
