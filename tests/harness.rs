//! Booting a real server on a fresh database, and clients that talk to it like a browser or a
//! program would.

use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::{redirect, Client, Response, StatusCode};
use serde_json::Value;
use serva_store::Db;
use sqlx::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server with its own database, removed when dropped.
pub struct App {
    pub base: String,
    pub db: Db,
    pub data_dir: Option<std::path::PathBuf>,
    pg: Option<(String, String)>,
    server: tokio::task::JoinHandle<()>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The bearer token `/metrics` asks for on the test servers (see [`App::metrics`]).
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

/// The admin URL of the test PostgreSQL server, if the tests should use one.
pub fn pg_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let cut = base.rfind('/').expect("a database URL has a path");
    let mut out = format!("{}/{db}", &base[..cut]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl App {
    /// A fresh server with the demo organisation, catalogue and people (no case history).
    /// `None` when asked for PostgreSQL and none is configured.
    pub async fn boot(backend: Backend) -> Option<App> {
        let config = |_: &str| serva::Config {
            metrics_token: Some(serva::MetricsToken::new(METRICS_TOKEN).unwrap()),
            ..serva::Config::default()
        };
        App::boot_with(backend, config).await
    }

    /// Like [`App::boot`], with the server's configuration made from its base URL (known
    /// once its port is bound), as single sign-on needs for its redirect URL.
    pub async fn boot_with(
        backend: Backend,
        config: impl FnOnce(&str) -> serva::Config,
    ) -> Option<App> {
        static LOGS: std::sync::Once = std::sync::Once::new();
        // Server errors go to the test's output (shown when a test fails).
        LOGS.call_once(|| {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_env("SERVA_LOG")
                        .unwrap_or_else(|_| "warn,sqlx=error".into()),
                )
                .with_test_writer()
                .try_init();
        });
        let (url, data_dir, pg) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("serva_test"));
                std::fs::create_dir_all(&dir).unwrap();
                (
                    format!("sqlite:{}", dir.join("serva.db").display()),
                    Some(dir),
                    None,
                )
            }
            Backend::Postgres => {
                let admin = pg_url()?;
                let name = unique("serva_t");
                let mut c = sqlx::PgConnection::connect(&admin)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut c)
                    .await
                    .expect("create test database");
                c.close().await.ok();
                (with_database(&admin, &name), None, Some((admin, name)))
            }
        };
        let db = serva::open(&url).await.expect("open database");
        serva::demo::load(&db, serva::demo::Scale::Base)
            .await
            .expect("load demo base");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = config(&base);
        let served = db.clone();
        let server = tokio::spawn(async move {
            serva::serve(listener, served, config, std::future::pending())
                .await
                .expect("serve");
        });
        Some(App {
            base,
            db,
            data_dir,
            pg,
            server,
        })
    }

    /// The URL of the app's database, for the `serva` binary's `--database` or `serva::open`.
    pub fn database_url(&self) -> String {
        match (&self.data_dir, &self.pg) {
            (Some(dir), _) => format!("sqlite:{}", dir.join("serva.db").display()),
            (None, Some((admin, name))) => with_database(admin, name),
            (None, None) => unreachable!("an app has a database"),
        }
    }

    /// Another app node on the same database, as behind a load balancer; stops when dropped.
    pub async fn node(&self, config: serva::Config) -> Node {
        let db = serva::open(&self.database_url())
            .await
            .expect("open database");
        let (addr, server) = serva::spawn("127.0.0.1:0", db, config)
            .await
            .expect("start second node");
        Node {
            base: format!("http://{addr}"),
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The text of `/metrics`, read with the metrics token.
    pub async fn metrics(&self) -> String {
        let r = Client::new()
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "/metrics");
        r.text().await.unwrap()
    }

    /// A browser without a session.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            client: Client::builder()
                .cookie_store(true)
                .redirect(redirect::Policy::none())
                .build()
                .unwrap(),
            csrf: None,
        }
    }

    /// A browser signed in as `username` (password "demo").
    pub async fn login(&self, username: &str) -> Browser {
        let mut b = self.browser();
        let r = b.try_login(username, "demo").await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "login as {username} failed"
        );
        b.csrf = Some(b.csrf_token().await);
        b
    }

    /// An API client with a fresh personal token of `username`.
    pub async fn api(&self, username: &str) -> Api {
        let user = self
            .db
            .user_by_username(username)
            .await
            .expect("user exists");
        let token = self.db.create_token(None, user.id, "test").await.unwrap();
        Api {
            base: self.base.clone(),
            client: Client::new(),
            token: Some(token),
        }
    }

    pub fn anonymous_api(&self) -> Api {
        Api {
            base: self.base.clone(),
            client: Client::new(),
            token: None,
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.server.abort();
        if let Some(dir) = &self.data_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((admin, name)) = self.pg.take() {
            let db = self.db.clone();
            // Dropping needs async work; do it on a runtime of its own so it runs even when
            // the test panicked.
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    db.close().await;
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut c)
                                .await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

/// A second app node of an [`App`].
pub struct Node {
    pub base: String,
    server: tokio::task::JoinHandle<()>,
}

impl Node {
    /// A browser on this node; `forwarded_for` is sent as `X-Forwarded-For`, as a proxy would.
    pub fn browser(&self, forwarded_for: Option<&str>) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(ip) = forwarded_for {
            headers.insert("x-forwarded-for", ip.parse().unwrap());
        }
        Browser {
            base: self.base.clone(),
            client: Client::builder()
                .cookie_store(true)
                .redirect(redirect::Policy::none())
                .default_headers(headers)
                .build()
                .unwrap(),
            csrf: None,
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Like `dual!`, for tests that boot their server with a configuration of their own: the body
/// gets the backend.
#[macro_export]
macro_rules! on_both {
    ($name:ident, |$backend:ident| $body:block) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $backend = Backend::Sqlite;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::harness::pg_url().is_none() {
                    eprintln!("PostgreSQL not configured (TEST_DATABASE_URL); skipped");
                    return;
                }
                let $backend = Backend::Postgres;
                $body
            }
        }
    };
}

/// Runs a test body against SQLite and, when configured, PostgreSQL.
#[macro_export]
macro_rules! dual {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use $crate::harness::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = App::boot(Backend::Sqlite).await.unwrap();
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = App::boot(Backend::Postgres).await else {
                    eprintln!("PostgreSQL not configured (TEST_DATABASE_URL); skipped");
                    return;
                };
                $body
            }
        }
    };
}

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub struct Browser {
    pub base: String,
    pub client: Client,
    pub csrf: Option<String>,
}

