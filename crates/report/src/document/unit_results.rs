//! "Enheternas resultat från debiteringen": each unit's revenue from its locked charges
//! against its ledger costs, per unit, after the finance tables. Shown only when the year has
//! a locked billing run by the report date; none of the finance figures above it change.

use serva_domain::report::InterimReport;

use super::{cols, row, Doc, ParaStyle, Run, Table};
use crate::labels::*;

pub(super) fn unit_results(d: &mut Doc, r: &InterimReport) {
    if r.unit_results.is_empty() {
        return;
    }
    d.heading("Enheternas resultat från debiteringen");
    d.table(Table {
        caption: format!(
            "Intäkter från låst debitering mot kostnader i huvudboken, tkr, till och med {}",
            long_date(&r.meta.through)
        ),
        columns: cols(&[
            (4, false),
            (3, false),
            (2, true),
            (2, true),
            (2, true),
            (2, true),
        ]),
        head: [
            "Enhet",
            "Månader",
            "Intäkter, debitering",
            "Kostnader, huvudbok",
            "Resultat",
            "Budget",
        ]
        .map(String::from)
        .to_vec(),
        header_column: Some(0),
        body: r
            .unit_results
            .iter()
            .map(|u| {
                row([
                    u.unit.clone(),
                    if u.months.is_empty() {
                        "–".into()
                    } else {
                        u.months.clone()
                    },
                    n(u.revenue),
                    opt(u.cost),
                    opt(u.result),
                    n(u.budget),
                ])
            })
            .collect(),
        foot: vec![],
    });
    d.para(
        ParaStyle::Note,
        vec![Run::text(
            "Intäkterna är bara det Serva har debiterat i låsta debiteringar; kostnaderna är huvudbokens för samma månader. Resultatet räknas för månader som har både låst debitering och bokfört utfall; en enhet utan sådana månader visar sina debiterade intäkter och inget resultat. Budgeten är ett nollresultat.",
        )],
    );
}
