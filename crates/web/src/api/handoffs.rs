//! A case's hand-offs in the API's case JSON (`handoffs`): for the provider's side, since
//! the notes are internal; the requester sees one case and gets an empty list.

use serde::Serialize;
use serva_domain::handoff::Handoff;
use utoipa::ToSchema;

use super::iso;

/// A hand-off of a case from one provider unit's queue to another's (or back).
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoffJson {
    pub id: i64,
    /// The unit's code.
    pub from_unit: String,
    pub to_unit: String,
    /// The service's code.
    pub from_service: String,
    pub to_service: String,
    /// The note for the receiving unit (internal).
    pub note: String,
    #[schema(required = true)]
    pub by_id: Option<i64>,
    #[schema(format = DateTime)]
    pub at: String,
    /// Handed back to the unit it came from.
    pub hand_back: bool,
}

impl From<&Handoff> for HandoffJson {
    fn from(h: &Handoff) -> Self {
        HandoffJson {
            id: h.id,
            from_unit: h.from_unit_code.clone(),
            to_unit: h.to_unit_code.clone(),
            from_service: h.from_service_code.clone(),
            to_service: h.to_service_code.clone(),
            note: h.note.clone(),
            by_id: h.by.map(|u| u.0),
            at: iso(h.at),
            hand_back: h.hand_back,
        }
    }
}
