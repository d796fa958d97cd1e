//! `serva bench`'s billing figures (issue 11): the monthly billing runs over every closed case
//! the bench loaded, locked one month after another through the application layer as a
//! controller locks them, then each locked run exported as SIE 4I. Budget: a run over
//! 1 000 000 closed cases in 10 s, and its SIE export in 2 s. Measured in-process on the
//! bench's database before the server starts.

use std::time::Instant;

use anyhow::Context;
use serva_app::App;
use serva_domain::access::Principal;
use serva_store::Db;

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
    /// Bytes of the runs' SIE files, and the seconds writing them took.
    pub sie_bytes: usize,
    pub sie_seconds: f64,
}

impl BillingFigures {
    pub fn print(&self) {
        println!(
            "billing: {} monthly runs locked with {} charge lines in {:.2} s (budget 10 s for a run over 1 000 000 closed cases)",
            self.runs, self.lines, self.lock_seconds
        );
        println!(
            "billing: SIE 4I export of those runs, {} bytes in {:.2} s (budget 2 s)",
            self.sie_bytes, self.sie_seconds
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

/// Locks every month's run that is not locked yet, then exports each locked run as SIE.
pub async fn figures(db: &Db) -> anyhow::Result<BillingFigures> {
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
    let start = Instant::now();
    let mut sie_bytes = 0;
    for month in &locked {
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
