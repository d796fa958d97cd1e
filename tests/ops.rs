//! Operations endpoints, security headers and the OpenAPI document.

use crate::dual;
use reqwest::StatusCode;

dual!(health_ready_metrics, |app| {
    let b = app.browser();
    let (s, body) = b.get("/healthz").await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, r#"{"status":"ok"}"#));
    let (s, body) = b.get("/readyz").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let body = app.metrics().await;
    assert!(
        body.contains(
            "serva_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"
        ),
        "{body}"
    );
    assert!(body.contains("serva_db_pool_connections"));
});

dual!(security_headers_on_pages, |app| {
    let r = reqwest::get(app.url("/login")).await.unwrap();
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    let cookie = h["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
});

dual!(openapi_documents_every_endpoint, |app| {
    let api = app.api("admin").await;
    let (s, doc) = api.get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/messages",
        "/api/v1/services",
    ] {
        assert!(paths.contains_key(p), "{p} is not documented");
    }
    // Every documented operation exists (no 404/405 for the route itself) and answers an
    // empty or malformed request with 4xx, never 5xx.
    for (path, ops) in paths {
        let concrete = path
            .replace("{id}", "1")
            .replace("{code}", "LK-KONTO")
            .replace("{kind}", "budget");
        for method in ops.as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let (s, body) = api
                .raw(
                    m.clone(),
                    &concrete,
                    "application/json",
                    b"{not json".to_vec(),
                )
                .await;
            assert!(s.as_u16() < 500, "{method} {path} answered {s}: {body}");
            if s == StatusCode::NOT_FOUND {
                assert_ne!(
                    body["error"]["message"].as_str().unwrap_or(""),
                    format!("no such endpoint: {concrete}"),
                    "{method} {path} is documented but not routed"
                );
            }
            assert_ne!(
                s,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not routed"
            );
        }
    }
    // Every $ref resolves.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/").skip(1) {
        let r = part.split('"').next().unwrap();
        let mut node = &doc["components"];
        for seg in r.split('/') {
            node = &node[seg];
        }
        assert!(!node.is_null(), "dangling $ref {r}");
    }
});

dual!(unknown_paths_answer_404_in_the_right_form, |app| {
    let b = app.browser();
    let (s, html) = b.get("/no/such/page").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        html.contains("<html lang=\"sv\"") && html.contains("Sidan finns inte"),
        "{html}"
    );
    let api = app.anonymous_api();
    let (s, json) = api.get("/api/v1/nothing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(json["error"]["code"], "not_found");
});
