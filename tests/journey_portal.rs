//! A customer's journey in a real browser whose language is not Swedish: order a service whose
//! form asks for a day and an amount, typed the Swedish way, and read the order back as typed.

use crate::browser_kit::{prerequisites, Driver, Window};
use crate::harness::{App, Backend};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_orders_with_a_swedish_day_and_amount_whatever_the_browser() {
    let Some(axe) = prerequisites() else {
        return;
    };
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let driver = Driver::start().await;
    let w = Window::open_in(&driver, "en-US").await;
    w.sign_in(&app, "admin.sof").await;
    let mut problems = Vec::new();

    w.go(&format!("{}/portal", app.base)).await;
    let text = w.main_text().await;
    assert!(
        text.contains(" services"),
        "the page follows the browser: {text}"
    );
    problems.extend(w.check(&axe, "portal").await);

    w.go(&format!("{}/portal/services/EK-UTBET", app.base))
        .await;
    // A text field, not the browser's date picker: typing ÅÅÅÅ-MM-DD works in any locale.
    let kind = w
        .script("return document.querySelector('#f_betalningsdag').type")
        .await;
    assert_eq!(kind, "text");
    w.fill("#subject", "Utbetalning till förening").await;
    w.fill("#description", "Bidrag enligt beslut i nämnden.")
        .await;
    w.fill("#f_betalningsdag", "2026-12-1").await;
    w.fill("#f_belopp", "1 500,5").await;
    w.submit("form[action$='/order'] button[type=submit]").await;
    let path = w.path().await;
    assert!(path.starts_with("/cases/"), "ordered: {path}");
    let text = w.main_text().await;
    assert!(text.contains("2026-12-01"), "{text}");
    assert!(
        text.contains("1500,5") && !text.contains("1500.5"),
        "{text}"
    );
    problems.extend(w.check(&axe, "the order").await);

    // A day that is no day is named, and what was typed stays.
    w.go(&format!("{}/portal/services/EK-UTBET", app.base))
        .await;
    w.fill("#subject", "Fel datum").await;
    w.fill("#description", "Test").await;
    w.fill("#f_betalningsdag", "31/12/2026").await;
    w.fill("#f_belopp", "100").await;
    w.submit("form[action$='/order'] button[type=submit]").await;
    let kept = w
        .script("return document.querySelector('#f_betalningsdag').value")
        .await;
    assert_eq!(kept, "31/12/2026");
    assert!(
        w.main_text().await.contains("Betalningsdag")
            || w.main_text().await.contains("betalningsdag")
    );
    problems.extend(w.check(&axe, "refused order").await);

    w.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
