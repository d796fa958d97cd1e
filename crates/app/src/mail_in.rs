//! E-mail in: a mail received for a provider unit — over Serva's SMTP listener or fetched from
//! the unit's IMAP mailbox — becomes a new case, a reply to the case it refers to, or nothing
//! (an auto-reply, a bounce, a loop, a sender over the rate), and every mail leaves a row in the
//! intake log saying which and why. The edges (SMTP, IMAP) call [`App::receive_mail`] and
//! answer the sender by its result; nothing here knows either protocol.

use serva_domain::access::Principal;
use serva_domain::case::{Case, Channel, SUBJECT_MAX, TEXT_MAX};
use serva_domain::contact::NewContact;
use serva_domain::mail::{
    self, BadMail, ImapMailbox, InboundMail, Known, LogEntry, MailChannel, Outcome, SenderRate,
    UnitMailSettings, Verdict,
};
use serva_domain::{ServiceId, UnitId};
use serva_store::catalogue::ServiceFilter;
use serva_store::mail_in::{MailRecord, NewLogEntry};
use serva_store::StoreError;

use crate::{App, AppError, AppResult, IntakeError, IntakeRequest};

/// How a mail arrived: by which channel, from which envelope sender, for which unit.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub channel: MailChannel,
    /// The envelope sender (SMTP `MAIL FROM`, IMAP `Return-Path`); empty for a bounce.
    pub mail_from: String,
    /// The recipient address the unit was found by.
    pub rcpt_to: String,
    pub unit: UnitId,
}

/// What became of a mail that was taken in.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub outcome: Outcome,
    pub case: Option<Case>,
    pub reason: String,
    /// The intake log row.
    pub log_id: i64,
}

/// Why a mail was not taken in; the sender must be told (SMTP 5xx/4xx).
#[derive(Debug, thiserror::Error)]
pub enum MailRefused {
    /// The mail cannot be read: permanent (550). Logged.
    #[error("{0}")]
    Unreadable(BadMail),
    /// The unit takes no mail now (no open service for it): temporary (451), so a relay keeps
    /// the mail and tries again once an administrator has chosen a service. Logged.
    #[error("{0}")]
    NoService(String),
    /// Storage failed: temporary (451); nothing was acknowledged, the sender tries again.
    #[error("{0}")]
    Failed(AppError),
}

impl From<StoreError> for MailRefused {
    fn from(e: StoreError) -> Self {
        MailRefused::Failed(e.into())
    }
}

/// The subject of a mail that has none.
const NO_SUBJECT: &str = "(inget ämne)";
/// The text of a mail that has none (an attachment alone, say).
const NO_TEXT: &str = "(Meddelandet hade ingen text.)";

