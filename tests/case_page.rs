//! The case page in one step (issue 15, point 3): an agent's reply, status and assignee in one
//! submit, in one transaction; a unit's reply templates with their placeholders filled in; the
//! way back to the queue and on to its next case; and the customer's side — "waiting for you",
//! a new-reply marker per person, reopening a resolved case with a reason, and internal
//! answers kept from them. Every test runs on SQLite and PostgreSQL.

use reqwest::StatusCode;
use serva_domain::case::CaseStatus;
use serva_domain::CaseId;

use crate::dual;
use crate::harness::{App, Browser};

/// A case `customer` orders of `service` with `fields`; its id.
async fn order(customer: &Browser, service: &str, subject: &str, fields: &[(&str, &str)]) -> i64 {
    let mut all = vec![
        ("subject", subject),
        ("description", "Beskrivning av ärendet."),
    ];
    all.extend_from_slice(fields);
    let (s, html, loc) = customer
        .post(&format!("/portal/services/{service}/order"), &all)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    loc.unwrap()
        .trim_start_matches("/cases/")
        .trim_end_matches("?ok=created")
        .parse()
        .unwrap()
}

async fn user_id(app: &App, username: &str) -> String {
    app.db
        .user_by_username(username)
        .await
        .unwrap()
        .id
        .to_string()
}

async fn audit_actions(app: &App, id: i64) -> Vec<String> {
    app.db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("case".into()),
            entity_id: Some(id.to_string()),
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect()
}

