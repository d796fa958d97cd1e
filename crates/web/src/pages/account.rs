//! The person's own account.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_views::pages::account::account_page;

use super::parse_id;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let tokens = st.app.my_tokens(&auth.s.principal).await?;
    let ok = match q.get("ok").map(String::as_str) {
        Some("locale") => Some(
            auth.cx
                .t("Språket är sparat.", "The language has been saved."),
        ),
        Some("revoked") => Some(
            auth.cx
                .t("Nyckeln är återkallad.", "The token has been revoked."),
        ),
        _ => None,
    };
    let locale = auth.s.user.locale.clone().unwrap_or_default();
    Ok(account_page(&auth.cx, &locale, &tokens, None, ok).into_response())
}

pub async fn set_locale(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let locale = match f.get("locale") {
        "" => None,
        l @ ("sv" | "en") => Some(l),
        _ => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                "language must be sv or en",
            ))
        }
    };
    st.app.set_locale(&f.auth.s.principal, locale).await?;
    Ok(Redirect::to("/account?ok=locale").into_response())
}

/// Creates a token and shows it once, in the response to the post (never in a URL).
pub async fn create_token(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let p = &f.auth.s.principal;
    let token = st.app.create_my_token(p, f.get("name")).await?;
    let tokens = st.app.my_tokens(p).await?;
    let locale = f.auth.s.user.locale.clone().unwrap_or_default();
    Ok(account_page(&f.auth.cx, &locale, &tokens, Some(&token), None).into_response())
}

pub async fn revoke_token(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    st.app.revoke_my_token(&f.auth.s.principal, id).await?;
    Ok(Redirect::to("/account?ok=revoked").into_response())
}
