//! What the log says about a request. The span of each request names its method (a standard
//! one or `other`), its route's template, and its path cut to
//! [`serva_domain::text::LOG_TEXT_MAX`] characters — never the query string, which carries
//! search words and form values, and never a path of any length someone chose to send.

use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::Request;
use serva_domain::text::for_log;

/// The span a request's log lines belong to (`TraceLayer::make_span_with`).
pub(crate) fn request_span(req: &Request<Body>) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    // A follow link's path is its secret token: only the route is logged.
    let path = if route.starts_with("/follow/") {
        route
    } else {
        req.uri().path()
    };
    tracing::debug_span!(
        "request",
        method = crate::metrics::method_label(req.method()),
        route = route,
        path = %for_log(path),
    )
}
