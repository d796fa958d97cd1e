//! The malformed-request walk: every operation of the served OpenAPI document gets
//! malformed variants of its request, and answers each with a status it documents, in the
//! JSON error shape for refusals, never 5xx. See docs/hostile-input.md.

use std::collections::{BTreeSet, HashMap};

use crate::dual;
use crate::harness::Api;
use crate::hostile_common::{flat, schema_types, send, short, with, wrong_values, Findings};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A request body each JSON operation accepts (or refuses only for what it refers to), keyed
/// by operationId. A new operation with a JSON body must be added here.
fn good_body(operation: &str) -> Value {
    match operation {
        "createCase" => {
            json!({ "service": "KL-FRAGA", "subject": "Hej", "description": "Text", "channel": "web" })
        }
        "patchCase" => json!({ "status": "open", "assignee": null }),
        "addMessage" => json!({ "body": "Hej", "internal": false }),
        "recordTime" => json!({ "day": "2019-08-30", "hours": "1:30", "note": "Hej" }),
        "answerSurvey" => json!({ "answer": 4, "comment": "Bra" }),
        // An administration that does not exist: the body is read, nothing is approved.
        "approveInterimReport" => json!({ "org": "NOPE", "year": 2019, "through": "2019-08-31" }),
        "recordCalls" => {
            json!({ "call_id": "HOSTILE-1", "unit": "KL", "offered_at": "2026-11-30T09:15:00", "wait_seconds": 42, "answered": true })
        }
        // A preview of a month: nothing is written.
        "billingRun" => json!({ "month": "2019-08", "lock": false }),
        other => panic!("no good body for {other}; add one to good_body"),
    }
}

