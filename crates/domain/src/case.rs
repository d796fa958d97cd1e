//! Cases (ärenden): statuses, channels and the case number.

use serde::{Deserialize, Serialize};

use crate::access::CaseScope;
use crate::role::TargetGroup;
use crate::{CaseId, MessageId, ServiceId, UnitId, UserId};

/// Where a case came in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    Chat,
    Phone,
    Email,
    Visit,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Web,
        Channel::Chat,
        Channel::Phone,
        Channel::Email,
        Channel::Visit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Chat => "chat",
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Visit => "visit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Contacts an agent registers while talking to the person (phone, desk visit) may be
    /// resolved in the same step: first-contact resolution.
    pub fn is_live(self) -> bool {
        matches!(self, Channel::Phone | Channel::Visit | Channel::Chat)
    }
}

/// The life of a case.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    New,
    Open,
    WaitingCustomer,
    WaitingThirdParty,
    Resolved,
    Closed,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BadTransition {
    #[error("a case cannot go back to new")]
    BackToNew,
    #[error("the case already has status {0}")]
    Unchanged(&'static str),
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::New,
        CaseStatus::Open,
        CaseStatus::WaitingCustomer,
        CaseStatus::WaitingThirdParty,
        CaseStatus::Resolved,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::Open => "open",
            CaseStatus::WaitingCustomer => "waiting_customer",
            CaseStatus::WaitingThirdParty => "waiting_third_party",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Open work: anything not yet resolved or closed.
    pub fn is_active(self) -> bool {
        !matches!(self, CaseStatus::Resolved | CaseStatus::Closed)
    }

    /// Waiting on someone outside the provider: the SLA clock pauses.
    pub fn pauses_sla(self) -> bool {
        matches!(
            self,
            CaseStatus::WaitingCustomer | CaseStatus::WaitingThirdParty
        )
    }

    /// The status a case goes to when a message is added: a customer's reply to a case
    /// waiting for them, or to a resolved or closed case, puts it back in the queue (a reply
    /// to a resolved case says it is not resolved); nothing else changes the status.
    pub fn after_message(self, from_provider: bool, internal: bool) -> CaseStatus {
        if !internal
            && !from_provider
            && matches!(
                self,
                CaseStatus::WaitingCustomer | CaseStatus::Resolved | CaseStatus::Closed
            )
        {
            CaseStatus::Open
        } else {
            self
        }
    }

    /// Checks a status change. Every change but "back to new" is allowed: a resolved or closed
    /// case can be reopened, and an agent may close directly.
    pub fn transition(self, to: CaseStatus) -> Result<CaseStatus, BadTransition> {
        if to == self {
            return Err(BadTransition::Unchanged(to.as_str()));
        }
        if to == CaseStatus::New {
            return Err(BadTransition::BackToNew);
        }
        Ok(to)
    }
}

/// What the customer's side may see of a case: without the answers to the order form's
/// internal fields (`FormField::internal`) and without the target group, which the provider
/// records for its own follow-up.
pub fn for_customer(mut case: Case, form: &[crate::catalogue::FormField]) -> Case {
    case.answers
        .retain(|(k, _)| !form.iter().any(|f| f.internal && &f.key == k));
    case.target_group = None;
    case
}

/// The number people quote for a case: the year it was opened and its id, `2019-0001234`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseNumber {
    pub year: i32,
    pub id: CaseId,
}

impl std::fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:07}", self.year, self.id.0)
    }
}

impl CaseNumber {
    /// Parses `2019-0001234` (or `2019-1234`).
    pub fn parse(s: &str) -> Option<Self> {
        let (y, n) = s.trim().split_once('-')?;
        if y.len() != 4 || n.is_empty() || n.len() > 15 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year = y.parse().ok()?;
        let id = n.parse::<i64>().ok().filter(|&i| i > 0)?;
        if !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(CaseNumber {
            year,
            id: CaseId(id),
        })
    }
}

