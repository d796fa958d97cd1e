//! Mail to the customer: which change of a case sends which mail, what it says, and how its
//! delivery is retried. Pure: the store decides nothing here, it asks, and writes the answer
//! into the outbox in the same transaction as the change (docs/channels/email-out.md).

use crate::case::{CaseNumber, CaseStatus};

/// Which mail a change sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    /// The case came in: its number, and a link to follow it.
    Received,
    /// The provider replied (not an internal note): the reply's text.
    Reply,
    /// The case was resolved (or closed without being resolved first), with the survey's link
    /// when the case is asked (docs/surveys.md).
    Resolved,
    /// The survey alone: for a case resolved while the person was there, or sent by an agent.
    Survey,
    /// The one reminder of a survey not yet answered.
    SurveyReminder,
}

impl MailKind {
    pub const ALL: [MailKind; 5] = [
        MailKind::Received,
        MailKind::Reply,
        MailKind::Resolved,
        MailKind::Survey,
        MailKind::SurveyReminder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Received => "received",
            MailKind::Reply => "reply",
            MailKind::Resolved => "resolved",
            MailKind::Survey => "survey",
            MailKind::SurveyReminder => "survey_reminder",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Notifications say `Auto-Submitted: auto-generated` (RFC 3834), so an auto-responder
    /// does not answer them; a person's reply is not automatic and says nothing.
    pub fn is_automatic(self) -> bool {
        !matches!(self, MailKind::Reply)
    }
}

/// A change of a case that may send mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseChangeForMail {
    /// A new case; `resolved_at_once` when it was registered and resolved in one step while
    /// the person was on the line or at the desk.
    Created { resolved_at_once: bool },
    /// A message was added.
    Message { internal: bool, from_provider: bool },
    /// The status changed.
    Status { from: CaseStatus, to: CaseStatus },
}

/// Which mail, if any, a change sends to the case's customer.
///
/// - A new case sends a receipt, unless it was resolved while the person was there (they
///   have their answer; a receipt of a closed case would only confuse): then only the survey,
///   and only when the case is asked (the store decides, by the unit's sampling).
/// - A provider's reply is sent; an internal note never, nor the customer's own message.
/// - Resolving sends the resolution (with the survey's link when the case is asked) once:
///   moving from any open status to resolved, or to closed straight away. Resolved → closed
///   sends nothing more.
pub fn mail_for(change: CaseChangeForMail) -> Option<MailKind> {
    match change {
        CaseChangeForMail::Created { resolved_at_once } => Some(if resolved_at_once {
            MailKind::Survey
        } else {
            MailKind::Received
        }),
        CaseChangeForMail::Message {
            internal,
            from_provider,
        } => (!internal && from_provider).then_some(MailKind::Reply),
        CaseChangeForMail::Status { from, to } => {
            let resolves = matches!(to, CaseStatus::Resolved | CaseStatus::Closed);
            (resolves && from.is_active()).then_some(MailKind::Resolved)
        }
    }
}

/// The language of a mail: the person's chosen locale; Swedish for everyone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailLang {
    Sv,
    En,
}

impl MailLang {
    pub fn of_locale(locale: Option<&str>) -> MailLang {
        match locale {
            Some(l)
                if l.eq_ignore_ascii_case("en") || l.to_ascii_lowercase().starts_with("en-") =>
            {
                MailLang::En
            }
            _ => MailLang::Sv,
        }
    }

    fn t<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            MailLang::Sv => sv,
            MailLang::En => en,
        }
    }
}

/// The reference in a subject that the mail-in side reads back to thread a reply onto its
/// case: `[Ärende 2026-0265828]` in Swedish, `[Case 2026-0265828]` in English.
pub fn subject_reference(number: CaseNumber, lang: MailLang) -> String {
    format!("[{} {number}]", lang.t("Ärende", "Case"))
}

/// What a mail says about its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub number: CaseNumber,
    pub subject: String,
    pub service_name: String,
    /// The providing unit: it signs the mail.
    pub unit_name: String,
}

/// Who a mail goes to, and the link they follow the case by: the case page for someone with
/// an account, a follow link (`/follow/{token}`) for a contact without one. A survey mail
/// needs no such link: it carries the survey's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub address: String,
    pub name: Option<String>,
    pub lang: MailLang,
    pub link: String,
}

/// Who a mail is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// The display name (the providing unit's name).
    pub name: Option<String>,
    pub address: String,
}

/// A mail ready for the outbox; its Message-ID and threading headers are added by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposedMail {
    pub kind: MailKind,
    pub from: Sender,
    pub to: Recipient,
    pub subject: String,
    pub body: String,
    pub auto_submitted: bool,
}

/// Header text without line breaks or other control characters: a subject typed by a
/// person must not be able to add a header of its own.
pub fn header_text(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A survey's link in a mail, and when the survey closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyLink {
    pub url: String,
    pub expires_at: i64,
}

