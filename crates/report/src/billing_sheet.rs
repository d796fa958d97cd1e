//! A billing run's charge lines as a spreadsheet's rows, for the CSV and XLSX exports.

use std::collections::BTreeMap;

use serva_domain::billing::run::ChargeLine;

use crate::sheet::Cell;

/// The columns of a run's lines in a spreadsheet.
pub const LINE_HEADINGS: &[&str] = &[
    "Kund",
    "Tjänst",
    "Levererande enhet",
    "Datum",
    "Källa",
    "Käll-id",
    "Antal",
    "Pris (kr)",
    "Belopp (kr)",
];

/// A run's lines as rows, customer by customer.
pub fn line_rows(lines: &[ChargeLine]) -> Vec<Vec<Cell>> {
    let mut by: BTreeMap<(&str, &str), Vec<&ChargeLine>> = BTreeMap::new();
    for l in lines {
        by.entry((&l.volume.customer, &l.volume.service))
            .or_default()
            .push(l);
    }
    by.into_values()
        .flatten()
        .map(|l| {
            let v = &l.volume;
            vec![
                Cell::Text(v.customer.clone()),
                Cell::Text(v.service.clone()),
                Cell::Text(v.provider.clone()),
                Cell::Text(v.day.format("%Y-%m-%d").to_string()),
                Cell::Text(v.source.kind().to_string()),
                Cell::Int(v.source.id()),
                Cell::Milli(v.quantity.0),
                Cell::Ore(l.price_ore),
                Cell::Ore(l.amount_ore),
            ]
        })
        .collect()
}
