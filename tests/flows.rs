//! Whole user flows in the browser: order, work, reply, close; contacts; search; pages.

use crate::dual;
use reqwest::StatusCode;

/// The first choice of LK-KONTO's `behorighet` field, whatever the catalogue says.
async fn konto_choice(app: &crate::harness::App) -> String {
    let svc = app.db.service_by_code("LK-KONTO").await.unwrap();
    let f = svc
        .form
        .into_iter()
        .find(|f| f.key == "behorighet")
        .expect("LK-KONTO asks for behorighet");
    f.choices[0].clone()
}

dual!(customer_orders_and_agent_works_the_case, |app| {
    let customer = app.login("admin.sof").await;

    // The catalogue is searchable, case-insensitively.
    let (s, html) = customer.get("/portal?q=ANV%C3%84NDARKONTO").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("/portal/services/LK-KONTO"),
        "search for ANVÄNDARKONTO finds LK-KONTO"
    );

    let (s, html) = customer.get("/portal/services/LK-KONTO").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"startdatum\"") && html.contains("name=\"behorighet\""));

    // Missing and malformed answers are refused with every problem named, and nothing is kept.
    let (s, html, _) = customer
        .post(
            "/portal/services/LK-KONTO/order",
            &[
                ("subject", ""),
                ("description", "Ny medarbetare"),
                ("startdatum", "31/8"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Skriv ett datum som ÅÅÅÅ-MM-DD."), "{html}");
    assert!(html.contains("Välj ett av alternativen.") || html.contains("Fältet måste fyllas i."));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("Ny medarbetare"), "what was typed is kept");
    let none = app
        .db
        .list_cases(&serva_store::cases::CaseFilter::new(
            serva_domain::access::Visibility::All,
        ))
        .await
        .unwrap();
    assert!(none.cases.is_empty());

    let choice = konto_choice(&app).await;
    let (s, _, loc) = customer
        .post(
            "/portal/services/LK-KONTO/order",
            &[
                ("subject", "Konto för Åsa Öberg"),
                ("description", "Åsa börjar som skoladministratör."),
                ("startdatum", "2019-09-02"),
                ("behorighet", &choice),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let loc = loc.unwrap();
    assert!(
        loc.starts_with("/cases/") && loc.ends_with("?ok=created"),
        "{loc}"
    );
    let case_path = loc.trim_end_matches("?ok=created").to_string();
    let (s, html) = customer.get(&loc).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Ärendet är skapat.")
            && html.contains("Konto för Åsa Öberg")
            && html.contains("Ny</span>")
    );

    // The agent finds it in the LKDATA queue, unassigned.
    let agent = app.login("handlaggare.lkdata").await;
    let (s, html) = agent.get("/queues").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("/queues/LKDATA"));
    let (s, html) = agent
        .get("/queues/LKDATA?status=active&assignee=none")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Konto för Åsa Öberg"));

    // Assign, note, reply, wait for the customer.
    let me = app.db.user_by_username("handlaggare.lkdata").await.unwrap();
    let (s, _, _) = agent
        .post(
            &format!("{case_path}/assign"),
            &[("assignee", &me.id.to_string())],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = agent
        .post(
            &format!("{case_path}/messages"),
            &[("body", "Kollar licensen först."), ("internal", "true")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = agent
        .post(
            &format!("{case_path}/messages"),
            &[("body", "Vilken skola gäller det?"), ("internal", "false")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = agent
        .post(
            &format!("{case_path}/status"),
            &[("status", "waiting_customer")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    // The customer sees the reply, never the internal note, and answering reopens the case.
    let (_, html) = customer.get(&case_path).await;
    assert!(html.contains("Vilken skola gäller det?"));
    assert!(!html.contains("Kollar licensen först."));
    assert!(html.contains("Väntar på kund"));
    let (s, _, _) = customer
        .post(&format!("{case_path}/messages"), &[("body", "Ryd skola.")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = customer
        .post(
            &format!("{case_path}/messages"),
            &[("body", "x"), ("internal", "true")],
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "customers cannot write internal notes"
    );
    let (s, _, _) = customer
        .post(&format!("{case_path}/status"), &[("status", "closed")])
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "customers cannot change the status"
    );

    let (_, html) = agent.get(&case_path).await;
    assert!(
        html.contains("Kollar licensen först.")
            && html.contains("Ryd skola.")
            && html.contains("Pågående")
    );
    let (s, _, _) = agent
        .post(&format!("{case_path}/status"), &[("status", "closed")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    // The requester rates the help, once.
    let (_, html) = customer.get(&case_path).await;
    assert!(html.contains("Hur nöjd är du med hjälpen du fick?"));
    let (_, html) = agent.get(&case_path).await;
    assert!(
        !html.contains("Hur nöjd är du"),
        "only the requester is asked"
    );
    let (s, _, loc) = customer
        .post(
            &format!("{case_path}/survey"),
            &[("answer", "4"), ("comment", "Snabbt!")],
        )
        .await;
    assert_eq!(
        (s, loc.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some(format!("{case_path}?ok=survey").as_str())
        )
    );
    let (s, _, _) = customer
        .post(&format!("{case_path}/survey"), &[("answer", "5")])
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a case is rated once");
    let (s, _, _) = agent
        .post(&format!("{case_path}/survey"), &[("answer", "5")])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Every change is in the history, and in the audit log.
    let id: i64 = case_path.trim_start_matches("/cases/").parse().unwrap();
    let kinds: Vec<String> = app
        .db
        .history(serva_domain::CaseId(id))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind.as_str().to_string())
        .collect();
    assert_eq!(
        kinds,
        ["created", "assigned", "note", "message", "status", "message", "status", "status"]
    );
    let case = app.db.case(serva_domain::CaseId(id)).await.unwrap();
    assert_eq!(case.status, serva_domain::case::CaseStatus::Closed);
    assert!(case.first_response_at.is_some() && case.closed_at.is_some());
    let audit = app
        .db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("case".into()),
            entity_id: Some(id.to_string()),
            before_id: None,
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().rev().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create",
            "assign",
            "add_note",
            "add_message",
            "set_status",
            "add_message",
            "set_status",
            "answer_survey"
        ]
    );
    assert_eq!(
        audit[1].before_json.as_deref(),
        Some(r#"{"status":"open"}"#)
    );
    assert_eq!(
        audit[1].after_json.as_deref(),
        Some(r#"{"status":"closed"}"#)
    );
    assert_eq!(audit[1].actor_name.as_deref(), Some("handlaggare.lkdata"));
});

dual!(phone_contact_resolved_at_first_contact, |app| {
    let agent = app.login("handlaggare.kontakt").await;
    let (s, html) = agent.get("/contacts/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("value=\"KL-FRAGA\""));
    let (s, html, _) = agent
        .post(
            "/contacts",
            &[
                ("service", "KL-FRAGA"),
                ("channel", "phone"),
                ("subject", ""),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Rubrik: Fältet måste fyllas i."));
    let (s, _, loc) = agent
        .post(
            "/contacts",
            &[
                ("service", "KL-FRAGA"),
                ("channel", "phone"),
                ("requester_name", "Göran Ström"),
                ("target_group", "citizen"),
                ("subject", "Öppettider för återvinningscentralen"),
                ("description", "Svarade med öppettiderna."),
                ("resolve_now", "true"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = agent.get(&loc.unwrap()).await;
    assert!(
        html.contains("Kontakten är registrerad.")
            && html.contains("Avslutad")
            && html.contains("Göran Ström")
    );
    assert!(html.contains("Löst vid första kontakt"));
    let page = app
        .db
        .list_cases(&serva_store::cases::CaseFilter::new(
            serva_domain::access::Visibility::All,
        ))
        .await
        .unwrap();
    let c = &page.cases[0];
    assert_eq!(
        (
            c.status.as_str(),
            c.first_contact_resolution,
            c.channel.as_str()
        ),
        ("closed", true, "phone")
    );
    assert_eq!(c.requester_id, None);

    // Customers have no contact form.
    let customer = app.login("admin.sof").await;
    let (s, _) = customer.get("/contacts/new").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

dual!(search_folds_swedish_letters_and_lists_paginate, |app| {
    let api = app.api("handlaggare.kontakt").await;
    for i in 0..27 {
        let subject = match i {
            0 => "ÅTERBETALNING av parkeringsavgift".to_string(),
            1 => "Överklagan av bygglov".to_string(),
            _ => format!("Fråga nummer {i}"),
        };
        let (s, body) = api
            .post("/api/v1/cases", &serde_json::json!({ "service": "KL-FRAGA", "subject": subject, "description": "Ärendet gäller ärlighet", "channel": "phone" }))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
    let b = app.login("handlaggare.kontakt").await;
    for q in ["återbetalning", "ÅTERBETALNING", "%C3%85terBetalning"] {
        let (s, html) = b.get(&format!("/queues/KL?q={q}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("ÅTERBETALNING av parkeringsavgift"),
            "query {q}"
        );
        assert!(!html.contains("Fråga nummer"), "query {q} matched too much");
    }
    let (_, html) = b.get("/queues/KL?q=%C3%B6verklagan").await;
    assert!(html.contains("Överklagan av bygglov"));
    // Every word of the query must begin a word of the case, in any order.
    for q in ["%C3%A5terbet", "parkering+%C3%85TER", "av+p"] {
        let (_, json) = api.get(&format!("/api/v1/cases?q={q}")).await;
        let subjects: Vec<&str> = json["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["subject"].as_str().unwrap())
            .collect();
        assert_eq!(subjects, ["ÅTERBETALNING av parkeringsavgift"], "query {q}");
    }
    for q in ["betalning", "%C3%A5terbetalning+bygglov", "%25%25"] {
        let (s, json) = api.get(&format!("/api/v1/cases?q={q}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(json["cases"].as_array().unwrap().len(), 0, "query {q}");
    }
    // Words of the description count too, and the newest match comes first.
    let (_, json) = api.get("/api/v1/cases?q=%C3%A4rlighet&per_page=3").await;
    let ids: Vec<i64> = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids[0] > ids[1] && ids[1] > ids[2], "{ids:?}");
    // "a" is not "å": Swedish letters are letters of their own.
    let (_, json) = api.get("/api/v1/cases?q=aterbetalning").await;
    assert_eq!(json["cases"].as_array().unwrap().len(), 0);

    let (_, html) = b.get("/queues/KL").await;
    assert_eq!(
        html.matches("<tr><td><input type=\"checkbox\" name=\"case\"")
            .count(),
        25
    );
    assert!(html.contains("rel=\"next\""));
    let (_, html) = b.get("/queues/KL?page=2").await;
    assert_eq!(
        html.matches("<tr><td><input type=\"checkbox\" name=\"case\"")
            .count(),
        2
    );
    assert!(!html.contains("rel=\"next\"") && html.contains("rel=\"prev\""));
    let (s, _) = b.get("/queues/KL?page=zero").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = b.get("/queues/KL?status=bogus").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Sorting oldest first shows the first case first.
    let (_, html) = b.get("/queues/KL?sort=oldest").await;
    let first = html.find("ÅTERBETALNING").unwrap();
    assert!(first < html.find("Fråga nummer 2<").unwrap_or(usize::MAX));
});

dual!(
    cases_created_together_commit_together_and_a_bad_one_fails_alone,
    |app| {
        use serva_domain::case::Channel;
        use serva_store::cases::NewCase;
        let svc = app.db.service_by_code("KL-FRAGA").await.unwrap();
        let agent = app
            .db
            .user_by_username("handlaggare.kontakt")
            .await
            .unwrap();
        let (agent_id, agent_uid) = (agent.id.0, agent.id);
        let before = app.db.table_counts().await.unwrap();
        let (written_before, commits_before) = app.db.case_commit_stats();
        let count = |counts: &Vec<(String, i64)>, t: &str| {
            counts.iter().find(|(n, _)| n == t).map(|c| c.1).unwrap()
        };
        // 60 cases at once, every tenth naming a requester that does not exist.
        let mut tasks = Vec::new();
        for i in 0..60i64 {
            let db = app.db.clone();
            let new = NewCase {
                service: svc.id,
                customer_unit: None,
                requester: Some(serva_domain::UserId(if i % 10 == 3 {
                    9_999_999
                } else {
                    agent_id
                })),
                requester_name: None,
                target_group: None,
                channel: Channel::Phone,
                subject: format!("Samtidigt ärende {i}"),
                description: "Skapat i en skur".into(),
                answers: vec![],
                resolve_now: i % 2 == 0,
                contact: None,
            };
            tasks.push(tokio::spawn(async move {
                (i, db.create_case(Some(agent_uid), &new).await)
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            let (i, r) = t.await.unwrap();
            if i % 10 == 3 {
                let e = r.expect_err("a requester that does not exist is refused");
                assert!(e.to_string().contains("does not exist"), "{e}");
            } else {
                let c = r.unwrap();
                assert_eq!(c.subject, format!("Samtidigt ärende {i}"));
                assert_eq!(c.status.as_str(), if i % 2 == 0 { "closed" } else { "new" });
                ids.push(c.id);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 54);
        let after = app.db.table_counts().await.unwrap();
        assert_eq!(count(&after, "cases") - count(&before, "cases"), 54);
        // One creation event each, one more for the 30 closed at once; one audit row each.
        assert_eq!(
            count(&after, "case_events") - count(&before, "case_events"),
            54 + 30
        );
        assert_eq!(count(&after, "audit_log") - count(&before, "audit_log"), 54);
        // They shared commits: fewer commits than cases, counted on /metrics as well.
        let (written, commits) = app.db.case_commit_stats();
        assert_eq!(written - written_before, 54);
        assert!(commits - commits_before < 54, "{commits} commits");
        let metrics = app.metrics().await;
        assert!(metrics.contains(&format!("serva_case_commits_total {commits}")));
        // The writer counted them into the follow-up's roll-ups itself, the same as the cases say.
        assert_eq!(
            app.db.case_rollup_mismatches().await.unwrap(),
            Vec::<String>::new()
        );
        let (_, json) = app
            .api("handlaggare.kontakt")
            .await
            .get("/api/v1/cases?q=samtidigt+skur&per_page=100")
            .await;
        assert_eq!(json["cases"].as_array().unwrap().len(), 54);
    }
);