/// The value of the first hidden `_csrf` field of a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

impl Browser {
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    pub async fn try_login(&self, username: &str, password: &str) -> Response {
        let (_, html) = self.get("/login").await;
        let token = csrf_in(&html).expect("login form has a CSRF token");
        self.client
            .post(format!("{}/login", self.base))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn csrf_token(&self) -> String {
        let (status, html) = self.get("/account").await;
        assert_eq!(status, StatusCode::OK);
        csrf_in(&html).expect("signed-in pages carry a CSRF token")
    }

    /// Posts a form with the session's CSRF token.
    pub async fn post(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone().unwrap_or_default();
        all.push(("_csrf", &token));
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .form(&all)
            .send()
            .await
            .unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (r.status(), r.text().await.unwrap(), location)
    }
}

/// An API client with a bearer token.
pub struct Api {
    pub base: String,
    pub client: Client,
    pub token: Option<String>,
}

impl Api {
    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.client.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    async fn done(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let resp = r.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        Self::done(self.req(reqwest::Method::GET, path)).await
    }
    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        Self::done(self.req(reqwest::Method::POST, path).json(body)).await
    }
    pub async fn patch(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        Self::done(self.req(reqwest::Method::PATCH, path).json(body)).await
    }
    /// Sends raw bytes with a content type, for malformed-input tests.
    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        Self::done(
            self.req(method, path)
                .header("content-type", content_type)
                .body(body),
        )
        .await
    }
}

/// Asserts an API error: the status, the JSON shape, and a message mentioning `needle`.
#[track_caller]
pub fn assert_api_error(got: &(StatusCode, Value), status: u16, needle: &str) {
    assert_eq!(got.0.as_u16(), status, "unexpected status; body: {}", got.1);
    let msg = got.1["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.message in {}", got.1));
    assert!(
        got.1["error"]["code"].is_string(),
        "no error.code in {}",
        got.1
    );
    assert!(
        msg.to_lowercase().contains(&needle.to_lowercase()),
        "message {msg:?} does not mention {needle:?}"
    );
}
