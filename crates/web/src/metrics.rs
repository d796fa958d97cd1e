//! Prometheus metrics: request counts and durations per route, in the text exposition format.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

#[derive(Default)]
pub struct Metrics {
    /// (method, route, status) → count
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// (method, route) → (sum of seconds, count)
    durations: Mutex<BTreeMap<(String, String), (f64, u64)>>,
}

pub async fn track(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    let secs = start.elapsed().as_secs_f64();
    let status = resp.status().as_u16();
    if let Ok(mut m) = st.metrics.requests.lock() {
        *m.entry((method.clone(), route.clone(), status))
            .or_default() += 1;
    }
    if let Ok(mut d) = st.metrics.durations.lock() {
        let e = d.entry((method, route)).or_default();
        e.0 += secs;
        e.1 += 1;
    }
    resp
}

impl Metrics {
    pub fn render(&self, pool: (u32, usize), cases: (u64, u64)) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP serva_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE serva_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((method, route, status), n) in m.iter() {
                out.push_str(&format!(
                    "serva_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}\n",
                    escape(route)
                ));
            }
        }
        out.push_str("# HELP serva_http_request_duration_seconds Time spent answering, by method and route.\n");
        out.push_str("# TYPE serva_http_request_duration_seconds summary\n");
        if let Ok(d) = self.durations.lock() {
            for ((method, route), (sum, count)) in d.iter() {
                let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
                out.push_str(&format!(
                    "serva_http_request_duration_seconds_sum{{{labels}}} {sum}\n"
                ));
                out.push_str(&format!(
                    "serva_http_request_duration_seconds_count{{{labels}}} {count}\n"
                ));
            }
        }
        out.push_str(
            "# HELP serva_cases_created_total Cases written by the group-commit writer.\n",
        );
        out.push_str("# TYPE serva_cases_created_total counter\n");
        out.push_str(&format!("serva_cases_created_total {}\n", cases.0));
        out.push_str("# HELP serva_case_commits_total Commits those cases took (fewer commits, fewer disk flushes).\n");
        out.push_str("# TYPE serva_case_commits_total counter\n");
        out.push_str(&format!("serva_case_commits_total {}\n", cases.1));
        out.push_str("# HELP serva_db_pool_connections Open database connections (read pool).\n");
        out.push_str("# TYPE serva_db_pool_connections gauge\n");
        out.push_str(&format!("serva_db_pool_connections {}\n", pool.0));
        out.push_str("# HELP serva_db_pool_idle Idle database connections (read pool).\n");
        out.push_str("# TYPE serva_db_pool_idle gauge\n");
        out.push_str(&format!("serva_db_pool_idle {}\n", pool.1));
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
