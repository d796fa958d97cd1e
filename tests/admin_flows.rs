//! Administration in the browser: the organisation, people and roles; personal API tokens.

use crate::dual;
use reqwest::StatusCode;

dual!(admin_manages_organisation_and_users, |app| {
    let admin = app.login("admin").await;
    let (s, html) = admin.get("/admin/units").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Kontakt Linköping") && html.contains("Medborgarkontoret"));
    let (s, _, _) = admin
        .post(
            "/admin/units",
            &[
                ("code", "TEKN"),
                ("name", "Tekniska förvaltningen"),
                ("kind", "department"),
                ("parent", "LK"),
                ("erp_code", "70"),
                ("valid_from", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, html, _) = admin
        .post(
            "/admin/units",
            &[
                ("code", "TEKN"),
                ("name", "Dubblett"),
                ("kind", "department"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("already exists"));
    let (s, _, _) = admin
        .post(
            "/admin/units",
            &[("code", "bad code"), ("name", "X"), ("kind", "department")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let (s, _, _) = admin
        .post(
            "/admin/users",
            &[
                ("username", "ny.handlaggare"),
                ("display_name", "Ny Handläggare"),
                ("password", "langtlosenord"),
                ("home_unit", "TEKN"),
                ("role", "customer"),
                ("role_unit", "TEKN"),
                ("target_group", "manager"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let newbie = app.browser();
    assert_eq!(
        newbie
            .try_login("ny.handlaggare", "langtlosenord")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (s, html, _) = admin
        .post(
            "/admin/users",
            &[
                ("username", "x"),
                ("display_name", "X"),
                ("password", "kort"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("minst 8 tecken"));

    // One person, two roles: a customer of TEKN and an agent of Kontakt Linköping.
    let uid = app.db.user_by_username("ny.handlaggare").await.unwrap().id;
    let page = format!("/admin/users/{uid}");
    let (s, _, loc) = admin
        .post(
            &format!("{page}/grants"),
            &[("role", "agent"), ("role_unit", "KL")],
        )
        .await;
    assert_eq!(
        (s, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some(format!("{page}?ok=1").as_str()))
    );
    let (s, html, _) = admin
        .post(
            &format!("{page}/grants"),
            &[("role", "agent"), ("role_unit", "KL")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("redan den rollen"));
    let (s, html, _) = admin
        .post(
            &format!("{page}/grants"),
            &[("role", "admin"), ("role_unit", "KL")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let mut newbie = app.browser();
    newbie.try_login("ny.handlaggare", "langtlosenord").await;
    newbie.csrf = Some(newbie.csrf_token().await);
    assert_eq!(newbie.get("/queues/KL").await.0, StatusCode::OK);
    assert_eq!(newbie.get("/portal").await.0, StatusCode::OK);
    let (s, _, _) = admin
        .post(&format!("{page}/grants/remove"), &[("index", "1")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        newbie.get("/queues/KL").await.0,
        StatusCode::NOT_FOUND,
        "roles apply at once"
    );
    let (s, _, _) = admin
        .post(&format!("{page}/grants/remove"), &[("index", "7")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // Deactivating ends the person's sessions; admins cannot lock themselves out.
    let (s, _, _) = admin
        .post(
            &page,
            &[("display_name", "Ny Handläggare"), ("home_unit", "TEKN")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(newbie.get("/portal").await.0, StatusCode::SEE_OTHER);
    assert_eq!(
        app.browser()
            .try_login("ny.handlaggare", "langtlosenord")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let me = app.db.user_by_username("admin").await.unwrap().id;
    let (s, html, _) = admin
        .post(&format!("/admin/users/{me}"), &[("display_name", "Alva")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("ditt eget konto"));
    assert_eq!(
        admin.get("/admin/users/999999").await.0,
        StatusCode::NOT_FOUND
    );

    // Units are changed in place; a unit cannot move under its own descendant.
    let (s, _, _) = admin
        .post(
            "/admin/units/TEKN",
            &[
                ("code", "TEKN"),
                ("name", "Teknik- och fastighetsförvaltningen"),
                ("kind", "department"),
                ("parent", "LK"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db.unit_by_code("TEKN").await.unwrap().name,
        "Teknik- och fastighetsförvaltningen"
    );
    let (s, html, _) = admin
        .post(
            "/admin/units/VSS",
            &[
                ("code", "VSS"),
                ("name", "VSS"),
                ("kind", "administration"),
                ("parent", "LKDATA"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("descendant"));

    let (s, html) = admin.get("/admin/audit").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("TEKN")
            && html.contains("ny.handlaggare")
            && html.contains("ändrade roller för")
    );
});

dual!(tokens_from_the_account_page_work_and_revoke, |app| {
    let b = app.login("chef.uf").await;
    let (s, html, _) = b
        .post(
            "/account/tokens",
            &[("name", "Skript"), ("scope_read", "on"), ("days", "30")],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let at = html
        .find("<code>serva_")
        .expect("the new token is shown once")
        + "<code>".len();
    let token = html[at..].split('<').next().unwrap().to_string();
    let api = crate::harness::Api {
        base: app.base.clone(),
        client: reqwest::Client::new(),
        token: Some(token),
    };
    let (s, me) = api.get("/api/v1/me").await;
    assert_eq!(
        (s, me["username"].as_str()),
        (StatusCode::OK, Some("chef.uf"))
    );
    let tokens = app
        .db
        .tokens_of(app.db.user_by_username("chef.uf").await.unwrap().id)
        .await
        .unwrap();
    let (s, _, _) = b
        .post(&format!("/account/tokens/{}/revoke", tokens[0].id), &[])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _) = api.get("/api/v1/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
});
