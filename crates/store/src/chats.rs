//! Chats: the chat queue of a provider unit, taking and ending a chat, and its messages with
//! their per-chat sequence numbers. Each message is written as a case message in the same
//! transaction, so the case the chat became shows the whole conversation.

use serva_domain::case::CaseEventKind;
use serva_domain::chat::{Chat, ChatId, ChatMessage, ChatSide, ChatState};
use serva_domain::{CaseId, ServiceId, UnitId, UserId};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::audit::{Action, Change, Entity};
use crate::rows::parsed;
use crate::{Db, StoreError, StoreResult};

/// A chat as it opens; its case exists already.
#[derive(Debug, Clone)]
pub struct NewChat {
    pub unit: UnitId,
    pub service: Option<ServiceId>,
    pub case: CaseId,
    pub customer: Option<UserId>,
    pub customer_name: String,
    /// SHA-256 of the visitor token of a citizen without an account.
    pub visitor_hash: Option<String>,
}

/// A message as it is sent.
#[derive(Debug, Clone)]
pub struct NewChatMessage<'a> {
    pub chat: ChatId,
    pub side: ChatSide,
    /// The signed-in writer (none for a citizen without an account).
    pub author: Option<UserId>,
    pub client_id: &'a str,
    pub body: &'a str,
}

/// What became of a message sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    /// Stored with the next sequence number.
    Stored(ChatMessage),
    /// Its `client_id` was sent before with the same text: the first one, unchanged.
    Replayed(ChatMessage),
    /// The chat has ended: nothing was stored.
    Ended,
    /// Its `client_id` was sent before with another text: nothing was stored.
    ClientIdReused,
}

const CHAT_SQL: &str =
    "SELECT ch.id, ch.unit_id, un.code AS unit_code, un.name AS unit_name, ch.case_id, \
     ch.state, ch.customer_id, ch.customer_name, ch.opened_at, ch.taken_at, ch.taken_by, \
     au.display_name AS agent_name, ch.ended_at, ch.last_seq \
     FROM chats ch JOIN units un ON un.id = ch.unit_id LEFT JOIN users au ON au.id = ch.taken_by";

const MESSAGE_SQL: &str = "SELECT m.seq, m.side, m.body, m.at, \
     CASE WHEN m.side = 'agent' THEN u.display_name ELSE c.customer_name END AS author_name \
     FROM chat_messages m JOIN chats c ON c.id = m.chat_id LEFT JOIN users u ON u.id = m.author_id";

struct ChatRow(Chat);

impl<'r> FromRow<'r, AnyRow> for ChatRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let opt_user = |c: &str| -> Result<Option<UserId>, sqlx::Error> {
            Ok(r.try_get::<Option<i64>, _>(c)?.map(UserId))
        };
        Ok(ChatRow(Chat {
            id: ChatId(r.try_get("id")?),
            unit_id: UnitId(r.try_get("unit_id")?),
            unit_code: r.try_get("unit_code")?,
            unit_name: r.try_get("unit_name")?,
            case_id: CaseId(r.try_get("case_id")?),
            state: parsed(r, "state", "chat state", ChatState::parse)?,
            customer_id: opt_user("customer_id")?,
            customer_name: r.try_get("customer_name")?,
            opened_at: r.try_get("opened_at")?,
            taken_at: r.try_get("taken_at")?,
            taken_by: opt_user("taken_by")?,
            agent_name: r.try_get("agent_name")?,
            ended_at: r.try_get("ended_at")?,
            last_seq: r.try_get("last_seq")?,
        }))
    }
}

struct MessageRow(ChatMessage);

impl<'r> FromRow<'r, AnyRow> for MessageRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(MessageRow(ChatMessage {
            seq: r.try_get("seq")?,
            from: parsed(r, "side", "chat side", ChatSide::parse)?,
            author_name: r.try_get("author_name")?,
            body: r.try_get("body")?,
            at: r.try_get("at")?,
        }))
    }
}

