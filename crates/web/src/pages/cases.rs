//! Case pages: my cases, one case, work on it, and the agent's contact registration.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::CaseWorkInput;
use serva_app::{AppError, AssigneeRef, CaseUpdate, ListParams, ListScope};
use serva_domain::case::CaseStatus;
use serva_domain::refusal::Refusal;
use serva_domain::{CaseId, UserId};
use serva_views::pages::cases::{case_page, CaseForm, CaseView, QueueNav, ReopenForm, KEEP};
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
        Some("worked") => Some(cx.t("Ändringarna är sparade.", "The changes have been saved.")),
        Some("time") => Some(cx.t("Tiden är sparad.", "The time has been saved.")),
        Some("time_deleted") => Some(cx.t("Tiden är borttagen.", "The time has been deleted.")),
        Some("subscription") => Some(cx.t(
            "Abonnemanget är ändrat.",
            "The subscription has been changed.",
        )),
        Some("reopened") => Some(cx.t(
            "Ärendet är öppnat igen. Handläggaren har fått ditt meddelande.",
            "The case has been reopened. The agent has your message.",
        )),
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
    let mut extras = CasePageState {
        from: q.get("from").cloned(),
        ..CasePageState::default()
    };
    extras.time.editing = q.get("edit_time").and_then(|e| parse_id(e));
    render_case_with(&st, &auth, case_id(&id)?, ok, None, &extras).await
}

/// What the case page shows besides the case: the forms as typed, and the queue it was
/// opened from (`?from=CODE`).
#[derive(Debug, Clone)]
pub(crate) struct CasePageState {
    pub form: CaseForm,
    pub reopen: ReopenForm,
    pub from: Option<String>,
    /// The billing sections' forms as typed (`case_billing`).
    pub time: serva_views::pages::case_billing::TimeForm,
    pub subscription: serva_views::pages::case_billing::SubscriptionForm,
}

impl Default for CasePageState {
    fn default() -> Self {
        CasePageState {
            form: CaseForm::keep(),
            reopen: ReopenForm::default(),
            from: None,
            time: Default::default(),
            subscription: Default::default(),
        }
    }
}

/// The case page, with a notice of what was done or what was wrong.
pub(crate) async fn render_case(
    st: &AppState,
    auth: &Auth,
    id: CaseId,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    render_case_with(st, auth, id, ok, error, &CasePageState::default()).await
}

pub(crate) async fn render_case_with(
    st: &AppState,
    auth: &Auth,
    id: CaseId,
    ok: Option<&str>,
    error: Option<&str>,
    state: &CasePageState,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    let d = st.app.case_detail(p, id).await?;
    let handoff = if d.rights.can_work {
        Some(st.app.handoff_options(p, d.case.id).await?)
    } else {
        None
    };
    let survey = st
        .app
        .survey_panel(p, &d.case, Some(serva_domain::survey::Via::Page))
        .await?;
    let templates = st.app.templates_for_case(p, &d.case).await?;
    // Back to the queue the agent came from if they work it, else the case's own queue.
    let queue_unit = if d.rights.can_work {
        st.app.case_queue(p, state.from.as_deref(), &d.case).await?
    } else {
        None
    };
    let next = match &queue_unit {
        Some(u) => st.app.next_in_queue(p, u.id, d.case.id).await?,
        None => None,
    };
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
        form: &state.form,
        templates: &templates,
        queue: queue_unit.as_ref().map(|u| QueueNav {
            code: &u.code,
            name: &u.name,
            next,
        }),
        seen_before: d.seen_before,
        reopen: &state.reopen,
        billing: super::case_billing::sections(st, auth, &d.case, state).await?,
    };
    Ok(case_page(&auth.cx, &v).into_response())
}

