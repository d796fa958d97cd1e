//! Hostile input over HTTP: every operation of the served OpenAPI document gets malformed
//! variants of its request, every form found by walking the pages gets garbage, and nothing
//! answers 5xx. API refusals are 4xx with the JSON error shape. See docs/hostile-input.md.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::dual;
use crate::harness::{csrf_in, Api, Browser};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// One answer: status, the body as JSON (or as a JSON string when it is not JSON).
type Answer = (StatusCode, Value);

async fn send(
    api: &Api,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: Option<Vec<u8>>,
) -> Answer {
    let mut r = api
        .client
        .request(method.clone(), format!("{}{path}", api.base));
    if let Some(t) = &api.token {
        r = r.bearer_auth(t);
    }
    if let Some(ct) = content_type {
        r = r.header("content-type", ct);
    }
    if let Some(b) = body {
        r = r.body(b);
    }
    let resp = r
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: no answer (did the handler panic?): {e}"));
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, json)
}

fn has_error_shape(body: &Value) -> bool {
    let e = &body["error"];
    e["code"].as_str().is_some_and(|c| !c.is_empty())
        && e["message"].as_str().is_some_and(|m| !m.is_empty())
}

/// What the walk saw, so one run reports every problem rather than the first.
#[derive(Default)]
struct Findings {
    requests: usize,
    problems: Vec<String>,
}

impl Findings {
    /// The variant is wrong: the answer must be a 4xx JSON error.
    fn refused(&mut self, what: &str, got: &Answer) {
        self.requests += 1;
        if !got.0.is_client_error() {
            self.problems.push(format!(
                "{what}: expected 4xx, got {} {}",
                got.0,
                short(&got.1)
            ));
        } else {
            self.error_shape(what, got);
        }
    }

    /// The variant may be valid: a documented 2xx, or a 4xx JSON error; never 5xx.
    fn answered(&mut self, what: &str, got: &Answer, documented: &BTreeSet<u16>) {
        self.requests += 1;
        if got.0.is_success() {
            if !documented.contains(&got.0.as_u16()) {
                self.problems
                    .push(format!("{what}: undocumented {}", got.0));
            }
        } else if got.0.is_client_error() {
            self.error_shape(what, got);
        } else {
            self.problems
                .push(format!("{what}: got {} {}", got.0, short(&got.1)));
        }
    }

    fn error_shape(&mut self, what: &str, got: &Answer) {
        if !has_error_shape(&got.1) {
            self.problems.push(format!(
                "{what}: {} without the error shape: {}",
                got.0,
                short(&got.1)
            ));
        }
    }

    fn assert_none(&self) {
        assert!(
            self.problems.is_empty(),
            "{} of {} requests answered wrongly:\n{}",
            self.problems.len(),
            self.requests,
            self.problems.join("\n")
        );
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(300).collect()
}

// ---- The OpenAPI document ----

/// The node a local `$ref` points at.
fn pointer<'a>(doc: &'a Value, r: &str) -> Option<&'a Value> {
    doc.pointer(r.strip_prefix('#')?)
}

/// A schema with its `$ref`s followed.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match v["$ref"].as_str() {
            Some(r) => v = pointer(doc, r).expect("a resolvable $ref"),
            None => return v,
        }
    }
    panic!("a $ref cycle")
}