/// Walks every operation of the document with malformed variants of its request.
async fn walk_api(
    api: &Api,
    anonymous: &Api,
    doc: &Value,
    case_id: i64,
) -> (Findings, BTreeSet<String>) {
    let mut f = Findings::default();
    let mut walked = BTreeSet::new();
    let good_path: HashMap<&str, String> = [
        ("id", case_id.to_string()),
        ("code", "LK-KONTO".to_string()),
        ("kind", "budget".to_string()),
    ]
    .into_iter()
    .collect();
    let good_query: HashMap<&str, &str> = [
        ("org", "VSS"),
        ("year", "2019"),
        ("through", "2019-08-31"),
        ("format", "json"),
    ]
    .into_iter()
    .collect();
    let bad_path_values = [
        "abc",
        "-1",
        "0",
        "9223372036854775808",
        "99999999999999999999999",
        "1.5",
        "%FF%FE",
        "%00",
        "%E5",
        "%",
        "..%2F..%2Fetc",
        "%C3%28",
    ];
    let bad_query_values = [
        "%FF%FE",
        "%",
        "%00",
        "-1",
        "0",
        "99999999999999999999",
        "9223372036854775808",
        "2019-02-30",
        "%E5%E4",
        "%20",
        "a%26b%3Dc",
    ];
    let paths = doc["paths"].as_object().unwrap();
    for (template, item) in paths {
        let item = item.as_object().unwrap();
        let documented_methods: Vec<String> = item.keys().map(|m| m.to_uppercase()).collect();
        let concrete = |overrides: &HashMap<&str, String>| -> String {
            let mut p = template.clone();
            for (k, v) in &good_path {
                let v = overrides.get(k).unwrap_or(v);
                p = p.replace(&format!("{{{k}}}"), v);
            }
            p
        };
        let good = concrete(&HashMap::new());

        // Methods the path does not have.
        for m in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if !documented_methods.iter().any(|d| d == m) {
                let got = send(
                    api,
                    Method::from_bytes(m.as_bytes()).unwrap(),
                    &good,
                    Some("application/json"),
                    Some(b"{}".to_vec()),
                )
                .await;
                f.refused(&format!("{m} {template} (not an operation)"), &got, None);
            }
        }

        for (method, op) in item {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let what = format!("{m} {template}");
            let requests_before = f.requests;
            let documented: BTreeSet<u16> = op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .filter_map(|k| k.parse().ok())
                .collect();
            let params: Vec<&Value> = op["parameters"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let required_query: Vec<(String, String)> = params
                .iter()
                .filter(|p| p["in"] == "query" && p["required"] == true)
                .map(|p| {
                    let n = p["name"].as_str().unwrap();
                    (
                        n.to_string(),
                        good_query.get(n).copied().unwrap_or("x").to_string(),
                    )
                })
                .collect();
            let query_string = |q: &[(String, String)]| -> String {
                if q.is_empty() {
                    String::new()
                } else {
                    let parts: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!("?{}", parts.join("&"))
                }
            };
            let json_schema = op["requestBody"]["content"]["application/json"]["schema"].clone();
            let body_kind = if !json_schema.is_null() {
                "json"
            } else if op.get("requestBody").is_some() {
                "file"
            } else {
                "none"
            };
            let good_body_bytes = match body_kind {
                "json" => Some(
                    good_body(op["operationId"].as_str().unwrap())
                        .to_string()
                        .into_bytes(),
                ),
                _ => None,
            };
            let good_ct = (body_kind == "json").then_some("application/json");
            let base_url = format!("{good}{}", query_string(&required_query));

            // Without a token, or with a wrong one.
            let got = send(
                anonymous,
                m.clone(),
                &base_url,
                good_ct,
                good_body_bytes.clone(),
            )
            .await;
            f.refused(&format!("{what} without a token"), &got, Some(&documented));
            if got.0 != StatusCode::UNAUTHORIZED {
                f.problems
                    .push(format!("{what} without a token: {}", got.0));
            }

            // Path parameters.
            for p in params.iter().filter(|p| p["in"] == "path") {
                let name = p["name"].as_str().unwrap();
                for bad in bad_path_values {
                    let url = concrete(&HashMap::from([(name, bad.to_string())]));
                    let url = format!("{url}{}", query_string(&required_query));
                    let got = send(api, m.clone(), &url, good_ct, good_body_bytes.clone()).await;
                    f.refused(
                        &format!("{what} with {name}={bad}"),
                        &got,
                        Some(&documented),
                    );
                }
                // An empty segment is another route, or none.
                let url = concrete(&HashMap::from([(name, String::new())]));
                let got = send(api, m.clone(), &url, good_ct, good_body_bytes.clone()).await;
                f.refused(
                    &format!("{what} with {name} empty"),
                    &got,
                    Some(&documented),
                );
            }

            // Query parameters: garbage in each, and one the operation does not know.
            for p in params.iter().filter(|p| p["in"] == "query") {
                let name = p["name"].as_str().unwrap();
                for bad in bad_query_values {
                    let mut q: Vec<(String, String)> = required_query
                        .iter()
                        .filter(|(k, _)| k != name)
                        .cloned()
                        .collect();
                    q.push((name.to_string(), bad.to_string()));
                    let url = format!("{good}{}", query_string(&q));
                    let got = send(api, m.clone(), &url, good_ct, good_body_bytes.clone()).await;
                    f.answered(&format!("{what} with ?{name}={bad}"), &got, &documented);
                }
            }
            if !params.iter().any(|p| p["in"] == "query") {
                // Operations without query parameters ignore or refuse one; never 5xx.
                let url = format!("{good}?x=%FF&%=1");
                let got = send(api, m.clone(), &url, good_ct, good_body_bytes.clone()).await;
                f.answered(&format!("{what} with a garbage query"), &got, &documented);
            }

            match body_kind {
                "json" => {
                    let schema = flat(doc, &json_schema);
                    let good_body = good_body(op["operationId"].as_str().unwrap());
                    walk_json_body(
                        &mut f,
                        api,
                        doc,
                        &m,
                        &base_url,
                        &what,
                        &schema,
                        &good_body,
                        &documented,
                    )
                    .await;
                }
                "file" => {
                    walk_file_body(&mut f, api, &m, template, &what, &documented).await;
                }
                _ => {
                    // A body where none is expected changes nothing.
                    let got = send(
                        api,
                        m.clone(),
                        &base_url,
                        Some("application/json"),
                        Some(b"{\"x\":".to_vec()),
                    )
                    .await;
                    f.answered(&format!("{what} with a stray body"), &got, &documented);
                }
            }
            if f.requests > requests_before {
                walked.insert(op["operationId"].as_str().unwrap_or(&what).to_string());
            }
        }
    }
    (f, walked)
}

