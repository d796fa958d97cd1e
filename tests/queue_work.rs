//! An agent's queue through the real server: "newest" and "oldest first" follow the creation
//! time people see, not the case number; the table names each case's requester and customer
//! and marks its status by text and shape; quick filters link to the queue's common views;
//! ticked cases get a new assignee and status in one step, all or none, audited and in each
//! case's history. Every test runs on SQLite and PostgreSQL.

use reqwest::StatusCode;
use serde_json::Value;
use serva_domain::case::{CaseStatus, Channel};
use serva_domain::CaseId;
use serva_store::bulk::{CaseRow, EventRow};

use crate::harness::{App, Backend};
use crate::on_both;

const DAY: i64 = 24 * 60 * 60_000;

/// A case of `service` for the customer unit `customer`, loaded as a history import would
/// load it, created at `created` with the word `word` to search for; its id.
async fn case_at(
    app: &App,
    service: &str,
    customer: &str,
    created: i64,
    status: CaseStatus,
    word: &str,
) -> i64 {
    let svc = app.db.service_by_code(service).await.unwrap();
    let customer = app.db.unit_by_code(customer).await.unwrap();
    let id = app.db.next_id("cases").await.unwrap();
    let mut bulk = app.db.begin_bulk().await.unwrap();
    bulk.cases(&[CaseRow {
        id,
        service_id: svc.id.0,
        unit_id: svc.unit_id.0,
        customer_unit_id: Some(customer.id.0),
        requester_id: None,
        requester_name: Some(format!("Sara Berg {id}").into()),
        target_group: None,
        channel: Channel::Email,
        status,
        subject: format!("Skrivaren strular {word}").into(),
        description: "Den skriver inte ut.".into(),
        form_data: "[]".into(),
        assignee_id: None,
        first_contact_resolution: false,
        created_at: created,
        updated_at: created,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        search_text: format!("skrivaren strular {word}").into(),
        contact_id: None,
    }])
    .await
    .unwrap();
    bulk.insert(&[EventRow {
        case_id: id,
        at: created,
        actor_id: None,
        kind: "created",
        from_value: None,
        to_value: Some(status.as_str().into()),
    }])
    .await
    .unwrap();
    bulk.commit().await.unwrap();
    id
}

async fn number(app: &App, id: i64) -> String {
    app.db.case(CaseId(id)).await.unwrap().number().to_string()
}

/// Where each case's number first appears in the page; panics when one is missing.
fn positions(html: &str, numbers: &[String]) -> Vec<usize> {
    numbers
        .iter()
        .map(|n| {
            html.find(n.as_str())
                .unwrap_or_else(|| panic!("{n} missing: {html}"))
        })
        .collect()
}

fn in_order(p: &[usize]) -> bool {
    p.windows(2).all(|w| w[0] < w[1])
}

