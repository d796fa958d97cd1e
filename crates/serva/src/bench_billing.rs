//! `serva bench`'s billing figures (issue 11): the monthly billing runs over every closed case
//! the bench loaded, with 10 000 time entries and 20 000 subscriptions beside them, locked one
//! month after another through the application layer as a controller locks them, then each
//! locked run exported as SIE 4I. Budget: a run over 1 000 000 closed cases, 10 000 time
//! entries and 20 000 subscriptions in 10 s, and its SIE export in 2 s. Measured in-process
//! on the bench's database before the server starts.

use std::time::Instant;

use anyhow::Context;
use serva_app::App;
use serva_domain::access::Principal;
use serva_domain::catalogue::PriceModel;
use serva_domain::time::local_day;
use serva_store::bulk::{SubscriptionPeriodRow, SubscriptionRow, TimeEntryRow, UnitRow};
use serva_store::Db;

use crate::demo::rng::Rng;

/// Time entries and subscriptions the bench adds to the closed cases.
pub const TIME_ENTRIES: usize = 10_000;
pub const SUBSCRIPTIONS: usize = 20_000;

/// The first and the last month the bench's generator closes cases in (2019-01-01 plus two
/// years and up to three days).
const FIRST: (i32, u32) = (2019, 1);
const LAST: (i32, u32) = (2021, 1);

/// The figures, as printed.
pub struct BillingFigures {
    /// Months locked (a month locked by an earlier run with `--reuse` is not counted).
    pub runs: usize,
    /// Charge lines those runs hold.
    pub lines: i64,
    /// Seconds the runs took: reading the month's volumes, pricing, writing the lines.
    pub lock_seconds: f64,
    /// Bytes of every locked run's SIE file, and the seconds writing them took.
    pub sie_bytes: usize,
    pub sie_seconds: f64,
    /// Runs exported.
    pub exported: usize,
}

impl BillingFigures {
    pub fn print(&self) {
        println!(
            "billing: {} monthly runs over the closed cases, {} time entries and {} subscriptions locked with {} charge lines in {:.2} s (budget 10 s)",
            self.runs, TIME_ENTRIES, SUBSCRIPTIONS, self.lines, self.lock_seconds
        );
        println!(
            "billing: SIE 4I export of {} locked runs, {} bytes in {:.2} s (budget 2 s)",
            self.exported, self.sie_bytes, self.sie_seconds
        );
    }
}