fn walk_values<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
    out.push((path.clone(), v));
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                walk_values(c, format!("{path}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                walk_values(c, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Structural checks of an OpenAPI 3 document; returns every problem found.
fn openapi_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut p = |m: String| problems.push(m);
    if !doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")) {
        p(format!("openapi version {}", doc["openapi"]));
    }
    if !doc["info"]["title"].is_string() || !doc["info"]["version"].is_string() {
        p("info needs title and version".into());
    }
    let mut nodes = Vec::new();
    walk_values(doc, String::new(), &mut nodes);
    for (at, node) in &nodes {
        if let Some(r) = node.get("$ref") {
            match r.as_str() {
                Some(r) if r.starts_with("#/") && pointer(doc, r).is_some() => {}
                _ => p(format!("{at}: $ref {r} does not resolve")),
            }
        }
        // A schema's required properties exist.
        if let (Some(req), Some(props)) = (
            node.get("required").and_then(Value::as_array),
            node.get("properties").and_then(Value::as_object),
        ) {
            for r in req {
                if !r.as_str().is_some_and(|r| props.contains_key(r)) {
                    p(format!("{at}: required {r} is not a property"));
                }
            }
        } else if node.get("type") == Some(&json!("object")) {
            if let Some(req) = node.get("required").and_then(Value::as_array) {
                if !req.is_empty() {
                    p(format!("{at}: required fields but no properties"));
                }
            }
        }
    }
    let Some(paths) = doc["paths"].as_object() else {
        p("no paths".into());
        return problems;
    };
    let mut ids = HashSet::new();
    for (path, item) in paths {
        if !path.starts_with('/') {
            p(format!("path {path} does not start with /"));
        }
        let templated: BTreeSet<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n))
            .collect();
        let item = item.as_object().cloned().unwrap_or_default();
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (method, op) in &item {
            if method == "parameters" || method == "summary" || method == "description" {
                continue;
            }
            if !METHODS.contains(&method.as_str()) {
                p(format!("{path}: {method} is not an HTTP method"));
                continue;
            }
            let what = format!("{} {path}", method.to_uppercase());
            match op["operationId"].as_str() {
                Some(id) if ids.insert(id.to_string()) => {}
                Some(id) => p(format!("{what}: operationId {id} is not unique")),
                None => p(format!("{what}: no operationId")),
            }
            match op["responses"].as_object() {
                Some(r) if !r.is_empty() => {
                    for code in r.keys() {
                        let ok = code == "default"
                            || (code.len() == 3
                                && code.bytes().all(|b| b.is_ascii_digit() || b == b'X'));
                        if !ok {
                            p(format!("{what}: response key {code}"));
                        }
                    }
                }
                _ => p(format!("{what}: no responses")),
            }
            let params: Vec<Value> = shared
                .iter()
                .chain(op["parameters"].as_array().into_iter().flatten())
                .map(|v| resolve(doc, v).clone())
                .collect();
            let mut seen = HashSet::new();
            let mut declared = BTreeSet::new();
            for prm in &params {
                let (Some(name), Some(inn)) = (prm["name"].as_str(), prm["in"].as_str()) else {
                    p(format!("{what}: a parameter without name or in"));
                    continue;
                };
                if !matches!(inn, "path" | "query" | "header" | "cookie") {
                    p(format!("{what}: parameter {name} in {inn}"));
                }
                if !seen.insert((name.to_string(), inn.to_string())) {
                    p(format!("{what}: parameter {name} declared twice"));
                }
                if prm["schema"].is_null() && prm["content"].is_null() {
                    p(format!("{what}: parameter {name} has no schema"));
                }
                if inn == "path" {
                    if prm["required"] != json!(true) {
                        p(format!("{what}: path parameter {name} is not required"));
                    }
                    declared.insert(name.to_string());
                }
            }
            let templated: BTreeSet<String> = templated.iter().map(|s| s.to_string()).collect();
            if templated != declared {
                p(format!(
                    "{what}: template parameters {templated:?} but declared {declared:?}"
                ));
            }
            if let Some(body) = op.get("requestBody") {
                if body["content"].as_object().is_none_or(|c| c.is_empty()) {
                    p(format!("{what}: a requestBody without content"));
                }
            }
        }
    }
    problems
}

dual!(openapi_document_is_structurally_valid, |app| {
    let (s, doc) = app.anonymous_api().get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK, "{doc}");
    let problems = openapi_problems(&doc);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The checks catch what they look for.
    let mut broken = doc.clone();
    broken["paths"]["/api/v1/cases/{id}"]["get"]["parameters"] = json!([]);
    broken["paths"]["/api/v1/me"]["get"]["operationId"] = json!("listCases");
    broken["paths"]["/api/v1/units"]["get"]["responses"] = json!({});
    broken["components"]["schemas"]["NewCase"]["required"] = json!(["service", "colour"]);
    broken["components"]["schemas"]["Case"]["properties"]["status"]["$ref"] =
        json!("#/components/schemas/Nope");
    let found = openapi_problems(&broken).join("\n");
    for needle in [
        "template parameters",
        "operationId listCases is not unique",
        "GET /api/v1/units: no responses",
        "required \"colour\" is not a property",
        "schemas/Nope\" does not resolve",
    ] {
        assert!(found.contains(needle), "{needle} not found in:\n{found}");
    }
});

