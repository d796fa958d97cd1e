//! REST API v1. JSON in and out; errors are `{"error": {"code", "message"}}` with a 4xx status
//! for anything the caller got wrong. The OpenAPI document at `/api/openapi.json` describes it;
//! utoipa generates it from the handlers' `#[utoipa::path]` attributes (see `openapi.rs`).

mod attachments;
mod billing;
mod calls;
mod case_messages;
mod case_time;
mod cases;
mod catalogue;
pub(crate) mod errors;
mod handoffs;
pub(crate) mod imports;
mod json;
mod openapi;
mod overview;
mod reports;
mod surveys;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;
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
            get(case_messages::messages).post(case_messages::add_message),
        )
        .route("/v1/cases/{id}/history", get(case_messages::history))
        .route(
            "/v1/cases/{id}/time",
            get(case_time::list).post(case_time::record),
        )
        .route(
            "/v1/cases/{id}/attachments",
            get(attachments::list).post(attachments::upload).layer(
                axum::extract::DefaultBodyLimit::max(crate::pages::attachments::UPLOAD_LIMIT),
            ),
        )
        .route(
            "/v1/cases/{id}/attachments/{file}",
            get(attachments::download),
        )
        .route(
            "/v1/cases/{id}/survey",
            get(surveys::get).post(surveys::answer),
        )
        .route("/v1/units/{code}/surveys", get(surveys::unit))
        .route("/v1/units/{code}/overview", get(overview::unit))
        .route("/v1/customers/{code}/overview", get(overview::customer))
        .route("/v1/imports/{kind}", axum::routing::post(imports::import))
        .route("/v1/reports/interim", get(reports::interim))
        .route("/v1/calls", axum::routing::post(calls::record))
        .route("/v1/billing/runs", get(billing::list).post(billing::run))
        .route("/v1/billing/runs/{id}", get(billing::get))
        .route("/v1/billing/runs/{id}/export", get(billing::export))
        .route(
            "/v1/reports/interim/approve",
            axum::routing::post(reports::approve),
        )
        .layer(axum::middleware::map_response(json_errors))
}

/// Refusals the framework makes before a handler runs — a method the path does not have, a
/// path segment that is not UTF-8 — get the API's JSON error shape too.
async fn json_errors(resp: Response) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .filter(|t| !t.trim().is_empty());
    let (code, fallback) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this path does not take that method; see /api/openapi.json",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the body is larger than allowed"),
        s if s.is_server_error() => ("internal", "internal error; nothing was half-saved"),
        _ => ("bad_request", "the request could not be read"),
    };
    let message = text.unwrap_or_else(|| fallback.to_string());
    let mut out = ApiError::new(status, code, message).into_response();
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

pub(crate) use serva_domain::time::iso_utc as iso;
