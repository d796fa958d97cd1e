//! A unit's result as it forms: revenue from its locked charges, costs from the ledger (the
//! SIE import's outcome), against the zero-result budget, month by month.
//!
//! A month's revenue is known once its billing run is locked (a run's lines count in the
//! run's month, the month its SIE voucher is dated, so corrections count when they are made);
//! its cost once the ledger's outcome for the month is imported. A result is only given for a
//! month where both are known: a figure that cannot be derived is `None`, never a zero.

use std::collections::{BTreeMap, BTreeSet};

/// The budgeted result of every unit: VSS's units are financed to a zero result.
pub const BUDGET_ORE: i64 = 0;

/// A unit's revenue from one service in one month (the sum of its locked charge lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargedRevenue {
    pub unit: String,
    pub service: String,
    /// 1–12.
    pub month: u32,
    pub amount_ore: i64,
}

/// A unit's month as the ledger has it (the SIE import's outcome), in öre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerMonth {
    pub unit: String,
    pub month: u32,
    pub revenue_ore: i64,
    pub cost_ore: i64,
}

/// One month of a unit's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthResult {
    pub month: u32,
    /// Revenue from the month's locked run; `None` while the month has no locked run.
    pub revenue_ore: Option<i64>,
    /// Costs from the ledger; `None` while the month's outcome is not imported.
    pub cost_ore: Option<i64>,
    /// Revenue − cost, when both are known.
    pub result_ore: Option<i64>,
    /// The sum of the results of the year's months so far that have one; `None` for a month
    /// without a result.
    pub cumulative_ore: Option<i64>,
    /// The ledger's own revenue for the month (for comparison: it includes what Serva does
    /// not charge).
    pub ledger_revenue_ore: Option<i64>,
}

/// A service's revenue per month (index 0 = January) and for the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRevenue {
    pub service: String,
    pub months: [i64; 12],
    pub total_ore: i64,
}

/// A unit's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResult {
    pub unit: String,
    pub months: Vec<MonthResult>,
    pub services: Vec<ServiceRevenue>,
    /// The year's revenue over every locked month.
    pub revenue_ore: i64,
    /// Months with a result (both a locked run and the ledger's outcome), and the year's
    /// revenue, cost and result over those months only, so result = revenue − cost.
    pub months_with_result: usize,
    pub result_revenue_ore: i64,
    pub result_cost_ore: i64,
    pub result_ore: i64,
}

impl UnitResult {
    /// Whether the unit has anything to show for the year.
    pub fn is_empty(&self) -> bool {
        self.services.is_empty() && self.months.iter().all(|m| m.cost_ore.is_none())
    }
}

/// The results of every unit that has charges or ledger outcome in the year, by unit code.
/// `locked` are the months (1–12) whose billing run is locked.
pub fn unit_results(
    charges: &[ChargedRevenue],
    ledger: &[LedgerMonth],
    locked: &BTreeSet<u32>,
) -> Vec<UnitResult> {
    let units: BTreeSet<&str> = charges
        .iter()
        .map(|c| c.unit.as_str())
        .chain(ledger.iter().map(|l| l.unit.as_str()))
        .collect();
    units
        .into_iter()
        .map(|u| unit_result(u, charges, ledger, locked))
        .collect()
}

/// One unit's result for the year from the year's charges and ledger months (of any unit).
pub fn unit_result(
    unit: &str,
    charges: &[ChargedRevenue],
    ledger: &[LedgerMonth],
    locked: &BTreeSet<u32>,
) -> UnitResult {
    let mut per_service: BTreeMap<&str, [i64; 12]> = BTreeMap::new();
    let mut revenue = [0i64; 12];
    for c in charges.iter().filter(|c| c.unit == unit) {
        let Some(i) = index(c.month) else { continue };
        per_service.entry(&c.service).or_insert([0; 12])[i] += c.amount_ore;
        revenue[i] += c.amount_ore;
    }
    let mut book: [Option<(i64, i64)>; 12] = [None; 12];
    for l in ledger.iter().filter(|l| l.unit == unit) {
        if let Some(i) = index(l.month) {
            let (r, c) = book[i].unwrap_or((0, 0));
            book[i] = Some((r + l.revenue_ore, c + l.cost_ore));
        }
    }
    let mut months = Vec::with_capacity(12);
    let (mut rev_sum, mut result_sum, mut n) = (0i64, 0i64, 0usize);
    let (mut result_rev, mut result_cost) = (0i64, 0i64);
    for (i, m) in (1..=12u32).enumerate() {
        let rev = locked.contains(&m).then_some(revenue[i]);
        let cost = book[i].map(|(_, c)| c);
        let result = rev.zip(cost).map(|(r, c)| r - c);
        rev_sum += rev.unwrap_or(0);
        if let (Some(r), Some(re), Some(c)) = (result, rev, cost) {
            result_sum += r;
            result_rev += re;
            result_cost += c;
            n += 1;
        }
        months.push(MonthResult {
            month: m,
            revenue_ore: rev,
            cost_ore: cost,
            result_ore: result,
            cumulative_ore: result.map(|_| result_sum),
            ledger_revenue_ore: book[i].map(|(r, _)| r),
        });
    }
    UnitResult {
        unit: unit.to_string(),
        months,
        services: per_service
            .into_iter()
            .map(|(s, months)| ServiceRevenue {
                service: s.to_string(),
                total_ore: months.iter().sum(),
                months,
            })
            .collect(),
        revenue_ore: rev_sum,
        months_with_result: n,
        result_revenue_ore: result_rev,
        result_cost_ore: result_cost,
        result_ore: result_sum,
    }
}

