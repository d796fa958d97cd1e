//! The pricing simulator: a unit's volumes of the year and its cost, and the price change that
//! brings the forecast result (revenue − cost) to a target. Also what a proposed list does to
//! each customer's cost, and a list compared with another. Integers only: öre and thousandths.
//!
//! Rules (docs/billing.md, "Prissimulering"):
//! - A year's volume is extrapolated by the months begun: what the first `m` months hold
//!   × 12 / `m`, rounded half away from zero to a thousandth (`extrapolate`).
//! - Revenue is Σ over services of `amount_ore(volume, price)` (rounded once per service).
//! - A new price is rounded half away from zero to whole öre, so the result reached differs
//!   from the target by at most `tolerance_ore`: Σ over services of ½ öre × volume, plus ½ öre
//!   per service for rounding its amount.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::money::{amount_ore, div_round_half_away, Milli};

/// Months of the year begun by `as_of` (1–12): August's 8th counts August.
pub fn months_begun(as_of: NaiveDate) -> u32 {
    as_of.month()
}

/// A volume of `months` months as a full year's: × 12 / `months`, half away from zero.
pub fn extrapolate(q: Milli, months: u32) -> Milli {
    let m = i128::from(months.clamp(1, 12));
    Milli(div_round_half_away(i128::from(q.0) * 12, m) as i64)
}

/// One customer's volume of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerVolume {
    pub customer: String,
    pub service: String,
    pub quantity: Milli,
}

/// One service as the simulator sees it: its year's volume and its price now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePrice {
    pub service: String,
    pub volume: Milli,
    pub price_ore: i64,
}

/// What to change: every price by the same factor, or one service's price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    AcrossTheBoard,
    Service(String),
}

/// Why no answer can be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimProblem {
    /// There is no revenue to scale (no volumes, or every price is zero).
    NoRevenue,
    /// The chosen service is not the unit's, or has no volume this year.
    NoVolume(String),
    /// The target would need a negative price.
    NegativePrice(String),
}

impl std::fmt::Display for SimProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimProblem::NoRevenue => write!(f, "the unit has no revenue this year to change"),
            SimProblem::NoVolume(s) => write!(f, "{s} has no volume this year"),
            SimProblem::NegativePrice(s) => {
                write!(f, "the target would need a negative price for {s}")
            }
        }
    }
}

/// A service's old and new price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceLine {
    pub service: String,
    pub volume: Milli,
    pub old_ore: i64,
    pub new_ore: i64,
}

/// The simulator's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    pub lines: Vec<PriceLine>,
    pub cost_ore: i64,
    pub target_ore: i64,
    pub revenue_before: i64,
    pub revenue_after: i64,
    /// The change of the prices changed, in tenths of a percent (across the board: of every
    /// price; per service: of that service's).
    pub change_permille: i64,
}

impl Simulation {
    pub fn result_before(&self) -> i64 {
        self.revenue_before - self.cost_ore
    }
    pub fn result_after(&self) -> i64 {
        self.revenue_after - self.cost_ore
    }
    /// The most the result reached may differ from the target by rounding.
    pub fn tolerance_ore(&self) -> i64 {
        tolerance_ore(&self.lines)
    }
    /// The new prices by service.
    pub fn new_prices(&self) -> BTreeMap<String, i64> {
        self.lines
            .iter()
            .map(|l| (l.service.clone(), l.new_ore))
            .collect()
    }
}

/// Σ over services of ½ öre × volume, plus ½ öre per service, rounded up to whole öre.
pub fn tolerance_ore(lines: &[PriceLine]) -> i64 {
    let halves: i128 = lines
        .iter()
        .map(|l| i128::from(l.volume.0.abs()) + 1000)
        .sum();
    // halves is in thousandths of half-öre: ⌈halves / 2000⌉.
    ((halves + 1999) / 2000) as i64
}

/// Revenue: Σ `amount_ore(volume, price)`.
pub fn revenue(services: &[ServicePrice]) -> i64 {
    services
        .iter()
        .map(|s| amount_ore(s.volume, s.price_ore))
        .sum()
}

/// `part / whole` in tenths of a percent, half away from zero (0 when `whole` is 0).
pub fn permille(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        0
    } else {
        let (n, d) = (i128::from(part) * 1000, i128::from(whole));
        let q = div_round_half_away(n * d.signum(), d.abs());
        q as i64
    }
}

