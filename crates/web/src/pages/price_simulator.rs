//! `GET /billing/simulator?unit=&year=&prices_on=&target=&mode=all|service&service=&cost=` and
//! `POST /billing/simulator/save` ("Spara som utkast"). Access is decided in the app.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::price_simulator::{CostSource, SimulatorInput};
use serva_app::AppError;
use serva_domain::billing::simulator::Mode;
use serva_domain::format::parse_kronor;
use serva_domain::time::{parse_day, today};
use serva_views::pages::price_simulator::{simulator_page, SimulatorForm, SimulatorResult};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// The form as typed, with what is left out filled in.
fn form_of(q: &HashMap<String, String>, units: &[(String, String)]) -> SimulatorForm {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let or = |k: &str, d: String| Some(get(k)).filter(|v| !v.is_empty()).unwrap_or(d);
    SimulatorForm {
        unit: or(
            "unit",
            units.first().map(|u| u.0.clone()).unwrap_or_default(),
        ),
        year: or("year", super::prices::this_year().to_string()),
        prices_on: or("prices_on", today().format("%Y-%m-%d").to_string()),
        target: or("target", "0".into()),
        mode: or("mode", "all".into()),
        service: get("service"),
        cost: get("cost"),
        errors: HashMap::new(),
    }
}

/// The input the form asks for, or the form with its field errors.
fn input_of(auth: &Auth, f: &mut SimulatorForm) -> Option<SimulatorInput> {
    let cx = &auth.cx;
    let year = f
        .year
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        f.errors.insert(
            "year",
            cx.t(
                "Skriv året med fyra siffror.",
                "Write the year with four digits.",
            )
            .into(),
        );
    }
    let prices_on = parse_day(&f.prices_on);
    if prices_on.is_none() {
        f.errors.insert(
            "prices_on",
            cx.t(
                "Skriv dagen som ÅÅÅÅ-MM-DD.",
                "Write the day as YYYY-MM-DD.",
            )
            .into(),
        );
    }
    let kr = cx.t(
        "Skriv ett belopp i kronor, till exempel 0 eller -250 000.",
        "Write an amount in kronor, for example 0 or -250 000.",
    );
    let target = parse_kronor(&f.target);
    if target.is_none() {
        f.errors.insert("target", kr.into());
    }
    let cost = match f.cost.as_str() {
        "" => Ok(None),
        c => parse_kronor(c).filter(|c| *c >= 0).map(Some).ok_or(()),
    };
    if cost.is_err() {
        f.errors.insert("cost", kr.into());
    }
    let mode = if f.mode == "service" {
        Mode::Service(f.service.clone())
    } else {
        Mode::AcrossTheBoard
    };
    Some(SimulatorInput {
        unit: f.unit.clone(),
        year: year?,
        prices_on: prices_on?,
        target_ore: target?,
        mode,
        cost_ore: cost.ok()?,
    })
}

async fn render(
    st: &AppState,
    auth: &Auth,
    mut f: SimulatorForm,
    units: &[(String, String)],
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    let Some(mut input) = input_of(auth, &mut f) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            simulator_page(cx, units, &f, None, error),
        )
            .into_response());
    };
    if units.is_empty() {
        return Err(PageError::not_found());
    }
    let mut v = st.app.simulate_prices(&auth.s.principal, &input).await?;
    // Per service without a choice: the unit's first service.
    if f.mode == "service" && f.service.is_empty() {
        if let Some(s) = v.services.first() {
            f.service = s.code.clone();
            input.mode = Mode::Service(s.code.clone());
            v = st.app.simulate_prices(&auth.s.principal, &input).await?;
        }
    }
    let services: Vec<(String, String)> = v
        .services
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let unit_names: HashMap<String, String> = st
        .app
        .units()
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let note = match &v.cost_source {
        CostSource::Forecast(on) => format!(
            "{} {on}",
            cx.t("helårsprognos gjord", "full-year forecast made on")
        ),
        CostSource::Entered => cx.t("inskriven", "typed in").to_string(),
        CostSource::Missing => cx
            .t(
                "ingen prognos finns; skriv en kostnad",
                "there is no forecast; type a cost",
            )
            .to_string(),
    };
    let r = SimulatorResult {
        unit_name: &v.unit.name,
        as_of: v.as_of,
        months: v.months,
        services: &services,
        cost_ore: v.cost_ore,
        cost_note: &note,
        answer: &v.answer,
        customers: &v.customers,
        unit_names: &unit_names,
    };
    Ok((status, simulator_page(cx, units, &f, Some(&r), error)).into_response())
}

async fn units_of(st: &AppState, auth: &Auth) -> Result<Vec<(String, String)>, PageError> {
    let units: Vec<(String, String)> = st
        .app
        .simulator_units(&auth.s.principal)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    if units.is_empty() {
        return Err(PageError::not_found());
    }
    Ok(units)
}

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let units = units_of(&st, &auth).await?;
    let f = form_of(&q, &units);
    render(&st, &auth, f, &units, None, StatusCode::OK).await
}

pub async fn save(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let auth = &f.auth;
    let units = units_of(&st, auth).await?;
    let mut form = form_of(&f.fields, &units);
    let cx = &auth.cx;
    let Some(input) = input_of(auth, &mut form) else {
        return render(
            &st,
            auth,
            form,
            &units,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let year = f.get("draft_year").trim().parse::<i32>().ok();
    let from = match f.opt("draft_from") {
        None => Ok(None),
        Some(d) => parse_day(d).map(Some).ok_or(()),
    };
    let refused = match (year, from) {
        (Some(year), Ok(from)) => {
            match st
                .app
                .save_simulation(&auth.s.principal, &input, year, from)
                .await
            {
                Ok(id) => {
                    return Ok(
                        Redirect::to(&format!("/billing/prices/drafts/{id}")).into_response()
                    )
                }
                Err(AppError::Invalid(_)) => cx.t(
                    "Utkastet sparades inte: första dagen måste ligga i året, och simuleringen måste ha ett svar.",
                    "The draft was not saved: the first day must be in the year, and the simulation must have an answer.",
                ),
                Err(e) => return Err(e.into()),
            }
        }
        _ => cx.t(
            "Utkastet sparades inte: skriv året som ÅÅÅÅ och dagen som ÅÅÅÅ-MM-DD.",
            "The draft was not saved: write the year as YYYY and the day as YYYY-MM-DD.",
        ),
    };
    render(
        &st,
        auth,
        form,
        &units,
        Some(refused),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
