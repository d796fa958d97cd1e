//! A journey through the unit dashboard in a real browser: Kontakt Linköping's manager opens
//! the overview, follows its link to the dashboard, opens a chart's table, types a number of
//! weeks that cannot be shown, reads the explanation beside the field, corrects it and sees
//! four weeks. Every page passes axe (WCAG 2.1 A/AA) and reflows at 390 px. SQLite only.

use serde_json::json;

use crate::browser_kit::{prerequisites, Driver, Window};
use crate::harness::{App, Backend};

/// The path the window shows once it is `want`, waiting up to five seconds for a submitted
/// form's page to load.
async fn path_becomes(w: &Window, want: &str) -> String {
    for _ in 0..50 {
        let p = w.path().await;
        let ready = w.script("return document.readyState").await;
        if p == want && ready == "complete" {
            return p;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    w.path().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_manager_reads_the_dashboard_and_chooses_the_weeks() {
    let Some(axe) = prerequisites() else {
        return;
    };
    let app = App::boot(Backend::Sqlite).await.unwrap();
    // Three questions to KL, one answered, resolved and rated 5 of 5.
    let customer = app.api("admin.sof").await;
    let mut ids = Vec::new();
    for subject in [
        "Fråga om bygglov",
        "Parkeringstillstånd",
        "Felanmälan gatubelysning",
    ] {
        let (s, c) = customer
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": subject, "description": "Hej! Jag undrar över detta." }),
            )
            .await;
        assert_eq!(s, 201, "{c}");
        ids.push(c["id"].as_i64().unwrap());
    }
    let agent = app.api("handlaggare.kontakt").await;
    let (s, m) = agent
        .post(
            &format!("/api/v1/cases/{}/messages", ids[0]),
            &json!({ "body": "Blanketten finns på webben." }),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let (s, c) = agent
        .patch(
            &format!("/api/v1/cases/{}", ids[0]),
            &json!({ "status": "resolved" }),
        )
        .await;
    assert_eq!(s, 200, "{c}");
    let (s, a) = customer
        .post(
            &format!("/api/v1/cases/{}/survey", ids[0]),
            &json!({ "answer": 5 }),
        )
        .await;
    assert_eq!(s, 201, "{a}");

    let driver = Driver::start().await;
    let w = Window::open(&driver).await;
    w.sign_in(&app, "chef.kontakt").await;
    let mut problems = Vec::new();

    // From the manager's start page (the overview) to the dashboard.
    w.go(&format!("{}/overview", app.base)).await;
    assert_eq!(w.path().await, "/units/KL/overview");
    w.click("a[href=\"/units/KL/dashboard\"]").await;
    assert_eq!(
        path_becomes(&w, "/units/KL/dashboard").await,
        "/units/KL/dashboard"
    );
    let text = w.main_text().await;
    assert!(text.contains("Ärenden per vecka och kanal"), "{text}");
    assert!(
        text.contains("Öppna ärenden efter ålder i arbetsdagar"),
        "{text}"
    );
    let charts = w
        .script("return document.querySelectorAll('main svg[role=img][aria-labelledby]').length")
        .await;
    assert_eq!(
        charts, 4,
        "cases, service level, satisfaction and backlog are drawn: {text}"
    );
    problems.extend(w.check(&axe, "dashboard").await);

    // A chart's figures as a table.
    w.click("section.dashboard-chart:last-of-type summary")
        .await;
    let text = w.main_text().await;
    assert!(
        text.contains("0–2 dagar\t2"),
        "two open cases of today: {text}"
    );
    problems.extend(w.check(&axe, "dashboard, a table open").await);

    // Weeks that cannot be shown: the reason beside the field, the typing kept.
    w.fill("#weeks", "sextio").await;
    w.click("form.filters button[type=submit]").await;
    assert_eq!(
        path_becomes(&w, "/units/KL/dashboard?weeks=sextio").await,
        "/units/KL/dashboard?weeks=sextio"
    );
    let text = w.main_text().await;
    assert!(
        text.contains("Ange antalet veckor som ett heltal"),
        "{text}"
    );
    let kept = w
        .script("return document.querySelector('#weeks').value")
        .await;
    assert_eq!(kept, "sextio");
    problems.extend(w.check(&axe, "dashboard, bad weeks").await);

    // Four weeks.
    w.fill("#weeks", "4").await;
    w.click("form.filters button[type=submit]").await;
    assert_eq!(
        path_becomes(&w, "/units/KL/dashboard?weeks=4").await,
        "/units/KL/dashboard?weeks=4"
    );
    let text = w.main_text().await;
    assert!(
        text.contains("(4 veckor, denna vecka till i dag)"),
        "{text}"
    );
    let rows = w
        .script("return document.querySelectorAll('main section.dashboard-chart:first-of-type tbody tr').length")
        .await;
    assert_eq!(rows, 4);
    problems.extend(w.check(&axe, "dashboard, 4 weeks").await);

    w.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
