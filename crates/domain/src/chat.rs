//! Chat: a conversation between a customer (a signed-in person from the portal, or a citizen
//! without an account) and an agent of a provider unit, which becomes a case.
//!
//! The wire protocol lives here, pure, so that it is unit-tested and fuzzed apart from the
//! WebSocket that carries it. Frames are JSON objects with a `type`:
//!
//! * client → server: `send` (`client_id`, `body`) and `resume` (`after`: the last sequence
//!   number the client has);
//! * server → client: `message` (`seq`, `from`, `body`, `at`), `ack` (`client_id`, `seq`),
//!   `state` (`state`, `case`, `agent`) and `error` (`code`, `message`).
//!
//! Sequence numbers are per chat, assigned by the database (1, 2, 3 … without gaps), so a client
//! that reconnects asks for everything after the last number it has and never gets a message
//! twice or misses one. `client_id` makes a resend idempotent: sending the same `client_id`
//! again returns the first acknowledgement, never a second message.

use serde::{Deserialize, Serialize};

use crate::{CaseId, UnitId, UserId};

/// A chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChatId(pub i64);

impl std::fmt::Display for ChatId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a chat is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatState {
    /// In the unit's chat queue; no agent yet.
    Waiting,
    /// An agent has taken it.
    Active,
    /// Ended by either side; nothing more can be written.
    Ended,
}

impl ChatState {
    pub const ALL: [ChatState; 3] = [ChatState::Waiting, ChatState::Active, ChatState::Ended];

    pub fn as_str(self) -> &'static str {
        match self {
            ChatState::Waiting => "waiting",
            ChatState::Active => "active",
            ChatState::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatSide {
    Customer,
    Agent,
}

impl ChatSide {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatSide::Customer => "customer",
            ChatSide::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(ChatSide::Customer),
            "agent" => Some(ChatSide::Agent),
            _ => None,
        }
    }
}

/// A chat as it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chat {
    pub id: ChatId,
    /// The provider unit whose chat queue it is in.
    pub unit_id: UnitId,
    pub unit_code: String,
    pub unit_name: String,
    /// The case the chat became (made when the chat opened, so it has its number at once).
    pub case_id: CaseId,
    pub state: ChatState,
    /// The signed-in customer, if it was opened from the portal.
    pub customer_id: Option<UserId>,
    /// The name the customer gave (or their display name).
    pub customer_name: String,
    pub opened_at: i64,
    pub taken_at: Option<i64>,
    pub taken_by: Option<UserId>,
    pub agent_name: Option<String>,
    pub ended_at: Option<i64>,
    /// The last sequence number given out (0: no message yet).
    pub last_seq: i64,
}

impl Chat {
    /// How long the customer waited in the queue: until taken, or until now while waiting
    /// (or until it ended, if nobody took it).
    pub fn wait_ms(&self, now: i64) -> i64 {
        let end = self.taken_at.or(self.ended_at).unwrap_or(now);
        (end - self.opened_at).max(0)
    }
}

/// One message of a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    pub seq: i64,
    pub from: ChatSide,
    /// The writer's display name (agents), or the name the customer gave.
    pub author_name: Option<String>,
    pub body: String,
    pub at: i64,
}

/// Longest message, in characters: a chat line, not a letter.
pub const BODY_MAX: usize = 4_000;
/// Longest client id, in bytes.
pub const CLIENT_ID_MAX: usize = 64;
/// Largest frame the server reads, in bytes (a body of `BODY_MAX` characters of up to four
/// bytes each, JSON-escaped, and room for the rest).
pub const FRAME_MAX: usize = 6 * BODY_MAX + 512;

/// A frame from a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFrame {
    /// Write a message; `client_id` names it, so sending it again is no second message.
    Send { client_id: String, body: String },
    /// Send me every message after `after` (0: all), then new ones as they come.
    Resume { after: i64 },
}

/// A frame the server sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    Message {
        seq: i64,
        from: ChatSide,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        name: Option<String>,
        body: String,
        /// Milliseconds since the epoch (UTC).
        at: i64,
    },
    Ack {
        client_id: String,
        seq: i64,
    },
    State {
        state: ChatState,
        /// The case number people quote.
        case: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        agent: Option<String>,
        /// The last sequence number of the chat.
        last_seq: i64,
    },
    Error {
        code: String,
        message: String,
    },
}

