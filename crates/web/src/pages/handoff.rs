//! Hand-off of a case between provider units' queues, and back.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::parse_id;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

fn note_checked(f: &FormPost) -> Result<(), PageError> {
    // Said in the person's language; the application layer applies the same rule.
    serva_domain::handoff::clean_note(f.get("note"))
        .map(|_| ())
        .map_err(|e| {
            PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "{} {}",
                    f.auth.cx.t(
                        "Anteckningen till mottagaren:",
                        "The note for the receiving unit:"
                    ),
                    super::portal::text_problem(&f.auth.cx, &e)
                ),
            )
        })
}

/// Where the agent lands: the queue the case left, which they work. The case itself is in
/// another unit's queue now, which they may not see.
fn back_to_queue(unit_code: &str) -> Response {
    Redirect::to(&format!("/queues/{unit_code}?status=active")).into_response()
}

/// `POST /cases/{id}/handoff`: `service` (a code of another unit) and `note`.
pub async fn hand_off(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = serva_domain::CaseId(parse_id(&id).ok_or_else(PageError::not_found)?);
    let p = &f.auth.s.principal;
    let case = st.app.case_to_work(p, cid).await?;
    note_checked(&f)?;
    if f.opt("service").is_none() {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            f.auth.cx.t(
                "Välj den enhet och tjänst som ska ta över ärendet.",
                "Choose the unit and service that will take the case.",
            ),
        ));
    }
    let h = st
        .app
        .hand_off(p, cid, f.get("service"), f.get("note"))
        .await?;
    if p.can_view_case(&serva_domain::access::CaseScope {
        provider_unit: h.to_unit,
        ..case.scope()
    }) {
        return Ok(Redirect::to(&format!("/cases/{}?ok=handoff", cid.0)).into_response());
    }
    Ok(back_to_queue(&h.from_unit_code))
}

/// `POST /cases/{id}/handback`: `note`.
pub async fn hand_back(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = serva_domain::CaseId(parse_id(&id).ok_or_else(PageError::not_found)?);
    let p = &f.auth.s.principal;
    let case = st.app.case_to_work(p, cid).await?;
    note_checked(&f)?;
    let h = st.app.hand_back(p, cid, f.get("note")).await?;
    if p.can_view_case(&serva_domain::access::CaseScope {
        provider_unit: h.to_unit,
        ..case.scope()
    }) {
        return Ok(Redirect::to(&format!("/cases/{}?ok=handoff", cid.0)).into_response());
    }
    Ok(back_to_queue(&h.from_unit_code))
}