/// The prices that bring revenue − `cost_ore` to `target_ore`.
pub fn simulate(
    services: &[ServicePrice],
    cost_ore: i64,
    target_ore: i64,
    mode: &Mode,
) -> Result<Simulation, SimProblem> {
    let before = revenue(services);
    let needed = i128::from(cost_ore) + i128::from(target_ore);
    let mut lines: Vec<PriceLine> = services
        .iter()
        .map(|s| PriceLine {
            service: s.service.clone(),
            volume: s.volume,
            old_ore: s.price_ore,
            new_ore: s.price_ore,
        })
        .collect();
    let change_permille = match mode {
        Mode::AcrossTheBoard => {
            if before <= 0 {
                return Err(SimProblem::NoRevenue);
            }
            if needed < 0 {
                return Err(SimProblem::NegativePrice(
                    services
                        .first()
                        .map(|s| s.service.clone())
                        .unwrap_or_default(),
                ));
            }
            for l in &mut lines {
                l.new_ore =
                    div_round_half_away(i128::from(l.old_ore) * needed, i128::from(before)) as i64;
            }
            permille((needed - i128::from(before)) as i64, before)
        }
        Mode::Service(code) => {
            let Some(i) = lines
                .iter()
                .position(|l| &l.service == code && l.volume.0 > 0)
            else {
                return Err(SimProblem::NoVolume(code.clone()));
            };
            let others: i64 = services
                .iter()
                .filter(|s| &s.service != code)
                .map(|s| amount_ore(s.volume, s.price_ore))
                .sum();
            let rest = needed - i128::from(others);
            let price = div_round_half_away(rest * 1000, i128::from(lines[i].volume.0)) as i64;
            if price < 0 {
                return Err(SimProblem::NegativePrice(code.clone()));
            }
            lines[i].new_ore = price;
            permille(price - lines[i].old_ore, lines[i].old_ore)
        }
    };
    let after: Vec<ServicePrice> = lines
        .iter()
        .map(|l| ServicePrice {
            service: l.service.clone(),
            volume: l.volume,
            price_ore: l.new_ore,
        })
        .collect();
    Ok(Simulation {
        revenue_after: revenue(&after),
        lines,
        cost_ore,
        target_ore,
        revenue_before: before,
        change_permille,
    })
}

/// A customer's cost of the year at the prices now and at the proposed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCost {
    pub customer: String,
    pub before_ore: i64,
    pub after_ore: i64,
}

/// Each customer's volumes priced at `old` and at `new` (a service missing from `new` keeps
/// its old price; one missing from both costs nothing), by customer.
pub fn customer_costs(
    volumes: &[CustomerVolume],
    old: &BTreeMap<String, i64>,
    new: &BTreeMap<String, i64>,
) -> Vec<CustomerCost> {
    let mut by: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for v in volumes {
        let o = old.get(&v.service).copied().unwrap_or(0);
        let n = new.get(&v.service).copied().unwrap_or(o);
        let e = by.entry(&v.customer).or_default();
        e.0 += amount_ore(v.quantity, o);
        e.1 += amount_ore(v.quantity, n);
    }
    by.into_iter()
        .map(|(c, (before_ore, after_ore))| CustomerCost {
            customer: c.to_string(),
            before_ore,
            after_ore,
        })
        .collect()
}

/// Each service's volume: the sum of its customers'.
pub fn service_volumes(volumes: &[CustomerVolume]) -> BTreeMap<String, Milli> {
    let mut out: BTreeMap<String, Milli> = BTreeMap::new();
    for v in volumes {
        out.entry(v.service.clone()).or_default().0 += v.quantity.0;
    }
    out
}

/// One service in a list compared with another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub service: String,
    /// The price now, if the service has one.
    pub now_ore: Option<i64>,
    pub draft_ore: i64,
}

