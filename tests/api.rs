//! REST API v1: the happy paths and every kind of bad input.

use crate::dual;
use crate::harness::assert_api_error;
use reqwest::{Method, StatusCode};
use serde_json::json;

dual!(create_read_patch_and_message, |app| {
    let customer = app.api("admin.sof").await;
    let svc = app.db.service_by_code("LK-KONTO").await.unwrap();
    let choice = svc
        .form
        .into_iter()
        .find(|f| f.key == "behorighet")
        .unwrap()
        .choices[0]
        .clone();
    let (s, case) = customer
        .post(
            "/api/v1/cases",
            &json!({
                "service": "LK-KONTO", "subject": "Konto till vikarie", "description": "Vikarie på Ekkällan.",
                "channel": "web", "fields": { "startdatum": "2019-09-02", "behorighet": choice }
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let id = case["id"].as_i64().unwrap();
    let number = case["number"].as_str().unwrap();
    assert!(
        number.ends_with(&format!("{id:07}")) && number.len() == 12,
        "{number}"
    );
    assert_eq!(case["status"], "new");
    assert_eq!(case["fields"]["startdatum"], "2019-09-02");
    assert_eq!(case["customer_unit"]["name"], "Socialförvaltningen");
    assert_eq!(case["target_group"], "administrator");

    let (s, got) = customer.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(
        (s, &got["subject"]),
        (StatusCode::OK, &json!("Konto till vikarie"))
    );
    let (_, list) = customer.get(&format!("/api/v1/cases?q={number}")).await;
    assert_eq!(list["cases"][0]["id"], id);

    let agent = app.api("handlaggare.lkdata").await;
    let (s, patched) = agent
        .patch(
            &format!("/api/v1/cases/{id}"),
            &json!({ "status": "open", "assignee": "handlaggare.lkdata" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{patched}");
    assert_eq!(
        (
            patched["status"].as_str(),
            patched["assignee_name"].as_str()
        ),
        (Some("open"), Some("Linus Dahlberg"))
    );
    let (s, _) = agent
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({ "body": "Intern koll", "internal": true }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, m) = agent
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({ "body": "Klart i morgon." }),
        )
        .await;
    assert_eq!(
        (s, m["internal"].as_bool()),
        (StatusCode::CREATED, Some(false))
    );

    let (_, msgs) = customer.get(&format!("/api/v1/cases/{id}/messages")).await;
    let bodies: Vec<&str> = msgs["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Klart i morgon."]);
    let (_, msgs) = agent.get(&format!("/api/v1/cases/{id}/messages")).await;
    assert_eq!(msgs["messages"].as_array().unwrap().len(), 2);
    let (_, hist) = customer.get(&format!("/api/v1/cases/{id}/history")).await;
    let kinds: Vec<&str> = hist["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "assigned", "status", "message"]);
    let (_, got) = customer.get(&format!("/api/v1/cases/{id}")).await;
    assert!(got["first_response_at"].is_string());

    // Unassign with null; customers cannot patch.
    let (s, p) = agent
        .patch(&format!("/api/v1/cases/{id}"), &json!({ "assignee": null }))
        .await;
    assert_eq!((s, &p["assignee_id"]), (StatusCode::OK, &json!(null)));
    assert_api_error(
        &customer
            .patch(
                &format!("/api/v1/cases/{id}"),
                &json!({ "status": "closed" }),
            )
            .await,
        403,
        "agents",
    );

    let (s, services) = customer.get("/api/v1/services?q=konto").await;
    assert_eq!(s, StatusCode::OK);
    assert!(services["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["code"] == "LK-KONTO"));
    let (s, one) = customer.get("/api/v1/services/LK-KONTO").await;
    assert_eq!(s, StatusCode::OK);
    assert!(one["form"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["key"] == "startdatum" && f["required"] == true));
});

dual!(bad_input_gets_clear_4xx, |app| {
    let api = app.api("admin.sof").await;
    let ok_body = json!({ "service": "KL-FRAGA", "subject": "Hej", "description": "Text" });

    assert_api_error(
        &api.raw(
            Method::POST,
            "/api/v1/cases",
            "application/json",
            b"{\"service\": ".to_vec(),
        )
        .await,
        400,
        "not valid JSON",
    );
    assert_api_error(
        &api.raw(
            Method::POST,
            "/api/v1/cases",
            "text/plain",
            ok_body.to_string().into_bytes(),
        )
        .await,
        415,
        "application/json",
    );
    assert_api_error(
        &api.post(
            "/api/v1/cases",
            &json!({ "service": "NOPE", "subject": "a", "description": "b" }),
        )
        .await,
        422,
        "NOPE",
    );
    assert_api_error(
        &api.post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": 12, "description": "b" }),
        )
        .await,
        422,
        "subject",
    );
    assert_api_error(
        &api.post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "description": "b" }),
        )
        .await,
        422,
        "subject",
    );
    assert_api_error(
        &api.post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "a", "description": "b", "colour": "red" }),
        )
        .await,
        422,
        "colour",
    );
    assert_api_error(
        &api.post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": " ", "description": "b" }),
        )
        .await,
        422,
        "subject must not be empty",
    );
    assert_api_error(
        &api.post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "a".repeat(201), "description": "b" }),
        )
        .await,
        422,
        "too long",
    );
    assert_api_error(
        &api.post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "a", "description": "b", "channel": "fax" }),
        )
        .await,
        422,
        "fax",
    );
    assert_api_error(&api.post("/api/v1/cases", &json!({ "service": "KL-FRAGA", "subject": "a", "description": "b", "resolve_now": true })).await, 422, "first contact");
    assert_api_error(&api.post("/api/v1/cases", &json!({ "service": "KL-FRAGA", "subject": "a", "description": "b", "fields": { "x": [1] } })).await, 422, "\"x\"");

    // Missing required form fields are named one by one.
    let got = api.post("/api/v1/cases", &json!({ "service": "LK-KONTO", "subject": "a", "description": "b", "fields": { "startdatum": "igår" } })).await;
    assert_api_error(&got, 422, "startdatum");
    let problems: Vec<(String, String)> = got.1["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["problem"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        problems.contains(&("startdatum".into(), "not_a_date".into())),
        "{problems:?}"
    );
    assert!(
        problems.contains(&("behorighet".into(), "required".into())),
        "{problems:?}"
    );

    // Oversized bodies are refused before they are read.
    let big = json!({ "service": "KL-FRAGA", "subject": "a", "description": "x".repeat(400_000) });
    assert_api_error(
        &api.raw(
            Method::POST,
            "/api/v1/cases",
            "application/json",
            big.to_string().into_bytes(),
        )
        .await,
        413,
        "larger",
    );

    // Nothing above was stored.
    let (_, list) = api.get("/api/v1/cases").await;
    assert_eq!(list["cases"].as_array().unwrap().len(), 0);
    assert_eq!(
        api.post("/api/v1/cases", &ok_body).await.0,
        StatusCode::CREATED,
        "a good body still works"
    );

    // Ids, queries, patches.
    assert_api_error(&api.get("/api/v1/cases/abc").await, 404, "case");
    assert_api_error(&api.get("/api/v1/cases/99999999").await, 404, "case");
    assert_api_error(&api.get("/api/v1/cases/-1").await, 404, "case");
    assert_api_error(&api.get("/api/v1/cases?status=bogus").await, 400, "bogus");
    assert_api_error(
        &api.get("/api/v1/cases?per_page=100000").await,
        400,
        "per_page",
    );
    assert_api_error(&api.get("/api/v1/cases?colour=red").await, 400, "colour");
    for path in [
        "/api/v1/cases?q=%FF%FE",
        "/api/v1/services?q=%FF",
        "/api/v1/cases?q=%",
        "/api/v1/cases?page=%00",
    ] {
        let (s, body) = api.get(path).await;
        assert!(
            s.is_success() || s == StatusCode::BAD_REQUEST,
            "{path}: {s}"
        );
        assert!(body.is_object(), "{path} answers JSON: {body}");
    }
    let agent = app.api("handlaggare.kontakt").await;
    let (_, c) = agent.post("/api/v1/cases", &json!({ "service": "KL-FRAGA", "subject": "a", "description": "b", "channel": "phone" })).await;
    let path = format!("/api/v1/cases/{}", c["id"]);
    assert_eq!(
        agent.patch(&path, &json!({ "status": "open" })).await.0,
        StatusCode::OK
    );
    assert_api_error(
        &agent.patch(&path, &json!({ "status": "new" })).await,
        422,
        "back to new",
    );
    assert_api_error(
        &agent.patch(&path, &json!({ "status": "done" })).await,
        422,
        "done",
    );
    assert_api_error(
        &agent
            .patch(&path, &json!({ "assignee": "admin.sof" }))
            .await,
        422,
        "not an agent",
    );
    assert_api_error(
        &agent.patch(&path, &json!({})).await,
        422,
        "nothing to change",
    );
    assert_api_error(
        &agent
            .post(&format!("{path}/messages"), &json!({ "body": "" }))
            .await,
        422,
        "body",
    );
    assert_api_error(
        &agent
            .post(
                &format!("{path}/messages"),
                &json!({ "body": "x", "internal": "yes" }),
            )
            .await,
        422,
        "internal",
    );

    // Who is asking.
    assert_api_error(
        &app.anonymous_api().get("/api/v1/cases").await,
        401,
        "token",
    );
    let bad = crate::harness::Api {
        base: app.base.clone(),
        client: reqwest::Client::new(),
        token: Some("serva_nope".into()),
    };
    assert_api_error(&bad.get("/api/v1/cases").await, 401, "invalid");
});

dual!(browser_session_may_read_but_not_write_the_api, |app| {
    let b = app.login("admin.sof").await;
    let (s, body) = b.get("/api/v1/me").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let r = b
        .client
        .post(app.url("/api/v1/cases"))
        .json(&json!({ "service": "KL-FRAGA", "subject": "a", "description": "b" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
});
