//! The manager's overview (docs/overview.md): a provider unit's, with moving its cases between
//! agents in bulk; a customer department's; and the choice between them.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::AppError;
use serva_domain::overview::Holder;
use serva_domain::refusal::Refusal;
use serva_domain::UserId;
use serva_views::pages::overview::{
    customer_overview_page, overview_choices_page, unit_overview_page,
};
use serva_views::widgets::urlencode;

use super::parse_id;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

/// `GET /overview`: straight to the one overview a person has, or the list of theirs.
pub async fn choices(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let c = st.app.overview_choices(&auth.s.principal).await?;
    match (c.units.as_slice(), c.departments.as_slice()) {
        ([u], []) => {
            Ok(Redirect::to(&format!("/units/{}/overview", urlencode(&u.code))).into_response())
        }
        ([], [d]) => Ok(
            Redirect::to(&format!("/customers/{}/overview", urlencode(&d.code))).into_response(),
        ),
        (units, departments) => {
            Ok(overview_choices_page(&auth.cx, units, departments).into_response())
        }
    }
}

/// `GET /units/{code}/overview?agent=…`: `agent` (a user id, or `none`) lists that agent's
/// open cases for reassigning; `ok=reassigned&n=…&to=…` says what the last reassignment did.
pub async fn unit(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    let holder = match q.get("agent").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(a) => Some(Holder::parse(a).ok_or_else(|| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                cx.t("Okänd handläggare.", "Unknown agent."),
            )
        })?),
    };
    let o = st
        .app
        .unit_overview(&auth.s.principal, &code, holder)
        .await?;
    let ok = match q.get("ok").map(String::as_str) {
        Some("reassigned") => {
            let n = q
                .get("n")
                .and_then(|n| n.parse::<i64>().ok())
                .filter(|&n| n > 0);
            let to = q
                .get("to")
                .and_then(|t| parse_id(t))
                .and_then(|t| o.agents.iter().find(|a| a.id == UserId(t)));
            match (n, to) {
                (Some(n), Some(to)) => Some(match (cx.lang, n) {
                    (serva_views::Lang::Sv, 1) => {
                        format!("1 ärende tilldelat till {}.", to.display_name)
                    }
                    (serva_views::Lang::Sv, n) => format!(
                        "{} ärenden tilldelade till {}.",
                        serva_domain::format::int(n),
                        to.display_name
                    ),
                    (serva_views::Lang::En, 1) => {
                        format!("1 case assigned to {}.", to.display_name)
                    }
                    (serva_views::Lang::En, n) => format!(
                        "{} cases assigned to {}.",
                        serva_domain::format::int(n),
                        to.display_name
                    ),
                }),
                _ => None,
            }
        }
        _ => None,
    };
    Ok(unit_overview_page(cx, &o, ok.as_deref()).into_response())
}

/// `POST /units/{code}/overview/reassign`: `case` (repeated) and `assignee`. Every case moves,
/// or none does.
pub async fn reassign(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cx = &f.auth.cx;
    let unreadable = || f.unreadable();
    let cases = f.case_ids("case")?;
    let to = match f.opt("assignee") {
        None => {
            return Err(PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                cx.t(
                    "Välj vem ärendena ska tilldelas. Inget ärende har flyttats.",
                    "Choose who gets the cases. No case has been reassigned.",
                ),
            ))
        }
        Some(a) => UserId(parse_id(a).ok_or_else(unreadable)?),
    };
    let done = match st
        .app
        .reassign_cases(&f.auth.s.principal, &code, &cases, to)
        .await
    {
        Ok(done) => done,
        Err(AppError::Refused(r @ (Refusal::NotAgentOfQueue | Refusal::Reassign(_)))) => {
            let mut msg = serva_views::widgets::refusal(cx, r);
            if matches!(r, Refusal::NotAgentOfQueue) {
                msg.push(' ');
                msg.push_str(cx.t("Inget ärende har flyttats.", "No case has been reassigned."));
            }
            return Err(PageError::new(StatusCode::UNPROCESSABLE_ENTITY, msg));
        }
        Err(e) => return Err(e.into()),
    };
    let agent = f
        .opt("agent")
        .and_then(Holder::parse)
        .map(|h| format!("&agent={}", h.as_param()))
        .unwrap_or_default();
    Ok(Redirect::to(&format!(
        "/units/{}/overview?ok=reassigned&n={}&to={}{agent}#flytta",
        urlencode(&done.unit.code),
        done.cases.len(),
        done.to.id
    ))
    .into_response())
}

/// `GET /customers/{code}/overview`.
pub async fn customer(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let o = st.app.customer_overview(&auth.s.principal, &code).await?;
    Ok(customer_overview_page(&auth.cx, &o).into_response())
}
