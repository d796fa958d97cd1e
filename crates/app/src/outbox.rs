//! The mail outbox as administrators see it: what is waiting, sent and failed, one mail's
//! whole text, and sending a failed mail again. Delivery itself is a task of `serva serve`
//! (crates/serva/src/mail_out.rs); mail is written by the store with the change that sends it.

use std::time::Duration;

use serva_domain::access::Principal;
use serva_domain::notify::{OutboxMail, OutboxStatus, RetryPolicy};
use serva_domain::CaseId;
use serva_store::outbox::OutboxCounts;

use crate::{App, AppError, AppResult};

/// How mail to customers goes out (`serva serve --smtp-relay … --public-url … --mail-from …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailOutConfig {
    /// The relay's URL: `smtp://host:port`, `smtp://host?tls=required`, `smtps://user:pass@host`.
    /// Without one, mail waits in the outbox and goes once a relay is configured.
    pub smtp_relay: Option<String>,
    /// Where people reach Serva; links in mail start here. Without it, the address the server
    /// listens on.
    pub public_url: Option<String>,
    /// The sender of mail from a unit without a mailbox address of its own.
    pub mail_from: String,
    pub retry: RetryPolicy,
    /// How long one attempt may take before it counts as failed.
    pub smtp_timeout: Duration,
}

impl Default for MailOutConfig {
    fn default() -> Self {
        MailOutConfig {
            smtp_relay: None,
            public_url: None,
            mail_from: "serva@localhost".into(),
            retry: RetryPolicy::default(),
            smtp_timeout: Duration::from_secs(30),
        }
    }
}

impl MailOutConfig {
    /// The relay's URL with any password hidden, for pages and logs.
    pub fn relay_shown(&self) -> Option<String> {
        self.smtp_relay.as_deref().map(hide_password)
    }
}

/// `smtps://user:secret@host` → `smtps://user:***@host`.
pub fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.rsplit_once('@') {
        Some((creds, host)) => match creds.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// What the outbox page lists.
#[derive(Debug, Clone, Default)]
pub struct OutboxQuery {
    pub status: Option<OutboxStatus>,
    pub case: Option<CaseId>,
    pub page: i64,
}

/// One page of the outbox.
#[derive(Debug, Clone)]
pub struct OutboxPage {
    pub mails: Vec<OutboxMail>,
    pub counts: OutboxCounts,
    pub page: i64,
    pub has_next: bool,
}

pub const OUTBOX_PER_PAGE: i64 = 50;

fn administrators_only(p: &Principal) -> AppResult<()> {
    if p.administers() {
        Ok(())
    } else {
        Err(AppError::forbidden("only administrators see the outbox"))
    }
}

impl App {
    pub async fn outbox(&self, p: &Principal, q: &OutboxQuery) -> AppResult<OutboxPage> {
        administrators_only(p)?;
        let page = q.page.max(1);
        let (mails, has_next) = self
            .db()
            .outbox_page(q.status, q.case, page, OUTBOX_PER_PAGE)
            .await?;
        Ok(OutboxPage {
            mails,
            counts: self.db().outbox_counts().await?,
            page,
            has_next,
        })
    }

    pub async fn outbox_mail(&self, p: &Principal, id: i64) -> AppResult<OutboxMail> {
        administrators_only(p)?;
        Ok(self.db().outbox_mail(id).await?)
    }

    /// Queues a failed mail again (the same mail, the same Message-ID).
    pub async fn send_mail_again(&self, p: &Principal, id: i64) -> AppResult<()> {
        administrators_only(p)?;
        Ok(self.db().requeue_outbox(p.user, id).await?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            super::hide_password("smtps://serva:hemligt@smtp.kommun.se:465"),
            "smtps://serva:***@smtp.kommun.se:465"
        );
        assert_eq!(
            super::hide_password("smtp://relay.kommun.se:25"),
            "smtp://relay.kommun.se:25"
        );
        assert_eq!(
            super::hide_password("smtp://a:b@c@relay:25"),
            "smtp://a:***@relay:25"
        );
    }
}
