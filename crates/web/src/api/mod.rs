//! REST API v1. JSON in and out; errors are `{"error": {"code", "message"}}` with a 4xx status
//! for anything the caller got wrong. The OpenAPI document at `/api/openapi.json` describes it.

mod cases;
mod catalogue;
pub(crate) mod imports;
mod json;
mod openapi;
mod reports;

use axum::routing::get;
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/v1/me", get(catalogue::me))
        .route("/v1/units", get(catalogue::units))
        .route("/v1/services", get(catalogue::services))
        .route("/v1/services/{code}", get(catalogue::service))
        .route("/v1/cases", get(cases::list).post(cases::create))
        .route("/v1/cases/{id}", get(cases::get).patch(cases::patch))
        .route(
            "/v1/cases/{id}/messages",
            get(cases::messages).post(cases::add_message),
        )
        .route("/v1/cases/{id}/history", get(cases::history))
        .route(
            "/v1/cases/{id}/survey",
            axum::routing::post(cases::answer_survey),
        )
        .route("/v1/imports/{kind}", axum::routing::post(imports::import))
        .route("/v1/reports/interim", get(reports::interim))
        .route(
            "/v1/reports/interim/approve",
            axum::routing::post(reports::approve),
        )
}

pub(crate) use serva_domain::time::iso_utc as iso;
