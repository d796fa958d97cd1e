//! `GET /billing/result?year=YYYY&unit=CODE`: each unit's result from the billing. Controllers
//! and administrators see every unit, a unit's managers their own; to anyone else the page
//! does not exist.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serva_domain::org::UnitKind;
use serva_views::pages::billing_result::{result_page, ResultView};

use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    if !p.sees_unit_results() {
        return Err(PageError::not_found());
    }
    let year = match q.get("year").map(|y| y.trim()).filter(|y| !y.is_empty()) {
        None => st.app.unit_result_year(p).await?,
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2100).contains(y))
            .ok_or_else(|| {
                PageError::new(
                    StatusCode::BAD_REQUEST,
                    auth.cx.t(
                        "Skriv året med fyra siffror, t.ex. 2019.",
                        "Write the year with four digits, e.g. 2019.",
                    ),
                )
            })?,
    };
    let unit_code = q.get("unit").map(|u| u.trim()).filter(|u| !u.is_empty());
    let summary = st.app.unit_results(p, year).await?;
    let unit = match unit_code {
        Some(code) => Some(st.app.unit_result(p, year, code).await?),
        None => None,
    };
    let all = st.app.units().await?;
    let names: HashMap<String, String> = all
        .iter()
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    let units: Vec<(String, String)> = all
        .iter()
        .filter(|u| {
            p.can_see_unit_result(u.id)
                && matches!(u.kind, UnitKind::Unit | UnitKind::Administration)
        })
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    let services = st.app.service_names().await?;
    let view = ResultView {
        year,
        units: &units,
        names: &names,
        summary: &summary,
        unit: unit.as_ref(),
        services: &services,
    };
    Ok(result_page(&auth.cx, &view).into_response())
}