/// A case as it is read: its own fields with the names of what it refers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub id: CaseId,
    pub service_id: ServiceId,
    pub service_code: String,
    pub service_name: String,
    /// The providing unit, whose queue the case is in.
    pub unit_id: UnitId,
    pub unit_name: String,
    pub customer_unit_id: Option<UnitId>,
    pub customer_unit_name: Option<String>,
    pub requester_id: Option<UserId>,
    /// The requester's display name, or the name given for someone without an account.
    pub requester_name: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub channel: Channel,
    pub status: CaseStatus,
    pub subject: String,
    pub description: String,
    /// The order form's answers, in the form's order: (field key, answer).
    pub answers: Vec<(String, String)>,
    pub assignee_id: Option<UserId>,
    pub assignee_name: Option<String>,
    pub first_contact_resolution: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// The person without an account the case is for (citizen, caller, e-mail sender).
    pub contact: Option<crate::contact::Contact>,
    /// The customer wrote and the provider has not opened the case since.
    pub unread_by_provider: bool,
    /// The provider replied and the customer has not opened the case since.
    pub unread_by_customer: bool,
    /// The SLA clocks' due times as stored on the case (see `sla::SlaDue`).
    pub sla: crate::sla::SlaDue,
}

impl Case {
    /// The number people quote: the Stockholm year the case was opened, and its id.
    pub fn number(&self) -> CaseNumber {
        use chrono::Datelike;
        CaseNumber {
            year: crate::time::to_local(self.created_at).year(),
            id: self.id,
        }
    }

    /// What the access rules need to know about the case.
    pub fn scope(&self) -> CaseScope {
        CaseScope {
            provider_unit: self.unit_id,
            customer_unit: self.customer_unit_id,
            requester: self.requester_id,
        }
    }
}

/// One page of a case list and whether another follows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CasePage {
    pub cases: Vec<Case>,
    pub page: i64,
    pub per_page: i64,
    pub has_next: bool,
}

/// A queue's open cases: all, unassigned, assigned to the person looking, and those near or
/// past an SLA due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct QueueCounts {
    pub active: i64,
    pub unassigned: i64,
    pub mine: i64,
    /// Open cases with a clock past its warning share, and past its due time.
    pub near_breach: i64,
    pub breached: i64,
}

/// A reply or an internal note on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub id: MessageId,
    pub case_id: CaseId,
    pub author_id: Option<UserId>,
    pub author_name: Option<String>,
    /// An internal note: seen only by the provider's side.
    pub internal: bool,
    pub body: String,
    pub created_at: i64,
}

/// What happened to a case in one entry of its history.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseEventKind {
    /// Registered; `to` is the first status.
    Created,
    /// The status changed from `from` to `to`.
    Status,
    /// The assignee changed (user ids as text; none when unassigned).
    Assigned,
    /// A reply; `to` is the message id.
    Message,
    /// An internal note; `to` is the message id.
    Note,
}

