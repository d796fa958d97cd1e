//! Reading and working cases: lists, one case with its clocks, status and assignment, replies
//! and notes. The satisfaction survey is in `surveys`.

use serva_domain::access::{CaseRights, Principal};
use serva_domain::case::{clean_text, Case, CaseEvent, CaseEventKind, CaseStatus};
use serva_domain::case::{Message, TEXT_MAX};
use serva_domain::catalogue::Service;
use serva_domain::event::{CaseChange, Event};
use serva_domain::sla::Clocks;
use serva_domain::user::User;
use serva_domain::CaseId;
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// Everything the page of one case shows.
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: Case,
    pub service: Service,
    /// Replies, and internal notes for the provider's side.
    pub messages: Vec<Message>,
    pub history: Vec<CaseEvent>,
    /// The SLA clocks in the providing unit's working time, with their timeline.
    pub sla: Clocks,
    /// Who the case can be assigned to (the provider's side only; empty otherwise).
    pub agents: Vec<User>,
    pub rights: CaseRights,
    /// The contact's other cases, newest first (the provider's side only).
    pub contact_cases: Vec<Case>,
    /// The files on the case and on the messages shown.
    pub attachments: Vec<serva_domain::attachment::Attachment>,
    /// The HTML parts of the mails the case was made of, sanitised, each beside the
    /// description or the message its mail became.
    pub mail_html: Vec<serva_domain::mail_html::PlacedHtml>,
    /// When the person last opened the case before now, for marking the replies that are new
    /// to them (the customer's side; `None` on the provider's side or the first time).
    pub seen_before: Option<i64>,
}

/// Who a case is assigned to, as the caller names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeRef {
    Id(serva_domain::UserId),
    Username(String),
}

/// A change of a case: its status, its assignee (`Some(None)` unassigns), or both.
#[derive(Debug, Clone, Default)]
pub struct CaseUpdate {
    pub status: Option<CaseStatus>,
    pub assignee: Option<Option<AssigneeRef>>,
}

/// A case's history as someone sees it: without the internal notes — that one was written,
/// by whom, when — for whoever may not see them (`Principal::can_see_internal_notes`). The
/// case page and the API both read it through here.
fn seen_history(history: Vec<CaseEvent>, internal_notes: bool) -> Vec<CaseEvent> {
    history
        .into_iter()
        .filter(|e| internal_notes || e.kind != CaseEventKind::Note)
        .collect()
}