impl ServerFrame {
    pub fn message(m: &ChatMessage) -> ServerFrame {
        ServerFrame::Message {
            seq: m.seq,
            from: m.from,
            name: m.author_name.clone(),
            body: m.body.clone(),
            at: m.at,
        }
    }

    pub fn error(e: &ProtocolError) -> ServerFrame {
        ServerFrame::Error {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("frames serialise")
    }
}

/// What is wrong with a frame, or with what it asks for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("the frame is larger than {FRAME_MAX} bytes")]
    TooLarge,
    #[error("the frame is not a JSON object with a known \"type\": {0}")]
    BadFrame(String),
    #[error("client_id must be 1–{CLIENT_ID_MAX} visible ASCII characters")]
    BadClientId,
    #[error("the message is empty")]
    EmptyBody,
    #[error("the message is too long ({0} characters, at most {BODY_MAX})")]
    BodyTooLong(usize),
    #[error("after must be a sequence number from 0 up")]
    BadAfter,
    #[error("there is no message {asked} yet: the chat's last is {last}")]
    UnknownSeq { asked: i64, last: i64 },
    #[error("the chat has ended; nothing more can be written")]
    ChatEnded,
    #[error("the same client_id was sent with another text")]
    ClientIdReused,
    #[error("too many messages; wait a moment")]
    TooFast,
}

impl ProtocolError {
    /// The stable code of the error frame.
    pub fn code(&self) -> &'static str {
        match self {
            ProtocolError::TooLarge => "too_large",
            ProtocolError::BadFrame(_) => "bad_frame",
            ProtocolError::BadClientId => "bad_client_id",
            ProtocolError::EmptyBody => "empty_body",
            ProtocolError::BodyTooLong(_) => "body_too_long",
            ProtocolError::BadAfter => "bad_after",
            ProtocolError::UnknownSeq { .. } => "unknown_seq",
            ProtocolError::ChatEnded => "chat_ended",
            ProtocolError::ClientIdReused => "client_id_reused",
            ProtocolError::TooFast => "too_fast",
        }
    }
}

/// The frame as it arrives, before its fields are checked.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum RawFrame {
    Send { client_id: String, body: String },
    Resume { after: i64 },
}

/// Reads a client's frame and checks its fields.
pub fn parse_client_frame(text: &str) -> Result<ClientFrame, ProtocolError> {
    if text.len() > FRAME_MAX {
        return Err(ProtocolError::TooLarge);
    }
    let raw: RawFrame = serde_json::from_str(text).map_err(|e| {
        let mut m = e.to_string();
        m.truncate(200);
        ProtocolError::BadFrame(m)
    })?;
    match raw {
        RawFrame::Send { client_id, body } => {
            check_client_id(&client_id)?;
            let body = clean_body(&body)?;
            Ok(ClientFrame::Send { client_id, body })
        }
        RawFrame::Resume { after } => {
            if after < 0 {
                return Err(ProtocolError::BadAfter);
            }
            Ok(ClientFrame::Resume { after })
        }
    }
}

/// A client id is short visible ASCII, so it can be stored, logged and echoed as it is.
pub fn check_client_id(id: &str) -> Result<(), ProtocolError> {
    if id.is_empty() || id.len() > CLIENT_ID_MAX || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ProtocolError::BadClientId);
    }
    Ok(())
}

/// Trims a message and checks its length. Control characters other than line breaks and tabs
/// are refused as empty noise would be: they cannot be shown.
pub fn clean_body(body: &str) -> Result<String, ProtocolError> {
    let t = body.trim();
    if t.is_empty() {
        return Err(ProtocolError::EmptyBody);
    }
    let n = t.chars().count();
    if n > BODY_MAX {
        return Err(ProtocolError::BodyTooLong(n));
    }
    Ok(t.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect::<String>()
        .replace("\r\n", "\n"))
}

/// Checks a resume against the chat's last sequence number: asking for messages after one
/// that does not exist yet means the client is confused (or replays another chat's numbers).
pub fn check_resume(after: i64, last_seq: i64) -> Result<(), ProtocolError> {
    if after > last_seq {
        return Err(ProtocolError::UnknownSeq {
            asked: after,
            last: last_seq,
        });
    }
    Ok(())
}

