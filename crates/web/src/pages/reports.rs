//! Report pages: choose a report, read it, approve it.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::PreEscaped;
use serva_domain::report::{ReportParams, VersionChoice};
use serva_views::pages::reports::{report_page, reports_index, ReportQuery, ShownVersion};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// The report named by a query string or a form: a bad one is a 400 naming what is wrong.
pub(super) fn params(q: &HashMap<String, String>) -> Result<ReportParams, PageError> {
    let get = |k: &str| q.get(k).map(String::as_str);
    ReportParams::parse(get("org"), get("year"), get("through"))
        .map_err(|m| PageError::new(StatusCode::BAD_REQUEST, m))
}

pub async fn index(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let orgs = st.app.report_orgs(&auth.s.principal).await?;
    let first = match orgs.first() {
        Some(o) => Some(st.app.report_params_or_default(&o.code, None, None).await?),
        None => None,
    };
    let (org, year, through) = first
        .map(|q| (q.org.clone(), q.year.to_string(), q.through_text()))
        .unwrap_or_default();
    let q = ReportQuery {
        org: &org,
        year: &year,
        through: &through,
    };
    let dates = st.app.report_dates(&auth.s.principal).await?;
    Ok(reports_index(&auth.cx, &orgs, &q, &dates).into_response())
}

pub async fn interim(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let rq = params(&q)?;
    let choice = VersionChoice::parse(q.get("version").map(String::as_str))
        .map_err(|m| PageError::new(StatusCode::BAD_REQUEST, m))?;
    let view = st
        .app
        .interim_report_version(&auth.s.principal, &rq, choice)
        .await?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx.t(
            "Rapporten är godkänd och fryst.",
            "The report is approved and frozen.",
        )
    });
    let (year, through) = (rq.year.to_string(), rq.through_text());
    let shown = ReportQuery {
        org: &rq.org,
        year: &year,
        through: &through,
    };
    let body = PreEscaped(serva_report::html::body(&view.report));
    let version = ShownVersion {
        version: view.version,
        latest: view.latest_version,
        draft_differs: view.draft_differs,
    };
    Ok(report_page(
        &auth.cx,
        &view.report,
        &shown,
        &version,
        view.may_approve,
        ok,
        body,
    )
    .into_response())
}

pub async fn approve(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let rq = params(&f.fields)?;
    st.app
        .approve_interim_report(&f.auth.s.principal, &rq)
        .await?;
    Ok(Redirect::to(&format!("/reports/interim?{}&ok=1", rq.query())).into_response())
}
