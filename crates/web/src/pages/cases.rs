//! Case pages: my cases, one case, work on it, and the agent's contact registration.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::case::{clean_text, CaseStatus, Channel, TEXT_MAX};
use serva_domain::org::UnitKind;
use serva_domain::role::TargetGroup;
use serva_domain::sla;
use serva_domain::{CaseId, ServiceId, UnitId, UserId};
use serva_store::cases::{
    status_changes, AssigneeFilter, CaseFilter, CaseSort, StatusFilter, Visibility,
};
use serva_store::catalogue::ServiceFilter;
use serva_views::pages::cases::{
    case_page, contact_page, my_cases_page, CaseRights, CaseView, ContactInput, ListQuery,
};

use super::parse_id;
use crate::auth::{Auth, Session};
use crate::error::PageError;
use crate::forms::FormPost;
use crate::intake::{intake, visible_case, IntakeError, IntakeRequest};
use crate::AppState;

/// Reads list filters from the query string; unknown values are refused rather than ignored.
pub fn list_filter(
    s: &Session,
    q: &HashMap<String, String>,
    visibility: Visibility,
) -> Result<(CaseFilter, ListQuery), String> {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let lq = ListQuery {
        q: get("q"),
        status: get("status"),
        sort: get("sort"),
        assignee: get("assignee"),
        service: get("service"),
        channel: get("channel"),
    };
    let mut f = CaseFilter::new(visibility);
    f.query = (!lq.q.is_empty()).then(|| lq.q.clone());
    f.status = match lq.status.as_str() {
        "" => None,
        "active" => Some(StatusFilter::Active),
        s => Some(StatusFilter::Is(
            CaseStatus::parse(s).ok_or(format!("unknown status {s:?}"))?,
        )),
    };
    f.sort = match lq.sort.as_str() {
        "" => CaseSort::Newest,
        s => CaseSort::parse(s).ok_or(format!("unknown sort {s:?}"))?,
    };
    f.assignee = match lq.assignee.as_str() {
        "" => None,
        "none" => Some(AssigneeFilter::Unassigned),
        "me" => Some(AssigneeFilter::User(s.user.uid())),
        id => Some(AssigneeFilter::User(UserId(
            parse_id(id).ok_or(format!("unknown assignee {id:?}"))?,
        ))),
    };
    f.channel = match lq.channel.as_str() {
        "" => None,
        c => Some(Channel::parse(c).ok_or(format!("unknown channel {c:?}"))?),
    };
    f.page = match get("page").as_str() {
        "" => 1,
        p => p
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or(format!("bad page {p:?}"))?,
    };
    if let Some(pp) = q.get("per_page") {
        f.per_page = pp
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=200).contains(p))
            .ok_or(format!("per_page must be 1–200, got {pp:?}"))?;
    }
    Ok((f, lq))
}

fn ok_text(cx: &serva_views::Ctx, key: Option<&String>) -> Option<&'static str> {
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
        _ => None,
    }
}

pub async fn my_cases(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    let mut oversees: Vec<i64> = p.oversees.iter().map(|u| u.0).collect();
    oversees.sort_unstable();
    let vis = Visibility::Restricted {
        units: vec![],
        customer_units: oversees,
        requester: Some(auth.s.user.id),
    };
    let (filter, lq) =
        list_filter(&auth.s, &q, vis).map_err(|m| PageError::new(StatusCode::BAD_REQUEST, m))?;
    let page = st.db.list_cases(&filter).await?;
    let title = if p.oversees.is_empty() {
        auth.cx.t("Mina ärenden", "My cases")
    } else {
        auth.cx.t(
            "Mina och förvaltningens ärenden",
            "My and my department's cases",
        )
    };
    Ok(my_cases_page(&auth.cx, title, &page, &lq, ok_text(&auth.cx, q.get("ok"))).into_response())
}