/// Writes the mail of `kind` about a case. `reply` is the provider's reply for
/// [`MailKind::Reply`]; `survey` the survey's link for a resolution (when the case is asked)
/// and for the survey mails.
pub fn compose(
    kind: MailKind,
    case: &CaseFacts,
    to: Recipient,
    from: Sender,
    reply: Option<&str>,
    survey: Option<&SurveyLink>,
) -> ComposedMail {
    let l = to.lang;
    let n = case.number;
    let subject_text = header_text(&case.subject);
    let reference = subject_reference(n, l);
    let subject = match kind {
        MailKind::Received => format!(
            "{reference} {} {subject_text}",
            l.t(
                "Vi har tagit emot ditt ärende:",
                "We have received your case:"
            )
        ),
        MailKind::Reply => format!("{reference} {subject_text}"),
        MailKind::Resolved => format!(
            "{reference} {} {subject_text}",
            l.t("Ditt ärende är löst:", "Your case is resolved:")
        ),
        MailKind::Survey => format!(
            "{reference} {}",
            l.t(
                "Vad tyckte du om hjälpen du fick?",
                "What did you think of the help you got?"
            )
        ),
        MailKind::SurveyReminder => format!(
            "{reference} {}",
            l.t(
                "Påminnelse: vad tyckte du om hjälpen du fick?",
                "Reminder: what did you think of the help you got?"
            )
        ),
    };
    let greeting = match to.name.as_deref().map(header_text) {
        Some(name) if !name.is_empty() => format!("{} {name},", l.t("Hej", "Hello")),
        _ => l.t("Hej!", "Hello,").to_string(),
    };
    let unit = &case.unit_name;
    let link = &to.link;
    let middle = match kind {
        MailKind::Received => format!(
            "{}\n\n{}: {}\n{}: {}\n{}: {unit}\n\n{}\n{link}\n\n{}",
            match l {
                MailLang::Sv => format!("Vi har tagit emot ditt ärende. Det har nummer {n}."),
                MailLang::En => format!("We have received your case. Its number is {n}."),
            },
            l.t("Ärende", "Case"),
            case.subject.trim(),
            l.t("Tjänst", "Service"),
            case.service_name,
            l.t("Handläggs av", "Handled by"),
            l.t("Följ ärendet här:", "Follow the case here:"),
            l.t(
                "Vill du lägga till något? Svara på det här meddelandet och behåll ärendenumret i ämnesraden.",
                "Anything to add? Reply to this message and keep the case number in the subject line."
            ),
        ),
        MailKind::Reply => format!(
            "{}\n\n{}\n\n{}\n{link}\n\n{}",
            match l {
                MailLang::Sv => format!("{unit} har svarat i ditt ärende {n}:"),
                MailLang::En => format!("{unit} has replied on your case {n}:"),
            },
            reply.unwrap_or("").trim(),
            l.t("Hela ärendet finns här:", "The whole case is here:"),
            l.t(
                "Svara på det här meddelandet om du vill svara. Behåll ärendenumret i ämnesraden.",
                "Reply to this message to answer. Keep the case number in the subject line."
            ),
        ),
        MailKind::Resolved => format!(
            "{}\n\n{}{}\n{link}\n\n{}",
            match l {
                MailLang::Sv => format!("Ditt ärende {n} ({}) är löst.", case.subject.trim()),
                MailLang::En => format!("Your case {n} ({}) has been resolved.", case.subject.trim()),
            },
            survey.map_or_else(String::new, |s| survey_invitation(l, s)),
            l.t("Hela ärendet finns här:", "The whole case is here:"),
            l.t(
                "Är något inte löst? Svara på det här meddelandet, så öppnas ärendet igen.",
                "Is something not solved? Reply to this message and the case opens again."
            ),
        ),
        MailKind::Survey | MailKind::SurveyReminder => format!(
            "{}\n\n{}",
            match (kind, l) {
                (MailKind::SurveyReminder, MailLang::Sv) => format!(
                    "För några dagar sedan bad vi dig berätta vad du tyckte om hjälpen i ärende {n}. \
                     Har du inte hunnit än finns enkäten kvar. Det här är den enda påminnelsen."
                ),
                (MailKind::SurveyReminder, MailLang::En) => format!(
                    "A few days ago we asked what you thought of the help on case {n}. \
                     If you have not had time yet, the survey is still open. This is the only reminder."
                ),
                (_, MailLang::Sv) => format!(
                    "Tack för att du kontaktade {unit} om {}. Ärendenummer: {n}.",
                    case.subject.trim()
                ),
                (_, MailLang::En) => format!(
                    "Thank you for contacting {unit} about {}. Case number: {n}.",
                    case.subject.trim()
                ),
            },
            survey.map_or_else(String::new, |s| survey_invitation(l, s)).trim_end(),
        ),
    };
    let body = format!(
        "{greeting}\n\n{middle}\n\n{}\n{unit}\n",
        l.t("Med vänliga hälsningar", "Kind regards")
    );
    ComposedMail {
        kind,
        from,
        to,
        subject,
        body,
        auto_submitted: kind.is_automatic(),
    }
}

