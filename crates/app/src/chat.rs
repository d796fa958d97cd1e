//! Chat: opening a chat on a service (a customer from the portal, or a citizen without an
//! account), the unit's chat queue, taking, writing and ending. A chat becomes a case the
//! moment it opens (channel `chat`), so it has its number at once; every message is written on
//! the case too, and the queue wait is stored when an agent takes it.

use serva_domain::access::Principal;
use serva_domain::case::{clean_text, Case, CaseStatus, Channel};
use serva_domain::catalogue::Service;
use serva_domain::chat::{
    case_subject, check_client_id, check_resume, clean_body, Chat, ChatId, ChatMessage, ChatSide,
    ChatState, ProtocolError,
};
use serva_domain::event::{CaseChange, Event};
use serva_domain::org::Unit;
use serva_domain::role::TargetGroup;
use serva_store::cases::NewCase;
use serva_store::chats::{NewChat, NewChatMessage, Posted};
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// Who acts on a chat: a signed-in person (a customer or an agent), or a citizen's browser
/// holding the chat's visitor token.
#[derive(Debug, Clone, Copy)]
pub enum ChatParty<'a> {
    Person(&'a Principal),
    Visitor(&'a str),
}

/// A citizen's chat as it opens: a service, their name, and the first message.
#[derive(Debug, Clone, Default)]
pub struct VisitorChat {
    pub service: String,
    pub name: String,
    /// An e-mail address to be found again by (optional): the case is then the contact's,
    /// beside their other cases.
    pub email: String,
    pub body: String,
}

/// A chat a citizen opened, with the token their browser keeps to write in it. Only its
/// SHA-256 is stored.
#[derive(Debug, Clone)]
pub struct OpenedVisitorChat {
    pub chat: Chat,
    pub token: String,
}

/// One chat as someone taking part sees it.
#[derive(Debug, Clone)]
pub struct ChatView {
    pub chat: Chat,
    pub side: ChatSide,
    pub case: Case,
    pub messages: Vec<ChatMessage>,
}

/// Longest name a citizen may give.
const NAME_MAX: usize = 200;
/// Messages read at once when a client catches up.
pub const CATCH_UP: i64 = 500;

fn protocol(e: ProtocolError) -> AppError {
    AppError::invalid(e.to_string())
}

impl App {
    /// A signed-in customer opens a chat on a service of the portal; its first message is `body`.
    pub async fn open_chat(&self, p: &Principal, service: &str, body: &str) -> AppResult<Chat> {
        let svc = self.open_service(service.trim()).await?;
        let Some((customer_unit, group)) = p.ordering_as() else {
            return Err(AppError::forbidden("you may not order services"));
        };
        let Some(user) = p.user else {
            return Err(AppError::forbidden("sign in to chat"));
        };
        let body = clean_body(body).map_err(protocol)?;
        let name = self.db().user(user).await?.display_name;
        let new = NewCase {
            service: svc.id,
            customer_unit: Some(customer_unit),
            requester: Some(user),
            requester_name: None,
            target_group: group,
            channel: Channel::Chat,
            subject: case_subject(&body),
            description: body.clone(),
            answers: vec![],
            resolve_now: false,
            contact: None,
        };
        self.start_chat(p.user, &svc, &new, Some(user), name, None, &body)
            .await
    }

    /// A citizen without an account opens a chat on a service. Whoever calls this limits how
    /// often one address may (the web layer does, per address).
    pub async fn open_visitor_chat(&self, r: &VisitorChat) -> AppResult<OpenedVisitorChat> {
        let svc = self.open_service(r.service.trim()).await?;
        let name =
            clean_text(&r.name, NAME_MAX).map_err(|e| AppError::invalid(format!("name {e}")))?;
        let body = clean_body(&r.body).map_err(protocol)?;
        let contact = serva_domain::contact::NewContact::new(Some(&name), Some(&r.email), None)
            .map_err(|e| AppError::invalid(e.to_string()))?;
        let contact = self.db().find_or_create_contact(&contact).await?;
        let token = serva_store::secrets::random_token();
        let hash = serva_store::secrets::sha256_hex(&token);
        let new = NewCase {
            service: svc.id,
            customer_unit: None,
            requester: None,
            requester_name: Some(name.clone()),
            target_group: Some(TargetGroup::Citizen),
            channel: Channel::Chat,
            subject: case_subject(&body),
            description: body.clone(),
            answers: vec![],
            resolve_now: false,
            contact: Some(contact),
        };
        let chat = self
            .start_chat(None, &svc, &new, None, name, Some(hash), &body)
            .await?;
        Ok(OpenedVisitorChat { chat, token })
    }

    #[allow(clippy::too_many_arguments)]
    async fn start_chat(
        &self,
        actor: Option<serva_domain::UserId>,
        svc: &Service,
        new: &NewCase,
        customer: Option<serva_domain::UserId>,
        customer_name: String,
        visitor_hash: Option<String>,
        body: &str,
    ) -> AppResult<Chat> {
        let db = self.db();
        let case = db.create_case_of(actor, svc, new).await?;
        self.events().publish(Event::CaseCreated {
            case: case.id,
            unit: case.unit_id,
        });
        let chat = db
            .open_chat(
                actor,
                &NewChat {
                    unit: svc.unit_id,
                    service: Some(svc.id),
                    case: case.id,
                    customer,
                    customer_name,
                    visitor_hash,
                },
            )
            .await?;
        self.events().publish(Event::ChatOpened {
            chat: chat.id,
            unit: chat.unit_id,
        });
        let posted = db
            .post_chat_message(&NewChatMessage {
                chat: chat.id,
                side: ChatSide::Customer,
                author: customer,
                client_id: "open",
                body,
            })
            .await?;
        if let Posted::Stored(m) = posted {
            self.events().publish(Event::ChatMessage {
                chat: chat.id,
                unit: chat.unit_id,
                seq: m.seq,
            });
        }
        Ok(db.chat(chat.id).await?)
    }

    /// The chat and the side `who` is on; "not found" for anyone else, so nobody learns which
    /// chats exist.
    pub async fn chat_access(&self, who: ChatParty<'_>, id: ChatId) -> AppResult<(Chat, ChatSide)> {
        let chat = match self.db().chat(id).await {
            Ok(c) => c,
            Err(StoreError::NotFound(_)) => return Err(AppError::NotFound("chat")),
            Err(e) => return Err(e.into()),
        };
        let side = match who {
            ChatParty::Person(p) => {
                if p.user.is_some() && chat.customer_id == p.user {
                    Some(ChatSide::Customer)
                } else if p.can_see_queue(chat.unit_id) {
                    Some(ChatSide::Agent)
                } else {
                    None
                }
            }
            ChatParty::Visitor(token) => {
                let hash = serva_store::secrets::sha256_hex(token);
                self.db()
                    .chat_visitor_matches(id, &hash)
                    .await?
                    .then_some(ChatSide::Customer)
            }
        };
        match side {
            Some(s) => Ok((chat, s)),
            None => Err(AppError::NotFound("chat")),
        }
    }

    /// The chat with its case and transcript, for someone taking part.
    pub async fn chat_view(&self, who: ChatParty<'_>, id: ChatId) -> AppResult<ChatView> {
        let (chat, side) = self.chat_access(who, id).await?;
        let case = self.db().case(chat.case_id).await?;
        let mut messages = Vec::new();
        loop {
            let after = messages.last().map_or(0, |m: &ChatMessage| m.seq);
            let more = self.db().chat_messages(id, after, CATCH_UP).await?;
            let done = (more.len() as i64) < CATCH_UP;
            messages.extend(more);
            if done {
                break;
            }
        }
        Ok(ChatView {
            chat,
            side,
            case,
            messages,
        })
    }

    /// The messages after `after` (at most [`CATCH_UP`]), for a client catching up; an error
    /// frame's reason when `after` runs ahead of the chat.
    pub async fn chat_messages_after(
        &self,
        who: ChatParty<'_>,
        id: ChatId,
        after: i64,
    ) -> AppResult<Result<Vec<ChatMessage>, ProtocolError>> {
        let (chat, _) = self.chat_access(who, id).await?;
        if let Err(e) = check_resume(after, chat.last_seq) {
            return Ok(Err(e));
        }
        Ok(Ok(self.db().chat_messages(id, after, CATCH_UP).await?))
    }

    /// Writes a message as `who`. The message (or, for a `client_id` sent before, the first
    /// one) and whether it was new; a protocol error for what the chat refuses.
    pub async fn post_chat(
        &self,
        who: ChatParty<'_>,
        id: ChatId,
        client_id: &str,
        body: &str,
    ) -> AppResult<Result<(ChatMessage, bool), ProtocolError>> {
        let (chat, side) = self.chat_access(who, id).await?;
        if let Err(e) = check_client_id(client_id) {
            return Ok(Err(e));
        }
        let body = match clean_body(body) {
            Ok(b) => b,
            Err(e) => return Ok(Err(e)),
        };
        let author = match who {
            ChatParty::Person(p) => p.user,
            ChatParty::Visitor(_) => None,
        };
        let posted = self
            .db()
            .post_chat_message(&NewChatMessage {
                chat: id,
                side,
                author,
                client_id,
                body: &body,
            })
            .await?;
        Ok(match posted {
            Posted::Stored(m) => {
                self.events().publish(Event::ChatMessage {
                    chat: id,
                    unit: chat.unit_id,
                    seq: m.seq,
                });
                Ok((m, true))
            }
            Posted::Replayed(m) => Ok((m, false)),
            Posted::Ended => Err(ProtocolError::ChatEnded),
            Posted::ClientIdReused => Err(ProtocolError::ClientIdReused),
        })
    }

    /// An agent of the unit takes a waiting chat: it becomes theirs, and so does its case.
    pub async fn take_chat(&self, p: &Principal, id: ChatId) -> AppResult<Chat> {
        let (chat, side) = self.chat_access(ChatParty::Person(p), id).await?;
        let Some(user) = p.user.filter(|_| side == ChatSide::Agent) else {
            return Err(AppError::forbidden(
                "only the unit's agents can take a chat",
            ));
        };
        if chat.state != ChatState::Waiting {
            return Err(AppError::Conflict(match chat.state {
                ChatState::Ended => "the chat has ended".into(),
                _ => "another agent took the chat first".into(),
            }));
        }
        let chat = self.db().take_chat(user, id).await?;
        self.events().publish(Event::ChatTaken {
            chat: id,
            unit: chat.unit_id,
        });
        let case = self.db().case(chat.case_id).await?;
        if case.assignee_id != Some(user) {
            self.db().assign(Some(user), case.id, Some(user)).await?;
            self.events().publish(Event::CaseChanged {
                case: case.id,
                unit: case.unit_id,
                change: CaseChange::Assignee(Some(user)),
            });
        }
        if case.status == CaseStatus::New {
            self.db()
                .set_status(Some(user), case.id, CaseStatus::Open)
                .await?;
            self.events().publish(Event::CaseChanged {
                case: case.id,
                unit: case.unit_id,
                change: CaseChange::Status(CaseStatus::Open),
            });
        }
        Ok(chat)
    }

    /// Either side ends the chat; the agent may resolve its case in the same step.
    pub async fn end_chat(
        &self,
        who: ChatParty<'_>,
        id: ChatId,
        resolve_case: bool,
    ) -> AppResult<Chat> {
        let (chat, side) = self.chat_access(who, id).await?;
        if chat.state == ChatState::Ended {
            return Err(AppError::Conflict("the chat has ended already".into()));
        }
        let actor = match who {
            ChatParty::Person(p) => p.user,
            ChatParty::Visitor(_) => None,
        };
        // The case is resolved before the chat ends: the customer's page, reloaded when it
        // hears the chat ended, then finds the case resolved and shows the survey.
        if resolve_case && side == ChatSide::Agent {
            let case = self.db().case(chat.case_id).await?;
            if case.status.is_active() {
                self.db()
                    .set_status(actor, case.id, CaseStatus::Resolved)
                    .await?;
                self.events().publish(Event::CaseChanged {
                    case: case.id,
                    unit: case.unit_id,
                    change: CaseChange::Status(CaseStatus::Resolved),
                });
            }
        }
        let chat = self.db().end_chat(actor, id).await?;
        self.events().publish(Event::ChatEnded {
            chat: id,
            unit: chat.unit_id,
        });
        Ok(chat)
    }

    /// A unit's chat queue: the waiting chats (longest wait first), then the active ones.
    pub async fn chat_queue(&self, p: &Principal, unit_code: &str) -> AppResult<(Unit, Vec<Chat>)> {
        let unit = self.worked_unit(p, unit_code).await?;
        let chats = self.db().open_chats(unit.id).await?;
        Ok((unit, chats))
    }

    /// A unit `p` works (a queue they see), by code; "not found" otherwise.
    pub async fn worked_unit(&self, p: &Principal, code: &str) -> AppResult<Unit> {
        match self.db().unit_by_code(code).await {
            Ok(u) if p.can_see_queue(u.id) => Ok(u),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("queue")),
            Err(e) => Err(e.into()),
        }
    }
}

