//! Personal API tokens under control: scopes each endpoint needs, expiry, the last use
//! written once a minute, revocation when a password is set or an account deactivated, and
//! administrators who list and revoke anyone's tokens (page and command line).

use reqwest::{Method, StatusCode};
use serde_json::json;
use serva_domain::token::{TokenRequest, TokenScope, TokenScopes};

use crate::dual;
use crate::harness::{assert_api_error, Api, App};

/// Runs one statement on the app's database beside the server, as an operator (or the clock)
/// might: ages a token or a session.
pub(crate) async fn sql(app: &App, statement: &str) {
    use sqlx::Connection;
    match &app.data_dir {
        Some(dir) => {
            use std::str::FromStr;
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(&format!(
                "sqlite:{}",
                dir.join("serva.db").display()
            ))
            .unwrap()
            .busy_timeout(std::time::Duration::from_secs(5));
            let mut c = sqlx::SqliteConnection::connect_with(&options)
                .await
                .unwrap();
            sqlx::query(statement).execute(&mut c).await.unwrap();
            c.close().await.ok();
        }
        None => {
            let mut c = sqlx::PgConnection::connect(&app.database_url())
                .await
                .unwrap();
            sqlx::query(statement).execute(&mut c).await.unwrap();
            c.close().await.ok();
        }
    }
}

pub(crate) fn now_ms() -> i64 {
    serva_domain::time::now_ms()
}

/// An API client with a fresh token of `username` that has `scopes` and lives `days`.
async fn api_with(app: &App, username: &str, scopes: TokenScopes, days: u32) -> Api {
    let user = app.db.user_by_username(username).await.unwrap();
    let req = TokenRequest {
        name: format!("test {scopes}"),
        scopes,
        days,
    };
    let token = app.db.create_token_with(None, user.id, &req).await.unwrap();
    client(app, token)
}

fn client(app: &App, token: String) -> Api {
    Api {
        base: app.base.clone(),
        client: reqwest::Client::new(),
        token: Some(token),
    }
}

/// The token a page shows once after it was created.
fn shown_token(html: &str) -> String {
    let at = html
        .find("<code>serva_")
        .expect("the new token is shown once")
        + "<code>".len();
    html[at..].split('<').next().unwrap().to_string()
}

