//! Indicators: values per period and gender, the year's target, small groups hidden, values
//! computed from Serva's own data, and the traffic light of each row.

use std::collections::{BTreeMap, HashMap};

use super::facts::ReportFacts;
use super::model::{IndicatorRow, OperationsRow};
use crate::followup::{suppressed, traffic_light, Direction, Gender, IndicatorReading};

#[derive(Debug, Clone)]
pub struct IndicatorValueInput {
    pub period: String,
    pub gender: Gender,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub group_size: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct IndicatorInput {
    pub code: String,
    pub name: String,
    pub goal: Option<String>,
    pub measure: String,
    pub direction: Direction,
    pub band: Option<(f64, f64)>,
    pub kolada_id: Option<String>,
    pub min_group_size: i64,
    pub values: Vec<IndicatorValueInput>,
}

/// Each indicator with its values (earliest period first) and the name of its goal; an
/// indicator computed from Serva's own data gets the value of the report's month from
/// `operations` ([`computed_value`]).
pub fn indicator_inputs(f: &ReportFacts, operations: &[OperationsRow]) -> Vec<IndicatorInput> {
    let goal_names: HashMap<i64, &str> = f.goals.iter().map(|g| (g.id, g.name.as_str())).collect();
    let month = f.through.format("%Y-%m").to_string();
    f.indicators
        .iter()
        .map(|i| {
            let mut input = IndicatorInput {
                code: i.code.clone(),
                name: i.name.clone(),
                goal: i
                    .goal
                    .and_then(|g| goal_names.get(&g).map(|n| n.to_string())),
                measure: i.measure.clone(),
                direction: i.direction,
                band: i.band,
                kolada_id: i.kolada_id.clone(),
                min_group_size: i.min_group_size,
                values: f
                    .values
                    .iter()
                    .filter(|v| v.indicator == i.id)
                    .map(|v| IndicatorValueInput {
                        period: v.period.clone(),
                        gender: v.gender,
                        value: v.value,
                        target: v.target,
                        group_size: v.group_size,
                    })
                    .collect(),
            };
            if let Some(spec) = &i.computed_from {
                computed_value(&mut input, spec, operations, &month);
            }
            input
        })
        .collect()
}

/// Sets the total of `month` from the operational measure `spec` names (`measure:UNIT`),
/// rounded to one decimal, under the newest total target; a value entered for that month is
/// replaced. A spec that names no measure leaves the indicator as it is; a unit without
/// figures gives no value.
pub fn computed_value(
    ind: &mut IndicatorInput,
    spec: &str,
    operations: &[OperationsRow],
    month: &str,
) {
    let Some((measure, unit_code)) = spec.split_once(':') else {
        return;
    };
    let value = operations
        .iter()
        .find(|o| o.code == unit_code)
        .and_then(|o| o.measure(measure))
        .map(|v| (v * 10.0).round() / 10.0);
    let target = ind
        .values
        .iter()
        .filter(|v| v.gender == Gender::Total)
        .filter_map(|v| v.target)
        .next_back();
    ind.values
        .retain(|v| !(v.period == month && v.gender == Gender::Total));
    ind.values.push(IndicatorValueInput {
        period: month.to_string(),
        gender: Gender::Total,
        value,
        target,
        group_size: None,
    });
}

/// A row per indicator and gender (the total always, women and men when they have values):
/// values by period with small groups hidden, the newest target, and the traffic light of the
/// latest value of the report year against the previous year's value.
pub fn indicator_rows(
    indicators: &[IndicatorInput],
    year: i32,
    through: &str,
) -> Vec<IndicatorRow> {
    let mut rows = Vec::new();
    let this_year = year.to_string();
    let prev_year = (year - 1).to_string();
    for ind in indicators {
        for gender in Gender::ALL {
            let vals: Vec<&IndicatorValueInput> =
                ind.values.iter().filter(|v| v.gender == *gender).collect();
            if vals.is_empty() && *gender != Gender::Total {
                continue;
            }
            let mut values = BTreeMap::new();
            let mut hidden = Vec::new();
            for v in &vals {
                let hide = suppressed(v.group_size, ind.min_group_size);
                if hide {
                    hidden.push(v.period.clone());
                }
                values.insert(v.period.clone(), if hide { None } else { v.value });
            }
            let in_year = |p: &str| p == this_year || p.starts_with(&format!("{this_year}-"));
            let latest = vals
                .iter()
                .filter(|v| in_year(&v.period) && v.period.as_str() <= through)
                .max_by(|a, b| a.period.cmp(&b.period));
            let previous = vals
                .iter()
                .filter(|v| v.period == prev_year)
                .map(|v| v.value)
                .next()
                .flatten();
            let target = vals.iter().filter_map(|v| v.target).next_back();
            let latest_value = latest.and_then(|v| {
                if suppressed(v.group_size, ind.min_group_size) {
                    None
                } else {
                    v.value
                }
            });
            let status = traffic_light(&IndicatorReading {
                direction: ind.direction,
                band: ind.band,
                latest: latest_value,
                previous,
                target,
            });
            rows.push(IndicatorRow {
                code: ind.code.clone(),
                name: ind.name.clone(),
                goal: ind.goal.clone(),
                measure: ind.measure.clone(),
                gender: *gender,
                values,
                target,
                status,
                suppressed: hidden,
                kolada_id: ind.kolada_id.clone(),
            });
        }
    }
    rows
}
