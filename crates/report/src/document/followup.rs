//! Goals with their analyses, strategic assignments and the internal control plan.

use serva_domain::report::InterimReport;

use super::{cols, row, Cell, Doc, ParaStyle, Run, Table, Tone};
use crate::labels::*;

pub(super) fn goals(d: &mut Doc, r: &InterimReport) {
    d.section("s-mal", "Uppföljning av mål och inriktning");
    for g in &r.goals {
        d.heading(&format!("{}; {}", area_label(g.area), g.name));
        if !g.description.is_empty() {
            d.para(ParaStyle::Meta, vec![Run::text(&g.description)]);
        }
        d.paragraphs(&g.analysis);
        d.para(
            ParaStyle::Body,
            vec![
                Run::bold("Bedömning: "),
                Run::text(assessment_label(g.assessment)),
            ],
        );
    }
}

pub(super) fn assignments(d: &mut Doc, r: &InterimReport) {
    d.section("s-uppdrag2", "Strategiska utvecklingsuppdrag");
    d.section_text(r, "strategiska_uppdrag_intro", false);
    for common in [true, false] {
        let body: Vec<Vec<Cell>> = r
            .assignments
            .iter()
            .filter(|a| a.common == common)
            .map(|a| {
                row([
                    a.text.clone(),
                    assignment_status(a.status).into(),
                    a.comment.clone(),
                ])
            })
            .collect();
        if body.is_empty() {
            continue;
        }
        d.table(Table {
            caption: if common {
                "Kommungemensamma strategiska utvecklingsuppdrag"
            } else {
                "Tillkommande strategiska utvecklingsuppdrag"
            }
            .into(),
            columns: cols(&[(4, false), (2, false), (4, false)]),
            head: vec!["Uppdrag".into(), "Status".into(), "Kommentar".into()],
            header_column: None,
            body,
            foot: vec![],
        });
    }
}

pub(super) fn controls(d: &mut Doc, r: &InterimReport) {
    d.table(Table {
        caption: "Internkontrollplan: resultat".into(),
        columns: cols(&[(2, false), (4, false), (3, false), (6, false), (2, false)]),
        head: [
            "Verksamhet",
            "Kontrollmoment",
            "Resultat",
            "Iakttagelser och åtgärder",
            "Kvarstår",
        ]
        .map(String::from)
        .to_vec(),
        header_column: None,
        body: r
            .internal_control
            .iter()
            .map(|c| {
                let found = if c.actions.is_empty() {
                    c.findings.clone()
                } else {
                    format!("{} {}", c.findings, c.actions).trim().to_string()
                };
                vec![
                    c.unit.clone().into(),
                    format!("{} ({}, {})", c.name, c.frequency, c.owner).into(),
                    Cell {
                        text: control_result(c.result).into(),
                        tone: Some(Tone::of_control(c.result)),
                        italic: false,
                    },
                    found.into(),
                    (if c.carries_over { "Ja" } else { "Nej" }).into(),
                ]
            })
            .collect(),
        foot: vec![],
    });
}