pub async fn view(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id = CaseId(parse_id(&id).ok_or_else(PageError::not_found)?);
    let case = visible_case(&st.db, &auth.s, id)
        .await?
        .ok_or_else(PageError::not_found)?;
    let can_work = auth.s.principal.can_work_case(&case.scope());
    let messages = st.db.messages(id, can_work).await?;
    let history = st.db.history(id).await?;
    let svc = st.db.service(ServiceId(case.service_id)).await?;
    let now = serva_domain::time::now_ms();
    let level = svc.service_level();
    let response_sla = level.first_response_minutes.map(|m| {
        sla::response_clock(
            case.created_at,
            case.first_response_at.or(case.resolved_at),
            m,
            now,
        )
    });
    let resolution_sla = level
        .resolution_minutes
        .map(|m| sla::resolution_clock(&status_changes(&history), m, now));
    let agents = if can_work {
        st.db.agents_of(UnitId(case.unit_id)).await?
    } else {
        vec![]
    };
    let fields = svc.fields();
    let survey = st.db.survey(case.cid()).await?;
    let v = CaseView {
        survey: survey.clone(),
        case: &case,
        fields: &fields,
        messages: &messages,
        history: &history,
        response_sla,
        resolution_sla,
        agents: &agents,
        rights: CaseRights {
            can_work,
            can_reply: auth.s.principal.can_reply_case(&case.scope()),
            can_rate: survey.is_none()
                && case.requester_id == Some(auth.s.user.id)
                && !case.status().is_active(),
        },
        ok: ok_text(&auth.cx, q.get("ok")),
        error: None,
    };
    Ok(case_page(&auth.cx, &v).into_response())
}

async fn workable(
    st: &AppState,
    f: &FormPost,
    id: &str,
) -> Result<serva_store::cases::Case, PageError> {
    let id = CaseId(parse_id(id).ok_or_else(PageError::not_found)?);
    let case = visible_case(&st.db, &f.auth.s, id)
        .await?
        .ok_or_else(PageError::not_found)?;
    if !f.auth.s.principal.can_work_case(&case.scope()) {
        return Err(PageError::forbidden());
    }
    Ok(case)
}

pub async fn add_message(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = CaseId(parse_id(&id).ok_or_else(PageError::not_found)?);
    let case = visible_case(&st.db, &f.auth.s, cid)
        .await?
        .ok_or_else(PageError::not_found)?;
    let can_work = f.auth.s.principal.can_work_case(&case.scope());
    let internal = match f.get("internal") {
        "" | "false" => false,
        "true" if can_work => true,
        "true" => return Err(PageError::forbidden()),
        _ => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                "internal must be true or false",
            ))
        }
    };
    let body = clean_text(f.get("body"), TEXT_MAX).map_err(|e| {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            super::portal::text_problem(&f.auth.cx, &e),
        )
    })?;
    st.db
        .add_message(Some(f.auth.s.user.uid()), cid, &body, internal, can_work)
        .await?;
    Ok(Redirect::to(&format!("/cases/{}?ok=message", cid.0)).into_response())
}

pub async fn set_status(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let case = workable(&st, &f, &id).await?;
    let to = CaseStatus::parse(f.get("status")).ok_or_else(|| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            f.auth.cx.t("Okänd status.", "Unknown status."),
        )
    })?;
    if to == case.status() {
        return Ok(Redirect::to(&format!("/cases/{}", case.id)).into_response());
    }
    st.db
        .set_status(Some(f.auth.s.user.uid()), case.cid(), to)
        .await?;
    Ok(Redirect::to(&format!("/cases/{}?ok=status", case.id)).into_response())
}

pub async fn assign(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let case = workable(&st, &f, &id).await?;
    let to = match f.opt("assignee") {
        None => None,
        Some(a) => {
            let uid = parse_id(a)
                .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "bad assignee"))?;
            let agents = st.db.agents_of(UnitId(case.unit_id)).await?;
            if !agents.iter().any(|u| u.id == uid) {
                return Err(PageError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    f.auth.cx.t(
                        "Personen arbetar inte i den här kön.",
                        "That person does not work this queue.",
                    ),
                ));
            }
            Some(UserId(uid))
        }
    };
    st.db
        .assign(Some(f.auth.s.user.uid()), case.cid(), to)
        .await?;
    Ok(Redirect::to(&format!("/cases/{}?ok=assigned", case.id)).into_response())
}

async fn contact_choices(
    st: &AppState,
    s: &Session,
) -> Result<
    (
        Vec<serva_store::catalogue::Service>,
        Vec<serva_store::org::Unit>,
    ),
    PageError,
> {
    let services: Vec<_> = st
        .db
        .services(&ServiceFilter::default())
        .await?
        .into_iter()
        .filter(|svc| s.principal.admin || s.principal.works.contains(&UnitId(svc.unit_id)))
        .collect();
    let customers: Vec<_> = st
        .db
        .units()
        .await?
        .into_iter()
        .filter(|u| u.kind().is_customer() || u.kind() == UnitKind::Municipality)
        .collect();
    Ok((services, customers))
}