/// A short subject for the case a chat becomes: "Chatt: " and the first words of the first
/// message, cut at a word boundary.
pub fn case_subject(first_message: &str) -> String {
    const MAX: usize = 80;
    let first_line = first_message.lines().next().unwrap_or("").trim();
    let mut s = String::from("Chatt: ");
    if first_line.chars().count() <= MAX {
        s.push_str(first_line);
    } else {
        let cut: String = first_line.chars().take(MAX).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
        s.push_str(cut);
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_and_checked() {
        assert_eq!(
            parse_client_frame(r#"{"type":"send","client_id":"a-1","body":"  Hej!  "}"#),
            Ok(ClientFrame::Send {
                client_id: "a-1".into(),
                body: "Hej!".into()
            })
        );
        assert_eq!(
            parse_client_frame(r#"{"type":"resume","after":7}"#),
            Ok(ClientFrame::Resume { after: 7 })
        );
        for (bad, code) in [
            ("", "bad_frame"),
            ("[]", "bad_frame"),
            (r#"{"type":"shout"}"#, "bad_frame"),
            (r#"{"type":"resume","after":"x"}"#, "bad_frame"),
            (r#"{"type":"resume","after":1,"extra":1}"#, "bad_frame"),
            (r#"{"type":"resume","after":-1}"#, "bad_after"),
            (
                r#"{"type":"send","client_id":"","body":"x"}"#,
                "bad_client_id",
            ),
            (
                r#"{"type":"send","client_id":"a b","body":"x"}"#,
                "bad_client_id",
            ),
            (
                r#"{"type":"send","client_id":"å","body":"x"}"#,
                "bad_client_id",
            ),
            (
                r#"{"type":"send","client_id":"a","body":"  \n "}"#,
                "empty_body",
            ),
        ] {
            let e = parse_client_frame(bad).unwrap_err();
            assert_eq!(e.code(), code, "{bad}: {e}");
        }
        let long = format!(
            r#"{{"type":"send","client_id":"a","body":"{}"}}"#,
            "å".repeat(BODY_MAX + 1)
        );
        assert_eq!(
            parse_client_frame(&long),
            Err(ProtocolError::BodyTooLong(BODY_MAX + 1))
        );
        let id = "x".repeat(CLIENT_ID_MAX + 1);
        assert_eq!(check_client_id(&id), Err(ProtocolError::BadClientId));
        assert_eq!(
            parse_client_frame(&" ".repeat(FRAME_MAX + 1)),
            Err(ProtocolError::TooLarge)
        );
    }

    #[test]
    fn bodies_lose_what_cannot_be_shown() {
        assert_eq!(clean_body("a\u{7}b\r\nc\td").unwrap(), "ab\nc\td");
    }

    #[test]
    fn resume_may_not_run_ahead() {
        assert_eq!(check_resume(0, 0), Ok(()));
        assert_eq!(check_resume(3, 3), Ok(()));
        assert_eq!(
            check_resume(4, 3),
            Err(ProtocolError::UnknownSeq { asked: 4, last: 3 })
        );
    }

    #[test]
    fn server_frames_have_the_documented_shape() {
        let m = ServerFrame::Message {
            seq: 2,
            from: ChatSide::Agent,
            name: Some("Ann".into()),
            body: "Hej".into(),
            at: 5,
        };
        let v: serde_json::Value = serde_json::from_str(&m.to_json()).unwrap();
        assert_eq!(v["type"], "message");
        assert_eq!(v["from"], "agent");
        assert_eq!(v["seq"], 2);
        let e = ServerFrame::error(&ProtocolError::ChatEnded).to_json();
        let v: serde_json::Value = serde_json::from_str(&e).unwrap();
        assert_eq!(v["type"], "error");
        assert_eq!(v["code"], "chat_ended");
        for s in ChatState::ALL {
            assert_eq!(ChatState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn subjects_are_short() {
        assert_eq!(case_subject("Hej\nmer"), "Chatt: Hej");
        let long = "ord ".repeat(40);
        let s = case_subject(&long);
        assert!(s.ends_with('…') && s.chars().count() <= 88, "{s}");
    }

    #[test]
    fn waits_end_when_taken() {
        let c = Chat {
            id: ChatId(1),
            unit_id: UnitId(1),
            unit_code: "K".into(),
            unit_name: "K".into(),
            case_id: CaseId(1),
            state: ChatState::Active,
            customer_id: None,
            customer_name: "A".into(),
            opened_at: 1_000,
            taken_at: Some(31_000),
            taken_by: None,
            agent_name: None,
            ended_at: None,
            last_seq: 0,
        };
        assert_eq!(c.wait_ms(99_000), 30_000);
        let waiting = Chat {
            taken_at: None,
            ..c
        };
        assert_eq!(waiting.wait_ms(11_000), 10_000);
    }
}
