//! Where each role lands after signing in, and "Mina ärenden" and "Mitt arbete" for an agent.

use reqwest::StatusCode;
use serde_json::json;

use crate::dual;
use crate::harness::{csrf_in, App, Browser};

/// Follows the redirects from `path` as a browser would; the final path and page.
async fn follow(b: &Browser, path: &str) -> (String, String) {
    let mut at = path.to_string();
    for _ in 0..5 {
        let r = b
            .client
            .get(format!("{}{at}", b.base))
            .send()
            .await
            .unwrap();
        if r.status() == StatusCode::SEE_OTHER || r.status().is_redirection() {
            at = r.headers()["location"].to_str().unwrap().to_string();
            continue;
        }
        assert_eq!(r.status(), StatusCode::OK, "{at}");
        return (at, r.text().await.unwrap());
    }
    panic!("more than 5 redirects from {path}");
}

/// Signs in through the login form with `next`; where the login sends the browser.
async fn login_with_next(b: &Browser, username: &str, next: &str) -> String {
    let (_, html) = b.get(&format!("/login?next={next}")).await;
    let token = csrf_in(&html).expect("login form has a CSRF token");
    let r = b
        .client
        .post(format!("{}/login", b.base))
        .form(&[
            ("_csrf", token.as_str()),
            ("username", username),
            ("password", "demo"),
            ("next", next),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "login as {username}");
    r.headers()["location"].to_str().unwrap().to_string()
}

/// A case ordered by admin.sof from LKDATA through the API; its id.
async fn order(app: &App, subject: &str) -> i64 {
    order_of(app, "LK-LOSEN", subject).await
}

/// A case of `service` ordered by admin.sof through the API; its id.
async fn order_of(app: &App, service: &str, subject: &str) -> i64 {
    let (s, case) = app
        .api("admin.sof")
        .await
        .post(
            "/api/v1/cases",
            &json!({ "service": service, "subject": subject, "description": "Efter semestern." }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    case["id"].as_i64().unwrap()
}

/// The text of `html` from `from` to the next `<h2`, or to the end.
fn section<'a>(html: &'a str, from: &str) -> &'a str {
    let at = html
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} in {html}"));
    let rest = &html[at + from.len()..];
    &rest[..rest.find("<h2").unwrap_or(rest.len())]
}

dual!(each_role_lands_on_its_start_page, |app| {
    let landings = [
        ("admin", "/admin"),
        ("controller", "/followup"),
        ("chef.lkdata", "/units/LKDATA/overview"),
        ("handlaggare.lkdata", "/work"),
        ("chef.sof", "/cases"),
        ("admin.sof", "/cases"),
    ];
    for (user, want) in landings {
        let b = app.login(user).await;
        let (at, html) = follow(&b, "/").await;
        assert_eq!(at, want, "{user} lands on {want}");
        assert!(html.contains("<main"), "{user}: {html}");
    }
    // A customer manager lands on the department's cases, with who ordered each.
    let id = order(&app, "Lösenordet har gått ut").await;
    let (at, html) = follow(&app.login("chef.sof").await, "/").await;
    assert_eq!(at, "/cases");
    assert!(html.contains("Mina och förvaltningens ärenden"), "{html}");
    assert!(html.contains(">Beställare</th>"), "{html}");
    assert!(html.contains("Sofia Öhman"), "{html}");
    assert!(html.contains(&format!("href=\"/cases/{id}\"")));
    // Its overview names who ordered each open case too.
    let (s, html) = app
        .login("chef.sof")
        .await
        .get("/customers/SOF/overview")
        .await;
    assert_eq!(s, StatusCode::OK);
    let open = section(&html, "Öppna ärenden</h2>");
    assert!(open.contains(">Beställare</th>"), "{html}");
    assert!(open.contains("Sofia Öhman"), "{html}");
    // Someone who works no queue has no "Mitt arbete": it sends them to their own start page.
    let r = app.login("admin.sof").await.get("/work").await;
    assert_eq!(r.0, StatusCode::SEE_OTHER);
});

dual!(a_logins_next_wins_over_the_start_page, |app| {
    let b = app.browser();
    assert_eq!(
        login_with_next(&b, "handlaggare.lkdata", "/queues/LKDATA").await,
        "/queues/LKDATA"
    );
    let (at, _) = follow(&b, "/queues/LKDATA").await;
    assert_eq!(at, "/queues/LKDATA");
    // Without a `next`, the login leads to `/` and so to the start page.
    let b = app.browser();
    assert_eq!(login_with_next(&b, "controller", "/").await, "/");
    assert_eq!(follow(&b, "/").await.0, "/followup");
});

