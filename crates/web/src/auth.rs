//! Who is asking: a browser session (cookie) or a personal API token (`Authorization: Bearer`).

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::{Identity, TokenAccess};
use serva_domain::access::Principal;
use serva_domain::token::{TokenScope, TokenScopes};
use serva_domain::user::User;
use serva_views::{Ctx, Lang, Nav};

use crate::error::{ApiError, PageError};
use crate::AppState;

pub const SESSION_COOKIE: &str = "serva_session";
pub const LANG_COOKIE: &str = "serva_lang";
pub const LOGIN_CSRF_COOKIE: &str = "serva_login_csrf";

/// A signed-in person for this request.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub principal: Principal,
    /// The CSRF token of a browser session; `None` for API tokens, which need none.
    pub csrf: Option<String>,
    /// The handle of a browser session (its name on the sessions page).
    pub handle: Option<String>,
    /// What the API token may do; `None` for a browser session.
    pub scopes: Option<TokenScopes>,
}

/// Set when an `Authorization` header was sent but did not name a token that works.
#[derive(Clone, Copy)]
enum BadToken {
    Unknown,
    Expired,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Resolves the session or token once per request and leaves it in the request's extensions.
pub async fn resolve(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let found = if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let access = match token {
            Some(t) if !t.is_empty() => st.app.token_identity(t).await,
            _ => Ok(TokenAccess::Unknown),
        };
        access.map(|a| match a {
            TokenAccess::Granted { identity, scopes } => {
                let Identity { user, principal } = *identity;
                Some(Session {
                    user,
                    principal,
                    csrf: None,
                    handle: None,
                    scopes: Some(scopes),
                })
            }
            TokenAccess::Expired => {
                req.extensions_mut().insert(BadToken::Expired);
                None
            }
            TokenAccess::Unknown => {
                req.extensions_mut().insert(BadToken::Unknown);
                None
            }
        })
    } else if let Some(raw) = cookie(headers, SESSION_COOKIE) {
        st.app
            .session_identity(raw, st.config.session_idle)
            .await
            .map(|r| {
                r.map(|b| Session {
                    user: b.identity.user,
                    principal: b.identity.principal,
                    csrf: Some(b.csrf),
                    handle: Some(b.handle),
                    scopes: None,
                })
            })
    } else {
        Ok(None)
    };
    let found = match found {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "could not read the session");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    if let Some(session) = found {
        req.extensions_mut().insert(Arc::new(session));
    }
    next.run(req).await
}

/// The language of a request: the person's choice, a language cookie, or the browser's.
pub fn lang_of(headers: &HeaderMap, session: Option<&Session>) -> Lang {
    session
        .and_then(|s| s.user.locale.as_deref())
        .and_then(Lang::parse)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or_else(|| {
            Lang::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}

pub fn nav_of(s: &Session) -> Nav {
    let p = &s.principal;
    Nav {
        display_name: s.user.display_name.clone(),
        can_order: p.ordering_as().is_some(),
        is_agent: p.is_agent(),
        is_admin: p.admin,
        is_customer_manager: !p.oversees.is_empty(),
        manages_catalogue: p.admin || !p.manages.is_empty(),
        sees_overview: p.admin || !p.manages.is_empty() || !p.oversees.is_empty(),
        reads_reports: p.admin || p.controller || !p.manages.is_empty(),
        imports: p.may_import_any(),
        bills: p.can_bill() || !p.manages.is_empty(),
    }
}

fn ctx_from(headers: &HeaderMap, path: &str, session: Option<&Session>) -> Ctx {
    Ctx {
        lang: lang_of(headers, session),
        nav: session.map(nav_of),
        csrf: session.and_then(|s| s.csrf.clone()),
        path: path.to_string(),
    }
}

pub fn page_ctx(_st: &AppState, req: &Request) -> Ctx {
    let s = req.extensions().get::<Arc<Session>>().map(|s| s.as_ref());
    ctx_from(req.headers(), req.uri().path(), s)
}

/// A signed-in person on a page; anyone else is sent to the login page.
pub struct Auth {
    pub s: Arc<Session>,
    pub cx: Ctx,
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Arc<Session>>() {
            Some(s) if s.csrf.is_some() => {
                let cx = ctx_from(&parts.headers, parts.uri.path(), Some(s));
                Ok(Auth { s: s.clone(), cx })
            }
            Some(_) => Err(PageError::forbidden().into_response()),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                Err(
                    Redirect::to(&format!("/login?next={}", urlencoding::encode(next)))
                        .into_response(),
                )
            }
        }
    }
}

/// Anyone on a page, signed in or not.
pub struct MaybeAuth {
    pub s: Option<Arc<Session>>,
    pub cx: Ctx,
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let s = parts.extensions.get::<Arc<Session>>().cloned();
        let cx = ctx_from(&parts.headers, parts.uri.path(), s.as_deref());
        Ok(MaybeAuth { s, cx })
    }
}

/// The scope an API endpoint needs, named by a marker type: `ApiAuth<scope::Cases>`.
pub trait NeedsScope {
    const SCOPE: TokenScope;
}

/// The markers of [`NeedsScope`], one per [`TokenScope`].
pub mod scope {
    use serva_domain::token::TokenScope;

    macro_rules! markers {
        ($($(#[$doc:meta])* $name:ident,)*) => {$(
            $(#[$doc])*
            pub struct $name;

            impl super::NeedsScope for $name {
                const SCOPE: TokenScope = TokenScope::$name;
            }
        )*};
    }

    markers! {
        /// `read`: every `GET` but the interim report.
        Read,
        /// `cases`: creating and changing cases, messages, survey answers.
        Cases,
        /// `imports`: importing files.
        Imports,
        /// `reports`: computing and approving the interim report.
        Reports,
    }
}

/// A signed-in caller of the API (token, or a session for reading) allowed the scope `S`.
/// Each handler names the scope it needs in its signature, so none can be forgotten; the
/// same scope is written in its `#[utoipa::path(security(...))]`, which a test checks.
pub struct ApiAuth<S: NeedsScope>(pub Arc<Session>, pub PhantomData<S>);

impl<S: NeedsScope, St: Send + Sync> FromRequestParts<St> for ApiAuth<S> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &St) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<BadToken>() {
            Some(BadToken::Unknown) => {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "the API token is invalid or revoked",
                ))
            }
            Some(BadToken::Expired) => {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "token_expired",
                    "the API token has expired",
                ))
            }
            None => {}
        }
        let Some(s) = parts.extensions.get::<Arc<Session>>().cloned() else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "sign in, or send a personal API token as 'Authorization: Bearer …'",
            ));
        };
        // A browser session may read the API; writes through a cookie would need CSRF
        // protection, so they take a token.
        if s.csrf.is_some() && !parts.method.is_safe() {
            return Err(ApiError::forbidden(
                "writes through the API need an API token (Authorization: Bearer)",
            ));
        }
        if let Some(scopes) = s.scopes {
            if !scopes.contains(S::SCOPE) {
                return Err(missing_scope(S::SCOPE));
            }
        }
        Ok(ApiAuth(s, PhantomData))
    }
}

/// 403 for a token without the scope an endpoint needs, naming it.
fn missing_scope(needed: TokenScope) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "missing_scope",
        format!(
            "this API token lacks the scope \"{needed}\" ({}); make a token with it",
            needed.allows()
        ),
    )
    .with_details(serde_json::json!({ "scope": needed.as_str() }))
}

/// A `Set-Cookie` value with the attributes Serva always uses.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(a) = max_age {
        c.push_str(&format!("; Max-Age={a}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}
