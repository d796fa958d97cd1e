//! Administrators' control of API tokens: everyone's working tokens, every token of one
//! person, and revoking any of them. To anyone else these pages do not exist.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::UserId;
use serva_views::pages::tokens::admin_tokens_page;

use super::parse_id;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// `/admin/tokens`, or `/admin/tokens?user=ID` for one person's.
pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    if !p.administers() {
        return Err(PageError::not_found());
    }
    let person = match q.get("user") {
        None => None,
        Some(id) => {
            let id = parse_id(id).ok_or_else(PageError::not_found)?;
            Some(st.app.person(p, UserId(id)).await?.0)
        }
    };
    let tokens = st
        .app
        .owned_tokens(p, person.as_ref().map(|u| u.id))
        .await?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx
            .t("Nyckeln är återkallad.", "The token has been revoked.")
    });
    let now = serva_domain::time::now_ms();
    Ok(admin_tokens_page(&auth.cx, person.as_ref(), &tokens, now, ok).into_response())
}

/// Revokes anyone's token, then back to the list it was revoked from.
pub async fn revoke(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let p = &f.auth.s.principal;
    if !p.administers() {
        return Err(PageError::not_found());
    }
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    st.app.revoke_any_token(p, id).await?;
    let back = match f.get("back").parse::<i64>() {
        Ok(user) => format!("/admin/tokens?user={user}&ok=1"),
        Err(_) => "/admin/tokens?ok=1".to_string(),
    };
    Ok(Redirect::to(&back).into_response())
}