dual!(a_read_token_only_reads, |app| {
    let read = api_with(&app, "admin", TokenScopes::of(&[TokenScope::Read]), 30).await;
    let (s, me) = read.get("/api/v1/me").await;
    assert_eq!(s, StatusCode::OK, "{me}");
    assert_eq!(me["scopes"], json!(["read"]));
    assert_eq!(read.get("/api/v1/cases").await.0, StatusCode::OK);
    let new_case = json!({ "service": "KL-FRAGA", "subject": "Fråga", "description": "Text" });
    let refused = read.post("/api/v1/cases", &new_case).await;
    assert_api_error(&refused, 403, "scope \"cases\"");
    assert_eq!(refused.1["error"]["code"], "missing_scope");
    assert_eq!(refused.1["error"]["details"]["scope"], "cases");
    assert_api_error(
        &read
            .raw(
                Method::POST,
                "/api/v1/imports/budget",
                "text/csv",
                b"x".to_vec(),
            )
            .await,
        403,
        "scope \"imports\"",
    );
    assert_api_error(
        &read
            .get("/api/v1/reports/interim?org=VSS&year=2019&through=2019-08-31")
            .await,
        403,
        "scope \"reports\"",
    );
    assert_api_error(
        &read
            .post(
                "/api/v1/reports/interim/approve",
                &json!({"org": "VSS", "year": 2019, "through": "2019-08-31"}),
            )
            .await,
        403,
        "scope \"reports\"",
    );

    // A cases token writes cases, but reads nothing it was not given.
    let cases = api_with(&app, "admin.sof", TokenScopes::of(&[TokenScope::Cases]), 30).await;
    let (s, case) = cases.post("/api/v1/cases", &new_case).await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let id = case["id"].as_i64().unwrap();
    let (s, m) = cases
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({ "body": "Mer information" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_api_error(
        &cases.get(&format!("/api/v1/cases/{id}")).await,
        403,
        "scope \"read\"",
    );
    // A token never does more than its owner may: admin.sof cannot approve reports.
    let everything = api_with(&app, "admin.sof", TokenScopes::all(), 30).await;
    let (s, _) = everything
        .post(
            "/api/v1/reports/interim/approve",
            &json!({"org": "VSS", "year": 2019, "through": "2019-08-31"}),
        )
        .await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );
});

/// Every operation of the document needs the scope its `security` names: refused with
/// `missing_scope` naming it by a token with every other scope, and never refused for a
/// scope by a token with just that one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_needs_the_scope_it_documents() {
    let app = App::boot(crate::harness::Backend::Sqlite).await.unwrap();
    let (s, doc) = app.anonymous_api().get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let scopes = op["security"][0]["bearer"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} names no scope"));
            assert_eq!(scopes.len(), 1, "{method} {path}: one scope");
            let scope = TokenScope::parse(scopes[0].as_str().unwrap())
                .unwrap_or_else(|| panic!("{method} {path}: unknown scope {scopes:?}"));
            if method == "get" {
                let expected = if path.starts_with("/api/v1/reports") {
                    TokenScope::Reports
                } else {
                    TokenScope::Read
                };
                assert_eq!(scope, expected, "GET {path}");
            }
            let concrete = path
                .replace("{id}", "1")
                .replace("{code}", "KL-FRAGA")
                .replace("{kind}", "budget");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let without = api_with(&app, "admin", TokenScopes::all().without(scope), 30).await;
            let got = without
                .raw(
                    method.clone(),
                    &concrete,
                    "application/json",
                    b"{}".to_vec(),
                )
                .await;
            assert_api_error(&got, 403, &format!("scope \"{scope}\""));
            assert_eq!(got.1["error"]["code"], "missing_scope", "{method} {path}");
            let only = api_with(&app, "admin", TokenScopes::of(&[scope]), 30).await;
            let got = only
                .raw(
                    method.clone(),
                    &concrete,
                    "application/json",
                    b"{}".to_vec(),
                )
                .await;
            assert_ne!(
                got.1["error"]["code"], "missing_scope",
                "{method} {path} with only {scope}: {}",
                got.1
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} operations");
}

dual!(tokens_expire, |app| {
    let api = api_with(&app, "admin", TokenScopes::all(), 1).await;
    let (s, _) = api.get("/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    let user = app.db.user_by_username("admin").await.unwrap();
    let t = &app.db.tokens_of(user.id).await.unwrap()[0];
    let day = 24 * 3600 * 1000;
    assert!((t.expires_at - t.created_at - day).abs() < 1000, "{t:?}");
    sql(
        &app,
        &format!(
            "UPDATE api_tokens SET expires_at = {} WHERE id = {}",
            now_ms() - 1,
            t.id
        ),
    )
    .await;
    let expired = api.get("/api/v1/me").await;
    assert_api_error(&expired, 401, "the API token has expired");
    assert_eq!(expired.1["error"]["code"], "token_expired");
    // A revoked token is not "expired": it is invalid.
    let other = api_with(&app, "admin", TokenScopes::all(), 30).await;
    let id = app.db.tokens_of(user.id).await.unwrap()[0].id;
    app.db.revoke_token(None, user.id, id).await.unwrap();
    assert_api_error(&other.get("/api/v1/me").await, 401, "invalid or revoked");

    // The owner sees when each expires, and which have.
    let b = app.login("admin").await;
    let (s, html) = b.get("/account").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Går ut") && html.contains("Har gått ut"),
        "{html}"
    );
});

