//! Errors as people and programs see them: an HTML page for browsers, JSON for the API.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serva_app::AppError;
use serva_domain::text::error_for_log;
use serva_store::StoreError;

use crate::auth::page_ctx;
use crate::AppState;

/// An error from a page handler. The body is rendered later by [`render_error_pages`], which
/// knows the person's language and navigation.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

/// Marker left on a response for [`render_error_pages`].
#[derive(Clone, Debug)]
pub(crate) struct ErrorMarker(String);

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        PageError {
            status,
            message: message.into(),
        }
    }
    pub fn not_found() -> Self {
        PageError::new(StatusCode::NOT_FOUND, "")
    }
    pub fn forbidden() -> Self {
        PageError::new(StatusCode::FORBIDDEN, "")
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut r = self.status.into_response();
        r.extensions_mut().insert(ErrorMarker(self.message));
        r
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => PageError::not_found(),
            StoreError::Conflict(m) => PageError::new(StatusCode::CONFLICT, m),
            StoreError::Invalid(m) => PageError::new(StatusCode::UNPROCESSABLE_ENTITY, m),
            StoreError::Unavailable(m) => PageError::new(StatusCode::SERVICE_UNAVAILABLE, m),
            other => {
                tracing::error!(error = %error_for_log(&other), "storage failed");
                PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "")
            }
        }
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound(_) => PageError::not_found(),
            AppError::Forbidden(_) => PageError::forbidden(),
            AppError::BadRequest(m) => PageError::new(StatusCode::BAD_REQUEST, m),
            AppError::Invalid(m) => PageError::new(StatusCode::UNPROCESSABLE_ENTITY, m),
            AppError::Conflict(m) => PageError::new(StatusCode::CONFLICT, m),
            // Pages that can say a refusal in the person's language do so themselves.
            AppError::Refused(r) if r.is_conflict() => {
                PageError::new(StatusCode::CONFLICT, r.to_string())
            }
            AppError::Refused(r) => PageError::new(StatusCode::UNPROCESSABLE_ENTITY, r.to_string()),
            AppError::Unavailable(m) => PageError::new(StatusCode::SERVICE_UNAVAILABLE, m),
            AppError::Store(e) => e.into(),
            AppError::Internal(m) => {
                tracing::error!(error = %error_for_log(&m), "internal error");
                PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "")
            }
        }
    }
}

/// Turns marked error responses into full pages in the person's language.
pub async fn render_error_pages(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let cx = page_ctx(&st, &req);
    let resp = next.run(req).await;
    let Some(ErrorMarker(message)) = resp.extensions().get::<ErrorMarker>().cloned() else {
        return resp;
    };
    let status = resp.status();
    let message = if message.is_empty() {
        match status {
            StatusCode::NOT_FOUND => cx
                .t(
                    "Det du söker finns inte, eller så har du inte behörighet att se det.",
                    "What you are looking for does not exist, or you may not see it.",
                )
                .to_string(),
            StatusCode::FORBIDDEN => cx.t("Du har inte behörighet till detta.", "You are not allowed to do this.").to_string(),
            StatusCode::PAYLOAD_TOO_LARGE => {
                cx.t("Det du skickade var för stort.", "What you sent was too large.").to_string()
            }
            _ => cx
                .t(
                    "Något gick fel hos oss. Försök igen om en stund; inget av det du skickat har sparats till hälften.",
                    "Something went wrong on our side. Try again shortly; nothing you sent was half-saved.",
                )
                .to_string(),
        }
    } else {
        message
    };
    let body = serva_views::pages::error::error_page(&cx, status.as_u16(), &message);
    (status, body).into_response()
}

/// An API error: `{"error": {"code": "...", "message": "..."}}` with a 4xx or 5xx status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }
    pub fn not_found(what: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn with_details(mut self, d: serde_json::Value) -> Self {
        self.details = Some(d);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = crate::api::errors::ApiErrorBody::from(&self);
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ApiError::not_found(what),
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            StoreError::Invalid(m) => ApiError::invalid(m),
            StoreError::Unavailable(m) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", m)
            }
            other => {
                tracing::error!(error = %error_for_log(&other), "storage failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; nothing was half-saved",
                )
            }
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound(what) => ApiError::not_found(what),
            AppError::Forbidden(m) => ApiError::forbidden(m),
            AppError::BadRequest(m) => ApiError::bad_request(m),
            AppError::Invalid(m) => ApiError::invalid(m),
            AppError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            AppError::Refused(r) if r.is_conflict() => {
                ApiError::new(StatusCode::CONFLICT, "conflict", r.to_string())
            }
            AppError::Refused(r) => ApiError::invalid(r.to_string()),
            AppError::Unavailable(m) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", m)
            }
            AppError::Store(e) => e.into(),
            AppError::Internal(m) => {
                tracing::error!(error = %error_for_log(&m), "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; nothing was half-saved",
                )
            }
        }
    }
}

/// The fallback: JSON under /api, a page elsewhere.
pub async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such endpoint: {}", req.uri().path()),
        )
        .into_response()
    } else {
        PageError::not_found().into_response()
    }
}
