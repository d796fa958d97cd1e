//! The case page in one step: a reply or note, the assignee and the status in one submit;
//! reply templates filled in for a case; the next case of a queue; and a customer reopening
//! their resolved case.

use serva_domain::access::Principal;
use serva_domain::case::{clean_text, Case, CaseStatus, Message, TEXT_MAX};
use serva_domain::event::{CaseChange, Event};
use serva_domain::refusal::Refusal;
use serva_domain::reply_template::{fill, Particulars, ReplyTemplate, TemplateInput};
use serva_domain::{CaseId, UnitId};
use serva_store::{CaseWork, StoreError};

use crate::cases::AssigneeRef;
use crate::{App, AppError, AppResult};

/// One submit of the agent's case form. An empty `body` writes no message; `status` and
/// `assignee` as in [`crate::CaseUpdate`].
#[derive(Debug, Clone, Default)]
pub struct CaseWorkInput {
    pub body: String,
    pub internal: bool,
    pub status: Option<CaseStatus>,
    pub assignee: Option<Option<AssigneeRef>>,
}

impl App {
    /// Works a case in one step, in one transaction: the message first (so a reply that
    /// resolves the case is read before it), then the assignee and the status. Everything is
    /// checked before anything changes; nothing changes if something is wrong.
    pub async fn work_case(
        &self,
        p: &Principal,
        id: CaseId,
        input: &CaseWorkInput,
    ) -> AppResult<(Case, Option<Message>)> {
        let case = self.case_to_work(p, id).await?;
        let body = if input.body.trim().is_empty() {
            None
        } else {
            Some(
                clean_text(&input.body, TEXT_MAX)
                    .map_err(|e| AppError::invalid(format!("body {e}")))?,
            )
        };
        let assignee = match &input.assignee {
            None => None,
            Some(who) => Some(self.assignee_of(&case, who.as_ref()).await?),
        };
        if body.is_none() && input.status.is_none() && assignee.is_none() {
            return Err(AppError::invalid(
                "nothing to do: write a message or choose a status or an assignee",
            ));
        }
        if let Some(to) = input.status {
            if to == CaseStatus::New && case.status != CaseStatus::New {
                return Err(AppError::invalid("a case cannot go back to new"));
            }
        }
        let work = CaseWork {
            message: body.as_deref().map(|b| (b, input.internal)),
            assignee,
            status: input.status,
        };
        let (after, message) = self.db().work_case(p.user, id, &work).await?;
        if let Some(m) = &message {
            self.events().publish(Event::MessageAdded {
                case: id,
                unit: case.unit_id,
                message: m.id,
                internal: m.internal,
            });
        }
        if after.assignee_id != case.assignee_id {
            self.events().publish(Event::CaseChanged {
                case: id,
                unit: case.unit_id,
                change: CaseChange::Assignee(after.assignee_id),
            });
        }
        if after.status != case.status {
            self.events().publish(Event::CaseChanged {
                case: id,
                unit: case.unit_id,
                change: CaseChange::Status(after.status),
            });
        }
        Ok((after, message))
    }

    /// The case as `p` may see it: without its internal answers and target group for the
    /// customer's side (`case::for_customer`).
    pub async fn case_as_seen(&self, p: &Principal, id: CaseId) -> AppResult<Case> {
        let mut one = [self.visible_case(p, id).await?];
        self.hide_internal(p, &mut one).await?;
        let [case] = one;
        Ok(case)
    }

    /// The agent `who` names among those of the case's queue (`None`: nobody).
    pub(crate) async fn assignee_of(
        &self,
        case: &Case,
        who: Option<&AssigneeRef>,
    ) -> AppResult<Option<serva_domain::UserId>> {
        let Some(who) = who else { return Ok(None) };
        let agents = self.db().agents_of(case.unit_id).await?;
        agents
            .iter()
            .find(|a| match who {
                AssigneeRef::Id(id) => a.id == *id,
                AssigneeRef::Username(name) => &a.username == name,
            })
            .map(|a| Some(a.id))
            .ok_or(AppError::Refused(Refusal::NotAgentOfQueue))
    }

    /// Reopens a resolved case from the customer's side, with the reason as their reply: the
    /// case goes back to open and its clocks run on (`CaseStatus::after_message`).
    pub async fn reopen_case(&self, p: &Principal, id: CaseId, reason: &str) -> AppResult<Message> {
        let case = self.visible_case(p, id).await?;
        if !p.can_reopen_case(&case.scope()) {
            return Err(AppError::forbidden(
                "only the customer's side can reopen a case",
            ));
        }
        if case.status != CaseStatus::Resolved {
            return Err(AppError::Refused(Refusal::NotReopenable));
        }
        let reason =
            clean_text(reason, TEXT_MAX).map_err(|e| AppError::invalid(format!("reason {e}")))?;
        self.add_message(p, id, &reason, false).await
    }

