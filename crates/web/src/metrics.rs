//! Prometheus metrics: request counts and durations per route, in the text exposition format.
//!
//! Every label comes from a fixed set, so no request can add a series: the method is one of
//! HTTP's standard methods or `other`, the route is the route's template
//! (`/api/v1/cases/{id}`, never the id) or `unmatched`, and the status is a number.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method};
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
    let method = method_label(req.method()).to_string();
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

/// The bearer token that opens `/metrics` on the application's listener. Its `Debug` does
/// not show it, so a printed configuration does not leak it.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// The least number of characters a token has.
    pub const MIN_LEN: usize = 16;

    /// A token of at least [`Self::MIN_LEN`] visible ASCII characters (it travels in a header).
    pub fn new(token: &str) -> Result<MetricsToken, String> {
        let t = token.trim();
        if t.len() < Self::MIN_LEN || !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!(
                "a metrics token needs at least {} characters, letters, digits and punctuation only",
                Self::MIN_LEN
            ));
        }
        Ok(MetricsToken(t.to_string()))
    }

    /// Whether an `Authorization` header carries this token. The comparison takes as long
    /// wherever the first difference is.
    pub(crate) fn accepts(&self, authorization: Option<&HeaderValue>) -> bool {
        let Some(given) = authorization
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
        else {
            return false;
        };
        let (a, b) = (given.as_bytes(), self.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

/// The method as a label: a standard method by its name, anything else `other`.
pub(crate) fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
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

#[cfg(test)]
mod tests {
    use axum::http::Method;

    #[test]
    fn tokens_are_checked_whole_and_never_shown() {
        use axum::http::HeaderValue;
        assert!(super::MetricsToken::new("short").is_err());
        assert!(super::MetricsToken::new("with a space in it, long").is_err());
        let t = super::MetricsToken::new("0123456789abcdef").unwrap();
        let h = |v: &str| HeaderValue::from_str(v).unwrap();
        assert!(t.accepts(Some(&h("Bearer 0123456789abcdef"))));
        assert!(!t.accepts(Some(&h("Bearer 0123456789abcdeF"))));
        assert!(!t.accepts(Some(&h("Bearer 0123456789abcde"))));
        assert!(!t.accepts(Some(&h("0123456789abcdef"))));
        assert!(!t.accepts(None));
        assert!(!format!("{t:?}").contains("0123"));
    }

    #[test]
    fn methods_outside_the_standard_set_are_other() {
        assert_eq!(super::method_label(&Method::GET), "GET");
        assert_eq!(super::method_label(&Method::PATCH), "PATCH");
        for m in ["XYZZY", "get", "PROPFIND", "BREW"] {
            let m = Method::from_bytes(m.as_bytes()).unwrap();
            assert_eq!(super::method_label(&m), "other", "{m}");
        }
    }
}
