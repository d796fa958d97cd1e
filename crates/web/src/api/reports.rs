//! Reports through the API.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::json::{ApiJson, ApiQuery};
use crate::auth::ApiAuth;
use crate::error::ApiError;
use crate::pages::reports::{can_approve, can_read, report_params};
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
    let (org, year, through) = report_params(&q).map_err(ApiError::bad_request)?;
    let unit = st
        .db
        .unit_by_code(&org)
        .await
        .map_err(|_| ApiError::not_found("administration"))?;
    if !can_read(&s, unit.id) {
        return Err(ApiError::not_found("administration"));
    }
    let format = crate::ReportFormat::parse(q.get("format").map(String::as_str).unwrap_or("json"))
        .map_err(ApiError::bad_request)?;
    let report = st.db.interim_report(&org, year, &through).await?;
    // Typesetting a PDF takes a while: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || crate::render_report(&report, format))
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
    let filename = format!("delarsrapport-{org}-{through}.{}", format.extension());
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
    let q = [
        ("org".to_string(), b.org),
        ("year".to_string(), b.year.to_string()),
        ("through".to_string(), b.through),
    ]
    .into();
    let (org, year, through) = report_params(&q).map_err(ApiError::bad_request)?;
    let unit = st
        .db
        .unit_by_code(&org)
        .await
        .map_err(|_| ApiError::not_found("administration"))?;
    if !can_approve(&s, unit.id) {
        return Err(if can_read(&s, unit.id) {
            ApiError::forbidden(
                "only the administration's head or an administrator approves its reports",
            )
        } else {
            ApiError::not_found("administration")
        });
    }
    let report = st
        .db
        .approve_interim_report(&s.user, &org, year, &through)
        .await?;
    Ok((StatusCode::CREATED, Json(report)).into_response())
}
