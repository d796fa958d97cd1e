//! In a real browser: headless Chromium from Debian's packages, driven over the W3C WebDriver
//! protocol through ChromeDriver, with axe-core (from the npm registry, `tests/browser`)
//! injected into every page. Each demo role walks its pages; every page must have no WCAG 2.1
//! A/AA violation that axe finds, and must reflow at 390 and 320 px (WCAG 1.4.10): nothing wider
//! than the screen except inside a container that scrolls on its own.
//!
//! Skipped with a notice when Chromium, ChromeDriver or axe-core is missing — except in CI
//! (CI=true), where `.ci/run` installs them and their absence is a failure.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{App, Backend};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn axe_source() -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(p).ok()
}

/// What the browser tests need, or `None` (with a notice) outside CI.
fn prerequisites() -> Option<String> {
    let missing: Vec<&str> = [
        (!std::path::Path::new(CHROMIUM).exists()).then_some("chromium (apt-get install chromium)"),
        (!std::path::Path::new(CHROMEDRIVER).exists())
            .then_some("chromedriver (apt-get install chromium-driver)"),
        axe_source()
            .is_none()
            .then_some("axe-core (npm ci --prefix tests/browser)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() {
        return axe_source();
    }
    let why = format!("browser tests need {}", missing.join(", "));
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{why}; .ci/run installs them");
    }
    eprintln!("{why}; skipped");
    None
}