#[allow(clippy::too_many_arguments)]
async fn walk_json_body(
    f: &mut Findings,
    api: &Api,
    doc: &Value,
    m: &Method,
    url: &str,
    what: &str,
    schema: &Value,
    good: &Value,
    documented: &BTreeSet<u16>,
) {
    let json_ct = Some("application/json");
    let good_bytes = good.to_string().into_bytes();
    let got = send(api, m.clone(), url, json_ct, Some(good_bytes.clone())).await;
    f.answered(&format!("{what} with a good body"), &got, documented);
    let got = send(
        api,
        m.clone(),
        url,
        Some("application/json; charset=utf-8"),
        Some(good_bytes.clone()),
    )
    .await;
    f.answered(&format!("{what} with charset=utf-8"), &got, documented);

    // Not JSON, or JSON of the wrong shape.
    let mut deep = "[".repeat(5_000).into_bytes();
    deep.extend("]".repeat(5_000).bytes());
    let malformed: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("truncated", b"{\"a\":".to_vec()),
        ("an open brace", b"{".to_vec()),
        ("a trailing comma", b"{\"a\": 1,}".to_vec()),
        ("single quotes", b"{'a': 1}".to_vec()),
        ("a bare word", b"nul".to_vec()),
        (
            "a byte-order mark",
            [b"\xEF\xBB\xBF".as_slice(), &good_bytes].concat(),
        ),
        ("trailing garbage", [good_bytes.as_slice(), b"}}"].concat()),
        ("NUL bytes", b"\0\0\0\0".to_vec()),
        ("deep nesting", deep),
        ("an array", b"[]".to_vec()),
        ("an array of the body", format!("[{good}]").into_bytes()),
        ("a number", b"1".to_vec()),
        ("a huge number", b"1e400".to_vec()),
        ("null", b"null".to_vec()),
        ("a string", b"\"body\"".to_vec()),
        ("true", b"true".to_vec()),
        ("invalid UTF-8 in a string", {
            let key = good.as_object().unwrap().keys().next().unwrap();
            [
                format!("{{\"{key}\": \"").as_bytes(),
                b"\xFF\xFE\xE5",
                b"\"}",
            ]
            .concat()
        }),
        ("invalid UTF-8 outside strings", b"{\xFF: 1}".to_vec()),
        ("a lone surrogate escape", {
            let key = good.as_object().unwrap().keys().next().unwrap();
            format!("{{\"{key}\": \"\\ud800\"}}").into_bytes()
        }),
        ("an unknown field", with(good, "zz_unknown", Some(json!(1)))),
        ("over the body limit", {
            let key = good.as_object().unwrap().keys().next().unwrap();
            with(good, key, Some(json!("x".repeat(300 * 1024))))
        }),
    ];
    // An operation whose body may be a list of its items (POST /api/v1/calls) takes a list
    // of a good body: that one is answered, not refused.
    let takes_list = schema_types(schema).iter().any(|t| t == "array");
    for (label, bytes) in malformed {
        let got = send(api, m.clone(), url, json_ct, Some(bytes)).await;
        if takes_list && label == "an array of the body" {
            f.answered(&format!("{what} with {label}"), &got, documented);
        } else {
            f.refused(&format!("{what} with {label}"), &got, Some(documented));
        }
    }

    // The right JSON, the wrong Content-Type.
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        Some("application/xml"),
        None,
    ] {
        let got = send(api, m.clone(), url, ct, Some(good_bytes.clone())).await;
        f.refused(&format!("{what} as {ct:?}"), &got, Some(documented));
    }

    // Each field: missing when required, every wrong value, a huge string.
    let props = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for r in &required {
        let got = send(api, m.clone(), url, json_ct, Some(with(good, r, None))).await;
        f.refused(&format!("{what} without {r}"), &got, Some(documented));
    }
    for (name, p) in &props {
        let p = &flat(doc, p);
        if !required.contains(&name.as_str()) {
            // null for an optional field is taken as leaving it out.
            let got = send(
                api,
                m.clone(),
                url,
                json_ct,
                Some(with(good, name, Some(Value::Null))),
            )
            .await;
            f.answered(&format!("{what} with {name}=null"), &got, documented);
        }
        for v in wrong_values(p)
            .into_iter()
            .filter(|v| !v.is_null() || required.contains(&name.as_str()))
        {
            let got = send(
                api,
                m.clone(),
                url,
                json_ct,
                Some(with(good, name, Some(v.clone()))),
            )
            .await;
            f.refused(
                &format!("{what} with {name}={}", short(&v)),
                &got,
                Some(documented),
            );
        }
        if schema_types(p).iter().any(|t| t == "string") && p["enum"].is_null() {
            // Within the body limit; refused when longer than documented, and in any case
            // never a 5xx.
            let huge = json!(format!("{}\u{0}ÅÄÖ", "x".repeat(200_000)));
            let got = send(
                api,
                m.clone(),
                url,
                json_ct,
                Some(with(good, name, Some(huge))),
            )
            .await;
            if p["maxLength"].is_u64() {
                f.refused(
                    &format!("{what} with a huge {name}"),
                    &got,
                    Some(documented),
                );
            } else {
                f.answered(&format!("{what} with a huge {name}"), &got, documented);
            }
        }
    }
}

