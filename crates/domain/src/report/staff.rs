//! Staff figures: one row per metric and gender with its values by period and the year's
//! target, in the report's order (employees, sick leave, turnover, full-time share; the total
//! before women and men).

use std::collections::BTreeMap;

use super::facts::StaffFigure;
use super::model::StaffRow;
use crate::followup::{Gender, StaffMetric};

/// Folds the figures (by metric, gender and period) into rows; a row's target is the newest
/// one given.
pub fn staff_rows(figures: &[StaffFigure]) -> Vec<StaffRow> {
    let mut rows: Vec<StaffRow> = Vec::new();
    for f in figures {
        match rows
            .iter_mut()
            .find(|s| s.metric == f.metric && s.gender == f.gender)
        {
            Some(s) => {
                s.values.insert(f.period.clone(), f.value);
                if f.target.is_some() {
                    s.target = f.target;
                }
            }
            None => rows.push(StaffRow {
                metric: f.metric,
                gender: f.gender,
                values: BTreeMap::from([(f.period.clone(), f.value)]),
                target: f.target,
            }),
        }
    }
    let order = |m: StaffMetric| StaffMetric::ALL.iter().position(|x| *x == m);
    rows.sort_by_key(|s| {
        (
            order(s.metric),
            s.gender != Gender::Total,
            s.gender.as_str(),
        )
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(
        metric: StaffMetric,
        gender: Gender,
        period: &str,
        value: f64,
        target: Option<f64>,
    ) -> StaffFigure {
        StaffFigure {
            metric,
            gender,
            period: period.into(),
            value,
            target,
        }
    }

    #[test]
    fn rows_by_metric_then_total_first_with_the_newest_target() {
        use Gender::*;
        use StaffMetric::*;
        let rows = staff_rows(&[
            fig(SickLeave, Men, "2019-08", 1.5, Some(3.0)),
            fig(Employees, Women, "2019-08", 112.0, None),
            fig(SickLeave, Total, "2018-08", 2.3, Some(4.0)),
            fig(SickLeave, Total, "2019-08", 2.5, Some(3.5)),
            fig(SickLeave, Women, "2019-08", 3.3, None),
            fig(Employees, Total, "2019-08", 175.0, None),
        ]);
        let keys: Vec<(StaffMetric, Gender)> = rows.iter().map(|r| (r.metric, r.gender)).collect();
        assert_eq!(
            keys,
            [
                (Employees, Total),
                (Employees, Women),
                (SickLeave, Total),
                (SickLeave, Women),
                (SickLeave, Men)
            ]
        );
        assert_eq!(rows[2].values.len(), 2);
        assert_eq!(rows[2].target, Some(3.5));
    }
}
