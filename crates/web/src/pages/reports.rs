//! Report pages: choose a report, read it, approve it.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::org::UnitKind;
use serva_views::pages::reports::{report_page, reports_index, ReportQuery};

use crate::auth::{Auth, Session};
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// Who may read an administration's reports: administrators, controllers, and its managers.
pub(crate) fn can_read(s: &Session, org: serva_domain::UnitId) -> bool {
    s.principal.admin || s.principal.controller || s.principal.manages.contains(&org)
}

/// Who may approve them: administrators and the administration's head.
pub(crate) fn can_approve(s: &Session, org: serva_domain::UnitId) -> bool {
    s.principal.admin || s.principal.manages.contains(&org)
}

/// Reads org, year and through; an unknown administration or a bad date is a clear 4xx.
pub(crate) fn report_params(q: &HashMap<String, String>) -> Result<(String, i32, String), String> {
    let org = q
        .get("org")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or("org is required")?;
    let year = q
        .get("year")
        .ok_or("year is required")?
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or("year must be a year such as 2019")?;
    let through = q
        .get("through")
        .map(|s| s.trim().to_string())
        .ok_or("through is required (YYYY-MM-DD)")?;
    serva_store::followup::parse_date(&through).map_err(|e| e.to_string())?;
    if !through.starts_with(&format!("{year}-")) {
        return Err(format!("through {through} is not in {year}"));
    }
    Ok((org, year, through))
}

pub async fn index(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let orgs: Vec<_> = st
        .db
        .units()
        .await?
        .into_iter()
        .filter(|u| u.kind == UnitKind::Administration && can_read(&auth.s, u.id))
        .collect();
    let q = ReportQuery {
        org: orgs.first().map_or("", |o| o.code.as_str()),
        year: "2019",
        through: "2019-08-31",
    };
    Ok(reports_index(&auth.cx, &orgs, &q).into_response())
}

pub async fn interim(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (org, year, through) =
        report_params(&q).map_err(|m| PageError::new(StatusCode::BAD_REQUEST, m))?;
    let unit = st.db.unit_by_code(&org).await?;
    if !can_read(&auth.s, unit.id) {
        return Err(PageError::not_found());
    }
    let report = st.db.interim_report(&org, year, &through).await?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx.t(
            "Rapporten är godkänd och fryst.",
            "The report is approved and frozen.",
        )
    });
    let year_s = year.to_string();
    let rq = ReportQuery {
        org: &org,
        year: &year_s,
        through: &through,
    };
    Ok(report_page(&auth.cx, &report, &rq, can_approve(&auth.s, unit.id), ok).into_response())
}

pub async fn approve(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let (org, year, through) =
        report_params(&f.fields).map_err(|m| PageError::new(StatusCode::BAD_REQUEST, m))?;
    let unit = st.db.unit_by_code(&org).await?;
    if !can_approve(&f.auth.s, unit.id) {
        return Err(if can_read(&f.auth.s, unit.id) {
            PageError::forbidden()
        } else {
            PageError::not_found()
        });
    }
    st.db
        .approve_interim_report(&f.auth.s.user, &org, year, &through)
        .await?;
    Ok(Redirect::to(&format!(
        "/reports/interim?org={org}&year={year}&through={through}&ok=1"
    ))
    .into_response())
}
