//! Billing runs through the API: the locked runs, a month's preview or its lock, one run, and
//! its exports (SIE 4I, CSV, XLSX). Controllers and administrators; to anyone else the runs do
//! not exist (404).

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serva_domain::billing::run::{preview, PreviewRow, Unpriced};
use serva_report::billing_sheet::{line_rows, LINE_HEADINGS};
use serva_report::sheet::{csv, xlsx, Sheet};
use serva_store::billing::{month_days, BillingRun};
use utoipa::ToSchema;

use super::errors::{ChangeErrors, ReadErrors};
use super::json::{ApiJson, ApiQuery};
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::params::parse_id;
use crate::AppState;

/// A locked run.
#[derive(Serialize, ToSchema)]
pub struct RunJson {
    pub id: i64,
    /// `YYYY-MM`.
    pub month: String,
    /// When it was locked (UTC, RFC 3339).
    pub locked_at: String,
    /// Who locked it (absent when the command line did).
    pub locked_by: Option<String>,
    pub lines: i64,
    /// The sum of its lines, öre.
    pub total_ore: i64,
}

impl From<&BillingRun> for RunJson {
    fn from(r: &BillingRun) -> Self {
        RunJson {
            id: r.id,
            month: r.month.clone(),
            locked_at: super::iso(r.locked_at),
            locked_by: r.locked_by.clone(),
            lines: r.lines,
            total_ore: r.total_ore,
        }
    }
}

/// One customer's purchase of one service from one unit.
#[derive(Serialize, ToSchema)]
pub struct RowJson {
    /// The buying unit's code.
    pub customer: String,
    /// The providing unit's code.
    pub provider: String,
    pub service: String,
    /// Thousandths: 1 500 is 1,5.
    pub quantity_milli: i64,
    pub amount_ore: i64,
    pub lines: usize,
}

impl From<&PreviewRow> for RowJson {
    fn from(r: &PreviewRow) -> Self {
        RowJson {
            customer: r.customer.clone(),
            provider: r.provider.clone(),
            service: r.service.clone(),
            quantity_milli: r.quantity.0,
            amount_ore: r.amount_ore,
            lines: r.lines,
        }
    }
}

/// A volume whose service had no price on its day.
#[derive(Serialize, ToSchema)]
pub struct UnpricedJson {
    pub customer: String,
    pub service: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `case`, `time`, `subscription`, `imported` or `correction`.
    pub source: String,
    pub source_id: i64,
}

impl From<&Unpriced> for UnpricedJson {
    fn from(u: &Unpriced) -> Self {
        let v = &u.volume;
        UnpricedJson {
            customer: v.customer.clone(),
            service: v.service.clone(),
            day: v.day.format("%Y-%m-%d").to_string(),
            source: v.source.kind().to_string(),
            source_id: v.source.id(),
        }
    }
}

/// A month's charges per customer and service: what a run would charge, or (with `run`) did.
#[derive(Serialize, ToSchema)]
pub struct PreviewJson {
    pub month: String,
    /// The locked run, when the month has one.
    pub run: Option<RunJson>,
    pub rows: Vec<RowJson>,
    /// Volumes without a price: the month cannot be locked while there are any.
    pub unpriced: Vec<UnpricedJson>,
    pub lines: usize,
    pub total_ore: i64,
}

/// What to do with a month.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// `YYYY-MM`.
    #[schema(example = "2019-08")]
    pub month: String,
    /// `true` locks the run (its lines never change); `false` (the default) previews it.
    #[serde(default)]
    pub lock: bool,
}

/// The export formats of a run.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // names the query's values for the document; the handler takes the text
pub enum ExportFormat {
    Sie,
    Csv,
    Xlsx,
}

fn checked_month(month: &str) -> Result<String, ApiError> {
    let m = month.trim();
    month_days(m).map(|_| m.to_string()).ok_or_else(|| {
        ApiError::bad_request(format!("month {m:?} must be written YYYY-MM, e.g. 2019-08"))
    })
}

fn run_id(id: &str) -> Result<i64, ApiError> {
    parse_id(id).ok_or_else(|| ApiError::not_found("billing run"))
}

/// The locked billing runs, the newest month first.
#[utoipa::path(
    get,
    path = "/api/v1/billing/runs",
    operation_id = "listBillingRuns",
    tag = "billing",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "The locked runs", body = Vec<RunJson>),
        ReadErrors,
    )
)]
pub async fn list(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
) -> Result<Json<Vec<RunJson>>, ApiError> {
    let runs = st.app.billing_runs(&s.principal).await?;
    Ok(Json(runs.iter().map(RunJson::from).collect()))
}

