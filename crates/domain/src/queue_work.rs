//! Work on many cases of one queue at once: assign them, set their status, or both, all in
//! one step or not at all.

use crate::case::CaseStatus;
use crate::overview::{check_reassign, BadReassign};
use crate::{CaseId, UnitId};

/// Why a change of many cases is refused; nothing is changed then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadBulkChange {
    #[error("choose an assignee or a status")]
    NothingToChange,
    #[error("{0}")]
    Cases(BadReassign),
    #[error("case {case} cannot go from {} to {}", .from.as_str(), .to.as_str())]
    Status {
        case: CaseId,
        from: CaseStatus,
        to: CaseStatus,
    },
}

/// A case as the check needs it: its id, its queue and its status now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkTarget {
    pub id: CaseId,
    pub unit: UnitId,
    pub status: CaseStatus,
}

/// Checks a change of `asked` in `unit`'s queue against the cases found: every case must
/// exist and be in the queue, and each one whose status differs from `status` must be allowed
/// to take it (`CaseStatus::transition`). The ids to change, each once, in the order asked.
pub fn check_bulk_change(
    unit: UnitId,
    asked: &[CaseId],
    found: &[BulkTarget],
    assign: bool,
    status: Option<CaseStatus>,
) -> Result<Vec<CaseId>, BadBulkChange> {
    if !assign && status.is_none() {
        return Err(BadBulkChange::NothingToChange);
    }
    let units: Vec<(CaseId, UnitId)> = found.iter().map(|t| (t.id, t.unit)).collect();
    let ids = check_reassign(unit, asked, &units).map_err(BadBulkChange::Cases)?;
    if let Some(to) = status {
        for id in &ids {
            let Some(t) = found.iter().find(|t| t.id == *id) else {
                return Err(BadBulkChange::Cases(BadReassign::Unknown(*id)));
            };
            if t.status != to && t.status.transition(to).is_err() {
                return Err(BadBulkChange::Status {
                    case: *id,
                    from: t.status,
                    to,
                });
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: i64, unit: i64, status: CaseStatus) -> BulkTarget {
        BulkTarget {
            id: CaseId(id),
            unit: UnitId(unit),
            status,
        }
    }

    #[test]
    fn a_change_needs_something_to_change() {
        let found = [target(1, 7, CaseStatus::Open)];
        assert_eq!(
            check_bulk_change(UnitId(7), &[CaseId(1)], &found, false, None),
            Err(BadBulkChange::NothingToChange)
        );
    }

    #[test]
    fn every_case_must_be_in_the_queue() {
        let found = [
            target(1, 7, CaseStatus::Open),
            target(2, 8, CaseStatus::Open),
        ];
        assert_eq!(
            check_bulk_change(UnitId(7), &[CaseId(1), CaseId(2)], &found, true, None),
            Err(BadBulkChange::Cases(BadReassign::OtherUnit(CaseId(2))))
        );
        assert_eq!(
            check_bulk_change(UnitId(7), &[CaseId(3)], &found, true, None),
            Err(BadBulkChange::Cases(BadReassign::Unknown(CaseId(3))))
        );
    }

    #[test]
    fn a_status_must_be_allowed_for_every_case_unless_it_has_it() {
        let found = [
            target(1, 7, CaseStatus::New),
            target(2, 7, CaseStatus::Open),
        ];
        // Back to new: the new case keeps it, the open one may not go back.
        assert_eq!(
            check_bulk_change(
                UnitId(7),
                &[CaseId(1), CaseId(2)],
                &found,
                false,
                Some(CaseStatus::New)
            ),
            Err(BadBulkChange::Status {
                case: CaseId(2),
                from: CaseStatus::Open,
                to: CaseStatus::New
            })
        );
        assert_eq!(
            check_bulk_change(
                UnitId(7),
                &[CaseId(2), CaseId(1), CaseId(2)],
                &found,
                false,
                Some(CaseStatus::WaitingCustomer)
            ),
            Ok(vec![CaseId(2), CaseId(1)])
        );
    }
}