// ---- The malformed-request walk ----

/// A request body each JSON operation accepts (or refuses only for what it refers to), keyed
/// by operationId. A new operation with a JSON body must be added here.
fn good_body(operation: &str) -> Value {
    match operation {
        "createCase" => {
            json!({ "service": "KL-FRAGA", "subject": "Hej", "description": "Text", "channel": "web" })
        }
        "patchCase" => json!({ "status": "open", "assignee": null }),
        "addMessage" => json!({ "body": "Hej", "internal": false }),
        "answerSurvey" => json!({ "score": 80, "comment": "Bra" }),
        // An administration that does not exist: the body is read, nothing is approved.
        "approveInterimReport" => json!({ "org": "NOPE", "year": 2019, "through": "2019-08-31" }),
        other => panic!("no good body for {other}; add one to good_body"),
    }
}

fn types(schema: &Value) -> Vec<&str> {
    match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

/// Whether `v` fits `schema` (types, enum, bounds, lengths; one level deep).
fn fits(schema: &Value, v: &Value) -> bool {
    if let Some(e) = schema["enum"].as_array() {
        return e.contains(v);
    }
    let ts = types(schema);
    ts.iter().any(|t| match *t {
        "string" => v.as_str().is_some_and(|s| {
            let n = s.chars().count() as u64;
            schema["minLength"].as_u64().is_none_or(|m| n >= m)
                && schema["maxLength"].as_u64().is_none_or(|m| n <= m)
        }),
        "integer" => v.as_i64().is_some_and(|i| {
            schema["minimum"].as_i64().is_none_or(|m| i >= m)
                && schema["maximum"].as_i64().is_none_or(|m| i <= m)
        }),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        _ => true,
    })
}

/// Values that do not fit `schema`: other types, outside bounds, not in the enum.
fn wrong_values(schema: &Value) -> Vec<Value> {
    let mut out = vec![
        json!(12),
        json!(-1),
        json!(1.5),
        json!(true),
        json!("x"),
        json!(""),
        json!([]),
        json!(["x"]),
        json!({}),
        json!({ "a": 1 }),
        Value::Null,
        json!(u64::MAX),
        json!(i64::MIN),
    ];
    if let Some(m) = schema["minimum"].as_i64() {
        out.push(json!(m - 1));
    }
    if let Some(m) = schema["maximum"].as_i64() {
        out.push(json!(m + 1));
    }
    if let Some(m) = schema["maxLength"].as_u64() {
        out.push(json!("x".repeat(m as usize + 1)));
    }
    if schema["minLength"].as_u64() == Some(1) {
        out.push(json!(" "));
    }
    if schema["enum"].is_array() {
        out.push(json!("not_a_member"));
    }
    out.retain(|v| !fits(schema, v) && v.as_str() != Some(" "));
    if schema["minLength"].as_u64() == Some(1) {
        // A blank text is empty once trimmed.
        out.push(json!(" "));
    }
    out
}

fn with(body: &Value, key: &str, v: Option<Value>) -> Vec<u8> {
    let mut b = body.as_object().cloned().unwrap_or_default();
    match v {
        Some(v) => b.insert(key.to_string(), v),
        None => b.remove(key),
    };
    Value::Object(b).to_string().into_bytes()
}

/// Walks every operation of the document with malformed variants of its request.
async fn walk_api(api: &Api, anonymous: &Api, doc: &Value, case_id: i64) -> Findings {
    let mut f = Findings::default();
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
                f.refused(&format!("{m} {template} (not an operation)"), &got);
            }
        }

        for (method, op) in item {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let what = format!("{m} {template}");
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
            f.refused(&format!("{what} without a token"), &got);
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
                    f.refused(&format!("{what} with {name}={bad}"), &got);
                }
                // An empty segment is another route, or none.
                let url = concrete(&HashMap::from([(name, String::new())]));
                let got = send(api, m.clone(), &url, good_ct, good_body_bytes.clone()).await;
                f.refused(&format!("{what} with {name} empty"), &got);
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
                    let schema = resolve(doc, &json_schema).clone();
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
                    walk_file_body(&mut f, api, &m, template, &what).await;
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
        }
    }
    f
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
    for (label, bytes) in malformed {
        let got = send(api, m.clone(), url, json_ct, Some(bytes)).await;
        f.refused(&format!("{what} with {label}"), &got);
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
        f.refused(&format!("{what} as {ct:?}"), &got);
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
        f.refused(&format!("{what} without {r}"), &got);
    }
    for (name, p) in &props {
        let p = resolve(doc, p);
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
            f.refused(&format!("{what} with {name}={}", short(&v)), &got);
        }
        if types(p).contains(&"string") && p["enum"].is_null() {
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
                f.refused(&format!("{what} with a huge {name}"), &got);
            } else {
                f.answered(&format!("{what} with a huge {name}"), &got, documented);
            }
        }
    }
}

