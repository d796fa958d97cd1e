//! The checks listed before approval: contradictions and gaps, in Swedish, for the person who
//! approves the report. They inform; they do not block.

use std::collections::BTreeSet;

use super::finance::UnitFinanceInput;
use super::model::{Check, FinanceRow, InterimReport, Severity};
use crate::followup::{Assessment, Gender, NarrativeStatus};

fn fmt(n: i64) -> String {
    crate::format::int(n).replace(crate::format::GROUP, " ")
}

/// Every check, in the report's order: finance columns that do not add up (beyond rounding),
/// units with a budget but no forecast, goals without an assessment, year-to-date values
/// against full-year targets, texts not approved, control points without a result.
pub fn checks(r: &InterimReport, units: &[UnitFinanceInput]) -> Vec<Check> {
    let mut out = Vec::new();
    let mut check = |severity, code: &str, message: String| {
        out.push(Check {
            severity,
            code: code.into(),
            message,
        })
    };
    let m = &r.meta;
    let f = &r.finance;
    // Each row is rounded on its own: half a tkr per row is rounding, not a contradiction.
    let tolerance = (f.units.len() as i64 + 1) / 2;
    type Column = fn(&FinanceRow) -> Option<i64>;
    let columns: [(&str, &str, Column); 5] = [
        ("outcome_ytd", "redovisning för perioden", |x| {
            Some(x.outcome_ytd)
        }),
        (
            "outcome_ytd_prev",
            "redovisning samma period föregående år",
            |x| Some(x.outcome_ytd_prev),
        ),
        ("forecast", "prognos helår", |x| x.forecast),
        ("budget", "budget", |x| x.budget),
        ("actual_prev_year", "bokslut föregående år", |x| {
            Some(x.actual_prev_year)
        }),
    ];
    for (code, label, get) in columns {
        let rows: i64 = f.units.iter().filter_map(get).sum();
        let Some(total) = get(&f.total) else { continue };
        if (rows - total).abs() > tolerance {
            let why = match &f.unallocated {
                Some(u) if get(u).is_some_and(|v| v != 0) => format!(
                    " Skillnaden, {} tkr, är bokförd på {} utan verksamhet.",
                    fmt(total - rows),
                    m.org_name
                ),
                _ => String::new(),
            };
            check(
                Severity::Error,
                &format!("finance_sum_{code}"),
                format!(
                    "Driftsammandraget: raderna för {label} summerar till {} tkr men totalen är {} tkr.{why}",
                    fmt(rows),
                    fmt(total)
                ),
            );
        }
    }
    for u in units {
        if u.budget.is_some() && u.forecast.is_none() {
            check(
                Severity::Warning,
                "forecast_missing",
                format!(
                    "{} saknar helårsprognos per {}; budgeten används.",
                    u.name, m.through
                ),
            );
        }
    }
    let unassessed: Vec<&str> = r
        .goals
        .iter()
        .filter(|g| g.assessment == Assessment::NotAssessed)
        .map(|g| g.name.as_str())
        .collect();
    if !unassessed.is_empty() {
        check(
            Severity::Warning,
            "goal_not_assessed",
            format!("Mål utan bedömning: {}.", unassessed.join(", ")),
        );
    }
    let mut ytd_checked = BTreeSet::new();
    for i in &r.indicators {
        let partial = i
            .values
            .keys()
            .filter(|p| p.starts_with(&format!("{}-", m.year)) && !p.ends_with("-12"))
            .max();
        let has_value = partial.is_some_and(|p| i.values.get(p).is_some_and(Option::is_some));
        if let (Some(p), Some(t), true) = (partial, i.target, has_value) {
            if i.gender == Gender::Total && ytd_checked.insert(i.code.clone()) {
                check(
                    Severity::Info,
                    "ytd_vs_year_target",
                    format!(
                        "{}: värdet för {p} avser del av året men jämförs med målvärdet för helår ({}).",
                        i.name,
                        crate::format::decimal(t, 2).trim_end_matches('0').trim_end_matches(',').replace(crate::format::GROUP, " ")
                    ),
                );
            }
        }
    }
    let unapproved: Vec<&str> = r
        .narratives
        .iter()
        .filter(|n| n.status != NarrativeStatus::Approved)
        .map(|n| n.title.as_str())
        .collect();
    if !unapproved.is_empty() {
        check(
            Severity::Warning,
            "narrative_not_approved",
            format!("Texter som inte är godkända: {}.", unapproved.join(", ")),
        );
    }
    for c in &r.internal_control {
        if c.result.is_none() {
            check(
                Severity::Warning,
                "control_without_result",
                format!("Kontrollmomentet {} ({}) saknar resultat.", c.name, c.unit),
            );
        }
    }
    out
}
