//! Subscriptions: a customer's quantity of a service (computers, licences; a subscription is
//! one) from a day. A change from a day ends the current period the day before and starts a
//! new one, so the history is kept; a quantity of 0 ends the subscription.
//!
//! A month is charged pro rata: each period active in it gives `quantity × active days / days
//! of the month`, rounded half away from zero to thousandths. A whole month gives the
//! quantity exactly.

use chrono::NaiveDate;

use super::money::{div_round_half_away, Milli};
use crate::catalogue::PriceModel;

/// One stretch of a subscription at one quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub id: i64,
    pub quantity: Milli,
    pub valid_from: NaiveDate,
    /// The last day; open while the period runs.
    pub valid_to: Option<NaiveDate>,
    /// The order case that set this quantity, if one did.
    pub case_id: Option<i64>,
}

/// A customer's subscription of a service, with its periods oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub customer: String,
    pub customer_name: String,
    pub service: String,
    pub service_name: String,
    pub model: PriceModel,
    pub provider: String,
    pub provider_name: String,
    pub provider_id: i64,
    pub periods: Vec<Period>,
}

impl Subscription {
    /// The quantity on `day` (0 when nothing runs then).
    pub fn quantity_on(&self, day: NaiveDate) -> Milli {
        self.periods
            .iter()
            .find(|p| p.valid_from <= day && p.valid_to.is_none_or(|t| day <= t))
            .map_or(Milli(0), |p| p.quantity)
    }
}

/// What a change does to a subscription's periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The running period to end, and its new last day.
    pub end: Option<(i64, NaiveDate)>,
    /// The quantity of the new period from the change's day (none when the change ends it).
    pub start: Option<Milli>,
}

/// Why a change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscriptionProblem {
    /// Prices of this model are not subscriptions (per case, per hour).
    NotSubscribed(PriceModel),
    Negative,
    /// A number of units is a whole number.
    NotWhole,
    /// A subscription is 1 (or 0 to end it).
    OneOrNone,
    /// Ending something that does not run.
    NothingToEnd,
    /// The change must come after the running period's first day.
    BeforeCurrent(NaiveDate),
    /// The same quantity as now: nothing to change.
    Unchanged,
}

impl SubscriptionProblem {
    pub fn swedish(&self) -> String {
        match self {
            SubscriptionProblem::NotSubscribed(_) => {
                "Tjänsten debiteras inte per enhet och månad eller som abonnemang.".into()
            }
            SubscriptionProblem::Negative => "Antalet kan inte vara negativt.".into(),
            SubscriptionProblem::NotWhole => "Skriv antalet som ett heltal, t.ex. 12.".into(),
            SubscriptionProblem::OneOrNone => {
                "Ett abonnemang har antalet 1 (eller 0 för att avsluta det).".into()
            }
            SubscriptionProblem::NothingToEnd => "Det finns inget abonnemang att avsluta.".into(),
            SubscriptionProblem::BeforeCurrent(d) => format!(
                "Ändringen måste gälla från en dag efter {d}, då nuvarande antal började gälla."
            ),
            SubscriptionProblem::Unchanged => "Antalet är redan detsamma.".into(),
        }
    }
}

impl std::fmt::Display for SubscriptionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubscriptionProblem::NotSubscribed(m) => write!(
                f,
                "the service is priced {}, not per unit and month or as a subscription",
                m.as_str()
            ),
            SubscriptionProblem::Negative => write!(f, "the quantity cannot be negative"),
            SubscriptionProblem::NotWhole => write!(f, "the quantity must be a whole number"),
            SubscriptionProblem::OneOrNone => {
                write!(f, "a subscription's quantity is 1 (or 0 to end it)")
            }
            SubscriptionProblem::NothingToEnd => write!(f, "there is no subscription to end"),
            SubscriptionProblem::BeforeCurrent(d) => write!(
                f,
                "the change must start after {d}, the first day of the current quantity"
            ),
            SubscriptionProblem::Unchanged => write!(f, "the quantity is the same already"),
        }
    }
}

/// The change of a subscription to `quantity` from `from`, given its periods.
pub fn plan_change(
    model: PriceModel,
    periods: &[Period],
    from: NaiveDate,
    quantity: Milli,
) -> Result<Change, SubscriptionProblem> {
    match model {
        PriceModel::PerUnitMonth | PriceModel::Subscription => {}
        m => return Err(SubscriptionProblem::NotSubscribed(m)),
    }
    if quantity.0 < 0 {
        return Err(SubscriptionProblem::Negative);
    }
    if quantity.0 % 1000 != 0 {
        return Err(SubscriptionProblem::NotWhole);
    }
    if model == PriceModel::Subscription && quantity.0 > 1000 {
        return Err(SubscriptionProblem::OneOrNone);
    }
    // The period running on the change's day, or one that starts later (a change is never
    // made under a later one).
    if let Some(later) = periods.iter().find(|p| p.valid_from >= from) {
        return Err(SubscriptionProblem::BeforeCurrent(later.valid_from));
    }
    let current = periods
        .iter()
        .find(|p| p.valid_to.is_none_or(|t| t >= from));
    match current {
        None if quantity.0 == 0 => Err(SubscriptionProblem::NothingToEnd),
        None => Ok(Change {
            end: None,
            start: Some(quantity),
        }),
        Some(c) if c.quantity == quantity && c.valid_to.is_none() => {
            Err(SubscriptionProblem::Unchanged)
        }
        Some(c) => Ok(Change {
            end: Some((c.id, from.pred_opt().expect("a day after the first"))),
            start: (quantity.0 > 0).then_some(quantity),
        }),
    }
}

