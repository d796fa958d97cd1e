//! "Enheternas resultat från debiteringen": each provider unit's revenue from its locked
//! charges against its ledger costs over the months of the year, up to the report date, that
//! have both. Shown only when the year has a locked billing run by then; it uses none of the
//! report's finance figures and changes none of them.

use serde::{Deserialize, Serialize};

use crate::billing::result::UnitResult;
use crate::followup::tkr;

/// One unit's result from the billing, in tkr (each figure rounded once from öre).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResultRow {
    /// The unit's name.
    pub unit: String,
    /// The months with both a locked run and the ledger's outcome, e.g. "januari–juli";
    /// empty when there is none.
    pub months: String,
    /// Revenue over those months; without any, over the locked months up to the report date.
    pub revenue: i64,
    /// The ledger's costs over those months; `None` without any.
    pub cost: Option<i64>,
    /// Revenue − cost, rounded from öre; `None` without a month to compute it from.
    pub result: Option<i64>,
    /// The budgeted result: zero.
    pub budget: i64,
}

/// The rows of the units named (code, name), in that order, from their results for the year;
/// months after `through_month` do not count. Empty when no month up to then is locked.
pub fn unit_result_rows(
    units: &[(String, String)],
    results: &[UnitResult],
    through_month: u32,
) -> Vec<UnitResultRow> {
    let any_locked = results.iter().any(|r| {
        r.months
            .iter()
            .any(|m| m.month <= through_month && m.revenue_ore.is_some())
    });
    if !any_locked {
        return Vec::new();
    }
    units
        .iter()
        .filter_map(|(code, name)| {
            let r = results.iter().find(|r| &r.unit == code)?;
            let months: Vec<u32> = r
                .months
                .iter()
                .filter(|m| m.month <= through_month && m.result_ore.is_some())
                .map(|m| m.month)
                .collect();
            let sum = |f: &dyn Fn(&crate::billing::result::MonthResult) -> Option<i64>| -> i64 {
                r.months
                    .iter()
                    .filter(|m| months.contains(&m.month))
                    .filter_map(f)
                    .sum()
            };
            let revenue = sum(&|m| m.revenue_ore);
            let cost = sum(&|m| m.cost_ore);
            let locked_revenue: i64 = r
                .months
                .iter()
                .filter(|m| m.month <= through_month)
                .filter_map(|m| m.revenue_ore)
                .sum();
            let any = !months.is_empty();
            Some(UnitResultRow {
                unit: name.clone(),
                months: span(&months),
                revenue: tkr(if any { revenue } else { locked_revenue }),
                cost: any.then(|| tkr(cost)),
                result: any.then(|| tkr(revenue - cost)),
                budget: 0,
            })
        })
        .collect()
}

/// "januari–juli", "mars", or "januari, mars–april" for months with gaps.
fn span(months: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < months.len() {
        let mut j = i;
        while j + 1 < months.len() && months[j + 1] == months[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            crate::report_text::month_name(months[i]).to_string()
        } else {
            format!(
                "{}–{}",
                crate::report_text::month_name(months[i]),
                crate::report_text::month_name(months[j])
            )
        });
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::billing::result::{unit_result, ChargedRevenue, LedgerMonth};

    #[test]
    fn rows_count_the_months_with_a_result_up_to_the_report_date() {
        let charges: Vec<ChargedRevenue> = (1..=7)
            .map(|m| ChargedRevenue {
                unit: "KL".into(),
                service: "KL-FRAGA".into(),
                month: m,
                amount_ore: 150_000,
            })
            .collect();
        let ledger: Vec<LedgerMonth> = (1..=8)
            .map(|m| LedgerMonth {
                unit: "KL".into(),
                month: m,
                revenue_ore: 0,
                cost_ore: 100_000,
            })
            .collect();
        let locked: BTreeSet<u32> = (1..=7).collect();
        let kl = unit_result("KL", &charges, &ledger, &locked);
        let units = [
            ("KL".to_string(), "Kontakt Linköping".to_string()),
            ("EKS".to_string(), "Ekonomiservice".to_string()),
        ];
        let rows = unit_result_rows(&units, std::slice::from_ref(&kl), 8);
        assert_eq!(
            rows,
            [UnitResultRow {
                unit: "Kontakt Linköping".into(),
                months: "januari–juli".into(),
                revenue: 11,
                cost: Some(7),
                result: Some(4),
                budget: 0,
            }]
        );
        // Through June: the locked July does not count.
        let rows = unit_result_rows(&units, std::slice::from_ref(&kl), 6);
        assert_eq!(
            (rows[0].months.as_str(), rows[0].revenue),
            ("januari–juni", 9)
        );
        // Nothing locked by the report date: no section.
        let none = unit_result("KL", &charges, &ledger, &BTreeSet::from([9]));
        assert!(unit_result_rows(&units, &[none], 8).is_empty());
        assert_eq!(span(&[1, 3, 4]), "januari, mars–april");
        // Charges but no ledger: the locked revenue, and no cost or result.
        let bare = unit_result("KL", &charges, &[], &(1..=7).collect());
        let rows = unit_result_rows(&units, &[bare], 8);
        assert_eq!(
            (
                rows[0].months.as_str(),
                rows[0].revenue,
                rows[0].cost,
                rows[0].result
            ),
            ("", 11, None, None)
        );
    }
}
