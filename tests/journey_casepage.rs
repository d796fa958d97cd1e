//! A browser journey through the case page (issue 15, point 3): an agent opens a case from
//! their queue, picks a reply template, sets the status and sends it all in one step, then
//! follows "Nästa ärende"; the customer sees the new reply marked and the case waiting for
//! them, and reopens a resolved case with a reason. axe finds nothing and every page reflows
//! at 390 px. SQLite only; skipped outside CI when Chromium or axe-core is missing.

use serde_json::json;

use crate::browser_kit::{prerequisites, Driver, Window};
use crate::harness::{App, Backend};

/// The page's main text once it says `needle` (a click that submits a form returns before
/// the next page is there); the last text seen, for the message, after five seconds.
async fn text_with(w: &Window, needle: &str) -> String {
    let mut text = String::new();
    for _ in 0..50 {
        text = w.main_text().await;
        if text.contains(needle) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    text
}

/// The window's path once it is `want`.
async fn path_is(w: &Window, want: &str) -> String {
    let mut path = String::new();
    for _ in 0..50 {
        path = w.path().await;
        if path == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_works_a_case_in_one_step_and_the_customer_reopens_one() {
    let Some(axe) = prerequisites() else {
        return;
    };
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let customer = app.api("admin.sof").await;
    let mut ids = Vec::new();
    for subject in ["Fråga om bygglov för altan", "Hämtning av grovsopor"] {
        let (status, c) = customer
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": subject,
                         "description": "Hej! Jag undrar över detta." }),
            )
            .await;
        assert_eq!(status, 201, "{c}");
        ids.push(c["id"].as_i64().unwrap());
    }
    let (older, newer) = (ids[0], ids[1]);
    let kl = app.db.unit_by_code("KL").await.unwrap();
    let template = app
        .db
        .reply_templates(kl.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Behöver mer information")
        .unwrap();

    let driver = Driver::start().await;
    let mut problems = Vec::new();

    // The agent opens the newest case from the queue.
    let agent = Window::open(&driver).await;
    agent.sign_in(&app, "handlaggare.kontakt").await;
    agent.go(&format!("{}/queues/KL", app.base)).await;
    problems.extend(agent.check(&axe, "queue").await);
    agent.click(&format!("a[href='/cases/{newer}']")).await;
    assert_eq!(
        path_is(&agent, &format!("/cases/{newer}")).await,
        format!("/cases/{newer}")
    );
    problems.extend(agent.check(&axe, "case").await);

    // A template, a status, one submit.
    agent.choose("#template", &template.id.to_string()).await;
    agent.click("#use-template").await;
    let text = agent
        .script("return document.getElementById('body').value")
        .await;
    let text = text.as_str().unwrap_or_default().to_string();
    assert!(text.starts_with("Hej Sofia Öhman!"), "{text}");
    assert!(!text.contains('{'), "every placeholder filled: {text}");
    agent.choose("#status", "waiting_customer").await;
    let label = agent
        .script("return document.getElementById('work-send').textContent")
        .await;
    assert!(
        label
            .as_str()
            .unwrap_or_default()
            .contains("Skicka och sätt status"),
        "{label}"
    );
    agent.click("#work-send").await;
    let main = text_with(&agent, "Ändringarna är sparade.").await;
    assert!(main.contains("Ändringarna är sparade."), "{main}");
    assert!(main.contains("Hej Sofia Öhman!"), "{main}");
    problems.extend(agent.check(&axe, "case after the submit").await);

    // On to the next case of the queue.
    agent.click("#next-case").await;
    let want = format!("/cases/{older}?from=KL");
    assert_eq!(path_is(&agent, &want).await, want);
    // It is resolved straight away, with a reply.
    agent
        .fill("#body", "Grovsopor hämtas första måndagen i månaden.")
        .await;
    agent.choose("#status", "resolved").await;
    agent.click("#work-send").await;
    let main = text_with(&agent, "Ändringarna är sparade.").await;
    assert!(main.contains("Ändringarna är sparade."), "{main}");
    problems.extend(agent.check(&axe, "next case").await);

    // The customer sees both replies as new, and the first case waiting for them.
    let cust = Window::open(&driver).await;
    cust.sign_in(&app, "admin.sof").await;
    cust.go(&format!("{}/cases", app.base)).await;
    let main = cust.main_text().await;
    assert_eq!(main.matches("Nytt svar").count(), 2, "{main}");
    assert!(main.contains("Väntar på dig"), "{main}");
    problems.extend(cust.check(&axe, "my cases").await);
    cust.click(&format!("a[href='/cases/{newer}']")).await;
    let main = text_with(&cust, "Beskrivning").await;
    assert!(main.contains("Väntar på dig"), "{main}");
    problems.extend(cust.check(&axe, "case waiting for the customer").await);
    cust.go(&format!("{}/cases", app.base)).await;
    assert_eq!(cust.main_text().await.matches("Nytt svar").count(), 1);

    // The resolved one is not: reopened with a reason, which is required.
    cust.go(&format!("{}/cases/{older}", app.base)).await;
    problems.extend(cust.check(&axe, "resolved case").await);
    cust.script("document.getElementById('reason').removeAttribute('required')")
        .await;
    cust.click("form[action$='/reopen'] button").await;
    let main = text_with(&cust, "Fältet måste fyllas i.").await;
    assert!(main.contains("Fältet måste fyllas i."), "{main}");
    problems.extend(cust.check(&axe, "reopen without a reason").await);
    cust.fill("#reason", "Sopkärlet stod kvar, det hämtades inte.")
        .await;
    cust.click("form[action$='/reopen'] button").await;
    let main = text_with(&cust, "Ärendet är öppnat igen.").await;
    assert!(main.contains("Ärendet är öppnat igen."), "{main}");
    assert!(main.contains("Sopkärlet stod kvar"), "{main}");
    problems.extend(cust.check(&axe, "reopened case").await);

    agent.close().await;
    cust.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
