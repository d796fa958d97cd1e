//! The mail outbox: mail to customers is written here in the transaction of the change that
//! sends it (a new case, a provider's reply, a resolution), so a change is never stored without
//! its mail nor a mail without its change. A delivery worker takes due rows with a lease,
//! sends them and marks them sent; failures are retried with backoff and, at last, kept as
//! failed for an administrator to see and queue again (docs/channels/email-out.md).
//!
//! Which change sends which mail, and what it says, is decided in `serva_domain::notify`;
//! whether a resolved case is asked for a survey, in `serva_domain::survey` (see `surveys`).

use std::sync::{Arc, RwLock};

use serva_domain::case::CaseNumber;
use serva_domain::notify::{
    self, compose, mail_for, CaseChangeForMail, CaseFacts, MailKind, MailLang, OutboxStatus,
    Recipient, Sender, SurveyLink,
};
use serva_domain::{CaseId, UserId};
use sqlx::{Any, Row, Transaction};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

pub use crate::outbox_delivery::{ClaimedMail, OutboxCounts};

/// What the outbox needs to write a mail that the store cannot know by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// Where people reach Serva, without a trailing slash: links in mail start here.
    pub public_url: String,
    /// The sender when the providing unit has no mailbox address of its own.
    pub fallback_from: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            public_url: "http://127.0.0.1:8080".into(),
            fallback_from: "serva@localhost".into(),
        }
    }
}

/// Shared by every clone of a [`Db`]: the settings, and the bell the delivery worker waits on.
#[derive(Debug, Default)]
pub(crate) struct OutboxHub {
    settings: RwLock<MailSettings>,
    /// Rung after a commit that wrote mail, so this node's worker sends it at once; other
    /// nodes hear of the change on the event bus.
    written: tokio::sync::Notify,
}

impl OutboxHub {
    fn settings(&self) -> MailSettings {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn ring(&self) {
        self.written.notify_one();
    }
}

pub(crate) type SharedHub = Arc<OutboxHub>;

impl Db {
    /// Sets where links in mail point and the fallback sender (`serve` does this at start).
    pub fn set_outbox_settings(&self, settings: MailSettings) {
        let mut s = self
            .outbox
            .settings
            .write()
            .unwrap_or_else(|e| e.into_inner());
        *s = MailSettings {
            public_url: settings.public_url.trim_end_matches('/').to_string(),
            ..settings
        };
    }

    pub fn outbox_settings(&self) -> MailSettings {
        self.outbox.settings()
    }

