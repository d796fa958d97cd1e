//! Login, sessions, CSRF, language.

use crate::dual;
use crate::harness::csrf_in;
use reqwest::StatusCode;

dual!(login_logout_and_session_fixation, |app| {
    let b = app.browser();
    let r = b.try_login("chef.uf", "wrong").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Fel användarnamn eller lösenord"));
    let r = b.try_login("nobody", "demo").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let r = b.try_login("chef.uf", "demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let first = r.headers().get_all("set-cookie").iter().find_map(|c| {
        let c = c.to_str().unwrap();
        c.strip_prefix("serva_session=")
            .map(|v| v.split(';').next().unwrap().to_string())
    });
    let first = first.expect("a session cookie");
    let (s, html) = b.get("/cases").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Ulrika Forsberg"));

    // Logging in again issues a new session id: a planted id is never adopted.
    let b2 = app.browser();
    let r = b2.try_login("chef.uf", "demo").await;
    let second = r.headers().get_all("set-cookie").iter().find_map(|c| {
        c.to_str()
            .unwrap()
            .strip_prefix("serva_session=")
            .map(|v| v.split(';').next().unwrap().to_string())
    });
    assert_ne!(Some(first), second);

    // Logging out ends the session on the server.
    let token = csrf_in(&html).unwrap();
    let r = b
        .client
        .post(format!("{}/logout", b.base))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, _) = b.get("/cases").await;
    assert_eq!(
        s,
        StatusCode::SEE_OTHER,
        "signed out people are sent to the login page"
    );
});

dual!(forms_need_csrf_and_same_origin, |app| {
    let mut b = app.login("admin.sof").await;
    let good = b.csrf.clone();
    b.csrf = Some("forged".into());
    let (s, html, _) = b.post("/account/locale", &[("locale", "en")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(html.contains("Formuläret hade gått ut"));
    b.csrf = good.clone();
    let r = b
        .client
        .post(format!("{}/account/locale", b.base))
        .header("origin", "https://evil.example")
        .form(&[("locale", "en"), ("_csrf", good.as_deref().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The login form has its own token.
    let r = app
        .browser()
        .client
        .post(app.url("/login"))
        .form(&[("username", "admin"), ("password", "demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
});

dual!(language_follows_browser_then_choice, |app| {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let html = client
        .get(app.url("/login"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\"") && html.contains("Log in"));
    let html = client
        .get(app.url("/login"))
        .header("accept-language", "sv-SE,sv;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Logga in"));

    let b = app.login("admin.sof").await;
    let (s, _, loc) = b.post("/account/locale", &[("locale", "en")]).await;
    assert_eq!(
        (s, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/account?ok=locale"))
    );
    let (_, html) = b.get("/portal").await;
    assert!(
        html.contains("<html lang=\"en\"") && html.contains("Order a service"),
        "{html}"
    );
    let (_, html) = b.get("/no/such").await;
    assert!(html.contains("Page not found"));
});

dual!(failed_logins_pause_the_account, |app| {
    let b = app.browser();
    for _ in 0..5 {
        assert_eq!(
            b.try_login("chef.uf", "fel").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Paused, even with the right password; other accounts log in as usual.
    let r = b.try_login("chef.uf", "demo").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 0
    );
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("För många misslyckade inloggningar"));
    assert_eq!(
        app.browser().try_login("admin.sof", "demo").await.status(),
        StatusCode::SEE_OTHER
    );
});
