//! The overview tables of the first section: the year's result, the goals, the basic
//! assignment's cases and the staff, each against its target or the year before.

use serva_domain::followup::{Gender, StaffMetric};
use serva_domain::report::InterimReport;

use super::{cols, row, Cell, Doc, Table, Tone};
use crate::labels::*;

pub(super) fn summary(d: &mut Doc, r: &InterimReport) {
    let f = &r.finance;
    let t = &f.total;
    let i = &r.investments.total;
    let year = r.meta.year;
    let through_month = r
        .meta
        .through
        .get(5..7)
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(12);
    let period = |y: i32| format!("{} {y}", capitalise(month_name(through_month)));
    d.table(Table {
        caption: "Ekonomi, belopp tkr".into(),
        columns: cols(&[(3, false), (2, true), (2, true), (2, true)]),
        head: vec![
            String::new(),
            "Prognos helår".into(),
            format!("Budget {year}"),
            "Avvikelse".into(),
        ],
        header_column: Some(0),
        body: vec![
            row([
                "Nettoresultat".into(),
                opt(t.forecast),
                opt(t.budget),
                opt(t.deviation),
            ]),
            row([
                "varav kostnader".into(),
                n(f.costs.forecast),
                n(f.costs.budget),
                n(f.costs.deviation),
            ]),
            row([
                "varav intäkter".into(),
                n(f.revenues.forecast),
                n(f.revenues.budget),
                n(f.revenues.deviation),
            ]),
            row([
                "Investeringar, netto".into(),
                n(i.forecast_net),
                n(i.frame),
                n(i.deviation),
            ]),
        ],
        foot: vec![],
    });
    d.table(Table {
        caption: "Måluppfyllelse: nämndmål".into(),
        columns: cols(&[(2, false), (4, false), (2, false)]),
        head: vec!["Målområde".into(), "Nämndmål".into(), "Bedömning".into()],
        header_column: None,
        body: r
            .goals
            .iter()
            .map(|g| {
                vec![
                    area_label(g.area).into(),
                    g.name.clone().into(),
                    Cell {
                        text: assessment_label(g.assessment).into(),
                        tone: Some(Tone::of_assessment(g.assessment)),
                        italic: false,
                    },
                ]
            })
            .collect(),
        foot: vec![],
    });
    if let Some(kl) = r.operations.iter().find(|o| o.code == "KL") {
        d.table(Table {
            caption: "Basuppdrag".into(),
            columns: cols(&[(3, false), (2, true), (2, true), (2, true)]),
            head: vec![
                String::new(),
                format!("Prognos {year}"),
                period(year),
                period(year - 1),
            ],
            header_column: Some(0),
            body: vec![row([
                format!("Ärenden {}", kl.name),
                opt(kl.cases_forecast_year),
                n(kl.cases),
                if kl.cases_prev_year > 0 {
                    n(kl.cases_prev_year)
                } else {
                    "–".into()
                },
            ])],
            foot: vec![],
        });
    }
    if !r.staff.is_empty() {
        let p_now = format!("{year}-{through_month:02}");
        let p_prev = format!("{}-{through_month:02}", year - 1);
        let total = |metric: StaffMetric| {
            r.staff
                .iter()
                .find(|s| s.metric == metric && s.gender == Gender::Total)
        };
        let value = |metric: StaffMetric, p: &str| {
            total(metric)
                .and_then(|s| s.values.get(p).copied())
                .map_or("–".into(), dec)
        };
        d.table(Table {
            caption: "Personal".into(),
            columns: cols(&[(4, false), (2, true), (2, true), (2, true)]),
            head: vec![
                String::new(),
                period(year),
                period(year - 1),
                "Målvärde helår".into(),
            ],
            header_column: Some(0),
            body: [
                StaffMetric::Employees,
                StaffMetric::SickLeave,
                StaffMetric::ExternalTurnover,
            ]
            .into_iter()
            .map(|metric| {
                row([
                    metric_label(metric).into(),
                    value(metric, &p_now),
                    value(metric, &p_prev),
                    total(metric).and_then(|s| s.target).map_or("–".into(), dec),
                ])
            })
            .collect(),
            foot: vec![],
        });
    }
}
