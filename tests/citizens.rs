//! Citizens: the public contact form (no login, a honeypot, a rate limit per address) makes a
//! case at Kontakt Linköping with a follow link that works without login.

use reqwest::StatusCode;
use serde_json::json;

use crate::dual;
use crate::harness::App;

async fn cases_stored(app: &App) -> i64 {
    app.db
        .table_counts()
        .await
        .unwrap()
        .into_iter()
        .find(|(t, _)| t == "cases")
        .expect("cases are counted")
        .1
}

/// Posts the public form as a browser without a session would.
async fn post_form(
    app: &App,
    fields: &[(&str, &str)],
) -> (StatusCode, String, reqwest::header::HeaderMap) {
    let r = app
        .browser()
        .client
        .post(app.url("/kontakt"))
        .form(fields)
        .send()
        .await
        .unwrap();
    let (s, h) = (r.status(), r.headers().clone());
    (s, r.text().await.unwrap(), h)
}

fn follow_path(html: &str) -> String {
    let at = html
        .find("href=\"/follow/")
        .expect("the answer shows the follow link")
        + "href=\"".len();
    html[at..].split('"').next().unwrap().to_string()
}

dual!(the_login_page_links_the_public_contact_form, |app| {
    let b = app.browser();
    let (s, login) = b.get("/login").await;
    assert_eq!(s, StatusCode::OK);
    assert!(login.contains("href=\"/kontakt\""), "{login}");
    let (s, form) = b.get("/kontakt").await;
    assert_eq!(s, StatusCode::OK, "no sign-in needed");
    assert!(form.contains("<form") && form.contains("name=\"message\""));
    assert!(
        form.contains("Socialförvaltningen"),
        "departments to choose from"
    );
    assert!(
        form.contains("Lämna detta fält tomt"),
        "the honeypot tells people to leave it"
    );
});

dual!(
    a_citizen_writes_follows_and_replies_without_an_account,
    |app| {
        let (s, html, _) = post_form(
            &app,
            &[
                ("name", "Anna Invånare"),
                ("email", "anna@example.se"),
                ("phone", ""),
                ("subject", "Bygglov för altan"),
                ("message", "Behöver jag bygglov för en altan på 20 kvm?"),
                ("department", "SOF"),
                ("website", ""),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{html}");
        let follow = follow_path(&html);
        let token = follow.trim_start_matches("/follow/");
        assert!(token.len() >= 32, "an unguessable token: {token}");

        // The case is at Kontakt Linköping, on the web, for the department, with the contact.
        let admin = app.api("admin").await;
        let (_, list) = admin.get("/api/v1/cases?q=altan").await;
        let case = &list["cases"][0];
        let id = case["id"].as_i64().expect("the case is found");
        assert!(
            html.contains(case["number"].as_str().unwrap()),
            "the number is shown"
        );
        let (_, case) = admin.get(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(case["service"], "KL-FRAGA");
        assert_eq!(case["channel"], "web");
        assert_eq!(case["customer_unit"]["name"], "Socialförvaltningen");
        assert_eq!(case["contact"]["email"], "anna@example.se");
        assert_eq!(case["requester_id"], serde_json::Value::Null);

        // The follow link works without login and tells no other site its address.
        let citizen = app.browser();
        let r = citizen.client.get(app.url(&follow)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["referrer-policy"], "same-origin");
        let page = r.text().await.unwrap();
        assert!(page.contains("Bygglov för altan"));

        // An agent's reply shows there; an internal note does not.
        let agent = app.api("handlaggare.kontakt").await;
        let (s, _) = agent
        .post(&format!("/api/v1/cases/{id}/messages"), &json!({"body": "Nej, under 15 kvm inte. Men 20 kvm kräver bygglov.", "internal": false}))
        .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, _) = agent
            .post(
                &format!("/api/v1/cases/{id}/messages"),
                &json!({"body": "HEMLIG intern anteckning", "internal": true}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, page) = citizen.get(&follow).await;
        assert!(page.contains("20 kvm kräver bygglov"));
        assert!(!page.contains("HEMLIG"), "internal notes stay internal");

        // The citizen answers on the follow page; the browser names the page's own origin
        // (the referrer policy lets it), while a form from nowhere (`Origin: null`) is refused.
        let origin = app.url("");
        let origin = origin.trim_end_matches('/');
        let r = citizen
            .client
            .post(app.url(&format!("{follow}/reply")))
            .header("origin", "null")
            .form(&[("body", "Från ingenstans")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = citizen
            .client
            .post(app.url(&format!("{follow}/reply")))
            .header("origin", origin)
            .form(&[("body", "Tack! Då söker jag bygglov.")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, msgs) = admin.get(&format!("/api/v1/cases/{id}/messages")).await;
        assert!(msgs.to_string().contains("Då söker jag bygglov"), "{msgs}");
        // An empty reply is refused on the page, with the case still shown.
        let r = citizen
            .client
            .post(app.url(&format!("{follow}/reply")))
            .form(&[("body", "  ")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // A token nobody was given opens nothing.
        let (s, _) = citizen
            .get("/follow/not-a-real-token-0123456789abcdef")
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = citizen.get(&format!("{follow}x")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

dual!(a_form_with_errors_comes_back_with_what_was_typed, |app| {
    let before = cases_stored(&app).await;
    let (s, html, _) = post_form(
        &app,
        &[
            ("name", "Bo"),
            ("subject", "Fråga om sophämtning"),
            ("message", ""),
            ("department", "NOSUCH"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Ange en e-postadress eller ett telefonnummer"),
        "{html}"
    );
    assert!(
        html.contains("id=\"message-error\""),
        "the error sits at its field"
    );
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        html.contains("value=\"Fråga om sophämtning\""),
        "the subject is kept"
    );
    assert!(html.contains("Välj en förvaltning i listan"));
    assert_eq!(cases_stored(&app).await, before, "nothing made");
});

dual!(a_filled_honeypot_makes_no_case_but_looks_sent, |app| {
    let before = cases_stored(&app).await;
    let (s, html, _) = post_form(
        &app,
        &[
            ("email", "bot@example.com"),
            ("subject", "Cheap pills"),
            ("message", "Buy now"),
            ("website", "http://spam.example"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Ditt meddelande är skickat"));
    assert!(
        !html.contains("/follow/"),
        "no follow link: there is no case"
    );
    assert_eq!(cases_stored(&app).await, before);
});

dual!(the_form_is_limited_per_address, |app| {
    for i in 0..5 {
        let (s, _, _) = post_form(&app, &[("subject", "x"), ("message", "")]).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "post {i} is counted but allowed"
        );
    }
    let (s, html, headers) = post_form(
        &app,
        &[
            ("email", "a@example.se"),
            ("subject", "Hej"),
            ("message", "Sjätte"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(html.contains("Vänta 10 minuter"), "{html}");
    assert_eq!(headers["retry-after"], "600");
    // Reading the form is never limited.
    assert_eq!(app.browser().get("/kontakt").await.0, StatusCode::OK);
});
