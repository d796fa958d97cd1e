//! Finance: the result to date against the year before, a chart of forecast and budget, the
//! forecast against budget per unit with its notes, and investments.

use serva_domain::report::{FinanceRow, FlowRow, InterimReport, InvestmentRow};

use super::{cols, row, Cell, Doc, ParaStyle, Run, Table};
use crate::chart;
use crate::labels::*;

fn finance_cells(name: String, row: &FinanceRow) -> Vec<Cell> {
    self::row([
        name,
        opt(row.forecast),
        opt(row.budget),
        opt(row.deviation),
        n(row.actual_prev_year),
    ])
}

pub(super) fn finance(d: &mut Doc, r: &InterimReport) {
    let f = &r.finance;
    let year = r.meta.year;
    let prev_through = r
        .meta
        .through
        .replacen(&year.to_string(), &(year - 1).to_string(), 1);
    let outcome = |name: String, u: &FinanceRow| {
        row([name, n(u.outcome_ytd), n(u.outcome_ytd_prev), n(u.change)])
    };
    let mut body: Vec<Vec<Cell>> = f
        .units
        .iter()
        .map(|u| {
            let mark = if u.predecessors.is_empty() { "" } else { "*" };
            outcome(format!("{}{mark}", u.name), u)
        })
        .collect();
    if let Some(u) = &f.unallocated {
        if u.outcome_ytd != 0 || u.outcome_ytd_prev != 0 {
            body.push(outcome(u.name.clone(), u));
        }
    }
    d.table(Table {
        caption: format!(
            "Resultat {}, driftsammandrag netto tkr",
            long_date(&r.meta.through)
        ),
        columns: cols(&[(4, false), (2, true), (2, true), (2, true)]),
        head: vec![
            "Verksamhet".into(),
            format!("Redovisning {}", short_date(&r.meta.through)),
            format!("Redovisning {}", short_date(&prev_through)),
            "Förändring".into(),
        ],
        header_column: Some(0),
        body,
        foot: vec![outcome("Summa".into(), &f.total)],
    });
    d.chart(chart::results(r));

    let mut body: Vec<Vec<Cell>> = f
        .units
        .iter()
        .map(|u| {
            let mark = if u.note.is_some() { "**" } else { "" };
            finance_cells(format!("{}{mark}", u.name), u)
        })
        .collect();
    if let Some(u) = &f.unallocated {
        body.push(finance_cells(u.name.clone(), u));
    }
    let flow = |name: &str, x: &FlowRow| {
        row([
            name.to_string(),
            n(x.forecast),
            n(x.budget),
            n(x.deviation),
            n(x.actual_prev_year),
        ])
    };
    d.table(Table {
        caption: format!("Prognos resultat {year}, driftsammandrag netto tkr"),
        columns: cols(&[(4, false), (2, true), (2, true), (2, true), (2, true)]),
        head: vec![
            "Verksamhet".into(),
            "Prognos helår".into(),
            format!("Budget {year}"),
            "Avvikelse".into(),
            format!("Bokslut {}", year - 1),
        ],
        header_column: Some(0),
        body,
        foot: vec![
            finance_cells("Summa nettoresultat, tkr".into(), &f.total),
            flow("varav kostnader", &f.costs),
            flow("varav intäkter", &f.revenues),
        ],
    });
    for u in f.units.iter().filter(|u| !u.predecessors.is_empty()) {
        d.para(
            ParaStyle::Note,
            vec![Run::text(format!(
                "* Raden {} omfattar även {}, som ingår i {}.",
                u.name,
                u.predecessors.join(", "),
                u.name
            ))],
        );
    }
    for note in f.units.iter().filter_map(|u| u.note.as_deref()) {
        d.para(ParaStyle::Note, vec![Run::text(format!("** {note}"))]);
    }
}

pub(super) fn investments(d: &mut Doc, r: &InterimReport) {
    let inv = &r.investments;
    if inv.projects.is_empty() {
        return;
    }
    let through = short_date(&r.meta.through);
    let cells = |name: String, i: &InvestmentRow| {
        row([
            name,
            n(i.spent),
            n(i.income),
            n(i.forecast_spent),
            n(i.forecast_income),
            n(i.forecast_net),
            n(i.frame),
            n(i.deviation),
        ])
    };
    d.table(Table {
        caption: "Investeringar, belopp tkr".into(),
        columns: cols(&[
            (5, false),
            (3, true),
            (3, true),
            (3, true),
            (3, true),
            (3, true),
            (3, true),
            (3, true),
        ]),
        head: vec![
            "Projekt".into(),
            format!("Utgifter {through}"),
            format!("Inkomster {through}"),
            "Prognos utgifter".into(),
            "Prognos inkomster".into(),
            "Prognos netto".into(),
            "Investeringsram".into(),
            "Avvikelse".into(),
        ],
        header_column: Some(0),
        body: inv
            .projects
            .iter()
            .map(|p| cells(format!("{}: {}", p.unit, p.project), p))
            .collect(),
        foot: vec![cells("Summa investeringar".into(), &inv.total)],
    });
}
