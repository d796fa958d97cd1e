//! Contacts: people without an account on cases, found by name, e-mail and phone; bare case
//! numbers; a customer's reply reopening a resolved case; unread markers; follow links.

use crate::dual;
use crate::harness::assert_api_error;
use reqwest::StatusCode;
use serde_json::json;

/// A query string value, percent-encoded.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

dual!(contacts_are_found_again_and_searched, |app| {
    let agent = app.api("handlaggare.kontakt").await;
    let call = |subject: &str, contact: serde_json::Value| {
        json!({
            "service": "KL-FRAGA", "subject": subject, "description": "Ringde in.",
            "channel": "phone", "contact": contact
        })
    };
    let (s, first) = agent
        .post(
            "/api/v1/cases",
            &call(
                "Buller från grannen",
                json!({ "name": "Åsa Öberg", "email": "Asa.Oberg@Example.org", "phone": "013-20 50 00" }),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(first["contact"]["name"], "Åsa Öberg");
    assert_eq!(first["contact"]["email"], "Asa.Oberg@example.org");
    assert_eq!(first["requester_name"], "Åsa Öberg");
    let contact_id = first["contact"]["id"].as_i64().unwrap();

    // The same person by another spelling of the address: the same contact.
    let (s, second) = agent
        .post(
            "/api/v1/cases",
            &call(
                "Öppettider biblioteket",
                json!({ "email": "asa.oberg@example.ORG" }),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{second}");
    assert_eq!(second["contact"]["id"], contact_id);
    // Only the phone: found by the number however written.
    let (_, third) = agent
        .post(
            "/api/v1/cases",
            &call("Lediga jobb", json!({ "phone": "+46 13 20 50 00" })),
        )
        .await;
    assert_eq!(third["contact"]["id"], contact_id, "{third}");

    for q in [
        "öberg",
        "asa.oberg@example.org",
        "013-205000",
        "+46 13 20 50 00",
        "013205000",
    ] {
        let (s, list) = agent.get(&format!("/api/v1/cases?q={}", encode(q))).await;
        assert_eq!(s, StatusCode::OK);
        let ids: Vec<i64> = list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert!(
            ids.contains(&first["id"].as_i64().unwrap()),
            "{q:?} did not find the first case: {ids:?}"
        );
    }

    // The case page shows the contact and their other cases.
    let web = app.login("handlaggare.kontakt").await;
    let (s, html) = web.get(&format!("/cases/{}", first["id"])).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("mailto:Asa.Oberg@example.org"), "{html}");
    assert!(html.contains("Kontaktens tidigare ärenden"));
    assert!(html.contains("Öppettider biblioteket") && html.contains("Lediga jobb"));

    // Bad contact details are refused, and nothing is made.
    let before = app.db.table_counts().await.unwrap();
    let got = agent
        .post(
            "/api/v1/cases",
            &call("Fel", json!({ "email": "inte en adress" })),
        )
        .await;
    assert_api_error(&got, 422, "not an e-mail address");
    let got = agent
        .post("/api/v1/cases", &call("Tomt", json!({ "name": " " })))
        .await;
    assert_api_error(
        &got,
        422,
        "needs a name, an e-mail address or a phone number",
    );
    assert_eq!(app.db.table_counts().await.unwrap(), before);

    // A customer cannot attach someone else's contact details to their own order.
    let customer = app.api("admin.sof").await;
    let got = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "LK-LOSEN", "subject": "Lösenord", "description": "Glömt.",
                     "contact": { "email": "annan@example.org" } }),
        )
        .await;
    assert_api_error(&got, 422, "someone else");
});

dual!(a_bare_number_finds_its_case, |app| {
    let agent = app.api("handlaggare.kontakt").await;
    let (_, case) = agent
        .post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "Nummersökning", "description": "Test.",
                     "channel": "phone", "requester_name": "Per" }),
        )
        .await;
    let id = case["id"].as_i64().unwrap();
    let number = case["number"].as_str().unwrap();
    let bare = number.split('-').nth(1).unwrap();
    for q in [bare.to_string(), id.to_string(), number.to_string()] {
        let (_, list) = agent.get(&format!("/api/v1/cases?q={q}")).await;
        assert_eq!(list["cases"][0]["id"], id, "{q}: {list}");
    }
    // Digits that are no case's number find nothing (rather than failing).
    let (s, list) = agent.get("/api/v1/cases?q=99999999").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["cases"], json!([]));
});

