//! A provider unit's dashboard (docs/overview.md): its figures per week as charts.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serva_domain::dashboard::{parse_weeks, BadWeeks, WEEKS_DEFAULT};
use serva_views::pages::dashboard::{unit_dashboard_page, DashboardView};

use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

/// `GET /units/{code}/dashboard?weeks=N`: the last N weeks (12 unless asked). Weeks that cannot
/// be shown are said so beside the field, kept as typed, and the default weeks shown (422).
pub async fn unit(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    let typed = q.get("weeks").map(String::as_str);
    let (weeks, error) = match parse_weeks(typed) {
        Ok(n) => (n, None),
        Err(e) => (
            WEEKS_DEFAULT,
            Some(match e {
                BadWeeks::NotANumber => cx.t(
                    "Ange antalet veckor som ett heltal, till exempel 12.",
                    "Give the number of weeks as a whole number, for example 12.",
                ),
                BadWeeks::OutOfRange => cx.t(
                    "Välj mellan 1 och 52 veckor.",
                    "Choose between 1 and 52 weeks.",
                ),
            }),
        ),
    };
    let d = st
        .app
        .unit_dashboard(&auth.s.principal, &code, weeks)
        .await?;
    let shown = weeks.to_string();
    let page = unit_dashboard_page(
        cx,
        &DashboardView {
            d: &d,
            weeks_typed: if error.is_some() {
                typed.unwrap_or_default()
            } else {
                &shown
            },
            error,
        },
    );
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page).into_response())
}
