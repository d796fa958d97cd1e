//! The OpenAPI document: generated from the handlers (utoipa), pinned by a snapshot, and
//! describing exactly the routes the API has.
//!
//! The snapshot is `tests/snapshots/openapi.json`. After a deliberate change of the API,
//! rewrite it with `UPDATE_SNAPSHOTS=1 cargo test -p serva --test it openapi` and review the
//! diff with git.

use std::collections::BTreeSet;

use crate::harness::{App, Backend};
use reqwest::{Method, StatusCode};
use serde_json::Value;

const SNAPSHOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/snapshots/openapi.json"
);

/// The router of the API, read as text: the paths it routes are taken from its `.route(…)`s.
const API_ROUTES: &str = include_str!("../crates/web/src/api/mod.rs");

async fn served_document(app: &App) -> Value {
    let (s, doc) = app.anonymous_api().get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK, "{doc}");
    doc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_matches_the_snapshot() {
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let doc = served_document(&app).await;
    // serde_json's maps are sorted, so the text does not depend on the order utoipa writes.
    let actual = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(std::path::Path::new(SNAPSHOT).parent().unwrap()).unwrap();
        std::fs::write(SNAPSHOT, &actual).unwrap();
        eprintln!("wrote {SNAPSHOT}");
        return;
    }
    let expected = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    if expected != actual {
        panic!(
            "the served /api/openapi.json differs from tests/snapshots/openapi.json \
             (- snapshot, + served):\n{}\nIf the change is meant, rewrite the snapshot with \
             UPDATE_SNAPSHOTS=1 cargo test -p serva --test it openapi, and commit it.",
            diff(&expected, &actual)
        );
    }
}

/// The lines that differ, with two lines of context, as in a unified diff (at most 80).
fn diff(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    // The longest common subsequence of lines; the documents are a few thousand lines.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i + 1, a[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', i + 1, a[i]));
            i += 1;
        } else {
            ops.push(('+', j + 1, b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        ops[k.saturating_sub(2)..(k + 3).min(ops.len())]
            .iter()
            .any(|o| o.0 != ' ')
    };
    let mut out = Vec::new();
    let mut last = None;
    for (k, (sign, line, text)) in ops.iter().enumerate() {
        if !near_change(k) {
            continue;
        }
        if last.is_some_and(|l| l + 1 != k) || last.is_none() {
            out.push(format!("@@ line {line} @@"));
        }
        out.push(format!("{sign}{text}"));
        last = Some(k);
    }
    if out.len() > 80 {
        let more = out.len() - 80;
        out.truncate(80);
        out.push(format!("… and {more} more lines"));
    }
    out.join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_routed_api_path_is_documented() {
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let doc = served_document(&app).await;
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeSet<&str> = paths.keys().map(String::as_str).collect();

    // Every path the router has under /api/v1, as axum and OpenAPI both write it.
    let routed: BTreeSet<String> = API_ROUTES
        .split(".route(")
        .skip(1)
        .filter_map(|r| r.split('"').nth(1))
        .filter(|p| p.starts_with("/v1/"))
        .map(|p| format!("/api{p}"))
        .collect();
    assert!(
        routed.len() >= 10,
        "routes read from api/mod.rs: {routed:?}"
    );
    let routed: BTreeSet<&str> = routed.iter().map(String::as_str).collect();
    assert_eq!(routed, documented, "routed and documented paths");

    // On every documented path, the methods routed are the methods documented: a method
    // the path does not have answers 405 with the routed ones in `Allow`.
    let api = app.api("admin").await;
    for (path, item) in paths {
        let concrete = path
            .replace("{id}", "1")
            .replace("{code}", "LK-KONTO")
            .replace("{kind}", "budget");
        let (s, body) = api
            .raw(Method::PUT, &concrete, "application/json", b"{}".to_vec())
            .await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "PUT {path}: {body}");
        assert_eq!(body["error"]["code"], "method_not_allowed", "PUT {path}");
        let r = api
            .client
            .put(format!("{}{concrete}", api.base))
            .send()
            .await
            .unwrap();
        let allow: BTreeSet<String> = r.headers()["allow"]
            .to_str()
            .unwrap()
            .split(',')
            .map(|m| m.trim().to_lowercase())
            .filter(|m| m != "head")
            .collect();
        let methods: BTreeSet<String> = item.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            allow, methods,
            "{path}: routed (Allow) and documented methods"
        );
    }
}