fn months() -> Vec<String> {
    let mut out = Vec::new();
    let (mut y, mut m) = FIRST;
    while (y, m) <= LAST {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Adds `TIME_ENTRIES` time entries on closed customer cases of the per-hour services and
/// `SUBSCRIPTIONS` subscriptions of the per-unit-month and subscription services, from the
/// first month on, for as many generated customer departments as that takes (a municipality
/// has far fewer; the budget is about the rows). Skipped when an earlier run added them.
pub async fn load_volumes(db: &Db) -> anyhow::Result<()> {
    if db.next_id("subscriptions").await? > 1 {
        return Ok(());
    }
    let services = db
        .services(&serva_store::catalogue::ServiceFilter::default())
        .await?;
    let of = |models: &[PriceModel]| -> Vec<i64> {
        services
            .iter()
            .filter(|s| models.contains(&s.price_model))
            .map(|s| s.id.0)
            .collect()
    };
    let hourly = of(&[PriceModel::PerHour]);
    let monthly = of(&[PriceModel::PerUnitMonth, PriceModel::Subscription]);
    anyhow::ensure!(
        !hourly.is_empty() && !monthly.is_empty(),
        "the catalogue has no per-hour or no monthly service"
    );
    let root = db
        .units()
        .await?
        .into_iter()
        .find(|u| u.parent_id.is_none())
        .context("the organisation has no root")?;
    let agent = db.user_by_username("handlaggare.lkdata").await?.id.0;
    let mut rng = Rng::new(20_191_231);
    let mut bulk = db.begin_bulk().await?;
    let now = serva_domain::time::now_ms();
    let from = 1_546_300_800_000i64; // 2019-01-01, as the case generator
    let cases = bulk
        .customer_cases_of(&hourly, from, from + 3 * 365 * 86_400_000)
        .await?;
    let closed: Vec<_> = cases.iter().filter(|c| c.closed_at.is_some()).collect();
    anyhow::ensure!(!closed.is_empty(), "no closed case of a per-hour service");
    let entries: Vec<TimeEntryRow> = (0..TIME_ENTRIES)
        .map(|i| {
            let c = closed[i * closed.len() / TIME_ENTRIES];
            TimeEntryRow {
                id: i as i64 + 1,
                case_id: c.id,
                user_id: c.assignee_id.unwrap_or(agent),
                day: local_day(c.closed_at.expect("closed")),
                hours_milli: rng.range(1, 17) * 250,
                note: "Bänktest".into(),
                created_at: now,
                updated_at: now,
            }
        })
        .collect();
    bulk.insert(&entries).await?;

    let departments = SUBSCRIPTIONS.div_ceil(monthly.len());
    let first_unit = db.next_id("units").await?;
    let units: Vec<UnitRow> = (0..departments)
        .map(|i| UnitRow {
            id: first_unit + i as i64,
            code: format!("BK{i:05}").into(),
            name: format!("Bänkkund {i}").into(),
            kind: "department".into(),
            parent_id: Some(root.id.0),
            erp_code: None,
            valid_from: None,
            valid_to: None,
            predecessor_id: None,
            mail_address: None,
        })
        .collect();
    bulk.insert(&units).await?;
    let jan1 = local_day(from);
    let (mut subs, mut periods) = (Vec::new(), Vec::new());
    for (k, (unit, service)) in units
        .iter()
        .flat_map(|u| monthly.iter().map(move |s| (u.id, *s)))
        .take(SUBSCRIPTIONS)
        .enumerate()
    {
        let id = k as i64 + 1;
        subs.push(SubscriptionRow {
            id,
            customer_unit_id: unit,
            service_id: service,
            created_at: now,
        });
        periods.push(SubscriptionPeriodRow {
            id,
            subscription_id: id,
            quantity_milli: rng.range(1, 40) * 1000,
            valid_from: jan1,
            valid_to: None,
            case_id: None,
            ended_case_id: None,
            created_at: now,
            created_by: None,
        });
    }
    bulk.insert(&subs).await?;
    bulk.insert(&periods).await?;
    bulk.commit().await?;
    Ok(())
}

/// Locks every month's run that is not locked yet, then exports each locked run as SIE.
pub async fn figures(db: &Db) -> anyhow::Result<BillingFigures> {
    load_volumes(db)
        .await
        .context("adding time and subscriptions")?;
    let app = App::new(db.clone());
    let system = Principal::system();
    let mut locked = Vec::new();
    let mut lines = 0;
    let start = Instant::now();
    for month in months() {
        if db.billing_run(&month).await?.is_some() {
            continue;
        }
        let run = app
            .lock_billing_run(&system, &month)
            .await
            .with_context(|| format!("locking the billing run of {month}"))?;
        lines += run.lines;
        locked.push(month);
    }
    let lock_seconds = start.elapsed().as_secs_f64();
    // Every locked run's SIE file, also those an earlier run locked (with `--reuse`).
    let mut runs = Vec::new();
    for month in months() {
        if db.billing_run(&month).await?.is_some() {
            runs.push(month);
        }
    }
    let start = Instant::now();
    let mut sie_bytes = 0;
    for month in &runs {
        sie_bytes += app
            .billing_sie(&system, month)
            .await
            .with_context(|| format!("the SIE export of {month}"))?
            .len();
    }
    Ok(BillingFigures {
        runs: locked.len(),
        lines,
        lock_seconds,
        sie_bytes,
        sie_seconds: start.elapsed().as_secs_f64(),
        exported: runs.len(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_months_run_from_the_first_to_the_last_the_generator_closes_in() {
        let m = super::months();
        assert_eq!(m.len(), 25);
        assert_eq!(m[0], "2019-01");
        assert_eq!(m[11], "2019-12");
        assert_eq!(m[24], "2021-01");
    }
}
