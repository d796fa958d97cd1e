//! The demo's billing volumes beside its closed cases, so a 2019 run charges every kind:
//! subscriptions for every customer of the per-unit-month and subscription services (from
//! 1 January 2019, changed once or twice during the year by an order case), and time on the
//! 2019 cases of the per-hour services. Deterministic: the same seed gives the same volumes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serva_domain::billing::money::Milli;
use serva_domain::catalogue::PriceModel;
use serva_domain::time::{day_number, from_local, local_day};
use serva_store::bulk::{Bulk, SubscriptionPeriodRow, SubscriptionRow, TimeEntryRow};

use super::profiles::date;
use super::rng::Rng;
use super::Loaded;

const SEED: u64 = 20_190_101;

const NOTES: &[&str] = &[
    "Analys och planering",
    "Genomförande",
    "Test och verifiering",
    "Möte med beställaren",
    "Dokumentation",
];

pub(super) async fn load(bulk: &mut Bulk, l: &Loaded) -> anyhow::Result<()> {
    let mut rng = Rng::new(SEED);
    let from = from_local(date(2019, 1, 1).and_hms_opt(0, 0, 0).expect("midnight"));
    let to = from_local(date(2020, 1, 1).and_hms_opt(0, 0, 0).expect("midnight"));
    let model: HashMap<i64, (PriceModel, i64)> = l
        .services
        .iter()
        .map(|(id, s)| (*id, (s.price_model, s.price_ore)))
        .collect();
    let ids: Vec<i64> = model
        .iter()
        .filter(|(_, (m, _))| *m != PriceModel::PerCase)
        .map(|(id, _)| *id)
        .collect();
    let cases = bulk.customer_cases_of(&ids, from, to).await?;
    let now = serva_domain::time::now_ms();
    let jan1 = day_number(date(2019, 1, 1));
    let dec31 = day_number(date(2019, 12, 31));

    // Subscriptions: every customer that ordered a subscribed service in 2019, with its order
    // cases in the order they came.
    let mut orders: BTreeMap<(i64, i64), Vec<&serva_store::bulk::LoadedCase>> = BTreeMap::new();
    for c in &cases {
        if matches!(
            model[&c.service_id].0,
            PriceModel::PerUnitMonth | PriceModel::Subscription
        ) {
            orders
                .entry((c.customer_unit_id, c.service_id))
                .or_default()
                .push(c);
        }
    }
    let (mut subs, mut periods) = (Vec::new(), Vec::new());
    for (i, ((customer, service), cases)) in orders.iter().enumerate() {
        let sub = i as i64 + 1;
        subs.push(SubscriptionRow {
            id: sub,
            customer_unit_id: *customer,
            service_id: *service,
            created_at: from,
        });
        let (m, price) = model[service];
        let mut quantity = match m {
            PriceModel::Subscription => 1,
            // A department of a municipality of 10 000 staff: servers by the ten, computers,
            // phones, licences and pay slips by the thousand, so that what the units sell
            // comes near what their ledgers show.
            _ if price >= 100_000 => rng.range(10, 80),
            _ => rng.range(300, 2_500),
        };
        let mut start = jan1;
        // A change or two during the year, each by one of the customer's order cases.
        let changes = if m == PriceModel::PerUnitMonth {
            cases.len().min(rng.range(1, 3) as usize)
        } else {
            0
        };
        let mut by_case = None;
        for k in 0..changes {
            let c = cases[k * cases.len() / changes.max(1)];
            let day = local_day(c.closed_at.unwrap_or(c.created_at)) + 1;
            if day <= start || day > dec31 {
                continue;
            }
            periods.push(SubscriptionPeriodRow {
                id: periods.len() as i64 + 1,
                subscription_id: sub,
                quantity_milli: Milli::whole(quantity).0,
                valid_from: start,
                valid_to: Some(day - 1),
                case_id: by_case,
                ended_case_id: Some(c.id),
                created_at: from,
                created_by: None,
            });
            quantity = (quantity + rng.range(-quantity / 4, quantity / 3 + 3)).max(1);
            start = day;
            by_case = Some(c.id);
        }
        periods.push(SubscriptionPeriodRow {
            id: periods.len() as i64 + 1,
            subscription_id: sub,
            quantity_milli: Milli::whole(quantity).0,
            valid_from: start,
            valid_to: None,
            case_id: by_case,
            ended_case_id: None,
            created_at: from,
            created_by: None,
        });
    }
    bulk.insert(&subs).await?;
    bulk.insert(&periods).await?;

    // Time: one to three entries on each 2019 case of a per-hour service, by its assignee (or
    // one of the unit's agents) on the days it was open; nobody's day passes eight hours.
    let unit_code: HashMap<i64, &str> = l.units.iter().map(|(c, id)| (*id, *c)).collect();
    let mut day_sum: HashMap<(i64, i64), i64> = HashMap::new();
    let mut entries = Vec::new();
    let hourly: BTreeSet<i64> = model
        .iter()
        .filter(|(_, (m, _))| *m == PriceModel::PerHour)
        .map(|(id, _)| *id)
        .collect();
    for c in cases.iter().filter(|c| hourly.contains(&c.service_id)) {
        let agents = unit_code
            .get(&c.unit_id)
            .and_then(|code| l.agents.get(code))
            .filter(|a| !a.is_empty());
        let Some(user) = c.assignee_id.or_else(|| agents.map(|a| *rng.pick(a))) else {
            continue;
        };
        let first = local_day(c.created_at);
        let last = c.closed_at.map_or(first + 10, local_day).min(dec31);
        for _ in 0..rng.range(1, 4) {
            let day = working_day((first + rng.range(0, (last - first).max(0) + 1)).min(dec31));
            // Quarter hours, from a quarter to six hours.
            let hours = rng.range(1, 25) * 250;
            let sum = day_sum.entry((user, day)).or_default();
            if *sum + hours > 8_000 {
                continue;
            }
            *sum += hours;
            entries.push(TimeEntryRow {
                id: entries.len() as i64 + 1,
                case_id: c.id,
                user_id: user,
                day,
                hours_milli: hours,
                note: (*rng.pick(NOTES)).into(),
                created_at: now,
                updated_at: now,
            });
        }
    }
    bulk.insert(&entries).await?;
    Ok(())
}

/// The day, or the next working day when it is a weekend or a holiday (the one before at the
/// year's end): people record time on the days they work.
fn working_day(day: i64) -> i64 {
    use chrono::Datelike;
    let off = |d: chrono::NaiveDate| {
        matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
            || serva_domain::holidays::holiday_on(d).is_some()
    };
    let mut d = serva_domain::time::day_date(day);
    let last = date(2019, 12, 31);
    while off(d) && d < last {
        d = d.succ_opt().expect("a day after");
    }
    while off(d) {
        d = d.pred_opt().expect("a day before");
    }
    day_number(d)
}
