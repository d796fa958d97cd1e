//! `GET /queues/{code}/export?…&format=csv|xlsx` and `GET /cases/export?…&format=…`: a case
//! list as a spreadsheet, with the list's own filters and every matching case (not only the
//! page shown). Text cells are never formulas (`serva_report::sheet`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serva_app::{AppError, ListParams, ListScope};
use serva_domain::case::Case;
use serva_report::case_sheet::{case_rows, CASE_HEADINGS};
use serva_report::sheet::{csv, xlsx, Sheet};
use serva_views::pages::my_cases::{MyList, ALL_STATUSES};

use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

fn file(
    cx: &serva_views::Ctx,
    cases: &[Case],
    format: &str,
    name: &str,
) -> Result<Response, PageError> {
    let rows = case_rows(cases);
    let sheet = Sheet {
        name: "Ärenden",
        headings: CASE_HEADINGS,
        rows: &rows,
    };
    let (bytes, content_type, ext) = match format {
        "csv" => (csv(&sheet), "text/csv; charset=utf-8", "csv"),
        "xlsx" => (
            xlsx(&sheet).map_err(|e| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, &e))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _ => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                cx.t(
                    "Formatet ska vara csv eller xlsx.",
                    "The format must be csv or xlsx.",
                ),
            ))
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn refused(e: AppError) -> PageError {
    match e {
        AppError::Invalid(m) | AppError::BadRequest(m) => {
            PageError::new(StatusCode::BAD_REQUEST, m)
        }
        e => e.into(),
    }
}

pub async fn queue(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    let params = ListParams::from_pairs(&q);
    // The queue's own check: who does not work it finds nothing.
    let unit = st.app.queue(p, &code, &ListParams::default()).await?.unit;
    let cases = st
        .app
        .all_listed_cases(p, ListScope::Queue(unit.id), &params)
        .await
        .map_err(refused)?;
    let format = q.get("format").map(String::as_str).unwrap_or("");
    file(&auth.cx, &cases, format, &format!("ko-{}", unit.code))
}

/// The same list as `/cases` shows for the same query (see `cases::my_cases`).
pub async fn my_cases(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    let list = match q.get("list").map(String::as_str) {
        None | Some("") if p.is_agent() => MyList::Assigned,
        None | Some("") => MyList::Ordered,
        Some(l) => MyList::parse(l).ok_or_else(|| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                auth.cx.t("Okänd lista.", "Unknown list."),
            )
        })?,
    };
    let mut params = ListParams::from_pairs(&q);
    let scope = match list {
        MyList::Ordered => ListScope::Own,
        MyList::Assigned => {
            params.status = match q.get("status").map(|s| s.trim()) {
                None => "active".to_string(),
                Some(ALL_STATUSES) => String::new(),
                Some(s) => s.to_string(),
            };
            if params.sort.is_empty() {
                params.sort = "due".to_string();
            }
            ListScope::Assigned
        }
    };
    let cases = st
        .app
        .all_listed_cases(p, scope, &params)
        .await
        .map_err(refused)?;
    let format = q.get("format").map(String::as_str).unwrap_or("");
    file(&auth.cx, &cases, format, "arenden")
}
