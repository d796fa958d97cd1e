//! The public pages for citizens (no login): the contact form, and the follow link's page.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::{CitizenContact, CitizenInvalid, CitizenRefused};
use serva_domain::contact::BadContact;
use serva_views::pages::citizens::{
    contact_form_page, contact_sent_page, follow_page, too_many_page, CitizenErrors, CitizenInput,
};
use serva_views::Ctx;

use crate::auth::MaybeAuth;
use crate::client::Client;
use crate::error::PageError;
use crate::forms::{parse_body, same_origin};
use crate::AppState;

/// Posts of the form per client address within [`WINDOW_MINUTES`].
pub const POSTS_PER_WINDOW: i64 = 5;
pub const WINDOW_MINUTES: i64 = 10;

/// `GET /kontakt`.
pub async fn form(State(st): State<AppState>, auth: MaybeAuth) -> Result<Response, PageError> {
    let departments = st.app.citizen_departments().await?;
    Ok(contact_form_page(
        &auth.cx,
        &departments,
        &CitizenInput::default(),
        &CitizenErrors::default(),
    )
    .into_response())
}

fn contact_problem(cx: &Ctx, e: &BadContact) -> String {
    match e {
        BadContact::Empty => cx
            .t(
                "Ange en e-postadress eller ett telefonnummer så att vi kan svara dig.",
                "Give an e-mail address or a phone number so we can answer you.",
            )
            .to_string(),
        BadContact::Name => cx
            .t("Namnet är för långt.", "The name is too long.")
            .to_string(),
        BadContact::Email(_) => cx
            .t(
                "E-postadressen ser inte ut som en e-postadress.",
                "The e-mail address does not look like one.",
            )
            .to_string(),
        BadContact::Phone(_) => cx
            .t(
                "Telefonnumret ser inte ut som ett telefonnummer.",
                "The phone number does not look like one.",
            )
            .to_string(),
    }
}

fn errors_of(cx: &Ctx, bad: &CitizenInvalid) -> CitizenErrors {
    CitizenErrors {
        contact: bad.contact.as_ref().map(|e| contact_problem(cx, e)),
        subject: bad
            .subject
            .as_ref()
            .map(|e| super::portal::text_problem(cx, e)),
        message: bad
            .message
            .as_ref()
            .map(|e| super::portal::text_problem(cx, e)),
        department: bad.department.then(|| {
            cx.t(
                "Välj en förvaltning i listan.",
                "Choose a department from the list.",
            )
            .to_string()
        }),
    }
}

/// `POST /kontakt`: rate-limited per client address; a filled honeypot field is answered as
/// a success but makes no case.
pub async fn send(
    State(st): State<AppState>,
    auth: MaybeAuth,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let cx = auth.cx;
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
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let address = client
        .ip
        .map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
    let now = serva_domain::time::now_ms();
    let allowed = st
        .db
        .take_public_form_post(&address, now, WINDOW_MINUTES * 60_000, POSTS_PER_WINDOW)
        .await?;
    if !allowed {
        tracing::info!(client = %address, "public contact form: rate limit reached");
        let mut resp = (
            StatusCode::TOO_MANY_REQUESTS,
            too_many_page(&cx, WINDOW_MINUTES),
        )
            .into_response();
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(WINDOW_MINUTES * 60));
        return Ok(resp);
    }
    if !get("website").trim().is_empty() {
        // A person does not see the field; whatever fills it is a bot. It is told it
        // succeeded, so it learns nothing, and no case is made.
        tracing::warn!(client = %address, "public contact form: honeypot filled, no case made");
        return Ok(contact_sent_page(&cx, "–", "/kontakt").into_response());
    }
    let input = CitizenInput {
        name: get("name"),
        email: get("email"),
        phone: get("phone"),
        subject: get("subject"),
        message: get("message"),
        department: get("department"),
    };
    let form = CitizenContact {
        name: input.name.clone(),
        email: input.email.clone(),
        phone: input.phone.clone(),
        subject: input.subject.clone(),
        message: input.message.clone(),
        department: input.department.clone(),
    };
    match st
        .app
        .citizen_contact(&st.config.citizen_service, &form)
        .await
    {
        Ok(r) => {
            let url = format!("/follow/{}", r.follow_token);
            Ok(contact_sent_page(&cx, &r.case.number().to_string(), &url).into_response())
        }
        Err(CitizenRefused::Invalid(bad)) => {
            let departments = st.app.citizen_departments().await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                contact_form_page(&cx, &departments, &input, &errors_of(&cx, &bad)),
            )
                .into_response())
        }
        Err(CitizenRefused::Failed(e)) => Err(e.into()),
    }
}

/// The follow page must not send its address (the token) to any other site. `same-origin`,
/// not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with the page's own
/// reply form, which the same-origin check then (rightly) refuses.
fn no_referrer(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}

/// `GET /follow/{token}`.
pub async fn follow(
    State(st): State<AppState>,
    auth: MaybeAuth,
    Path(token): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let c = st.app.followed_case(&token).await?;
    let cx = &auth.cx;
    let ok = match q.get("ok").map(String::as_str) {
        Some("reply") => Some(cx.t("Ditt svar är skickat.", "Your reply has been sent.")),
        Some("survey") => Some(cx.t(
            "Tack för att du besvarade enkäten!",
            "Thank you for answering the survey!",
        )),
        _ => None,
    };
    let survey = st.app.follow_survey(&token).await?;
    Ok(no_referrer(
        follow_page(
            cx,
            &token,
            &c.case,
            &c.messages,
            ok,
            None,
            survey.map(|s| (s.scale, s.status)),
        )
        .into_response(),
    ))
}

/// `POST /follow/{token}/reply`: `body`.
pub async fn reply(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let cx = auth.cx;
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
    let text = f.get("body").map(String::as_str).unwrap_or("");
    if let Err(e) = serva_domain::case::clean_text(text, serva_domain::case::TEXT_MAX) {
        let c = st.app.followed_case(&token).await?;
        let msg = super::portal::text_problem(&cx, &e);
        return Ok(no_referrer(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                follow_page(&cx, &token, &c.case, &c.messages, None, Some(&msg), None),
            )
                .into_response(),
        ));
    }
    st.app.follow_reply(&token, text).await?;
    Ok(no_referrer(
        Redirect::to(&format!("/follow/{token}?ok=reply")).into_response(),
    ))
}
