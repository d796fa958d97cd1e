//! Help pages: the keyboard shortcuts, and the script that gives them.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serva_views::pages::help::keys_page;

use crate::auth::Auth;

const KEYS_JS: &str = include_str!("../static/keys.js");

/// `GET /help/keys`.
pub async fn keys(auth: Auth) -> Response {
    keys_page(&auth.cx).into_response()
}

/// `GET /static/keys.js`: never needed; see the page above.
pub async fn keys_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        KEYS_JS,
    )
        .into_response()
}