impl Db {
    /// Opens a chat for a case just made, in the unit's chat queue.
    pub async fn open_chat(&self, actor: Option<UserId>, c: &NewChat) -> StoreResult<Chat> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO chats (unit_id, service_id, case_id, state, customer_id, customer_name, visitor_hash, opened_at) \
             VALUES ($1, $2, $3, 'waiting', $4, $5, $6, $7) RETURNING id",
        )
        .bind(c.unit.0)
        .bind(c.service.map(|s| s.0))
        .bind(c.case.0)
        .bind(c.customer.map(|u| u.0))
        .bind(&c.customer_name)
        .bind(c.visitor_hash.as_deref())
        .bind(now)
        .fetch_one(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "a chat for this case"))?;
        tx.commit(
            Change::new(Action::Create, Entity::Case(c.case))
                .after(serde_json::json!({ "chat": id, "state": "waiting" })),
        )
        .await?;
        self.chat(ChatId(id)).await
    }

    pub async fn chat(&self, id: ChatId) -> StoreResult<Chat> {
        sqlx::query_as::<_, ChatRow>(&format!("{CHAT_SQL} WHERE ch.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.0)
            .ok_or(StoreError::NotFound("chat"))
    }

    /// The chat a case came from, if it came from one.
    pub async fn chat_of_case(&self, case: CaseId) -> StoreResult<Option<Chat>> {
        Ok(
            sqlx::query_as::<_, ChatRow>(&format!("{CHAT_SQL} WHERE ch.case_id = $1"))
                .bind(case.0)
                .fetch_optional(&self.read)
                .await?
                .map(|r| r.0),
        )
    }

    /// Whether `hash` is the SHA-256 of the visitor token of chat `id`.
    pub async fn chat_visitor_matches(&self, id: ChatId, hash: &str) -> StoreResult<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM chats WHERE id = $1 AND visitor_hash = $2")
                .bind(id.0)
                .bind(hash)
                .fetch_one(&self.read)
                .await?;
        Ok(n == 1)
    }

    /// A unit's chats that are not over: the waiting ones (longest wait first), then the
    /// active ones.
    pub async fn open_chats(&self, unit: UnitId) -> StoreResult<Vec<Chat>> {
        Ok(sqlx::query_as::<_, ChatRow>(&format!(
            "{CHAT_SQL} WHERE ch.unit_id = $1 AND ch.state IN ('waiting', 'active') \
             ORDER BY CASE ch.state WHEN 'waiting' THEN 0 ELSE 1 END, ch.opened_at, ch.id"
        ))
        .bind(unit.0)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    /// A unit's chats opened from `from` (ms) on, newest first, at most `limit`.
    pub async fn recent_chats(
        &self,
        unit: UnitId,
        from: i64,
        limit: i64,
    ) -> StoreResult<Vec<Chat>> {
        Ok(sqlx::query_as::<_, ChatRow>(&format!(
            "{CHAT_SQL} WHERE ch.unit_id = $1 AND ch.opened_at >= $2 ORDER BY ch.opened_at DESC, ch.id DESC LIMIT $3"
        ))
        .bind(unit.0)
        .bind(from)
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    /// Queue waits (ms) of the chats taken in `[from, to)`, of one unit or all: what the
    /// channel figures and the service level of chat are computed from.
    pub async fn chat_waits(
        &self,
        unit: Option<UnitId>,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT wait_ms FROM chats WHERE wait_ms IS NOT NULL AND taken_at >= $1 AND taken_at < $2 \
             AND ($3 IS NULL OR unit_id = $3) ORDER BY taken_at",
        )
        .bind(from)
        .bind(to)
        .bind(unit.map(|u| u.0))
        .fetch_all(&self.read)
        .await?)
    }

    /// An agent takes a waiting chat; a conflict if someone else took it first or it ended.
    pub async fn take_chat(&self, agent: UserId, id: ChatId) -> StoreResult<Chat> {
        let chat = self.chat(id).await?;
        let mut tx = self.begin_audited(Some(agent)).await?;
        let now = tx.now;
        let n = sqlx::query(
            "UPDATE chats SET state = 'active', taken_at = $1, taken_by = $2, wait_ms = $1 - opened_at \
             WHERE id = $3 AND state = 'waiting'",
        )
        .bind(now)
        .bind(agent.0)
        .bind(id.0)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(match chat.state {
                ChatState::Ended => "the chat has ended".into(),
                _ => "another agent took the chat first".into(),
            }));
        }
        tx.commit(
            Change::new(Action::Assign, Entity::Case(chat.case_id))
                .after(serde_json::json!({ "chat": id.0, "taken_by": agent.0 })),
        )
        .await?;
        self.chat(id).await
    }

    /// Ends a chat; a conflict if it had ended already.
    pub async fn end_chat(&self, actor: Option<UserId>, id: ChatId) -> StoreResult<Chat> {
        let chat = self.chat(id).await?;
        let mut tx = self.begin_audited(actor).await?;
        let n = sqlx::query(
            "UPDATE chats SET state = 'ended', ended_at = $1 WHERE id = $2 AND state <> 'ended'",
        )
        .bind(tx.now)
        .bind(id.0)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict("the chat has ended already".into()));
        }
        tx.commit(
            Change::new(Action::Update, Entity::Case(chat.case_id))
                .before(serde_json::json!({ "chat": id.0, "state": chat.state }))
                .after(serde_json::json!({ "chat": id.0, "state": "ended" })),
        )
        .await?;
        self.chat(id).await
    }

    /// The messages of a chat after `after`, in order, at most `limit`.
    pub async fn chat_messages(
        &self,
        id: ChatId,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<ChatMessage>> {
        Ok(sqlx::query_as::<_, MessageRow>(&format!(
            "{MESSAGE_SQL} WHERE m.chat_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
        ))
        .bind(id.0)
        .bind(after)
        .bind(limit.clamp(1, 1_000))
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    async fn sent_before(
        &self,
        m: &NewChatMessage<'_>,
    ) -> StoreResult<Option<(ChatMessage, bool)>> {
        let found = sqlx::query_as::<_, MessageRow>(&format!(
            "{MESSAGE_SQL} WHERE m.chat_id = $1 AND m.side = $2 AND m.client_id = $3"
        ))
        .bind(m.chat.0)
        .bind(m.side.as_str())
        .bind(m.client_id)
        .fetch_optional(&self.write)
        .await?;
        Ok(found.map(|r| {
            let same = r.0.body == m.body;
            (r.0, same)
        }))
    }

    /// Writes a message with the chat's next sequence number, and the same text on its case,
    /// in one transaction. A `client_id` sent before answers with the first message (or, with
    /// another text, refuses); a chat that has ended takes nothing.
    pub async fn post_chat_message(&self, m: &NewChatMessage<'_>) -> StoreResult<Posted> {
        // Read on the writer, so a message just written (on SQLite) is seen.
        if let Some((first, same)) = self.sent_before(m).await? {
            return Ok(if same {
                Posted::Replayed(first)
            } else {
                Posted::ClientIdReused
            });
        }
        let mut tx = self.begin_audited(m.author).await?;
        let now = tx.now;
        // The row lock of this update orders concurrent writers of one chat (PostgreSQL); on
        // SQLite writes are serial anyway. It also refuses an ended chat in the same step.
        let row: Option<(i64, i64)> = sqlx::query_as(
            "UPDATE chats SET last_seq = last_seq + 1 WHERE id = $1 AND state <> 'ended' RETURNING last_seq, case_id",
        )
        .bind(m.chat.0)
        .fetch_optional(tx.conn())
        .await?;
        let Some((seq, case)) = row else {
            drop(tx);
            self.chat(m.chat).await?;
            return Ok(Posted::Ended);
        };
        let mid: i64 = sqlx::query_scalar(
            "INSERT INTO case_messages (case_id, author_id, internal, body, created_at, from_provider) VALUES ($1, $2, 0, $3, $4, $5) RETURNING id",
        )
        .bind(case)
        .bind(m.author.map(|a| a.0))
        .bind(m.body)
        .bind(now)
        .bind(i64::from(m.side == ChatSide::Agent))
        .fetch_one(tx.conn())
        .await?;
        sqlx::query("INSERT INTO case_events (case_id, at, actor_id, kind, from_value, to_value) VALUES ($1, $2, $3, $4, NULL, $5)")
            .bind(case)
            .bind(now)
            .bind(m.author.map(|a| a.0))
            .bind(CaseEventKind::Message.as_str())
            .bind(mid.to_string())
            .execute(tx.conn())
            .await?;
        // An agent's first line is the case's first response.
        let first_response = (m.side == ChatSide::Agent).then_some(now);
        sqlx::query("UPDATE cases SET updated_at = $1, first_response_at = COALESCE(first_response_at, $2) WHERE id = $3")
            .bind(now)
            .bind(first_response)
            .bind(case)
            .execute(tx.conn())
            .await?;
        crate::sla::refresh(tx.tx(), self.backend(), CaseId(case), now).await?;
        let inserted = sqlx::query(
            "INSERT INTO chat_messages (chat_id, seq, side, author_id, client_id, body, at, case_message_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(m.chat.0)
        .bind(seq)
        .bind(m.side.as_str())
        .bind(m.author.map(|a| a.0))
        .bind(m.client_id)
        .bind(m.body)
        .bind(now)
        .bind(mid)
        .execute(tx.conn())
        .await;
        match inserted {
            Ok(_) => {}
            // The same client_id raced in on another connection and won: answer with its message.
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                drop(tx);
                return match self.sent_before(m).await? {
                    Some((first, true)) => Ok(Posted::Replayed(first)),
                    Some((_, false)) => Ok(Posted::ClientIdReused),
                    None => Err(StoreError::Conflict(
                        "the message clashed with another; send it again".into(),
                    )),
                };
            }
            Err(e) => return Err(e.into()),
        }
        tx.commit(
            Change::new(Action::AddMessage, Entity::Case(CaseId(case))).after(serde_json::json!({
                "chat": m.chat.0, "seq": seq, "message_id": mid, "side": m.side.as_str(), "body": m.body
            })),
        )
        .await?;
        let stored = sqlx::query_as::<_, MessageRow>(&format!(
            "{MESSAGE_SQL} WHERE m.chat_id = $1 AND m.seq = $2"
        ))
        .bind(m.chat.0)
        .bind(seq)
        .fetch_one(&self.write)
        .await?;
        Ok(Posted::Stored(stored.0))
    }
}

impl Db {
    /// Cases of a unit that came in since `since` (ms), and cases resolved since then.
    pub async fn unit_day_counts(&self, unit: UnitId, since: i64) -> StoreResult<(i64, i64)> {
        let created: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cases WHERE unit_id = $1 AND created_at >= $2",
        )
        .bind(unit.0)
        .bind(since)
        .fetch_one(&self.read)
        .await?;
        let resolved: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cases WHERE unit_id = $1 AND resolved_at >= $2",
        )
        .bind(unit.0)
        .bind(since)
        .fetch_one(&self.read)
        .await?;
        Ok((created, resolved))
    }
}
