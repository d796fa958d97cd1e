//! Price lists: per service, a price model and a price in öre, valid from a day (and, when a
//! later price replaces it, until the day before). A service has at most one price on any day.

use chrono::NaiveDate;

use crate::catalogue::PriceModel;

/// One price of one service for a stretch of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceEntry {
    pub service: String,
    pub model: PriceModel,
    pub price_ore: i64,
    pub valid_from: NaiveDate,
    /// The last day it applies; open when absent.
    pub valid_to: Option<NaiveDate>,
}

/// The day a service's catalogue price is taken to apply from, until a price entry takes
/// over: before any day a billing run meets.
pub fn catalogue_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("a day")
}

impl PriceEntry {
    /// Whether this is a service's catalogue price rather than an entry of a price list.
    pub fn from_catalogue(&self) -> bool {
        self.valid_from <= catalogue_start()
    }

    pub fn applies_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|t| day <= t)
    }
}

/// What makes a price list wrong, said per service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceProblem {
    /// Two prices of a service apply on the same day (`day` is the first such day).
    Overlap {
        service: String,
        day: NaiveDate,
    },
    NegativePrice {
        service: String,
    },
    EndsBeforeItStarts {
        service: String,
    },
}

impl std::fmt::Display for PriceProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PriceProblem::Overlap { service, day } => write!(
                f,
                "{service}: two prices apply on {day}; a price must end before the next begins"
            ),
            PriceProblem::NegativePrice { service } => {
                write!(f, "{service}: a price cannot be negative")
            }
            PriceProblem::EndsBeforeItStarts { service } => {
                write!(f, "{service}: the price ends before it starts")
            }
        }
    }
}

/// Every problem of a list of prices (empty: the list may be saved).
pub fn check_prices(entries: &[PriceEntry]) -> Vec<PriceProblem> {
    let mut out = Vec::new();
    for e in entries {
        if e.price_ore < 0 {
            out.push(PriceProblem::NegativePrice {
                service: e.service.clone(),
            });
        }
        if e.valid_to.is_some_and(|t| t < e.valid_from) {
            out.push(PriceProblem::EndsBeforeItStarts {
                service: e.service.clone(),
            });
        }
    }
    let mut sorted: Vec<&PriceEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| (&a.service, a.valid_from).cmp(&(&b.service, b.valid_from)));
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.service == b.service && a.valid_to.is_none_or(|t| t >= b.valid_from) {
            out.push(PriceProblem::Overlap {
                service: a.service.clone(),
                day: b.valid_from,
            });
        }
    }
    out
}

/// The price of `service` on `day`, if it has one.
pub fn price_on<'a>(
    entries: &'a [PriceEntry],
    service: &str,
    day: NaiveDate,
) -> Option<&'a PriceEntry> {
    entries
        .iter()
        .find(|e| e.service == service && e.applies_on(day))
}

/// A new price from `day`: the price that applies then is ended the day before, and the new
/// one runs until the next already planned price (if any) begins. History is kept.
pub fn change_price(
    entries: &mut Vec<PriceEntry>,
    new: PriceEntry,
) -> Result<(), Vec<PriceProblem>> {
    let day = new.valid_from;
    let mut next = entries.clone();
    if let Some(e) = next
        .iter_mut()
        .find(|e| e.service == new.service && e.applies_on(day))
    {
        if e.valid_from == day {
            return Err(vec![PriceProblem::Overlap {
                service: new.service.clone(),
                day,
            }]);
        }
        e.valid_to = day.pred_opt();
    }
    let later = next
        .iter()
        .filter(|e| e.service == new.service && e.valid_from > day)
        .map(|e| e.valid_from)
        .min();
    let new = PriceEntry {
        valid_to: new.valid_to.or(later.and_then(|d| d.pred_opt())),
        ..new
    };
    next.push(new);
    let problems = check_prices(&next);
    if problems.is_empty() {
        *entries = next;
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::time::parse_day(s).unwrap()
    }

    fn p(service: &str, price: i64, from: &str, to: Option<&str>) -> PriceEntry {
        PriceEntry {
            service: service.into(),
            model: PriceModel::PerCase,
            price_ore: price,
            valid_from: d(from),
            valid_to: to.map(d),
        }
    }

    #[test]
    fn a_mid_month_change_prices_each_day_by_its_own_price() {
        let mut list = vec![p("KL-FRAGA", 10_000, "2019-01-01", None)];
        change_price(&mut list, p("KL-FRAGA", 12_000, "2019-08-16", None)).unwrap();
        assert_eq!(
            price_on(&list, "KL-FRAGA", d("2019-08-15"))
                .unwrap()
                .price_ore,
            10_000
        );
        assert_eq!(
            price_on(&list, "KL-FRAGA", d("2019-08-16"))
                .unwrap()
                .price_ore,
            12_000
        );
        assert_eq!(price_on(&list, "KL-FRAGA", d("2018-12-31")), None);
        assert_eq!(list.len(), 2, "history is kept");
        assert!(check_prices(&list).is_empty());
    }

    #[test]
    fn overlapping_prices_are_refused() {
        let list = vec![
            p("LK-DATOR", 30_000, "2019-01-01", Some("2019-12-31")),
            p("LK-DATOR", 32_000, "2019-07-01", None),
        ];
        assert_eq!(
            check_prices(&list),
            vec![PriceProblem::Overlap {
                service: "LK-DATOR".into(),
                day: d("2019-07-01")
            }]
        );
        let mut list = vec![p("LK-DATOR", 30_000, "2019-01-01", None)];
        assert!(change_price(&mut list, p("LK-DATOR", 1, "2019-01-01", None)).is_err());
        assert_eq!(list.len(), 1, "nothing written");
        assert_eq!(
            check_prices(&[p("X", -1, "2019-01-01", Some("2018-01-01"))]).len(),
            2
        );
    }

    #[test]
    fn a_change_before_a_planned_price_ends_where_it_begins() {
        let mut list = vec![
            p("HR-LON", 5_000, "2019-01-01", Some("2019-12-31")),
            p("HR-LON", 6_000, "2020-01-01", None),
        ];
        change_price(&mut list, p("HR-LON", 5_500, "2019-09-01", None)).unwrap();
        assert_eq!(
            price_on(&list, "HR-LON", d("2019-12-31"))
                .unwrap()
                .price_ore,
            5_500
        );
        assert_eq!(
            price_on(&list, "HR-LON", d("2020-01-01"))
                .unwrap()
                .price_ore,
            6_000
        );
    }
}