    /// The next case to work in the queue of `unit` after `current`, if `p` works that queue.
    pub async fn next_in_queue(
        &self,
        p: &Principal,
        unit: UnitId,
        current: CaseId,
    ) -> AppResult<Option<CaseId>> {
        if !p.can_see_queue(unit) {
            return Ok(None);
        }
        Ok(self.db().next_in_queue(unit, current).await?)
    }

    /// The queue an agent works `case` from: `from` (a queue's code) if they work that queue,
    /// else the case's own queue if they work it.
    pub async fn case_queue(
        &self,
        p: &Principal,
        from: Option<&str>,
        case: &Case,
    ) -> AppResult<Option<serva_domain::org::Unit>> {
        let db = self.db();
        if let Some(code) = from.filter(|c| !c.is_empty()) {
            match db.unit_by_code(code).await {
                Ok(u) if p.can_see_queue(u.id) => return Ok(Some(u)),
                Ok(_) | Err(StoreError::NotFound(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if !p.can_see_queue(case.unit_id) {
            return Ok(None);
        }
        Ok(Some(db.unit(case.unit_id).await?))
    }

    /// The reply templates an agent may pick on `case`, each filled in for it and for `p`.
    pub async fn templates_for_case(
        &self,
        p: &Principal,
        case: &Case,
    ) -> AppResult<Vec<(ReplyTemplate, String)>> {
        if !p.can_work_case(&case.scope()) {
            return Ok(Vec::new());
        }
        let agent = match p.user {
            Some(u) => self.db().user(u).await?.display_name,
            None => String::new(),
        };
        let number = case.number().to_string();
        let customer = case
            .requester_name
            .as_deref()
            .or(case.customer_unit_name.as_deref())
            .unwrap_or("");
        let particulars = Particulars {
            customer,
            case_number: &number,
            agent: &agent,
            service: &case.service_name,
        };
        Ok(self
            .db()
            .reply_templates(case.unit_id)
            .await?
            .into_iter()
            .map(|t| {
                let text = fill(&t.body, &particulars);
                (t, text)
            })
            .collect())
    }

    /// A unit's reply templates, for those who manage them.
    pub async fn unit_templates(
        &self,
        p: &Principal,
        unit_code: &str,
    ) -> AppResult<(serva_domain::org::Unit, Vec<ReplyTemplate>)> {
        let unit = self.template_unit(p, unit_code).await?;
        let list = self.db().reply_templates(unit.id).await?;
        Ok((unit, list))
    }

    /// Creates (`id: None`) or changes one of a unit's reply templates.
    pub async fn save_template(
        &self,
        p: &Principal,
        unit_code: &str,
        id: Option<i64>,
        t: &TemplateInput,
    ) -> AppResult<ReplyTemplate> {
        let unit = self.template_unit(p, unit_code).await?;
        match self.db().save_reply_template(p.user, unit.id, id, t).await {
            Err(StoreError::Conflict(_)) => Err(AppError::Refused(Refusal::TemplateNameTaken)),
            Err(StoreError::NotFound(_)) => Err(AppError::NotFound("reply template")),
            r => Ok(r?),
        }
    }

    pub async fn delete_template(&self, p: &Principal, unit_code: &str, id: i64) -> AppResult<()> {
        let unit = self.template_unit(p, unit_code).await?;
        match self.db().delete_reply_template(p.user, unit.id, id).await {
            Err(StoreError::NotFound(_)) => Err(AppError::NotFound("reply template")),
            r => Ok(r?),
        }
    }

    /// One of a unit's templates, for its edit form.
    pub async fn unit_template(
        &self,
        p: &Principal,
        unit_code: &str,
        id: i64,
    ) -> AppResult<(serva_domain::org::Unit, ReplyTemplate)> {
        let unit = self.template_unit(p, unit_code).await?;
        match self.db().reply_template(id).await {
            Ok(t) if t.unit_id == unit.id => Ok((unit, t)),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("reply template")),
            Err(e) => Err(e.into()),
        }
    }

    async fn template_unit(&self, p: &Principal, code: &str) -> AppResult<serva_domain::org::Unit> {
        match self.db().unit_by_code(code).await {
            Ok(u) if p.can_manage_reply_templates(u.id) => Ok(u),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("unit")),
            Err(e) => Err(e.into()),
        }
    }
}
