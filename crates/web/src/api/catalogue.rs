//! The catalogue, the organisation and the caller, read through the API.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use serva_store::catalogue::{service_json, ServiceFilter};
use serva_store::StoreError;

use super::json::ApiQuery;
use crate::auth::ApiAuth;
use crate::error::ApiError;
use crate::AppState;

pub async fn me(ApiAuth(s): ApiAuth) -> Json<Value> {
    let p = &s.principal;
    let mut works: Vec<i64> = p.works.iter().map(|u| u.0).collect();
    works.sort_unstable();
    Json(json!({
        "id": s.user.id,
        "username": s.user.username,
        "display_name": s.user.display_name,
        "locale": s.user.locale,
        "home_unit_id": s.user.home_unit_id,
        "admin": p.admin,
        "controller": p.controller,
        "works_units": works,
        "can_order": p.ordering_as().is_some(),
    }))
}

pub async fn units(State(st): State<AppState>, _auth: ApiAuth) -> Result<Json<Value>, ApiError> {
    let units = st.db.units().await?;
    Ok(Json(json!({ "units": units })))
}

pub async fn services(
    State(st): State<AppState>,
    _auth: ApiAuth,
    ApiQuery(q): ApiQuery,
) -> Result<Json<Value>, ApiError> {
    for k in q.keys() {
        if !matches!(k.as_str(), "q" | "category" | "unit") {
            return Err(ApiError::bad_request(format!(
                "unknown query parameter {k:?}; use q, category or unit"
            )));
        }
    }
    let unit = match q.get("unit") {
        None => None,
        Some(code) => Some(match st.db.unit_by_code(code).await {
            Ok(u) => u.uid(),
            Err(StoreError::NotFound(_)) => {
                return Err(ApiError::invalid(format!("unknown unit {code:?}")))
            }
            Err(e) => return Err(e.into()),
        }),
    };
    let f = ServiceFilter {
        unit,
        category: q.get("category").cloned(),
        query: q.get("q").map(|t| serva_domain::search::fold(t.trim())),
        include_inactive: false,
    };
    let list: Vec<Value> = st.db.services(&f).await?.iter().map(service_json).collect();
    Ok(Json(json!({ "services": list })))
}

pub async fn service(
    State(st): State<AppState>,
    _auth: ApiAuth,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let s = st.db.service_by_code(&code).await?;
    if s.active != 1 {
        return Err(ApiError::not_found("service"));
    }
    Ok(Json(service_json(&s)))
}
