//! Administration at scale: finding people by name, unit, role and state a page at a time;
//! the add-a-person form that keeps what was typed; the audit log in plain words with filters;
//! units offered only while they exist.

use crate::dual;
use reqwest::StatusCode;

/// The usernames in the users table of a page, in order.
fn usernames(html: &str) -> Vec<String> {
    html.split("<a href=\"/admin/users/")
        .skip(1)
        .filter_map(|s| Some(s.split_once("\">")?.1.split('<').next()?.to_string()))
        .collect()
}

dual!(people_are_found_by_name_unit_role_and_state, |app| {
    let admin = app.login("admin").await;
    // Sixty more agents of Ekonomiservice: more than a page.
    for i in 0..60 {
        let (s, html, _) = admin
            .post(
                "/admin/users",
                &[
                    ("username", &format!("ek.agent{i:02}")),
                    ("display_name", &format!("Ekonom Nummer {i:02}")),
                    ("email", &format!("ek{i:02}@linkoping.se")),
                    ("password", "langtlosenord"),
                    ("home_unit", "EKS"),
                    ("role", "agent"),
                    ("role_unit", "EKS"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    }

    let (s, html) = admin.get("/admin/users?unit=EKS&role=agent").await;
    assert_eq!(s, StatusCode::OK);
    let first = usernames(&html);
    assert_eq!(first.len(), 50, "a page holds 50");
    assert!(first.iter().all(|u| u.starts_with("ek.")), "{first:?}");
    assert!(html.contains("rel=\"next\""));
    let (_, html) = admin.get("/admin/users?unit=EKS&role=agent&page=2").await;
    let second = usernames(&html);
    assert!(second.len() >= 10 && !second.iter().any(|u| first.contains(u)));
    assert!(!html.contains("rel=\"next\""));

    // By part of a name (any case), of an e-mail, of a username.
    let (_, html) = admin.get("/admin/users?q=nummer%2007").await;
    assert_eq!(usernames(&html), vec!["ek.agent07"]);
    let (_, html) = admin.get("/admin/users?q=EK42%40").await;
    assert_eq!(usernames(&html), vec!["ek.agent42"]);
    let (_, html) = admin.get("/admin/users?q=chef.kon").await;
    assert_eq!(usernames(&html), vec!["chef.kontakt"]);
    // A role alone: the controllers; a unit alone includes who holds a role there.
    let (_, html) = admin.get("/admin/users?role=controller").await;
    assert_eq!(usernames(&html), vec!["controller"]);
    let (_, html) = admin.get("/admin/users?unit=KL&role=unit_manager").await;
    assert_eq!(usernames(&html), vec!["chef.kontakt"]);
    // Deactivated accounts, on their own.
    let uid = app.db.user_by_username("ek.agent03").await.unwrap().id;
    let (s, _, _) = admin
        .post(
            &format!("/admin/users/{uid}"),
            &[("display_name", "Ekonom Nummer 03"), ("home_unit", "EKS")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = admin.get("/admin/users?state=inactive").await;
    assert_eq!(usernames(&html), vec!["ek.agent03"]);
    assert!(html.contains("avstängd"));
    let (_, html) = admin.get("/admin/users?q=ingen-sadan-person").await;
    assert!(usernames(&html).is_empty() && html.contains("Ingen användare matchar"));
    // A filter naming what does not exist is the caller's mistake.
    assert_eq!(
        admin.get("/admin/users?unit=FINNSEJ").await.0,
        StatusCode::BAD_REQUEST
    );
});

dual!(
    the_add_person_form_keeps_what_was_typed_and_says_what_is_wrong,
    |app| {
        let admin = app.login("admin").await;
        let (s, html, _) = admin
            .post(
                "/admin/users",
                &[
                    ("username", "Anna Berg"),
                    ("display_name", "Anna Berg"),
                    ("email", "inte-en-adress"),
                    ("password", "kort"),
                    ("home_unit", "HRS"),
                    ("role", "agent"),
                    ("role_unit", "HRS"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Each problem beside its field, tied to it for a screen reader.
        for (field, text) in [
            ("username", "Användarnamnet ska vara 2–64 tecken"),
            ("email", "Skriv en e-postadress"),
            ("password", "Lösenordet måste ha minst 8 tecken"),
        ] {
            let at = html
                .find(&format!("id=\"{field}-error\""))
                .unwrap_or_else(|| panic!("no error beside {field}"));
            assert!(
                html[at..at + 300].contains(text),
                "{field}: {}",
                &html[at..at + 300]
            );
            assert!(html.contains(&format!("aria-describedby=\"{field}-error\"")));
        }
        assert!(!html.contains("id=\"display_name-error\""));
        // What was typed is still there (but never the password).
        assert!(html.contains("value=\"Anna Berg\""));
        assert!(html.contains("value=\"inte-en-adress\""));
        assert!(html.contains("<option value=\"HRS\" selected>"));
        assert!(!html.contains("value=\"kort\""));
        assert!(app.db.user_by_username("anna berg").await.is_err());

        // A taken username is said beside the username.
        let (s, html, _) = admin
            .post(
                "/admin/users",
                &[
                    ("username", "chef.kontakt"),
                    ("display_name", "Någon Annan"),
                    ("password", "langtlosenord"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let at = html
            .find("id=\"username-error\"")
            .expect("beside the username");
        assert!(html[at..at + 200].contains("finns redan"));
        assert!(html.contains("value=\"Någon Annan\""));
    }
);

dual!(
    the_audit_log_reads_in_words_and_filters_by_person_case_and_day,
    |app| {
        let agent = app.api("handlaggare.kontakt").await;
        let customer = app.api("admin.sof").await;
        let (s, case) = customer
        .post(
            "/api/v1/cases",
            &serde_json::json!({ "service": "KL-FRAGA", "subject": "Granskas", "description": "Hej" }),
        )
        .await;
        assert_eq!(s, 201, "{case}");
        let id = case["id"].as_i64().unwrap();
        let number = case["number"].as_str().unwrap().to_string();
        let (s, body) = agent
            .patch(
                &format!("/api/v1/cases/{id}"),
                &serde_json::json!({ "status": "waiting_customer" }),
            )
            .await;
        assert!(s.is_success(), "{body}");

        let admin = app.login("admin").await;
        let (s, html) = admin.get(&format!("/admin/audit?case={}", number)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("ändrade status") && html.contains("Ny → Väntar på kund"),
            "{html}"
        );
        assert!(html.contains(&format!("href=\"/cases/{id}\"")));
        // By person: only what that person did.
        let (_, html) = admin.get("/admin/audit?who=handlaggare.kontakt").await;
        assert!(html.contains("ändrade status"));
        assert!(
            !html.contains("skapade ärende"),
            "the customer's creation is not the agent's"
        );
        // By day: today has it, a day long past has nothing.
        let today = serva_domain::time::today().format("%Y-%m-%d").to_string();
        let (_, html) = admin
            .get(&format!("/admin/audit?case={id}&from={today}&to={today}"))
            .await;
        assert!(html.contains("Ny → Väntar på kund"));
        let (_, html) = admin
            .get(&format!(
                "/admin/audit?case={id}&from=2001-01-01&to=2001-01-31"
            ))
            .await;
        assert!(html.contains("Inget i loggen matchar"));
        // Signing in is said of oneself, not as something done to a user.
        let (_, html) = admin.get("/admin/audit?who=admin").await;
        assert!(html.contains("loggade in"), "{html}");
        assert!(!html.contains("loggade in användaren"), "{html}");
        // Filters that cannot be read are said so.
        let (s, html) = admin.get("/admin/audit?who=ingen.alls").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Det finns ingen användare"));
        let (s, html) = admin.get("/admin/audit?from=31/12/2019").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("ÅÅÅÅ-MM-DD"));
    }
);

dual!(units_are_offered_only_while_they_exist, |app| {
    let admin = app.login("admin").await;
    // A company that begins long after today, and Stadsarkivet ended in the past.
    let (s, html, _) = admin
        .post(
            "/admin/units",
            &[
                ("code", "FRAMTAB"),
                ("name", "Framtidsbolaget AB"),
                ("kind", "company"),
                ("parent", "LK"),
                ("valid_from", "20990101"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(
        app.db
            .unit_by_code("FRAMTAB")
            .await
            .unwrap()
            .valid_from
            .as_deref(),
        Some("2099-01-01"),
        "a day typed without dashes is kept the one way"
    );
    let agent = app.login("handlaggare.kontakt").await;
    let (_, html) = agent.get("/contacts/new?service=KL-FRAGA").await;
    assert!(
        html.contains("Tekniska verken"),
        "a company of today is offered"
    );
    assert!(!html.contains("Framtidsbolaget"), "one of 2099 is not");

    let (_, html) = admin.get("/portal").await;
    assert!(html.contains("Stadsarkivet") && html.contains("Begäran om arkivhandlingar"));
    let (s, html, _) = admin
        .post(
            "/admin/units/ARKIV",
            &[
                ("code", "ARKIV"),
                ("name", "Stadsarkivet"),
                ("kind", "unit"),
                ("parent", "VSS"),
                ("erp_code", "2050"),
                ("valid_to", "2001-12-31"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let (_, html) = admin.get("/portal").await;
    assert!(
        !html.contains("Begäran om arkivhandlingar"),
        "an ended unit sells nothing"
    );
    assert!(
        !html.contains(">Stadsarkivet<"),
        "nor is it a provider to choose"
    );
    // Not even by its direct address or the API.
    let (s, body) = app
        .api("admin.sof")
        .await
        .post(
            "/api/v1/cases",
            &serde_json::json!({ "service": "AR-UTLAN", "subject": "Handlingar", "description": "Hej" }),
        )
        .await;
    assert!(s.is_client_error(), "{s} {body}");
    // Its history stays: the unit is still administered.
    let (_, html) = admin.get("/admin/units").await;
    assert!(html.contains("Stadsarkivet"));
});
