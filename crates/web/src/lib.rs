#![recursion_limit = "512"]
//! Serva's HTTP layer: server-rendered pages, the REST API, sessions, tokens, CSRF, and the
//! operations endpoints. Handlers are thin: they check input and access, call the store,
//! and render a view or JSON.

mod api;
mod auth;
mod error;
mod forms;
mod metrics;
mod ops;
mod pages;
mod params;
mod ratelimit;
mod security;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::Router;
use serva_store::Db;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use auth::Session;
pub use error::{ApiError, PageError};

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct Config {
    /// Set cookies with `Secure` and send HSTS: true when served over TLS (behind a proxy).
    pub secure_cookies: bool,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Single sign-on through an OpenID Connect provider, when configured (docs/sso.md).
    pub sso: Option<Arc<serva_app::sso::Sso>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            body_limit: 256 * 1024,
            sso: None,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases; handlers call these for anything that changes data or needs a rule.
    pub app: serva_app::App,
    pub db: Db,
    pub config: Arc<Config>,
    pub metrics: Arc<metrics::Metrics>,
    pub(crate) logins: Arc<ratelimit::LoginLimiter>,
}

impl AppState {
    /// The identity provider's name for the login page, when single sign-on is configured.
    pub(crate) fn sso_name(&self) -> Option<&str> {
        self.app.sso().map(|s| s.settings().name.as_str())
    }
}

/// The whole application as one router.
pub fn router(db: Db, config: Config) -> Router {
    let state = AppState {
        app: match &config.sso {
            Some(sso) => serva_app::App::new(db.clone()).with_sso(sso.clone()),
            None => serva_app::App::new(db.clone()),
        },
        db,
        config: Arc::new(config.clone()),
        metrics: Arc::new(metrics::Metrics::default()),
        logins: Arc::new(ratelimit::LoginLimiter::default()),
    };
    Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .merge(ops::routes())
        .fallback(error::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), auth::resolve))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