impl App {
    /// The case if `p` may see it; otherwise "not found", so nobody learns which numbers exist.
    pub async fn visible_case(&self, p: &Principal, id: CaseId) -> AppResult<Case> {
        match self.db().case(id).await {
            Ok(c) if p.can_view_case(&c.scope()) => Ok(c),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("case")),
            Err(e) => Err(e.into()),
        }
    }

    /// The case if `p` works it (the provider's side); forbidden if they only see it.
    pub async fn case_to_work(&self, p: &Principal, id: CaseId) -> AppResult<Case> {
        let case = self.visible_case(p, id).await?;
        if !p.can_work_case(&case.scope()) {
            return Err(AppError::forbidden(
                "only the provider's agents can change a case",
            ));
        }
        Ok(case)
    }

    /// One case with its messages, history, SLA clocks and what `p` may do with it.
    pub async fn case_detail(&self, p: &Principal, id: CaseId) -> AppResult<CaseDetail> {
        let db = self.db();
        let case = self.visible_case(p, id).await?;
        let can_work = p.can_work_case(&case.scope());
        let internal = p.can_see_internal_notes(&case.scope());
        let messages = db.messages(id, internal).await?;
        let history = db.history(id).await?;
        let service = db.service(case.service_id).await?;
        let sla = db.case_clocks(id, serva_domain::time::now_ms()).await?;
        let agents = if can_work {
            db.agents_of(case.unit_id).await?
        } else {
            vec![]
        };
        let answered = db.case_survey(case.id).await?.answer.is_some();
        let rights = p.rights_on(&case.scope(), case.status.is_active(), answered);
        let contact_cases = match (&case.contact, can_work) {
            (Some(k), true) => {
                let mut f = serva_store::cases::CaseFilter::new(p.visibility());
                f.contact = Some(k.id);
                f.per_page = 11;
                let mut earlier = db.list_cases(&f).await?.cases;
                earlier.retain(|c| c.id != case.id);
                earlier.truncate(10);
                earlier
            }
            _ => Vec::new(),
        };
        let attachments = db
            .attachments(id)
            .await?
            .into_iter()
            .filter(|a| {
                a.message_id
                    .is_none_or(|m| messages.iter().any(|shown| shown.id == m))
            })
            .collect();
        let mail_html = serva_domain::mail_html::place(&db.case_mail_html(id).await?, &messages);
        // Opening the case reads the other side's replies.
        if (can_work && case.unread_by_provider) || (!can_work && case.unread_by_customer) {
            db.mark_case_read(case.id, can_work).await?;
        }
        // Each person on the customer's side has their own "new reply" marker.
        let seen_before = match (p.user, can_work) {
            (Some(u), false) => {
                let before = db.case_seen_at(case.id, u).await?;
                db.mark_case_seen(case.id, u, serva_domain::time::now_ms())
                    .await?;
                before
            }
            _ => None,
        };
        let mut rights = rights;
        rights.can_reopen = p.can_reopen_case(&case.scope()) && case.status == CaseStatus::Resolved;
        let case = if can_work {
            case
        } else {
            serva_domain::case::for_customer(case, &service.form)
        };
        // The clocks above read the whole history; the page shows what this person may see.
        let history = seen_history(history, internal);
        Ok(CaseDetail {
            case,
            service,
            messages,
            history,
            sla,
            agents,
            rights,
            contact_cases,
            attachments,
            mail_html,
            seen_before,
        })
    }

    /// Changes a case's status and/or assignee. Everything is checked before anything changes;
    /// setting the status it already has is no change.
    pub async fn update_case(&self, p: &Principal, id: CaseId, u: &CaseUpdate) -> AppResult<Case> {
        let db = self.db();
        let case = self.case_to_work(p, id).await?;
        if u.status.is_none() && u.assignee.is_none() {
            return Err(AppError::invalid(
                "nothing to change: send status and/or assignee",
            ));
        }
        let status = u.status.filter(|to| *to != case.status);
        let assignee = match &u.assignee {
            None => None,
            Some(who) => Some(self.assignee_of(&case, who.as_ref()).await?),
        };
        if let Some(to) = status {
            case.status
                .transition(to)
                .map_err(|e| AppError::invalid(e.to_string()))?;
        }
        let actor = p.user;
        if let Some(to) = assignee {
            if case.assignee_id != to {
                db.assign(actor, id, to).await?;
                self.events().publish(Event::CaseChanged {
                    case: id,
                    unit: case.unit_id,
                    change: CaseChange::Assignee(to),
                });
            }
        }
        if let Some(to) = status {
            db.set_status(actor, id, to).await?;
            self.events().publish(Event::CaseChanged {
                case: id,
                unit: case.unit_id,
                change: CaseChange::Status(to),
            });
        }
        Ok(db.case(id).await?)
    }

    /// Adds a reply (or, for the provider's side, an internal note) to a case `p` may see.
    pub async fn add_message(
        &self,
        p: &Principal,
        id: CaseId,
        body: &str,
        internal: bool,
    ) -> AppResult<Message> {
        let case = self.visible_case(p, id).await?;
        let can_work = p.can_work_case(&case.scope());
        if internal && !can_work {
            return Err(AppError::forbidden(
                "only the provider's agents can write internal notes",
            ));
        }
        if !p.can_reply_case(&case.scope()) {
            return Err(AppError::forbidden("you may not reply to this case"));
        }
        let body =
            clean_text(body, TEXT_MAX).map_err(|e| AppError::invalid(format!("body {e}")))?;
        let m = self
            .db()
            .add_message(p.user, id, &body, internal, can_work)
            .await?;
        self.events().publish(Event::MessageAdded {
            case: id,
            unit: case.unit_id,
            message: m.id,
            internal,
        });
        let after = case.status.after_message(can_work, internal);
        if after != case.status {
            self.events().publish(Event::CaseChanged {
                case: id,
                unit: case.unit_id,
                change: CaseChange::Status(after),
            });
        }
        Ok(m)
    }

    /// A reply from the case's requester or contact that arrives without a session: a mail to
    /// the unit's mailbox that refers to the case, or a reply on the follow-link page. The
    /// caller has established that it comes from them. It reopens a resolved or closed case.
    pub async fn add_contact_reply(&self, id: CaseId, body: &str) -> AppResult<Message> {
        Ok(self.contact_reply(id, body, None).await?.0)
    }

    /// `add_contact_reply`, and for a reply by mail (`mail`) its Message-ID and intake log row
    /// in the same transaction; the message and the log row's id.
    pub(crate) async fn contact_reply(
        &self,
        id: CaseId,
        body: &str,
        mail: Option<&serva_store::mail_in::MailRecord>,
    ) -> AppResult<(Message, Option<i64>)> {
        let case = self.db().case(id).await?;
        let body =
            clean_text(body, TEXT_MAX).map_err(|e| AppError::invalid(format!("body {e}")))?;
        let (m, log) = match mail {
            Some(rec) => {
                let (m, log) = self.db().add_mail_reply(id, &body, rec).await?;
                (m, Some(log))
            }
            None => (
                self.db().add_message(None, id, &body, false, false).await?,
                None,
            ),
        };
        self.events().publish(Event::MessageAdded {
            case: id,
            unit: case.unit_id,
            message: m.id,
            internal: false,
        });
        let after = case.status.after_message(false, false);
        if after != case.status {
            self.events().publish(Event::CaseChanged {
                case: id,
                unit: case.unit_id,
                change: CaseChange::Status(after),
            });
        }
        Ok((m, log))
    }

    /// The messages of a case: replies, and internal notes for the provider's side.
    pub async fn case_messages(&self, p: &Principal, id: CaseId) -> AppResult<Vec<Message>> {
        let case = self.visible_case(p, id).await?;
        let internal = p.can_see_internal_notes(&case.scope());
        Ok(self.db().messages(id, internal).await?)
    }

    /// The history of a case; internal notes only for the provider's side.
    pub async fn case_history(&self, p: &Principal, id: CaseId) -> AppResult<Vec<CaseEvent>> {
        let case = self.visible_case(p, id).await?;
        let internal = p.can_see_internal_notes(&case.scope());
        Ok(seen_history(self.db().history(id).await?, internal))
    }
}