    /// Resolves when mail was written on this node since the last call (or was already).
    pub async fn outbox_written(&self) {
        self.outbox.written.notified().await;
    }
}

/// Everything about a case its mail needs, read inside the transaction that changes it.
struct MailContext {
    created_at: i64,
    subject: String,
    service_name: String,
    unit_name: String,
    unit_address: Option<String>,
    requester_id: Option<i64>,
    requester_name: Option<String>,
    requester_email: Option<String>,
    requester_locale: Option<String>,
    requester_active: Option<i64>,
    contact_id: Option<i64>,
    contact_name: Option<String>,
    contact_email: Option<String>,
}

async fn mail_context(
    tx: &mut Transaction<'_, Any>,
    case: CaseId,
) -> StoreResult<Option<MailContext>> {
    let row = sqlx::query(
        "SELECT c.created_at, c.subject, s.name AS service_name, un.name AS unit_name, \
                un.mail_address AS unit_address, c.requester_id, u.display_name, u.email, u.locale, \
                u.active, c.contact_id, k.name AS contact_name, k.email AS contact_email \
         FROM cases c JOIN services s ON s.id = c.service_id JOIN units un ON un.id = c.unit_id \
         LEFT JOIN users u ON u.id = c.requester_id LEFT JOIN contacts k ON k.id = c.contact_id \
         WHERE c.id = $1",
    )
    .bind(case.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(MailContext {
        created_at: r.try_get("created_at")?,
        subject: r.try_get("subject")?,
        service_name: r.try_get("service_name")?,
        unit_name: r.try_get("unit_name")?,
        unit_address: r.try_get("unit_address")?,
        requester_id: r.try_get("requester_id")?,
        requester_name: r.try_get("display_name")?,
        requester_email: r.try_get("email")?,
        requester_locale: r.try_get("locale")?,
        requester_active: r.try_get("active")?,
        contact_id: r.try_get("contact_id")?,
        contact_name: r.try_get("contact_name")?,
        contact_email: r.try_get("contact_email")?,
    }))
}

/// Who a case's mail goes to: the contact, or the requester with an account.
enum Addressee {
    /// Someone without an account: they follow the case by a link of their own.
    Contact {
        address: String,
        name: Option<String>,
        contact: Option<i64>,
    },
    /// The requester with an active account: the link is the case page.
    Requester {
        address: String,
        name: Option<String>,
        lang: MailLang,
    },
}

impl MailContext {
    /// The contact (a citizen, a mail's sender) comes first: the case is theirs even when an
    /// agent registered it. Then the requester, while their account is active, unless `own`
    /// says the mail is about what they did themselves.
    fn addressee(&self, own: impl Fn(i64) -> bool) -> Option<Addressee> {
        let contact_email = self.contact_email.as_deref().map(str::trim);
        match (
            contact_email,
            self.requester_id,
            self.requester_email.as_deref(),
        ) {
            (Some(email), _, _) if !email.is_empty() => Some(Addressee::Contact {
                address: email.to_string(),
                name: self.contact_name.clone(),
                contact: self.contact_id,
            }),
            (_, Some(id), Some(email))
                if !email.trim().is_empty() && self.requester_active == Some(1) && !own(id) =>
            {
                Some(Addressee::Requester {
                    address: email.trim().to_string(),
                    name: self.requester_name.clone(),
                    lang: MailLang::of_locale(self.requester_locale.as_deref()),
                })
            }
            _ => None,
        }
    }

    fn sender(&self, settings: &MailSettings) -> Sender {
        Sender {
            name: Some(self.unit_name.clone()),
            address: self
                .unit_address
                .clone()
                .filter(|a| notify::is_mail_address(a))
                .unwrap_or_else(|| settings.fallback_from.clone()),
        }
    }