impl App {
    /// Takes a received mail in for `env.unit`. Answers only after everything is committed, so
    /// an acknowledged mail survives a crash; the same Message-ID again (a relay's retry, a
    /// fetch after a crash) is recognised and not made into a second case.
    pub async fn receive_mail(&self, env: &Envelope, raw: &[u8]) -> Result<Received, MailRefused> {
        let db = self.db();
        let size = raw.len();
        let log = |outcome, reason, m, case| self.log_outcome(env, size, outcome, reason, m, case);

        let m = match mail::parse(raw) {
            Ok(m) => m,
            Err(e) => {
                log(Outcome::Refused, e.to_string(), None, None).await?;
                return Err(MailRefused::Unreadable(e));
            }
        };

        // Loops, bounces and automatic answers are logged and go no further: answering them
        // could go round for ever.
        let from_ourselves = is_our_mailbox(self, &m.from_address).await? || {
            let mut any = false;
            for v in &m.signals.x_loop {
                if let Some(a) = mail::normalise_address(v) {
                    any |= is_our_mailbox(self, &a).await?;
                }
            }
            any
        };
        let our_message_id = match &m.message_id {
            Some(id) => db.is_our_message_id(id).await?,
            None => false,
        };
        let known = Known {
            null_sender: env.mail_from.trim().is_empty(),
            from_ourselves,
            our_message_id,
        };
        let verdict = mail::classify(&m, known);
        if let Some(outcome) = verdict.outcome() {
            let reason = verdict.reason().to_string();
            return log(outcome, reason, Some(&m), None).await;
        }
        debug_assert_eq!(verdict, Verdict::Person);

        if let Some(id) = &m.message_id {
            if let Some(case) = db.mail_received_before(env.unit, id).await? {
                let case = db.case(case).await?;
                let reason = format!(
                    "Message-ID <{id}> was taken in before, as case {}",
                    case.number()
                );
                return log(Outcome::Duplicate, reason, Some(&m), Some(&case)).await;
            }
        }

        let rate = SenderRate::default();
        let taken = db
            .mail_taken_from(&m.from_address, rate.since(serva_domain::time::now_ms()))
            .await?;
        if !rate.allows(taken) {
            let reason = format!(
                "{} mails from this sender within {} minutes; more are not taken in",
                taken,
                rate.window_ms / 60_000
            );
            return log(Outcome::IgnoredRate, reason, Some(&m), None).await;
        }

        // A reply joins its case when it refers to it — by a Message-ID of the case's mails or
        // by the case number in the subject — and comes from the case's own contact or
        // requester. A reference from anyone else makes a new case: nobody can write into
        // another person's case by quoting its number.
        let mut notes = Vec::new();
        let referred = match db.case_of_message_ids(&m.replies_to).await? {
            Some(c) => Some((c, "In-Reply-To/References")),
            None => match mail::case_reference(&m.subject) {
                Some(n) => match db.case(n.id).await {
                    Ok(c) if c.number() == n => Some((c.id, "the case number in the subject")),
                    Ok(_) | Err(StoreError::NotFound(_)) => {
                        notes.push(format!("unknown case reference {n}; a new case was made"));
                        None
                    }
                    Err(e) => return Err(e.into()),
                },
                None => None,
            },
        };
        if let Some((case_id, how)) = referred {
            let case = db.case(case_id).await?;
            if sender_belongs_to(self, &case, &m.from_address).await? {
                return self.thread_reply(env, size, &m, case, how).await;
            }
            notes.push(format!(
                "refers to case {} by {how}, but {} is not its contact or requester; a new case was made",
                case.number(),
                m.from_address
            ));
            tracing::warn!(case = %case.number(), from = %m.from_address, "mail refers to another person's case; not threaded");
        }

        let reason = if notes.is_empty() {
            "new case".to_string()
        } else {
            notes.join("; ")
        };
        let rec = record(env, size, &m, Outcome::Case, reason);
        let (case, log_id) = match self.new_mail_case(env, &m, rec).await {
            Ok(c) => c,
            Err(MailRefused::NoService(why)) => {
                let reason =
                    format!("not taken in for now (451; the sender's server tries again): {why}");
                log(Outcome::Refused, reason, Some(&m), None).await?;
                return Err(MailRefused::NoService(why));
            }
            Err(e) => return Err(e),
        };
        let kept = self.keep_attachments(&case, None, &m).await;
        Ok(self
            .taken_in(env, &m, Outcome::Case, notes, kept, case, log_id)
            .await)
    }

    async fn thread_reply(
        &self,
        env: &Envelope,
        size: usize,
        m: &InboundMail,
        case: Case,
        how: &str,
    ) -> Result<Received, MailRefused> {
        let text = mail::reply_text(&m.text);
        let (body, cut) = mail::truncate_chars(&text, TEXT_MAX);
        let body = if body.trim().is_empty() {
            NO_TEXT.to_string()
        } else {
            body
        };
        let mut notes = vec![format!("reply to case {} by {how}", case.number())];
        if cut {
            notes.push(format!("text cut to {TEXT_MAX} characters"));
        }
        let rec = record(env, size, m, Outcome::Reply, notes.join("; "));
        let (message, log_id) = self
            .contact_reply(case.id, &body, Some(&rec))
            .await
            .map_err(MailRefused::Failed)?;
        let log_id = log_id.ok_or(MailRefused::Failed(AppError::NotFound("mail log row")))?;
        let kept = self.keep_attachments(&case, Some(message.id), m).await;
        Ok(self
            .taken_in(env, m, Outcome::Reply, notes, kept, case, log_id)
            .await)
    }

