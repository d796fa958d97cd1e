//! Single sign-on against a real OpenID Connect provider: `oidc-provider` from npm, run by Node
//! from tests/oidc/provider.mjs on a free port, one per test. People sign in through the
//! provider's own login and consent forms, driven like a browser would.
//!
//! Without Node or tests/oidc/node_modules (`npm ci --prefix tests/oidc`) these tests are
//! skipped with a notice — except in CI (CI=true), where that is a failure.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use serva_app::sso::{parse_mapping, Sso, SsoSettings};
use serva_domain::role::{Grant, RoleKind, TargetGroup};

use crate::harness::{App, Backend, Browser};

const CLIENT_ID: &str = "serva-test";
const CLIENT_SECRET: &str = "serva-test-secret";
const PROVIDER_NAME: &str = "Testkommunens konto";

const MAPPING: &str = r#"
scopes = ["profile", "email", "groups"]

[[grant]]
group = "hr-handlaggare"
role = "agent"
unit = "HRS"

[[grant]]
group = "hr-chefer"
role = "unit_manager"
unit = "HRS"

[[grant]]
group = "uf-personal"
role = "customer"
unit = "UF"
target_group = "employee"

[[grant]]
group = "serva-admin"
role = "admin"
"#;

/// The identity provider, a Node process stopped when this is dropped.
pub struct Idp {
    pub issuer: String,
    child: Child,
    http: reqwest::Client,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn oidc_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc")
}

/// Skips outside CI when Node or the provider's package is missing; fails in CI.
fn provider_available() -> bool {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let package = oidc_dir().join("node_modules/oidc-provider").is_dir();
    if node && package {
        return true;
    }
    let why = if node {
        "tests/oidc/node_modules is missing (npm ci --prefix tests/oidc)"
    } else {
        "node is not installed"
    };
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("single sign-on tests need the OpenID provider: {why}");
    }
    eprintln!("note: single sign-on test skipped: {why}");
    false
}

impl Idp {
    /// Starts the provider with Serva's callback registered; `None` when it cannot run here.
    pub fn start(redirect_uri: &str) -> Option<Idp> {
        if !provider_available() {
            return None;
        }
        let mut child = Command::new("node")
            .arg(oidc_dir().join("provider.mjs"))
            .args(["--redirect-uri", redirect_uri])
            .args(["--client-id", CLIENT_ID])
            .args(["--client-secret", CLIENT_SECRET])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start node tests/oidc/provider.mjs");
        let stdout = child.stdout.take().unwrap();
        // What the provider says on stderr, to tell why it did not start.
        let stderr = child.stderr.take().unwrap();
        let said = Arc::new(std::sync::Mutex::new(String::new()));
        let keep = said.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !line.contains("WARNING") {
                    let mut s = keep.lock().unwrap();
                    s.push_str(&line);
                    s.push('\n');
                }
            }
        });
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(issuer) = line.strip_prefix("listening ") {
                    let _ = tx.send(issuer.to_string());
                }
            }
        });
        // Generous: on a loaded two-core machine Node takes its time to start.
        let issuer = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|e| {
                let _ = child.kill();
                panic!(
                    "the OpenID provider did not start ({e}): {}",
                    said.lock().unwrap()
                )
            });
        Some(Idp {
            issuer,
            child,
            http: reqwest::Client::new(),
        })
    }

    /// Makes or changes an account at the provider.
    pub async fn account(&self, id: &str, claims: Value) {
        let r = self
            .http
            .put(format!("{}/__test/accounts/{id}", self.issuer))
            .json(&claims)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }

    /// Replaces the provider's signing key; answers the new key's id.
    pub async fn rotate(&self) -> String {
        let r: Value = self
            .http
            .post(format!("{}/__test/rotate", self.issuer))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["kid"].as_str().unwrap().to_string()
    }
}

fn settings(issuer: &str, base: &str) -> SsoSettings {
    SsoSettings {
        issuer: issuer.to_string(),
        client_id: CLIENT_ID.into(),
        client_secret: Some(CLIENT_SECRET.into()),
        redirect_url: format!("{base}/login/sso/callback"),
        name: PROVIDER_NAME.into(),
        mapping: parse_mapping(MAPPING, false).unwrap(),
        key_refresh: Duration::from_secs(3600),
    }
}

