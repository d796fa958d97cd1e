//! The appendix: the board's indicators by period and gender, with the traffic light of each
//! row and its legend.

use serva_domain::followup::{Gender, TrafficLight};
use serva_domain::report::InterimReport;

use super::{cols, Block, Cell, Doc, Item, ParaStyle, Run, Table, Tone};
use crate::labels::*;

/// "Aug 2019" for "2019-08"; a year or a week as it is written.
fn period_label(p: &str) -> String {
    match (p.get(..4), p.get(5..7)) {
        (Some(y), Some(m)) if p.len() == 7 => {
            let month = month_name(m.parse().unwrap_or(1));
            format!("{} {y}", capitalise(month.get(..3).unwrap_or(month)))
        }
        _ => p.to_string(),
    }
}

pub(super) fn indicators(d: &mut Doc, r: &InterimReport) {
    let mut periods: Vec<&String> = r.indicators.iter().flat_map(|i| i.values.keys()).collect();
    periods.sort();
    periods.dedup();
    d.section("s-ind", "Bilaga: Uppföljning av nämndindikatorer");
    d.section_text(r, "indikatorer_intro", false);
    d.push(Block::List(
        [
            TrafficLight::Green,
            TrafficLight::Yellow,
            TrafficLight::Red,
            TrafficLight::Grey,
        ]
        .into_iter()
        .map(|l| Item {
            tone: Some(Tone::of_light(l)),
            ..Item::from(vec![Run::text(light_label(l))])
        })
        .collect(),
    ));
    // Period columns wide enough for "Aug 2019", the target for "Målvärde".
    let mut columns = cols(&[(8, false), (10, false)]);
    columns.extend(cols(&[(5, true)]).into_iter().cycle().take(periods.len()));
    columns.extend(cols(&[(6, true), (8, false)]));
    let mut head = vec!["Nämndmål".to_string(), "Indikator".to_string()];
    head.extend(periods.iter().map(|p| period_label(p)));
    head.extend(["Målvärde".to_string(), "Bedömning".to_string()]);
    let mut any_hidden = false;
    let body = r
        .indicators
        .iter()
        .map(|i| {
            let total = i.gender == Gender::Total;
            let mut cells: Vec<Cell> = vec![
                if total {
                    i.goal.clone().unwrap_or_default().into()
                } else {
                    "".into()
                },
                if total {
                    format!("{} ({})", i.name, i.measure).into()
                } else {
                    Cell {
                        text: gender_label(i.gender).into(),
                        tone: None,
                        italic: true,
                    }
                },
            ];
            for p in &periods {
                cells.push(
                    match i.values.get(*p) {
                        Some(Some(v)) => dec(*v),
                        Some(None) if i.suppressed.contains(p) => {
                            any_hidden = true;
                            "*".into()
                        }
                        _ => "–".into(),
                    }
                    .into(),
                );
            }
            cells.push(i.target.map_or("–".into(), dec).into());
            cells.push(Cell {
                text: light_label(i.status).into(),
                tone: Some(Tone::of_light(i.status)),
                italic: false,
            });
            cells
        })
        .collect();
    d.table(Table {
        caption: "Nämndindikatorer, könsuppdelade där det är möjligt".into(),
        columns,
        head,
        header_column: Some(1),
        body,
        foot: vec![],
    });
    if any_hidden {
        d.para(ParaStyle::Note, vec![Run::text("* Dolt: för liten grupp.")]);
    }
}
