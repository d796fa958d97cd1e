//! Administration: outgoing mail (the outbox), one mail, and sending a failed mail again.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::outbox::OutboxQuery;
use serva_domain::notify::OutboxStatus;
use serva_views::pages::outbox::{
    outbox_mail_page, outbox_page, parse_case_filter, OutboxInfo, OutboxListing,
};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::params::parse_id;
use crate::AppState;

pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    if !p.administers() {
        return Err(PageError::not_found());
    }
    let bad = |m: (&str, &str)| PageError::new(StatusCode::BAD_REQUEST, auth.cx.t(m.0, m.1));
    let status = match q.get("status").map(String::as_str).unwrap_or("") {
        "" => None,
        s => Some(OutboxStatus::parse(s).ok_or_else(|| {
            bad((
                "Okänd status: välj väntar, skickat eller misslyckat.",
                "Unknown status: choose waiting, sent or failed.",
            ))
        })?),
    };
    let case_text = q.get("case").map(|s| s.trim()).unwrap_or("");
    let case = match case_text {
        "" => None,
        s => Some(parse_case_filter(s).ok_or_else(|| {
            bad((
                "Ange ett ärendenummer, till exempel 2026-0000123.",
                "Give a case number, for example 2026-0000123.",
            ))
        })?),
    };
    let page = match q.get("page").map(String::as_str).unwrap_or("") {
        "" => 1,
        s => parse_id(s).ok_or_else(|| bad(("Okänd sida.", "Unknown page.")))?,
    };
    let out = st
        .app
        .outbox(p, &OutboxQuery { status, case, page })
        .await?;
    let relay = st.config.mail_out.relay_shown();
    let info = OutboxInfo {
        relay: relay.as_deref(),
        pending: out.counts.pending,
        sent: out.counts.sent,
        failed: out.counts.failed,
    };
    let listing = OutboxListing {
        mails: &out.mails,
        status,
        case: case_text,
        page: out.page,
        has_next: out.has_next,
    };
    Ok(outbox_page(&auth.cx, &info, &listing).into_response())
}

pub async fn show(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    if !p.administers() {
        return Err(PageError::not_found());
    }
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    let mail = st.app.outbox_mail(p, id).await?;
    let counts = st.db.outbox_counts().await?;
    let relay = st.config.mail_out.relay_shown();
    let info = OutboxInfo {
        relay: relay.as_deref(),
        pending: counts.pending,
        sent: counts.sent,
        failed: counts.failed,
    };
    let ok = q.contains_key("queued").then(|| {
        auth.cx.t(
            "Brevet står i kö igen och skickas strax.",
            "The mail is queued again and goes shortly.",
        )
    });
    Ok(outbox_mail_page(&auth.cx, &info, &mail, ok).into_response())
}

pub async fn send_again(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let p = &f.auth.s.principal;
    if !p.administers() {
        return Err(PageError::not_found());
    }
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    st.app.send_mail_again(p, id).await?;
    Ok(Redirect::to(&format!("/admin/outbox/{id}?queued")).into_response())
}
