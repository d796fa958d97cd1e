//! Hand-off: an agent passes a case to another unit's queue with a note; the receiving queue
//! sees it at once and may hand it back. One case, one number, one status throughout, and the
//! report counts it once, at the unit that first took it.

use reqwest::StatusCode;
use serde_json::json;
use serva_domain::event::Event;

use crate::dual;
use crate::harness::App;

async fn case_at_kl(app: &App) -> (i64, String) {
    let agent = app.api("handlaggare.kontakt").await;
    let (s, c) = agent
        .post(
            "/api/v1/cases",
            &json!({"service": "KL-FRAGA", "subject": "Kan inte logga in i lönesystemet",
                    "description": "Ringde Kontakt Linköping; gäller IT-kontot.", "channel": "phone",
                    "requester_name": "Eva Ek"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    (
        c["id"].as_i64().unwrap(),
        c["number"].as_str().unwrap().to_string(),
    )
}

async fn kl_and_lk_cases_today(app: &App) -> (i64, i64) {
    let kl = app.db.unit_by_code("KL").await.unwrap().id;
    let lk = app.db.unit_by_code("LKDATA").await.unwrap().id;
    let now = serva_domain::time::now_ms();
    let day = 86_400_000;
    let period = serva_domain::report::ActivityPeriod {
        start: now - day,
        end: now + day,
        prev_start: now - 3 * day,
        prev_end: now - 2 * day,
    };
    let a = app.db.unit_activity(&[kl, lk], &period).await.unwrap();
    let sum = |i: usize| a[i].days.iter().map(|d| d.cases).sum::<i64>();
    (sum(0), sum(1))
}

dual!(a_case_goes_to_another_queue_and_back, |app| {
    let (id, number) = case_at_kl(&app).await;
    let counts_before = kl_and_lk_cases_today(&app).await;
    let mut events = app.db.events().subscribe();

    let kl_agent = app.login("handlaggare.kontakt").await;
    let (s, page) = kl_agent.get(&format!("/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("action=\"/cases/") && page.contains("/handoff\""),
        "a hand-off form"
    );
    assert!(
        page.contains("value=\"LK-KONTO\""),
        "other units' services to choose"
    );

    // The note is required; the case's own unit cannot take it.
    let (s, _, _) = kl_agent
        .post(
            &format!("/cases/{id}/handoff"),
            &[("service", "LK-KONTO"), ("note", " ")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _, _) = kl_agent
        .post(
            &format!("/cases/{id}/handoff"),
            &[("service", "KL-SKOLA"), ("note", "x")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let (s, _, to) = kl_agent
        .post(
            &format!("/cases/{id}/handoff"),
            &[
                ("service", "LK-KONTO"),
                ("note", "Kontot är låst, behöver återställas av IT."),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(to.as_deref(), Some("/queues/KL?status=active"));
    // The receiving queue is told at once.
    let told = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            if let Ok(Event::CaseHandedOff { case, to, .. }) = events.recv().await {
                if case.0 == id {
                    break to;
                }
            }
        }
    })
    .await
    .expect("a hand-off event");
    assert_eq!(told, app.db.unit_by_code("LKDATA").await.unwrap().id);

    // It is in LKDATA's queue, unassigned, with the same number and status.
    let lk_agent = app.login("handlaggare.lkdata").await;
    let (_, queue) = lk_agent.get("/queues/LKDATA?status=active").await;
    assert!(queue.contains(&number), "the receiving queue lists it");
    let (s, page) = lk_agent.get(&format!("/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Kontot är låst"),
        "the note is on the case for the receiver"
    );
    assert!(page.contains("Lämna tillbaka till Kontakt Linköping"));
    // The sending agent no longer works it.
    assert_eq!(
        kl_agent.get(&format!("/cases/{id}")).await.0,
        StatusCode::NOT_FOUND
    );

    let admin = app.api("admin").await;
    let (_, c) = admin.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(c["number"], number.as_str());
    assert_eq!(c["service"], "LK-KONTO");
    assert_eq!(c["status"], "new");
    assert_eq!(c["handoffs"].as_array().unwrap().len(), 1);
    assert_eq!(c["handoffs"][0]["from_unit"], "KL");
    assert_eq!(c["handoffs"][0]["to_unit"], "LKDATA");
    assert_eq!(c["handoffs"][0]["hand_back"], false);

    // Back again, with a note.
    let (s, _, _) = lk_agent
        .post(
            &format!("/cases/{id}/handback"),
            &[("note", "Fel kö: gäller Visma, inte AD-kontot.")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, c) = admin.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(c["service"], "KL-FRAGA");
    assert_eq!(c["handoffs"][1]["hand_back"], true);
    assert_eq!(
        kl_agent.get(&format!("/cases/{id}")).await.0,
        StatusCode::OK
    );
    // There is no one to hand it back to now.
    let (s, _, _) = kl_agent
        .post(&format!("/cases/{id}/handback"), &[("note", "igen")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // Counted once, at the unit that first took it; the roll-ups agree with the cases.
    assert_eq!(kl_and_lk_cases_today(&app).await, counts_before);
    assert!(app.db.case_rollup_mismatches().await.unwrap().is_empty());
});

dual!(only_those_who_work_the_case_hand_it_off, |app| {
    let (id, _) = case_at_kl(&app).await;
    let kl_agent = app.login("handlaggare.kontakt").await;
    kl_agent
        .post(
            &format!("/cases/{id}/handoff"),
            &[("service", "LK-KONTO"), ("note", "INTERN not")],
        )
        .await;
    // Someone who cannot work the case cannot hand it off either.
    let hr = app.login("handlaggare.hr").await;
    let (s, _, _) = hr
        .post(
            &format!("/cases/{id}/handoff"),
            &[("service", "HR-ANST"), ("note", "x")],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});
