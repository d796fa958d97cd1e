//! Operations: liveness, readiness, metrics, the stylesheet.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::error::PageError;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/static/serva.css", get(css))
        .route("/static/report.css", get(report_css))
}

/// The process is up.
async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// The process can serve: its database answers.
async fn readyz(State(st): State<AppState>) -> impl IntoResponse {
    match st.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready" })),
        ),
        Err(e) => {
            tracing::warn!(error = %serva_domain::text::error_for_log(&e), "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "reason": "database" })),
            )
        }
    }
}

/// `/metrics` alone, for a listener of its own (`serve --metrics-listen`), where whoever can
/// reach the address may read it.
pub fn metrics_only() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(exposition))
        .fallback(|| async { StatusCode::NOT_FOUND })
}

/// `/metrics` on the application's listener: for holders of the metrics token, and not there
/// at all when no token is configured.
async fn metrics(State(st): State<AppState>, headers: HeaderMap) -> Response {
    match &st.config.metrics_token {
        None => PageError::not_found().into_response(),
        Some(t) if t.accepts(headers.get(header::AUTHORIZATION)) => {
            exposition(State(st)).await.into_response()
        }
        Some(_) => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
            "send the metrics token: Authorization: Bearer <token>\n",
        )
            .into_response(),
    }
}

async fn exposition(State(st): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        st.metrics
            .render(st.db.pool_stats(), st.db.case_commit_stats()),
    )
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        serva_views::layout::CSS,
    )
}

async fn report_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        serva_report::html::CSS,
    )
}
