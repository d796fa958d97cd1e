//! The person's own account: language and API tokens.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_domain::refusal::Refusal;
use serva_domain::token::{TokenRequest, TokenScope, TokenScopes, DEFAULT_LIFETIME_DAYS};
use serva_views::pages::account::{account_page, AccountView};
use serva_views::pages::tokens::{TokenField, TokenForm};
use serva_views::Ctx;

use super::parse_id;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

async fn render(
    st: &AppState,
    auth: &Auth,
    status: StatusCode,
    new_token: Option<&str>,
    ok: Option<&str>,
    form: TokenForm,
) -> Result<Response, PageError> {
    let tokens = st.app.my_tokens(&auth.s.principal).await?;
    let locale = auth.s.user.locale.clone().unwrap_or_default();
    let view = AccountView {
        locale: &locale,
        tokens: &tokens,
        new_token,
        ok,
        form,
        now: serva_domain::time::now_ms(),
    };
    Ok((status, account_page(&auth.cx, &view)).into_response())
}

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
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
    render(&st, &auth, StatusCode::OK, None, ok, TokenForm::default()).await
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

/// The new-token form as sent: a ticked box per scope (`scope_read=on`, …) and a number of
/// days (the default lifetime when left out). A number that is not one reads as no days,
/// which the rules refuse.
fn token_form(f: &FormPost) -> (TokenRequest, TokenForm) {
    let scopes = TokenScope::ALL
        .into_iter()
        .filter(|s| !f.get(&format!("scope_{}", s.as_str())).is_empty())
        .fold(TokenScopes::default(), TokenScopes::with);
    let days = f.get("days").trim();
    let req = TokenRequest {
        name: f.get("name").to_string(),
        scopes,
        days: if days.is_empty() {
            DEFAULT_LIFETIME_DAYS
        } else {
            days.parse().unwrap_or(0)
        },
    };
    let form = TokenForm {
        name: f.get("name").to_string(),
        scopes,
        days: days.to_string(),
        error: None,
    };
    (req, form)
}

/// A refusal of the new-token form, said next to the field it is about.
fn token_error(cx: &Ctx, e: AppError) -> Result<(TokenField, String), PageError> {
    match e {
        AppError::Refused(r) => {
            let field = match r {
                Refusal::TokenWithoutScope => TokenField::Scopes,
                Refusal::TokenLifetime { .. } => TokenField::Days,
                _ => TokenField::Name,
            };
            Ok((field, serva_views::widgets::refusal(cx, r)))
        }
        AppError::Invalid(m) => Ok((TokenField::Name, m)),
        other => Err(other.into()),
    }
}

/// Creates a token and shows it once, in the response to the post (never in a URL).
pub async fn create_token(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let (req, mut form) = token_form(&f);
    match st.app.create_my_token(&f.auth.s.principal, &req).await {
        Ok(token) => {
            render(
                &st,
                &f.auth,
                StatusCode::OK,
                Some(&token),
                None,
                TokenForm::default(),
            )
            .await
        }
        Err(e) => {
            form.error = Some(token_error(&f.auth.cx, e)?);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&st, &f.auth, status, None, None, form).await
        }
    }
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
