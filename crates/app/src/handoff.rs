//! Hand-off: an agent passes a case to another provider unit's queue with a note, and the
//! receiving unit may hand it back. The requester keeps one case, one number, one status.

use serva_domain::access::Principal;
use serva_domain::catalogue::Service;
use serva_domain::event::{CaseChange, Event};
use serva_domain::handoff::{clean_note, hand_back_target, Handoff, HandoffPair};
use serva_domain::{CaseId, UnitId};
use serva_store::catalogue::ServiceFilter;
use serva_store::handoffs::NewHandoff;
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// What the hand-off form of a case offers and shows.
#[derive(Debug, Clone)]
pub struct HandoffOptions {
    /// The case's hand-offs so far, oldest first.
    pub handoffs: Vec<Handoff>,
    /// Services of the other provider units, open for orders, by unit.
    pub targets: Vec<Service>,
    /// The unit a hand-back returns the case to, when it came by a hand-off.
    pub back_to: Option<(UnitId, String)>,
}

impl App {
    /// The case's hand-offs for those who work it; nothing for anyone else (the notes are
    /// internal, and the requester sees one case throughout).
    pub async fn case_handoffs(&self, p: &Principal, id: CaseId) -> AppResult<Vec<Handoff>> {
        let case = self.visible_case(p, id).await?;
        if !p.can_see_internal_notes(&case.scope()) {
            return Ok(vec![]);
        }
        Ok(self.db().case_handoffs(id).await?)
    }

    /// The hand-off form's choices for a case `p` works.
    pub async fn handoff_options(&self, p: &Principal, id: CaseId) -> AppResult<HandoffOptions> {
        let case = self.case_to_work(p, id).await?;
        let handoffs = self.db().case_handoffs(id).await?;
        let providers: std::collections::HashSet<UnitId> = self
            .db()
            .units()
            .await?
            .into_iter()
            .filter(|u| u.kind.is_provider() && u.valid_on(serva_domain::time::today()))
            .map(|u| u.id)
            .collect();
        let targets = self
            .db()
            .services(&ServiceFilter::default())
            .await?
            .into_iter()
            .filter(|s| s.active && s.unit_id != case.unit_id && providers.contains(&s.unit_id))
            .collect();
        let back_to = hand_back_target(&handoffs, case.unit_id).and_then(|(unit, _)| {
            handoffs
                .iter()
                .find(|h| h.from_unit == unit)
                .map(|h| (unit, h.from_unit_name.clone()))
        });
        Ok(HandoffOptions {
            handoffs,
            targets,
            back_to,
        })
    }

    /// Passes a case `p` works to the queue of the provider unit of `to_service` (a service
    /// code), with a note for the receiving unit.
    pub async fn hand_off(
        &self,
        p: &Principal,
        id: CaseId,
        to_service: &str,
        note: &str,
    ) -> AppResult<Handoff> {
        let case = self.case_to_work(p, id).await?;
        let note = clean_note(note)
            .map_err(|e| AppError::invalid(format!("the note for the receiving unit {e}")))?;
        let svc = match self.db().service_by_code(to_service.trim()).await {
            Ok(s) if s.active => s,
            Ok(_) | Err(StoreError::NotFound(_)) => {
                return Err(AppError::invalid(format!(
                    "no service {to_service:?} is open to take the case"
                )))
            }
            Err(e) => return Err(e.into()),
        };
        if svc.unit_id == case.unit_id {
            return Err(AppError::invalid(
                "the case is in that unit's queue already; choose another unit's service",
            ));
        }
        if !self.db().unit(svc.unit_id).await?.kind.is_provider() {
            return Err(AppError::invalid(
                "only a provider unit's queue can take a case",
            ));
        }
        self.move_case(p, &case, svc.unit_id, svc.id, note, false)
            .await
    }

    /// Returns a case to the unit whose hand-off brought it here.
    pub async fn hand_back(&self, p: &Principal, id: CaseId, note: &str) -> AppResult<Handoff> {
        let case = self.case_to_work(p, id).await?;
        let note = clean_note(note)
            .map_err(|e| AppError::invalid(format!("the note for the unit it goes back to {e}")))?;
        let handoffs = self.db().case_handoffs(id).await?;
        let Some((unit, service)) = hand_back_target(&handoffs, case.unit_id) else {
            return Err(AppError::invalid(
                "the case did not come to this unit by a hand-off, so there is nobody to hand it back to",
            ));
        };
        self.move_case(p, &case, unit, service, note, true).await
    }

    async fn move_case(
        &self,
        p: &Principal,
        case: &serva_domain::case::Case,
        to_unit: UnitId,
        to_service: serva_domain::ServiceId,
        note: String,
        hand_back: bool,
    ) -> AppResult<Handoff> {
        if !case.status.is_active() {
            return Err(AppError::invalid(
                "a resolved or closed case is not handed off; reopen it first",
            ));
        }
        let h = self
            .db()
            .hand_off(
                p.user,
                &NewHandoff {
                    case: case.id,
                    from_unit: case.unit_id,
                    from_service: case.service_id,
                    to_unit,
                    to_service,
                    note,
                    hand_back,
                },
            )
            .await?;
        // The sending queue loses the case and the receiving one gets it, unassigned.
        self.events().publish(Event::CaseChanged {
            case: case.id,
            unit: case.unit_id,
            change: CaseChange::Assignee(None),
        });
        self.events().publish(Event::CaseHandedOff {
            case: case.id,
            from: case.unit_id,
            to: to_unit,
        });
        Ok(h)
    }

    /// Hand-offs per pair of units from `start` to `end` (ms, UTC) touching any of `units`:
    /// for whoever reads the administration's follow-up.
    pub async fn handoff_pairs(
        &self,
        p: &Principal,
        org: UnitId,
        units: &[UnitId],
        start: i64,
        end: i64,
    ) -> AppResult<Vec<HandoffPair>> {
        if !p.can_read_reports(org) {
            return Err(AppError::NotFound("follow-up"));
        }
        Ok(self.db().handoff_pairs(units, start, end).await?)
    }
}
