//! The SLA sweep: at start and then every half minute, works out the clocks that need it —
//! open cases not worked out yet (after an upgrade or a bulk load) and those whose due time
//! has passed — so breaches are recorded (and announced to open queues and wall boards) when
//! they happen, not only when someone next touches the case.

use std::time::Duration;

use serva_store::Db;

/// How often the sweep looks for passed due times.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// The sweep, stopped when dropped.
pub struct Sweep(tokio::task::JoinHandle<()>);

impl Drop for Sweep {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the sweep on `db`.
pub fn start(db: Db) -> Sweep {
    let app = serva_app::App::new(db);
    Sweep(tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app.sweep_sla(serva_domain::time::now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(cases = n, "SLA clocks worked out"),
                // Two nodes may sweep at once; a breach both record is kept once (see
                // `insert_new_rows`), so a failure here is a real one, tried again next round.
                Err(e) => tracing::warn!(error = %e, "the SLA sweep failed; trying again"),
            }
        }
    }))
}
