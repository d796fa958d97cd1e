//! A panic in a handler is a bug of ours, and it answers like one: 500 with the API's JSON
//! error under `/api` and the error page elsewhere, logged, the connection kept. Without
//! this, the task answering the request unwinds and the client sees the connection dropped.

use std::any::Any;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::{ApiError, PageError};

/// Left on the 500 that [`answer_panic`] made, for [`answer`] to dress for its audience.
#[derive(Clone, Copy)]
struct Panicked;

/// Wraps every route (and the fallback) of `router` so that a panic answers 500. The router
/// of the application is built with this; so is the test below.
pub(crate) fn catch_panics<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .layer(CatchPanicLayer::custom(answer_panic))
        .layer(middleware::from_fn(answer))
}

fn answer_panic(err: Box<dyn Any + Send + 'static>) -> Response {
    let message = err
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| err.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    // The message may quote what someone sent (a string index panic quotes the string).
    tracing::error!(
        panic = %serva_domain::text::error_for_log(&message),
        "a handler panicked; answered 500"
    );
    let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    r.extensions_mut().insert(Panicked);
    r
}

/// The 500 of a panic as JSON for the API, or as an error page (rendered in the person's
/// language by `error::render_error_pages` further out).
async fn answer(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = path == "/api" || path.starts_with("/api/");
    let resp = next.run(req).await;
    if resp.extensions().get::<Panicked>().is_none() {
        return resp;
    }
    if api {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; nothing was half-saved",
        )
        .into_response()
    } else {
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "").into_response()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    async fn boom() -> String {
        let period = String::from("2018–");
        // A byte index inside the dash: the kind of bug this layer is for.
        let cut = std::hint::black_box(5);
        period[..cut].to_string()
    }

    /// Panicking routes, merged into the application's router in this crate's unit tests only
    /// (see `crate::tests`).
    pub(crate) fn panicking_routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
        Router::new()
            .route("/test/panic", get(boom))
            .route("/api/test/panic", get(boom))
    }

    pub(crate) async fn call(app: Router, path: &str) -> (StatusCode, String) {
        let r = app
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .expect("the service answers");
        let status = r.status();
        let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_panic_answers_500_in_the_callers_form() {
        let app = super::catch_panics(
            Router::new()
                .route("/api/v1/boom", get(boom))
                .route("/boom", get(boom))
                .route("/fine", get(|| async { "fine" })),
        );
        let (status, body) = call(app.clone(), "/api/v1/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(json["error"]["code"], "internal", "{body}");
        assert!(json["error"]["message"].is_string(), "{body}");

        // A page: the 500 carries the marker the error-page renderer turns into a page.
        let r = app
            .clone()
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            r.extensions().get::<crate::error::ErrorMarker>().is_some(),
            "an error page is rendered for it"
        );

        assert_eq!(call(app, "/fine").await, (StatusCode::OK, "fine".into()));
    }
}
