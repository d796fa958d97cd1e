//! The portal: the catalogue and ordering.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::case::BadText;
use serva_domain::UnitId;
use serva_store::catalogue::ServiceFilter;
use serva_store::StoreError;
use serva_views::pages::portal::{catalogue_page, service_page, CatalogueQuery, OrderInput};
use serva_views::Ctx;

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::intake::{intake, IntakeError, IntakeRequest};
use crate::AppState;

pub async fn catalogue(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let (text, category, unit_code) = (get("q"), get("category"), get("unit"));
    let unit = match unit_code.as_str() {
        "" => None,
        code => match st.db.unit_by_code(code).await {
            Ok(u) => Some(u.uid()),
            Err(StoreError::NotFound(_)) => Some(UnitId(-1)),
            Err(e) => return Err(e.into()),
        },
    };
    let filter = ServiceFilter {
        unit,
        category: (!category.is_empty()).then(|| category.clone()),
        query: (!text.is_empty()).then(|| serva_domain::search::fold(&text)),
        include_inactive: false,
    };
    let services = st.db.services(&filter).await?;
    let categories = st.db.categories().await?;
    let all = st.db.services(&ServiceFilter::default()).await?;
    let mut providers: Vec<_> = st
        .db
        .units()
        .await?
        .into_iter()
        .filter(|u| all.iter().any(|s| s.unit_id == u.id))
        .collect();
    providers.sort_by(|a, b| a.name.cmp(&b.name));
    let query = CatalogueQuery {
        q: &text,
        category: &category,
        unit: &unit_code,
    };
    Ok(catalogue_page(&auth.cx, &services, &categories, &providers, &query).into_response())
}

pub async fn service(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let svc = st.db.service_by_code(&code).await?;
    if svc.active != 1 && !auth.s.principal.can_manage_catalogue(UnitId(svc.unit_id)) {
        return Err(PageError::not_found());
    }
    let can_order = can_order(&auth, svc.unit_id);
    Ok(service_page(&auth.cx, &svc, &OrderInput::default(), can_order).into_response())
}

fn can_order(auth: &Auth, unit: i64) -> bool {
    let p = &auth.s.principal;
    p.ordering_as().is_some() || p.admin || p.works.contains(&UnitId(unit))
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
    match intake(&st.db, &form.auth.s, &req).await {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{}?ok=created", case.id)).into_response()),
        Err(IntakeError::UnknownService(_)) => Err(PageError::not_found()),
        Err(IntakeError::Forbidden(_)) => Err(PageError::forbidden()),
        Err(IntakeError::Store(e)) => Err(e.into()),
        Err(IntakeError::Invalid(bad)) => {
            let svc = st.db.service_by_code(&code).await?;
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