    /// What became of a mail whose case or reply is committed (with its intake log row,
    /// `log_id`): the log row's reason gains what became of the attachments (`kept`, which
    /// needed the committed case), and the mail is acknowledged.
    #[allow(clippy::too_many_arguments)]
    async fn taken_in(
        &self,
        env: &Envelope,
        m: &InboundMail,
        outcome: Outcome,
        mut notes: Vec<String>,
        kept: Vec<String>,
        case: Case,
        log_id: i64,
    ) -> Received {
        let attachments = !kept.is_empty();
        notes.extend(kept);
        let reason = if notes.is_empty() {
            "new case".to_string()
        } else {
            notes.join("; ")
        };
        if attachments {
            // The mail is taken in either way: a log row without the attachments' fate is
            // no reason to have the sender send it again.
            if let Err(e) = self.db().set_mail_log_reason(log_id, &reason).await {
                tracing::warn!(log = log_id, error = %e, "the intake log row keeps its first reason");
            }
        }
        tracing::info!(from = %m.from_address, to = %env.rcpt_to, outcome = outcome.as_str(), %reason, "mail taken in");
        Received {
            outcome,
            case: Some(case),
            reason,
            log_id,
        }
    }

    /// Writes the intake log row of a mail and says what became of it.
    async fn log_outcome(
        &self,
        env: &Envelope,
        size: usize,
        outcome: Outcome,
        reason: String,
        m: Option<&InboundMail>,
        case: Option<&Case>,
    ) -> Result<Received, MailRefused> {
        let from = m.map_or(env.mail_from.as_str(), |m| m.from_address.as_str());
        let id = self
            .db()
            .log_mail(&NewLogEntry {
                channel: env.channel,
                unit_id: Some(env.unit),
                mail_from: from,
                rcpt_to: &env.rcpt_to,
                message_id: m.and_then(|m| m.message_id.as_deref()),
                subject: m.map_or("", |m| m.subject.as_str()),
                size_bytes: size,
                outcome,
                reason: &reason,
                case_id: case.map(|c| c.id),
            })
            .await?;
        if outcome == Outcome::Refused {
            tracing::warn!(from, to = %env.rcpt_to, %reason, "mail refused");
        } else {
            tracing::info!(from, to = %env.rcpt_to, outcome = outcome.as_str(), %reason, "mail taken in");
        }
        Ok(Received {
            outcome,
            case: case.cloned(),
            reason,
            log_id: id,
        })
    }

    /// A new case of the unit's mail service, with the sender as its contact, and the mail's
    /// record (`rec`) in the case's transaction; the case and its intake log row's id.
    async fn new_mail_case(
        &self,
        env: &Envelope,
        m: &InboundMail,
        rec: MailRecord,
    ) -> Result<(Case, i64), MailRefused> {
        let service = self
            .mail_service_of(env.unit)
            .await
            .map_err(MailRefused::Failed)?;
        let Some(service) = service else {
            return Err(MailRefused::NoService(
                "no open service without required form fields takes mail at this unit; \
                 an administrator chooses one under Administration → E-post in"
                    .into(),
            ));
        };
        let (subject, _) = mail::truncate_chars(m.subject.trim(), SUBJECT_MAX);
        let subject = if subject.trim().is_empty() {
            NO_SUBJECT.to_string()
        } else {
            subject
        };
        let (text, _) = mail::truncate_chars(m.text.trim(), TEXT_MAX);
        let text = if text.trim().is_empty() {
            NO_TEXT.to_string()
        } else {
            text
        };
        // The display name is the sender's own words: one that is not a name (too long,
        // control characters) is left out rather than the mail refused.
        let contact = NewContact::new(m.from_name.as_deref(), Some(&m.from_address), None)
            .or_else(|_| NewContact::new(None, Some(&m.from_address), None))
            .ok();
        let r = IntakeRequest {
            service: service.code.clone(),
            subject,
            description: text,
            channel: Some(Channel::Email),
            requester_name: contact
                .as_ref()
                .and_then(|c| c.name.clone())
                .or_else(|| Some(m.from_address.clone())),
            contact,
            ..IntakeRequest::default()
        };
        match self
            .intake_with_mail(&Principal::system_of(env.unit), &r, Some(rec))
            .await
        {
            Ok((c, Some(log))) => Ok((c, log)),
            Ok((_, None)) => Err(MailRefused::Failed(AppError::NotFound("mail log row"))),
            Err(IntakeError::Failed(e)) => Err(MailRefused::Failed(e)),
            Err(IntakeError::UnknownService(s)) => Err(MailRefused::NoService(format!(
                "the unit's mail service {s:?} is not open for orders"
            ))),
            Err(IntakeError::Forbidden(why)) => Err(MailRefused::NoService(why.to_string())),
            Err(IntakeError::Invalid(bad)) => Err(MailRefused::NoService(format!(
                "the mail service refused the case: {}",
                bad.message()
            ))),
        }
    }

