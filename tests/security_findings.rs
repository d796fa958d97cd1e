//! The smaller findings of the security review (issue 14), each reproduced against the real
//! server: a typed indicator period that broke the report, internal notes on the customer's
//! case page, a unit manager reading the whole administration's follow-up, customers setting
//! the channel, `/metrics` open to anyone with a series per method name, and files anyone on
//! the machine could read.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use serva_app::followup::IndicatorValueInput;
use serva_app::{App as Serva, AppError};
use serva_domain::followup::Gender;
use serva_domain::refusal::Refusal;
use serva_domain::report::ReportParams;

use crate::dual;
use crate::harness::{assert_api_error, METRICS_TOKEN};

const HIDDEN: [(&str, &str); 3] = [("org", "VSS"), ("year", "2019"), ("through", "2019-08-31")];
const REPORT: &str = "org=VSS&year=2019&through=2019-08-31";

/// An en dash after a year: four digits and seven bytes, which the follow-up form's own check
/// took for a month.
const DASHED: &str = "2018–";

dual!(
    an_indicator_period_is_checked_by_the_rule_imports_use,
    |app| {
        let chef = app.login("chef.vss").await;
        let value = |period: &'static str| {
            let mut form = HIDDEN.to_vec();
            form.extend([
                ("indicator", "VSS-IND-04"),
                ("period", period),
                ("gender", "T"),
                ("value", "81"),
            ]);
            form
        };
        for bad in [
            DASHED,
            "2019-13",
            "2019-W3",
            "2019–08",
            "20190",
            "2019-08-32",
        ] {
            let (s, html, _) = chef.post("/followup/indicators", &value(bad)).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?} was taken");
            assert!(
                html.contains("Perioden ska vara ett år (2019)"),
                "{bad:?}: the page says what a period is"
            );
        }
        for good in ["2019", "2019-08", "2019-W35", "2019-08-31", " 2019-07 "] {
            let (s, _, _) = chef.post("/followup/indicators", &value(good)).await;
            assert_eq!(s, StatusCode::SEE_OTHER, "{good:?} was refused");
        }

        // The application layer says it to every caller, not only to the page.
        let user = app.db.user_by_username("chef.vss").await.unwrap();
        let head = app.db.principal(&user).await.unwrap();
        let q = ReportParams::parse(Some("VSS"), Some("2019"), Some("2019-08-31")).unwrap();
        let input = IndicatorValueInput {
            period: DASHED.into(),
            gender: Gender::Total,
            value: Some(1.0),
            target: None,
        };
        let got = Serva::new(app.db.clone())
            .set_indicator_value(&head, &q, "VSS-IND-04", &input)
            .await;
        assert!(
            matches!(got, Err(AppError::Refused(Refusal::IndicatorPeriod))),
            "{got:?}"
        );
    }
);

dual!(a_stored_bad_period_still_renders_the_report, |app| {
    // A value stored before the rule (or by anything that went around it).
    let vss = app.db.report_unit_by_code("VSS").await.unwrap();
    let indicators = app.db.indicator_entries(vss.id).await.unwrap();
    let ind = indicators.iter().find(|i| i.code == "VSS-IND-04").unwrap();
    // The dash, and other shapes the old form check let through or nothing checks here:
    // several bytes where the month's digits or the week's `W` are looked for.
    for (i, period) in [DASHED, "2018-å", "2019-W–", "2019-–8", "20€9", "2019-99"]
        .into_iter()
        .enumerate()
    {
        app.db
            .set_indicator_value(None, ind.id, period, Gender::Total, Some(i as f64), None)
            .await
            .unwrap();
    }

    let chef = app.login("chef.vss").await;
    let api = app.api("chef.vss").await;
    let read_all = || async {
        let (s, page) = chef.get(&format!("/reports/interim?{REPORT}")).await;
        assert_eq!(s, StatusCode::OK, "the report page");
        assert!(page.contains(DASHED), "the page shows the period as stored");
        let (s, html) = chef
            .get(&format!("/api/v1/reports/interim?{REPORT}&format=html"))
            .await;
        assert_eq!(s, StatusCode::OK, "the HTML document");
        assert!(html.contains(DASHED));
        let (s, docx) = chef
            .get(&format!("/api/v1/reports/interim?{REPORT}&format=docx"))
            .await;
        assert_eq!(s, StatusCode::OK, "the Word document: {docx}");
        let (s, json) = api.get(&format!("/api/v1/reports/interim?{REPORT}")).await;
        assert_eq!(s, StatusCode::OK, "{json}");
        json
    };
    let live = read_all().await;
    assert_eq!(live["meta"]["status"], "draft");

    // Approved and frozen with the value in it: the frozen document renders too.
    let (s, _, _) = chef.post("/reports/interim/approve", &HIDDEN).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let frozen = read_all().await;
    assert_eq!(frozen["meta"]["status"], "approved");
});

