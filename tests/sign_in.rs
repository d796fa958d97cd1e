//! Password sign-in under attack: parallel guessing, locking others out, counting across nodes,
//! administrators lifting pauses, and redirects that must stay on the site.

use std::net::IpAddr;

use crate::dual;
use crate::harness::csrf_in;
use reqwest::StatusCode;
use serva_domain::login_throttle::Subject;

fn behind_proxy() -> serva::Config {
    serva::Config {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..serva::Config::default()
    }
}

/// Sends `wrong` wrong passwords for `user` at once, and the right one among them if asked;
/// answers how many were checked (401 or 303) and how many were paused (429).
async fn burst(
    app: &crate::harness::App,
    user: &str,
    wrong: usize,
    right: bool,
) -> (usize, usize, bool) {
    let mut all = tokio::task::JoinSet::new();
    for i in 0..wrong + usize::from(right) {
        let b = app.browser();
        let user = user.to_string();
        all.spawn(async move {
            let pw = if i == wrong { "demo" } else { "fel" };
            b.try_login(&user, pw).await.status()
        });
    }
    let (mut checked, mut paused, mut signed_in) = (0, 0, false);
    while let Some(s) = all.join_next().await {
        match s.unwrap() {
            StatusCode::TOO_MANY_REQUESTS => paused += 1,
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::SEE_OTHER => {
                checked += 1;
                signed_in = true;
            }
            other => panic!("unexpected {other}"),
        }
    }
    (checked, paused, signed_in)
}

dual!(a_burst_of_guesses_gets_five_password_checks, |app| {
    // 30 wrong passwords at once, as one attacker would send them.
    let (checked, paused, _) = burst(&app, "chef.uf", 30, false).await;
    assert_eq!(checked, 5, "exactly five passwords are checked");
    assert_eq!(paused, 25);
    // The account stays paused for this address, even for the right password.
    let r = app.browser().try_login("chef.uf", "demo").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // With the right password in the burst, still no more than five are checked (the right
    // one may be among them, as it may be among any five guesses).
    let (checked, paused, _) = burst(&app, "chef.sof", 30, true).await;
    assert!(
        checked <= 5,
        "{checked} passwords were checked, at most 5 may be"
    );
    assert_eq!(checked + paused, 31);
});

