//! Imports through the API: the file is the request body.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;
use serva_app::ImportRefused;
use utoipa::ToSchema;

use super::errors::{ApiErrorBody, ImportErrors};
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::AppState;

/// What an import brought in.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportSummary {
    /// The import's kind, as in the path.
    pub kind: String,
    /// The rows imported.
    pub rows: usize,
}

impl From<serva_store::import::ImportSummary> for ImportSummary {
    fn from(s: serva_store::import::ImportSummary) -> Self {
        ImportSummary {
            kind: s.kind,
            rows: s.rows,
        }
    }
}

/// What a file holds (see docs/import-formats.md): UTF-8 CSV with a header row, or SIE 4.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // names the path's values for the document; the handler takes the text
pub enum ImportKind {
    Units,
    Budget,
    Forecast,
    Investments,
    Calls,
    Indicators,
    IndicatorValues,
    Goals,
    Staff,
    Assignments,
    Controls,
    Sie,
    Volumes,
}

/// Imports a file, all or nothing.
///
/// The file is the request body: UTF-8 CSV with a header row, or SIE 4 for `sie`. Errors name
/// line and column; on any error nothing is imported.
#[utoipa::path(
    post,
    path = "/api/v1/imports/{kind}",
    operation_id = "importFile",
    tag = "imports",
    security(("bearer" = ["imports"])),
    params(("kind" = inline(ImportKind), Path, description = "What the file holds")),
    request_body(
        description = "The file",
        content(
            (String = "text/csv"),
            (super::openapi::Binary = "application/octet-stream"),
        )
    ),
    responses(
        (status = 200, description = "Imported", body = ImportSummary),
        ImportErrors,
        (status = 422, description = "`import_rejected`: nothing was imported; `details.errors` \
            lists every error (`line`, `column`, `message`). Or `invalid`: the data clashes \
            with what is stored.", body = ApiErrorBody),
    )
)]
pub async fn import(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Imports>,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    match st.app.import(&s.principal, &kind, &body).await {
        Ok(summary) => Ok((StatusCode::OK, Json(ImportSummary::from(summary))).into_response()),
        Err(ImportRefused::Rejected(errors)) => {
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
        Err(ImportRefused::Failed(e)) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    /// The document's kinds are the kinds the store imports.
    #[test]
    fn documented_kinds_are_the_store_kinds() {
        let schema = serde_json::to_value(super::ImportKind::schema()).unwrap();
        let documented: Vec<&str> = schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(documented, serva_store::import::ALL_KINDS);
    }
}
