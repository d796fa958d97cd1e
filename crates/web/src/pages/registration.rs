//! The agent's contact registration: choose the service (`GET /contacts/new?service=CODE`),
//! then register the call, visit, chat or e-mail with that service's own form fields in one
//! post (`POST /contacts`). The last service registered is remembered in a cookie, so the next
//! call of the same kind starts at its form.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::{IntakeError, IntakeRequest};
use serva_domain::case::{BadText, Channel};
use serva_domain::catalogue::Service;
use serva_domain::contact::{BadContact, NewContact};
use serva_domain::role::TargetGroup;
use serva_views::pages::registration::{contact_page, ContactField, ContactInput};
use serva_views::Ctx;

use super::portal::text_problem;
use crate::auth::{cookie, set_cookie, Auth};
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// The service the agent registered last (its code), to start the next registration at.
const LAST_SERVICE_COOKIE: &str = "serva_contact_service";
/// Remembered for 90 days: long enough to outlast holidays, short enough to go stale.
const LAST_SERVICE_MAX_AGE: i64 = 90 * 24 * 3600;
/// The prefix of the service's own fields in the posted form, so a field keyed `subject` or
/// `channel` cannot collide with the form's own fields.
const FIELD_PREFIX: &str = "f_";

fn find<'a>(services: &'a [Service], code: &str) -> Option<&'a Service> {
    services.iter().find(|s| s.code == code)
}

pub async fn contact_form(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (services, customers) = st.app.contact_choices(&auth.s.principal).await?;
    let cx = &auth.cx;
    // An explicit choice wins (even an empty one: "Välj …" shows no form); otherwise the
    // service registered last, if the agent still works it.
    let remembered = cookie(&headers, LAST_SERVICE_COOKIE)
        .and_then(|c| urlencoding::decode(c).ok())
        .map(|c| c.into_owned());
    let code = q
        .get("service")
        .map(|s| s.trim().to_string())
        .or(remembered)
        .unwrap_or_default();
    let chosen = find(&services, &code);
    let mut input = ContactInput {
        service: code.clone(),
        ..Default::default()
    };
    let status = if chosen.is_none() && q.get("service").is_some_and(|s| !s.trim().is_empty()) {
        input.errors.push((
            ContactField::Service,
            cx.t(
                "Tjänsten finns inte eller tar inte emot ärenden från dig. Välj en annan.",
                "The service does not exist or does not take cases from you. Choose another.",
            )
            .to_string(),
        ));
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        contact_page(cx, &services, &customers, chosen, &input),
    )
        .into_response())
}

