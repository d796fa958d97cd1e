//! Reports through the API.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serva_domain::report::ReportParams;
use serva_report::ReportFormat;

use super::json::{ApiJson, ApiQuery};
use crate::auth::ApiAuth;
use crate::error::ApiError;
use crate::AppState;

pub async fn interim(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    ApiQuery(q): ApiQuery,
) -> Result<Response, ApiError> {
    if let Some(k) = q
        .keys()
        .find(|k| !matches!(k.as_str(), "org" | "year" | "through" | "format"))
    {
        return Err(ApiError::bad_request(format!(
            "unknown query parameter {k:?}; use org, year, through and format"
        )));
    }
    let get = |k: &str| q.get(k).map(String::as_str);
    let rq = ReportParams::parse(get("org"), get("year"), get("through"))
        .map_err(ApiError::bad_request)?;
    let format =
        ReportFormat::parse(get("format").unwrap_or("json")).map_err(ApiError::bad_request)?;
    let report = st.app.interim_report(&s.principal, &rq).await?.report;
    // Typesetting a PDF takes a while: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || serva_report::render(&report, format))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r)
        .map_err(|e| {
            tracing::error!(error = %e, "rendering the report failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the report could not be rendered",
            )
        })?;
    let filename = format!(
        "delarsrapport-{}-{}.{}",
        rq.org,
        rq.through_text(),
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approve {
    org: String,
    year: i32,
    through: String,
}

pub async fn approve(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    ApiJson(b): ApiJson<Approve>,
) -> Result<Response, ApiError> {
    let rq = ReportParams::parse(Some(&b.org), Some(&b.year.to_string()), Some(&b.through))
        .map_err(ApiError::bad_request)?;
    let report = st.app.approve_interim_report(&s.principal, &rq).await?;
    Ok((StatusCode::CREATED, Json(report)).into_response())
}