dual!(one_submit_replies_sets_status_and_assigns, |app| {
    let customer = app.login("admin.sof").await;
    let id = order(&customer, "KL-FRAGA", "Buller från grannen", &[]).await;
    let agent = app.login("handlaggare.kontakt").await;
    let me = user_id(&app, "handlaggare.kontakt").await;
    let (s, html) = agent.get(&format!("/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(r#"action="/cases/"#) && html.contains("/work\""),
        "{html}"
    );
    assert!(
        html.contains(r#"<script src="/static/keys.js" defer>"#),
        "the case page's keys"
    );
    let (_, keys) = agent.get("/help/keys").await;
    assert!(
        keys.contains("Skriv ett svar") && keys.contains("Nästa ärende i kön"),
        "{keys}"
    );
    let (_, js) = agent.get("/static/keys.js").await;
    assert!(js.contains("next-case") && js.contains("use-template"));
    let before = audit_actions(&app, id).await.len();

    // Bad input: nothing is saved, what was typed is kept, the problem is said beside it.
    let long = "x".repeat(serva_domain::case::TEXT_MAX + 1);
    let (s, html, _) = agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", &long),
                ("internal", "false"),
                ("status", "resolved"),
                ("assignee", &me),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"body-error\"") && html.contains("Texten är för lång"),
        "{html}"
    );
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        html.contains(r#"<option value="resolved" selected>"#),
        "the status chosen is kept"
    );
    let c = app.db.case(CaseId(id)).await.unwrap();
    assert_eq!((c.status, c.assignee_id), (CaseStatus::New, None));
    assert_eq!(audit_actions(&app, id).await.len(), before);

    // An empty form asks for something to do.
    let (s, html, _) = agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", " "),
                ("internal", "false"),
                ("status", ""),
                ("assignee", "keep"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Skriv ett meddelande eller välj en ny status eller handläggare."));

    // One submit: the reply, the status and the assignee, all of them.
    let (s, html, loc) = agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", "Hej! Kan du berätta vilken adress det gäller?"),
                ("internal", "false"),
                ("status", "waiting_customer"),
                ("assignee", &me),
                ("from", "KL"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(
        loc.as_deref(),
        Some(format!("/cases/{id}?ok=worked&from=KL").as_str())
    );
    let c = app.db.case(CaseId(id)).await.unwrap();
    assert_eq!(c.status, CaseStatus::WaitingCustomer);
    assert_eq!(c.assignee_id.map(|u| u.to_string()), Some(me.clone()));
    let messages = app.db.messages(CaseId(id), true).await.unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0].body,
        "Hej! Kan du berätta vilken adress det gäller?"
    );
    assert!(
        c.first_response_at.is_some(),
        "the reply is the first response"
    );
    let actions = audit_actions(&app, id).await;
    for a in ["add_message", "assign", "set_status"] {
        assert!(actions.iter().any(|x| x == a), "{a} audited: {actions:?}");
    }
    assert_eq!(actions.len(), before + 3);
    let kinds: Vec<_> = app
        .db
        .history(CaseId(id))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind.as_str())
        .collect();
    assert!(
        kinds.ends_with(&["message", "assigned", "status"]),
        "{kinds:?}"
    );

    // A note alone, keeping status and assignee.
    let (s, _, _) = agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", "Ringde, inget svar."),
                ("internal", "true"),
                ("status", ""),
                ("assignee", "keep"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let c = app.db.case(CaseId(id)).await.unwrap();
    assert_eq!(c.status, CaseStatus::WaitingCustomer);
    assert_eq!(c.assignee_id.map(|u| u.to_string()), Some(me.clone()));

    // Someone who does not work the queue cannot be assigned; nothing else changes then.
    let other = user_id(&app, "handlaggare.hr").await;
    let (s, html, _) = agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", "Svar"),
                ("internal", "false"),
                ("status", "resolved"),
                ("assignee", &other),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("Inget är sparat."), "{html}");
    assert_eq!(app.db.messages(CaseId(id), true).await.unwrap().len(), 2);
    assert_eq!(
        app.db.case(CaseId(id)).await.unwrap().status,
        CaseStatus::WaitingCustomer
    );

    // The customer cannot use the agent's form.
    let (s, _, _) = customer
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", "Hej"),
                ("internal", "false"),
                ("status", "closed"),
                ("assignee", "keep"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

dual!(reply_templates_are_managed_and_filled_in, |app| {
    let chef = app.login("chef.kontakt").await;
    let (s, html) = chef.get("/units/KL/templates").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Tack, vi återkommer"),
        "the demo's templates: {html}"
    );

    // A template without a text is refused beside the field, the name kept.
    let (s, html, _) = chef
        .post(
            "/units/KL/templates",
            &[("name", "Snabbsvar"), ("body", "  ")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"body-error\"") && html.contains("Skriv mallens text."));
    assert!(html.contains("value=\"Snabbsvar\""));
    let body = "Hej {kund}! Ditt ärende {ärende} om {tjänst} är mottaget. /{handläggare} {okänd}";
    let (s, _, loc) = chef
        .post(
            "/units/KL/templates",
            &[("name", "Snabbsvar"), ("body", body)],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(loc.as_deref(), Some("/units/KL/templates?ok=saved"));
    let (s, html, _) = chef
        .post(
            "/units/KL/templates",
            &[("name", "Snabbsvar"), ("body", "igen")],
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("Enheten har redan en mall med det namnet."));
    let kl = app.db.unit_by_code("KL").await.unwrap();
    let t = app
        .db
        .reply_templates(kl.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Snabbsvar")
        .unwrap();

    // Only the unit's managers and administrators manage them; an agent is told nothing.
    let agent = app.login("handlaggare.kontakt").await;
    assert_eq!(
        agent.get("/units/KL/templates").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        chef.get("/units/HRS/templates").await.0,
        StatusCode::NOT_FOUND
    );
    let (s, _, _) = agent
        .post(&format!("/units/KL/templates/{}/delete", t.id), &[])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The agent picks it on a case: the placeholders are filled in, the form comes back.
    let customer = app.login("admin.sof").await;
    let id = order(&customer, "KL-FRAGA", "Öppettider", &[]).await;
    let number = app.db.case(CaseId(id)).await.unwrap().number().to_string();
    let (s, html, _) = agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("template", &t.id.to_string()),
                ("use_template", "1"),
                ("body", ""),
                ("internal", "false"),
                ("status", "resolved"),
                ("assignee", "keep"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let filled = format!(
        "Hej Sofia Öhman! Ditt ärende {number} om Allmän fråga till kommunen är mottaget. /Karin Lund {{okänd}}"
    );
    let agent_name = app
        .db
        .user_by_username("handlaggare.kontakt")
        .await
        .unwrap()
        .display_name;
    let filled = filled.replace("Karin Lund", &agent_name);
    assert!(html.contains(&filled), "{filled} in {html}");
    assert!(
        html.contains(r#"<option value="resolved" selected>"#),
        "the status chosen is kept"
    );
    assert_eq!(
        app.db.messages(CaseId(id), true).await.unwrap().len(),
        0,
        "nothing sent yet"
    );

    // Edited, then deleted after the question.
    let (s, _, _) = chef
        .post(
            &format!("/units/KL/templates/{}", t.id),
            &[("name", "Snabbsvar 2"), ("body", "Hej {kund}")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db.reply_template(t.id).await.unwrap().name,
        "Snabbsvar 2"
    );
    let (s, html) = chef
        .get(&format!("/units/KL/templates/{}/delete", t.id))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Vill du ta bort mallen") && html.contains("Snabbsvar 2"));
    let (s, _, loc) = chef
        .post(&format!("/units/KL/templates/{}/delete", t.id), &[])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(loc.as_deref(), Some("/units/KL/templates?ok=deleted"));
    assert!(app.db.reply_template(t.id).await.is_err());
});

dual!(back_to_the_queue_and_on_to_the_next_case, |app| {
    let customer = app.login("admin.sof").await;
    let older = order(&customer, "KL-FRAGA", "Första", &[]).await;
    let newer = order(&customer, "KL-FRAGA", "Andra", &[]).await;
    let agent = app.login("handlaggare.kontakt").await;
    // Newest first, as the queue lists them: from the newer case on to the older one.
    let (_, html) = agent.get(&format!("/cases/{newer}?from=KL")).await;
    assert!(html.contains(r#"href="/queues/KL""#), "{html}");
    assert!(
        html.contains(&format!(r#"href="/cases/{older}?from=KL""#)),
        "{html}"
    );
    // From the oldest, round to the newest.
    let (_, html) = agent.get(&format!("/cases/{older}")).await;
    assert!(
        html.contains(&format!(r#"href="/cases/{newer}?from=KL""#)),
        "{html}"
    );
    // A resolved case is not next.
    let me = user_id(&app, "handlaggare.kontakt").await;
    let (s, _, _) = agent
        .post(
            &format!("/cases/{older}/work"),
            &[
                ("body", ""),
                ("internal", "false"),
                ("status", "resolved"),
                ("assignee", &me),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = agent.get(&format!("/cases/{newer}?from=KL")).await;
    assert!(!html.contains(&format!(r#"href="/cases/{older}?from=KL""#)));
    assert!(
        html.contains("Inga fler ärenden att arbeta i kön."),
        "{html}"
    );
    // The customer sees no queue.
    let (_, html) = customer.get(&format!("/cases/{newer}?from=KL")).await;
    assert!(!html.contains("/queues/KL"));
});

dual!(customer_sees_waiting_and_new_replies_per_person, |app| {
    let customer = app.login("admin.sof").await;
    let id = order(&customer, "KL-FRAGA", "Parkeringstillstånd", &[]).await;
    let agent = app.login("handlaggare.kontakt").await;
    let (_, list) = customer.get("/cases").await;
    assert!(
        !list.contains("Nytt svar") && !list.contains("Väntar på dig"),
        "{list}"
    );
    let (s, _, _) = agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", "Vilket registreringsnummer?"),
                ("internal", "false"),
                ("status", "waiting_customer"),
                ("assignee", "keep"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, list) = customer.get("/cases").await;
    assert!(list.contains("Nytt svar"), "{list}");
    assert!(list.contains("Väntar på dig"), "{list}");
    // Opening the case shows the reply as new, and the marker goes.
    let (_, html) = customer.get(&format!("/cases/{id}")).await;
    assert!(html.contains("Väntar på dig"));
    assert!(html.contains("Vilket registreringsnummer?"));
    let (_, list) = customer.get("/cases").await;
    assert!(!list.contains("Nytt svar"), "read: {list}");
    // An internal note is no new reply; a further reply is.
    agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", "Intern koll"),
                ("internal", "true"),
                ("status", ""),
                ("assignee", "keep"),
            ],
        )
        .await;
    let (_, list) = customer.get("/cases").await;
    assert!(!list.contains("Nytt svar"), "a note is not shown: {list}");
    agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", "Påminnelse"),
                ("internal", "false"),
                ("status", ""),
                ("assignee", "keep"),
            ],
        )
        .await;
    let (_, list) = customer.get("/cases").await;
    assert!(list.contains("Nytt svar"), "{list}");
    let (_, html) = customer.get(&format!("/cases/{id}")).await;
    assert!(
        html.contains(r#"<span class="badge unread">Nytt</span>"#),
        "{html}"
    );
    assert!(!html.contains("Intern koll"));
});

dual!(customer_reopens_a_resolved_case_of_their_own, |app| {
    let customer = app.login("admin.sof").await;
    let id = order(&customer, "KL-FRAGA", "Bygglov", &[]).await;
    let agent = app.login("handlaggare.kontakt").await;

    // Not yet resolved: no button, and the rule refuses.
    let (_, html) = customer.get(&format!("/cases/{id}")).await;
    assert!(!html.contains("/reopen\""));
    let (s, html, _) = customer
        .post(&format!("/cases/{id}/reopen"), &[("reason", "Fel")])
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(
        html.contains("Bara ett löst ärende kan öppnas igen."),
        "{html}"
    );

    let (s, _, _) = agent
        .post(
            &format!("/cases/{id}/work"),
            &[
                ("body", "Klart!"),
                ("internal", "false"),
                ("status", "resolved"),
                ("assignee", "keep"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = customer.get(&format!("/cases/{id}")).await;
    assert!(
        html.contains(&format!(r#"action="/cases/{id}/reopen""#)),
        "{html}"
    );
    assert!(html.contains("Öppna igen"));

    // The reason is required; the error is beside the field.
    let (s, html, _) = customer
        .post(&format!("/cases/{id}/reopen"), &[("reason", "  ")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"reason-error\"") && html.contains("Fältet måste fyllas i."),
        "{html}"
    );
    assert_eq!(
        app.db.case(CaseId(id)).await.unwrap().status,
        CaseStatus::Resolved
    );

    // Someone else's case: not theirs to reopen (they do not even see it).
    let stranger = app.login("chef.uf").await;
    let (s, _, _) = stranger
        .post(&format!("/cases/{id}/reopen"), &[("reason", "Nej")])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The provider's side changes the status instead.
    let (s, _, _) = agent
        .post(&format!("/cases/{id}/reopen"), &[("reason", "Nej")])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, _, loc) = customer
        .post(
            &format!("/cases/{id}/reopen"),
            &[("reason", "Jag har inte fått något besked.")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        loc.as_deref(),
        Some(format!("/cases/{id}?ok=reopened").as_str())
    );
    let c = app.db.case(CaseId(id)).await.unwrap();
    assert_eq!(c.status, CaseStatus::Open);
    assert!(c.resolved_at.is_none());
    assert!(
        c.unread_by_provider,
        "the agent sees the reason as a new reply"
    );
    let last = app
        .db
        .messages(CaseId(id), false)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(last.body, "Jag har inte fått något besked.");
    let (_, html) = customer.get(&format!("/cases/{id}?ok=reopened")).await;
    assert!(html.contains("Ärendet är öppnat igen."));
    assert!(!html.contains("/reopen\""), "open again: no button");
});

dual!(internal_answers_are_for_the_provider_only, |app| {
    // The catalogue editor marks a field internal.
    let chef = app.login("chef.kontakt").await;
    let form =
        "fraga | Din fråga | text | required\nmalgrupp | Målgrupp | text | optional internal";
    let (s, html, _) = chef
        .post(
            "/catalogue",
            &[
                ("unit", "KL"),
                ("code", "KL-TEST"),
                ("name", "Testtjänst"),
                ("description", "En tjänst för provet."),
                ("category", "Medborgarfrågor"),
                ("price_model", "per_case"),
                ("price", "0"),
                ("first_response_minutes", "60"),
                ("resolution_minutes", "600"),
                ("form", form),
                ("active", "true"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let (_, html) = chef.get("/catalogue/KL-TEST/edit").await;
    assert!(
        html.contains("malgrupp | Målgrupp | text | optional internal"),
        "{html}"
    );

    // The customer is not asked it.
    let customer = app.login("admin.sof").await;
    let (_, html) = customer.get("/portal/services/KL-TEST").await;
    assert!(
        html.contains("name=\"fraga\"") && !html.contains("name=\"malgrupp\""),
        "{html}"
    );
    // An answer they send anyway is refused as no field of their form.
    let (s, html, _) = customer
        .post(
            "/portal/services/KL-TEST/order",
            &[
                ("subject", "Eget"),
                ("description", "Text"),
                ("fraga", "Egen fråga"),
                ("malgrupp", "Påhittad"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Fältet finns inte i formuläret."), "{html}");
    let own = order(&customer, "KL-TEST", "Eget", &[("fraga", "Egen fråga")]).await;
    let answers = app.db.case(CaseId(own)).await.unwrap().answers;
    assert_eq!(
        answers,
        vec![("fraga".to_string(), "Egen fråga".to_string())]
    );

    // The agent answers it, registering a call from the customer unit.
    let agent = app.login("handlaggare.kontakt").await;
    let (s, html, loc) = agent
        .post(
            "/contacts",
            &[
                ("service", "KL-TEST"),
                ("channel", "phone"),
                ("requester_name", "Ulla Ek"),
                ("customer_unit", "UF"),
                ("subject", "Prov"),
                ("description", "Ringde och frågade."),
                ("f_fraga", "Hur gör jag?"),
                ("f_malgrupp", "Seniorer"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let id: i64 = loc
        .unwrap()
        .trim_start_matches("/cases/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // The customer unit's manager sees the case without the internal answer, on the page
    // and through the API; the agent sees it.
    let manager = app.login("chef.uf").await;
    let (_, html) = manager.get(&format!("/cases/{id}")).await;
    assert!(html.contains("Hur gör jag?"), "{html}");
    assert!(
        !html.contains("Seniorer") && !html.contains("Målgrupp"),
        "{html}"
    );
    let (s, json) = app
        .api("chef.uf")
        .await
        .get(&format!("/api/v1/cases/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(json["fields"]["fraga"], "Hur gör jag?", "{json}");
    assert!(
        json["fields"].get("malgrupp").is_none() && json["target_group"].is_null(),
        "{json}"
    );
    let (_, json) = app.api("chef.uf").await.get("/api/v1/cases").await;
    assert!(json.to_string().contains("Hur gör jag?"), "{json}");
    assert!(!json.to_string().contains("Seniorer"), "{json}");
    let (_, html) = agent.get(&format!("/cases/{id}")).await;
    assert!(
        html.contains("Seniorer") && html.contains("Målgrupp"),
        "{html}"
    );
    let (_, json) = app
        .api("handlaggare.kontakt")
        .await
        .get(&format!("/api/v1/cases/{id}"))
        .await;
    assert_eq!(json["fields"]["malgrupp"], "Seniorer", "{json}");
});
