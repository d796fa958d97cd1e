//! Imports through the API: the file is the request body.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use serva_app::ImportRefused;

use crate::auth::ApiAuth;
use crate::error::ApiError;
use crate::AppState;

pub async fn import(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    match st.app.import(&s.principal, &kind, &body).await {
        Ok(summary) => Ok((StatusCode::OK, Json(summary)).into_response()),
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
