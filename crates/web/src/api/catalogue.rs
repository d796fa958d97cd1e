//! The catalogue, the organisation and the caller, read through the API.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use serva_app::CatalogueQuery;

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
    let units = st.app.units().await?;
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
    if let Some(code) = q.get("unit") {
        // An unknown unit is the caller's mistake here, not an empty list.
        st.app.unit_ref(Some(code)).await?;
    }
    let query = CatalogueQuery {
        text: q.get("q").cloned().unwrap_or_default(),
        category: q.get("category").cloned().unwrap_or_default(),
        unit: q.get("unit").cloned().unwrap_or_default(),
    };
    let list = st.app.open_services(&query).await?;
    Ok(Json(json!({ "services": list })))
}

pub async fn service(
    State(st): State<AppState>,
    _auth: ApiAuth,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let s = st.app.open_service(&code).await?;
    Ok(Json(serde_json::to_value(s).expect("a service serialises")))
}
