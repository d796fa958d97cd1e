//! E-mail in at the edge: Serva's own SMTP listener and the IMAP fetcher. Both hand what
//! arrives to `serva_app::App::receive_mail`; see docs/channels/email-in.md.

pub mod imap;
pub mod smtp;

use std::time::Duration;

use clap::Args;
use serva_app::App;
use serva_store::Db;

/// The options of `serve` and `demo` for mail in.
#[derive(Args, Debug, Clone)]
pub struct MailInArgs {
    /// Take mail in over SMTP on this address (e.g. 127.0.0.1:2525), for a relay or MX to
    /// deliver the units' mail to. Off when not given.
    #[arg(long, env = "SERVA_SMTP_LISTEN")]
    pub smtp_listen: Option<String>,
    /// Seconds between polls of the units' IMAP mailboxes (set under Administration → E-post
    /// in); 0 turns fetching off.
    #[arg(long, default_value_t = 60, env = "SERVA_IMAP_POLL_SECONDS",
          value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub imap_poll_seconds: u64,
}

/// What mail in runs in the background; dropped with the server.
pub struct MailIn {
    pub smtp: Option<std::net::SocketAddr>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for MailIn {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Starts the SMTP listener (when asked for) and the IMAP fetcher.
pub async fn start(db: &Db, args: &MailInArgs) -> anyhow::Result<MailIn> {
    let app = App::new(db.clone());
    let mut tasks = Vec::new();
    let mut smtp = None;
    if let Some(addr) = &args.smtp_listen {
        let (local, task) = smtp::spawn(addr, app.clone()).await?;
        smtp = Some(local);
        tasks.push(task);
    }
    if args.imap_poll_seconds > 0 {
        tasks.push(imap::spawn(
            app,
            Duration::from_secs(args.imap_poll_seconds),
        ));
    }
    Ok(MailIn { smtp, tasks })
}