/// A fresh server with single sign-on through a fresh provider.
pub async fn boot(backend: Backend) -> Option<(App, Idp)> {
    let mut idp = None;
    let app = App::boot_with(backend, |base| {
        idp = Idp::start(&format!("{base}/login/sso/callback"));
        let mut config = serva::Config::default();
        if let Some(idp) = &idp {
            config.sso = Some(Arc::new(Sso::new(settings(&idp.issuer, base)).unwrap()));
        }
        config
    })
    .await?;
    Some((app, idp?))
}

/// Runs a test body with `app` and `idp` on SQLite and, when configured, PostgreSQL.
macro_rules! sso_dual {
    ($name:ident, |$app:ident, $idp:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let Some(($app, $idp)) = boot(Backend::Sqlite).await else {
                    return;
                };
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if crate::harness::pg_url().is_none() {
                    eprintln!("PostgreSQL not configured (TEST_DATABASE_URL); skipped");
                    return;
                }
                let Some(($app, $idp)) = boot(Backend::Postgres).await else {
                    return;
                };
                $body
            }
        }
    };
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

fn query_param(url: &str, name: &str) -> Option<String> {
    reqwest::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The first form of a page: its action and its fields' names and values.
fn form_of(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(tag[at..].split('"').next()?.replace("&amp;", "&"))
    };
    let start = html.find("<form")?;
    let end = html[start..].find("</form>")? + start;
    let form = &html[start..end];
    let action = attr(&form[..form.find('>')?], "action")?;
    let mut fields = Vec::new();
    for input in form.split("<input").skip(1) {
        let tag = &input[..input.find('>').unwrap_or(input.len())];
        if let Some(name) = attr(tag, "name") {
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    Some((action, fields))
}

/// Starts a sign-in on Serva: the provider's URL it sends the browser to.
async fn start(b: &Browser, next: &str) -> String {
    let r = b
        .client
        .get(format!(
            "{}/login/sso?next={}",
            b.base,
            next.replace('/', "%2F")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "GET /login/sso");
    location(&r)
}

/// Signs in at the provider as `login` through its own forms (login, then consent), following
/// its redirects until it sends the browser back to Serva: answers that callback URL.
async fn at_provider(b: &Browser, idp: &Idp, auth_url: &str, login: &str) -> String {
    assert!(
        auth_url.starts_with(&idp.issuer),
        "{auth_url} is not at the provider"
    );
    let mut next = auth_url.to_string();
    let mut post: Option<Vec<(String, String)>> = None;
    for _ in 0..12 {
        if next.starts_with(&b.base) {
            return next;
        }
        let req = match post.take() {
            Some(fields) => b.client.post(&next).form(&fields),
            None => b.client.get(&next),
        };
        let r = req.send().await.unwrap();
        let here = r.url().clone();
        if r.status().is_redirection() {
            next = here.join(&location(&r)).unwrap().to_string();
            continue;
        }
        let status = r.status();
        let html = r.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "at the provider: {html}");
        let (action, mut fields) =
            form_of(&html).unwrap_or_else(|| panic!("no form at the provider: {html}"));
        for (name, value) in fields.iter_mut() {
            match name.as_str() {
                "login" => *value = login.to_string(),
                "password" => *value = "any password".into(),
                _ => {}
            }
        }
        next = here.join(&action).unwrap().to_string();
        post = Some(fields);
    }
    panic!("the provider did not send the browser back to Serva");
}

/// Brings the provider's answer to Serva.
async fn finish(b: &Browser, callback: &str) -> reqwest::Response {
    b.client.get(callback).send().await.unwrap()
}

/// A whole sign-in as `login`, landing on `next`: the browser, now signed in.
async fn sign_in(app: &App, idp: &Idp, login: &str, next: &str) -> Browser {
    let b = app.browser();
    let auth = start(&b, next).await;
    let callback = at_provider(&b, idp, &auth, login).await;
    let r = finish(&b, &callback).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign-in as {login}");
    assert_eq!(location(&r), next);
    b
}

fn grant(role: RoleKind, unit: Option<i64>, tg: Option<TargetGroup>) -> Grant {
    Grant::new(role, unit.map(serva_domain::UnitId), tg).unwrap()
}

async fn unit(app: &App, code: &str) -> i64 {
    app.db.unit_by_code(code).await.unwrap().id.0
}

sso_dual!(
    first_sign_in_creates_the_account_with_grants_from_groups,
    |app, idp| {
        idp.account(
            "eva-sub-1",
            json!({"preferred_username": "eva.ek", "name": "Eva Ek", "email": "eva.ek@kommun.test",
               "groups": ["hr-handlaggare", "uf-personal", "nothing-mapped"]}),
        )
        .await;
        // The login page offers the provider, as a plain link.
        let b = app.browser();
        let (s, html) = b.get("/login?next=/queues").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Logga in med Testkommunens konto"), "{html}");
        assert!(
            html.contains("href=\"/login/sso?next=%2Fqueues\""),
            "{html}"
        );

        let b = sign_in(&app, &idp, "eva-sub-1", "/queues").await;
        let (s, html) = b.get("/queues").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Eva Ek"));

        let user = app.db.user_by_username("eva.ek").await.unwrap();
        assert_eq!(user.display_name, "Eva Ek");
        assert_eq!(user.email.as_deref(), Some("eva.ek@kommun.test"));
        assert!(app.db.has_provider_identity(user.id).await.unwrap());
        let hrs = unit(&app, "HRS").await;
        let uf = unit(&app, "UF").await;
        assert_eq!(
            app.db.grants_of(user.id).await.unwrap(),
            vec![
                grant(RoleKind::Agent, Some(hrs), None),
                grant(RoleKind::Customer, Some(uf), Some(TargetGroup::Employee)),
            ]
        );
        // Signing in again finds the same account: linked by (issuer, subject).
        sign_in(&app, &idp, "eva-sub-1", "/").await;
        assert_eq!(
            app.db
                .users()
                .await
                .unwrap()
                .iter()
                .filter(|u| u.username.starts_with("eva.ek"))
                .count(),
            1
        );

        // Someone else whose username (and e-mail) match a local account gets an account of their
        // own: never linked by username or e-mail.
        let admin = app.db.user_by_username("admin.sof").await.unwrap();
        let admin_grants = app.db.grants_of(admin.id).await.unwrap();
        idp.account(
            "imposter-sub",
            json!({"preferred_username": "admin.sof", "name": "Not the admin",
               "email": admin.email, "groups": []}),
        )
        .await;
        let b = sign_in(&app, &idp, "imposter-sub", "/account").await;
        let (_, html) = b.get("/account").await;
        assert!(html.contains("Not the admin"));
        let other = app.db.user_by_username("admin.sof-2").await.unwrap();
        assert_eq!(other.display_name, "Not the admin");
        assert!(app.db.grants_of(other.id).await.unwrap().is_empty());
        let admin_after = app.db.user_by_username("admin.sof").await.unwrap();
        assert_eq!(admin_after, admin);
        assert_eq!(app.db.grants_of(admin.id).await.unwrap(), admin_grants);
        assert!(!app.db.has_provider_identity(admin.id).await.unwrap());
    }
);

sso_dual!(
    a_later_sign_in_replaces_the_providers_grants_and_keeps_local_ones,
    |app, idp| {
        idp.account(
        "bo-sub",
        json!({"preferred_username": "bo.berg", "name": "Bo Berg", "groups": ["hr-handlaggare"]}),
    )
    .await;
        sign_in(&app, &idp, "bo-sub", "/").await;
        let bo = app.db.user_by_username("bo.berg").await.unwrap();
        let hrs = unit(&app, "HRS").await;
        // An administrator gives a role in Serva; it is local and stays.
        let admin = app.login("admin").await;
        let (s, _, _) = admin
            .post(
                &format!("/admin/users/{}/grants", bo.id.0),
                &[
                    ("role", "controller"),
                    ("role_unit", ""),
                    ("target_group", ""),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(
            app.db.grants_of(bo.id).await.unwrap(),
            vec![
                grant(RoleKind::Agent, Some(hrs), None),
                grant(RoleKind::Controller, None, None)
            ]
        );
        // The provider's groups change: the agent role goes, the manager role comes.
        idp.account(
            "bo-sub",
            json!({"preferred_username": "bo.berg", "name": "Bo Berg-Ek", "groups": ["hr-chefer"]}),
        )
        .await;
        let b = sign_in(&app, &idp, "bo-sub", "/catalogue").await;
        assert_eq!(
            app.db.grants_of(bo.id).await.unwrap(),
            vec![
                grant(RoleKind::Controller, None, None),
                grant(RoleKind::UnitManager, Some(hrs), None),
            ]
        );
        assert_eq!(
            app.db.provider_grants_of(bo.id).await.unwrap(),
            vec![grant(RoleKind::UnitManager, Some(hrs), None)]
        );
        assert_eq!(app.db.user(bo.id).await.unwrap().display_name, "Bo Berg-Ek");
        // The new role works at once: a unit manager manages the catalogue.
        let (s, _) = b.get("/catalogue").await;
        assert_eq!(s, StatusCode::OK);
        // No groups at all: the provider's grants go, the local one stays.
        idp.account(
            "bo-sub",
            json!({"preferred_username": "bo.berg", "name": "Bo Berg-Ek"}),
        )
        .await;
        sign_in(&app, &idp, "bo-sub", "/").await;
        assert_eq!(
            app.db.grants_of(bo.id).await.unwrap(),
            vec![grant(RoleKind::Controller, None, None)]
        );
        let log = app
            .db
            .audit_entries(&serva_store::audit::AuditFilter {
                entity: Some("user".into()),
                entity_id: Some(bo.id.0.to_string()),
                before_id: None,
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            log.iter().any(|e| e.action == "set_grants"
                && e.entity_id == bo.id.0.to_string()
                && e.after_json
                    .as_deref()
                    .is_some_and(|a| a.contains("sso_grants"))),
            "the provider's grant changes are audited"
        );
    }
);

sso_dual!(
    wrong_replayed_and_foreign_states_and_codes_are_refused,
    |app, idp| {
        idp.account(
            "cai-sub",
            json!({"preferred_username": "cai", "name": "Cai", "groups": []}),
        )
        .await;
        let b = app.browser();
        let auth = start(&b, "/account").await;
        let state = query_param(&auth, "state").unwrap();
        let callback = at_provider(&b, &idp, &auth, "cai-sub").await;
        assert_eq!(
            query_param(&callback, "state").as_deref(),
            Some(state.as_str())
        );
        let code = query_param(&callback, "code").unwrap();

        // A wrong state (the cookie holds the right one) is refused.
        let wrong = callback.replace(&format!("state={state}"), "state=forged-state");
        let r = finish(&b, &wrong).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let html = r.text().await.unwrap();
        assert!(html.contains("Inloggningen kunde inte slutföras"), "{html}");
        // The right answer in another browser (no state cookie) is refused: a sign-in finishes
        // only where it started.
        let r = finish(&app.browser(), &callback).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        // The right answer in the right browser works: the refusals above did not spend it.
        let r = finish(&b, &callback).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/account");

        // The same state again, with its cookie, is refused: the server took it.
        let replay = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(&callback)
            .header("cookie", format!("serva_sso_state={state}"))
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
        assert!(replay
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("serva_session=")));

        // The used code under a fresh, valid state is refused by the provider.
        let b2 = app.browser();
        let auth2 = start(&b2, "/").await;
        let state2 = query_param(&auth2, "state").unwrap();
        let r = finish(
            &b2,
            &format!(
                "{}/login/sso/callback?code={}&state={state2}",
                app.base, code
            ),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap().contains("kunde inte godtas"));
        let (s, _) = b2.get("/account").await;
        assert_eq!(s, StatusCode::SEE_OTHER, "no session came of it");

        // The person stopping at the provider: its error is shown, and the state is spent.
        let b3 = app.browser();
        let auth3 = start(&b3, "/").await;
        let state3 = query_param(&auth3, "state").unwrap();
        let r = finish(
            &b3,
            &format!(
                "{}/login/sso/callback?error=access_denied&state={state3}",
                app.base
            ),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap().contains("avbröt inloggningen"));
        let r = finish(
            &b3,
            &format!("{}/login/sso/callback?code=x&state={state3}", app.base),
        )
        .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
);

sso_dual!(an_id_token_with_another_nonce_is_refused, |app, idp| {
    idp.account(
        "dan-sub",
        json!({"preferred_username": "dan", "name": "Dan", "groups": ["serva-admin"]}),
    )
    .await;
    let b = app.browser();
    let auth = start(&b, "/").await;
    let nonce = query_param(&auth, "nonce").expect("the request carries a nonce");
    assert!(query_param(&auth, "code_challenge").is_some(), "PKCE");
    assert_eq!(
        query_param(&auth, "code_challenge_method").as_deref(),
        Some("S256")
    );
    // Someone swaps the nonce on the way to the provider: the ID token carries theirs.
    let tampered = auth.replace(&format!("nonce={nonce}"), "nonce=someone-elses-nonce");
    assert_ne!(tampered, auth);
    let callback = at_provider(&b, &idp, &tampered, "dan-sub").await;
    let r = finish(&b, &callback).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        app.db.user_by_username("dan").await.is_err(),
        "no account was made"
    );
    let (s, _) = b.get("/account").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
});

sso_dual!(
    passwords_are_off_for_sso_people_and_the_login_lock_does_not_stop_them,
    |app, idp| {
        idp.account(
            "eli-sub",
            json!({"preferred_username": "eli", "name": "Eli", "groups": ["serva-admin"]}),
        )
        .await;
        sign_in(&app, &idp, "eli-sub", "/").await;
        let eli = app.db.user_by_username("eli").await.unwrap();
        // The account was made without a password …
        let b = app.browser();
        assert_eq!(
            b.try_login("eli", "").await.status(),
            StatusCode::UNAUTHORIZED
        );
        // … an administrator cannot give one …
        let admin = app.login("admin").await;
        let (s, html, _) = admin
            .post(
                &format!("/admin/users/{}/password", eli.id.0),
                &[("password", "a long password")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("lösenord i Serva är avstängda"), "{html}");
        // … and a password put in the database behind Serva's back does not sign in either.
        app.db
            .set_password(None, eli.id, "a long password")
            .await
            .unwrap();
        let r = b.try_login("eli", "a long password").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        // Failed password logins lock the username's password login …
        let mut locked = false;
        for _ in 0..8 {
            if b.try_login("eli", "guess").await.status() == StatusCode::TOO_MANY_REQUESTS {
                locked = true;
                break;
            }
        }
        assert!(locked, "the password login locks after failures");
        // … but never the person's single sign-on.
        let b = sign_in(&app, &idp, "eli-sub", "/admin").await;
        let (s, _) = b.get("/admin").await;
        assert_eq!(s, StatusCode::OK);
    }
);

sso_dual!(
    a_new_signing_key_at_the_provider_is_fetched_when_a_token_names_it,
    |app, idp| {
        idp.account(
            "fia-sub",
            json!({"preferred_username": "fia", "name": "Fia", "groups": []}),
        )
        .await;
        sign_in(&app, &idp, "fia-sub", "/").await;
        // The provider rotates its key; the old one is gone from its JWKS at once. Serva fetched
        // the keys less than its refresh interval ago, so only the unknown `kid` makes it fetch.
        let before: Value = reqwest::get(format!("{}/jwks", idp.issuer))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let kid = idp.rotate().await;
        let after: Value = reqwest::get(format!("{}/jwks", idp.issuer))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_ne!(before["keys"][0]["kid"], after["keys"][0]["kid"]);
        assert_eq!(after["keys"][0]["kid"].as_str(), Some(kid.as_str()));
        let b = sign_in(&app, &idp, "fia-sub", "/account").await;
        let (s, html) = b.get("/account").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Fia"));
    }
);

/// The provider down: the failure never reaches the database, so SQLite alone tells.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_provider_is_said_so_and_passwords_still_work() {
    // A port nobody listens on: bound, then let go.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app = App::boot_with(Backend::Sqlite, |base| serva::Config {
        sso: Some(Arc::new(
            Sso::new(settings(&format!("http://{closed}"), base)).unwrap(),
        )),
        ..serva::Config::default()
    })
    .await
    .unwrap();
    let b = app.browser();
    let r = b
        .client
        .get(format!("{}/login/sso?next=/cases", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Inloggningstjänsten svarar inte just nu"),
        "{html}"
    );
    assert!(
        html.contains("name=\"password\""),
        "the password form is still there"
    );
    let r = b.try_login("chef.uf", "demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}