on_both!(
    newest_and_oldest_first_follow_the_creation_time,
    |backend| {
        let Some(app) = App::boot(backend).await else {
            return;
        };
        let now = serva_domain::time::now_ms();
        let ancient = serva_domain::time::from_local(
            chrono::NaiveDate::from_ymd_opt(2001, 3, 1)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        // Numbers rise from a to d; creation times do not: b is the oldest, c the newest.
        let a = case_at(
            &app,
            "LK-KONTO",
            "SOF",
            ancient + DAY,
            CaseStatus::New,
            "zebrakvitto",
        )
        .await;
        let b = case_at(
            &app,
            "LK-KONTO",
            "SOF",
            ancient,
            CaseStatus::New,
            "zebrakvitto",
        )
        .await;
        let c = case_at(
            &app,
            "LK-KONTO",
            "UF",
            now + 2 * DAY,
            CaseStatus::Open,
            "zebrakvitto",
        )
        .await;
        let d = case_at(
            &app,
            "LK-KONTO",
            "UF",
            now + DAY,
            CaseStatus::Open,
            "zebrakvitto",
        )
        .await;
        let (na, nb, nc, nd) = (
            number(&app, a).await,
            number(&app, b).await,
            number(&app, c).await,
            number(&app, d).await,
        );
        let agent = app.login("handlaggare.lkdata").await;
        let (s, html) = agent.get("/queues/LKDATA?sort=newest").await;
        assert_eq!(s, StatusCode::OK, "{html}");
        let p = positions(&html, &[nc.clone(), nd.clone()]);
        assert!(in_order(&p), "newest first: {nc} before {nd}");
        let (_, html) = agent.get("/queues/LKDATA?sort=oldest").await;
        let p = positions(&html, &[nb.clone(), na.clone()]);
        assert!(in_order(&p), "oldest first: {nb} before {na}");
        // A text search lists its matches by number, newest first (docs/queues.md): read
        // from the word index in that order, without sorting every match.
        let (_, html) = agent.get("/queues/LKDATA?q=zebrakvitto").await;
        assert!(in_order(&positions(&html, &[nd, nc, nb, na])), "{html}");
    }
);

on_both!(
    the_queue_names_requester_and_customer_and_marks_status_by_shape,
    |backend| {
        let Some(app) = App::boot(backend).await else {
            return;
        };
        let now = serva_domain::time::now_ms();
        let waiting = case_at(
            &app,
            "LK-KONTO",
            "SOF",
            now,
            CaseStatus::WaitingCustomer,
            "gnuord",
        )
        .await;
        let sof = app.db.unit_by_code("SOF").await.unwrap();
        let agent = app.login("handlaggare.lkdata").await;
        let (s, html) = agent.get("/queues/LKDATA?q=gnuord").await;
        assert_eq!(s, StatusCode::OK, "{html}");
        assert!(
            html.contains(r#"<th scope="col">Beställare</th>"#),
            "{html}"
        );
        assert!(html.contains(r#"<th scope="col">Kund</th>"#), "{html}");
        assert!(
            html.contains(&format!("<td>Sara Berg {waiting}</td>")),
            "{html}"
        );
        assert!(html.contains(&format!("<td>{}</td>", sof.name)), "{html}");
        assert!(
        html.contains(
            r#"<span class="status status-waiting_customer"><span class="status-shape" aria-hidden="true">◆</span> Väntar på kund</span>"#
        ),
        "{html}"
    );
        // The quick filters: each a link to the queue, the one shown marked current.
        let (_, html) = agent.get("/queues/LKDATA?status=waiting_customer").await;
        assert!(
        html.contains(r#"<a href="/queues/LKDATA?status=waiting_customer" aria-current="page">Väntar på kund</a>"#),
        "{html}"
    );
        assert!(
            html.contains(r#"<a href="/queues/LKDATA?status=active&amp;assignee=me">Mina</a>"#),
            "{html}"
        );
        assert!(
            html.contains(
                r#"<a href="/queues/LKDATA?status=active&amp;assignee=none">Ej tilldelade</a>"#
            ),
            "{html}"
        );
        assert!(html.contains(&format!("Sara Berg {waiting}")), "{html}");
        let (_, html) = agent
            .get("/queues/LKDATA?status=active&assignee=none&sort=oldest")
            .await;
        assert!(
        html.contains(r#"<a href="/queues/LKDATA?status=active&amp;assignee=none&amp;sort=oldest" aria-current="page">Ej tilldelade</a>"#),
        "{html}"
    );
        assert!(!html.contains(r#"aria-current="page">Mina"#), "{html}");
    }
);

on_both!(ticked_cases_change_together_or_not_at_all, |backend| {
    let Some(app) = App::boot(backend).await else {
        return;
    };
    let now = serva_domain::time::now_ms();
    let one = case_at(&app, "LK-KONTO", "SOF", now, CaseStatus::New, "bulkord").await;
    let two = case_at(&app, "LK-LOSEN", "UF", now, CaseStatus::New, "bulkord").await;
    let kl = case_at(&app, "KL-FRAGA", "SOF", now, CaseStatus::New, "bulkord").await;
    let ida = app.db.user_by_username("lk.agent2").await.unwrap().id.0;
    let ida_s = ida.to_string();
    let (one_s, two_s, kl_s) = (one.to_string(), two.to_string(), kl.to_string());
    let agent = app.login("handlaggare.lkdata").await;
    let (_, page) = agent.get("/queues/LKDATA?q=bulkord").await;
    assert!(page.contains(r#"action="/queues/LKDATA/bulk""#), "{page}");
    assert!(
        page.contains(&format!(r#"name="case" value="{one}""#)),
        "{page}"
    );
    let state = |id: i64| {
        let db = app.db.clone();
        async move {
            let c = db.case(CaseId(id)).await.unwrap();
            (c.assignee_id.map(|u| u.0), c.status)
        }
    };

    // A case of another queue among them: nothing changes.
    let (s, body, _) = agent
        .post(
            "/queues/LKDATA/bulk",
            &[
                ("case", one_s.as_str()),
                ("case", kl_s.as_str()),
                ("assignee", ida_s.as_str()),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains(&format!("Ärende {kl} ligger inte i den här enhetens kö.")),
        "{body}"
    );
    assert!(body.contains("Inget ärende har ändrats."), "{body}");
    assert_eq!(state(one).await, (None, CaseStatus::New));

    // Nothing to change, and no CSRF token: refused.
    let (s, body, _) = agent
        .post("/queues/LKDATA/bulk", &[("case", one_s.as_str())])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("Välj handläggare, status eller båda."),
        "{body}"
    );
    let r = agent
        .client
        .post(format!("{}/queues/LKDATA/bulk", agent.base))
        .form(&[("case", one_s.as_str()), ("status", "open")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(state(one).await, (None, CaseStatus::New));

    // Both cases: assigned to Ida and opened, back to the list as it was.
    let (s, body, to) = agent
        .post(
            "/queues/LKDATA/bulk",
            &[
                ("case", one_s.as_str()),
                ("case", two_s.as_str()),
                ("assignee", ida_s.as_str()),
                ("status", "open"),
                ("back_q", "bulkord"),
                ("back_sort", "oldest"),
                ("back_evil", "x"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let to = to.unwrap();
    assert_eq!(to, "/queues/LKDATA?q=bulkord&sort=oldest&changed=2");
    assert_eq!(state(one).await, (Some(ida), CaseStatus::Open));
    assert_eq!(state(two).await, (Some(ida), CaseStatus::Open));
    let (_, html) = agent.get(&to).await;
    assert!(html.contains("2 ärenden ändrade."), "{html}");

    // Each change is in the case's history and the audit log, as a single change is.
    let (s, history) = app
        .api("handlaggare.lkdata")
        .await
        .get(&format!("/api/v1/cases/{two}/history"))
        .await;
    assert_eq!(s, StatusCode::OK, "{history}");
    let kinds: Vec<Value> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert!(kinds.contains(&Value::from("assigned")), "{history}");
    assert!(kinds.contains(&Value::from("status")), "{history}");
    let audit = app
        .db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("case".into()),
            entity_id: Some(one.to_string()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "assign"), "{audit:?}");
    assert!(audit.iter().any(|a| a.action == "set_status"), "{audit:?}");

    // A status one of them may not take: neither changes.
    let fresh = case_at(&app, "LK-KONTO", "SOF", now, CaseStatus::New, "bulkord").await;
    let fresh_s = fresh.to_string();
    let (s, body, _) = agent
        .post(
            "/queues/LKDATA/bulk",
            &[
                ("case", fresh_s.as_str()),
                ("case", one_s.as_str()),
                ("status", "new"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains(&format!("Ärende {one} kan inte gå från Pågående till Ny.")),
        "{body}"
    );
    assert_eq!(state(one).await, (Some(ida), CaseStatus::Open));
    // A status and no assignee: only the status changes.
    let (s, body, _) = agent
        .post(
            "/queues/LKDATA/bulk",
            &[
                ("case", fresh_s.as_str()),
                ("case", one_s.as_str()),
                ("status", "waiting_customer"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(state(fresh).await, (None, CaseStatus::WaitingCustomer));
    assert_eq!(state(one).await, (Some(ida), CaseStatus::WaitingCustomer));

    // An agent of another queue does not find this one.
    let other = app.login("handlaggare.kontakt").await;
    let (s, _, _) = other
        .post(
            "/queues/LKDATA/bulk",
            &[("case", one_s.as_str()), ("status", "open")],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(state(one).await, (Some(ida), CaseStatus::WaitingCustomer));
});

on_both!(the_shortcuts_are_documented_and_never_needed, |backend| {
    let Some(app) = App::boot(backend).await else {
        return;
    };
    let agent = app.login("handlaggare.lkdata").await;
    let (s, html) = agent.get("/queues/LKDATA").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains(r#"<a href="/help/keys">Kortkommandon för listan</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<script src="/static/keys.js" defer></script>"#),
        "{html}"
    );
    let (s, html) = agent.get("/help/keys").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    for key in ["j", "k", "o", "/"] {
        assert!(
            html.contains(&format!(r#"<th scope="row"><kbd>{key}</kbd></th>"#)),
            "{key}: {html}"
        );
    }
    assert!(html.contains("De behövs aldrig"), "{html}");
    assert!(html.contains(r#"id="keys-toggle""#), "{html}");
    let r = agent
        .client
        .get(format!("{}/static/keys.js", agent.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "text/javascript; charset=utf-8"
    );
    let js = r.text().await.unwrap();
    // The keys stay off while typing, and can be turned off.
    assert!(
        js.contains("typing(e.target)") && js.contains("serva-keys"),
        "{js}"
    );
});
