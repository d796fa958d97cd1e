//! Journey: report versions in a real browser. The head of VSS approves the interim report; the
//! controller then saves a forecast into the approved date and is warned that it will not count
//! in the approved version; the list of reports shows the draft differs, the head approves it
//! as version 2, and both versions are listed. The report stays within a 1 280 px window, and
//! every page passes axe and reflows.

use crate::browser_kit::{prerequisites, Driver, Window};
use crate::harness::{App, Backend};

const REPORT: &str = "/reports/interim?org=VSS&year=2019&through=2019-08-31";

/// Nothing sticks out of a 1 280 px window, and nothing in the report scrolls sideways on its
/// own either: the whole report is readable without horizontal scrolling.
async fn fits_1280(w: &Window, label: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(o) = w.overflow(1280).await {
        problems.push(format!("{label} at 1 280 px: {o}"));
    }
    let inner = w
        .script(
            "return [...document.querySelectorAll('.report *, body > main *, body > article *')]
               .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
               .map(e => e.tagName.toLowerCase() + '.' + (e.className || '') + ' ' + e.scrollWidth + '>' + e.clientWidth +
                   ' (' + ((e.querySelector('caption') || {}).textContent || '') + ')')",
        )
        .await;
    for s in inner.as_array().into_iter().flatten() {
        problems.push(format!("{label} at 1 280 px scrolls sideways: {s}"));
    }
    problems
}

/// The page's text once it says `needle`: a click that submits a form returns before the next
/// page has loaded, so the page is read again until it shows (or 10 s have passed).
async fn text_once(w: &Window, needle: &str) -> String {
    for _ in 0..100 {
        let text = w.main_text().await;
        if text.contains(needle) {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let text = w.main_text().await;
    panic!("the page never said {needle:?}: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_approves_controller_changes_a_forecast_and_version_2_is_approved() {
    let Some(axe) = prerequisites() else {
        return;
    };
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let driver = Driver::start().await;
    let mut problems = Vec::new();

    // The head chooses the report on the list of reports and approves it.
    let head = Window::open(&driver).await;
    head.sign_in(&app, "chef.vss").await;
    head.go(&format!("{}/reports", app.base)).await;
    problems.extend(head.check(&axe, "/reports").await);
    head.choose("#org", "VSS").await;
    head.fill("#year", "2019").await;
    head.fill("#through", "2019-08-31").await;
    head.click("form.filters button[type=submit]").await;
    text_once(&head, "Beräknat från aktuella data").await;
    let path = head.path().await;
    assert!(
        path.starts_with("/reports/interim?org=VSS&year=2019&through=2019-08-31"),
        "{path}"
    );
    problems.extend(head.check(&axe, "draft").await);
    problems.extend(fits_1280(&head, "draft").await);
    head.click("form[action='/reports/interim/approve'] button[type=submit]")
        .await;
    let text = text_once(&head, "Rapporten är godkänd och fryst.").await;
    assert!(text.contains("Fastställd version 1"), "{text}");
    assert!(text.contains("av Vera Sundström"), "{text}");
    assert!(text.contains("Versionen är fryst"), "{text}");
    problems.extend(head.check(&axe, "version 1").await);
    problems.extend(fits_1280(&head, "version 1").await);

    // The standalone HTML report, too, stays within 1 280 px.
    head.go(&format!(
        "{}/api/v1/reports/interim?org=VSS&year=2019&through=2019-08-31&format=html",
        app.base
    ))
    .await;
    problems.extend(fits_1280(&head, "HTML report").await);

    // The controller saves a 99 Mkr forecast for LKDATA into the approved date.
    let controller = Window::open(&driver).await;
    controller.sign_in(&app, "controller").await;
    controller
        .go(&format!(
            "{}/followup/forecasts?org=VSS&year=2019&through=2019-08-31",
            app.base
        ))
        .await;
    problems.extend(controller.check(&axe, "follow-up").await);
    let before = controller.main_text().await;
    assert!(
        before.contains("Rapporten för 2019-08-31 är fastställd; ändringar här räknas inte"),
        "{before}"
    );
    controller.fill("#rev-LKDATA", "0").await;
    controller.fill("#cost-LKDATA", "99 000 000").await;
    controller
        .fill("#comment-LKDATA", "Efter fastställandet")
        .await;
    controller
        .click("form[action='/followup/forecasts']:has(#cost-LKDATA) button[type=submit]")
        .await;
    let text = text_once(&controller, "Prognosen är sparad.").await;
    assert!(
        text.contains(
            "Rapporten för 2019-08-31 är fastställd; ändringen räknas inte i den fastställda versionen."
        ),
        "{text}"
    );
    assert!(
        text.contains("Efter fastställandet"),
        "the forecast is saved: {text}"
    );
    problems.extend(controller.check(&axe, "follow-up after the change").await);

    // The list shows that the draft now differs; the head opens the draft and approves it as
    // version 2.
    head.go(&format!("{}/reports", app.base)).await;
    let text = head.main_text().await;
    assert!(
        text.contains("Skiljer sig från fastställd version 1"),
        "{text}"
    );
    head.go(&format!("{}{REPORT}", app.base)).await;
    let text = head.main_text().await;
    assert!(
        text.contains("Underlaget har ändrats sedan versionen fastställdes"),
        "{text}"
    );
    head.click("a[href$='version=utkast']").await;
    text_once(&head, "Utkastet skiljer sig från fastställd version 1").await;
    problems.extend(head.check(&axe, "changed draft").await);
    head.click("form[action='/reports/interim/approve'] button[type=submit]")
        .await;
    text_once(&head, "Fastställd version 2").await;

    // Both versions listed: 2 current, 1 superseded, the draft the same as version 2.
    head.go(&format!("{}/reports", app.base)).await;
    let text = head.main_text().await;
    assert!(text.contains("Samma som fastställd version 2"), "{text}");
    assert!(
        text.contains("(gällande)") && text.contains("(ersatt)"),
        "{text}"
    );
    problems.extend(head.check(&axe, "/reports with two versions").await);
    head.go(&format!("{}{REPORT}&version=1", app.base)).await;
    let text = head.main_text().await;
    assert!(
        text.contains("Fastställd version 1") && text.contains("ersatt av version 2"),
        "{text}"
    );

    head.close().await;
    controller.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
