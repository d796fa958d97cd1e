//! An administrator's journey in a real browser: find people by filter, add one (first with
//! mistakes, which the form keeps and names), and read what happened in the audit log.

use crate::browser_kit::{prerequisites, Driver, Window};
use crate::harness::{App, Backend};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_finds_adds_and_audits_people() {
    let Some(axe) = prerequisites() else {
        return;
    };
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let driver = Driver::start().await;
    let w = Window::open(&driver).await;
    w.sign_in(&app, "admin").await;
    let mut problems = Vec::new();

    // Find the unit managers of Kontakt Linköping with the filter form.
    w.go(&format!("{}/admin/users", app.base)).await;
    w.choose("#unit", "KL").await;
    w.choose("#role-filter", "unit_manager").await;
    w.submit("form[role=search] button[type=submit]").await;
    assert!(w.path().await.contains("role=unit_manager"));
    let text = w.main_text().await;
    assert!(
        text.contains("chef.kontakt") && text.contains("1 användare"),
        "{text}"
    );
    assert!(!text.contains("handlaggare.kontakt"));
    problems.extend(w.check(&axe, "users filtered").await);

    // Add a person: a bad username and a short password are named, the rest kept.
    w.fill("#username", "Eva Lind").await;
    w.fill("#display_name", "Eva Lind").await;
    w.fill("#email", "eva.lind@linkoping.se").await;
    w.fill("#password", "kort").await;
    w.choose("#home_unit", "KL").await;
    w.choose("#role", "agent").await;
    w.choose("#role_unit", "KL").await;
    w.submit("#ny-person ~ form button[type=submit]").await;
    let text = w.main_text().await;
    assert!(text.contains("Personen lades inte till"), "{text}");
    assert!(text.contains("Användarnamnet ska vara 2–64 tecken"));
    assert!(text.contains("Lösenordet måste ha minst 8 tecken"));
    let kept = w
        .script("return [document.querySelector('#display_name').value, document.querySelector('#email').value, document.querySelector('#role_unit').value]")
        .await;
    assert_eq!(
        kept,
        serde_json::json!(["Eva Lind", "eva.lind@linkoping.se", "KL"])
    );
    problems.extend(w.check(&axe, "add person refused").await);
    w.fill("#username", "eva.lind").await;
    w.fill("#password", "ett-langt-losenord").await;
    w.submit("#ny-person ~ form button[type=submit]").await;
    assert!(w.main_text().await.contains("Användaren är tillagd"));

    // The audit log says it in words, filtered to the administrator's own doing.
    w.go(&format!("{}/admin/audit", app.base)).await;
    w.fill("#who", "admin").await;
    w.submit("form[role=search] button[type=submit]").await;
    let text = w.main_text().await;
    assert!(text.contains("skapade användaren"), "{text}");
    problems.extend(w.check(&axe, "audit filtered").await);

    w.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