dual!(a_customer_reply_reopens_and_is_marked_unread, |app| {
    let customer = app.api("admin.sof").await;
    let (_, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "LK-LOSEN", "subject": "Skrivaren på plan 3", "description": "Den skriver inte ut." }),
        )
        .await;
    let id = case["id"].as_i64().unwrap();
    let agent = app.api("handlaggare.lkdata").await;
    for status in ["resolved", "closed"] {
        let (s, _) = agent
            .patch(&format!("/api/v1/cases/{id}"), &json!({ "status": status }))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = customer
            .post(
                &format!("/api/v1/cases/{id}/messages"),
                &json!({ "body": "Det fungerar inte ändå.", "internal": false }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, got) = agent.get(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(got["status"], "open", "after {status}: {got}");
        assert_eq!(got["resolved_at"], json!(null));
        assert_eq!(got["closed_at"], json!(null));
        assert_eq!(got["unread_by_provider"], true);
    }
    // The queue marks it until an agent opens the case.
    let web = app.login("handlaggare.lkdata").await;
    let (_, queue) = web.get("/queues/LKDATA").await;
    assert!(queue.contains("Nytt svar"), "{queue}");
    let (s, _) = web.get(&format!("/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    let (_, queue) = web.get("/queues/LKDATA").await;
    assert!(!queue.contains("Nytt svar"));
    let (_, got) = agent.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(got["unread_by_provider"], false);

    // The agent's reply is marked in the customer's list until they open it.
    agent
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({ "body": "Vi tittar på det.", "internal": false }),
        )
        .await;
    let mine = app.login("admin.sof").await;
    let (_, list) = mine.get("/cases").await;
    assert!(list.contains("Nytt svar"), "{list}");
    mine.get(&format!("/cases/{id}")).await;
    let (_, list) = mine.get("/cases").await;
    assert!(!list.contains("Nytt svar"));
    // An internal note marks nothing for the customer.
    agent
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({ "body": "Intern.", "internal": true }),
        )
        .await;
    let (_, list) = mine.get("/cases").await;
    assert!(!list.contains("Nytt svar"));
});

dual!(
    the_system_takes_cases_in_for_a_unit_and_contacts_reply,
    |app| {
        let sapp = serva_app::App::new(app.db.clone());
        let kl = app.db.unit_by_code("KL").await.unwrap();
        let req = serva_app::IntakeRequest {
            service: "KL-FRAGA".into(),
            subject: "Soptunnan har inte tömts".into(),
            description: "Hej!".into(),
            channel: Some(serva_domain::case::Channel::Email),
            contact: Some(
                serva_domain::contact::NewContact::new(
                    Some("Åsa Öberg"),
                    Some("asa.oberg@example.org"),
                    None,
                )
                .unwrap(),
            ),
            ..Default::default()
        };
        let case = sapp.intake_as_unit(kl.id, &req).await.unwrap();
        assert_eq!(case.unit_id, kl.id);
        assert_eq!(case.requester_id, None);
        assert_eq!(case.requester_name.as_deref(), Some("Åsa Öberg"));
        // Not another unit's service.
        let other = serva_app::IntakeRequest {
            service: "LK-LOSEN".into(),
            ..req.clone()
        };
        assert!(sapp.intake_as_unit(kl.id, &other).await.is_err());

        // A follow link opens the case; a wrong one nothing.
        let token = app.db.issue_follow_token(case.id, None).await.unwrap();
        assert!(token.len() >= 43);
        assert_eq!(app.db.case_by_follow_token(&token).await.unwrap(), case.id);
        assert!(app.db.case_by_follow_token("x").await.is_err());
        assert!(app
            .db
            .case_by_follow_token(&token[..token.len() - 1])
            .await
            .is_err());

        // A reply from the contact reopens the resolved case.
        let agent = app.api("handlaggare.kontakt").await;
        agent
            .patch(
                &format!("/api/v1/cases/{}", case.id),
                &json!({ "status": "resolved" }),
            )
            .await;
        sapp.add_contact_reply(case.id, "Den är fortfarande inte tömd.")
            .await
            .unwrap();
        let (_, got) = agent.get(&format!("/api/v1/cases/{}", case.id)).await;
        assert_eq!(got["status"], "open");
        let web = app.login("handlaggare.kontakt").await;
        let (_, html) = web.get(&format!("/cases/{}", case.id)).await;
        assert!(html.contains("Den är fortfarande inte tömd."));

        // Mailboxes: found by address in any case.
        assert_eq!(
            app.db
                .unit_by_mail_address("Kontakt@Linkoping.example")
                .await
                .unwrap(),
            kl.id
        );
        assert_eq!(
            app.db.unit_mail_address(kl.id).await.unwrap().as_deref(),
            Some("kontakt@linkoping.example")
        );
    }
);
