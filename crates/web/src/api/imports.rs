//! Imports through the API: the file is the request body.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use serva_store::import::ImportFailure;

use crate::auth::{ApiAuth, Session};
use crate::error::ApiError;
use crate::AppState;

/// Finance and follow-up data: administrators and controllers; the organisation: administrators.
pub(crate) fn may_import(s: &Session, kind: &str) -> bool {
    s.principal.admin || (s.principal.controller && kind != "units")
}

/// Runs an import and answers like the API does; the page handler shares the rules.
pub(crate) async fn run(
    st: &AppState,
    s: &Session,
    kind: &str,
    bytes: &[u8],
) -> Result<serva_store::import::ImportSummary, ApiError> {
    if !serva_store::import::ALL_KINDS.contains(&kind) {
        return Err(ApiError::not_found("import kind"));
    }
    if !may_import(s, kind) {
        return Err(ApiError::forbidden(format!("you may not import {kind}")));
    }
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the body is empty; send the file as the request body",
        ));
    }
    match st.db.import(Some(s.user.uid()), kind, bytes).await {
        Ok(summary) => Ok(summary),
        Err(ImportFailure::Rejected(errors)) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "import_rejected",
                format!(
                    "nothing was imported: {} error(s); first: {first}",
                    errors.len()
                ),
            )
            .with_details(json!({ "errors": errors })))
        }
        Err(ImportFailure::Store(e)) => Err(e.into()),
    }
}

pub async fn import(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let summary = run(&st, &s, &kind, &body).await?;
    Ok((StatusCode::OK, Json(summary)).into_response())
}
