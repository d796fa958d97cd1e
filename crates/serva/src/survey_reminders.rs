//! The survey reminder job of `serva serve` (docs/surveys.md): every few minutes it sends the
//! one reminder of each survey that is due and not yet answered. The reminder is marked in the
//! transaction that writes its mail to the outbox, so with several nodes running the job each
//! reminder still goes once; the outbox worker delivers it like any mail.

use std::time::Duration;

use serva_app::App;
use serva_store::Db;

/// The job, stopped when dropped.
pub struct Reminders(tokio::task::JoinHandle<()>);

impl Drop for Reminders {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the job: a round at once, then one every `every`.
pub fn start(db: Db, every: Duration) -> Reminders {
    let app = App::new(db);
    Reminders(tokio::spawn(async move {
        loop {
            if let Err(e) = round(&app, serva_domain::time::now_ms()).await {
                tracing::warn!(error = %e, "sending survey reminders failed; trying again later");
            }
            tokio::time::sleep(every).await;
        }
    }))
}

/// One round of the job as at `now` (ms, UTC): the reminders due are written to the outbox.
/// Returns how many were written.
pub async fn round(app: &App, now: i64) -> anyhow::Result<usize> {
    let n = app.send_due_survey_reminders(now).await?;
    if n > 0 {
        tracing::info!(reminders = n, "survey reminders written to the outbox");
    }
    Ok(n)
}
