//! Follow-up pages: forecasts by unit managers, goal assessments and report texts by the
//! administration's head and controllers, with the texts' draft → submitted → approved flow.
//! The rules are in the application layer (`serva_app`); here forms are read and pages shown.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::followup::{ControlResultInput, IndicatorValueInput};
use serva_app::AppError;
use serva_domain::followup::{
    Assessment, AssignmentStatus, ControlResult, Gender, NarrativeStatus,
};
use serva_domain::report::ReportParams;
use serva_views::pages::followup::{followup_page, text_page};

use super::parse_id;
use super::reports::params;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

fn back(q: &ReportParams, ok: &str) -> Response {
    Redirect::to(&format!("/followup?{}&ok={ok}", q.query())).into_response()
}

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).map(String::as_str);
    let rq = st
        .app
        .followup_params(&auth.s.principal, get("org"), get("year"), get("through"))
        .await?;
    render(&st, &auth, &rq, StatusCode::OK, get("ok"), None).await
}

/// The page again with what was refused, said in the person's language.
async fn refuse(
    st: &AppState,
    f: &FormPost,
    q: &ReportParams,
    message: &str,
) -> Result<Response, PageError> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render(st, &f.auth, q, status, None, Some(message)).await
}

async fn render(
    st: &AppState,
    auth: &Auth,
    q: &ReportParams,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let overview = st.app.followup(&auth.s.principal, q).await?;
    let ok = ok.map(|k| match k {
        "forecast" => auth
            .cx
            .t("Prognosen är sparad.", "The forecast has been saved."),
        "goal" => auth
            .cx
            .t("Bedömningen är sparad.", "The assessment has been saved."),
        _ => auth
            .cx
            .t("Ändringen är sparad.", "The change has been saved."),
    });
    let frozen = st.app.approved_dates_reached(q).await?;
    Ok((
        status,
        followup_page(&auth.cx, &overview, ok, error, &frozen),
    )
        .into_response())
}

/// After a change: back to the page, or the page again with the error when the change broke a
/// rule the person can put right.
async fn after(
    st: &AppState,
    f: &FormPost,
    q: &ReportParams,
    result: Result<(), AppError>,
    ok: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(back(q, ok)),
        Err(AppError::Invalid(m)) => refuse(st, f, q, &m).await,
        Err(AppError::Refused(r)) => {
            refuse(st, f, q, &serva_views::widgets::refusal(&f.auth.cx, r)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save_forecast(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let q = params(&f.fields)?;
    let amount = |k: &str| serva_domain::format::parse_kronor(f.get(k)).filter(|v| *v >= 0);
    let (Some(revenue), Some(cost)) = (amount("revenue"), amount("cost")) else {
        let m = f.auth.cx.t(
            "Intäkter och kostnader ska vara belopp i kronor, till exempel 31 900 000.",
            "Revenue and cost must be amounts in kronor, such as 31 900 000.",
        );
        return refuse(&st, &f, &q, m).await;
    };
    let result = st
        .app
        .save_forecast(
            &f.auth.s.principal,
            &q,
            f.get("unit"),
            revenue,
            cost,
            f.get("comment"),
        )
        .await;
    after(&st, &f, &q, result, "forecast").await
}

pub async fn assess_goal(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let q = params(&f.fields)?;
    let goal = parse_id(&id).ok_or_else(PageError::not_found)?;
    let a = Assessment::parse(f.get("assessment"))
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "unknown assessment"))?;
    st.app
        .assess_goal(&f.auth.s.principal, &q, goal, a, f.get("analysis"))
        .await?;
    Ok(back(&q, "goal"))
}

pub async fn new_text(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let q = params(&f.fields)?;
    let saved = st
        .app
        .new_text(
            &f.auth.s.principal,
            &q,
            f.get("section"),
            f.get("title"),
            f.get("body"),
        )
        .await;
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/followup/texts/{id}?ok=1")).into_response()),
        Err(e) => after(&st, &f, &q, Err(e), "").await,
    }
}

pub async fn text(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    let page = st.app.text(&auth.s.principal, id).await?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx
            .t("Ändringen är sparad.", "The change has been saved.")
    });
    let back = format!("/followup?org={}#texter", page.org_code);
    let frozen = st.app.text_approved_dates(&auth.s.principal, id).await?;
    Ok(text_page(&auth.cx, &page, &back, ok, None, &frozen).into_response())
}

pub async fn save_text(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    st.app
        .save_text(&f.auth.s.principal, id, f.get("body"))
        .await?;
    Ok(Redirect::to(&format!("/followup/texts/{id}?ok=1")).into_response())
}

pub async fn set_text_status(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    let to = NarrativeStatus::parse(f.get("status"))
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "unknown status"))?;
    st.app.set_text_status(&f.auth.s.principal, id, to).await?;
    Ok(Redirect::to(&format!("/followup/texts/{id}?ok=1")).into_response())
}

pub async fn set_assignment(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let q = params(&f.fields)?;
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    let status = AssignmentStatus::parse(f.get("status"))
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "unknown status"))?;
    st.app
        .set_assignment(&f.auth.s.principal, &q, id, status, f.get("comment"))
        .await?;
    Ok(back(&q, "assignment"))
}

pub async fn set_control(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let q = params(&f.fields)?;
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    let result = ControlResult::parse(f.get("result")).ok_or_else(|| {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            f.auth.cx.t("Välj ett resultat.", "Choose a result."),
        )
    })?;
    let input = ControlResultInput {
        result,
        findings: f.get("findings").to_string(),
        actions: f.get("actions").to_string(),
        carries_over: f.get("carries_over") == "true",
    };
    st.app
        .set_control_result(&f.auth.s.principal, &q, id, &input)
        .await?;
    Ok(back(&q, "control"))
}

pub async fn set_indicator_value(
    State(st): State<AppState>,
    f: FormPost,
) -> Result<Response, PageError> {
    let q = params(&f.fields)?;
    let number = |k: &str| match f.opt(k) {
        None => Ok(None),
        Some(v) => serva_domain::catalogue::parse_number(v).map(Some).ok_or(()),
    };
    // The period is checked by the application layer, with the rule imports use.
    let (Some(gender), Ok(value), Ok(target)) = (
        Gender::parse(f.get("gender")),
        number("value"),
        number("target"),
    ) else {
        let m = f.auth.cx.t(
            "Välj kön och ange värden som tal.",
            "Choose a gender and enter the values as numbers.",
        );
        return refuse(&st, &f, &q, m).await;
    };
    let input = IndicatorValueInput {
        period: f.get("period").to_string(),
        gender,
        value,
        target,
    };
    let result = st
        .app
        .set_indicator_value(&f.auth.s.principal, &q, f.get("indicator"), &input)
        .await;
    after(&st, &f, &q, result, "indicator").await
}

pub async fn add_event(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let q = params(&f.fields)?;
    let result = st
        .app
        .add_event(
            &f.auth.s.principal,
            &q,
            f.get("decision") == "true",
            f.get("body"),
        )
        .await;
    after(&st, &f, &q, result, "event").await
}

pub async fn delete_event(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let q = params(&f.fields)?;
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    st.app.delete_event(&f.auth.s.principal, &q, id).await?;
    Ok(back(&q, "event"))
}