dual!(an_agent_sees_their_assigned_cases, |app| {
    let mine = order(&app, "Tilldelat ärende ett").await;
    let done = order(&app, "Tilldelat ärende två").await;
    let free = order(&app, "Ännu ingen handläggare").await;
    let agent_api = app.api("handlaggare.lkdata").await;
    for id in [mine, done] {
        let (s, c) = agent_api
            .patch(
                &format!("/api/v1/cases/{id}"),
                &json!({ "assignee": "handlaggare.lkdata" }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{c}");
    }
    let (s, c) = agent_api
        .patch(
            &format!("/api/v1/cases/{done}"),
            &json!({ "status": "resolved" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let agent = app.login("handlaggare.lkdata").await;

    // "Mitt arbete": the open assigned case, and the queue's unassigned one.
    let (s, html) = agent.get("/work").await;
    assert_eq!(s, StatusCode::OK);
    let assigned = section(&html, "Tilldelade till mig</h2>");
    assert!(assigned.contains("Tilldelat ärende ett"), "{html}");
    assert!(
        !assigned.contains("Tilldelat ärende två"),
        "resolved: {html}"
    );
    assert!(!assigned.contains("Ännu ingen handläggare"), "{html}");
    assert!(assigned.contains("<th scope=\"col\">Servicenivå</th>"));
    let unassigned = section(&html, "Ej tilldelade i mina köer</h2>");
    assert!(
        unassigned.contains(&format!("href=\"/cases/{free}\"")),
        "{html}"
    );
    assert!(!unassigned.contains("Tilldelat ärende"), "{html}");
    assert!(unassigned.contains("href=\"/queues/LKDATA?status=active&amp;assignee=none\""));
    assert!(html.contains("<a href=\"/work\" aria-current=\"page\">Mitt arbete</a>"));

    // "Mina ärenden" lists what is assigned to them, open ones only by default.
    let (s, html) = agent.get("/cases").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<a href=\"/cases\" aria-current=\"page\">Mina ärenden</a>"));
    assert!(html.contains("<a href=\"/cases?list=assigned\" aria-current=\"page\">"));
    assert!(html.contains(&format!("href=\"/cases/{mine}\"")), "{html}");
    assert!(!html.contains(&format!("href=\"/cases/{done}\"")), "{html}");
    assert!(!html.contains(&format!("href=\"/cases/{free}\"")), "{html}");
    assert!(html.contains("class=\"table-scroll\""));
    assert!(html.contains("<caption class=\"visually-hidden\">Tilldelade till mig</caption>"));
    // Every status on request, the open one first.
    let (_, html) = agent.get("/cases?list=assigned&status=all").await;
    let (a, b) = (
        html.find(&format!("href=\"/cases/{mine}\"")),
        html.find(&format!("href=\"/cases/{done}\"")),
    );
    assert!(a.is_some() && b.is_some() && a < b, "{html}");
    // Their own orders are the other list: the agent ordered none.
    let (_, html) = agent.get("/cases?list=ordered").await;
    assert!(html.contains("<a href=\"/cases?list=ordered\" aria-current=\"page\">"));
    assert!(!html.contains(&format!("href=\"/cases/{mine}\"")), "{html}");
    assert!(html.contains("Inga ärenden matchar."));
    assert_eq!(
        agent.get("/cases?list=nobodys").await.0,
        StatusCode::BAD_REQUEST
    );

    // A case opened from anywhere marks no menu item as the current page.
    let (s, html) = agent.get(&format!("/cases/{mine}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("aria-current=\"page\""), "{html}");

    // Someone who works several queues sees the newest unassigned cases of them all.
    let asked = order_of(&app, "KL-FRAGA", "Fråga om parkering").await;
    let (s, html) = app.login("chef.vss").await.get("/work").await;
    assert_eq!(s, StatusCode::OK);
    let unassigned = section(&html, "Ej tilldelade i mina köer</h2>");
    let (kl, lk) = (
        unassigned.find(&format!("href=\"/cases/{asked}\"")),
        unassigned.find(&format!("href=\"/cases/{free}\"")),
    );
    assert!(kl.is_some() && lk.is_some() && kl < lk, "{html}");
    assert!(unassigned.contains("href=\"/queues/KL?status=active&amp;assignee=none\""));

    // The customer still sees their orders, assigned or not, and no list of assigned cases.
    let customer = app.login("admin.sof").await;
    let (s, html) = customer.get("/cases").await;
    assert_eq!(s, StatusCode::OK);
    for id in [mine, done, free, asked] {
        assert!(html.contains(&format!("href=\"/cases/{id}\"")), "{html}");
    }
    assert!(!html.contains("list=assigned"), "{html}");
    assert!(!html.contains(">Beställare</th>"), "{html}");
    assert!(
        html.contains("Linus Dahlberg"),
        "the assignee is shown: {html}"
    );
});