/// The paragraph that asks for the survey: its link, that it is one short question, that
/// agents see answers only together with others, and when it closes.
fn survey_invitation(l: MailLang, s: &SurveyLink) -> String {
    let until = crate::time::format_date(s.expires_at - 1);
    match l {
        MailLang::Sv => format!(
            "Berätta gärna vad du tyckte om hjälpen du fick. Det är en fråga och tar en minut, \
             du behöver inte logga in:\n{}\n\nHandläggarna ser bara svar sammanställda med andras. \
             Enkäten går att besvara till och med {until}.\n\n",
            s.url
        ),
        MailLang::En => format!(
            "Please tell us what you thought of the help you got. It is one question and takes a \
             minute; you do not need to sign in:\n{}\n\nOfficers see answers only together with \
             others'. The survey can be answered until {until}.\n\n",
            s.url
        ),
    }
}

/// Whether `s` can be a mail address (`local@domain`, no spaces, no angle brackets). The
/// relay is the judge of the rest; this keeps what cannot be sent out of the outbox's retries.
pub fn is_mail_address(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !domain.is_empty()
        && s.len() <= 254
        && (domain.contains('.') || domain == "localhost")
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && !matches!(c, '<' | '>' | ',' | ';' | '"')
        })
        && !local.contains('@')
}

/// The Message-ID of an outgoing mail, fixed when it is written to the outbox:
/// `<serva.{32 hex digits}@{domain of the From address}>`. A resent mail keeps it, so a
/// receiver that sees the same mail twice can tell.
pub fn message_id(random: [u8; 16], from_address: &str) -> String {
    let domain = from_address
        .rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
        .unwrap_or("serva.invalid");
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("<serva.{hex}@{domain}>")
}

/// Where an outgoing mail is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxStatus {
    /// Waiting to be sent, or to be tried again.
    Pending,
    /// The relay accepted it.
    Sent,
    /// Given up: refused for good by the relay, or out of attempts. An administrator can
    /// queue it again.
    Failed,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 3] = [
        OutboxStatus::Pending,
        OutboxStatus::Sent,
        OutboxStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How delivery is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failed attempt; it doubles after each failure.
    pub first_delay_ms: i64,
    /// The longest wait between two attempts.
    pub max_delay_ms: i64,
    /// Attempts before a mail is given up as failed.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: ten attempts span about four hours, long
    /// enough for a relay's maintenance window, short enough that a failure is seen the
    /// same day.
    fn default() -> Self {
        RetryPolicy {
            first_delay_ms: 30_000,
            max_delay_ms: 3_600_000,
            max_attempts: 10,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at this time (ms since the epoch).
    RetryAt(i64),
    /// Give up: the mail is failed.
    GiveUp,
}

impl RetryPolicy {
    /// After attempt number `attempts` (1 for the first) failed at `now`; `permanent` when
    /// the relay refused the mail for good (a 5xx reply, an address it cannot take).
    pub fn after_failure(&self, attempts: u32, permanent: bool, now: i64) -> AfterFailure {
        if permanent || attempts >= self.max_attempts {
            return AfterFailure::GiveUp;
        }
        let doublings = attempts.saturating_sub(1).min(40);
        let delay = self
            .first_delay_ms
            .max(1)
            .saturating_mul(1i64 << doublings)
            .min(self.max_delay_ms.max(1));
        AfterFailure::RetryAt(now.saturating_add(delay))
    }
}

/// One mail of the outbox, as the administrators' page and the delivery worker read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    pub id: i64,
    pub case_id: Option<crate::CaseId>,
    /// The number of the case, as people quote it.
    pub case_number: Option<CaseNumber>,
    pub kind: MailKind,
    pub message_id: String,
    pub from_name: Option<String>,
    pub from_address: String,
    pub to_name: Option<String>,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub in_reply_to: Option<String>,
    /// Message-IDs separated by spaces, oldest first.
    pub references: Option<String>,
    pub auto_submitted: bool,
    pub status: OutboxStatus,
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

impl OutboxMail {
    /// The mail's headers as they are sent (before MIME encoding), for people to read.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mailbox = |name: &Option<String>, addr: &str| match name {
            Some(n) if !n.is_empty() => {
                format!("\"{}\" <{addr}>", header_text(n).replace('"', "'"))
            }
            _ => addr.to_string(),
        };
        let mut h = vec![
            ("Message-ID", self.message_id.clone()),
            ("From", mailbox(&self.from_name, &self.from_address)),
            ("To", mailbox(&self.to_name, &self.to_address)),
            ("Subject", self.subject.clone()),
        ];
        if let Some(r) = &self.in_reply_to {
            h.push(("In-Reply-To", r.clone()));
        }
        if let Some(r) = &self.references {
            h.push(("References", r.clone()));
        }
        if self.auto_submitted {
            h.push(("Auto-Submitted", "auto-generated".into()));
        }
        h
    }
}

#[cfg(test)]
mod tests;