impl App {
    /// The wall board of a unit `p` works: waiting and active chats, today's cases in and out,
    /// today's chat and phone service levels, open cases near or past an SLA due time (from
    /// the due times stored on the cases) and today's breaches.
    pub async fn wall_board(
        &self,
        p: &Principal,
        unit_code: &str,
    ) -> AppResult<(Unit, serva_domain::wall::WallBoard)> {
        use serva_domain::wall::CHAT_ANSWER_TARGET_MS;
        let unit = self.worked_unit(p, unit_code).await?;
        let db = self.db();
        let now = serva_domain::time::now_ms();
        let (_, midnight, tomorrow) = serva_domain::phone::week_and_day_bounds(now);
        let (waiting, active): (Vec<Chat>, Vec<Chat>) = db
            .open_chats(unit.id)
            .await?
            .into_iter()
            .partition(|c| c.state == ChatState::Waiting);
        let (created_today, resolved_today) = db.unit_day_counts(unit.id, midnight).await?;
        let waits = db.chat_waits(Some(unit.id), midnight, now + 1).await?;
        let in_time = waits
            .iter()
            .filter(|w| **w <= CHAT_ANSWER_TARGET_MS)
            .count();
        let phone = self.unit_phone_level(&unit, now).await?;
        // Open cases past their warning share or due time, the earliest due first.
        let mut f = serva_store::cases::CaseFilter::new(serva_domain::access::Visibility::All);
        f.unit = Some(unit.id);
        f.status = Some(serva_store::cases::StatusFilter::Active);
        f.sla = Some(serva_store::cases::SlaFilter::AtRisk { now });
        f.sort = serva_store::cases::CaseSort::Due;
        f.per_page = 200;
        let at_risk = db.list_cases(&f).await?.cases;
        let (_, _, breaches_today) = db.sla_counts(unit.id, now, midnight, tomorrow).await?;
        Ok((
            unit,
            serva_domain::wall::WallBoard {
                waiting,
                active,
                created_today,
                resolved_today,
                chats_taken_today: waits.len() as i64,
                chats_in_time_today: in_time as i64,
                phone,
                at_risk,
                breaches_today,
                at: now,
            },
        ))
    }
}
