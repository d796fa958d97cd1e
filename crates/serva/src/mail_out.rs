//! Mail out: the options of `serva serve` for sending mail to customers, and the delivery
//! worker that takes mail from the outbox and hands it to an SMTP relay
//! (docs/channels/email-out.md).
//!
//! The worker takes due mail with a lease (several nodes never take the same mail), sends
//! each, and marks it sent as soon as the relay has accepted it. A failure is retried with
//! backoff; a permanent refusal (5xx) or the last attempt leaves the mail failed, for an
//! administrator to see on /admin/outbox and send again.

use std::time::{Duration, UNIX_EPOCH};

use anyhow::{bail, Context};
use clap::Args;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serva_app::outbox::{hide_password, MailOutConfig};
use serva_domain::notify::{is_mail_address, AfterFailure, OutboxMail, RetryPolicy};
use serva_store::outbox::ClaimedMail;
use serva_store::Db;

#[derive(Args, Debug, Clone, Default)]
pub struct MailOutArgs {
    /// The SMTP relay mail to customers goes through: smtp://host:25 (plain),
    /// smtp://host:587?tls=required (STARTTLS), smtps://user:password@host:465 (TLS). Put a
    /// password in SERVA_SMTP_RELAY rather than on the command line. Without a relay, mail
    /// waits in the outbox (/admin/outbox) and goes once one is set.
    #[arg(long, env = "SERVA_SMTP_RELAY")]
    pub smtp_relay: Option<String>,
    /// Where people reach Serva (https://serva.kommun.se); links in mail start here. The
    /// address Serva listens on when not given.
    #[arg(long, env = "SERVA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The sender of mail from a unit that has no mailbox address of its own.
    #[arg(long, env = "SERVA_MAIL_FROM", default_value = "serva@localhost")]
    pub mail_from: String,
    /// Attempts before a mail is given up as failed.
    #[arg(long, env = "SERVA_SMTP_MAX_ATTEMPTS", default_value_t = RetryPolicy::default().max_attempts,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub smtp_max_attempts: u32,
    /// Seconds to wait after the first failed attempt; the wait doubles after each failure,
    /// up to an hour.
    #[arg(long, env = "SERVA_SMTP_RETRY_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub smtp_retry_seconds: u64,
}

/// Checks the options and makes the configuration; a mistake stops the start, not a mail.
pub fn configure(args: &MailOutArgs) -> anyhow::Result<MailOutConfig> {
    if let Some(url) = &args.smtp_relay {
        transport(url, Duration::from_secs(30))?;
    }
    if let Some(u) = &args.public_url {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            bail!("--public-url must start with http:// or https:// (got {u:?})");
        }
    }
    if !is_mail_address(&args.mail_from) {
        bail!(
            "--mail-from {:?} is not a mail address (name@domain)",
            args.mail_from
        );
    }
    Ok(MailOutConfig {
        smtp_relay: args.smtp_relay.clone(),
        public_url: args.public_url.clone(),
        mail_from: args.mail_from.clone(),
        retry: RetryPolicy {
            first_delay_ms: i64::try_from(args.smtp_retry_seconds)? * 1000,
            max_attempts: args.smtp_max_attempts,
            ..RetryPolicy::default()
        },
        ..MailOutConfig::default()
    })
}

fn transport(url: &str, timeout: Duration) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .with_context(|| {
            format!(
                "--smtp-relay {}: use smtp://host:port, smtp://host:port?tls=required or smtps://host:port",
                hide_password(url)
            )
        })?
        .timeout(Some(timeout))
        .build())
}

/// Mail taken at once by one worker.
const BATCH: i64 = 16;
/// How long a worker holds mail it took: longer than the whole batch may take (each attempt
/// up to the SMTP timeout) and a minute more, so a live worker never loses its mail to another;
/// a crashed worker's mail is taken again after it.
fn lease(smtp_timeout: Duration) -> Duration {
    smtp_timeout * BATCH as u32 + Duration::from_secs(60)
}
/// The longest sleep between two looks at the outbox when nothing rings: mail written by a
/// node whose events did not reach this one still goes within this.
const IDLE_LOOK: Duration = Duration::from_secs(30);

/// The delivery worker, stopped when dropped.
pub struct Delivery(tokio::task::JoinHandle<()>);

