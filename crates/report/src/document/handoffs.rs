//! Hand-offs between units: one table of cases passed from one unit to another over the
//! period, and how many of them were handed back. Shown only when there were hand-offs.

use serva_domain::report::InterimReport;

use super::{cols, row, Doc, Table};
use crate::labels::*;

pub(super) fn handoffs(d: &mut Doc, r: &InterimReport) {
    if r.handoffs.is_empty() {
        return;
    }
    d.heading("Överlämningar mellan enheter");
    d.table(Table {
        caption: format!(
            "Ärenden överlämnade till en annan enhet, 1 januari–{}",
            long_date(&r.meta.through)
        ),
        columns: cols(&[(5, false), (5, false), (3, true), (3, true)]),
        head: [
            "Från enhet",
            "Till enhet",
            "Överlämnade",
            "Varav tillbakalämnade",
        ]
        .map(String::from)
        .to_vec(),
        header_column: Some(0),
        body: r
            .handoffs
            .iter()
            .map(|h| row([h.from.clone(), h.to.clone(), n(h.handoffs), n(h.hand_backs)]))
            .collect(),
        foot: vec![],
    });
}