pub async fn contact_form(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    if !auth.s.principal.is_agent() {
        return Err(PageError::not_found());
    }
    let (services, customers) = contact_choices(&st, &auth.s).await?;
    let input = ContactInput {
        resolve_now: true,
        ..Default::default()
    };
    Ok(contact_page(&auth.cx, &services, &customers, &input).into_response())
}

pub async fn register_contact(
    State(st): State<AppState>,
    f: FormPost,
) -> Result<Response, PageError> {
    if !f.auth.s.principal.is_agent() {
        return Err(PageError::not_found());
    }
    let cx = &f.auth.cx;
    let mut input = ContactInput {
        service: f.get("service").to_string(),
        channel: f.get("channel").to_string(),
        requester_name: f.get("requester_name").to_string(),
        customer_unit: f.get("customer_unit").to_string(),
        target_group: f.get("target_group").to_string(),
        subject: f.get("subject").to_string(),
        description: f.get("description").to_string(),
        resolve_now: f.get("resolve_now") == "true",
        errors: vec![],
    };
    let channel = Channel::parse(&input.channel);
    let target_group = f
        .opt("target_group")
        .map(|t| TargetGroup::parse(t).ok_or(t));
    if channel.is_none() {
        input
            .errors
            .push(cx.t("Välj en kanal.", "Choose a channel.").to_string());
    }
    if let Some(Err(_)) = target_group {
        input
            .errors
            .push(cx.t("Okänd målgrupp.", "Unknown target group.").to_string());
    }
    if input.service.is_empty() {
        input
            .errors
            .push(cx.t("Välj en tjänst.", "Choose a service.").to_string());
    }
    if input.errors.is_empty() {
        let req = IntakeRequest {
            service: input.service.clone(),
            subject: input.subject.clone(),
            description: input.description.clone(),
            channel,
            answers: HashMap::new(),
            requester_name: f.opt("requester_name").map(str::to_string),
            customer_unit: f.opt("customer_unit").map(str::to_string),
            target_group: target_group.and_then(Result::ok),
            resolve_now: input.resolve_now,
        };
        match intake(&st.db, &f.auth.s, &req).await {
            Ok(case) => {
                return Ok(
                    Redirect::to(&format!("/cases/{}?ok=registered", case.id)).into_response()
                )
            }
            Err(IntakeError::UnknownService(_)) => input
                .errors
                .push(cx.t("Okänd tjänst.", "Unknown service.").to_string()),
            Err(IntakeError::Forbidden(_)) => return Err(PageError::forbidden()),
            Err(IntakeError::Store(e)) => return Err(e.into()),
            Err(IntakeError::Invalid(bad)) => {
                if let Some(e) = &bad.subject {
                    input.errors.push(format!(
                        "{}: {}",
                        cx.t("Rubrik", "Subject"),
                        super::portal::text_problem(cx, e)
                    ));
                }
                if let Some(e) = &bad.description {
                    input.errors.push(format!(
                        "{}: {}",
                        cx.t("Beskrivning", "Description"),
                        super::portal::text_problem(cx, e)
                    ));
                }
                for e in &bad.fields {
                    input.errors.push(format!(
                        "{}: {}",
                        e.label,
                        serva_views::widgets::field_problem(cx, e.problem)
                    ));
                }
                input.errors.extend(bad.other);
            }
        }
    }
    let (services, customers) = contact_choices(&st, &f.auth.s).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        contact_page(cx, &services, &customers, &input),
    )
        .into_response())
}

pub async fn answer_survey(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let cid = CaseId(parse_id(&id).ok_or_else(PageError::not_found)?);
    let case = visible_case(&st.db, &f.auth.s, cid)
        .await?
        .ok_or_else(PageError::not_found)?;
    if case.requester_id != Some(f.auth.s.user.id) || case.status().is_active() {
        return Err(PageError::forbidden());
    }
    let score = f
        .get("score")
        .parse::<i64>()
        .ok()
        .filter(|s| (0..=100).contains(s))
        .ok_or_else(|| {
            PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                f.auth
                    .cx
                    .t("Välj ett av svaren.", "Choose one of the answers."),
            )
        })?;
    st.db
        .answer_survey(Some(f.auth.s.user.uid()), cid, score, f.opt("comment"))
        .await?;
    Ok(Redirect::to(&format!("/cases/{}?ok=survey", cid.0)).into_response())
}
