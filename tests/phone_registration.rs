//! Registering a call in one step (`/contacts/new`): the agent chooses the service without
//! JavaScript, gets its own order-form fields, and the caller becomes the case's contact. An
//! open registration is the agent's, answered; "resolved at first contact" is not ticked by
//! default; a wrong form is shown again as typed, each error at its field, and nothing is made.

use reqwest::StatusCode;

use crate::dual;
use crate::harness::App;

/// The newest case's id (a refused form must make none).
async fn case_count(app: &App) -> i64 {
    let page = app
        .db
        .list_cases(&serva_store::cases::CaseFilter::new(
            serva_domain::access::Visibility::All,
        ))
        .await
        .unwrap();
    page.cases.first().map(|c| c.id.0).unwrap_or(0)
}

dual!(a_call_registered_with_the_services_required_fields, |app| {
    let agent = app.login("handlaggare.lkdata").await;

    // Step 1: no service chosen, no form; the service list is a GET form ("Visa formulär").
    let (s, html) = agent.get("/contacts/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("action=\"/contacts/new\"") && html.contains("Visa formulär"));
    assert!(html.contains("value=\"LK-KONTO\""));
    assert!(!html.contains("name=\"f_startdatum\""));

    // Step 2: LK-KONTO's form with its required fields marked, "resolved" not ticked.
    let (s, html) = agent.get("/contacts/new?service=LK-KONTO").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"f_startdatum\"") && html.contains("name=\"f_behorighet\""));
    assert!(html.contains("Startdatum *") && html.contains("Behörighetsnivå *"));
    assert!(html.contains("name=\"contact_phone\"") && html.contains("name=\"contact_email\""));
    let resolve = html
        .split("name=\"resolve_now\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .expect("the form has the resolve checkbox");
    assert!(
        !resolve.contains("checked"),
        "resolved at first contact is not ticked by default: {resolve}"
    );

    // A service the agent does not work is refused, not shown.
    let (s, html) = agent.get("/contacts/new?service=KL-FRAGA").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("aria-invalid=\"true\"") && !html.contains("name=\"subject\""));

    // Missing required fields, a bad date, a bad phone number: shown again as typed, each
    // error at its field, nothing created.
    let before = case_count(&app).await;
    let (s, html, _) = agent
        .post(
            "/contacts",
            &[
                ("service", "LK-KONTO"),
                ("channel", "phone"),
                ("requester_name", "Ingrid Holm"),
                ("contact_phone", "ring mig"),
                ("contact_email", "ingrid.holm@linkoping.se"),
                ("customer_unit", ""),
                ("target_group", ""),
                ("subject", "Konto till ny medarbetare"),
                (
                    "description",
                    "Ny kollega börjar på utbildningsförvaltningen.",
                ),
                ("f_startdatum", "31/12"),
                ("f_behorighet", ""),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(case_count(&app).await, before, "nothing is created");
    assert!(html.contains("Telefonnumret ser inte ut som ett telefonnummer."));
    assert!(html.contains(
        "id=\"contact_phone\" type=\"tel\" name=\"contact_phone\" autocomplete=\"off\" value=\"ring mig\" aria-invalid=\"true\" aria-describedby=\"contact_phone-error\""
    ));
    assert!(
        html.contains("id=\"f_startdatum-error\"") && html.contains("id=\"f_behorighet-error\"")
    );
    assert!(
        html.contains("value=\"31/12\"") && html.contains("value=\"Konto till ny medarbetare\"")
    );
    assert!(html.contains("href=\"#f_behorighet\"") && html.contains("href=\"#contact_phone\""));
    // The email field did not get an error.
    assert!(!html.contains("contact_email-error"));

    // Corrected: one post makes the case, with the answers and the caller as its contact; it
    // stays open, assigned to the agent, and the call was its first response.
    let (s, _, loc) = agent
        .post(
            "/contacts",
            &[
                ("service", "LK-KONTO"),
                ("channel", "phone"),
                ("requester_name", "Ingrid Holm"),
                ("contact_phone", "013-20 61 00"),
                ("contact_email", "ingrid.holm@linkoping.se"),
                ("customer_unit", "UF"),
                ("target_group", ""),
                ("subject", "Konto till ny medarbetare"),
                (
                    "description",
                    "Ny kollega börjar på utbildningsförvaltningen.",
                ),
                ("f_startdatum", "2019-10-01"),
                ("f_behorighet", "Standard"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let id: i64 = loc
        .unwrap()
        .trim_start_matches("/cases/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let api = app.api("handlaggare.lkdata").await;
    let (s, c) = api.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let me = app.db.user_by_username("handlaggare.lkdata").await.unwrap();
    assert_eq!(c["status"], "new");
    assert_eq!(c["channel"], "phone");
    assert_eq!(c["first_contact_resolution"], false);
    assert_eq!(
        c["assignee_id"], me.id.0,
        "an open call is the agent's: {c}"
    );
    assert!(
        c["first_response_at"].is_string(),
        "the call was the first response: {c}"
    );
    assert_eq!(c["first_response_at"], c["created_at"]);
    assert_eq!(c["fields"]["startdatum"], "2019-10-01");
    assert_eq!(c["fields"]["behorighet"], "Standard");
    assert_eq!(c["contact"]["name"], "Ingrid Holm");
    assert_eq!(c["contact"]["email"], "ingrid.holm@linkoping.se");
    let uf = app.db.unit_by_code("UF").await.unwrap();
    assert_eq!(c["customer_unit"]["id"], uf.id.0);
    assert_eq!(c["requester_id"], serde_json::Value::Null);
    let (_, page) = agent.get(&format!("/cases/{id}")).await;
    assert!(
        page.contains("tilldelade ärendet"),
        "the history says whose it is"
    );

    // The service is remembered: the next registration starts at its form.
    let (s, html) = agent.get("/contacts/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"f_startdatum\""));
    // An explicit empty choice shows the list only.
    let (_, html) = agent.get("/contacts/new?service=").await;
    assert!(!html.contains("name=\"f_startdatum\""));

    // The next call from the same number finds the same contact.
    let (s, _, loc) = agent
        .post(
            "/contacts",
            &[
                ("service", "LK-LOSEN"),
                ("channel", "phone"),
                ("contact_phone", "013 206100"),
                ("subject", "Glömt lösenordet"),
                ("description", "Återställde lösenordet medan hon väntade."),
                ("resolve_now", "true"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let id2 = loc
        .unwrap()
        .trim_start_matches("/cases/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (_, c2) = api.get(&format!("/api/v1/cases/{id2}")).await;
    assert_eq!(c2["contact"]["id"], c["contact"]["id"], "{c2}");
    assert_eq!(c2["status"], "closed");
    assert_eq!(c2["first_contact_resolution"], true);
    assert_eq!(c2["assignee_id"], me.id.0);
});

dual!(
    an_email_registered_for_someone_is_not_taken_and_channel_web_is_refused,
    |app| {
        let agent = app.login("handlaggare.kontakt").await;
        // An e-mail registered by the agent waits in the queue: nobody has answered it yet.
        let (s, _, loc) = agent
            .post(
                "/contacts",
                &[
                    ("service", "KL-FRAGA"),
                    ("channel", "email"),
                    ("contact_email", "sven.berg@example.se"),
                    ("subject", "Fråga om bygglov"),
                    ("description", "Kom in per e-post till den gamla adressen."),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let id = loc
            .unwrap()
            .trim_start_matches("/cases/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let api = app.api("handlaggare.kontakt").await;
        let (_, c) = api.get(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(c["assignee_id"], serde_json::Value::Null, "{c}");
        assert_eq!(c["first_response_at"], serde_json::Value::Null, "{c}");
        assert_eq!(c["contact"]["email"], "sven.berg@example.se");

        // A visit registered over the API is taken as well (the rule is the intake's).
        let (s, v) = api
        .post(
            "/api/v1/cases",
            &serde_json::json!({"service": "KL-FRAGA", "channel": "visit", "subject": "Besök i receptionen",
                                "description": "Ville veta öppettiderna.", "requester_name": "Anna Lind"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert!(
            v["assignee_id"].is_i64() && v["first_response_at"].is_string(),
            "{v}"
        );

        // "web" is not a channel an agent registers; an empty subject is shown at its field.
        let before = case_count(&app).await;
        let (s, html, _) = agent
            .post(
                "/contacts",
                &[
                    ("service", "KL-FRAGA"),
                    ("channel", "web"),
                    ("subject", ""),
                    ("description", "Något"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Kanal: Välj en kanal."));
        assert!(html.contains("Rubrik: Fältet måste fyllas i."));
        assert!(html.contains("aria-describedby=\"subject-error\""));
        assert_eq!(case_count(&app).await, before);
    }
);