dual!(
    customers_do_not_see_that_an_internal_note_was_written,
    |app| {
        let customer = app.api("admin.sof").await;
        let (s, case) = customer
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": "Parkering", "description": "Var?" }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        let id = case["id"].as_i64().unwrap();
        let agent = app.api("handlaggare.kontakt").await;
        let (s, _) = agent
            .post(
                &format!("/api/v1/cases/{id}/messages"),
                &json!({ "body": "Kunden har frågat förut", "internal": true }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);

        let path = format!("/cases/{id}");
        let (s, page) = app.login("handlaggare.kontakt").await.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("skrev en intern anteckning"),
            "the provider's side sees the note in the history"
        );
        for who in ["admin.sof", "chef.sof"] {
            let (s, page) = app.login(who).await.get(&path).await;
            assert_eq!(s, StatusCode::OK, "{who}");
            assert!(
                !page.contains("intern anteckning") && !page.contains("Kunden har frågat förut"),
                "{who} sees that a note was written"
            );
        }
        // The API, by the same rule.
        let (_, hist) = customer.get(&format!("/api/v1/cases/{id}/history")).await;
        assert!(hist["history"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] != "note"));
    }
);

dual!(a_unit_manager_sees_only_their_own_units_follow_up, |app| {
    // The head of VSS writes what the administration's follow-up holds.
    let head = app.login("chef.vss").await;
    let mut kl = HIDDEN.to_vec();
    kl.extend([
        ("unit", "KL"),
        ("revenue", "1 000 000"),
        ("cost", "900 000"),
        ("comment", "Prognos som bara KL och ledningen ser"),
    ]);
    assert_eq!(
        head.post("/followup/forecasts", &kl).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, html) = head.get("/followup/goals").await;
    let at = html.find("action=\"/followup/goals/").unwrap() + "action=\"/followup/goals/".len();
    let goal: String = html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let mut assess = HIDDEN.to_vec();
    assess.extend([
        ("assessment", "partly_met"),
        ("analysis", "Analys som bara ledningen ser"),
    ]);
    assert_eq!(
        head.post(&format!("/followup/goals/{goal}"), &assess)
            .await
            .0,
        StatusCode::SEE_OTHER
    );
    let html = head.get("/followup/forecasts").await.1 + &head.get("/followup/goals").await.1;
    assert!(html.contains("Prognos som bara KL") && html.contains("Analys som bara ledningen"));

    // LKDATA's manager: their own unit's forecast, nothing of the siblings or the whole.
    let lk = app.login("chef.lkdata").await;
    let (s, html) = lk.get("/followup/forecasts").await;
    assert_eq!(s, StatusCode::OK);
    let html = html + &lk.get("/followup").await.1;
    assert!(
        html.contains("id=\"rev-LKDATA\""),
        "their own forecast form"
    );
    for secret in [
        "Prognos som bara KL",
        "Analys som bara ledningen",
        "Kontakt Linköping",
        "/followup/texts/",
        "/reports/interim?",
    ] {
        assert!(!html.contains(secret), "chef.lkdata sees {secret:?}");
    }
    // A controller and an administrator see everything.
    for who in ["controller", "admin"] {
        let b = app.login(who).await;
        let html = b.get("/followup/forecasts").await.1 + &b.get("/followup/goals").await.1;
        assert!(
            html.contains("Prognos som bara KL") && html.contains("Analys som bara ledningen"),
            "{who}"
        );
    }
});