dual!(a_guesser_pauses_only_itself_and_every_node_counts, |app| {
    let n1 = app.node(behind_proxy()).await;
    let n2 = app.node(behind_proxy()).await;
    let guesser = "198.51.100.7";
    // Attempts spread over two nodes count together.
    for node in [&n1, &n2, &n1, &n2] {
        let r = node
            .browser(Some(guesser))
            .try_login("chef.uf", "fel")
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = n2.browser(Some(guesser)).try_login("chef.uf", "fel").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the fifth is checked");
    for node in [&n1, &n2] {
        let r = node
            .browser(Some(guesser))
            .try_login("chef.uf", "demo")
            .await;
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "the guesser is paused on every node"
        );
    }
    // Twelve more tries from the same address change nothing for the owner elsewhere.
    for _ in 0..12 {
        let r = n1.browser(Some(guesser)).try_login("chef.uf", "fel").await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    let r = n1
        .browser(Some("192.0.2.10"))
        .try_login("chef.uf", "demo")
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the owner signs in from their own address"
    );
    // A forwarded address from a peer that is not a trusted proxy is not believed.
    let r = app.browser().try_login("chef.uf", "demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
});

dual!(an_address_trying_many_accounts_is_paused, |app| {
    let ip: IpAddr = "203.0.113.5".parse().unwrap();
    let now = 1_900_000_000;
    for i in 0..100 {
        let s = Subject::for_attempt(&format!("user{i}"), Some(ip));
        assert_eq!(
            app.db.count_login_attempt(&s, now).await.unwrap(),
            Ok(()),
            "attempt {i}"
        );
    }
    let s = Subject::for_attempt("user100", Some(ip));
    let wait = app.db.count_login_attempt(&s, now).await.unwrap();
    assert_eq!(wait, Err(60), "the address is paused for a minute");
    let other: IpAddr = "203.0.113.6".parse().unwrap();
    let s = Subject::for_attempt("user100", Some(other));
    assert_eq!(app.db.count_login_attempt(&s, now).await.unwrap(), Ok(()));
    // A success gives the address its own attempt back, so an office sharing one address
    // is only counted for its failures.
    let ok = Subject::for_attempt("user101", Some(other));
    app.db.count_login_attempt(&ok, now).await.unwrap().unwrap();
    app.db.login_succeeded(&ok).await.unwrap();
    let pauses = app.db.login_pauses(now).await.unwrap();
    assert_eq!(pauses.len(), 1, "{pauses:?}");
    assert_eq!(pauses[0].subject, Subject::Address(ip));
    assert_eq!(pauses[0].attempts, 100);
});

dual!(administrators_see_and_lift_pauses, |app| {
    let b = app.browser();
    for _ in 0..5 {
        b.try_login("chef.uf", "fel").await;
    }
    assert_eq!(
        b.try_login("chef.uf", "demo").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Only administrators see the list.
    let agent = app.login("handlaggare.hr").await;
    let (s, _) = agent.get("/admin/sign-in-pauses").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = agent
        .post("/admin/sign-in-pauses", &[("subject", "a:chef.uf")])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let admin = app.login("admin").await;
    let (s, html) = admin.get("/admin/sign-in-pauses").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("chef.uf") && html.contains("127.0.0.1"),
        "{html}"
    );
    let (s, _, loc) = admin
        .post(
            "/admin/sign-in-pauses",
            &[("subject", "af:127.0.0.1 chef.uf")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(loc.as_deref(), Some("/admin/sign-in-pauses?lifted"));
    let (_, html) = admin.get("/admin/sign-in-pauses?lifted").await;
    assert!(html.contains("Spärren är hävd") && !html.contains("chef.uf"));
    assert_eq!(
        b.try_login("chef.uf", "demo").await.status(),
        StatusCode::SEE_OTHER,
        "the owner signs in once the pause is lifted"
    );
    let (_, audit) = admin.get("/admin/audit?entity=login_lock").await;
    assert!(audit.contains("chef.uf"), "the lift is in the audit log");
    // Nonsense is refused with a message, not an error.
    let (s, _, _) = admin
        .post("/admin/sign-in-pauses", &[("subject", "x:nothing")])
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
});

dual!(redirects_stay_on_the_site, |app| {
    let b = app.browser();
    for back in [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%5Cevil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "//evil.example",
    ] {
        let r = b
            .client
            .get(app.url(&format!("/lang?to=en&back={back}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{back}");
        assert_eq!(r.headers()["location"], "/", "{back}");
    }
    // After a real sign-in, too.
    for next in ["/\t/evil.example", "/\r\n/evil.example", "/ä"] {
        let b = app.browser();
        let (_, html) = b.get("/login").await;
        let token = csrf_in(&html).unwrap();
        let r = b
            .client
            .post(app.url("/login"))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", "chef.uf"),
                ("password", "demo"),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(r.headers()["location"], "/", "{next:?}");
        let r = b
            .client
            .get(app.url(&format!("/login?next={}", urlencode(next))))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], "/", "signed in: {next:?}");
    }
});

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'/' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

dual!(
    an_overlong_username_is_refused_before_anything_is_kept,
    |app| {
        let long = "a".repeat(10_000);
        let r = app.browser().try_login(&long, "demo").await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("för långt"));
        // Nothing was counted for it: five fresh attempts all go (a sixth would wait).
        let s = [Subject::Account(long)];
        for _ in 0..5 {
            assert_eq!(
                app.db.count_login_attempt(&s, 1_900_000_000).await.unwrap(),
                Ok(())
            );
        }
    }
);
