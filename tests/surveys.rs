//! Surveys (docs/surveys.md): a resolved phone case's contact gets the survey's link by mail
//! and answers without signing in; the figures show the index and response rate; sampling
//! picks the cases the case number says; the one reminder goes once; an answered or closed
//! survey says so clearly; small groups stay anonymous to agents.

use std::time::Duration;

use crate::harness::{App, Backend};
use crate::smtp_capture::CaptureRelay;
use reqwest::StatusCode;
use serde_json::{json, Value};
use serva_domain::notify::{MailKind, OutboxMail, RetryPolicy};
use serva_domain::CaseId;

use crate::on_both;

/// A server that mails through `relay` (or keeps mail in the outbox without one).
pub(crate) async fn boot(backend: Backend, relay: Option<String>) -> Option<App> {
    App::boot_with(backend, |_| serva::Config {
        mail_out: serva_app::outbox::MailOutConfig {
            smtp_relay: relay,
            mail_from: "serva@linkoping.example".into(),
            retry: RetryPolicy {
                first_delay_ms: 150,
                max_delay_ms: 600,
                max_attempts: 100,
            },
            smtp_timeout: Duration::from_secs(5),
            ..Default::default()
        },
        ..serva::Config::default()
    })
    .await
}

/// The outbox rows of a case, oldest first.
pub(crate) async fn outbox_of(app: &App, case: i64) -> Vec<OutboxMail> {
    let (mut rows, _) = app
        .db
        .outbox_page(None, Some(CaseId(case)), 1, 200)
        .await
        .unwrap();
    rows.reverse();
    rows
}