impl CaseEventKind {
    pub const ALL: [CaseEventKind; 5] = [
        CaseEventKind::Created,
        CaseEventKind::Status,
        CaseEventKind::Assigned,
        CaseEventKind::Message,
        CaseEventKind::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseEventKind::Created => "created",
            CaseEventKind::Status => "status",
            CaseEventKind::Assigned => "assigned",
            CaseEventKind::Message => "message",
            CaseEventKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseEvent {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<UserId>,
    pub actor_name: Option<String>,
    pub kind: CaseEventKind,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
}

/// The status history the SLA clock needs, from a case's events. A status value that is not
/// a status is an error in the stored history, not something to skip.
pub fn status_changes(events: &[CaseEvent]) -> Result<Vec<crate::sla::StatusChange>, String> {
    events
        .iter()
        .filter(|e| matches!(e.kind, CaseEventKind::Created | CaseEventKind::Status))
        .map(|e| {
            let v = e.to_value.as_deref().unwrap_or("");
            CaseStatus::parse(v)
                .map(|to| crate::sla::StatusChange { at: e.at, to })
                .ok_or_else(|| format!("history entry {}: unknown status {v:?}", e.id))
        })
        .collect()
}

/// Limits on what people type, checked before anything is stored.
pub const SUBJECT_MAX: usize = 200;
pub const TEXT_MAX: usize = 20_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BadText {
    #[error("must not be empty")]
    Empty,
    #[error("is too long ({0} characters, at most {1})")]
    TooLong(usize, usize),
}

/// Trims and checks a required text of at most `max` characters.
pub fn clean_text(s: &str, max: usize) -> Result<String, BadText> {
    let t = s.trim();
    if t.is_empty() {
        return Err(BadText::Empty);
    }
    let n = t.chars().count();
    if n > max {
        return Err(BadText::TooLong(n, max));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let n = CaseNumber {
            year: 2019,
            id: CaseId(1234),
        };
        assert_eq!(n.to_string(), "2019-0001234");
        assert_eq!(CaseNumber::parse("2019-0001234"), Some(n));
        assert_eq!(CaseNumber::parse(" 2019-1234 "), Some(n));
        assert_eq!(CaseNumber::parse("2019-"), None);
        assert_eq!(CaseNumber::parse("19-12"), None);
        assert_eq!(CaseNumber::parse("2019-+12"), None);
        assert_eq!(CaseNumber::parse("2019-0"), None);
        // Found by fuzzing: a signed year was read, and written back without its digits.
        assert_eq!(CaseNumber::parse("+201-12"), None);
        let early = CaseNumber::parse("0019-5").unwrap();
        assert_eq!(CaseNumber::parse(&early.to_string()), Some(early));
    }

    #[test]
    fn transitions() {
        use CaseStatus::*;
        assert_eq!(New.transition(Open), Ok(Open));
        assert_eq!(Open.transition(New), Err(BadTransition::BackToNew));
        assert_eq!(Open.transition(Open), Err(BadTransition::Unchanged("open")));
        assert_eq!(Closed.transition(Open), Ok(Open));
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        assert!(WaitingCustomer.pauses_sla() && !Open.pauses_sla());
        assert_eq!(WaitingCustomer.after_message(false, false), Open);
        assert_eq!(WaitingCustomer.after_message(true, false), WaitingCustomer);
        assert_eq!(WaitingCustomer.after_message(false, true), WaitingCustomer);
        assert_eq!(
            WaitingThirdParty.after_message(false, false),
            WaitingThirdParty
        );
    }

    #[test]
    fn status_history_is_read_strictly() {
        let e = |id, kind, to: Option<&str>| CaseEvent {
            id,
            at: id * 1000,
            actor_id: None,
            actor_name: None,
            kind,
            from_value: None,
            to_value: to.map(str::to_string),
        };
        let history = vec![
            e(1, CaseEventKind::Created, Some("new")),
            e(2, CaseEventKind::Note, Some("17")),
            e(3, CaseEventKind::Status, Some("waiting_customer")),
        ];
        let changes = status_changes(&history).unwrap();
        assert_eq!(
            changes.iter().map(|c| (c.at, c.to)).collect::<Vec<_>>(),
            vec![(1000, CaseStatus::New), (3000, CaseStatus::WaitingCustomer)]
        );
        let bad = vec![e(4, CaseEventKind::Status, Some("lost"))];
        assert!(status_changes(&bad).unwrap_err().contains("lost"));
        let missing = vec![e(5, CaseEventKind::Status, None)];
        assert!(status_changes(&missing).unwrap_err().contains("entry 5"));
    }

    #[test]
    fn texts_are_checked() {
        assert_eq!(clean_text("  hej ", 10), Ok("hej".into()));
        assert_eq!(clean_text("   ", 10), Err(BadText::Empty));
        assert_eq!(clean_text("åäöåäöåäöåä", 10), Err(BadText::TooLong(11, 10)));
    }
}
