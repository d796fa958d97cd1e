//! Hand-off: a case passed from one provider unit's queue to another's (or a department's own
//! function), with an internal note, and perhaps handed back. The case keeps its number and
//! its one status throughout; the report counts it once, at the unit that first took it.

use serde::Serialize;

use crate::case::{clean_text, BadText};
use crate::{CaseId, ServiceId, UnitId, UserId};

/// One hand-off of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Handoff {
    pub id: i64,
    pub case: CaseId,
    pub from_unit: UnitId,
    pub from_unit_code: String,
    pub from_unit_name: String,
    pub to_unit: UnitId,
    pub to_unit_code: String,
    pub to_unit_name: String,
    pub from_service: ServiceId,
    pub from_service_code: String,
    pub to_service: ServiceId,
    pub to_service_code: String,
    pub to_service_name: String,
    /// Internal: for the receiving unit, never shown to the requester.
    pub note: String,
    pub by: Option<UserId>,
    pub by_name: Option<String>,
    /// Milliseconds since the epoch, UTC.
    pub at: i64,
    /// A hand-back to the unit the case came from.
    pub hand_back: bool,
}

/// The longest hand-off note.
pub const NOTE_MAX: usize = 2_000;

/// A hand-off note: required, trimmed, without control characters.
pub fn clean_note(note: &str) -> Result<String, BadText> {
    clean_text(note, NOTE_MAX)
}

/// Where "hand back" returns a case in `unit`: the unit and service of the last hand-off that
/// brought it there, if the case is still where that hand-off left it. A case that came back
/// by a hand-back is home: it is handed off anew, not back again.
pub fn hand_back_target(handoffs: &[Handoff], unit: UnitId) -> Option<(UnitId, ServiceId)> {
    let last = handoffs.iter().max_by_key(|h| (h.at, h.id))?;
    (last.to_unit == unit && last.from_unit != unit && !last.hand_back)
        .then_some((last.from_unit, last.from_service))
}

/// Hand-offs between two units over a period: the report's table per unit pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoffPair {
    pub from_unit: UnitId,
    pub from_unit_name: String,
    pub to_unit: UnitId,
    pub to_unit_name: String,
    pub handoffs: i64,
    /// Of those, hand-backs.
    pub hand_backs: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(id: i64, from: i64, to: i64, at: i64) -> Handoff {
        Handoff {
            id,
            case: CaseId(1),
            from_unit: UnitId(from),
            from_unit_code: String::new(),
            from_unit_name: String::new(),
            to_unit: UnitId(to),
            to_unit_code: String::new(),
            to_unit_name: String::new(),
            from_service: ServiceId(from * 10),
            from_service_code: String::new(),
            to_service: ServiceId(to * 10),
            to_service_code: String::new(),
            to_service_name: String::new(),
            note: "n".into(),
            by: None,
            by_name: None,
            at,
            hand_back: false,
        }
    }

    #[test]
    fn a_case_goes_back_where_the_last_hand_off_brought_it_from() {
        assert_eq!(hand_back_target(&[], UnitId(1)), None);
        let one = [h(1, 1, 2, 100)];
        assert_eq!(
            hand_back_target(&one, UnitId(2)),
            Some((UnitId(1), ServiceId(10)))
        );
        // Not from the unit that sent it: it is no longer there to hand back.
        assert_eq!(hand_back_target(&one, UnitId(1)), None);
        // Passed on to a third unit: back to the second.
        let two = [h(1, 1, 2, 100), h(2, 2, 3, 200)];
        assert_eq!(
            hand_back_target(&two, UnitId(3)),
            Some((UnitId(2), ServiceId(20)))
        );
    }

    #[test]
    fn a_note_is_required() {
        assert!(clean_note("   ").is_err());
        assert_eq!(clean_note(" Gäller bygglov ").unwrap(), "Gäller bygglov");
    }
}
