//! What happened: small typed events the application layer publishes after each write, so open
//! pages, other app nodes and background workers can react (live queues, chat, notifications).
//! An event says what changed and where; a reader fetches the rest through its own access rules.

use serde::{Deserialize, Serialize};

use crate::case::CaseStatus;
use crate::{CaseId, MessageId, ServiceId, UnitId, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A case came in, into the queue of `unit`.
    CaseCreated { case: CaseId, unit: UnitId },
    /// A case's status or assignee changed.
    CaseChanged {
        case: CaseId,
        unit: UnitId,
        change: CaseChange,
    },
    /// A reply or an internal note was added to a case.
    MessageAdded {
        case: CaseId,
        unit: UnitId,
        message: MessageId,
        internal: bool,
    },
    /// A case was handed off from the queue of `from` to the queue of `to` (or back).
    CaseHandedOff {
        case: CaseId,
        from: UnitId,
        to: UnitId,
    },
    /// The requester rated a case.
    SurveyAnswered { case: CaseId, unit: UnitId },
    /// A service of the catalogue was added or changed.
    ServiceChanged { service: ServiceId, unit: UnitId },
    /// A unit's business calendar changed; its open cases' due times were worked out again.
    CalendarChanged { unit: UnitId },
    /// A clock of a case passed its due time (recorded as a breach).
    SlaBreached {
        case: CaseId,
        unit: UnitId,
        clock: crate::sla::ClockKind,
    },
    /// Data came in through an import (`kind` as in `serva import KIND`).
    Imported { kind: String, rows: usize },
    /// The telephony platform posted `calls` new call records of the phone queue of `unit`.
    CallsRecorded { unit: UnitId, calls: usize },
    /// A chat was opened and waits in the chat queue of `unit`.
    ChatOpened {
        chat: crate::chat::ChatId,
        unit: UnitId,
    },
    /// Message `seq` was written in a chat.
    ChatMessage {
        chat: crate::chat::ChatId,
        unit: UnitId,
        seq: i64,
    },
    /// An agent took a waiting chat.
    ChatTaken {
        chat: crate::chat::ChatId,
        unit: UnitId,
    },
    /// A chat ended.
    ChatEnded {
        chat: crate::chat::ChatId,
        unit: UnitId,
    },
    /// This node lost its connection to the other nodes for a while: events may have been
    /// missed, so what is shown should be read again. Never sent between nodes.
    Missed,
}

/// What changed on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", content = "to", rename_all = "snake_case")]
pub enum CaseChange {
    Status(CaseStatus),
    Assignee(Option<UserId>),
}

impl Event {
    /// The chat the event concerns, if any.
    pub fn chat(&self) -> Option<crate::chat::ChatId> {
        match self {
            Event::ChatOpened { chat, .. }
            | Event::ChatMessage { chat, .. }
            | Event::ChatTaken { chat, .. }
            | Event::ChatEnded { chat, .. } => Some(*chat),
            _ => None,
        }
    }

    /// The provider unit whose queue the event concerns, if any.
    pub fn unit(&self) -> Option<UnitId> {
        match self {
            Event::CaseCreated { unit, .. }
            | Event::CaseChanged { unit, .. }
            | Event::MessageAdded { unit, .. }
            | Event::SurveyAnswered { unit, .. }
            | Event::ServiceChanged { unit, .. }
            | Event::CalendarChanged { unit }
            | Event::SlaBreached { unit, .. }
            | Event::ChatOpened { unit, .. }
            | Event::ChatMessage { unit, .. }
            | Event::ChatTaken { unit, .. }
            | Event::ChatEnded { unit, .. }
            | Event::CallsRecorded { unit, .. } => Some(*unit),
            // The receiving queue is the one that must show it at once.
            Event::CaseHandedOff { to, .. } => Some(*to),
            Event::Imported { .. } | Event::Missed => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_as_json() {
        let events = [
            Event::CaseCreated {
                case: CaseId(7),
                unit: UnitId(3),
            },
            Event::CaseChanged {
                case: CaseId(7),
                unit: UnitId(3),
                change: CaseChange::Assignee(None),
            },
            Event::CaseChanged {
                case: CaseId(7),
                unit: UnitId(3),
                change: CaseChange::Status(CaseStatus::WaitingCustomer),
            },
            Event::Imported {
                kind: "budget".into(),
                rows: 12,
            },
            Event::SlaBreached {
                case: CaseId(7),
                unit: UnitId(3),
                clock: crate::sla::ClockKind::FirstResponse,
            },
            Event::CalendarChanged { unit: UnitId(3) },
            Event::CallsRecorded {
                unit: UnitId(3),
                calls: 2,
            },
        ];
        for e in events {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e, "{json}");
        }
        let json = serde_json::to_value(Event::CaseCreated {
            case: CaseId(1),
            unit: UnitId(2),
        })
        .unwrap();
        assert_eq!(json["type"], "case_created");
        assert_eq!(
            Event::CaseCreated {
                case: CaseId(1),
                unit: UnitId(2)
            }
            .unit(),
            Some(UnitId(2))
        );
        assert_eq!(Event::Missed.unit(), None);
    }
}
