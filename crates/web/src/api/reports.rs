//! Reports through the API.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serva_domain::report::{ReportParams, VersionChoice};
use serva_report::ReportFormat;
use utoipa::ToSchema;

use super::errors::{ChangeErrors, ReadErrors};
use super::json::{ApiJson, ApiQuery};
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::AppState;

/// The formats of a report.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // names the query's values for the document; the handler takes the text
pub enum InterimFormat {
    Json,
    Html,
    Pdf,
    Docx,
}

/// The interim report (delårsrapport) of an administration.
///
/// Computed from live data, or the frozen document once approved (its newest approved version;
/// `version` asks for an older one, or for the live draft). Amounts in whole tkr; a surplus is
/// positive.
#[utoipa::path(
    get,
    path = "/api/v1/reports/interim",
    operation_id = "interimReport",
    tag = "reports",
    security(("bearer" = ["reports"])),
    params(
        ("org" = String, Query, description = "The administration's code", example = "VSS"),
        ("year" = i32, Query, description = "The year", example = 2019),
        ("through" = String, Query, format = Date, description = "The last day the report covers", example = "2019-08-31"),
        ("format" = inline(Option<InterimFormat>), Query, description = "`json` when absent"),
        ("version" = Option<String>, Query, description = "An approved version's number (1, 2, …), or `utkast` for the draft computed from live data; the date's report (its newest approved version, or the draft) when absent", example = "1"),
    ),
    responses(
        (status = 200, description = "The report: as JSON its sections are meta, finance, \
            investments, goals, indicators, staff, assignments, internal_control, operations, \
            narratives, events and checks, and handoffs (per unit pair) when there were any",
            content(
                (Object = "application/json"),
                (String = "text/html"),
                (super::openapi::Binary = "application/pdf"),
                (super::openapi::Binary = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            )),
        ReadErrors,
        (status = 500, description = "`internal`: the report could not be rendered", body = super::errors::ApiErrorBody),
    )
)]
pub async fn interim(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Reports>,
    ApiQuery(q): ApiQuery,
) -> Result<Response, ApiError> {
    if let Some(k) = q.keys().find(|k| {
        !matches!(
            k.as_str(),
            "org" | "year" | "through" | "format" | "version"
        )
    }) {
        return Err(ApiError::bad_request(format!(
            "unknown query parameter {k:?}; use org, year, through, format and version"
        )));
    }
    let get = |k: &str| q.get(k).map(String::as_str);
    let rq = ReportParams::parse(get("org"), get("year"), get("through"))
        .map_err(ApiError::bad_request)?;
    // Who may not read it does not learn from the format whether it exists.
    st.app.check_report_access(&s.principal, &rq.org).await?;
    let format =
        ReportFormat::parse(get("format").unwrap_or("json")).map_err(ApiError::bad_request)?;
    let choice = VersionChoice::parse(get("version")).map_err(ApiError::bad_request)?;
    let view = st
        .app
        .interim_report_version(&s.principal, &rq, choice)
        .await?;
    let version = match view.version {
        Some(v) => format!("-v{v}"),
        None if view.latest_version.is_some() => "-utkast".to_string(),
        None => String::new(),
    };
    let report = view.report;
    // Typesetting a PDF takes a while: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || serva_report::render(&report, format))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r)
        .map_err(|e| {
            tracing::error!(error = %serva_domain::text::error_for_log(&e), "rendering the report failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the report could not be rendered",
            )
        })?;
    let filename = format!(
        "delarsrapport-{}-{}{version}.{}",
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

/// Which report to approve.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ApproveInterimReport)]
pub struct Approve {
    /// The administration's code.
    #[schema(example = "VSS")]
    org: String,
    year: i32,
    /// The last day the report covers.
    #[schema(format = Date, example = "2019-08-31")]
    through: String,
}

/// Approves and freezes an interim report (the administration's head or an administrator).
///
/// The live draft becomes the date's next version (1, 2, …). A draft unchanged since the
/// newest approved version is a conflict.
#[utoipa::path(
    post,
    path = "/api/v1/reports/interim/approve",
    operation_id = "approveInterimReport",
    tag = "reports",
    security(("bearer" = ["reports"])),
    request_body = Approve,
    responses(
        (status = 201, description = "The approved report, as `GET /api/v1/reports/interim` answers it from now on", body = Object),
        ChangeErrors,
    )
)]
pub async fn approve(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Reports>,
    ApiJson(b): ApiJson<Approve>,
) -> Result<Response, ApiError> {
    let rq = ReportParams::parse(Some(&b.org), Some(&b.year.to_string()), Some(&b.through))
        .map_err(ApiError::bad_request)?;
    let report = st.app.approve_interim_report(&s.principal, &rq).await?;
    Ok((StatusCode::CREATED, Json(report)).into_response())
}
