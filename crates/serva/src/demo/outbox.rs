//! Demo mail: receipts and replies for the newest demo cases in the outbox, some sent, one
//! refused by the relay, one waiting for a retry and some not yet tried, so /admin/outbox
//! shows every state. The mail is written by the same code as a real change writes it.

use anyhow::Context;
use serva_domain::access::Visibility;
use serva_domain::notify::{CaseChangeForMail, RetryPolicy};
use serva_store::cases::CaseFilter;
use serva_store::Db;

/// Replies the demo's agents have sent, in turn.
const REPLIES: &[&str] = &[
    "Hej!\nVi har återställt ditt lösenord. Det nya kommer med sms inom en kvart.",
    "Hej!\nBeställningen är registrerad. Datorn levereras till din arbetsplats på torsdag.",
];

/// Writes the demo's mail; returns how many were written.
pub async fn load(db: &Db) -> anyhow::Result<usize> {
    let mut filter = CaseFilter::new(Visibility::All);
    filter.per_page = 40;
    let cases = db
        .list_cases(&filter)
        .await
        .context("reading the newest demo cases")?
        .cases;
    let mut written: usize = 0;
    let mut replied = 0;
    for case in cases.iter().filter(|c| c.status.is_active()) {
        if written >= 6 {
            break;
        }
        // Cases taken in by the demo's own use cases (citizens' forms) have their mail already.
        if !db
            .outbox_page(None, Some(case.id), 1, 1)
            .await?
            .0
            .is_empty()
        {
            continue;
        }
        let receipt = db
            .queue_case_mail(
                case.id,
                CaseChangeForMail::Created {
                    resolved_at_once: false,
                },
                None,
            )
            .await
            .with_context(|| format!("the receipt of case {}", case.id))?;
        if receipt.is_none() {
            continue;
        }
        written += 1;
        if let Some(text) = REPLIES.get(replied) {
            let reply = CaseChangeForMail::Message {
                internal: false,
                from_provider: true,
            };
            if db
                .queue_case_mail(case.id, reply, Some(text))
                .await
                .with_context(|| format!("a reply on case {}", case.id))?
                .is_some()
            {
                written += 1;
                replied += 1;
            }
        }
    }
    // As a relay would have answered: most went, one address was refused for good, one
    // attempt found the relay down; the newest two have not been tried.
    let now = serva_domain::time::now_ms();
    let tried = written.saturating_sub(2) as i64;
    let claimed = db.claim_outbox(now, tried, 60_000).await?;
    let n = claimed.len();
    for (i, c) in claimed.into_iter().enumerate() {
        if i + 2 < n {
            db.mark_outbox_sent(c.mail.id, now).await?;
        } else if i + 2 == n {
            db.mark_outbox_failed(
                &c,
                "smtp://relay.linkoping.example:25: permanent error (550): 5.1.1 Recipient address rejected: User unknown",
                true,
                &RetryPolicy::default(),
                now,
            )
            .await?;
        } else {
            db.mark_outbox_failed(
                &c,
                "smtp://relay.linkoping.example:25: Connection error: Connection refused (os error 111)",
                false,
                &RetryPolicy::default(),
                now,
            )
            .await?;
        }
    }
    Ok(written)
}
