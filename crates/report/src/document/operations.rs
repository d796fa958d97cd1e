//! Operational statistics counted from cases and calls: a table per unit, and for Kontakt
//! Linköping and HR-direkt their channels, target groups and weekly service level.

use serva_domain::format;
use serva_domain::report::{InterimReport, OperationsRow};

use super::{cols, row, Doc, ParaStyle, Run, Table};
use crate::chart;
use crate::labels::*;

pub(super) fn operations(d: &mut Doc, r: &InterimReport) {
    if r.operations.is_empty() {
        return;
    }
    d.heading("Verksamhetsstatistik, beräknad ur ärenden och samtal");
    d.table(Table {
        caption: format!(
            "Ärenden och service per verksamhet, 1 januari–{}",
            long_date(&r.meta.through)
        ),
        columns: cols(&[
            (5, false),
            (3, true),
            (3, true),
            (3, true),
            (4, true),
            (3, true),
            (3, true),
            (3, true),
        ]),
        head: [
            "Verksamhet",
            "Ärenden",
            "Per vecka",
            "Löst vid första kontakt",
            "Svarsservice",
            "Kundnöjdhet (0–100)",
            "Nöjda kunder",
            "Svarsfrekvens enkät",
        ]
        .map(String::from)
        .to_vec(),
        header_column: Some(0),
        body: r
            .operations
            .iter()
            .map(|o| {
                let service = match o.service_level_target {
                    Some(t) => format!("{} (mål {})", pct(o.service_level), format::percent(t, 0)),
                    None => pct(o.service_level),
                };
                row([
                    o.name.clone(),
                    n(o.cases),
                    o.cases_per_week.map_or("–".into(), |v| n(v.round() as i64)),
                    pct(o.first_contact_resolution),
                    service,
                    o.satisfaction.map_or("–".into(), |v| n(v.round() as i64)),
                    pct(o.satisfied_share),
                    pct(o.survey_response_rate),
                ])
            })
            .collect(),
        foot: vec![],
    });
    for o in r
        .operations
        .iter()
        .filter(|o| o.code == "KL" || o.code == "HRD")
    {
        d.chart(chart::channels(o));
        target_groups(d, o);
        if o.service_level.is_some() {
            d.chart(chart::service_level(o));
        }
    }
}

fn target_groups(d: &mut Doc, o: &OperationsRow) {
    if !o.target_groups.keys().any(|k| k != "citizen") {
        return;
    }
    let groups = o
        .target_groups
        .iter()
        .filter(|(_, v)| **v > 0.0)
        .map(|(k, v)| {
            format!(
                "{} {}",
                format::percent(*v, 0),
                group_label(k).to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    d.para(
        ParaStyle::Body,
        vec![Run::text(format!("{} används av: {groups}.", o.name))],
    );
}
