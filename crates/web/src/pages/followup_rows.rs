//! Follow-up rows in forms: the form that adds or changes a row of a kind (budget, forecast,
//! investments, indicators, indicator_values, goals, staff, assignments, controls), the save,
//! and the question asked before a delete. HTTP only; the rules are `serva_app::followup_rows`.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serva_app::followup_rows::RowRefusal;
use serva_domain::report::ReportParams;
use serva_views::pages::followup_rows::{
    delete_page, field_message, fields, row_anchor, row_form_page, section_of, Choices, RowForm,
};

use super::reports::params;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// The follow-up a row form belongs to, under names of its own: a row has a `year` too.
fn hidden(q: &ReportParams) -> Markup {
    html! {
        input type="hidden" name="fu_org" value=(q.org);
        input type="hidden" name="fu_year" value=(q.year);
        input type="hidden" name="fu_through" value=(q.through_text());
    }
}

/// The follow-up a posted row form belongs to.
fn posted_params(f: &FormPost) -> Result<ReportParams, PageError> {
    let q: HashMap<String, String> = ["org", "year", "through"]
        .iter()
        .map(|k| (k.to_string(), f.get(&format!("fu_{k}")).to_string()))
        .collect();
    params(&q)
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    st: &AppState,
    auth: &Auth,
    q: &ReportParams,
    kind: &str,
    key: Option<&str>,
    values: &BTreeMap<String, String>,
    refusal: Option<RowRefusal>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let list = st.app.followup_rows(&auth.s.principal, q, kind).await?;
    let (error, exists) = match &refusal {
        Some(RowRefusal::Field { column, message }) => {
            let f = fields(kind).iter().find(|f| f.col == column.as_str());
            let shown = match f {
                Some(f) => field_message(
                    &auth.cx,
                    f,
                    values.get(column.as_str()).map_or("", |v| v.trim()),
                    message,
                ),
                None => message.clone(),
            };
            (Some((column.as_str(), shown)), None)
        }
        Some(RowRefusal::Exists { key }) => (None, Some(key.as_str())),
        None => (None, None),
    };
    let form = RowForm {
        kind,
        key,
        values,
        error,
        exists,
    };
    let choices = Choices {
        units: &list.units,
        indicators: &list.indicators,
    };
    Ok((
        status,
        row_form_page(&auth.cx, &q.query(), hidden(q), &form, &choices),
    )
        .into_response())
}

pub async fn new(
    State(st): State<AppState>,
    auth: Auth,
    Path(kind): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let rq = params(&q)?;
    // A new row starts in the follow-up's year (and, for a forecast, on its date).
    let mut values = BTreeMap::new();
    values.insert("year".to_string(), rq.year.to_string());
    values.insert("through".to_string(), rq.through_text());
    values.insert("period".to_string(), rq.through_text()[..7].to_string());
    values.insert("unit".to_string(), rq.org.clone());
    values.insert("gender".to_string(), "T".to_string());
    form_page(&st, &auth, &rq, &kind, None, &values, None, StatusCode::OK).await
}

pub async fn edit(
    State(st): State<AppState>,
    auth: Auth,
    Path(kind): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let rq = params(&q)?;
    let key = q.get("key").map(String::as_str).unwrap_or("");
    let row = st
        .app
        .followup_row(&auth.s.principal, &rq, &kind, key)
        .await?;
    form_page(
        &st,
        &auth,
        &rq,
        &kind,
        Some(key),
        &row.fields,
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn save(
    State(st): State<AppState>,
    Path(kind): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let q = posted_params(&f)?;
    let key = f.opt("key").filter(|k| !k.is_empty());
    let values: BTreeMap<String, String> = fields(&kind)
        .iter()
        .map(|fd| (fd.col.to_string(), f.get(fd.col).to_string()))
        .collect();
    let pairs: Vec<(String, String)> = values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    match st
        .app
        .save_followup_row(&f.auth.s.principal, &q, &kind, key, &pairs)
        .await?
    {
        Ok(saved) => Ok(Redirect::to(&format!(
            "/followup/{}?{}&ok=saved#{}",
            section_of(&kind),
            q.query(),
            row_anchor(&kind, &saved)
        ))
        .into_response()),
        Err(refusal) => {
            form_page(
                &st,
                &f.auth,
                &q,
                &kind,
                key,
                &values,
                Some(refusal),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn confirm_delete(
    State(st): State<AppState>,
    auth: Auth,
    Path(kind): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let rq = params(&q)?;
    let key = q.get("key").map(String::as_str).unwrap_or("");
    let row = st
        .app
        .followup_row(&auth.s.principal, &rq, &kind, key)
        .await?;
    Ok(delete_page(&auth.cx, &rq.query(), hidden(&rq), &row).into_response())
}

pub async fn delete(
    State(st): State<AppState>,
    Path(kind): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let q = posted_params(&f)?;
    st.app
        .delete_followup_row(&f.auth.s.principal, &q, &kind, f.get("key"))
        .await?;
    Ok(Redirect::to(&format!(
        "/followup/{}?{}&ok=deleted",
        section_of(&kind),
        q.query()
    ))
    .into_response())
}

/// The carry-over: the two dates, and once both are given what would be copied.
pub async fn carry_over_form(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let rq = params(&q)?;
    let p = &auth.s.principal;
    let to = q.get("to").cloned().unwrap_or_else(|| rq.through_text());
    let from = match q.get("from") {
        Some(f) => f.clone(),
        // The latest earlier date with texts or events.
        None => st
            .app
            .text_dates(p, &rq.org)
            .await?
            .into_iter()
            .find(|d| *d < to)
            .unwrap_or_default(),
    };
    let through = rq.through_text();
    let mut error = None;
    let mut plan = None;
    if q.contains_key("from") {
        let bad = |s: &str| serva_domain::time::parse_day(s).is_none();
        let msg = auth.cx.t(
            "Skriv ett datum som ÅÅÅÅ-MM-DD.",
            "Enter a date as YYYY-MM-DD.",
        );
        if bad(&from) {
            error = Some(("from", msg));
        } else if bad(&to) {
            error = Some(("to", msg));
        } else if serva_domain::time::parse_day(&from) == serva_domain::time::parse_day(&to) {
            error = Some((
                "to",
                auth.cx.t(
                    "Välj ett annat datum än det du för över från.",
                    "Choose a date other than the one carried over from.",
                ),
            ));
        } else {
            plan = Some(st.app.carry_over_plan(p, &rq.org, &from, &to).await?);
        }
    } else {
        // The person may write this follow-up, or the page is not there.
        st.app.text_dates(p, &rq.org).await?;
    }
    let form = serva_views::pages::carry_over::CarryOverForm {
        org: &rq.org,
        year: rq.year,
        through: &through,
        from: &from,
        to: &to,
        error,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        serva_views::pages::carry_over::carry_over_page(&auth.cx, &form, plan.as_ref()),
    )
        .into_response())
}

pub async fn carry_over(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    let plan = st
        .app
        .carry_over(
            &f.auth.s.principal,
            f.get("org"),
            f.get("from"),
            f.get("to"),
        )
        .await?;
    Ok(Redirect::to(&format!(
        "/followup/texts?org={}&year={}&through={}&ok=carried#texter",
        plan.org.code,
        &plan.to[..4],
        plan.to
    ))
    .into_response())
}
