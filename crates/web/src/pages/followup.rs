//! Follow-up pages: forecasts by unit managers, goal assessments and report texts by the
//! administration's head and controllers, with the texts' draft → submitted → approved flow.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::followup::{Assessment, NarrativeStatus};
use serva_domain::org::Unit;
use serva_views::pages::followup::{followup_page, text_page, FollowupLists, FollowupQuery};

use super::parse_id;
use super::reports::{can_approve, can_read, report_params};
use crate::auth::{Auth, Session};
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// A unit's forecast is made by its manager, or by an administrator or controller.
fn can_forecast(s: &Session, unit: &Unit) -> bool {
    s.principal.admin || s.principal.controller || s.principal.manages.contains(&unit.id)
}

/// Goals and texts are written by the administration's head, controllers and administrators.
fn can_write(s: &Session, org: serva_domain::UnitId) -> bool {
    can_read(s, org)
}

async fn org_of(st: &AppState, s: &Session, code: &str) -> Result<Unit, PageError> {
    let unit = st.db.unit_by_code(code).await?;
    if !can_read(s, unit.id)
        && !st
            .db
            .units()
            .await?
            .iter()
            .any(|u| u.parent_id == Some(unit.id) && can_forecast(s, u))
    {
        return Err(PageError::not_found());
    }
    Ok(unit)
}

/// The administration a follow-up form is about, when this person may write its follow-up.
async fn writable_org(st: &AppState, f: &FormPost) -> Result<(Unit, i32, String), PageError> {
    let (org_code, year, through) = params(&f.fields)?;
    let org = org_of(st, &f.auth.s, &org_code).await?;
    if !can_write(&f.auth.s, org.id) {
        return Err(PageError::not_found());
    }
    Ok((org, year, through))
}

fn params(q: &HashMap<String, String>) -> Result<(String, i32, String), PageError> {
    report_params(q).map_err(|m| PageError::new(StatusCode::BAD_REQUEST, m))
}

fn back(org: &str, year: i32, through: &str, ok: &str) -> Redirect {
    Redirect::to(&format!(
        "/followup?org={org}&year={year}&through={through}&ok={ok}"
    ))
}

pub async fn page(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut q = q;
    q.entry("org".into()).or_insert_with(|| "VSS".into());
    q.entry("year".into()).or_insert_with(|| "2019".into());
    q.entry("through".into())
        .or_insert_with(|| "2019-08-31".into());
    let (org, year, through) = params(&q)?;
    let org = org_of(&st, &auth.s, &org).await?;
    render(
        &st,
        &auth,
        &org,
        year,
        &through,
        StatusCode::OK,
        q.get("ok").map(String::as_str),
        None,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    st: &AppState,
    auth: &Auth,
    org: &Unit,
    year: i32,
    through: &str,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let units: Vec<(Unit, bool)> = st
        .db
        .units()
        .await?
        .into_iter()
        .filter(|u| {
            u.parent_id == Some(org.id) && u.valid_to.as_deref().is_none_or(|t| t >= through)
        })
        .map(|u| {
            let e = can_forecast(&auth.s, &u);
            (u, e)
        })
        .collect();
    let forecasts = st.db.forecasts(year, through).await?;
    let goals = st.db.goals_with_assessment(org.id, year, through).await?;
    let texts = st.db.narratives(org.id, through).await?;
    let assignments = st.db.assignment_entries(org.id, year).await?;
    let controls = st.db.control_entries(org.id, year, through).await?;
    let indicators = st.db.indicator_entries(org.id).await?;
    let events = st.db.event_entries(org.id, through).await?;
    let lists = FollowupLists {
        texts: &texts,
        assignments: &assignments,
        controls: &controls,
        indicators: &indicators,
        events: &events,
    };
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
    let fq = FollowupQuery { org, year, through };
    let can_assess = can_write(&auth.s, org.id);
    Ok((
        status,
        followup_page(
            &auth.cx, &fq, &units, &forecasts, &goals, can_assess, &lists, ok, error,
        ),
    )
        .into_response())
}

pub async fn save_forecast(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let (org_code, year, through) = params(&f.fields)?;
    let org = org_of(&st, &f.auth.s, &org_code).await?;
    let unit = st.db.unit_by_code(f.get("unit")).await?;
    if unit.parent_id != Some(org.id) || !can_forecast(&f.auth.s, &unit) {
        return Err(PageError::not_found());
    }
    let cx = &f.auth.cx;
    let amount = |k: &str| serva_domain::format::parse_kronor(f.get(k)).filter(|v| *v >= 0);
    let result = match (amount("revenue"), amount("cost")) {
        (Some(revenue), Some(cost)) => st
            .db
            .save_forecast(
                Some(f.auth.s.user.id),
                unit.id,
                year,
                &through,
                revenue,
                cost,
                f.get("comment"),
            )
            .await
            .map_err(|e| e.to_string()),
        _ => Err(cx
            .t(
                "Intäkter och kostnader ska vara belopp i kronor, till exempel 31 900 000.",
                "Revenue and cost must be amounts in kronor, such as 31 900 000.",
            )
            .to_string()),
    };
    match result {
        Ok(()) => Ok(back(&org.code, year, &through, "forecast").into_response()),
        Err(m) => {
            render(
                &st,
                &f.auth,
                &org,
                year,
                &through,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&m),
            )
            .await
        }
    }
}

