//! Mail out: receipts, replies and resolutions reach a real SMTP relay (the capture relay of
//! `smtp_capture`) with the case reference in the subject and the right headers; internal
//! notes never; a relay that is down, refuses, or a server that restarts loses nothing and
//! sends nothing twice; without a relay the mail waits, visible to administrators.

use std::time::Duration;

use crate::harness::{App, Backend};
use crate::smtp_capture::{free_port, CaptureRelay, Captured};
use reqwest::StatusCode;
use serde_json::json;
use serva_domain::notify::{MailKind, OutboxMail, OutboxStatus, RetryPolicy};
use serva_domain::CaseId;

use crate::on_both;

/// Mail settings for a test: retries in fractions of a second rather than minutes.
fn mail_config(relay: Option<String>) -> serva::Config {
    serva::Config {
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
    }
}

async fn boot(backend: Backend, relay: Option<String>) -> Option<App> {
    App::boot_with(backend, |_| mail_config(relay)).await
}

/// The outbox rows of a case, oldest first.
async fn outbox_of(app: &App, case: i64) -> Vec<OutboxMail> {
    let (mut rows, _) = app
        .db
        .outbox_page(None, Some(CaseId(case)), 1, 200)
        .await
        .unwrap();
    rows.reverse();
    rows
}