impl Drop for Delivery {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the delivery worker for `config`'s relay.
pub fn start(db: Db, config: &MailOutConfig) -> anyhow::Result<Option<Delivery>> {
    let Some(url) = &config.smtp_relay else {
        return Ok(None);
    };
    let relay = transport(url, config.smtp_timeout)?;
    let worker = Worker {
        relay,
        shown: hide_password(url),
        policy: config.retry,
        lease: lease(config.smtp_timeout),
    };
    tracing::info!(relay = %worker.shown, "sending mail through the relay");
    Ok(Some(Delivery(tokio::spawn(run(db, worker)))))
}

struct Worker {
    relay: AsyncSmtpTransport<Tokio1Executor>,
    /// The relay's URL without its password, for errors and logs.
    shown: String,
    policy: RetryPolicy,
    lease: Duration,
}

async fn run(db: Db, w: Worker) {
    let mut events = db.events().subscribe();
    loop {
        match deliver_due(&db, &w).await {
            // A full batch: there may be more waiting.
            Ok(n) if n as i64 >= BATCH => continue,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "reading the outbox failed; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        }
        let wait = match db.next_outbox_due().await {
            Ok(Some(at)) => {
                Duration::from_millis(u64::try_from(at - serva_domain::time::now_ms()).unwrap_or(0))
                    .min(IDLE_LOOK)
            }
            Ok(None) => IDLE_LOOK,
            Err(_) => Duration::from_secs(1),
        };
        if wait.is_zero() {
            // Due but not taken: another node holds it for a moment (PostgreSQL's SKIP LOCKED).
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        // Mail written on this node rings at once; mail written on another node comes with
        // its event (a new case, a reply, a status change).
        tokio::select! {
            () = db.outbox_written() => {}
            e = events.recv() => {
                if let Err(tokio::sync::broadcast::error::RecvError::Closed) = e {
                    tokio::time::sleep(wait).await;
                }
            }
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Sends what is due; returns how many mails were taken.
async fn deliver_due(db: &Db, w: &Worker) -> anyhow::Result<usize> {
    let now = serva_domain::time::now_ms();
    let lease_ms = i64::try_from(w.lease.as_millis()).unwrap_or(i64::MAX / 2);
    let taken = db.claim_outbox(now, BATCH, lease_ms).await?;
    let n = taken.len();
    for claimed in taken {
        deliver(db, w, claimed).await?;
    }
    Ok(n)
}

async fn deliver(db: &Db, w: &Worker, claimed: ClaimedMail) -> anyhow::Result<()> {
    let (relay, shown, policy) = (&w.relay, &w.shown, &w.policy);
    let m = &claimed.mail;
    let (error, permanent) = match message(m) {
        // A mail that cannot be written (an address the relay could never take) will not
        // get better by waiting.
        Err(e) => (e, true),
        Ok(msg) => match relay.send(msg).await {
            Ok(_) => {
                // Marked at once: the one window in which a mail can go twice is a crash
                // between the relay's acceptance and this write (docs/channels/email-out.md).
                db.mark_outbox_sent(m.id, serva_domain::time::now_ms())
                    .await
                    .with_context(|| format!("marking mail {} sent", m.id))?;
                tracing::info!(mail = m.id, message_id = %m.message_id, "mail sent");
                return Ok(());
            }
            Err(e) => (format!("{shown}: {e}"), e.is_permanent()),
        },
    };
    let after = db
        .mark_outbox_failed(
            &claimed,
            &error,
            permanent,
            policy,
            serva_domain::time::now_ms(),
        )
        .await
        .with_context(|| format!("recording the failure of mail {}", m.id))?;
    match after {
        AfterFailure::RetryAt(_) => {
            tracing::warn!(mail = m.id, attempts = m.attempts, %error, "mail not sent; will try again")
        }
        AfterFailure::GiveUp => {
            tracing::error!(mail = m.id, attempts = m.attempts, %error, "mail not sent; given up (see /admin/outbox)")
        }
    }
    Ok(())
}

/// The mail as it goes on the wire: plain UTF-8 text, the Message-ID and date fixed when it
/// was written, threading headers, and `Auto-Submitted` on notifications.
fn message(m: &OutboxMail) -> Result<Message, String> {
    let mailbox = |name: &Option<String>, address: &str, what: &str| {
        address
            .parse()
            .map(|a| Mailbox::new(name.clone().filter(|n| !n.is_empty()), a))
            .map_err(|e| format!("{what} {address:?}: {e}"))
    };
    let mut b = Message::builder()
        .message_id(Some(m.message_id.clone()))
        .date(UNIX_EPOCH + Duration::from_millis(u64::try_from(m.created_at).unwrap_or(0)))
        .from(mailbox(&m.from_name, &m.from_address, "sender")?)
        .to(mailbox(&m.to_name, &m.to_address, "recipient")?)
        .subject(m.subject.clone());
    if let Some(r) = &m.in_reply_to {
        b = b.in_reply_to(r.clone());
    }
    if let Some(r) = &m.references {
        b = b.references(r.clone());
    }
    if m.auto_submitted {
        b = b.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".into(),
        ));
    }
    b.header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| format!("the mail cannot be written: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_urls_are_checked_at_start() {
        let args = |relay: &str| MailOutArgs {
            smtp_relay: Some(relay.into()),
            mail_from: "serva@kommun.se".into(),
            smtp_max_attempts: 10,
            smtp_retry_seconds: 30,
            ..MailOutArgs::default()
        };
        assert!(configure(&args("smtp://127.0.0.1:2525")).is_ok());
        assert!(configure(&args("smtp://relay.kommun.se:587?tls=required")).is_ok());
        assert!(configure(&args("smtps://serva:hemligt@relay.kommun.se")).is_ok());
        let e = configure(&args("http://serva:hemligt@relay.kommun.se"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("smtp://host:port"), "{e}");
        assert!(!e.contains("hemligt"), "the password is not shown: {e}");
        let mut bad_from = args("smtp://127.0.0.1:25");
        bad_from.mail_from = "serva".into();
        assert!(configure(&bad_from).is_err());
    }
}