pub async fn assess_goal(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let (org, year, through) = writable_org(&st, &f).await?;
    let goal = parse_id(&id).ok_or_else(PageError::not_found)?;
    if !st
        .db
        .goals_with_assessment(org.id, year, &through)
        .await?
        .iter()
        .any(|g| g.id == goal)
    {
        return Err(PageError::not_found());
    }
    let a = Assessment::parse(f.get("assessment"))
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "unknown assessment"))?;
    st.db
        .assess_goal(Some(f.auth.s.user.id), goal, &through, a, f.get("analysis"))
        .await?;
    Ok(back(&org.code, year, &through, "goal").into_response())
}

pub async fn new_text(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let (org, year, through) = writable_org(&st, &f).await?;
    match st
        .db
        .save_narrative(
            Some(f.auth.s.user.id),
            org.id,
            &through,
            f.get("section").trim(),
            f.get("title"),
            f.get("body"),
        )
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/followup/texts/{id}?ok=1")).into_response()),
        Err(serva_store::StoreError::Invalid(m)) => {
            render(
                &st,
                &f.auth,
                &org,
                year,
                &through,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&m),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn text_of(
    st: &AppState,
    s: &Session,
    id: &str,
) -> Result<(Unit, serva_store::followup::NarrativeRow), PageError> {
    let id = parse_id(id).ok_or_else(PageError::not_found)?;
    let (org, row) = st.db.narrative(id).await?;
    let org = st.db.unit(serva_domain::UnitId(org)).await?;
    if !can_write(s, org.id) {
        return Err(PageError::not_found());
    }
    Ok((org, row))
}

pub async fn text(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (org, t) = text_of(&st, &auth.s, &id).await?;
    let history = st.db.narrative_history(t.id).await?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx
            .t("Ändringen är sparad.", "The change has been saved.")
    });
    let back = format!("/followup?org={}#texter", org.code);
    Ok(text_page(
        &auth.cx,
        &t,
        &history,
        &back,
        can_approve(&auth.s, org.id),
        ok,
        None,
    )
    .into_response())
}

pub async fn save_text(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let (org, t) = text_of(&st, &f.auth.s, &id).await?;
    let through = st.db.narrative_through(t.id).await?;
    st.db
        .save_narrative(
            Some(f.auth.s.user.id),
            org.id,
            &through,
            &t.section,
            &t.title,
            f.get("body"),
        )
        .await?;
    Ok(Redirect::to(&format!("/followup/texts/{}?ok=1", t.id)).into_response())
}

