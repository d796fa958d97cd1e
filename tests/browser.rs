//! In a real browser: headless Chromium from Debian's packages, driven over the W3C WebDriver
//! protocol through ChromeDriver, with axe-core (from the npm registry, `tests/browser`)
//! injected into every page. Each demo role walks its pages; every page must have no WCAG 2.1
//! A/AA violation that axe finds, and must reflow at 390 and 320 px (WCAG 1.4.10): nothing wider
//! than the screen except inside a container that scrolls on its own.
//!
//! Skipped with a notice when Chromium, ChromeDriver or axe-core is missing — except in CI
//! (CI=true), where `.ci/run` installs them and their absence is a failure.

use serde_json::json;

use crate::browser_kit::{prerequisites, Driver, Window};
use crate::harness::{App, Backend};

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
                "/followup/budget",
                "/followup/forecasts",
                "/followup/investments",
                "/followup/goals",
                "/followup/indicators",
                "/followup/staff",
                "/followup/assignments",
                "/followup/control",
                "/followup/texts",
                "/followup/rows/investments/new?org=VSS&year=2019&through=2019-08-31",
                "/reports",
                "/billing",
                "/billing?month=2019-08",
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
        match who {
            Some(username) => w.sign_in(&app, username).await,
            None => w.go(&format!("{}/login", app.base)).await,
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
