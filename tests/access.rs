//! The access-control matrix: every role against cases, queues and administration.

use crate::dual;
use crate::harness::App;
use reqwest::StatusCode;
use serde_json::{json, Map, Value};

/// Orders `service` as `user` through the API, answering required fields sensibly.
pub async fn order(app: &App, user: &str, service: &str, extra: Value) -> i64 {
    let svc = app.db.service_by_code(service).await.unwrap();
    let mut fields = Map::new();
    for f in svc.form.iter().filter(|f| f.required) {
        let v = match f.kind {
            serva_domain::catalogue::FieldKind::Date => "2019-09-02".to_string(),
            serva_domain::catalogue::FieldKind::Number => "1".to_string(),
            serva_domain::catalogue::FieldKind::Choice => f.choices[0].clone(),
            serva_domain::catalogue::FieldKind::Text => "x".to_string(),
        };
        fields.insert(f.key.clone(), Value::String(v));
    }
    let mut body = json!({ "service": service, "subject": format!("{service} av {user}"), "description": "Test", "fields": fields });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (s, c) = app.api(user).await.post("/api/v1/cases", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{user} orders {service}: {c}");
    c["id"].as_i64().unwrap()
}

/// The first service of a unit.
async fn service_of(app: &App, unit: &str) -> String {
    let u = app.db.unit_by_code(unit).await.unwrap();
    let f = serva_store::catalogue::ServiceFilter {
        unit: Some(u.id),
        ..Default::default()
    };
    app.db.services(&f).await.unwrap()[0].code.clone()
}

dual!(who_sees_which_case, |app| {
    let lk = service_of(&app, "LKDATA").await;
    let hrd = service_of(&app, "HRD").await;
    let c_sof = order(&app, "admin.sof", &lk, json!({})).await;
    let c_uf = order(&app, "hrkonsult.uf", &hrd, json!({})).await;
    let c_kl = order(
        &app,
        "handlaggare.kontakt",
        "KL-FRAGA",
        json!({ "channel": "phone", "requester_name": "Anna Andersson" }),
    )
    .await;

    // (user, sees c_sof, sees c_uf, sees c_kl, works c_sof)
    let matrix = [
        ("admin", true, true, true, true),
        ("controller", false, false, false, false),
        ("chef.vss", true, true, true, true),
        ("handlaggare.kontakt", false, false, true, false),
        ("handlaggare.hr", false, true, false, false),
        ("handlaggare.lkdata", true, false, false, true),
        ("chef.uf", false, true, false, false),
        ("admin.sof", true, false, false, false),
        ("hrkonsult.uf", false, true, false, false),
        ("chef.sof", true, false, false, false),
    ];
    for (user, sof, uf, kl, works) in matrix {
        let b = app.login(user).await;
        let api = app.api(user).await;
        for (id, expected) in [(c_sof, sof), (c_uf, uf), (c_kl, kl)] {
            let want = if expected {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(
                b.get(&format!("/cases/{id}")).await.0,
                want,
                "{user} page of case {id}"
            );
            assert_eq!(
                api.get(&format!("/api/v1/cases/{id}")).await.0,
                want,
                "{user} API case {id}"
            );
            assert_eq!(
                api.get(&format!("/api/v1/cases/{id}/messages")).await.0,
                want,
                "{user} messages of {id}"
            );
        }
        // Lists hold exactly what may be seen.
        let (_, list) = api.get("/api/v1/cases?per_page=200").await;
        let mut ids: Vec<i64> = list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        ids.sort_unstable();
        let mut want: Vec<i64> = [(c_sof, sof), (c_uf, uf), (c_kl, kl)]
            .iter()
            .filter(|x| x.1)
            .map(|x| x.0)
            .collect();
        want.sort_unstable();
        assert_eq!(ids, want, "{user} case list");
        // Working the case: agents of the provider only; seeing without working is 403.
        let (s, _) = api
            .patch(
                &format!("/api/v1/cases/{c_sof}"),
                &json!({ "status": "open" }),
            )
            .await;
        let want = if works {
            StatusCode::OK
        } else if sof {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(s, want, "{user} patches case {c_sof}");
        if works {
            let (s, _) = api
                .patch(
                    &format!("/api/v1/cases/{c_sof}"),
                    &json!({ "status": "waiting_third_party" }),
                )
                .await;
            assert_eq!(s, StatusCode::OK);
        }
        let (s, _, _) = b
            .post(&format!("/cases/{c_sof}/status"), &[("status", "resolved")])
            .await;
        let want = if works {
            StatusCode::SEE_OTHER
        } else if sof {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(s, want, "{user} changes status on the page");
        if works {
            let (s, _, _) = b
                .post(&format!("/cases/{c_sof}/status"), &[("status", "open")])
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER);
        }
    }
});

dual!(queues_and_admin_pages_only_for_their_people, |app| {
    let cases = [
        ("admin", StatusCode::OK, StatusCode::OK),
        ("chef.vss", StatusCode::OK, StatusCode::NOT_FOUND),
        ("handlaggare.lkdata", StatusCode::OK, StatusCode::NOT_FOUND),
        (
            "handlaggare.kontakt",
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
        ),
        ("admin.sof", StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
        ("chef.uf", StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
        ("controller", StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
    ];
    for (user, queue, admin) in cases {
        let b = app.login(user).await;
        assert_eq!(
            b.get("/queues/LKDATA").await.0,
            queue,
            "{user} /queues/LKDATA"
        );
        for p in [
            "/admin",
            "/admin/users",
            "/admin/units",
            "/admin/audit",
            "/admin/sign-in-pauses",
            "/admin/tokens",
            "/admin/mail",
        ] {
            assert_eq!(b.get(p).await.0, admin, "{user} {p}");
        }
        // Everyone has their own account, sessions and tokens.
        for p in ["/account", "/account/sessions"] {
            assert_eq!(b.get(p).await.0, StatusCode::OK, "{user} {p}");
        }
        let (s, _, _) = b
            .post(
                "/admin/units",
                &[("code", "X1"), ("name", "X"), ("kind", "unit")],
            )
            .await;
        assert_eq!(
            s,
            if admin == StatusCode::OK {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::NOT_FOUND
            },
            "{user} adds a unit"
        );
    }
    let b = app.login("handlaggare.kontakt").await;
    let (_, html) = b.get("/queues").await;
    assert!(html.contains("/queues/KL") && !html.contains("/queues/LKDATA"));
    // Anonymous people are sent to log in, and come back where they were going.
    let (s, _) = app.browser().get("/cases/1").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let r = app
        .browser()
        .client
        .get(app.url("/queues/KL?status=active"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        "/login?next=%2Fqueues%2FKL%3Fstatus%3Dactive"
    );
});
