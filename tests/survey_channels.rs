//! Surveys on the other channels (docs/surveys.md): at the end of a chat, on the citizen's
//! follow page, by a link the phone agent sends, and through the API for the requester; the
//! answer is shown to the requester and the unit's manager, never to the agent; the interim
//! report counts the response rate of the surveys sent.

use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::json;
use serva_domain::notify::MailKind;
use serva_domain::survey::Via;

use crate::chat::Person;
use crate::dual;
use crate::surveys::{outbox_of, phone_case, post_anonymous, resolve, survey_token};

dual!(a_chat_ends_with_its_survey, |app| {
    let citizen = Person::with_cookie(&app.base, String::new(), String::new());
    let r = citizen
        .http
        .post(format!("{}/chat", app.base))
        .form(&[
            ("service", "KL-FRAGA"),
            ("name", "Eva Invånare"),
            ("body", "När töms soporna?"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let chat: i64 = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/chat/")
        .parse()
        .unwrap();
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let eva = Person::with_cookie(&app.base, cookie, String::new());
    let agent = Person::signed_in(&app, &app.base, "handlaggare.kontakt").await;
    let (s, _, _) = agent.post(&format!("/chat/{chat}/take"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, page) = eva.get(&format!("/chat/{chat}")).await;
    assert!(
        !page.contains("/survey\""),
        "no survey while the chat goes on"
    );

    let (s, _, _) = agent
        .post(&format!("/chat/{chat}/end"), &[("resolve", "1")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, page) = eva.get(&format!("/chat/{chat}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Vad tyckte du om hjälpen?")
            && page.contains(&format!("action=\"/chat/{chat}/survey\"")),
        "{page}"
    );
    let (_, page) = agent.get(&format!("/chat/{chat}")).await;
    assert!(!page.contains("name=\"answer\""), "the agent is not asked");

    let (s, _, location) = eva
        .post(
            &format!("/chat/{chat}/survey"),
            &[
                ("answer", "5"),
                ("engagement", "5"),
                ("comment", "Snabbt svar!"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(location.starts_with(&format!("/chat/{chat}")));
    let (_, page) = eva.get(&format!("/chat/{chat}")).await;
    assert!(page.contains("Du har besvarat enkäten"), "{page}");
    let case = app
        .db
        .chat(serva_domain::chat::ChatId(chat))
        .await
        .unwrap()
        .case_id;
    let survey = app.db.case_survey(case).await.unwrap();
    assert_eq!(survey.invitation.unwrap().via, Via::Chat);
    assert_eq!(survey.answer.unwrap().score, 100);
    // A second answer is not taken.
    let (s, _, _) = eva
        .post(&format!("/chat/{chat}/survey"), &[("answer", "1")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .case_survey(case)
            .await
            .unwrap()
            .answer
            .unwrap()
            .score,
        100
    );
});

dual!(the_follow_page_asks_once_the_case_is_resolved, |app| {
    let r = app
        .browser()
        .client
        .post(app.url("/kontakt"))
        .form(&[
            ("name", "Ahmed Nasser"),
            ("phone", "070-123 45 67"),
            ("subject", "Förskoleplats"),
            ("message", "Hur söker vi plats?"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let at = html.find("href=\"/follow/").unwrap() + "href=\"".len();
    let follow = html[at..].split('"').next().unwrap().to_string();
    let token = follow.trim_start_matches("/follow/");
    let case = app.db.case_by_follow_token(token).await.unwrap();
    let citizen = app.browser();
    let (_, page) = citizen.get(&follow).await;
    assert!(
        !page.contains("Vad tyckte du om hjälpen?"),
        "not resolved yet"
    );

    resolve(&app, "handlaggare.kontakt", case.0).await;
    let (s, page) = citizen.get(&follow).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Vad tyckte du om hjälpen?")
            && page.contains(&format!("action=\"{follow}/survey\"")),
        "{page}"
    );
    let (s, _, location) = post_anonymous(
        &app,
        &format!("{follow}/survey"),
        &[("answer", "4"), ("resolution", "5")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(format!("{follow}?ok=survey").as_str())
    );
    let (_, page) = citizen.get(&format!("{follow}?ok=survey")).await;
    assert!(
        page.contains("Tack för att du besvarade enkäten!")
            && page.contains("Du har besvarat enkäten"),
        "{page}"
    );
    let survey = app.db.case_survey(case).await.unwrap();
    assert_eq!(survey.invitation.unwrap().via, Via::Follow);
    assert_eq!(survey.answer.unwrap().dimensions, [None, None, Some(100)]);
    let (s, _, _) = post_anonymous(&app, &format!("{follow}/survey"), &[("answer", "4")]).await;
    assert_eq!(s, StatusCode::CONFLICT, "answered once");
});

dual!(a_phone_agent_sends_the_link, |app| {
    // A caller without an e-mail address, helped there and then: nothing is mailed.
    let id = phone_case(&app, "handlaggare.kontakt", None, true).await;
    assert!(outbox_of(&app, id).await.is_empty());
    let agent = app.login("handlaggare.kontakt").await;
    let (_, page) = agent.get(&format!("/cases/{id}")).await;
    assert!(page.contains("Skicka enkät"), "{page}");
    let (s, page, _) = agent.post(&format!("/cases/{id}/survey/send"), &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Ärendet har ingen e-postadress"), "{page}");
    let token = survey_token(&page);
    assert!(outbox_of(&app, id).await.is_empty());
    let (s, page) = app.browser().get(&format!("/survey/{token}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("name=\"answer\""));
    let (s, _, _) = post_anonymous(
        &app,
        &format!("/survey/{token}"),
        &[("answer", "2"), ("comment", "Fick vänta länge.")],
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    // The agent learns it was answered, not what was said; the manager sees the answer.
    let (_, page) = agent.get(&format!("/cases/{id}")).await;
    assert!(page.contains("Enkäten är besvarad"), "{page}");
    assert!(!page.contains("Fick vänta länge.") && !page.contains("Skicka enkät"));
    let manager = app.login("chef.kontakt").await;
    let (_, page) = manager.get(&format!("/cases/{id}")).await;
    assert!(
        page.contains("25 / 100") && page.contains("Fick vänta länge."),
        "{page}"
    );
    let (s, body, _) = agent.post(&format!("/cases/{id}/survey/send"), &[]).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");

    // With an address, the link is mailed too.
    let mailed = phone_case(&app, "handlaggare.kontakt", Some("ny@example.org"), false).await;
    resolve(&app, "handlaggare.kontakt", mailed).await;
    let (s, page, _) = agent
        .post(&format!("/cases/{mailed}/survey/send"), &[])
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Enkäten är skickad med e-post till ny@example.org"),
        "{page}"
    );
    let kinds: Vec<MailKind> = outbox_of(&app, mailed)
        .await
        .iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(
        kinds,
        [MailKind::Received, MailKind::Resolved, MailKind::Survey]
    );
});

dual!(the_requester_answers_through_the_api, |app| {
    let customer = app.api("admin.sof").await;
    let (s, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "LK-LOSEN", "subject": "Nytt lösenord", "description": "Glömt." }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let id = case["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}/survey");
    let (s, sv) = customer.get(&path).await;
    assert_eq!(s, StatusCode::OK, "{sv}");
    assert_eq!(
        (&sv["status"], &sv["may_answer"]),
        (&json!("not_sent"), &json!(false))
    );
    let (s, e) = customer.post(&path, &json!({ "answer": 4 })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "not resolved: {e}");

    resolve(&app, "handlaggare.lkdata", id).await;
    let (_, sv) = customer.get(&path).await;
    assert_eq!(
        sv["status"], "open",
        "sent with the resolution's mail: {sv}"
    );
    assert_eq!(
        (&sv["may_answer"], &sv["scale"], &sv["via"]),
        (&json!(true), &json!("1-5"), &json!("mail"))
    );
    let (s, e) = customer.post(&path, &json!({ "answer": 6 })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = customer.post(&path, &json!({ "score": 80 })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, a) = customer
        .post(
            &path,
            &json!({ "answer": 4, "engagement": 5, "comment": "Bra" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(
        (&a["score"], &a["engagement"], &a["resolution"]),
        (&json!(75), &json!(100), &json!(null))
    );
    let (s, _) = customer.post(&path, &json!({ "answer": 4 })).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, sv) = customer.get(&path).await;
    assert_eq!(
        (&sv["status"], &sv["score"], &sv["comment"]),
        (&json!("answered"), &json!(75), &json!("Bra"))
    );
    let (_, sv) = app.api("handlaggare.lkdata").await.get(&path).await;
    assert_eq!(
        (&sv["status"], &sv["score"]),
        (&json!("answered"), &json!(null)),
        "not for the agent"
    );
    let (_, sv) = app.api("chef.lkdata").await.get(&path).await;
    assert_eq!(sv["score"], json!(75), "the unit's manager sees it");
    // The agent may not answer for the customer.
    let (s, _) = app
        .api("handlaggare.lkdata")
        .await
        .post(&path, &json!({ "answer": 5 }))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The interim report of this year counts answered of sent for the unit.
    let today = serva_domain::time::to_local(serva_domain::time::now_ms()).date();
    let (s, r) = app
        .api("controller")
        .await
        .get(&format!(
            "/api/v1/reports/interim?org=VSS&year={}&through={}",
            today.year(),
            today.format("%Y-%m-%d")
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let ops = r["operations"].as_array().expect("operations");
    let lk = ops
        .iter()
        .find(|o| o["code"] == "LKDATA")
        .expect("LKDATA's row");
    assert_eq!(
        (
            &lk["surveys"],
            &lk["survey_response_rate"],
            &lk["satisfaction"]
        ),
        (&json!(1), &json!(100.0), &json!(75.0))
    );
});