/// `POST /cases/{id}/work`: the agent's one-step form. `use_template` fills the chosen
/// template's text in and shows the form again; otherwise the message, status and assignee
/// are saved together. A problem shows the form again as typed.
pub async fn work(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let p = &f.auth.s.principal;
    let cx = &f.auth.cx;
    let case = st.app.case_to_work(p, cid).await?;
    let mut state = CasePageState {
        form: CaseForm {
            body: f.get("body").to_string(),
            internal: f.get("internal") == "true",
            status: f.get("status").trim().to_string(),
            assignee: f.get("assignee").trim().to_string(),
            template: f.get("template").trim().to_string(),
            body_error: None,
        },
        reopen: ReopenForm::default(),
        from: f.opt("from").map(str::to_string),
        ..CasePageState::default()
    };
    if f.get("use_template") == "1" {
        let templates = st.app.templates_for_case(p, &case).await?;
        match templates
            .iter()
            .find(|(t, _)| t.id.to_string() == state.form.template)
        {
            Some((_, text)) => {
                state.form.body = text.clone();
                let page = render_case_with(&st, &f.auth, cid, None, None, &state).await?;
                return Ok(page);
            }
            None => {
                let msg = cx.t("Välj en mall först.", "Choose a template first.");
                return again(&st, &f.auth, cid, state, Some(msg.to_string())).await;
            }
        }
    }
    let internal = match f.get("internal") {
        "" | "false" => false,
        "true" => true,
        _ => return Err(f.unreadable()),
    };
    let status = match state.form.status.as_str() {
        "" => None,
        s => Some(CaseStatus::parse(s).ok_or_else(|| f.unreadable())?),
    };
    let assignee = match state.form.assignee.as_str() {
        KEEP => None,
        "" => Some(None),
        a => Some(Some(AssigneeRef::Id(UserId(
            parse_id(a).ok_or_else(|| f.unreadable())?,
        )))),
    };
    let body = state.form.body.clone();
    if !body.trim().is_empty() {
        if let Err(e) = serva_domain::case::clean_text(&body, serva_domain::case::TEXT_MAX) {
            state.form.body_error = Some(super::portal::text_problem(cx, &e));
            let msg = cx.t("Inget är sparat ännu.", "Nothing has been saved yet.");
            return again(&st, &f.auth, cid, state, Some(msg.to_string())).await;
        }
    }
    if body.trim().is_empty() && status.is_none() && assignee.is_none() {
        state.form.body_error = Some(
            cx.t(
                "Skriv ett meddelande eller välj en ny status eller handläggare.",
                "Write a message or choose a new status or assignee.",
            )
            .to_string(),
        );
        return again(&st, &f.auth, cid, state, None).await;
    }
    let input = CaseWorkInput {
        body,
        internal,
        status,
        assignee,
    };
    match st.app.work_case(p, cid, &input).await {
        Ok(_) => {
            let back = match &state.from {
                Some(code) => format!(
                    "/cases/{}?ok=worked&from={}",
                    cid.0,
                    serva_views::widgets::urlencode(code)
                ),
                None => format!("/cases/{}?ok=worked", cid.0),
            };
            Ok(Redirect::to(&back).into_response())
        }
        Err(AppError::Refused(r)) => {
            let msg = format!(
                "{} {}",
                serva_views::widgets::refusal(cx, r),
                cx.t("Inget är sparat.", "Nothing has been saved.")
            );
            again(&st, &f.auth, cid, state, Some(msg)).await
        }
        Err(AppError::Invalid(m)) => again(&st, &f.auth, cid, state, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

/// The case page again with the agent's form as typed and what was wrong.
async fn again(
    st: &AppState,
    auth: &Auth,
    cid: CaseId,
    state: CasePageState,
    error: Option<String>,
) -> Result<Response, PageError> {
    let page = render_case_with(st, auth, cid, None, error.as_deref(), &state).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /cases/{id}/reopen`: the customer reopens their resolved case; the reason is required.
pub async fn reopen(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = case_id(&id)?;
    let p = &f.auth.s.principal;
    let cx = &f.auth.cx;
    let reason = f.get("reason");
    if let Err(e) = serva_domain::case::clean_text(reason, serva_domain::case::TEXT_MAX) {
        // Said beside the field, with what was typed kept.
        let state = CasePageState {
            reopen: ReopenForm {
                reason: reason.to_string(),
                error: Some(super::portal::text_problem(cx, &e)),
            },
            ..CasePageState::default()
        };
        // Only someone who may reopen sees the form again; others get the refusal below.
        st.app.visible_case(p, cid).await?;
        let page = render_case_with(&st, &f.auth, cid, None, None, &state).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    match st.app.reopen_case(p, cid, reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{}?ok=reopened", cid.0)).into_response()),
        Err(AppError::Refused(r)) => {
            let msg = serva_views::widgets::refusal(cx, r);
            let page = render_case(&st, &f.auth, cid, None, Some(&msg)).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
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
