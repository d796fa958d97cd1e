//! In a real browser: the controller keeps the follow-up without a spreadsheet — adds a
//! forecast and an indicator value by form, changes them, deletes them after the question.
//! Every page visited passes axe and reflows at 390 px.

use crate::browser_kit::{prerequisites, Driver, Window};
use crate::harness::{App, Backend};

const QS: &str = "org=VSS&year=2019&through=2019-08-31";

/// The anchor of the row just saved (`#rad-…`), from the window's address.
async fn saved_row(w: &Window) -> String {
    w.script("return location.hash")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The page's text once it says `what` (a submit's answer may come a moment after the click).
async fn text_once(w: &Window, what: &str) -> String {
    let mut text = String::new();
    for _ in 0..50 {
        text = w.main_text().await;
        if text.contains(what) {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page never said {what:?}: {text}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn controller_adds_changes_and_deletes_follow_up_rows() {
    let Some(axe) = prerequisites() else {
        return;
    };
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let driver = Driver::start().await;
    let w = Window::open(&driver).await;
    w.sign_in(&app, "controller").await;
    let mut problems = Vec::new();

    w.go(&format!("{}/followup?{QS}", app.base)).await;
    problems.extend(w.check(&axe, "index").await);
    w.click("nav a[href^=\"/followup/forecasts?\"]").await;
    assert!(w.path().await.starts_with("/followup/forecasts?"));
    problems.extend(w.check(&axe, "forecasts").await);

    // A forecast by form, with Swedish amounts and a date typed without dashes.
    w.click("a[href^=\"/followup/rows/forecast/new?\"]").await;
    problems.extend(w.check(&axe, "new forecast").await);
    w.fill("#f-through", "20190630").await;
    w.choose("#f-unit", "KL").await;
    w.fill("#f-revenue", "31 900 000").await;
    w.fill("#f-cost", "oklart").await;
    w.click("form[action=\"/followup/rows/forecast\"] button[type=submit]")
        .await;
    text_once(&w, "Skriv ett belopp i kronor").await;
    problems.extend(w.check(&axe, "forecast refused").await);
    w.fill("#f-cost", "30 000 000,50").await;
    w.click("form[action=\"/followup/rows/forecast\"] button[type=submit]")
        .await;
    text_once(&w, "Ändringen är sparad").await;
    assert!(w.path().await.starts_with("/followup/forecasts?"));
    let text = w.main_text().await;
    assert!(
        text.contains("Ändringen är sparad") && text.contains("2019-06-30"),
        "{text}"
    );
    let row = saved_row(&w).await;
    assert!(row.starts_with("#rad-forecast-"), "{row}");
    problems.extend(w.check(&axe, "forecast saved").await);

    // Changed, then deleted after the question.
    w.click(&format!("tr{row} a[href*=\"/edit?\"]")).await;
    problems.extend(w.check(&axe, "change forecast").await);
    w.fill("#f-cost", "29 500 000").await;
    w.click("form[action=\"/followup/rows/forecast\"] button[type=submit]")
        .await;
    text_once(&w, "29 500 000").await;
    w.click(&format!("tr{row} a[href*=\"/delete?\"]")).await;
    problems.extend(w.check(&axe, "delete forecast?").await);
    text_once(&w, "Ja, ta bort").await;
    w.click("form[action=\"/followup/rows/forecast/delete\"] button[type=submit]")
        .await;
    let text = text_once(&w, "Raden är borttagen").await;
    assert!(!text.contains("2019-06-30"), "{text}");

    // An indicator value of 1,5, shown and filled in as 1,5.
    w.go(&format!("{}/followup/indicators?{QS}", app.base))
        .await;
    problems.extend(w.check(&axe, "indicators").await);
    w.click("a[href^=\"/followup/rows/indicator_values/new?\"]")
        .await;
    problems.extend(w.check(&axe, "new value").await);
    w.choose("#f-indicator", "VSS-IND-04").await;
    w.fill("#f-period", "2019-07").await;
    w.choose("#f-gender", "K").await;
    w.fill("#f-value", "1,5").await;
    w.click("form[action=\"/followup/rows/indicator_values\"] button[type=submit]")
        .await;
    text_once(&w, "Ändringen är sparad").await;
    let row = saved_row(&w).await;
    assert!(row.starts_with("#rad-indicator_values-"), "{row}");
    let cells = w
        .script(&format!(
            "return document.querySelector('tr{row}').innerText"
        ))
        .await;
    assert!(cells.as_str().unwrap().contains("1,5"), "{cells}");
    w.click(&format!("tr{row} a[href*=\"/edit?\"]")).await;
    text_once(&w, "Ändra indikatorvärde").await;
    let value = w
        .script("return document.querySelector('#f-value').value")
        .await;
    assert_eq!(value.as_str(), Some("1,5"));
    w.fill("#f-value", "2,25").await;
    w.click("form[action=\"/followup/rows/indicator_values\"] button[type=submit]")
        .await;
    text_once(&w, "Ändringen är sparad").await;
    let cells = w
        .script(&format!(
            "return document.querySelector('tr{row}').innerText"
        ))
        .await;
    assert!(cells.as_str().unwrap().contains("2,25"), "{cells}");
    w.click(&format!("tr{row} a[href*=\"/delete?\"]")).await;
    text_once(&w, "Ja, ta bort").await;
    problems.extend(w.check(&axe, "delete value?").await);
    w.click("form[action=\"/followup/rows/indicator_values/delete\"] button[type=submit]")
        .await;
    text_once(&w, "Raden är borttagen").await;
    let gone = w
        .script(&format!(
            "return document.querySelector('tr{row}') === null"
        ))
        .await;
    assert_eq!(gone.as_bool(), Some(true));
    problems.extend(w.check(&axe, "value deleted").await);

    w.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