/// Waits (at most `secs`) until `done` holds for the case's outbox rows.
async fn wait_outbox(
    app: &App,
    case: i64,
    secs: u64,
    what: &str,
    done: impl Fn(&[OutboxMail]) -> bool,
) -> Vec<OutboxMail> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let rows = outbox_of(app, case).await;
        if done(&rows) {
            return rows;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("outbox of case {case}: {what} did not happen in {secs} s: {rows:#?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A customer at Socialförvaltningen orders a password reset from Linköping's IT service desk.
async fn order(app: &App, subject: &str) -> (i64, String) {
    let customer = app.api("admin.sof").await;
    let (s, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "LK-LOSEN", "subject": subject, "description": "Har glömt lösenordet." }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    (
        case["id"].as_i64().unwrap(),
        case["number"].as_str().unwrap().to_string(),
    )
}

on_both!(replies_reach_the_customer_and_notes_never, |backend| {
    let relay = CaptureRelay::start().await;
    let Some(app) = boot(backend, Some(relay.url())).await else {
        return;
    };
    let (id, number) = order(&app, "Lösenord – Ekkällans förskola").await;

    // The receipt: number, link, the unit's mailbox as sender, automatic.
    let got = relay.wait_for(1, 10).await;
    let receipt = &got[0];
    assert_eq!(receipt.rcpt_to, vec!["admin.sof@linkoping.example"]);
    assert_eq!(receipt.mail_from, "servicedesk.lkdata@linkoping.example");
    assert_eq!(
        receipt.subject(),
        format!("[Ärende {number}] Vi har tagit emot ditt ärende: Lösenord – Ekkällans förskola")
    );
    let from = receipt.header("From").unwrap();
    assert!(
        from.contains("<servicedesk.lkdata@linkoping.example>") && from.len() > 40,
        "the unit's name and mailbox: {from}"
    );
    assert_eq!(
        receipt.header("Auto-Submitted").as_deref(),
        Some("auto-generated")
    );
    let text = receipt.text();
    assert!(text.contains(&format!("nummer {number}")), "{text}");
    assert!(
        text.contains(&format!("{}/cases/{id}", app.base)),
        "a link to the case page: {text}"
    );
    let receipt_id = receipt.message_id();
    assert!(
        receipt_id.starts_with("serva.") && receipt_id.ends_with("@linkoping.example"),
        "{receipt_id}"
    );

    // An internal note stays inside; the reply goes, threaded onto the receipt.
    let agent = app.api("handlaggare.lkdata").await;
    let (s, _) = agent
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({ "body": "Intern anteckning: kontrollera AD-kontot först.", "internal": true }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = agent
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({ "body": "Hej!\nVi har återställt lösenordet. Du får ett sms med det nya.", "internal": false }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let got = relay.wait_for(2, 10).await;
    let reply = &got[1];
    assert_eq!(
        reply.subject(),
        format!("[Ärende {number}] Lösenord – Ekkällans förskola")
    );
    assert!(
        reply
            .text()
            .contains("Vi har återställt lösenordet. Du får ett sms med det nya."),
        "{}",
        reply.text()
    );
    assert_eq!(
        reply.header("Auto-Submitted"),
        None,
        "a person's reply is not automatic"
    );
    assert_eq!(
        reply.header("In-Reply-To").as_deref(),
        Some(receipt_id.as_str())
    );
    assert!(reply.header("References").unwrap().contains(&receipt_id));

    // Resolving sends the link to rate the case, once; closing after it sends nothing more.
    let (s, _) = agent
        .patch(
            &format!("/api/v1/cases/{id}"),
            &json!({ "status": "resolved" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let got = relay.wait_for(3, 10).await;
    let resolved = &got[2];
    assert!(resolved
        .subject()
        .starts_with(&format!("[Ärende {number}] Ditt ärende är löst")));
    assert!(resolved
        .text()
        .contains(&format!("{}/cases/{id}", app.base)));
    let (s, _) = agent
        .patch(
            &format!("/api/v1/cases/{id}"),
            &json!({ "status": "closed" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let rows = wait_outbox(&app, id, 10, "all sent", |r| {
        r.iter().all(|m| m.status == OutboxStatus::Sent)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = relay.mails();
    assert_eq!(rows.len(), 3, "receipt, reply, resolution: {rows:#?}");
    assert_eq!(got.len(), 3, "each mail once");
    for m in &got {
        assert!(
            !m.raw.contains("Intern anteckning"),
            "a note leaked: {}",
            m.raw
        );
    }
    assert_eq!(
        rows.iter().map(|r| r.attempts).collect::<Vec<_>>(),
        vec![1, 1, 1]
    );
});

on_both!(
    a_contact_gets_a_follow_link_and_live_resolutions_send_nothing,
    |backend| {
        let relay = CaptureRelay::start().await;
        let Some(app) = boot(backend, Some(relay.url())).await else {
            return;
        };
        let agent = app.api("handlaggare.kontakt").await;
        let (s, case) = agent
        .post(
            "/api/v1/cases",
            &json!({
                "service": "KL-FRAGA", "subject": "Bygglov för altan", "description": "Ringde in.",
                "channel": "phone", "contact": { "name": "Åsa Öberg", "email": "asa.oberg@example.org" }
            }),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        let id = case["id"].as_i64().unwrap();
        let got = relay.wait_for(1, 10).await;
        let m = &got[0];
        assert_eq!(m.rcpt_to, vec!["asa.oberg@example.org"]);
        assert_eq!(m.mail_from, "kontakt@linkoping.example");
        assert!(m.text().starts_with("Hej Åsa Öberg,"), "{}", m.text());
        // The link opens the case without an account.
        let text = m.text();
        let at = text
            .find("/follow/")
            .unwrap_or_else(|| panic!("a follow link: {text}"));
        let token: String = text[at + "/follow/".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert_eq!(
            app.db.case_by_follow_token(&token).await.unwrap(),
            CaseId(id)
        );

        // Registered and resolved while the caller was on the line: no receipt, only the
        // survey (docs/surveys.md).
        let (s, live) = agent
        .post(
            "/api/v1/cases",
            &json!({
                "service": "KL-FRAGA", "subject": "Öppettider", "description": "Svarade direkt.",
                "channel": "phone", "resolve_now": true,
                "contact": { "email": "asa.oberg@example.org" }
            }),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{live}");
        let got = relay.wait_for(2, 10).await;
        let kinds: Vec<MailKind> = outbox_of(&app, live["id"].as_i64().unwrap())
            .await
            .iter()
            .map(|m| m.kind)
            .collect();
        assert_eq!(kinds, [MailKind::Survey]);
        assert!(got[1].text().contains("/survey/"), "{}", got[1].text());
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(relay.mails().len(), 2);
    }
);

on_both!(
    a_relay_that_is_down_gets_the_mail_once_it_is_up,
    |backend| {
        let port = free_port().await;
        let Some(app) = boot(backend, Some(format!("smtp://127.0.0.1:{port}"))).await else {
            return;
        };
        let (id, number) = order(&app, "Nytt lösenord").await;
        // Nothing listens: the mail stays, attempts counted, the error kept.
        let rows = wait_outbox(&app, id, 10, "two failed attempts", |r| {
            r.len() == 1 && r[0].attempts >= 2
        })
        .await;
        assert_eq!(rows[0].status, OutboxStatus::Pending);
        let error = rows[0].last_error.clone().unwrap_or_default();
        assert!(error.contains(&port.to_string()), "{error}");

        let relay = CaptureRelay::start_on(port).await;
        let got = relay.wait_for(1, 10).await;
        assert!(got[0].subject().starts_with(&format!("[Ärende {number}]")));
        let rows = wait_outbox(&app, id, 5, "sent", |r| r[0].status == OutboxStatus::Sent).await;
        assert_eq!(rows[0].last_error, None);
        tokio::time::sleep(Duration::from_millis(1000)).await;
        assert_eq!(relay.mails().len(), 1, "delivered once");
    }
);

on_both!(
    without_a_relay_mail_waits_and_goes_once_after_a_restart,
    |backend| {
        let Some(app) = boot(backend, None).await else {
            return;
        };
        let mut cases = Vec::new();
        for i in 0..5 {
            cases.push(order(&app, &format!("Lösenord {i}")).await);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        for (id, _) in &cases {
            let rows = outbox_of(&app, *id).await;
            assert_eq!(rows.len(), 1);
            assert_eq!(
                (rows[0].status, rows[0].attempts),
                (OutboxStatus::Pending, 0)
            );
        }

        // Administrators see what waits, and why.
        let admin = app.login("admin").await;
        let (s, html) = admin.get("/admin/outbox?status=pending").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Ingen e-postserver"), "{html}");
        assert!(html.contains(&format!("[Ärende {}]", cases[0].1)), "{html}");
        assert!(
            html.contains(&format!(
                "href=\"/cases/{}\">{}</a>",
                cases[0].0, cases[0].1
            )),
            "the case by its number: {html}"
        );
        let (all, _) = app.db.outbox_page(None, None, 1, 10).await.unwrap();
        let (s, one) = admin.get(&format!("/admin/outbox/{}", all[0].id)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(one.contains("Message-ID: &lt;serva."), "{one}");
        assert!(one.contains("Auto-Submitted: auto-generated"));
        // Nobody else does.
        let agent = app.login("handlaggare.lkdata").await;
        assert_eq!(agent.get("/admin/outbox").await.0, StatusCode::NOT_FOUND);

        // The server comes back with a relay: everything goes, once, even with two nodes at it.
        let relay = CaptureRelay::start().await;
        let first = app.node(mail_config(Some(relay.url()))).await;
        let second = app.node(mail_config(Some(relay.url()))).await;
        let got = relay.wait_for(5, 15).await;
        for (id, _) in &cases {
            wait_outbox(&app, *id, 10, "sent", |r| r[0].status == OutboxStatus::Sent).await;
        }
        drop((first, second));
        let third = app.node(mail_config(Some(relay.url()))).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        drop(third);
        let got_after = relay.mails();
        assert_eq!(
            got_after.len(),
            5,
            "each mail once: {:#?}",
            got.iter().map(Captured::subject).collect::<Vec<_>>()
        );
        let mut ids: Vec<String> = got_after.iter().map(Captured::message_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 5);
    }
);

on_both!(
    a_refused_mail_fails_and_an_administrator_sends_it_again,
    |backend| {
        let relay = CaptureRelay::start().await;
        relay.refuse(true);
        let Some(app) = boot(backend, Some(relay.url())).await else {
            return;
        };
        let (id, _) = order(&app, "Lösenord igen").await;
        // A 5xx is for good: failed after one attempt, not retried.
        let rows = wait_outbox(&app, id, 10, "failed", |r| {
            r.len() == 1 && r[0].status == OutboxStatus::Failed
        })
        .await;
        assert_eq!(rows[0].attempts, 1);
        assert!(
            rows[0].last_error.as_deref().unwrap_or("").contains("550"),
            "{:?}",
            rows[0].last_error
        );
        let admin = app.login("admin").await;
        let (_, html) = admin.get("/admin/outbox?status=failed").await;
        assert!(
            html.contains("Misslyckat") && html.contains("Lösenord igen"),
            "{html}"
        );
        let (_, page) = admin.get(&format!("/admin/outbox/{}", rows[0].id)).await;
        assert!(page.contains("Skicka igen"));

        // Only a failed mail can be sent again; a bad filter is a clear 400.
        relay.refuse(false);
        let (s, _, location) = admin
            .post(&format!("/admin/outbox/{}/send-again", rows[0].id), &[])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(
            location.unwrap(),
            format!("/admin/outbox/{}?queued", rows[0].id)
        );
        let got = relay.wait_for(1, 10).await;
        assert_eq!(
            got[0].message_id(),
            rows[0].message_id.trim_matches(['<', '>'])
        );
        wait_outbox(&app, id, 5, "sent", |r| r[0].status == OutboxStatus::Sent).await;
        let (s, _, _) = admin
            .post(&format!("/admin/outbox/{}/send-again", rows[0].id), &[])
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(
            admin.get("/admin/outbox?status=nonsense").await.0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            admin.get("/admin/outbox?case=abc").await.0,
            StatusCode::BAD_REQUEST
        );
        // Sending again is the administrator's decision, in the audit log.
        let (_, audit) = admin.get("/admin/audit").await;
        assert!(audit.contains("utgående e-post"), "{audit}");
    }
);