    /// Keeps a mail's attachments with its case; what cannot be kept is said in the log.
    async fn keep_attachments(
        &self,
        case: &Case,
        message: Option<serva_domain::MessageId>,
        m: &InboundMail,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        let mut kept = 0;
        for a in &m.attachments {
            // The attachment store checks the name and the content (and refuses HTML, scripts
            // and programs); the mail itself is still taken in, and the log says what was left.
            match self
                .db()
                .add_attachment(None, case.id, message, &a.filename, &a.bytes)
                .await
            {
                Ok(_) => kept += 1,
                Err(e) => notes.push(format!("attachment {:?} not kept: {e}", a.filename)),
            }
        }
        if kept > 0 {
            notes.push(format!("{kept} attachment(s) kept"));
        }
        notes
    }

    /// The service new mail cases of `unit` get: the one an administrator chose if it is open,
    /// else the unit's first open service (by code) whose order form has no required field.
    pub async fn mail_service_of(
        &self,
        unit: UnitId,
    ) -> AppResult<Option<serva_domain::catalogue::Service>> {
        let settings = self.db().unit_mail_settings(unit).await?;
        let services = self
            .db()
            .services(&ServiceFilter {
                unit: Some(unit),
                ..ServiceFilter::default()
            })
            .await?;
        if let Some(chosen) = settings.service_id {
            if let Some(s) = services.iter().find(|s| s.id == chosen && s.active) {
                return Ok(Some(s.clone()));
            }
        }
        let mut open: Vec<_> = services
            .into_iter()
            .filter(|s| s.active && s.unit_id == unit && !s.form.iter().any(|f| f.required))
            .collect();
        open.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(open.into_iter().next())
    }

