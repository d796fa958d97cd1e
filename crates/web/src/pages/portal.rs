//! The portal: the catalogue and ordering.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::{CatalogueQuery, IntakeError, IntakeRequest};
use serva_domain::case::BadText;
use serva_views::pages::portal::{catalogue_page, service_page, OrderInput};
use serva_views::Ctx;

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

pub async fn catalogue(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let (text, category, unit) = (get("q"), get("category"), get("unit"));
    let query = CatalogueQuery {
        text: text.clone(),
        category: (!category.is_empty()).then(|| category.clone()),
        unit: (!unit.is_empty()).then(|| unit.clone()),
    };
    let portal = st.app.portal(&query).await?;
    let shown = serva_views::pages::portal::CatalogueQuery {
        q: &text,
        category: &category,
        unit: &unit,
    };
    Ok(catalogue_page(
        &auth.cx,
        &portal.services,
        &portal.categories,
        &portal.providers,
        &shown,
    )
    .into_response())
}

pub async fn service(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let (svc, can_order) = st.app.service_for(&auth.s.principal, &code).await?;
    Ok(service_page(&auth.cx, &svc, &OrderInput::default(), can_order).into_response())
}

pub fn text_problem(cx: &Ctx, e: &BadText) -> String {
    match e {
        BadText::Empty => cx
            .t("Fältet måste fyllas i.", "This field is required.")
            .to_string(),
        BadText::TooLong(n, max) => match cx.lang {
            serva_views::Lang::Sv => format!("Texten är för lång ({n} tecken, högst {max})."),
            serva_views::Lang::En => {
                format!("The text is too long ({n} characters, at most {max}).")
            }
        },
    }
}

pub async fn order(
    State(st): State<AppState>,
    Path(code): Path<String>,
    form: FormPost,
) -> Result<Response, PageError> {
    let answers: HashMap<String, String> = form
        .fields
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "_csrf" | "subject" | "description"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let req = IntakeRequest {
        service: code.clone(),
        subject: form.get("subject").to_string(),
        description: form.get("description").to_string(),
        answers: answers.clone(),
        ..Default::default()
    };
    let cx = &form.auth.cx;
    let p = &form.auth.s.principal;
    match st.app.intake(p, &req).await {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{}?ok=created", case.id)).into_response()),
        Err(IntakeError::UnknownService(_)) => Err(PageError::not_found()),
        Err(IntakeError::Forbidden(_)) => Err(PageError::forbidden()),
        Err(IntakeError::Failed(e)) => Err(e.into()),
        Err(IntakeError::Invalid(bad)) => {
            let (svc, _) = st.app.service_for(p, &code).await?;
            let input = OrderInput {
                subject: req.subject,
                description: req.description,
                answers,
                subject_error: bad.subject.as_ref().map(|e| text_problem(cx, e)),
                description_error: bad.description.as_ref().map(|e| text_problem(cx, e)),
                field_errors: bad.fields,
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                service_page(cx, &svc, &input, true),
            )
                .into_response())
        }
    }
}