dual!(the_account_page_makes_scoped_tokens_that_expire, |app| {
    let b = app.login("chef.uf").await;
    let (s, html) = b.get("/account").await;
    assert_eq!(s, StatusCode::OK);
    for scope in [
        "scope_read",
        "scope_cases",
        "scope_imports",
        "scope_reports",
    ] {
        assert!(html.contains(&format!("name=\"{scope}\"")), "{scope}");
    }
    assert!(html.contains("name=\"days\"") && html.contains("max=\"365\""));

    // Refusals are said next to their field, and the form keeps what was sent.
    let (s, html, _) = b
        .post("/account/tokens", &[("name", "Skript"), ("days", "30")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Välj minst en behörighet"), "{html}");
    assert!(html.contains("id=\"scopes-error\"") && html.contains("value=\"Skript\""));
    for days in ["0", "366", "ett år", "-5"] {
        let (s, html, _) = b
            .post(
                "/account/tokens",
                &[("name", "Skript"), ("scope_read", "on"), ("days", days)],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{days}");
        assert!(html.contains("1 till 365 dagar"), "{days}: {html}");
        assert!(html.contains("aria-invalid=\"true\""));
    }
    let (s, html, _) = b
        .post(
            "/account/tokens",
            &[("name", " "), ("scope_read", "on"), ("days", "5")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Ge nyckeln ett namn"));

    let (s, html, _) = b
        .post(
            "/account/tokens",
            &[
                ("name", "Rapportskript"),
                ("scope_read", "on"),
                ("scope_reports", "on"),
                ("days", "7"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let secret = shown_token(&html);
    let api = client(&app, secret.clone());
    let (s, me) = api.get("/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["scopes"], json!(["read", "reports"]));
    assert_api_error(
        &api.post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "x", "description": "y" }),
        )
        .await,
        403,
        "\"cases\"",
    );
    let user = app.db.user_by_username("chef.uf").await.unwrap();
    let t = &app.db.tokens_of(user.id).await.unwrap()[0];
    assert_eq!(t.name, "Rapportskript");
    assert!((t.expires_at - t.created_at - 7 * 24 * 3600 * 1000).abs() < 1000);
    // The page lists the token with its scopes, expiry and last use, never its secret.
    let (_, html) = b.get("/account").await;
    assert!(html.contains("Läsa, Rapporter") && html.contains("Senast använd"));
    assert!(!html.contains(&secret), "the secret is shown only once");
});

dual!(last_use_is_written_at_most_once_a_minute, |app| {
    let api = api_with(&app, "admin", TokenScopes::all(), 30).await;
    let user = app.db.user_by_username("admin").await.unwrap();
    let token = || async { app.db.tokens_of(user.id).await.unwrap()[0].clone() };
    assert_eq!(token().await.last_used_at, None);
    let before = now_ms();
    assert_eq!(api.get("/api/v1/me").await.0, StatusCode::OK);
    let first = token().await.last_used_at.expect("the use is written");
    assert!(first >= before);
    // Used again within the minute: nothing is written.
    for _ in 0..3 {
        assert_eq!(api.get("/api/v1/me").await.0, StatusCode::OK);
    }
    assert_eq!(token().await.last_used_at, Some(first));
    let id = token().await.id;
    let half_minute_ago = now_ms() - 30_000;
    sql(
        &app,
        &format!("UPDATE api_tokens SET last_used_at = {half_minute_ago} WHERE id = {id}"),
    )
    .await;
    assert_eq!(api.get("/api/v1/me").await.0, StatusCode::OK);
    assert_eq!(token().await.last_used_at, Some(half_minute_ago));
    let two_minutes_ago = now_ms() - 120_000;
    sql(
        &app,
        &format!("UPDATE api_tokens SET last_used_at = {two_minutes_ago} WHERE id = {id}"),
    )
    .await;
    let before = now_ms();
    assert_eq!(api.get("/api/v1/cases").await.0, StatusCode::OK);
    assert!(token().await.last_used_at.unwrap() >= before);
});

dual!(a_new_password_or_deactivation_revokes_tokens, |app| {
    let admin = app.login("admin").await;
    let agent = app.api("handlaggare.kontakt").await;
    let agent_session = app.login("handlaggare.kontakt").await;
    assert_eq!(agent.get("/api/v1/me").await.0, StatusCode::OK);
    let id = app
        .db
        .user_by_username("handlaggare.kontakt")
        .await
        .unwrap()
        .id;
    let (s, _, _) = admin
        .post(
            &format!("/admin/users/{id}/password"),
            &[("password", "ett-nytt-losenord")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_api_error(&agent.get("/api/v1/me").await, 401, "invalid or revoked");
    assert_eq!(agent_session.get("/cases").await.0, StatusCode::SEE_OTHER);
    assert!(app.db.tokens_of(id).await.unwrap()[0].revoked_at.is_some());

    // Deactivating revokes for good: turning the account on again brings no token back.
    let customer = app.api("admin.sof").await;
    let sof = app.db.user_by_username("admin.sof").await.unwrap();
    let set_active = |active: bool| {
        let mut fields = vec![("display_name", sof.display_name.as_str())];
        if active {
            fields.push(("active", "true"));
        }
        let admin = &admin;
        let path = format!("/admin/users/{}", sof.id);
        async move { admin.post(&path, &fields).await.0 }
    };
    assert_eq!(set_active(false).await, StatusCode::SEE_OTHER);
    assert_eq!(customer.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(set_active(true).await, StatusCode::SEE_OTHER);
    assert_api_error(&customer.get("/api/v1/me").await, 401, "invalid or revoked");
    // Both are in the audit log, with what they ended.
    let entries = app
        .db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("user".into()),
            entity_id: None,
            before_id: None,
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(entries.iter().any(|e| e.action == "set_password"
        && e.after_json
            .as_deref()
            .unwrap_or("")
            .contains("\"tokens_revoked\":1")));
    assert!(entries.iter().any(|e| e.action == "revoke"
        && e.entity_id == sof.id.to_string()
        && e.after_json
            .as_deref()
            .unwrap_or("")
            .contains("\"tokens_revoked\":1")));
});

dual!(administrators_list_and_revoke_anyones_tokens, |app| {
    let chef = app.login("chef.uf").await;
    let (s, html, _) = chef
        .post(
            "/account/tokens",
            &[
                ("name", "Månadsimport"),
                ("scope_imports", "on"),
                ("days", "60"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let secret = shown_token(&html);
    let api = client(&app, secret.clone());
    let chef_id = app.db.user_by_username("chef.uf").await.unwrap().id;
    let token_id = app.db.tokens_of(chef_id).await.unwrap()[0].id;

    // To anyone but an administrator the pages do not exist.
    assert_eq!(chef.get("/admin/tokens").await.0, StatusCode::NOT_FOUND);
    let (s, _, _) = chef
        .post(&format!("/admin/tokens/{token_id}/revoke"), &[])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let admin = app.login("admin").await;
    let (s, html) = admin.get("/admin/tokens").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Månadsimport") && html.contains("chef.uf"));
    assert!(!html.contains(&secret));
    let (s, html) = admin.get(&format!("/admin/tokens?user={chef_id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Månadsimport") && html.contains("Importer"));
    assert!(html.contains("Aldrig"), "never used yet");
    let (_, user_page) = admin.get(&format!("/admin/users/{chef_id}")).await;
    assert!(user_page.contains(&format!("/admin/tokens?user={chef_id}")));
    assert_eq!(
        admin.get("/admin/tokens?user=abc").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin.get("/admin/tokens?user=999999").await.0,
        StatusCode::NOT_FOUND
    );

    // The token works until an administrator revokes it.
    let (s, body) = api
        .raw(
            Method::POST,
            "/api/v1/imports/nope",
            "text/csv",
            b"x".to_vec(),
        )
        .await;
    assert_ne!(s, StatusCode::UNAUTHORIZED, "{body}");
    let (s, _, location) = admin
        .post(
            &format!("/admin/tokens/{token_id}/revoke"),
            &[("back", &chef_id.to_string())],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(format!("/admin/tokens?user={chef_id}&ok=1").as_str())
    );
    assert_api_error(
        &api.raw(
            Method::POST,
            "/api/v1/imports/budget",
            "text/csv",
            b"x".to_vec(),
        )
        .await,
        401,
        "invalid or revoked",
    );
    let (_, html) = admin.get(&format!("/admin/tokens?user={chef_id}")).await;
    assert!(html.contains("Återkallad"));
    let (_, html) = admin.get("/admin/tokens").await;
    assert!(
        !html.contains("Månadsimport"),
        "only working tokens by default"
    );
    // Revoking twice, or an unknown token: not found.
    let (s, _, _) = admin
        .post(&format!("/admin/tokens/{token_id}/revoke"), &[])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = admin.post("/admin/tokens/x/revoke", &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The revocation is audited with the administrator as actor.
    let admin_id = app.db.user_by_username("admin").await.unwrap().id;
    let entries = app
        .db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("api_token".into()),
            entity_id: Some(token_id.to_string()),
            before_id: None,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<(&str, Option<serva_domain::UserId>)> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.actor_id))
        .collect();
    assert_eq!(
        actions,
        vec![("revoke", Some(admin_id)), ("create", Some(chef_id))]
    );
});

fn serva(database: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_serva"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env("SERVA_LOG", "warn")
        .output()
        .unwrap()
}

dual!(the_command_line_lists_and_revokes_tokens, |app| {
    let url = app.database_url();
    let out = serva(
        &url,
        &[
            "token",
            "create",
            "--user",
            "admin.sof",
            "--name",
            "nattjobb",
            "--scopes",
            "read,cases",
            "--days",
            "14",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let api = client(
        &app,
        String::from_utf8(out.stdout).unwrap().trim().to_string(),
    );
    let (s, me) = api.get("/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["scopes"], json!(["read", "cases"]));

    let out = serva(&url, &["token", "list", "admin.sof"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = String::from_utf8(out.stdout).unwrap();
    assert!(
        listing.contains("nattjobb")
            && listing.contains("read,cases")
            && listing.contains("active"),
        "{listing}"
    );
    assert!(!listing.contains("serva_"));
    let id = app
        .db
        .tokens_of(app.db.user_by_username("admin.sof").await.unwrap().id)
        .await
        .unwrap()[0]
        .id;
    let out = serva(&url, &["token", "revoke", &id.to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_api_error(&api.get("/api/v1/me").await, 401, "invalid or revoked");
    let out = serva(&url, &["token", "list", "admin.sof"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("revoked"));

    // Clear refusals: an unknown scope, too long a life, a token revoked already, no user.
    for (args, needle) in [
        (
            vec!["token", "create", "--user", "admin", "--scopes", "admin"],
            "unknown scope",
        ),
        (
            vec!["token", "create", "--user", "admin", "--days", "400"],
            "1 to 365 days",
        ),
        (vec!["token", "revoke", &id.to_string()], "revoked already"),
        (vec!["token", "list", "nobody"], "user nobody"),
    ] {
        let out = serva(&url, &args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
});

/// Tokens made before scopes and expiry existed keep every scope and expire 90 days after
/// the upgrade: the migration's defaults, read back through the store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_tokens_keep_every_scope() {
    let app = App::boot(crate::harness::Backend::Sqlite).await.unwrap();
    let user = app.db.user_by_username("admin").await.unwrap();
    sql(
        &app,
        &format!(
            "INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at) \
             VALUES ({}, 'x', 'old', 0, {})",
            user.id,
            now_ms() + 1000
        ),
    )
    .await;
    let t = &app.db.tokens_of(user.id).await.unwrap()[0];
    assert_eq!(t.scopes, TokenScopes::all());
}
