//! The browser kit the browser tests share: headless Chromium from Debian's packages, driven over
//! the W3C WebDriver protocol through a ChromeDriver of the test's own, with axe-core (from the
//! npm registry, `tests/browser`) to inject. No WebDriver crate: the protocol is a few JSON calls.
//!
//! Skipped with a notice when Chromium, ChromeDriver or axe-core is missing — except in CI
//! (CI=true), where `.ci/run` installs them and their absence is a failure.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::App;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn axe_source() -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(p).ok()
}

/// What the browser tests need, or `None` (with a notice) outside CI.
pub fn prerequisites() -> Option<String> {
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
pub struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    pub async fn start() -> Driver {
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
pub struct Window {
    http: reqwest::Client,
    session: String,
}

impl Window {
    pub async fn open(driver: &Driver) -> Window {
        Window::open_in(driver, "sv-SE").await
    }

    /// A window whose browser speaks `lang` (e.g. `en-US`): its language and date formats.
    pub async fn open_in(driver: &Driver, lang: &str) -> Window {
        let http = reqwest::Client::new();
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", format!("--lang={lang}")],
                "prefs": { "intl.accept_languages": lang }
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

    pub async fn command(&self, path: &str, body: Value) -> Value {
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

    pub async fn go(&self, url: &str) {
        self.command("/url", json!({ "url": url })).await;
    }

    pub async fn script(&self, script: &str) -> Value {
        self.command("/execute/sync", json!({ "script": script, "args": [] }))
            .await
    }

    pub async fn set_cookie(&self, name: &str, value: &str) {
        self.command(
            "/cookie",
            json!({ "cookie": { "name": name, "value": value, "path": "/" } }),
        )
        .await;
    }

    /// The page as a phone `width` px wide would lay it out (0: back to the window).
    pub async fn width(&self, width: u32) {
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
    pub async fn axe(&self, axe: &str) -> Vec<String> {
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
    pub async fn overflow(&self, width: u32) -> Option<String> {
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

    /// The first element matching `css`, or a panic naming the selector and the page.
    pub async fn find(&self, css: &str) -> String {
        let r: Value = self
            .http
            .post(format!("{}/element", self.session))
            .json(&json!({ "using": "css selector", "value": css }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // The W3C WebDriver web element identifier (WebDriver §12.1).
        match r["value"]["element-6066-11e4-a52e-4f735466cecf"].as_str() {
            Some(id) => id.to_string(),
            None => {
                let url = self.script("return location.href").await;
                panic!("no element {css} on {url}: {}", r["value"]);
            }
        }
    }

    /// Types `text` into the field matching `css` (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.command(&format!("/element/{el}/clear"), json!({}))
            .await;
        self.command(&format!("/element/{el}/value"), json!({ "text": text }))
            .await;
    }

    /// Chooses the option whose value is `value` in the select matching `css`.
    pub async fn choose(&self, css: &str, value: &str) {
        let el = self.find(&format!("{css} option[value=\"{value}\"]")).await;
        self.command(&format!("/element/{el}/click"), json!({}))
            .await;
    }

    /// Clicks the element matching `css` (a button submits its form, as a person's click does).
    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.command(&format!("/element/{el}/click"), json!({}))
            .await;
    }

    /// Clicks the button matching `css` that submits a form, and waits (up to 10 s) until the
    /// page it leads to has loaded: a click returns before the next page is there.
    pub async fn submit(&self, css: &str) {
        self.script("window.__servaOld = true").await;
        self.click(css).await;
        for _ in 0..200 {
            let done = self
                .script("return typeof window.__servaOld === 'undefined' && document.readyState === 'complete'")
                .await;
            if done == Value::Bool(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{css} led to no new page within 10 s");
    }

    /// The visible text of the page's `main`.
    pub async fn main_text(&self) -> String {
        self.script("const m = document.querySelector('main'); return m ? m.innerText : document.body.innerText")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The path (and query) the window shows.
    pub async fn path(&self) -> String {
        self.script("return location.pathname + location.search")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Signed in as a demo user (a session made in the database, set as the browser's cookie).
    pub async fn sign_in(&self, app: &App, username: &str) {
        self.go(&format!("{}/login", app.base)).await;
        let user = app.db.user_by_username(username).await.unwrap();
        let s = app.db.create_session(user.id).await.unwrap();
        self.set_cookie("serva_session", &s.raw_id).await;
    }

    /// No WCAG 2.1 A/AA violation that axe finds, and reflow at 390 px: the problems, one line
    /// each, prefixed with `label`.
    pub async fn check(&self, axe: &str, label: &str) -> Vec<String> {
        let mut problems: Vec<String> = self
            .axe(axe)
            .await
            .into_iter()
            .map(|v| format!("{label}: {v}"))
            .collect();
        if let Some(o) = self.overflow(390).await {
            problems.push(format!("{label} at 390 px: {o}"));
        }
        problems
    }

    pub async fn close(self) {
        let _ = self.http.delete(&self.session).send().await;
    }
}
