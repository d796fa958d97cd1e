//! Catalogue management for unit managers (their units' services) and administrators (all).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_domain::catalogue::NewService;
use serva_domain::catalogue::{parse_form_spec, PriceModel, ServiceCode};
use serva_domain::org::Unit;
use serva_domain::sla::ServiceLevel;
use serva_views::pages::catalogue::{manage_page, service_form, ServiceInput};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

pub async fn manage(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let services = st.app.managed_services(&auth.s.principal).await?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx
            .t("Tjänsten är sparad.", "The service has been saved.")
    });
    Ok(manage_page(&auth.cx, &services, ok).into_response())
}

pub async fn new_form(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let units = st.app.managed_units(&auth.s.principal).await?;
    let input = ServiceInput {
        price_model: "per_case".into(),
        active: true,
        ..Default::default()
    };
    Ok(service_form(&auth.cx, &units, &input, None, &[]).into_response())
}

pub async fn edit_form(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    let units = st.app.managed_units(p).await?;
    let svc = st.app.managed_service(p, &code).await?;
    Ok(service_form(
        &auth.cx,
        &units,
        &ServiceInput::from_service(&svc),
        Some(&code),
        &[],
    )
    .into_response())
}

fn input_of(f: &FormPost) -> ServiceInput {
    ServiceInput {
        unit: f.get("unit").to_string(),
        code: f.get("code").trim().to_string(),
        name: f.get("name").to_string(),
        description: f.get("description").to_string(),
        category: f.get("category").to_string(),
        price_model: f.get("price_model").to_string(),
        price: f.get("price").to_string(),
        first_response_minutes: f.get("first_response_minutes").trim().to_string(),
        next_response_minutes: f.get("next_response_minutes").trim().to_string(),
        resolution_minutes: f.get("resolution_minutes").trim().to_string(),
        form: f.get("form").to_string(),
        active: f.get("active") == "true",
    }
}

/// Checks the form; every problem is listed, in the person's language where it is ours.
fn check(f: &FormPost, v: &ServiceInput, units: &[Unit]) -> Result<NewService, Vec<String>> {
    let cx = &f.auth.cx;
    let mut errors = Vec::new();
    let unit = units.iter().find(|u| u.code == v.unit);
    if unit.is_none() {
        errors.push(
            cx.t(
                "Välj en leverantör du förvaltar.",
                "Choose a provider you manage.",
            )
            .to_string(),
        );
    }
    let code = ServiceCode::parse(&v.code)
        .map_err(|e| errors.push(e.to_string()))
        .ok();
    let price_model = PriceModel::parse(&v.price_model);
    if price_model.is_none() {
        errors.push(
            cx.t("Välj en prismodell.", "Choose a price model.")
                .to_string(),
        );
    }
    let price = serva_domain::format::parse_kronor(&v.price);
    if price.is_none_or(|p| p < 0) {
        errors.push(
            cx.t(
                "Priset ska vara ett belopp i kronor, till exempel 450.",
                "The price must be an amount in kronor, such as 450.",
            )
            .to_string(),
        );
    }
    let minutes = |s: &str, errors: &mut Vec<String>| -> Option<i64> {
        if s.is_empty() {
            return None;
        }
        match s.parse::<i64>() {
            Ok(m) if (1..=525_600).contains(&m) => Some(m),
            _ => {
                errors.push(
                    cx.t(
                        "Tider anges i hela minuter, 1–525 600.",
                        "Times are whole minutes, 1–525 600.",
                    )
                    .to_string(),
                );
                None
            }
        }
    };
    let first = minutes(&v.first_response_minutes, &mut errors);
    let next = minutes(&v.next_response_minutes, &mut errors);
    let resolution = minutes(&v.resolution_minutes, &mut errors);
    let fields = parse_form_spec(&v.form)
        .map_err(|e| {
            errors.push(format!(
                "{}: {e}",
                cx.t("Beställningsformulär", "Order form")
            ))
        })
        .ok();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewService {
        unit: unit.expect("checked").id,
        code: code.expect("checked"),
        name: v.name.clone(),
        description: v.description.clone(),
        category: v.category.clone(),
        price_model: price_model.expect("checked"),
        price_ore: price.expect("checked"),
        level: ServiceLevel {
            first_response_minutes: first,
            next_response_minutes: next,
            resolution_minutes: resolution,
        },
        fields: fields.expect("checked"),
        active: v.active,
    })
}

async fn save(st: &AppState, f: FormPost, editing: Option<String>) -> Result<Response, PageError> {
    let p = &f.auth.s.principal;
    let units = st.app.managed_units(p).await?;
    if let Some(code) = &editing {
        st.app.managed_service(p, code).await?;
    }
    let v = input_of(&f);
    let result = match check(&f, &v, &units) {
        Err(errors) => Err(errors),
        Ok(new) => match st.app.save_service(p, editing.as_deref(), &new).await {
            Ok(_) => Ok(()),
            Err(AppError::Conflict(m) | AppError::Invalid(m)) => Err(vec![m]),
            Err(e) => return Err(e.into()),
        },
    };
    match result {
        Ok(()) => Ok(Redirect::to("/catalogue?ok=1").into_response()),
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            service_form(&f.auth.cx, &units, &v, editing.as_deref(), &errors),
        )
            .into_response()),
    }
}

pub async fn create(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    save(&st, f, None).await
}

pub async fn update(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    save(&st, f, Some(code)).await
}