/// The token of the first survey link in a text.
pub(crate) fn survey_token(text: &str) -> String {
    let at = text
        .find("/survey/")
        .unwrap_or_else(|| panic!("a survey link: {text}"))
        + "/survey/".len();
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A phone call Kontakt Linköping's agent registers for a caller, resolved there and then or
/// left open; the case's id.
pub(crate) async fn phone_case(
    app: &App,
    agent: &str,
    email: Option<&str>,
    resolve_now: bool,
) -> i64 {
    let api = app.api(agent).await;
    let mut contact = json!({ "name": "Åsa Öberg", "phone": "070-111 22 33" });
    if let Some(e) = email {
        contact["email"] = json!(e);
    }
    let (s, case) = api
        .post(
            "/api/v1/cases",
            &json!({
                "service": "KL-FRAGA", "subject": "Fråga om bygglov", "description": "Ringde om altanen.",
                "channel": "phone", "resolve_now": resolve_now, "contact": contact
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    case["id"].as_i64().unwrap()
}

pub(crate) async fn resolve(app: &App, agent: &str, id: i64) {
    let (s, c) = app
        .api(agent)
        .await
        .patch(
            &format!("/api/v1/cases/{id}"),
            &json!({ "status": "resolved" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
}

/// Posts a form as a browser without a session would from the page itself: with the page's
/// own origin (which the pages' referrer policy lets it send). Status, body, `Location`.
pub(crate) async fn post_anonymous(
    app: &App,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let r = app
        .browser()
        .client
        .post(app.url(path))
        .header("origin", app.base.trim_end_matches('/'))
        .form(fields)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (r.status(), r.text().await.unwrap(), location)
}

/// KL's survey settings, set by its manager on the figures page.
pub(crate) async fn set_kl_settings(app: &App, fields: &[(&str, &str)]) {
    let manager = app.login("chef.kontakt").await;
    let mut all: Vec<(&str, &str)> = vec![
        ("scale", "1-5"),
        ("reminder_days", "5"),
        ("valid_days", "30"),
        ("min_group", "5"),
        ("sample_web", "1"),
        ("sample_chat", "1"),
        ("sample_phone", "1"),
        ("sample_email", "1"),
        ("sample_visit", "1"),
    ];
    for (k, v) in fields {
        all.retain(|(a, _)| a != k);
        all.push((k, v));
    }
    let (s, body, loc) = manager.post("/units/KL/surveys/settings", &all).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc.as_deref(), Some("/units/KL/surveys?ok=settings"));
}

fn kinds(rows: &[OutboxMail]) -> Vec<MailKind> {
    rows.iter().map(|m| m.kind).collect()
}

on_both!(a_resolved_phone_case_is_rated_by_mail_link, |backend| {
    let relay = CaptureRelay::start().await;
    let Some(app) = boot(backend, Some(relay.url())).await else {
        return;
    };
    let id = phone_case(
        &app,
        "handlaggare.kontakt",
        Some("asa.oberg@example.org"),
        false,
    )
    .await;
    resolve(&app, "handlaggare.kontakt", id).await;

    // The receipt, then the resolution with the survey's link, written with the resolution.
    let got = relay.wait_for(2, 10).await;
    assert_eq!(
        kinds(&outbox_of(&app, id).await),
        [MailKind::Received, MailKind::Resolved]
    );
    let mail = &got[1];
    assert_eq!(mail.rcpt_to, vec!["asa.oberg@example.org"]);
    let text = mail.text();
    assert!(text.contains("Berätta gärna vad du tyckte"), "{text}");
    assert!(
        text.contains("/follow/"),
        "the case is still followed by its link: {text}"
    );
    let token = survey_token(&text);
    assert!(
        text.contains(&format!("{}/survey/{token}", app.base)),
        "{text}"
    );

    // No sign-in: the link opens the survey; the token is not sent to other sites.
    let visitor = app.browser();
    let r = visitor
        .client
        .get(app.url(&format!("/survey/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["referrer-policy"], "same-origin");
    let (s, page) = visitor.get(&format!("/survey/{token}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Hur nöjd är du med hjälpen du fick?")
            && page.contains("name=\"answer\"")
            && page.contains("Den som hjälpte mig var engagerad")
            && page.contains("Mitt ärende blev löst"),
        "{page}"
    );
    assert!(!page.contains("Logga ut"), "nobody is signed in");

    // A form from nowhere (`Origin: null`) is refused; an answer off the scale, in words.
    let path = format!("/survey/{token}");
    let r = visitor
        .client
        .post(app.url(&path))
        .header("origin", "null")
        .form(&[("answer", "4")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (s, page, _) = post_anonymous(&app, &path, &[("answer", "9")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Välj ett av svaren 1–5"), "{page}");

    let (s, page, _) = post_anonymous(
        &app,
        &path,
        &[
            ("answer", "4"),
            ("engagement", "5"),
            ("general_satisfaction", "4"),
            ("resolution", "2"),
            ("comment", "Trevligt bemötande."),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("Tack för ditt svar!"), "{page}");

    // Used: refused clearly, as the page and as a second post.
    let (s, page) = visitor.get(&path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("redan besvarad"), "{page}");
    assert!(!page.contains("name=\"answer\""));
    let (s, page, _) = post_anonymous(&app, &path, &[("answer", "1")]).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(page.contains("redan besvarad"), "{page}");
    // A link that never existed.
    let (s, page) = visitor.get("/survey/not-a-real-token").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(page.contains("Länken fungerar inte"), "{page}");

    // Resolved at once while the caller was on the line: the survey alone, no receipt.
    let at_once = phone_case(&app, "handlaggare.kontakt", Some("bo.ek@example.org"), true).await;
    relay.wait_for(3, 10).await;
    let rows = outbox_of(&app, at_once).await;
    assert_eq!(kinds(&rows), [MailKind::Survey]);
    assert!(rows[0]
        .subject
        .ends_with("Vad tyckte du om hjälpen du fick?"));

    // The figures: 2 sent, 1 answered; index 75 (4 on 1–5), response rate 50 %.
    let manager = app.login("chef.kontakt").await;
    let (s, page) = manager.get("/units/KL/surveys").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<strong>75</strong>"), "{page}");
    assert!(page.contains("50\u{a0}%"), "Swedish percent: {page}");
    assert!(page.contains("Trevligt bemötande."));
    let (s, f) = app
        .api("chef.kontakt")
        .await
        .get("/api/v1/units/KL/surveys")
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let t = &f["figures"]["total"];
    assert_eq!((&t["sent"], &t["answered"]), (&json!(2), &json!(1)));
    assert_eq!(t["index"], json!(75.0));
    assert_eq!(t["response_rate"], json!(50.0));
    assert_eq!(t["engagement"], json!(100.0));
    assert_eq!(t["resolution"], json!(0.0));
    let phone = f["figures"]["by_channel"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "phone")
        .unwrap();
    assert_eq!(phone["sent"], json!(2));
});

// The cases the unit's sampling asks: decided by the case number alone.
on_both!(
    sampling_one_in_four_asks_the_cases_the_number_picks,
    |backend| {
        let Some(app) = boot(backend, None).await else {
            return;
        };
        set_kl_settings(&app, &[("sample_phone", "4")]).await;
        let mut picked = Vec::new();
        let mut left = Vec::new();
        for i in 0..40 {
            let email = format!("ringare{i}@example.org");
            let id = phone_case(&app, "handlaggare.kontakt", Some(&email), true).await;
            let asked = !outbox_of(&app, id).await.is_empty();
            assert_eq!(
                asked,
                serva_domain::survey::is_sampled(CaseId(id), 4),
                "case {id}"
            );
            if asked {
                picked.push(id);
            } else {
                left.push(id);
            }
            if picked.len() >= 2 && left.len() >= 4 {
                break;
            }
        }
        assert!(picked.len() >= 2 && left.len() >= 4, "{picked:?} {left:?}");
        // A case left out has no survey to send; its page offers none.
        let agent = app.login("handlaggare.kontakt").await;
        let (_, page) = agent.get(&format!("/cases/{}", left[0])).await;
        assert!(!page.contains("Skicka enkät"), "{page}");
        let (s, _, _) = agent
            .post(&format!("/cases/{}/survey/send", left[0]), &[])
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Only the picked cases were sent a survey.
        let (s, f) = app
            .api("chef.kontakt")
            .await
            .get("/api/v1/units/KL/surveys")
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(f["figures"]["total"]["sent"], json!(picked.len()));
    }
);

on_both!(the_one_reminder_goes_once, |backend| {
    let Some(app) = boot(backend, None).await else {
        return;
    };
    let reminded = phone_case(&app, "handlaggare.kontakt", Some("p1@example.org"), false).await;
    resolve(&app, "handlaggare.kontakt", reminded).await;
    let answered = phone_case(&app, "handlaggare.kontakt", Some("p2@example.org"), false).await;
    resolve(&app, "handlaggare.kontakt", answered).await;
    let first = outbox_of(&app, answered).await;
    let token = survey_token(&first.last().unwrap().body);
    let (s, _, _) = post_anonymous(&app, &format!("/survey/{token}"), &[("answer", "5")]).await;
    assert_eq!(s, StatusCode::OK);

    let job = serva_app::App::new(app.db.clone());
    let now = serva_domain::time::now_ms();
    let day = 86_400_000;
    // Not due yet after one day; due after five (the default); sent once however often the
    // job runs; never for an answered survey.
    assert_eq!(
        serva::survey_reminders::round(&job, now + day)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        serva::survey_reminders::round(&job, now + 6 * day)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        serva::survey_reminders::round(&job, now + 7 * day)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        serva::survey_reminders::round(&job, now + 8 * day)
            .await
            .unwrap(),
        0
    );
    let rows = outbox_of(&app, reminded).await;
    assert_eq!(
        kinds(&rows),
        [
            MailKind::Received,
            MailKind::Resolved,
            MailKind::SurveyReminder
        ]
    );
    let reminder = &rows[2];
    assert_eq!(reminder.to_address, "p1@example.org");
    assert!(
        reminder.subject.contains("Påminnelse"),
        "{}",
        reminder.subject
    );
    assert!(
        reminder.body.contains("enda påminnelsen"),
        "{}",
        reminder.body
    );
    assert_eq!(
        kinds(&outbox_of(&app, answered).await),
        [MailKind::Received, MailKind::Resolved],
        "no reminder for an answered survey"
    );
    // The reminder's own link opens the same survey.
    let (s, page) = app
        .browser()
        .get(&format!("/survey/{}", survey_token(&reminder.body)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("name=\"answer\""), "{page}");
    // The case page tells the agent a reminder went.
    let agent = app.login("handlaggare.kontakt").await;
    let (_, page) = agent.get(&format!("/cases/{reminded}")).await;
    assert!(page.contains("påminnelse skickad"), "{page}");
});

on_both!(a_closed_survey_says_so, |backend| {
    let Some(app) = boot(backend, None).await else {
        return;
    };
    let id = phone_case(&app, "handlaggare.kontakt", Some("sen@example.org"), true).await;
    let token = survey_token(&outbox_of(&app, id).await[0].body);
    crate::tokens::sql(
        &app,
        &format!("UPDATE survey_invitations SET expires_at = 1 WHERE case_id = {id}"),
    )
    .await;
    let (s, page) = app.browser().get(&format!("/survey/{token}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Enkäten har stängt"), "{page}");
    assert!(!page.contains("name=\"answer\""));
    let (s, page, _) = post_anonymous(&app, &format!("/survey/{token}"), &[("answer", "3")]).await;
    assert_eq!(s, StatusCode::GONE);
    assert!(page.contains("Enkäten har stängt"), "{page}");
    // Nor does a closed survey get its reminder.
    let job = serva_app::App::new(app.db.clone());
    let later = serva_domain::time::now_ms() + 6 * 86_400_000;
    assert_eq!(
        serva::survey_reminders::round(&job, later).await.unwrap(),
        0
    );
});

/// Answers three of an agent's cases, each through its link: (answer, comment).
async fn answer_cases(app: &App, answers: &[(&str, &str)]) {
    for (i, (answer, comment)) in answers.iter().enumerate() {
        let email = format!("svarare{i}@example.org");
        let id = phone_case(app, "handlaggare.kontakt", Some(&email), true).await;
        let token = survey_token(&outbox_of(app, id).await[0].body);
        let (s, page, _) = post_anonymous(
            app,
            &format!("/survey/{token}"),
            &[("answer", answer), ("comment", comment)],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{page}");
    }
}

on_both!(small_groups_stay_anonymous_to_agents, |backend| {
    let Some(app) = boot(backend, None).await else {
        return;
    };
    answer_cases(
        &app,
        &[("5", "Mycket bra."), ("1", "Otrevligt samtal."), ("3", "")],
    )
    .await;
    let agent = app.api("handlaggare.kontakt").await;
    let manager = app.api("chef.kontakt").await;

    // Three answers, fewer than five: the agent sees counts, no index, no agent row, no
    // comments; the case page shows them no answer either.
    let (s, f) = agent.get("/api/v1/units/KL/surveys").await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let t = &f["figures"]["total"];
    assert_eq!((&t["answered"], &t["withheld"]), (&json!(3), &json!(true)));
    assert_eq!(t["index"], Value::Null);
    assert_eq!(f["figures"]["by_agent"], json!([]));
    assert_eq!(f["figures"]["comments"], json!([]));
    assert_eq!(f["figures"]["full"], json!(false));
    let b = app.login("handlaggare.kontakt").await;
    let (s, page) = b.get("/units/KL/surveys").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("För få svar för att visas"), "{page}");
    assert!(!page.contains("Otrevligt samtal."));

    // The manager sees everything: the agent's row, its index, the comments with their cases.
    let (_, f) = manager.get("/api/v1/units/KL/surveys").await;
    let rows = f["figures"]["by_agent"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{f}");
    assert_eq!(rows[0]["label"], "Kim Lindqvist");
    assert_eq!(rows[0]["index"], json!(50.0));
    let comments = f["figures"]["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert!(comments
        .iter()
        .all(|c| c["case"].is_string() && c["agent"] == "Kim Lindqvist"));

    // With the smallest group at three, the agent sees their own row and the comments, still
    // without case or agent.
    set_kl_settings(&app, &[("min_group", "3")]).await;
    let (_, f) = agent.get("/api/v1/units/KL/surveys").await;
    assert_eq!(f["figures"]["total"]["index"], json!(50.0));
    let rows = f["figures"]["by_agent"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let comments = f["figures"]["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert!(comments
        .iter()
        .all(|c| c["case"].is_null() && c["agent"].is_null()));

    // Someone outside the unit sees nothing; a bad period is a clear 400.
    let (s, _) = app
        .api("handlaggare.lkdata")
        .await
        .get("/api/v1/units/KL/surveys")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = manager
        .get("/api/v1/units/KL/surveys?from=2026-13-01")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("from"));
    // Only the unit's manager changes the settings.
    let (s, _, _) = b
        .post(
            "/units/KL/surveys/settings",
            &[
                ("scale", "0-10"),
                ("reminder_days", "5"),
                ("valid_days", "30"),
                ("min_group", "1"),
                ("sample_web", "1"),
                ("sample_chat", "1"),
                ("sample_phone", "1"),
                ("sample_email", "1"),
                ("sample_visit", "1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});
