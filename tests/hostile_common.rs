//! What the hostile-input tests share: sending a request as it is, judging the answer, and
//! reading the schemas of the served OpenAPI document. See docs/hostile-input.md.

use std::collections::BTreeSet;

use crate::harness::Api;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// One answer: status, the body as JSON (or as a JSON string when it is not JSON).
pub type Answer = (StatusCode, Value);

/// Sends `body` as it is, with `content_type` if any, and the API's token if it has one.
pub async fn send(
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

pub fn has_error_shape(body: &Value) -> bool {
    let e = &body["error"];
    e["code"].as_str().is_some_and(|c| !c.is_empty())
        && e["message"].as_str().is_some_and(|m| !m.is_empty())
}

/// What the walk saw, so one run reports every problem rather than the first.
#[derive(Default)]
pub struct Findings {
    pub requests: usize,
    pub problems: Vec<String>,
}

impl Findings {
    /// The variant is wrong: the answer must be a 4xx JSON error, with a status the operation
    /// documents (`None`: a method the path does not have, which has no operation).
    pub fn refused(&mut self, what: &str, got: &Answer, documented: Option<&BTreeSet<u16>>) {
        self.requests += 1;
        if !got.0.is_client_error() {
            self.problems.push(format!(
                "{what}: expected 4xx, got {} {}",
                got.0,
                short(&got.1)
            ));
        } else {
            self.error_shape(what, got);
            if let Some(documented) = documented {
                self.documented(what, got, documented);
            }
        }
    }

    /// The variant may be valid: a documented 2xx, or a documented 4xx JSON error; never 5xx.
    pub fn answered(&mut self, what: &str, got: &Answer, documented: &BTreeSet<u16>) {
        self.requests += 1;
        if got.0.is_success() {
            self.documented(what, got, documented);
        } else if got.0.is_client_error() {
            self.error_shape(what, got);
            self.documented(what, got, documented);
        } else {
            self.problems
                .push(format!("{what}: got {} {}", got.0, short(&got.1)));
        }
    }

    fn documented(&mut self, what: &str, got: &Answer, documented: &BTreeSet<u16>) {
        if !documented.contains(&got.0.as_u16()) {
            self.problems.push(format!(
                "{what}: {} is not among the documented {documented:?}: {}",
                got.0,
                short(&got.1)
            ));
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

    pub fn assert_none(&self) {
        assert!(
            self.problems.is_empty(),
            "{} of {} requests answered wrongly:\n{}",
            self.problems.len(),
            self.requests,
            self.problems.join("\n")
        );
    }
}

pub fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(300).collect()
}

// ---- Schemas of the document, as far as the walk needs them ----

/// A schema made flat for the walk: `$ref`s followed, and the alternatives of a `oneOf` or
/// `anyOf` (utoipa writes a nullable reference as `oneOf: [{type: null}, {$ref}]`) merged into
/// one schema with every type, enum member and bound of its alternatives.
pub fn flat(doc: &Value, schema: &Value) -> Value {
    let mut s = schema.clone();
    for _ in 0..16 {
        let Some(r) = s["$ref"].as_str() else { break };
        s = r
            .strip_prefix('#')
            .and_then(|p| doc.pointer(p))
            .unwrap_or_else(|| panic!("$ref {r} does not resolve"))
            .clone();
    }
    let alternatives = s
        .get("oneOf")
        .or_else(|| s.get("anyOf"))
        .and_then(Value::as_array)
        .cloned();
    let Some(alternatives) = alternatives else {
        return s;
    };
    let mut out = json!({});
    let mut types = Vec::new();
    let mut members = Vec::new();
    let mut has_enum = false;
    for a in alternatives.iter().map(|a| flat(doc, a)) {
        for t in schema_types(&a) {
            if !types.contains(&t) {
                types.push(t);
            }
        }
        if let Some(e) = a["enum"].as_array() {
            has_enum = true;
            members.extend(e.iter().cloned());
        } else if a["type"] == "null" {
            members.push(Value::Null);
        }
        for k in ["minimum", "maximum", "minLength", "maxLength"] {
            if !a[k].is_null() {
                out[k] = a[k].clone();
            }
        }
    }
    out["type"] = json!(types);
    if has_enum {
        out["enum"] = json!(members);
    }
    out
}

pub fn schema_types(schema: &Value) -> Vec<String> {
    match &schema["type"] {
        Value::String(t) => vec![t.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        _ => vec![],
    }
}

/// Whether `v` fits a flat `schema` (types, enum, bounds, lengths; one level deep).
fn fits(schema: &Value, v: &Value) -> bool {
    if let Some(e) = schema["enum"].as_array() {
        return e.contains(v);
    }
    schema_types(schema).iter().any(|t| match t.as_str() {
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

/// Values that do not fit a flat `schema`: other types, outside bounds, not in the enum.
pub fn wrong_values(schema: &Value) -> Vec<Value> {
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

/// `body` with `key` set to `v`, or without it.
pub fn with(body: &Value, key: &str, v: Option<Value>) -> Vec<u8> {
    let mut b = body.as_object().cloned().unwrap_or_default();
    match v {
        Some(v) => b.insert(key.to_string(), v),
        None => b.remove(key),
    };
    Value::Object(b).to_string().into_bytes()
}