    fn facts(&self, case: CaseId) -> CaseFacts {
        CaseFacts {
            number: CaseNumber {
                year: chrono::Datelike::year(&serva_domain::time::to_local(self.created_at)),
                id: case,
            },
            subject: self.subject.clone(),
            service_name: self.service_name.clone(),
            unit_name: self.unit_name.clone(),
        }
    }
}

/// Queues the mail `change` of `case` sends, if any, in the change's own transaction.
/// Returns the mail's id when one was written. `reply` is the provider's reply for a message;
/// `actor` is who made the change (nobody is mailed about what they did themselves).
///
/// A resolution asks for the survey when the case is asked (the unit's sampling,
/// docs/surveys.md): the survey is sent in this same transaction, its link in the mail. A case
/// resolved while the person was there gets the survey mail alone, or nothing.
pub(crate) async fn queue_case_mail(
    tx: &mut Transaction<'_, Any>,
    hub: &OutboxHub,
    case: CaseId,
    change: CaseChangeForMail,
    reply: Option<&str>,
    actor: Option<UserId>,
    now: i64,
) -> StoreResult<Option<i64>> {
    let Some(kind) = mail_for(change) else {
        return Ok(None);
    };
    let Some(ctx) = mail_context(tx, case).await? else {
        return Ok(None);
    };
    let settings = hub.settings();
    // Someone who answered or resolved their own case (an agent who is also the requester)
    // needs no mail about it; a receipt goes to whoever registered the case, themselves
    // included.
    let own_doing = |id: i64| {
        !matches!(change, CaseChangeForMail::Created { .. }) && actor.map(|a| a.0) == Some(id)
    };
    let Some(addressee) = ctx.addressee(own_doing) else {
        return Ok(None);
    };
    let survey = match kind {
        MailKind::Resolved | MailKind::Survey => {
            crate::surveys::offer_in(tx, case, serva_domain::survey::Via::Mail, true, now).await?
        }
        _ => None,
    };
    if kind == MailKind::Survey && survey.is_none() {
        return Ok(None);
    }
    let link = match &survey {
        Some(o) => Some(SurveyLink {
            url: crate::surveys::link_url(
                &settings.public_url,
                &crate::surveys::issue_token(tx, case, now).await?,
            ),
            expires_at: o.expires_at,
        }),
        None => None,
    };
    let to = match addressee {
        Addressee::Contact {
            address,
            name,
            contact,
        } => Recipient {
            address,
            name,
            lang: MailLang::Sv,
            link: match (&link, kind) {
                (Some(l), MailKind::Survey) => l.url.clone(),
                _ => {
                    let token = issue_follow_token(tx, case, contact, now).await?;
                    format!("{}/follow/{token}", settings.public_url)
                }
            },
        },
        Addressee::Requester {
            address,
            name,
            lang,
        } => Recipient {
            address,
            name,
            lang,
            link: format!("{}/cases/{}", settings.public_url, case.0),
        },
    };
    let mail = compose(
        kind,
        &ctx.facts(case),
        to,
        ctx.sender(&settings),
        reply,
        link.as_ref(),
    );
    let id = insert(tx, Some(case), &mail, now).await?;
    if let Some(o) = &survey {
        crate::surveys::note_mailed(tx, case, o, now).await?;
    }
    Ok(Some(id))
}

/// Queues a survey mail of `case` (the survey alone, or its reminder) with `link`, to whoever
/// the case's mail goes to. Returns the mail's id and address; `None` when nobody can be
/// mailed.
pub(crate) async fn queue_survey_mail(
    tx: &mut Transaction<'_, Any>,
    hub: &OutboxHub,
    case: CaseId,
    kind: MailKind,
    link: &SurveyLink,
    now: i64,
) -> StoreResult<Option<(i64, String)>> {
    let Some(ctx) = mail_context(tx, case).await? else {
        return Ok(None);
    };
    let settings = hub.settings();
    let to = match ctx.addressee(|_| false) {
        Some(Addressee::Contact { address, name, .. }) => Recipient {
            address,
            name,
            lang: MailLang::Sv,
            link: link.url.clone(),
        },
        Some(Addressee::Requester {
            address,
            name,
            lang,
        }) => Recipient {
            address,
            name,
            lang,
            link: link.url.clone(),
        },
        None => return Ok(None),
    };
    let address = to.address.clone();
    let mail = compose(
        kind,
        &ctx.facts(case),
        to,
        ctx.sender(&settings),
        None,
        Some(link),
    );
    Ok(Some((insert(tx, Some(case), &mail, now).await?, address)))
}

/// A follow link's token for the mail, made in the mail's own transaction so a rolled-back
/// change leaves no link behind (the same rows as `Db::issue_follow_token`).
async fn issue_follow_token(
    tx: &mut Transaction<'_, Any>,
    case: CaseId,
    contact: Option<i64>,
    now: i64,
) -> StoreResult<String> {
    let token = crate::secrets::random_token();
    sqlx::query(
        "INSERT INTO case_follow_tokens (token_hash, case_id, contact_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(crate::secrets::sha256_hex(&token))
    .bind(case.0)
    .bind(contact)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::on_unique(e, "follow link"))?;
    Ok(token)
}

/// Writes one composed mail with a fresh Message-ID and the threading headers of its case.
async fn insert(
    tx: &mut Transaction<'_, Any>,
    case: Option<CaseId>,
    mail: &notify::ComposedMail,
    now: i64,
) -> StoreResult<i64> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).expect("the OS random source works");
    let message_id = notify::message_id(random, &mail.from.address);
    // Threading: a reply to the mail before it in the case's thread. Earlier outgoing mail of
    // the case is known here; the customer's own mail, once mail-in records it, is preferred.
    let (in_reply_to, references) = match case {
        Some(c) => thread_of(tx, c).await?,
        None => (None, None),
    };
    // An address that can never be sent to is kept, visibly failed, rather than retried.
    let (status, last_error) = if notify::is_mail_address(&mail.to.address) {
        (OutboxStatus::Pending, None)
    } else {
        (
            OutboxStatus::Failed,
            Some(format!("{:?} is not a mail address", mail.to.address)),
        )
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (case_id, kind, message_id, from_name, from_address, to_name, to_address, \
         subject, body, in_reply_to, references_ids, auto_submitted, status, attempts, next_attempt_at, \
         last_error, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $15, $16) RETURNING id",
    )
    .bind(case.map(|c| c.0))
    .bind(mail.kind.as_str())
    .bind(&message_id)
    .bind(mail.from.name.as_deref())
    .bind(&mail.from.address)
    .bind(mail.to.name.as_deref())
    .bind(&mail.to.address)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(in_reply_to)
    .bind(references)
    .bind(i64::from(mail.auto_submitted))
    .bind(status.as_str())
    .bind(now)
    .bind(last_error)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::on_unique(e, "an outgoing mail with this Message-ID"))?;
    // The thread's record (kept without angle brackets, as mail-in reads References): a
    // customer's reply to this mail finds its case by In-Reply-To, and this mail coming
    // back (a loop) is known as ours.
    if let Some(c) = case {
        sqlx::query(
            "INSERT INTO mail_messages (message_id, case_id, direction, html, created_at) \
             VALUES ($1, $2, 'out', NULL, $3)",
        )
        .bind(message_id.trim_start_matches('<').trim_end_matches('>'))
        .bind(c.0)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// In-Reply-To and References for the next mail of a case: the case's latest mail, and the
/// first and latest ones (so a client threads even when it missed the ones between).
async fn thread_of(
    tx: &mut Transaction<'_, Any>,
    case: CaseId,
) -> StoreResult<(Option<String>, Option<String>)> {
    // Both directions: the customer's own mail (recorded by mail-in) and ours.
    let bracket = |id: Option<String>| id.map(|i| format!("<{i}>"));
    let (first, last): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT (SELECT message_id FROM mail_messages WHERE case_id = $1 ORDER BY id LIMIT 1), \
         (SELECT message_id FROM mail_messages WHERE case_id = $1 ORDER BY id DESC LIMIT 1)",
    )
    .bind(case.0)
    .fetch_one(&mut **tx)
    .await?;
    let (first, last) = (bracket(first), bracket(last));
    let references = match (&first, &last) {
        (Some(f), Some(l)) if f != l => Some(format!("{f} {l}")),
        (_, Some(l)) => Some(l.clone()),
        _ => None,
    };
    Ok((last, references))
}

impl Db {
    /// Queues the mail `change` of `case` sends, in a transaction of its own: for demo data
    /// and tools; the use cases write it with the change itself. Returns the mail's id.
    pub async fn queue_case_mail(
        &self,
        case: CaseId,
        change: CaseChangeForMail,
        reply: Option<&str>,
    ) -> StoreResult<Option<i64>> {
        let mut tx = self.begin_audited(None).await?;
        let now = tx.now;
        let Some(id) =
            queue_case_mail(tx.tx(), &self.outbox, case, change, reply, None, now).await?
        else {
            return Ok(None);
        };
        tx.commit(
            Change::new(Action::Create, Entity::OutboxMail(id))
                .after(serde_json::json!({ "case_id": case })),
        )
        .await?;
        self.outbox.ring();
        Ok(Some(id))
    }
}