async fn walk_file_body(
    f: &mut Findings,
    api: &Api,
    m: &Method,
    template: &str,
    what: &str,
    documented: &BTreeSet<u16>,
) {
    let bodies: Vec<(&str, &str, Vec<u8>)> = vec![
        ("budget", "empty", vec![]),
        ("budget", "binary", (0u8..=255).cycle().take(4096).collect()),
        ("budget", "invalid UTF-8", b"year;unit;revenue;cost\n2020;\xFF\xFE;1;1\n".to_vec()),
        ("budget", "a header only of garbage", b"\"\"\"\n;;;".to_vec()),
        ("budget", "an unclosed quote", b"year;unit;revenue;cost\n2020;\"LKDATA;1;1\n".to_vec()),
        ("budget", "huge numbers", b"year;unit;revenue;cost\n99999999999999999999;LKDATA;1e400;-99999999999999999999999\n".to_vec()),
        // Eight bytes ending inside a character: this panicked the import before.
        ("staff", "a period cut inside a character", "period,unit,gender,metric,value,target\n2019/\u{2028},VSS,T,employees,1,\n2019aéb,VSS,T,employees,1,\n".as_bytes().to_vec()),
        ("calls", "times at the ends of the calendar", b"call_id,unit,offered_at,wait_seconds,answered\nx,LKDATA,+262143-12-31T23:59:59,1,1\ny,LKDATA,-262144-01-01T00:00:00,1,1\n".to_vec()),
        ("sie", "overflowing sums", {
            let mut s = b"#SIETYP 4\n#VER A 1 20190131\n{\n".to_vec();
            for _ in 0..1_100 {
                s.extend_from_slice(b"#TRANS 3010 {1 \"2010\"} -89999999999999.99\n");
            }
            s
        }),
        ("sie", "CP437 garbage", vec![0x8e; 2048]),
    ];
    for (kind, label, body) in bodies {
        let url = template.replace("{kind}", kind);
        for ct in ["text/csv", "application/octet-stream", "application/json"] {
            let got = send(api, m.clone(), &url, Some(ct), Some(body.clone())).await;
            f.refused(
                &format!("{what} ({kind}) with {label} as {ct}"),
                &got,
                Some(documented),
            );
        }
    }
}

dual!(every_operation_refuses_malformed_requests, |app| {
    let customer = app.api("admin.sof").await;
    let (s, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "Fråga", "description": "Text" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let case_id = case["id"].as_i64().unwrap();
    let (_, doc) = app.anonymous_api().get("/api/openapi.json").await;
    let api = app.api("admin").await;
    let (f, walked) = walk_api(&api, &app.anonymous_api(), &doc, case_id).await;
    eprintln!("{} requests on {} operations", f.requests, walked.len());
    // Every operation of the document was walked.
    let operations: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(walked, operations, "operations walked, and documented");
    assert!(operations.len() >= 15, "only {operations:?}");
    assert!(f.requests > 700, "the walk covered {} requests", f.requests);
    f.assert_none();
    // The server is still well.
    let (s, _) = api.get(&format!("/api/v1/cases/{case_id}")).await;
    assert_eq!(s, StatusCode::OK);
});
