//! The person's own sessions: where they are signed in; signing out one other session, or
//! everywhere.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serva_views::pages::sessions::{sessions_page, SessionsView};

use crate::auth::{set_cookie, Auth, SESSION_COOKIE};
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let sessions = st
        .app
        .my_sessions(&auth.s.principal, st.config.session_idle)
        .await?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx
            .t("Inloggningen är avslutad.", "The session has been ended.")
    });
    let view = SessionsView {
        sessions: &sessions,
        current: auth.s.handle.as_deref().unwrap_or(""),
        idle_minutes: st.config.session_idle.as_secs() / 60,
        ok,
    };
    Ok(sessions_page(&auth.cx, &view).into_response())
}

/// Back to the login page, with this browser's session cookie cleared.
fn signed_out(st: &AppState) -> Response {
    (
        [(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, "", Some(0), st.config.secure_cookies),
        )],
        Redirect::to("/login"),
    )
        .into_response()
}

/// Ends one session of the person's; ending the one asking is signing out.
pub async fn end_one(
    State(st): State<AppState>,
    Path(handle): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    st.app.end_my_session(&f.auth.s.principal, &handle).await?;
    if f.auth.s.handle.as_deref() == Some(handle.as_str()) {
        return Ok(signed_out(&st));
    }
    Ok(Redirect::to("/account/sessions?ok=1").into_response())
}

/// Ends every session of the person, this one too.
pub async fn end_all(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    st.app.end_all_my_sessions(&f.auth.s.principal).await?;
    Ok(signed_out(&st))
}