fn contact_problem(cx: &Ctx, e: &BadContact) -> String {
    match e {
        BadContact::Empty => cx
            .t("Fältet måste fyllas i.", "This field is required.")
            .to_string(),
        BadContact::Name => cx
            .t(
                "Namnet är för långt (högst 200 tecken) eller har styrtecken.",
                "The name is too long (at most 200 characters) or has control characters.",
            )
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

/// The caller as typed: each part checked on its own, so each error lands at its field.
/// `None` when nothing was given (an anonymous caller is allowed).
fn contact_of(cx: &Ctx, input: &mut ContactInput) -> Option<NewContact> {
    let parts = [
        (ContactField::Name, input.requester_name.clone()),
        (ContactField::Email, input.contact_email.clone()),
        (ContactField::Phone, input.contact_phone.clone()),
    ];
    let mut ok = true;
    for (field, value) in &parts {
        if value.trim().is_empty() {
            continue;
        }
        let one = match field {
            ContactField::Name => NewContact::new(Some(value), None, None),
            ContactField::Email => NewContact::new(None, Some(value), None),
            _ => NewContact::new(None, None, Some(value)),
        };
        if let Err(e) = one {
            input.errors.push((*field, contact_problem(cx, &e)));
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    NewContact::new(
        Some(&input.requester_name),
        Some(&input.contact_email),
        Some(&input.contact_phone),
    )
    .ok()
}

fn text_error(cx: &Ctx, field: ContactField, e: &BadText) -> (ContactField, String) {
    (field, text_problem(cx, e))
}

pub async fn register_contact(
    State(st): State<AppState>,
    f: FormPost,
) -> Result<Response, PageError> {
    let p = &f.auth.s.principal;
    let (services, customers) = st.app.contact_choices(p).await?;
    let cx = &f.auth.cx;
    let answers: HashMap<String, String> = f
        .fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix(FIELD_PREFIX)?.to_string(), v.clone())))
        .collect();
    let mut input = ContactInput {
        service: f.get("service").trim().to_string(),
        channel: f.get("channel").to_string(),
        requester_name: f.get("requester_name").to_string(),
        contact_phone: f.get("contact_phone").to_string(),
        contact_email: f.get("contact_email").to_string(),
        customer_unit: f.get("customer_unit").to_string(),
        target_group: f.get("target_group").to_string(),
        subject: f.get("subject").to_string(),
        description: f.get("description").to_string(),
        answers,
        resolve_now: f.get("resolve_now") == "true",
        ..Default::default()
    };
    let chosen = find(&services, &input.service);
    if chosen.is_none() {
        input.errors.push((
            ContactField::Service,
            if input.service.is_empty() {
                cx.t("Välj en tjänst.", "Choose a service.")
            } else {
                cx.t(
                    "Tjänsten finns inte eller tar inte emot ärenden från dig. Välj en annan.",
                    "The service does not exist or does not take cases from you. Choose another.",
                )
            }
            .to_string(),
        ));
    }
    // Only the live channels and e-mail are registered here; web orders come through the portal.
    let channel = Channel::parse(&input.channel).filter(|c| *c != Channel::Web);
    if channel.is_none() {
        input.errors.push((
            ContactField::Channel,
            cx.t("Välj en kanal.", "Choose a channel.").to_string(),
        ));
    }
    let target_group = match f.opt("target_group") {
        None => None,
        Some(t) => match TargetGroup::parse(t) {
            Some(g) => Some(g),
            None => {
                input.errors.push((
                    ContactField::TargetGroup,
                    cx.t("Okänd målgrupp.", "Unknown target group.").to_string(),
                ));
                None
            }
        },
    };
    let customer_unit = f.opt("customer_unit").map(str::to_string);
    if let Some(code) = &customer_unit {
        if !customers.iter().any(|u| u.code.as_str() == code) {
            input.errors.push((
                ContactField::CustomerUnit,
                cx.t("Okänd kundförvaltning.", "Unknown customer department.")
                    .to_string(),
            ));
        }
    }
    let contact = contact_of(cx, &mut input);
    let Some(svc) = chosen else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            contact_page(cx, &services, &customers, None, &input),
        )
            .into_response());
    };
    // The intake checks the subject, the description and the service's fields; everything
    // wrong is shown at once, so it goes to the intake even when a field above was wrong, and
    // the case is created only when nothing is.
    let req = IntakeRequest {
        service: svc.code.clone(),
        subject: input.subject.clone(),
        description: input.description.clone(),
        channel: channel.or(Some(Channel::Phone)),
        answers: input.answers.clone(),
        requester_name: contact.as_ref().and_then(|c| c.name.clone()),
        customer_unit: customer_unit.clone(),
        target_group,
        resolve_now: input.resolve_now,
        contact: contact.clone(),
    };
    let fine = input.errors.is_empty();
    if fine {
        match st.app.intake(p, &req).await {
            Ok(case) => {
                let remember = set_cookie(
                    LAST_SERVICE_COOKIE,
                    &urlencoding::encode(&svc.code),
                    Some(LAST_SERVICE_MAX_AGE),
                    st.config.secure_cookies,
                );
                return Ok((
                    [(header::SET_COOKIE, remember)],
                    Redirect::to(&format!("/cases/{}?ok=registered", case.id)),
                )
                    .into_response());
            }
            Err(IntakeError::UnknownService(_)) => input.errors.push((
                ContactField::Service,
                cx.t(
                    "Tjänsten tar inte emot ärenden.",
                    "The service takes no cases.",
                )
                .to_string(),
            )),
            Err(IntakeError::Forbidden(_)) => return Err(PageError::forbidden()),
            Err(IntakeError::Failed(e)) => return Err(e.into()),
            Err(IntakeError::Invalid(bad)) => add_invalid(cx, &mut input, bad),
        }
    } else {
        // Collect the intake's own findings too, without writing anything.
        let bad = serva_app::check_order(svc, &req);
        add_invalid(cx, &mut input, bad);
    }
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        contact_page(cx, &services, &customers, Some(svc), &input),
    )
        .into_response())
}

fn add_invalid(cx: &Ctx, input: &mut ContactInput, bad: serva_app::Invalid) {
    if let Some(e) = &bad.subject {
        input.errors.push(text_error(cx, ContactField::Subject, e));
    }
    if let Some(e) = &bad.description {
        input
            .errors
            .push(text_error(cx, ContactField::Description, e));
    }
    input.field_errors = bad.fields;
    for o in bad.other {
        input.errors.push((ContactField::Whole, o));
    }
}