pub async fn set_text_status(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let (org, t) = text_of(&st, &f.auth.s, &id).await?;
    let to = NarrativeStatus::parse(f.get("status"))
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "unknown status"))?;
    if to == NarrativeStatus::Approved && !can_approve(&f.auth.s, org.id) {
        return Err(PageError::forbidden());
    }
    st.db
        .set_narrative_status(Some(f.auth.s.user.id), t.id, to)
        .await?;
    Ok(Redirect::to(&format!("/followup/texts/{}?ok=1", t.id)).into_response())
}

pub async fn set_assignment(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let (org, year, through) = writable_org(&st, &f).await?;
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    if !st
        .db
        .assignment_entries(org.id, year)
        .await?
        .iter()
        .any(|a| a.id == id)
    {
        return Err(PageError::not_found());
    }
    let status = serva_domain::followup::AssignmentStatus::parse(f.get("status"))
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "unknown status"))?;
    st.db
        .set_assignment(Some(f.auth.s.user.id), id, status, f.get("comment"))
        .await?;
    Ok(back(&org.code, year, &through, "assignment").into_response())
}

pub async fn set_control(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let (org, year, through) = writable_org(&st, &f).await?;
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    if !st
        .db
        .control_entries(org.id, year, &through)
        .await?
        .iter()
        .any(|c| c.id == id)
    {
        return Err(PageError::not_found());
    }
    let result =
        serva_domain::followup::ControlResult::parse(f.get("result")).ok_or_else(|| {
            PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                f.auth.cx.t("Välj ett resultat.", "Choose a result."),
            )
        })?;
    st.db
        .set_control_result(
            Some(f.auth.s.user.id),
            id,
            &through,
            result,
            f.get("findings"),
            f.get("actions"),
            f.get("carries_over") == "true",
        )
        .await?;
    Ok(back(&org.code, year, &through, "control").into_response())
}

pub async fn set_indicator_value(
    State(st): State<AppState>,
    f: FormPost,
) -> Result<Response, PageError> {
    let (org, year, through) = writable_org(&st, &f).await?;
    let indicators = st.db.indicator_entries(org.id).await?;
    let ind = indicators
        .iter()
        .find(|i| i.code == f.get("indicator"))
        .ok_or_else(PageError::not_found)?;
    let cx = &f.auth.cx;
    let number = |k: &str| match f.opt(k) {
        None => Ok(None),
        Some(v) => serva_domain::catalogue::parse_number(v).map(Some).ok_or(()),
    };
    let period = f.get("period").trim();
    let valid_period = matches!(period.len(), 4 | 7 | 8)
        && period
            .get(..4)
            .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()));
    let result = match (
        serva_domain::followup::Gender::parse(f.get("gender")),
        number("value"),
        number("target"),
    ) {
        (Some(g), Ok(value), Ok(target)) if valid_period => st
            .db
            .set_indicator_value(Some(f.auth.s.user.id), ind.id, period, g, value, target)
            .await
            .map_err(|e| e.to_string()),
        _ => Err(cx
            .t(
                "Ange en period som 2019 eller 2019-08, kön och värden som tal.",
                "Enter a period such as 2019 or 2019-08, a gender and numbers.",
            )
            .to_string()),
    };
    match result {
        Ok(()) => Ok(back(&org.code, year, &through, "indicator").into_response()),
        Err(m) => {
            render(
                &st,
                &f.auth,
                &org,
                year,
                &through,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&m),
            )
            .await
        }
    }
}

pub async fn add_event(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let (org, year, through) = writable_org(&st, &f).await?;
    match st
        .db
        .add_event(
            Some(f.auth.s.user.id),
            org.id,
            &through,
            f.get("decision") == "true",
            f.get("body"),
        )
        .await
    {
        Ok(()) => Ok(back(&org.code, year, &through, "event").into_response()),
        Err(serva_store::StoreError::Invalid(m)) => {
            render(
                &st,
                &f.auth,
                &org,
                year,
                &through,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&m),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_event(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let (org, year, through) = writable_org(&st, &f).await?;
    let id = parse_id(&id).ok_or_else(PageError::not_found)?;
    st.db
        .delete_event(Some(f.auth.s.user.id), org.id, id)
        .await?;
    Ok(back(&org.code, year, &through, "event").into_response())
}