impl Comparison {
    pub fn change_ore(&self) -> Option<i64> {
        self.now_ore.map(|n| self.draft_ore - n)
    }
    /// The change in tenths of a percent; none when there is no price now or it is zero.
    pub fn change_permille(&self) -> Option<i64> {
        self.now_ore
            .filter(|n| *n != 0)
            .map(|n| permille(self.draft_ore - n, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(service: &str, volume: i64, price: i64) -> ServicePrice {
        ServicePrice {
            service: service.into(),
            volume: Milli::whole(volume),
            price_ore: price,
        }
    }

    #[test]
    fn a_year_is_extrapolated_by_the_months_begun() {
        let d = |s| crate::time::parse_day(s).unwrap();
        assert_eq!(months_begun(d("2019-08-08")), 8);
        assert_eq!(extrapolate(Milli::whole(8), 8), Milli::whole(12));
        assert_eq!(extrapolate(Milli::whole(1), 7), Milli(1714));
        assert_eq!(extrapolate(Milli::whole(5), 12), Milli::whole(5));
        assert_eq!(extrapolate(Milli::whole(5), 0), Milli::whole(60));
    }

    #[test]
    fn across_the_board_reaches_the_target_within_the_rounding() {
        let s = vec![
            sp("LK-DATOR", 1_234, 31_700),
            sp("LK-KONTO", 87, 45_000),
            sp("LK-ANDRING", 3, 89_950),
        ];
        let before = revenue(&s);
        let cost = before + 1_000_000;
        let sim = simulate(&s, cost, 0, &Mode::AcrossTheBoard).unwrap();
        assert!(sim.change_permille > 0);
        assert!(sim.lines.iter().all(|l| l.new_ore > l.old_ore));
        assert!(
            sim.result_after().abs() <= sim.tolerance_ore(),
            "{} vs ±{}",
            sim.result_after(),
            sim.tolerance_ore()
        );
        // Simulated again at the new prices: nothing more to change.
        let again: Vec<ServicePrice> = sim
            .lines
            .iter()
            .map(|l| ServicePrice {
                service: l.service.clone(),
                volume: l.volume,
                price_ore: l.new_ore,
            })
            .collect();
        let sim2 = simulate(&again, cost, 0, &Mode::AcrossTheBoard).unwrap();
        assert!(sim2.result_before().abs() <= sim.tolerance_ore());
    }

    #[test]
    fn a_surplus_lowers_the_prices_and_a_target_is_kept() {
        let s = vec![sp("A", 100, 10_000), sp("B", 10, 50_000)];
        // Revenue 1 500 000 öre; cost 1 200 000; target 100 000 → revenue 1 300 000.
        let sim = simulate(&s, 1_200_000, 100_000, &Mode::AcrossTheBoard).unwrap();
        assert_eq!(sim.new_prices()["A"], 8_667);
        assert_eq!(sim.new_prices()["B"], 43_333);
        assert_eq!(sim.change_permille, -133);
        assert!((sim.result_after() - 100_000).abs() <= sim.tolerance_ore());
    }

    #[test]
    fn one_service_carries_the_change() {
        let s = vec![sp("A", 100, 10_000), sp("B", 7, 50_000)];
        // Others: 1 000 000; needed 1 400 000 → B must bring 400 000 over 7 = 57 142,857… → 57 143.
        let sim = simulate(&s, 1_400_000, 0, &Mode::Service("B".into())).unwrap();
        assert_eq!(sim.new_prices()["A"], 10_000);
        assert_eq!(sim.new_prices()["B"], 57_143);
        assert_eq!(sim.result_after(), 1);
        assert!(sim.result_after().abs() <= sim.tolerance_ore());
        assert_eq!(
            simulate(&s, 100_000, 0, &Mode::Service("B".into())),
            Err(SimProblem::NegativePrice("B".into()))
        );
        assert_eq!(
            simulate(&s, 1, 0, &Mode::Service("C".into())),
            Err(SimProblem::NoVolume("C".into()))
        );
        assert_eq!(
            simulate(&[sp("A", 0, 100)], 1, 0, &Mode::AcrossTheBoard),
            Err(SimProblem::NoRevenue)
        );
    }

    #[test]
    fn the_tolerance_is_half_an_ore_per_unit_of_volume() {
        let lines = vec![PriceLine {
            service: "A".into(),
            volume: Milli::whole(10),
            old_ore: 0,
            new_ore: 0,
        }];
        // ½ × 10 + ½ = 5,5 → 6 öre.
        assert_eq!(tolerance_ore(&lines), 6);
    }

    #[test]
    fn customers_see_their_own_cost_change() {
        let v = vec![
            CustomerVolume {
                customer: "SOF".into(),
                service: "A".into(),
                quantity: Milli::whole(2),
            },
            CustomerVolume {
                customer: "UBF".into(),
                service: "A".into(),
                quantity: Milli(1500),
            },
            CustomerVolume {
                customer: "UBF".into(),
                service: "B".into(),
                quantity: Milli::whole(1),
            },
        ];
        let old = BTreeMap::from([("A".to_string(), 10_000), ("B".to_string(), 333)]);
        let new = BTreeMap::from([("A".to_string(), 11_000)]);
        let c = customer_costs(&v, &old, &new);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].before_ore, c[0].after_ore), (20_000, 22_000));
        assert_eq!((c[1].before_ore, c[1].after_ore), (15_333, 16_833));
        assert_eq!(service_volumes(&v)["A"], Milli(3500));
    }

    #[test]
    fn a_comparison_says_the_change_in_kronor_and_percent() {
        let c = Comparison {
            service: "A".into(),
            now_ore: Some(40_000),
            draft_ore: 41_000,
        };
        assert_eq!(c.change_ore(), Some(1_000));
        assert_eq!(c.change_permille(), Some(25));
        let new = Comparison { now_ore: None, ..c };
        assert_eq!(new.change_permille(), None);
        assert_eq!(permille(-1, 3), -333);
    }
}
