//! Case pages: my cases, one case, work on it, and the agent's contact registration.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::{AppError, AssigneeRef, CaseUpdate, ListParams, ListScope};
use serva_domain::case::CaseStatus;
use serva_domain::refusal::Refusal;
use serva_domain::{CaseId, UserId};
use serva_views::pages::cases::{case_page, CaseView};
use serva_views::pages::my_cases::{my_cases_page, MyCases, MyList, ALL_STATUSES};
use serva_views::Ctx;

use super::parse_id;
use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

fn ok_text(cx: &Ctx, key: Option<&String>) -> Option<&'static str> {
    match key.map(String::as_str) {
        Some("created") => Some(cx.t("Ärendet är skapat.", "The case has been created.")),
        Some("registered") => Some(cx.t(
            "Kontakten är registrerad.",
            "The contact has been registered.",
        )),
        Some("message") => Some(cx.t("Meddelandet är skickat.", "The message has been sent.")),
        Some("status") => Some(cx.t("Status är ändrad.", "The status has been changed.")),
        Some("assigned") => {
            Some(cx.t("Tilldelningen är sparad.", "The assignment has been saved."))
        }
        Some("survey") => Some(cx.t("Tack för ditt svar!", "Thank you for your answer!")),
        Some("attached") => Some(cx.t("Filen är bifogad.", "The file has been attached.")),
        Some("handoff") => Some(cx.t("Ärendet är överlämnat.", "The case has been handed off.")),
        _ => None,
    }
}

fn case_id(id: &str) -> Result<CaseId, PageError> {
    parse_id(id).map(CaseId).ok_or_else(PageError::not_found)
}

/// `GET /cases`: "Mina ärenden". `list=assigned` (the default for someone who works queues)
/// lists the cases assigned to the person, open ones only unless `status` says otherwise
/// (`status=all` for every one), the earliest due first; `list=ordered` the cases they ordered.
pub async fn my_cases(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    let works = p.is_agent();
    let list = match q.get("list").map(String::as_str) {
        None | Some("") if works => MyList::Assigned,
        None | Some("") => MyList::Ordered,
        Some(l) => MyList::parse(l).ok_or_else(|| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                auth.cx.t("Okänd lista.", "Unknown list."),
            )
        })?,
    };
    let mut shown = ListParams::from_pairs(&q);
    let mut params = shown.clone();
    let scope = match list {
        MyList::Ordered => ListScope::Own,
        MyList::Assigned => {
            if !q.contains_key("status") {
                shown.status = "active".to_string();
            }
            if shown.sort.is_empty() {
                shown.sort = "due".to_string();
            }
            params.status = match shown.status.as_str() {
                ALL_STATUSES => String::new(),
                s => s.to_string(),
            };
            params.sort = shown.sort.clone();
            ListScope::Assigned
        }
    };
    let page = st.app.list_cases(p, scope, &params).await?;
    Ok(my_cases_page(
        &auth.cx,
        &MyCases {
            list,
            works,
            oversees: !p.oversees.is_empty(),
            cases: &page,
            q: &shown,
            ok: ok_text(&auth.cx, q.get("ok")),
        },
    )
    .into_response())
}

pub async fn view(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let ok = ok_text(&auth.cx, q.get("ok"));
    render_case(&st, &auth, case_id(&id)?, ok, None).await
}

/// The case page, with a notice of what was done or what was wrong.
pub(crate) async fn render_case(
    st: &AppState,
    auth: &Auth,
    id: CaseId,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let d = st.app.case_detail(&auth.s.principal, id).await?;
    let handoff = if d.rights.can_work {
        Some(st.app.handoff_options(&auth.s.principal, d.case.id).await?)
    } else {
        None
    };
    let survey = st
        .app
        .survey_panel(
            &auth.s.principal,
            &d.case,
            Some(serva_domain::survey::Via::Page),
        )
        .await?;
    let v = CaseView {
        survey: &survey,
        now: serva_domain::time::now_ms(),
        case: &d.case,
        fields: &d.service.form,
        messages: &d.messages,
        history: &d.history,
        sla: &d.sla,
        agents: &d.agents,
        rights: d.rights,
        contact_cases: &d.contact_cases,
        attachments: &d.attachments,
        mail_html: &d.mail_html,
        ok,
        error,
        handoff: handoff
            .as_ref()
            .map(|h| serva_views::pages::handoff::HandoffPanel {
                handoffs: &h.handoffs,
                targets: &h.targets,
                back_to: h.back_to.as_ref().map(|(_, name)| name.as_str()),
            }),
    };
    Ok(case_page(&auth.cx, &v).into_response())
}

pub async fn add_message(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let p = &f.auth.s.principal;
    let case = st.app.visible_case(p, cid).await?;
    let internal = match f.get("internal") {
        "" | "false" => false,
        "true" if p.can_work_case(&case.scope()) => true,
        "true" => return Err(PageError::forbidden()),
        _ => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                "internal must be true or false",
            ))
        }
    };
    // Said in the person's language; the application layer applies the same rule.
    if let Err(e) = serva_domain::case::clean_text(f.get("body"), serva_domain::case::TEXT_MAX) {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            super::portal::text_problem(&f.auth.cx, &e),
        ));
    }
    st.app.add_message(p, cid, f.get("body"), internal).await?;
    Ok(Redirect::to(&format!("/cases/{}?ok=message", cid.0)).into_response())
}

pub async fn set_status(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let p = &f.auth.s.principal;
    let case = st.app.case_to_work(p, cid).await?;
    let to = CaseStatus::parse(f.get("status")).ok_or_else(|| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            f.auth.cx.t("Okänd status.", "Unknown status."),
        )
    })?;
    if to == case.status {
        return Ok(Redirect::to(&format!("/cases/{}", cid.0)).into_response());
    }
    let update = CaseUpdate {
        status: Some(to),
        assignee: None,
    };
    st.app.update_case(p, cid, &update).await?;
    Ok(Redirect::to(&format!("/cases/{}?ok=status", cid.0)).into_response())
}

pub async fn assign(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let p = &f.auth.s.principal;
    st.app.case_to_work(p, cid).await?;
    let to = match f.opt("assignee") {
        None => None,
        Some(a) => Some(AssigneeRef::Id(UserId(parse_id(a).ok_or_else(|| {
            PageError::new(StatusCode::BAD_REQUEST, "bad assignee")
        })?))),
    };
    let update = CaseUpdate {
        status: None,
        assignee: Some(to),
    };
    match st.app.update_case(p, cid, &update).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{}?ok=assigned", cid.0)).into_response()),
        Err(AppError::Refused(r @ Refusal::NotAgentOfQueue)) => Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            serva_views::widgets::refusal(&f.auth.cx, r),
        )),
        Err(e) => Err(e.into()),
    }
}
