//! The demo's year of charges: the billing runs of 2019 are locked, as the controller would
//! have locked them month by month, so every customer's charges and the units' results from
//! the billing have the year to show — except August.
//!
//! August 2019 — the month the report of 31 August is made in — is deliberately left
//! unlocked: it is the month a new user (and the acceptance check of billing) previews and
//! locks, and with it the year is whole.

use anyhow::Context;
use serva_app::App;
use serva_domain::access::Principal;
use serva_domain::UserId;
use serva_store::Db;

/// The months the demo locks, in order.
pub const LOCKED_MONTHS: [&str; 11] = [
    "2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06", "2019-07", "2019-09",
    "2019-10", "2019-11", "2019-12",
];

/// Locks the demo's billing runs of 2019 but August with the catalogue prices, as `controller`
/// (the system when there is none). A volume without a price stops the load: every demo
/// service with closed cases has a catalogue price.
pub async fn load(db: &Db, controller: Option<i64>) -> anyhow::Result<()> {
    let app = App::new(db.clone());
    let p = Principal {
        user: controller.map(UserId),
        ..Principal::system()
    };
    for month in LOCKED_MONTHS {
        app.lock_billing_run(&p, month)
            .await
            .with_context(|| format!("locking the demo's billing run of {month}"))?;
    }
    Ok(())
}