    /// The unit whose mailbox `address` is (SMTP `RCPT TO`), if any.
    pub async fn unit_by_mail_address(&self, address: &str) -> AppResult<Option<UnitId>> {
        let Some(a) = mail::normalise_address(address) else {
            return Ok(None);
        };
        match self.db().unit_by_mail_address(&a).await {
            Ok(u) => Ok(Some(u)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Every unit's mail settings, for the administration page.
    pub async fn mail_settings(&self, p: &Principal) -> AppResult<Vec<UnitMailSettings>> {
        admin_only(p)?;
        Ok(self.db().mail_settings().await?)
    }

    /// The mail settings of every unit with an IMAP mailbox, for the fetcher (system only).
    pub async fn imap_mailboxes(&self) -> AppResult<Vec<(UnitId, ImapMailbox)>> {
        Ok(self
            .db()
            .mail_settings()
            .await?
            .into_iter()
            .filter_map(|s| s.imap.map(|m| (s.unit_id, m)))
            .collect())
    }

    /// Saves a unit's mail service and IMAP mailbox. The service must be one of the unit's.
    pub async fn save_mail_settings(
        &self,
        p: &Principal,
        unit: UnitId,
        service: Option<ServiceId>,
        imap: Option<&ImapMailbox>,
    ) -> AppResult<()> {
        admin_only(p)?;
        if let Some(s) = service {
            let svc = self.db().service(s).await?;
            if svc.unit_id != unit {
                return Err(AppError::invalid(format!(
                    "service {} is not one of the unit's",
                    svc.code
                )));
            }
        }
        if let Some(m) = imap {
            if m.host.trim().is_empty() || m.user.trim().is_empty() || m.folder.trim().is_empty() {
                return Err(AppError::invalid(
                    "an IMAP mailbox needs a host, a user and a folder",
                ));
            }
            if m.port == 0 {
                return Err(AppError::invalid("the IMAP port is 1–65535"));
            }
        }
        self.db().unit_mail_settings(unit).await?;
        Ok(self
            .db()
            .save_mail_settings(p.user, unit, service, imap)
            .await?)
    }

    /// The newest rows of the intake log (at most 200), optionally of one outcome.
    pub async fn mail_log(
        &self,
        p: &Principal,
        outcome: Option<Outcome>,
    ) -> AppResult<Vec<LogEntry>> {
        admin_only(p)?;
        Ok(self.db().mail_log(outcome, 200).await?)
    }

    /// A mail refused before it could be read (at RCPT or for its size), for the log.
    pub async fn log_refused_mail(
        &self,
        channel: MailChannel,
        unit: Option<UnitId>,
        mail_from: &str,
        rcpt_to: &str,
        size: usize,
        reason: &str,
    ) -> AppResult<()> {
        tracing::warn!(from = %mail_from, to = %rcpt_to, %reason, "mail refused");
        self.db()
            .log_mail(&NewLogEntry {
                channel,
                unit_id: unit,
                mail_from,
                rcpt_to,
                message_id: None,
                subject: "",
                size_bytes: size,
                outcome: Outcome::Refused,
                reason,
                case_id: None,
            })
            .await?;
        Ok(())
    }
}

/// The record of a mail taken in as a case or a reply, written with it.
fn record(
    env: &Envelope,
    size: usize,
    m: &InboundMail,
    outcome: Outcome,
    reason: String,
) -> MailRecord {
    MailRecord {
        channel: env.channel,
        unit_id: Some(env.unit),
        mail_from: m.from_address.clone(),
        rcpt_to: env.rcpt_to.clone(),
        message_id: m.message_id.clone(),
        html: m.html.clone(),
        subject: m.subject.clone(),
        size_bytes: size,
        outcome,
        reason,
    }
}

fn admin_only(p: &Principal) -> AppResult<()> {
    if p.administers() {
        Ok(())
    } else {
        Err(AppError::NotFound("mail settings"))
    }
}

async fn is_our_mailbox(app: &App, address: &str) -> Result<bool, MailRefused> {
    Ok(app
        .unit_by_mail_address(address)
        .await
        .map_err(MailRefused::Failed)?
        .is_some())
}

/// Whether `address` is the case's contact's or its requester's e-mail.
async fn sender_belongs_to(app: &App, case: &Case, address: &str) -> Result<bool, MailRefused> {
    let same = |e: &str| mail::normalise_address(e).as_deref() == Some(address);
    if case
        .contact
        .as_ref()
        .and_then(|c| c.email.as_deref())
        .is_some_and(same)
    {
        return Ok(true);
    }
    if let Some(u) = case.requester_id {
        let user = app.db().user(u).await?;
        if user.email.as_deref().is_some_and(same) {
            return Ok(true);
        }
    }
    Ok(false)
}

impl From<MailRefused> for AppError {
    fn from(e: MailRefused) -> Self {
        match e {
            MailRefused::Failed(e) => e,
            MailRefused::Unreadable(b) => AppError::invalid(b.to_string()),
            MailRefused::NoService(s) => AppError::Unavailable(s),
        }
    }
}