fn index(month: u32) -> Option<usize> {
    (1..=12).contains(&month).then(|| month as usize - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charge(unit: &str, service: &str, month: u32, amount_ore: i64) -> ChargedRevenue {
        ChargedRevenue {
            unit: unit.into(),
            service: service.into(),
            month,
            amount_ore,
        }
    }

    fn book(unit: &str, month: u32, revenue_ore: i64, cost_ore: i64) -> LedgerMonth {
        LedgerMonth {
            unit: unit.into(),
            month,
            revenue_ore,
            cost_ore,
        }
    }

    #[test]
    fn a_result_needs_both_a_locked_run_and_the_ledger() {
        let charges = [
            charge("KL", "KL-FRAGA", 1, 19_500),
            charge("KL", "KL-BOKA", 1, 6_500),
            charge("KL", "KL-FRAGA", 2, 13_000),
            charge("KL", "KL-FRAGA", 3, 6_500),
            charge("LKDATA", "LK-X", 1, 99_999),
        ];
        let ledger = [
            book("KL", 1, 30_000, 20_000),
            book("KL", 2, 0, 20_000),
            book("KL", 4, 0, 5_000),
        ];
        let locked = BTreeSet::from([1, 2, 3]);
        let r = unit_result("KL", &charges, &ledger, &locked);
        let m = |i: usize| &r.months[i];
        assert_eq!(m(0).revenue_ore, Some(26_000));
        assert_eq!(m(0).result_ore, Some(6_000));
        assert_eq!(m(0).cumulative_ore, Some(6_000));
        assert_eq!(m(0).ledger_revenue_ore, Some(30_000));
        assert_eq!(m(1).result_ore, Some(-7_000));
        assert_eq!(m(1).cumulative_ore, Some(-1_000));
        // March: locked, but no ledger outcome yet; April: outcome, but no locked run.
        assert_eq!((m(2).revenue_ore, m(2).cost_ore), (Some(6_500), None));
        assert_eq!(m(2).result_ore, None);
        assert_eq!(m(2).cumulative_ore, None);
        assert_eq!((m(3).revenue_ore, m(3).cost_ore), (None, Some(5_000)));
        assert_eq!(m(3).result_ore, None);
        assert_eq!(m(4).revenue_ore, None);
        assert_eq!(r.revenue_ore, 45_500, "every locked month");
        // January and February only: March has no costs yet, April no revenue.
        assert_eq!((r.result_revenue_ore, r.result_cost_ore), (39_000, 40_000));
        assert_eq!(r.result_ore, -1_000);
        assert_eq!(r.months_with_result, 2);
        assert_eq!(r.services.len(), 2);
        assert_eq!(r.services[1].service, "KL-FRAGA");
        assert_eq!(r.services[1].total_ore, 39_000);
        assert_eq!(r.services[1].months[1], 13_000);
        // A locked month without charges has revenue zero, not unknown.
        let r = unit_result("KL", &[], &ledger, &locked);
        assert_eq!(r.months[1].revenue_ore, Some(0));
        assert_eq!(r.months[1].result_ore, Some(-20_000));
        let all = unit_results(&charges, &ledger, &locked);
        assert_eq!(
            all.iter().map(|u| u.unit.as_str()).collect::<Vec<_>>(),
            ["KL", "LKDATA"]
        );
        assert_eq!(all[1].revenue_ore, 99_999);
        assert_eq!(all[1].months_with_result, 0);
    }
}