/// A ChromeDriver of its own on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start() -> Driver {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        // Made first, so that it is stopped (dropped) however the wait below ends.
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{}/status", driver.url)).send().await {
                if r.status().is_success() {
                    return driver;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not answer on port {port}");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser window, spoken to in WebDriver's JSON.
struct Window {
    http: reqwest::Client,
    session: String,
}

impl Window {
    async fn open(driver: &Driver) -> Window {
        let http = reqwest::Client::new();
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--lang=sv-SE"],
                "prefs": { "intl.accept_languages": "sv-SE,sv" }
            }
        }}});
        let r: Value = http
            .post(format!("{}/session", driver.url))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {r}"))
            .to_string();
        Window {
            http,
            session: format!("{}/session/{session}", driver.url),
        }
    }

    async fn command(&self, path: &str, body: Value) -> Value {
        let r: Value = self
            .http
            .post(format!("{}{path}", self.session))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if r["value"]["error"].is_string() {
            panic!("WebDriver {path}: {}", r["value"]);
        }
        r["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.command("/url", json!({ "url": url })).await;
    }

    async fn script(&self, script: &str) -> Value {
        self.command("/execute/sync", json!({ "script": script, "args": [] }))
            .await
    }

    async fn set_cookie(&self, name: &str, value: &str) {
        self.command(
            "/cookie",
            json!({ "cookie": { "name": name, "value": value, "path": "/" } }),
        )
        .await;
    }

    /// The page as a phone `width` px wide would lay it out (0: back to the window).
    async fn width(&self, width: u32) {
        let (cmd, params) = if width == 0 {
            ("Emulation.clearDeviceMetricsOverride", json!({}))
        } else {
            (
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": 800, "deviceScaleFactor": 1, "mobile": true }),
            )
        };
        self.command("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
            .await;
    }

    /// axe's WCAG 2.1 A/AA violations on the page, one line each.
    async fn axe(&self, axe: &str) -> Vec<String> {
        if self.script("return typeof axe").await != "object" {
            self.script(axe).await;
        }
        let v = self
            .command(
                "/execute/async",
                json!({ "script": "const done = arguments[arguments.length - 1];
                    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                      .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                          v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
                      .catch(e => done(['axe failed: ' + e]));", "args": [] }),
            )
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// What sticks out of a `width` px screen: the widest elements that make the page scroll
    /// sideways, outside any container that scrolls on its own.
    async fn overflow(&self, width: u32) -> Option<String> {
        self.width(width).await;
        let v = self
            .script(
                "const w = document.documentElement.clientWidth;
                 if (document.documentElement.scrollWidth <= w) return null;
                 // Inside a container that scrolls on its own and itself fits the screen.
                 const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
                     const o = getComputedStyle(p).overflowX;
                     if ((o === 'auto' || o === 'scroll' || o === 'hidden') && p.getBoundingClientRect().right <= w + 1) return true; }
                   return false; };
                 const wide = [...document.body.querySelectorAll('*')]
                   .filter(e => e.getBoundingClientRect().right > w + 1 && !scrolls(e))
                   .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))
                   .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                     (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
                     ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
                 // Else what holds content wider than itself without scrolling it.
                 const holders = wide.length ? [] : [...document.body.querySelectorAll('*')]
                   .filter(e => e.scrollWidth > e.clientWidth + 1 && !['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
                   .slice(-3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' holds ' + e.scrollWidth + 'px');
                 return document.documentElement.scrollWidth + 'px wide: ' + wide.concat(holders).join(', ');",
            )
            .await;
        self.width(0).await;
        v.as_str().map(str::to_string)
    }

    async fn close(self) {
        let _ = self.http.delete(&self.session).send().await;
    }
}

/// The pages a person of each demo role works in.
fn journeys(case: i64) -> Vec<(Option<&'static str>, Vec<String>)> {
    let own = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    vec![
        (None, own(&["/login", "/kontakt", "/chat"])),
        (
            Some("admin.sof"),
            vec![
                "/portal".into(),
                "/portal/services/KL-FRAGA".into(),
                "/cases".into(),
                format!("/cases/{case}"),
                "/account".into(),
            ],
        ),
        (
            Some("handlaggare.kontakt"),
            vec![
                "/work".into(),
                "/queues".into(),
                "/queues/KL".into(),
                "/queues/KL?sort=due&status=active".into(),
                format!("/cases/{case}"),
                "/contacts/new".into(),
                "/contacts/new?service=KL-FRAGA".into(),
                "/queues/KL/chats".into(),
                "/queues/KL/phone".into(),
                "/help/keys".into(),
            ],
        ),
        (
            Some("chef.kontakt"),
            own(&["/units/KL/overview", "/units/KL/surveys"]),
        ),
        (Some("chef.uf"), own(&["/cases", "/customers/UF/overview"])),
        (
            Some("controller"),
            own(&[
                "/followup",
                "/reports",
                "/reports/interim?org=VSS&year=2019&through=2019-08-31",
            ]),
        ),
        (
            Some("admin"),
            own(&[
                "/admin",
                "/admin/users",
                "/admin/units",
                "/admin/audit",
                "/admin/mail",
                "/admin/outbox",
                "/admin/calendars",
                "/admin/calendars/KL",
                "/admin/queues",
                "/catalogue",
                "/catalogue/KL-FRAGA/edit",
                "/imports",
            ]),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_s_pages_pass_axe_and_reflow_at_390_and_320_px() {
    let Some(axe) = prerequisites() else {
        return;
    };
    let app = App::boot(Backend::Sqlite).await.unwrap();
    // Cases to list and open: a department's orders, one of them with a reply.
    let customer = app.api("admin.sof").await;
    let mut case = 0;
    for subject in [
        "Fråga om fakturan för hemtjänst i maj",
        "Adressändring",
        "Parkeringstillstånd",
    ] {
        let (status, c) = customer
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": subject,
                         "description": "Hej! Jag undrar över detta, med en längre text som får radbrytas på en smal skärm." }),
            )
            .await;
        assert_eq!(status, 201, "{c}");
        case = c["id"].as_i64().unwrap();
    }

    let driver = Driver::start().await;
    let mut problems = Vec::new();
    let mut pages = 0;
    for (who, paths) in journeys(case) {
        let w = Window::open(&driver).await;
        w.go(&format!("{}/login", app.base)).await;
        if let Some(username) = who {
            let user = app.db.user_by_username(username).await.unwrap();
            let s = app.db.create_session(user.id).await.unwrap();
            w.set_cookie("serva_session", &s.raw_id).await;
        }
        let who = who.unwrap_or("anonymous");
        for path in paths {
            w.go(&format!("{}{path}", app.base)).await;
            let title = w.script("return document.title").await;
            let heading = w
                .script(
                    "const h = document.querySelector('main h1'); return h ? h.textContent : null",
                )
                .await;
            // A page that is not there (or not this person's) would pass axe without testing
            // anything.
            if heading.is_null() || title.as_str().unwrap_or("").contains("finns inte") {
                problems.push(format!("{who} {path}: no page ({title})"));
                continue;
            }
            pages += 1;
            for v in w.axe(&axe).await {
                problems.push(format!("{who} {path}: {v}"));
            }
            for width in [390, 320] {
                if let Some(o) = w.overflow(width).await {
                    problems.push(format!("{who} {path} at {width} px: {o}"));
                }
            }
        }
        w.close().await;
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) on {pages} pages:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(pages >= 30, "only {pages} pages were checked");
}