dual!(only_the_providers_agents_set_the_channel, |app| {
    let customer = app.api("admin.sof").await;
    let order = |channel: Option<&str>| {
        let mut b = json!({ "service": "KL-FRAGA", "subject": "Fråga", "description": "Hur?" });
        if let Some(c) = channel {
            b["channel"] = json!(c);
        }
        b
    };
    for c in ["phone", "visit", "email", "chat"] {
        let got = customer.post("/api/v1/cases", &order(Some(c))).await;
        assert_api_error(&got, 422, "channel");
    }
    for c in [None, Some("web")] {
        let (s, case) = customer.post("/api/v1/cases", &order(c)).await;
        assert_eq!(s, StatusCode::CREATED, "{c:?}: {case}");
        assert_eq!(case["channel"], "web");
    }
    // The provider's agent registers a phone call, as before.
    let agent = app.api("handlaggare.kontakt").await;
    let mut call = order(Some("phone"));
    call["requester_name"] = json!("Eva Invånare");
    let (s, case) = agent.post("/api/v1/cases", &call).await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    assert_eq!(case["channel"], "phone");
});

dual!(metrics_need_the_token, |app| {
    let client = reqwest::Client::new();
    let get = |auth: Option<&str>| {
        let r = client.get(app.url("/metrics"));
        match auth {
            Some(a) => r.header("authorization", a),
            None => r,
        }
        .send()
    };
    assert_eq!(get(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(Some("Bearer not-the-metrics-token"))
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let bearer = format!("Bearer {METRICS_TOKEN}");
    assert_eq!(get(Some(&bearer)).await.unwrap().status(), StatusCode::OK);

    // Without a token configured, the application's listener has no /metrics at all.
    let (addr, server) = serva::spawn("127.0.0.1:0", app.db.clone(), serva::Config::default())
        .await
        .unwrap();
    for auth in [None, Some(bearer.as_str())] {
        let mut r = client.get(format!("http://{addr}/metrics"));
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        assert_eq!(r.send().await.unwrap().status(), StatusCode::NOT_FOUND);
    }
    server.abort();
});

dual!(metric_labels_come_from_a_fixed_set, |app| {
    let client = reqwest::Client::new();
    for method in ["XYZZY", "PROPFIND", "FOO-BAR"] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = client.request(m, app.url("/healthz")).send().await.unwrap();
        assert!(r.status().is_client_error(), "{method}: {}", r.status());
    }
    let api = app.api("admin").await;
    assert_eq!(
        api.get("/api/v1/cases/987654321").await.0,
        StatusCode::NOT_FOUND
    );
    let b = app.browser();
    assert_eq!(
        b.get("/no/such/page-31415926").await.0,
        StatusCode::NOT_FOUND
    );
    let metrics = app.metrics().await;
    for leaked in ["XYZZY", "PROPFIND", "FOO-BAR", "987654321", "31415926"] {
        assert!(!metrics.contains(leaked), "{leaked} became a label");
    }
    for label in [
        "method=\"other\",route=\"/healthz\"",
        "route=\"/api/v1/cases/{id}\"",
        "route=\"unmatched\"",
    ] {
        assert!(metrics.contains(label), "no {label} in {metrics}");
    }
});

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serva(data: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_serva"));
    c.arg("--data")
        .arg(data)
        .env("SERVA_LOG", "error")
        .env_remove("SERVA_METRICS_TOKEN")
        .env_remove("SERVA_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// `serva serve` on a fresh data folder, once it answers.
async fn serve(data: &std::path::Path, port: u16, extra: &[&str], env: &[(&str, &str)]) -> Child {
    let mut c = serva(data);
    c.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra);
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await {
            if r.status() == StatusCode::OK {
                return child;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("serva serve stopped: {status}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not become ready");
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("serva_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_on_their_own_listener_or_with_a_token_from_the_command_line() {
    let dir = scratch("metrics_cli");
    let data = dir.join("data");
    let token_file = dir.join("metrics.token");
    std::fs::write(&token_file, "cli-metrics-token-0123456789\n").unwrap();
    let metrics = |port: u16, token: Option<&'static str>| async move {
        let mut r = reqwest::Client::new().get(format!("http://127.0.0.1:{port}/metrics"));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap().status()
    };

    // Neither: no /metrics.
    let port = free_port();
    let mut child = serve(&data, port, &[], &[]).await;
    assert_eq!(metrics(port, None).await, StatusCode::NOT_FOUND);
    child.kill().unwrap();
    child.wait().unwrap();

    // A listener of its own, and a token from a file for the main one.
    let (port, mport) = (free_port(), free_port());
    let mlisten = format!("127.0.0.1:{mport}");
    let args = [
        "--metrics-listen",
        mlisten.as_str(),
        "--metrics-token-file",
        token_file.to_str().unwrap(),
    ];
    let mut child = serve(&data, port, &args, &[]).await;
    assert_eq!(metrics(port, None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        metrics(port, Some("cli-metrics-token-0123456789")).await,
        StatusCode::OK
    );
    assert_eq!(metrics(mport, None).await, StatusCode::OK);
    let other = reqwest::get(format!("http://127.0.0.1:{mport}/healthz"))
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND, "metrics alone there");
    child.kill().unwrap();
    child.wait().unwrap();

    // The token from the environment.
    let port = free_port();
    let env = [("SERVA_METRICS_TOKEN", "env-metrics-token-0123456789")];
    let mut child = serve(&data, port, &[], &env).await;
    assert_eq!(metrics(port, None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        metrics(port, Some("env-metrics-token-0123456789")).await,
        StatusCode::OK
    );
    child.kill().unwrap();
    child.wait().unwrap();

    // A token too short to be one is refused at start.
    std::fs::write(&token_file, "short").unwrap();
    let out = serva(&data)
        .args(["serve", "--listen", &format!("127.0.0.1:{}", free_port())])
        .args(["--metrics-token-file", token_file.to_str().unwrap()])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at least 16 characters"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_folder_database_and_backups_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let dir = scratch("modes");
    // A folder that does not exist yet, two levels down.
    let data = dir.join("var").join("data");
    let port = free_port();
    let mut child = serve(&data, port, &[], &[]).await;
    assert_eq!(mode(&data), 0o700, "the data folder");
    for f in ["serva.db", "serva.db-wal", "serva.db-shm"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    // An online backup while the server runs.
    let backup = dir.join("serva-backup.db");
    let out = serva(&data)
        .args(["backup", "--output", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&backup), 0o600, "the backup");
    child.kill().unwrap();
    child.wait().unwrap();

    // In the library too, whatever the umask of the process that uses it.
    let lib = dir.join("lib");
    let url = serva::database_url(&lib, None).unwrap();
    assert_eq!(mode(&lib), 0o700);
    let db = serva::open(&url).await.unwrap();
    for f in ["serva.db", "serva.db-wal", "serva.db-shm"] {
        assert_eq!(mode(&lib.join(f)), 0o600, "{f}");
    }
    let copy = lib.join("copy.db");
    db.backup_sqlite(&copy).await.unwrap();
    assert_eq!(mode(&copy), 0o600);
    db.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}