/// Previews a month's billing run, or locks it.
///
/// Without `lock` (or with `false`) the answer is the preview: per customer and service, the
/// volumes without a price, and the totals. With `lock: true` the run is locked (201) and
/// never changes; a month has one run (409 when it is locked already), and a month with
/// volumes without a price cannot be locked (422).
#[utoipa::path(
    post,
    path = "/api/v1/billing/runs",
    operation_id = "billingRun",
    tag = "billing",
    security(("bearer" = ["reports"])),
    request_body = RunRequest,
    responses(
        (status = 200, description = "The preview (`lock` false)", body = PreviewJson),
        (status = 201, description = "The locked run; `Location` names it", body = RunJson,
            headers(("Location" = String, description = "/api/v1/billing/runs/{id}"))),
        ChangeErrors,
    )
)]
pub async fn run(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Reports>,
    ApiJson(b): ApiJson<RunRequest>,
) -> Result<Response, ApiError> {
    let p = &s.principal;
    // Who may not bill learns nothing from a bad month.
    st.app.billing_runs(p).await?;
    let month = checked_month(&b.month)?;
    if b.lock {
        let run = st.app.lock_billing_run(p, &month).await?;
        return Ok((
            StatusCode::CREATED,
            [(header::LOCATION, format!("/api/v1/billing/runs/{}", run.id))],
            Json(RunJson::from(&run)),
        )
            .into_response());
    }
    let pv = st.app.billing_preview(p, &month).await?;
    Ok(Json(PreviewJson {
        month: pv.month.clone(),
        run: pv.locked.as_ref().map(RunJson::from),
        rows: pv.rows.iter().map(RowJson::from).collect(),
        unpriced: pv.unpriced.iter().map(UnpricedJson::from).collect(),
        lines: pv.lines,
        total_ore: pv.total_ore,
    })
    .into_response())
}

/// One locked run, per customer and service.
#[utoipa::path(
    get,
    path = "/api/v1/billing/runs/{id}",
    operation_id = "getBillingRun",
    tag = "billing",
    security(("bearer" = ["read"])),
    params(("id" = i64, Path, description = "The run's id", minimum = 1)),
    responses(
        (status = 200, description = "The run", body = PreviewJson),
        ReadErrors,
    )
)]
pub async fn get(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(id): Path<String>,
) -> Result<Json<PreviewJson>, ApiError> {
    let (run, lines) = st.app.billing_run_by_id(&s.principal, run_id(&id)?).await?;
    Ok(Json(PreviewJson {
        month: run.month.clone(),
        rows: preview(&lines).iter().map(RowJson::from).collect(),
        unpriced: Vec::new(),
        lines: lines.len(),
        total_ore: run.total_ore,
        run: Some(RunJson::from(&run)),
    }))
}

/// A locked run as a file: SIE 4I for the ledger (one balanced voucher), or its lines as CSV
/// or XLSX.
#[utoipa::path(
    get,
    path = "/api/v1/billing/runs/{id}/export",
    operation_id = "exportBillingRun",
    tag = "billing",
    security(("bearer" = ["read"])),
    params(
        ("id" = i64, Path, description = "The run's id", minimum = 1),
        ("format" = inline(Option<ExportFormat>), Query, description = "`sie` when absent"),
    ),
    responses(
        (status = 200, description = "The file; `Content-Disposition` names it debitering-YYYY-MM.se, .csv or .xlsx",
            content(
                (String = "text/plain; charset=IBM437"),
                (String = "text/csv; charset=utf-8"),
                (super::openapi::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        ReadErrors,
    )
)]
pub async fn export(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery,
) -> Result<Response, ApiError> {
    if let Some(k) = q.keys().find(|k| k.as_str() != "format") {
        return Err(ApiError::bad_request(format!(
            "unknown query parameter {k:?}; use format"
        )));
    }
    let p = &s.principal;
    let (run, lines) = st.app.billing_run_by_id(p, run_id(&id)?).await?;
    let format = q.get("format").map(String::as_str).unwrap_or("sie");
    let (bytes, content_type, ext) = match format {
        "sie" => (
            st.app.billing_sie(p, &run.month).await?,
            "text/plain; charset=IBM437",
            "se",
        ),
        "csv" | "xlsx" => {
            let rows = line_rows(&lines);
            let sheet = Sheet {
                name: "Debiteringsrader",
                headings: LINE_HEADINGS,
                rows: &rows,
            };
            if format == "csv" {
                (csv(&sheet), "text/csv; charset=utf-8", "csv")
            } else {
                (
                    xlsx(&sheet).map_err(|e| {
                        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e)
                    })?,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                )
            }
        }
        f => {
            return Err(ApiError::bad_request(format!(
                "unknown format {f:?}; use sie, csv or xlsx"
            )))
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"debitering-{}.{ext}\"", run.month),
            ),
        ],
        bytes,
    )
        .into_response())
}
