//! The phone channel: call records posted live by the telephony platform (idempotent on
//! `call_id`, all or nothing, the same checks as the `calls` import), and a queue's service
//! level today and this week on its phone page.

use reqwest::StatusCode;
use serde_json::json;
use serva_domain::token::{TokenRequest, TokenScope, TokenScopes};

use crate::dual;
use crate::harness::{assert_api_error, Api, App};

async fn calls_stored(app: &App) -> i64 {
    app.db
        .table_counts()
        .await
        .unwrap()
        .into_iter()
        .find(|(t, _)| t == "calls")
        .expect("calls are counted")
        .1
}

fn bar(id: &str, wait: i64, answered: bool) -> serde_json::Value {
    json!({
        "call_id": id, "unit": "KL", "offered_at": "2026-11-30T09:15:00",
        "wait_seconds": wait, "answered": answered
    })
}

dual!(a_call_posted_twice_is_stored_once, |app| {
    let api = app.api("admin").await;
    let before = calls_stored(&app).await;
    let (s, first) = api.post("/api/v1/calls", &bar("BAR-x", 42, true)).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(first["result"], "created");
    assert_eq!(first["call_id"], "BAR-x");
    assert_eq!(first["unit"], "KL");
    // 09:15 in Stockholm in winter is 08:15 UTC.
    assert_eq!(first["offered_at"], "2026-11-30T08:15:00Z");
    let (s, again) = api.post("/api/v1/calls", &bar("BAR-x", 42, true)).await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["result"], "existing");
    assert_eq!(again["id"], first["id"]);
    assert_eq!(calls_stored(&app).await, before + 1);

    // A list answers per call, in order; a repeat inside the list is stored once.
    let (s, list) = api
        .post(
            "/api/v1/calls",
            &json!([
                bar("BAR-x", 42, true),
                bar("BAR-y", 200, true),
                bar("BAR-y", 200, true)
            ]),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{list}");
    let results: Vec<&str> = list["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["existing", "created", "existing"]);
    assert_eq!(calls_stored(&app).await, before + 2);
    let (s, _) = api
        .post(
            "/api/v1/calls",
            &json!([bar("BAR-x", 42, true), bar("BAR-y", 200, true)]),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "nothing new in the list: 200");
});

dual!(a_bad_call_refuses_the_post_and_loses_nothing, |app| {
    let api = app.api("admin").await;
    let (s, _) = api.post("/api/v1/calls", &bar("BAR-keep", 10, true)).await;
    assert_eq!(s, StatusCode::CREATED);
    let before = calls_stored(&app).await;

    let mut unknown = bar("BAR-2", 10, true);
    unknown["unit"] = json!("NOSUCH");
    let got = api
        .post("/api/v1/calls", &json!([bar("BAR-1", 10, true), unknown]))
        .await;
    assert_api_error(&got, 422, "call 1, unit: no unit has code \"NOSUCH\"");
    assert_eq!(got.1["error"]["code"], "invalid_call");
    assert_eq!(got.1["error"]["details"]["errors"][0]["line"], 1);
    assert_eq!(
        calls_stored(&app).await,
        before,
        "nothing of the post stored"
    );

    // A customer department has no phone queue.
    let mut customer = bar("BAR-3", 10, true);
    customer["unit"] = json!("SOF");
    let got = api.post("/api/v1/calls", &customer).await;
    assert_api_error(&got, 422, "not a provider unit");

    // The import's checks: a wait out of range, a time that is no time.
    let got = api.post("/api/v1/calls", &bar("BAR-4", -5, true)).await;
    assert_api_error(&got, 422, "wait_seconds");
    let mut bad_time = bar("BAR-5", 5, true);
    bad_time["offered_at"] = json!("igår");
    let got = api.post("/api/v1/calls", &bad_time).await;
    assert_api_error(&got, 422, "offered_at");
    // A field missing or of the wrong type names the call.
    let got = api
        .post(
            "/api/v1/calls",
            &json!([bar("BAR-6", 5, true), {"call_id": "BAR-7", "unit": "KL"}]),
        )
        .await;
    assert_api_error(&got, 422, "call 1");
    assert_eq!(got.1["error"]["code"], "invalid_body");
    let got = api.post("/api/v1/calls", &json!("BAR-8")).await;
    assert_api_error(&got, 422, "one call");
    let got = api.post("/api/v1/calls", &json!([])).await;
    assert_api_error(&got, 400, "no calls");

    // The same call id with other fields is a conflict, not a silent overwrite.
    let got = api.post("/api/v1/calls", &bar("BAR-keep", 99, false)).await;
    assert_api_error(&got, 409, "BAR-keep");
    assert_eq!(calls_stored(&app).await, before, "still nothing new");
    let (_, kept) = api.post("/api/v1/calls", &bar("BAR-keep", 10, true)).await;
    assert_eq!(kept["wait_seconds"], 10, "the accepted record is as it was");
});

dual!(
    recording_calls_needs_the_imports_scope_and_the_right,
    |app| {
        let admin = app.db.user_by_username("admin").await.unwrap();
        let read_only = app
            .db
            .create_token_with(
                None,
                admin.id,
                &TokenRequest {
                    name: "read".into(),
                    scopes: TokenScopes::of(&[TokenScope::Read, TokenScope::Cases]),
                    days: 30,
                },
            )
            .await
            .unwrap();
        let api = Api {
            base: app.base.clone(),
            client: reqwest::Client::new(),
            token: Some(read_only),
        };
        let got = api.post("/api/v1/calls", &bar("BAR-s", 1, true)).await;
        assert_api_error(&got, 403, "scope \"imports\"");
        // An agent may not feed the queue's statistics.
        let agent = app.api("handlaggare.kontakt").await;
        let got = agent.post("/api/v1/calls", &bar("BAR-s", 1, true)).await;
        assert_api_error(&got, 403, "may not record calls");
        let got = app
            .anonymous_api()
            .post("/api/v1/calls", &bar("BAR-s", 1, true))
            .await;
        assert_eq!(got.0, StatusCode::UNAUTHORIZED);
    }
);

dual!(
    the_queue_shows_its_service_level_today_and_this_week,
    |app| {
        // Four calls at the start of this local hour: three answered within 120 s, one after.
        let hour = serva_domain::time::to_local(serva_domain::time::now_ms())
            .format("%Y-%m-%dT%H:00:00")
            .to_string();
        let call = |id: &str, wait: i64| json!({"call_id": id, "unit": "KL", "offered_at": hour, "wait_seconds": wait, "answered": true});
        let api = app.api("admin").await;
        let (s, body) = api
            .post(
                "/api/v1/calls",
                &json!([
                    call("SL-1", 10),
                    call("SL-2", 60),
                    call("SL-3", 120),
                    call("SL-4", 300)
                ]),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");

        let manager = app.login("chef.kontakt").await;
        let (s, queue) = manager.get("/queues/KL").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            queue.contains("href=\"/queues/KL/phone\""),
            "the queue links its phone page"
        );
        let (s, page) = manager.get("/queues/KL/phone").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("75,0\u{a0}%"), "3 of 4 within 120 s: {page}");
        assert!(
            page.contains("under mål"),
            "below the 80 % target, said in words"
        );
        let hh = &hour[11..13];
        assert!(
            page.contains(&format!("<th scope=\"row\">{hh}–")),
            "today's hour is listed"
        );

        // An agent of the queue sees it too; someone of another unit does not learn it exists.
        let agent = app.login("handlaggare.kontakt").await;
        assert_eq!(agent.get("/queues/KL/phone").await.0, StatusCode::OK);
        let other = app.login("handlaggare.hr").await;
        assert_eq!(other.get("/queues/KL/phone").await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            manager.get("/queues/NOSUCH/phone").await.0,
            StatusCode::NOT_FOUND
        );
    }
);
