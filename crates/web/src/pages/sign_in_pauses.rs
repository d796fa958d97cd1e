//! Administration: paused password sign-ins, and lifting them.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::login_throttle::Subject;
use serva_views::pages::sign_in_pauses::{sign_in_pauses_page, PauseRow};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    if !auth.s.principal.administers() {
        return Err(PageError::not_found());
    }
    let rows: Vec<PauseRow> = st
        .app
        .login_pauses(&auth.s.principal)
        .await?
        .into_iter()
        .map(|p| PauseRow {
            subject: p.subject,
            attempts: p.attempts,
            paused_until_ms: p.paused_until * 1000,
        })
        .collect();
    let ok = q
        .contains_key("lifted")
        .then(|| auth.cx.t("Spärren är hävd.", "The pause has been lifted."));
    Ok(sign_in_pauses_page(&auth.cx, &rows, ok).into_response())
}

pub async fn lift(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    if !f.auth.s.principal.administers() {
        return Err(PageError::not_found());
    }
    let Some(subject) = Subject::parse(f.get("subject")) else {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            f.auth.cx.t(
                "Okänd spärr. Ladda om sidan och försök igen.",
                "Unknown pause. Reload the page and try again.",
            ),
        ));
    };
    st.app
        .lift_login_pause(&f.auth.s.principal, &subject)
        .await?;
    Ok(Redirect::to("/admin/sign-in-pauses?lifted").into_response())
}
