//! Browser sessions: the idle timeout beside the 8-hour lifetime, the last request written
//! once a minute, and the person's page of sessions with "sign out everywhere".

use reqwest::{redirect, Client, StatusCode};

use crate::dual;
use crate::harness::{App, Browser};
use crate::tokens::{now_ms, sql};

const FIREFOX: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// A browser that says it is `user_agent`, signed in as `username`.
async fn login_as_browser(app: &App, username: &str, user_agent: &str) -> Browser {
    let mut b = Browser {
        base: app.base.clone(),
        client: Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .user_agent(user_agent)
            .build()
            .unwrap(),
        csrf: None,
    };
    let r = b.try_login(username, "demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    b.csrf = Some(b.csrf_token().await);
    b
}

async fn sessions(app: &App, username: &str) -> Vec<serva_domain::session::SessionInfo> {
    let user = app.db.user_by_username(username).await.unwrap();
    app.db.sessions_of(user.id, 30 * 60 * 1000).await.unwrap()
}

async fn age_sessions(app: &App, username: &str, last_seen_at: i64) {
    let user = app.db.user_by_username(username).await.unwrap();
    sql(
        app,
        &format!(
            "UPDATE sessions SET last_seen_at = {last_seen_at} WHERE user_id = {}",
            user.id
        ),
    )
    .await;
}

dual!(an_idle_session_ends, |app| {
    let b = app.login("chef.uf").await;
    assert_eq!(b.get("/cases").await.0, StatusCode::OK);
    // 29 minutes quiet: still signed in.
    age_sessions(&app, "chef.uf", now_ms() - 29 * 60 * 1000).await;
    assert_eq!(b.get("/cases").await.0, StatusCode::OK);
    // 31 minutes quiet: signed out, though the 8 hours are far from over.
    age_sessions(&app, "chef.uf", now_ms() - 31 * 60 * 1000).await;
    let (s, _) = b.get("/cases").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "an idle session is sent to login");
    let api_read = b
        .client
        .get(format!("{}/api/v1/me", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(api_read.status(), StatusCode::UNAUTHORIZED);
    assert!(sessions(&app, "chef.uf").await.is_empty());

    // The idle time is the server's setting: a server told 5 minutes refuses a session
    // quiet for 10 that the default server accepts.
    let raw = fresh_session(&app, "chef.uf").await;
    age_sessions(&app, "chef.uf", now_ms() - 10 * 60 * 1000).await;
    let config = serva::Config {
        session_idle: std::time::Duration::from_secs(5 * 60),
        ..serva::Config::default()
    };
    let (addr, strict) = serva::spawn("127.0.0.1:0", app.db.clone(), config)
        .await
        .unwrap();
    let get = |base: String| {
        let raw = raw.clone();
        async move {
            Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .unwrap()
                .get(format!("{base}/cases"))
                .header("cookie", format!("serva_session={raw}"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(get(format!("http://{addr}")).await, StatusCode::SEE_OTHER);
    assert_eq!(get(app.base.clone()).await, StatusCode::OK);
    strict.abort();
});

/// Signs in and returns the raw session id from the `Set-Cookie`.
async fn fresh_session(app: &App, username: &str) -> String {
    let r = app.browser().try_login(username, "demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|c| {
            c.to_str()
                .unwrap()
                .strip_prefix("serva_session=")
                .map(|v| v.split(';').next().unwrap().to_string())
        })
        .expect("a session cookie")
}

dual!(the_last_request_is_written_at_most_once_a_minute, |app| {
    let b = app.login("chef.uf").await;
    let seen = || async { sessions(&app, "chef.uf").await[0].last_seen_at };
    let half_minute_ago = now_ms() - 30_000;
    age_sessions(&app, "chef.uf", half_minute_ago).await;
    for _ in 0..3 {
        assert_eq!(b.get("/cases").await.0, StatusCode::OK);
    }
    assert_eq!(seen().await, half_minute_ago, "no write within the minute");
    let two_minutes_ago = now_ms() - 120_000;
    age_sessions(&app, "chef.uf", two_minutes_ago).await;
    let before = now_ms();
    assert_eq!(b.get("/cases").await.0, StatusCode::OK);
    assert!(seen().await >= before);
});

dual!(people_see_their_sessions_and_sign_out_elsewhere, |app| {
    let laptop = login_as_browser(&app, "chef.uf", FIREFOX).await;
    let phone = app.login("chef.uf").await;
    let other_person = app.login("admin").await;

    let (s, html) = phone.get("/account/sessions").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Firefox 128, Windows"), "{html}");
    assert!(html.contains("127.0.0.1"));
    assert!(html.contains("den här inloggningen"));
    assert!(html.contains("30 minuter utan aktivitet"));
    assert!(html.contains("även den här"), "says that this one ends too");
    let mine = sessions(&app, "chef.uf").await;
    assert_eq!(mine.len(), 2);
    let laptop_handle = mine
        .iter()
        .find(|s| s.user_agent.as_deref() == Some(FIREFOX))
        .unwrap()
        .handle
        .clone();
    // The page names sessions by handle, never by their id or its hash.
    assert!(html.contains(&format!("/account/sessions/{laptop_handle}/end")));

    // Nobody ends another person's session, nor a made-up one.
    let (s, _, _) = other_person
        .post(&format!("/account/sessions/{laptop_handle}/end"), &[])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = phone.post("/account/sessions/..%2Fx/end", &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(laptop.get("/cases").await.0, StatusCode::OK);

    // Signing out the laptop from the phone.
    let (s, _, location) = phone
        .post(&format!("/account/sessions/{laptop_handle}/end"), &[])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/account/sessions?ok=1"));
    assert_eq!(laptop.get("/cases").await.0, StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/cases").await.0, StatusCode::OK);

    // Signing out everywhere ends this session too.
    let laptop = login_as_browser(&app, "chef.uf", FIREFOX).await;
    let r = phone
        .client
        .post(format!("{}/account/sessions/end-all", phone.base))
        .form(&[("_csrf", phone.csrf.clone().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("serva_session=;"));
    assert_eq!(phone.get("/cases").await.0, StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/cases").await.0, StatusCode::SEE_OTHER);
    assert!(sessions(&app, "chef.uf").await.is_empty());
    assert_eq!(other_person.get("/cases").await.0, StatusCode::OK);
    // Audited, with the person as actor.
    let entries = app
        .db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("user".into()),
            entity_id: Some(
                app.db
                    .user_by_username("chef.uf")
                    .await
                    .unwrap()
                    .id
                    .to_string(),
            ),
            before_id: None,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == "revoke"
                && e.after_json.as_deref() == Some("{\"sessions_ended\":2}"))
    );
});

dual!(deactivation_ends_sessions, |app| {
    let admin = app.login("admin").await;
    let chef = app.login("chef.uf").await;
    let user = app.db.user_by_username("chef.uf").await.unwrap();
    let (s, _, _) = admin
        .post(
            &format!("/admin/users/{}", user.id),
            &[("display_name", user.display_name.as_str())],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(chef.get("/cases").await.0, StatusCode::SEE_OTHER);
    assert!(sessions(&app, "chef.uf").await.is_empty());
});

#[test]
fn the_idle_time_is_checked_when_serve_starts() {
    for minutes in ["0", "481", "soon"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_serva"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--session-idle-minutes",
                minutes,
            ])
            .env("SERVA_DATA", std::env::temp_dir().join("serva_idle_flag"))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{minutes}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--session-idle-minutes"), "{minutes}: {err}");
    }
}
