//! The agent's queues: the overview, one queue's cases, and changing ticked cases in bulk.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::{AppError, ListParams};
use serva_domain::case::CaseStatus;
use serva_domain::refusal::Refusal;
use serva_domain::UserId;
use serva_views::pages::cases::QueueFilters;
use serva_views::pages::queue_work::queue_href;
use serva_views::pages::queues::{queue_page, queues_page};

use super::parse_id;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

pub async fn overview(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let queues = st.app.queues(&auth.s.principal).await?;
    Ok(queues_page(&auth.cx, &queues).into_response())
}

/// `GET /queues/{code}?…`: the list's filters; `changed=…` says how many cases the last bulk
/// change covered.
pub async fn queue(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    let params = ListParams::from_pairs(&q);
    let v = st.app.queue(&auth.s.principal, &code, &params).await?;
    let qf = QueueFilters {
        agents: &v.agents,
        services: &v.services,
    };
    let ok = q
        .get("changed")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|&n| n > 0)
        .map(|n| match (cx.lang, n) {
            (serva_views::Lang::Sv, 1) => "1 ärende ändrat.".to_string(),
            (serva_views::Lang::Sv, n) => {
                format!("{} ärenden ändrade.", serva_domain::format::int(n))
            }
            (serva_views::Lang::En, 1) => "1 case changed.".to_string(),
            (serva_views::Lang::En, n) => {
                format!("{} cases changed.", serva_domain::format::int(n))
            }
        });
    Ok(queue_page(cx, &v.unit, &v.page, &params, &qf, ok.as_deref()).into_response())
}

/// `POST /queues/{code}/bulk`: `case` (repeated), `assignee` and/or `status`, and the list's
/// filters as `back_…` to return to. Every case changes, or none does.
pub async fn bulk(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cx = &f.auth.cx;
    let unreadable = || f.unreadable();
    let cases = f.case_ids("case")?;
    let assignee = match f.opt("assignee") {
        None => None,
        Some(a) => Some(UserId(parse_id(a).ok_or_else(unreadable)?)),
    };
    let status = match f.opt("status") {
        None => None,
        Some(s) => Some(CaseStatus::parse(s).ok_or_else(unreadable)?),
    };
    let done = match st
        .app
        .change_queue_cases(&f.auth.s.principal, &code, &cases, assignee, status)
        .await
    {
        Ok(done) => done,
        Err(AppError::Refused(r @ (Refusal::NotAgentOfQueue | Refusal::BulkChange(_)))) => {
            let mut msg = serva_views::widgets::refusal(cx, r);
            if matches!(r, Refusal::NotAgentOfQueue) {
                msg.push(' ');
                msg.push_str(cx.t("Inget ärende har ändrats.", "No case has been changed."));
            }
            return Err(PageError::new(StatusCode::UNPROCESSABLE_ENTITY, msg));
        }
        Err(e) => return Err(e.into()),
    };
    // Back to the list as it was: its filters rebuilt from known names only.
    let back: HashMap<String, String> = f
        .pairs
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("back_")?.to_string(), v.clone())))
        .collect();
    let list = ListParams::from_pairs(&back);
    let mut params = list.params();
    params.push(("page", list.page.clone()));
    params.push(("changed", done.cases.len().to_string()));
    Ok(Redirect::to(&queue_href(&done.unit, &params)).into_response())
}
