use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::{normalise_username, SignIn};
use serva_domain::login_throttle::MAX_USERNAME_CHARS;
use serva_domain::start_page::StartPage;
use serva_domain::text::for_log;
use serva_views::pages::login::login_page;

use super::safe_next;
use crate::auth::{cookie, set_cookie, MaybeAuth, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::client::Client;
use crate::error::PageError;
use crate::forms::{parse_body, same_origin, FormPost};
use crate::AppState;

/// `GET /`: the sign-in page, or the start page of the person's strongest role.
pub async fn home(auth: MaybeAuth) -> Redirect {
    match auth.s {
        None => Redirect::to("/login"),
        Some(s) => Redirect::to(StartPage::of(&s.principal).path()),
    }
}

pub async fn login_form(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let next = safe_next(q.get("next").map(String::as_str).unwrap_or("/")).to_string();
    if auth.s.is_some() {
        return Redirect::to(&next).into_response();
    }
    let token = cookie(&headers, LOGIN_CSRF_COOKIE)
        .filter(|t| t.len() == 43)
        .map(str::to_string)
        .unwrap_or_else(serva_store::secrets::random_token);
    let mut cx = auth.cx;
    cx.csrf = Some(token.clone());
    (
        [(
            header::SET_COOKIE,
            set_cookie(LOGIN_CSRF_COOKIE, &token, None, st.config.secure_cookies),
        )],
        login_page(&cx, &next, None, "", st.sso_name()),
    )
        .into_response()
}

/// Signs in. The login form is protected by a double-submit token (cookie and field), and a
/// new session id is issued on every login.
pub async fn login(
    State(st): State<AppState>,
    auth: MaybeAuth,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let mut cx = auth.cx;
    if !same_origin(&headers) {
        return Err(PageError::new(
            StatusCode::FORBIDDEN,
            cx.t(
                "Formuläret kom från en annan webbplats.",
                "The form came from another site.",
            ),
        ));
    }
    let f = parse_body(body).await?;
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !serva_store::secrets::constant_time_eq(get("_csrf"), expected) {
        return Err(PageError::new(
            StatusCode::FORBIDDEN,
            cx.t(
                "Inloggningsformuläret hade gått ut. Ladda om sidan och försök igen.",
                "The login form had expired. Reload the page and try again.",
            ),
        ));
    }
    let next = safe_next(get("next")).to_string();
    let username = normalise_username(get("username"));
    cx.csrf = Some(expected.to_string());
    if username.chars().count() > MAX_USERNAME_CHARS {
        let msg = cx.t("Användarnamnet är för långt.", "The username is too long.");
        return Ok((
            StatusCode::BAD_REQUEST,
            login_page(&cx, &next, Some(msg), "", st.sso_name()),
        )
            .into_response());
    }
    match st
        .app
        .sign_in(&username, get("password"), client.ip)
        .await?
    {
        SignIn::Started(_, session) => {
            let ip = client.ip.map(|ip| ip.to_string());
            let ua = client.user_agent.as_deref();
            if let Err(e) = st
                .app
                .describe_session(&session.raw_id, ua, ip.as_deref())
                .await
            {
                // The list of sessions shows "unknown browser"; the sign-in itself stands.
                tracing::warn!(error = %e, "could not note the session's browser");
            }
            let mut resp = Redirect::to(&next).into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &session.raw_id,
                    Some(8 * 3600),
                    st.config.secure_cookies,
                )
                .parse()
                .expect("cookie"),
            );
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(LOGIN_CSRF_COOKIE, "", Some(0), st.config.secure_cookies)
                    .parse()
                    .expect("cookie"),
            );
            Ok(resp)
        }
        SignIn::Paused { seconds } => {
            let minutes = (seconds.max(1) as u64).div_ceil(60);
            tracing::info!(username = %for_log(&username), from = ?client.ip, "sign-in paused");
            let msg = match cx.lang {
                serva_views::Lang::Sv => format!(
                    "För många misslyckade inloggningar. Försök igen om {minutes} min, \
                     eller be en administratör att häva spärren."
                ),
                serva_views::Lang::En => format!(
                    "Too many failed logins. Try again in {minutes} min, \
                     or ask an administrator to lift the pause."
                ),
            };
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, seconds.max(1).to_string())],
                login_page(&cx, &next, Some(&msg), &username, st.sso_name()),
            )
                .into_response())
        }
        SignIn::Refused => {
            tracing::info!(username = %for_log(&username), from = ?client.ip, "failed login");
            let msg = cx.t(
                "Fel användarnamn eller lösenord.",
                "Wrong username or password.",
            );
            Ok((
                StatusCode::UNAUTHORIZED,
                login_page(&cx, &next, Some(msg), &username, st.sso_name()),
            )
                .into_response())
        }
    }
}

pub async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    _form: FormPost,
) -> Result<Response, PageError> {
    if let Some(raw) = cookie(&headers, SESSION_COOKIE) {
        st.app.sign_out(raw).await?;
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), st.config.secure_cookies)
            .parse()
            .expect("cookie"),
    );
    Ok(resp)
}

/// The language switch for people not signed in (signed-in people choose on their account page).
pub async fn switch_lang(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = match q.get("to").map(String::as_str) {
        Some("en") => "en",
        _ => "sv",
    };
    let back = safe_next(q.get("back").map(String::as_str).unwrap_or("/")).to_string();
    (
        [(
            header::SET_COOKIE,
            set_cookie(
                LANG_COOKIE,
                lang,
                Some(365 * 24 * 3600),
                st.config.secure_cookies,
            ),
        )],
        Redirect::to(&back),
    )
        .into_response()
}