/// A period's quantity for the month `first..=last`: `quantity × active days / days of the
/// month`, rounded half away from zero to thousandths; `None` when it is not active then.
pub fn month_quantity(p: &Period, first: NaiveDate, last: NaiveDate) -> Option<Milli> {
    let from = p.valid_from.max(first);
    let to = p.valid_to.map_or(last, |t| t.min(last));
    if to < from {
        return None;
    }
    let active = (to - from).num_days() + 1;
    let days = (last - first).num_days() + 1;
    Some(Milli(div_round_half_away(
        i128::from(p.quantity.0) * i128::from(active),
        i128::from(days),
    ) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::time::parse_day(s).unwrap()
    }

    fn period(id: i64, q: i64, from: &str, to: Option<&str>) -> Period {
        Period {
            id,
            quantity: Milli::whole(q),
            valid_from: d(from),
            valid_to: to.map(d),
            case_id: None,
        }
    }

    #[test]
    fn a_whole_month_is_the_quantity_and_a_part_is_pro_rata() {
        let (first, last) = (d("2019-09-01"), d("2019-09-30"));
        let p = period(1, 12, "2019-01-01", None);
        assert_eq!(month_quantity(&p, first, last), Some(Milli::whole(12)));
        // 12 computers until the 15th, 15 from the 16th: 6 + 7,5.
        let before = period(1, 12, "2019-01-01", Some("2019-09-15"));
        let after = period(2, 15, "2019-09-16", None);
        assert_eq!(month_quantity(&before, first, last), Some(Milli(6_000)));
        assert_eq!(month_quantity(&after, first, last), Some(Milli(7_500)));
        // One day of 31: 1/31 = 0,032258… → 0,032.
        let one = period(3, 1, "2019-08-31", None);
        assert_eq!(
            month_quantity(&one, d("2019-08-01"), d("2019-08-31")),
            Some(Milli(32))
        );
        // 2 × 16/31 = 1,032258… → 1,032; 3 × 1/2-ish rounds half away: 3 × 14/28 = 1,5.
        let two = period(4, 2, "2019-08-16", None);
        assert_eq!(
            month_quantity(&two, d("2019-08-01"), d("2019-08-31")),
            Some(Milli(1_032))
        );
        let feb = period(5, 3, "2019-02-15", None);
        assert_eq!(
            month_quantity(&feb, d("2019-02-01"), d("2019-02-28")),
            Some(Milli(1_500))
        );
        // Not active in the month.
        assert_eq!(
            month_quantity(&period(6, 1, "2019-10-01", None), first, last),
            None
        );
        assert_eq!(
            month_quantity(&period(7, 1, "2019-01-01", Some("2019-08-31")), first, last),
            None
        );
    }

    #[test]
    fn a_change_ends_the_current_period_the_day_before() {
        let m = PriceModel::PerUnitMonth;
        assert_eq!(
            plan_change(m, &[], d("2019-01-01"), Milli::whole(10)),
            Ok(Change {
                end: None,
                start: Some(Milli::whole(10))
            })
        );
        let now = [period(1, 10, "2019-01-01", None)];
        assert_eq!(
            plan_change(m, &now, d("2019-09-16"), Milli::whole(15)),
            Ok(Change {
                end: Some((1, d("2019-09-15"))),
                start: Some(Milli::whole(15))
            })
        );
        assert_eq!(
            plan_change(m, &now, d("2019-09-16"), Milli(0)),
            Ok(Change {
                end: Some((1, d("2019-09-15"))),
                start: None
            })
        );
        assert_eq!(
            plan_change(m, &now, d("2019-01-01"), Milli::whole(3)),
            Err(SubscriptionProblem::BeforeCurrent(d("2019-01-01")))
        );
        assert_eq!(
            plan_change(m, &now, d("2019-05-01"), Milli::whole(10)),
            Err(SubscriptionProblem::Unchanged)
        );
        assert_eq!(
            plan_change(m, &now, d("2019-05-01"), Milli(1_500)),
            Err(SubscriptionProblem::NotWhole)
        );
        assert_eq!(
            plan_change(m, &[], d("2019-05-01"), Milli(0)),
            Err(SubscriptionProblem::NothingToEnd)
        );
        assert_eq!(
            plan_change(
                PriceModel::Subscription,
                &[],
                d("2019-05-01"),
                Milli::whole(2)
            ),
            Err(SubscriptionProblem::OneOrNone)
        );
        assert_eq!(
            plan_change(PriceModel::PerHour, &[], d("2019-05-01"), Milli::ONE),
            Err(SubscriptionProblem::NotSubscribed(PriceModel::PerHour))
        );
        // Ended: starting again later is a new period.
        let ended = [period(1, 10, "2019-01-01", Some("2019-03-31"))];
        assert_eq!(
            plan_change(m, &ended, d("2019-06-01"), Milli::whole(2)),
            Ok(Change {
                end: None,
                start: Some(Milli::whole(2))
            })
        );
    }
}
