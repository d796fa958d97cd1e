//! The journeys of the roles no other journey walks: a citizen writes to Kontakt Linköping
//! without an account and follows the case by its link; a customer manager reads the
//! department's cases, with who ordered each, and the department's overview.

use crate::browser_kit::{prerequisites, Driver, Window};
use crate::harness::{App, Backend};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_writes_in_and_a_customer_manager_reads_the_department_s_cases() {
    let Some(axe) = prerequisites() else {
        return;
    };
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let driver = Driver::start().await;
    let mut problems = Vec::new();

    // A citizen: a missing contact is named, then the case is made and followed by its link.
    let w = Window::open(&driver).await;
    w.go(&format!("{}/kontakt", app.base)).await;
    w.fill("#subject", "Trasig gatlykta").await;
    w.fill(
        "#message",
        "Lyktan på Storgatan 12 är släckt sedan en vecka.",
    )
    .await;
    w.submit("form[action='/kontakt'] button[type=submit]")
        .await;
    let text = w.main_text().await;
    assert!(text.contains("Formuläret har fel"), "{text}");
    problems.extend(w.check(&axe, "contact form refused").await);
    w.fill("#email", "medborgare@example.se").await;
    w.submit("form[action='/kontakt'] button[type=submit]")
        .await;
    let text = w.main_text().await;
    assert!(text.contains("Ärendenummer"), "{text}");
    problems.extend(w.check(&axe, "contact sent").await);
    let follow = w
        .script("return [...document.querySelectorAll('main a')].map(a => a.href).find(h => h.includes('/follow') || h.includes('/f/')) || null")
        .await;
    let follow = follow.as_str().expect("a follow link").to_string();
    w.go(&follow).await;
    assert!(w.main_text().await.contains("Trasig gatlykta"));
    problems.extend(w.check(&axe, "the citizen's case").await);
    w.close().await;

    // A customer manager of the education department: the department's cases, with who ordered.
    let (s, c) = app
        .api("chef.uf")
        .await
        .post(
            "/api/v1/cases",
            &serde_json::json!({ "service": "KL-FRAGA", "subject": "Fråga från skolan", "description": "Hej" }),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let w = Window::open(&driver).await;
    w.sign_in(&app, "chef.uf").await;
    w.go(&format!("{}/cases", app.base)).await;
    let text = w.main_text().await;
    assert!(
        text.contains("Beställare") && text.contains("Fråga från skolan"),
        "the requester column: {text}"
    );
    problems.extend(w.check(&axe, "the department's cases").await);
    w.go(&format!("{}/customers/UF/overview", app.base)).await;
    assert!(w.main_text().await.contains("Öppna ärenden"));
    problems.extend(w.check(&axe, "the department's overview").await);
    w.close().await;

    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
