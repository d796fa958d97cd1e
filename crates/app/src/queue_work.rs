//! Work on many cases of a queue at once: the queue page's bulk assignment and status change,
//! and the manager's bulk reassignment on the overview (`App::reassign_cases`). All or nothing
//! in one transaction, each case audited and announced as a single change is.

use serva_domain::access::Principal;
use serva_domain::case::CaseStatus;
use serva_domain::event::{CaseChange, Event};
use serva_domain::org::Unit;
use serva_domain::queue_work::check_bulk_change;
use serva_domain::refusal::Refusal;
use serva_domain::user::User;
use serva_domain::{CaseId, UserId};
use serva_store::case_bulk::{BulkEdit, BulkEdited};
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// A bulk change done: every case chosen has the assignee and status asked for.
#[derive(Debug, Clone)]
pub struct CasesChanged {
    pub unit: Unit,
    /// The new assignee, when one was asked for.
    pub to: Option<User>,
    pub status: Option<CaseStatus>,
    /// The cases chosen, each once (those that had the change already included).
    pub cases: Vec<CaseId>,
    pub edited: BulkEdited,
}

impl App {
    /// Changes every case of `cases` in `unit`'s queue: assigns them to `assignee` (an agent of
    /// the queue) and/or sets `status`; all in one transaction or none. Access to the unit is
    /// the caller's check.
    pub(crate) async fn change_cases_in(
        &self,
        p: &Principal,
        unit: Unit,
        cases: &[CaseId],
        assignee: Option<UserId>,
        status: Option<CaseStatus>,
    ) -> AppResult<CasesChanged> {
        let db = self.db();
        let to = match assignee {
            None => None,
            Some(who) => Some(
                db.agents_of(unit.id)
                    .await?
                    .into_iter()
                    .find(|a| a.id == who)
                    .ok_or(AppError::Refused(Refusal::NotAgentOfQueue))?,
            ),
        };
        let found = db.bulk_targets(cases).await?;
        let ids = check_bulk_change(unit.id, cases, &found, assignee.is_some(), status)
            .map_err(|e| AppError::Refused(Refusal::BulkChange(e)))?;
        let edit = BulkEdit { assignee, status };
        let edited = db.change_many(p.user, unit.id, &ids, edit).await?;
        for (case, _) in &edited.assigned {
            self.events().publish(Event::CaseChanged {
                case: *case,
                unit: unit.id,
                change: CaseChange::Assignee(assignee),
            });
        }
        if let Some(to) = status {
            for (case, _) in &edited.status {
                self.events().publish(Event::CaseChanged {
                    case: *case,
                    unit: unit.id,
                    change: CaseChange::Status(to),
                });
            }
        }
        Ok(CasesChanged {
            unit,
            to,
            status,
            cases: ids,
            edited,
        })
    }

    /// The queue page's bulk change: `p` must work the queue of the unit `code`.
    pub async fn change_queue_cases(
        &self,
        p: &Principal,
        code: &str,
        cases: &[CaseId],
        assignee: Option<UserId>,
        status: Option<CaseStatus>,
    ) -> AppResult<CasesChanged> {
        let unit = match self.db().unit_by_code(code).await {
            Ok(u) if p.can_see_queue(u.id) => u,
            Ok(_) | Err(StoreError::NotFound(_)) | Err(StoreError::Invalid(_)) => {
                return Err(AppError::NotFound("queue"))
            }
            Err(e) => return Err(e.into()),
        };
        self.change_cases_in(p, unit, cases, assignee, status).await
    }
}
