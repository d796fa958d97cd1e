#![recursion_limit = "512"]
//! Serva's HTTP layer: server-rendered pages, the REST API, sessions, tokens, CSRF, and the
//! operations endpoints. Handlers are thin: they check input and access, call the store,
//! and render a view or JSON.

mod api;
mod auth;
mod chat;
mod client;
mod error;
mod forms;
mod live;
mod metrics;
mod ops;
mod pages;
mod panics;
mod params;
mod request_log;
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
pub use metrics::MetricsToken;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct Config {
    /// Set cookies with `Secure` and send HSTS: true when served over TLS (behind a proxy).
    pub secure_cookies: bool,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see [`client::Client`]).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The bearer token `/metrics` asks for on the application's listener; without one,
    /// `/metrics` answers 404 there (serve [`Routers::metrics`] on a listener of its own).
    pub metrics_token: Option<MetricsToken>,
    /// A browser session ends after this long without a request (besides its 8-hour lifetime).
    pub session_idle: Duration,
    /// Single sign-on through an OpenID Connect provider, when configured (docs/sso.md).
    pub sso: Option<Arc<serva_app::sso::Sso>>,
    /// Mail to customers: the relay, links, sender, retries (docs/channels/email-out.md).
    pub mail_out: serva_app::outbox::MailOutConfig,
    /// The service a citizen's public contact form makes its case in (its unit takes it).
    pub citizen_service: String,
    /// How often `serve` looks for survey reminders that are due (docs/surveys.md).
    pub survey_reminder_every: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            body_limit: 256 * 1024,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            session_idle: Duration::from_secs(
                60 * u64::from(serva_domain::session::DEFAULT_IDLE_MINUTES),
            ),
            sso: None,
            mail_out: serva_app::outbox::MailOutConfig::default(),
            citizen_service: "KL-FRAGA".to_string(),
            survey_reminder_every: Duration::from_secs(10 * 60),
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
    /// Per-address limits on chats opened and messages sent by citizens without an account.
    pub chat_limits: Arc<chat::ChatLimits>,
}

impl AppState {
    /// The identity provider's name for the login page, when single sign-on is configured.
    pub(crate) fn sso_name(&self) -> Option<&str> {
        self.app.sso().map(|s| s.settings().name.as_str())
    }
}

/// The whole application as one router.
pub fn router(db: Db, config: Config) -> Router {
    routers(db, config).app
}

/// The application, and `/metrics` alone for a listener of its own; both count the same
/// requests.
pub struct Routers {
    pub app: Router,
    pub metrics: Router,
}

/// The application's router and the metrics listener's router.
pub fn routers(db: Db, config: Config) -> Routers {
    let state = AppState {
        app: match &config.sso {
            Some(sso) => serva_app::App::new(db.clone()).with_sso(sso.clone()),
            None => serva_app::App::new(db.clone()),
        },
        db,
        config: Arc::new(config.clone()),
        metrics: Arc::new(metrics::Metrics::default()),
        chat_limits: Arc::default(),
    };
    let metrics = ops::metrics_only().with_state(state.clone());
    let routes = Router::new()
        .merge(pages::routes())
        .merge(chat::routes())
        .nest("/api", api::routes())
        .merge(ops::routes());
    #[cfg(test)]
    let routes = routes.merge(panics::tests::panicking_routes());
    let app = panics::catch_panics(routes.fallback(error::not_found))
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
        .layer(TraceLayer::new_for_http().make_span_with(request_log::request_span))
        .with_state(state);
    Routers { app, metrics }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    /// The application's own router answers a panicking handler (routed in unit tests only)
    /// with 500: the error page for a page, the JSON error under /api.
    #[tokio::test]
    async fn the_router_answers_a_panic_with_500() {
        let dir = std::env::temp_dir().join(format!("serva_web_panic_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = serva_store::Db::connect(&format!("sqlite:{}", dir.join("t.db").display()))
            .await
            .unwrap();
        let app = super::router(db, super::Config::default());
        let (status, html) = crate::panics::tests::call(app.clone(), "/test/panic").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            html.contains("<html") && html.contains("Något gick fel hos oss"),
            "{html}"
        );
        let (status, body) = crate::panics::tests::call(app, "/api/test/panic").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal", "{body}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
