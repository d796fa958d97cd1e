//! Single sign-on pages: `/login/sso` sends the browser to the identity provider, and
//! `/login/sso/callback` is where the provider sends it back (docs/sso.md). The sign-in's
//! state travels in the query and in a short-lived HttpOnly, SameSite=Lax cookie; both must
//! agree, so a sign-in finishes only in the browser that started it, and the server takes the
//! state once.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::sso::{SsoError, SsoFailure, SIGN_IN_MINUTES};
use serva_views::pages::login::login_page;
use serva_views::Ctx;

use super::safe_next;
use crate::auth::{cookie, set_cookie, MaybeAuth, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::PageError;
use crate::AppState;

/// The cookie that ties a sign-in to the browser that started it.
pub const SSO_STATE_COOKIE: &str = "serva_sso_state";

/// Starts a sign-in at the identity provider.
pub async fn start(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let next = safe_next(q.get("next").map(String::as_str).unwrap_or("/")).to_string();
    match st.app.sso_start(&next).await {
        Ok((url, state)) => {
            let mut resp = Redirect::to(&url).into_response();
            add_cookie(
                &mut resp,
                &set_cookie(
                    SSO_STATE_COOKIE,
                    &state,
                    Some(SIGN_IN_MINUTES * 60),
                    st.config.secure_cookies,
                ),
            );
            Ok(resp)
        }
        Err(e) => failed(&st, auth.cx, &headers, &next, e),
    }
}

/// The provider's answer: a code and the state, or an error and the state.
pub async fn callback(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let state = get("state");
    let ours = cookie(&headers, SSO_STATE_COOKIE).unwrap_or("");
    if state.is_empty() || ours.is_empty() || !serva_store::secrets::constant_time_eq(state, ours) {
        tracing::info!("single sign-on answer with a state this browser did not start");
        return failed(&st, auth.cx, &headers, "/", SsoFailure::UnknownState.into());
    }
    let result = if !get("error").is_empty() {
        st.app.sso_abandon(state).await?;
        let mut why = get("error").to_string();
        if !get("error_description").is_empty() {
            why = format!("{why} ({})", get("error_description"));
        }
        Err(SsoFailure::Refused(why).into())
    } else if get("code").is_empty() {
        Err(SsoFailure::Rejected("the provider sent no code".into()).into())
    } else {
        st.app.sso_finish(state, get("code")).await
    };
    let mut resp = match result {
        Ok(done) => {
            let mut resp = Redirect::to(safe_next(&done.next)).into_response();
            add_cookie(
                &mut resp,
                &set_cookie(
                    SESSION_COOKIE,
                    &done.session.raw_id,
                    Some(8 * 3600),
                    st.config.secure_cookies,
                ),
            );
            resp
        }
        Err(e) => failed(&st, auth.cx, &headers, "/", e)?,
    };
    // The state is spent either way.
    add_cookie(
        &mut resp,
        &set_cookie(SSO_STATE_COOKIE, "", Some(0), st.config.secure_cookies),
    );
    Ok(resp)
}

fn add_cookie(resp: &mut Response, c: &str) {
    if let Ok(v) = HeaderValue::from_str(c) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The login page again, saying why single sign-on did not work, so the person can try again
/// or sign in with a password.
fn failed(
    st: &AppState,
    mut cx: Ctx,
    headers: &HeaderMap,
    next: &str,
    e: SsoError,
) -> Result<Response, PageError> {
    let f = match e {
        SsoError::Failed(f) => f,
        SsoError::App(e) => return Err(e.into()),
    };
    let (status, msg) = match &f {
        SsoFailure::NotConfigured => return Err(PageError::not_found()),
        SsoFailure::UnknownState => (
            StatusCode::BAD_REQUEST,
            cx.t(
                "Inloggningen kunde inte slutföras: den var redan använd, tog för lång tid eller startades i en annan webbläsare. Försök igen.",
                "The sign-in could not be completed: it was used already, took too long or was started in another browser. Try again.",
            ),
        ),
        SsoFailure::Refused(_) => (
            StatusCode::FORBIDDEN,
            cx.t(
                "Inloggningstjänsten avbröt inloggningen.",
                "The identity provider stopped the sign-in.",
            ),
        ),
        SsoFailure::Rejected(_) => (
            StatusCode::FORBIDDEN,
            cx.t(
                "Inloggningstjänstens svar kunde inte godtas. Försök igen.",
                "The identity provider's answer could not be accepted. Try again.",
            ),
        ),
        SsoFailure::Unavailable(_) => (
            StatusCode::BAD_GATEWAY,
            cx.t(
                "Inloggningstjänsten svarar inte just nu. Försök igen om en stund.",
                "The identity provider is not answering just now. Try again shortly.",
            ),
        ),
        SsoFailure::NoUsername => (
            StatusCode::UNPROCESSABLE_ENTITY,
            cx.t(
                "Inloggningstjänsten skickade varken användarnamn eller e-postadress. Kontakta en administratör.",
                "The identity provider sent neither a username nor an e-mail address. Contact an administrator.",
            ),
        ),
        SsoFailure::Deactivated => (
            StatusCode::FORBIDDEN,
            cx.t("Ditt konto är avstängt.", "Your account is deactivated."),
        ),
    };
    if matches!(f, SsoFailure::Unavailable(_)) {
        tracing::warn!(reason = %f, "single sign-on failed");
    } else {
        tracing::info!(reason = %f, "single sign-on refused");
    }
    // The login form needs its double-submit token, as on GET /login.
    let token = cookie(headers, LOGIN_CSRF_COOKIE)
        .filter(|t| t.len() == 43)
        .map(str::to_string)
        .unwrap_or_else(serva_store::secrets::random_token);
    cx.csrf = Some(token.clone());
    let mut resp = (status, login_page(&cx, next, Some(msg), "", st.sso_name())).into_response();
    add_cookie(
        &mut resp,
        &set_cookie(LOGIN_CSRF_COOKIE, &token, None, st.config.secure_cookies),
    );
    Ok(resp)
}