async fn walk_file_body(f: &mut Findings, api: &Api, m: &Method, template: &str, what: &str) {
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
            f.refused(&format!("{what} ({kind}) with {label} as {ct}"), &got);
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
    let f = walk_api(&api, &app.anonymous_api(), &doc, case_id).await;
    eprintln!("{} requests", f.requests);
    assert!(f.requests > 700, "the walk covered {} requests", f.requests);
    f.assert_none();
    // The server is still well.
    let (s, _) = api.get(&format!("/api/v1/cases/{case_id}")).await;
    assert_eq!(s, StatusCode::OK);
});

// ---- Forms of the pages ----

#[derive(Debug, Clone)]
struct Form {
    page: String,
    action: String,
    multipart: bool,
    /// Field names with the value the page gave them.
    fields: Vec<(String, String)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let v = tag[at..].split('"').next()?;
    Some(
        v.replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
}

/// The POST forms of a page and the same-site links it has.
fn forms_and_links(page: &str, html: &str) -> (Vec<Form>, Vec<String>) {
    let mut forms = Vec::new();
    for chunk in html.split("<form").skip(1) {
        let Some(tag_end) = chunk.find('>') else {
            continue;
        };
        let tag = &chunk[..tag_end];
        if attr(tag, "method").as_deref() != Some("post") {
            continue;
        }
        let action = attr(tag, "action").unwrap_or_else(|| page.to_string());
        let body = chunk[tag_end..].split("</form>").next().unwrap_or("");
        let mut fields = Vec::new();
        for kind in ["<input", "<select", "<textarea"] {
            for part in body.split(kind).skip(1) {
                let tag = part.split('>').next().unwrap_or("");
                if let Some(name) = attr(tag, "name") {
                    let value = attr(tag, "value").unwrap_or_default();
                    fields.push((name, value));
                }
            }
        }
        forms.push(Form {
            page: page.to_string(),
            action,
            multipart: attr(tag, "enctype").as_deref() == Some("multipart/form-data"),
            fields,
        });
    }
    let links = html
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .map(|l| l.replace("&amp;", "&"))
        .collect();
    (forms, links)
}

/// Pages a signed-in person reaches from `/`, and their forms.
/// A path with its ids and codes replaced: `/cases/12` and `/cases/13` have the same forms,
/// and so, nearly, do `/catalogue/LK-KONTO/edit` and `/catalogue/HR-ANST/edit`.
fn shape(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .map(|s| {
            let id = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let code = !s.is_empty()
                && s.bytes().any(|b| b.is_ascii_uppercase())
                && s.bytes().all(|b| {
                    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if id || code {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Pages a signed-in person reaches from `start`, breadth first, at most two of a shape, and
/// their POST forms (one of each action shape and set of fields).
async fn crawl(b: &Browser, start: &[&str], max_pages: usize) -> (Vec<String>, Vec<Form>) {
    let mut queue: std::collections::VecDeque<String> =
        start.iter().map(|s| s.to_string()).collect();
    let mut seen = HashSet::new();
    let mut shapes: HashMap<String, usize> = HashMap::new();
    let mut pages = Vec::new();
    let mut forms = Vec::new();
    let mut seen_forms = HashSet::new();
    while let Some(path) = queue.pop_front() {
        let skip = path.starts_with("/static")
            || path.starts_with("/logout")
            || path.starts_with("/lang")
            || path.contains("format=pdf")
            || path.contains("format=docx")
            || path.contains("format=csv")
            || path.contains("format=xlsx");
        if skip || pages.len() >= max_pages || !seen.insert(path.clone()) {
            continue;
        }
        let n = shapes.entry(shape(&path)).or_default();
        *n += 1;
        if *n > 2 {
            continue;
        }
        let (s, html) = b.get(&path).await;
        assert!(s.as_u16() < 500, "GET {path}: {s}");
        pages.push(path.clone());
        let (fs, links) = forms_and_links(&path, &html);
        for f in fs {
            let mut names: Vec<&str> = f.fields.iter().map(|(n, _)| n.as_str()).collect();
            names.sort();
            if seen_forms.insert(format!("{} {names:?}", shape(&f.action))) {
                forms.push(f);
            }
        }
        queue.extend(links);
    }
    (pages, forms)
}

async fn post_form(b: &Browser, action: &str, content_type: &str, body: Vec<u8>) -> StatusCode {
    b.client
        .post(format!("{}{action}", b.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {action}: no answer: {e}"))
        .status()
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn urlencode(fields: &[(String, String)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

const FORM_GARBAGE: &[&str] = &[
    "",
    "abc",
    "-1",
    "99999999999999999999",
    "1e400",
    "2019-02-30",
    "\u{0}<script>ÅÄÖ",
    "9223372036854775808",
];

/// Page answers: anything but a 5xx; refusals of forged requests are checked where made.
#[derive(Default)]
struct PageFindings {
    requests: usize,
    problems: Vec<String>,
}

impl PageFindings {
    fn check(&mut self, what: String, s: StatusCode) {
        self.requests += 1;
        if s.is_server_error() {
            self.problems.push(format!("{what}: {s}"));
        }
    }
}

dual!(page_forms_survive_garbage, |app| {
    // A case, so its page and forms are reachable.
    let customer = app.api("admin.sof").await;
    let (s, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "Fråga", "description": "Text" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let case_page = format!("/cases/{}", case["id"]);
    let b = app.login("admin").await;
    let csrf = b.csrf.clone().unwrap();
    let (pages, forms) = crawl(
        &b,
        &[
            "/",
            &case_page,
            "/queues",
            "/cases",
            "/catalogue",
            "/admin/units",
            "/admin/users",
            "/followup",
            "/imports",
            "/account",
        ],
        60,
    )
    .await;
    // Forms that end the session or change the admin's own password would cut the walk short.
    let mut forms: Vec<Form> = forms
        .into_iter()
        .filter(|f| f.action != "/logout" && !f.action.ends_with("/password"))
        .collect();
    // A form the admin's pages do not show: the requester's survey of a resolved case.
    forms.push(Form {
        page: case_page.clone(),
        action: format!("{case_page}/survey"),
        multipart: false,
        fields: vec![
            ("score".into(), "80".into()),
            ("comment".into(), "Bra".into()),
        ],
    });
    assert!(pages.len() >= 10, "crawled only {pages:?}");
    assert!(
        forms.len() >= 10,
        "found only {} forms on {pages:?}",
        forms.len()
    );
    let form_ct = "application/x-www-form-urlencoded";
    let anonymous = app.browser();
    let mut pf = PageFindings::default();
    for form in &forms {
        let what = |v: &str| format!("POST {} (form on {}) {v}", form.action, form.page);
        let with_csrf = |mut fields: Vec<(String, String)>| {
            fields.retain(|(k, _)| k != "_csrf");
            fields.push(("_csrf".into(), csrf.clone()));
            fields
        };
        if form.multipart {
            for (label, body) in [
                ("a multipart body without a boundary", b"--x\r\n\r\n".to_vec()),
                (
                    "a truncated multipart body",
                    format!("--XX\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--XX\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nbudget\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nyear;unit\n").into_bytes().into_iter().chain([0xFF]).collect(),
                ),
                (
                    "a garbage file",
                    format!("--XX\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--XX\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nstaff\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nperiod,unit,gender,metric,value,target\n2019a\u{e9}b,VSS,T,employees,1,\n\r\n--XX--\r\n").into_bytes(),
                ),
            ] {
                let ct = if label.contains("without a boundary") {
                    "multipart/form-data"
                } else {
                    "multipart/form-data; boundary=XX"
                };
                pf.check(what(label), post_form(&b, &form.action, ct, body).await);
            }
        }
        // The form as the page gave it, then with garbage in every field.
        pf.check(
            what("as given"),
            post_form(
                &b,
                &form.action,
                form_ct,
                urlencode(&with_csrf(form.fields.clone())),
            )
            .await,
        );
        for (round, _) in FORM_GARBAGE.iter().enumerate() {
            let fields: Vec<(String, String)> = form
                .fields
                .iter()
                .enumerate()
                .map(|(i, (k, _))| {
                    (
                        k.clone(),
                        FORM_GARBAGE[(i + round) % FORM_GARBAGE.len()].to_string(),
                    )
                })
                .collect();
            pf.check(
                what(&format!("with garbage round {round}")),
                post_form(&b, &form.action, form_ct, urlencode(&with_csrf(fields))).await,
            );
        }
        pf.check(
            what("with no fields"),
            post_form(&b, &form.action, form_ct, urlencode(&with_csrf(vec![]))).await,
        );
        pf.check(
            what("with an unknown field"),
            post_form(
                &b,
                &form.action,
                form_ct,
                urlencode(&with_csrf(vec![("zz_unknown".into(), "1".into())])),
            )
            .await,
        );
        let mut raw = format!("_csrf={csrf}&").into_bytes();
        raw.extend_from_slice(b"a=%FF%FE&b=\xFF\xE5&%=&&==");
        pf.check(
            what("with invalid UTF-8"),
            post_form(&b, &form.action, form_ct, raw).await,
        );
        pf.check(
            what("as JSON"),
            post_form(&b, &form.action, "application/json", b"{\"a\":1}".to_vec()).await,
        );
        // Wrong or missing CSRF token, and no session: refused, with 4xx or a redirect.
        for (label, token) in [("a wrong CSRF token", "nope"), ("an empty CSRF token", "")] {
            let mut fields = form.fields.clone();
            fields.retain(|(k, _)| k != "_csrf");
            fields.push(("_csrf".into(), token.into()));
            let s = post_form(&b, &form.action, form_ct, urlencode(&fields)).await;
            pf.check(what(label), s);
            if form.action != "/login" && !(s.is_client_error()) {
                pf.problems
                    .push(format!("{}: {s}, not refused", what(label)));
            }
        }
        let s = post_form(&anonymous, &form.action, form_ct, urlencode(&form.fields)).await;
        pf.check(what("without a session"), s);
        if form.action != "/login" && s.is_success() {
            pf.problems
                .push(format!("{}: {s} without a session", what("")));
        }
        // The same action on ids that do not exist.
        if form
            .action
            .split('/')
            .any(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        {
            for bad in ["abc", "-1", "9223372036854775808", "%FF"] {
                let action: String = form
                    .action
                    .split('/')
                    .map(|s| {
                        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                            bad
                        } else {
                            s
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                pf.check(
                    format!("POST {action} (id {bad})"),
                    post_form(
                        &b,
                        &action,
                        form_ct,
                        urlencode(&with_csrf(form.fields.clone())),
                    )
                    .await,
                );
            }
        }
    }
    // The login form, without a session.
    let (_, html) = anonymous.get("/login").await;
    let token = csrf_in(&html).expect("the login form has a CSRF token");
    for (user, password, token) in [
        ("", "", token.as_str()),
        ("admin", "\u{0}", token.as_str()),
        ("x".repeat(100_000).as_str(), "y", token.as_str()),
        ("admin\u{0}", "demo", "nope"),
        ("%FF", "%FF", ""),
    ] {
        let body = urlencode(&[
            ("_csrf".into(), token.into()),
            ("username".into(), user.into()),
            ("password".into(), password.into()),
            ("next".into(), "//evil.example/%FF".into()),
        ]);
        let s = post_form(&anonymous, "/login", form_ct, body).await;
        pf.check(
            format!("POST /login as {:?}", &user[..user.len().min(10)]),
            s,
        );
        if s == StatusCode::SEE_OTHER {
            pf.problems
                .push(format!("POST /login as {user:.10}: signed in"));
        }
    }
    let (requests, problems) = (pf.requests, pf.problems);
    let mut actions: Vec<&str> = forms.iter().map(|f| f.action.as_str()).collect();
    actions.sort();
    actions.dedup();
    eprintln!(
        "{} forms on {} pages, {requests} requests; actions: {actions:?}",
        forms.len(),
        pages.len()
    );
    assert!(
        problems.is_empty(),
        "{} of {requests}:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The admin's session survived it all.
    let (s, html) = b.get("/account").await;
    assert_eq!(s, StatusCode::OK);
    assert!(csrf_in(&html).is_some());
});
