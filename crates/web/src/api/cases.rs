//! Cases through the API.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use serva_app::{AssigneeRef, CaseUpdate, IntakeError, IntakeRequest, ListParams, ListScope};
use serva_domain::case::{Case, CaseStatus, Channel, Message};
use serva_domain::role::TargetGroup;
use serva_domain::CaseId;

use super::iso;
use super::json::{ApiJson, ApiQuery};
use crate::auth::ApiAuth;
use crate::error::ApiError;
use crate::params::parse_id;
use crate::AppState;

pub fn case_json(c: &Case) -> Value {
    let fields: Map<String, Value> = c
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "id": c.id,
        "number": c.number().to_string(),
        "service": c.service_code,
        "service_name": c.service_name,
        "unit": { "id": c.unit_id, "name": c.unit_name },
        "customer_unit": c.customer_unit_id.map(|id| json!({ "id": id, "name": c.customer_unit_name })),
        "requester_id": c.requester_id,
        "requester_name": c.requester_name,
        "target_group": c.target_group,
        "channel": c.channel,
        "status": c.status,
        "subject": c.subject,
        "description": c.description,
        "fields": fields,
        "assignee_id": c.assignee_id,
        "assignee_name": c.assignee_name,
        "first_contact_resolution": c.first_contact_resolution,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
        "first_response_at": c.first_response_at.map(iso),
        "resolved_at": c.resolved_at.map(iso),
        "closed_at": c.closed_at.map(iso),
    })
}

const LIST_PARAMS: [&str; 9] = [
    "q", "status", "sort", "assignee", "service", "channel", "page", "per_page", "unit",
];

pub async fn list(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    ApiQuery(q): ApiQuery,
) -> Result<Json<Value>, ApiError> {
    if let Some(k) = q.keys().find(|k| !LIST_PARAMS.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!(
            "unknown query parameter {k:?}; known: {}",
            LIST_PARAMS.join(", ")
        )));
    }
    let params = ListParams::from_pairs(&q);
    let page = st
        .app
        .list_cases(&s.principal, ListScope::Visible, &params)
        .await?;
    Ok(Json(json!({
        "cases": page.cases.iter().map(case_json).collect::<Vec<_>>(),
        "page": page.page,
        "per_page": page.per_page,
        "has_next": page.has_next,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCase {
    service: String,
    subject: String,
    description: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    fields: Option<Map<String, Value>>,
    #[serde(default)]
    requester_name: Option<String>,
    #[serde(default)]
    customer_unit: Option<String>,
    #[serde(default)]
    target_group: Option<String>,
    #[serde(default)]
    resolve_now: bool,
}

pub async fn create(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    ApiJson(b): ApiJson<CreateCase>,
) -> Result<Response, ApiError> {
    let channel = match b.channel.as_deref() {
        None => Channel::Web,
        Some(c) => Channel::parse(c).ok_or_else(|| {
            ApiError::invalid(format!(
                "unknown channel {c:?}; use web, chat, phone, email or visit"
            ))
        })?,
    };
    let target_group = match b.target_group.as_deref() {
        None => None,
        Some(t) => Some(
            TargetGroup::parse(t)
                .ok_or_else(|| ApiError::invalid(format!("unknown target_group {t:?}")))?,
        ),
    };
    let mut answers = HashMap::new();
    for (k, v) in b.fields.unwrap_or_default() {
        let text = match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Null => continue,
            other => {
                return Err(ApiError::invalid(format!(
                    "field {k:?} must be a string or a number, not {other}"
                )));
            }
        };
        answers.insert(k, text);
    }
    let req = IntakeRequest {
        service: b.service,
        subject: b.subject,
        description: b.description,
        channel: Some(channel),
        answers,
        requester_name: b.requester_name,
        customer_unit: b.customer_unit,
        target_group,
        resolve_now: b.resolve_now,
    };
    match st.app.intake(&s.principal, &req).await {
        Ok(c) => {
            let location = format!("/api/v1/cases/{}", c.id);
            Ok((
                StatusCode::CREATED,
                [(axum::http::header::LOCATION, location)],
                Json(case_json(&c)),
            )
                .into_response())
        }
        Err(IntakeError::UnknownService(code)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_service",
            format!("no service with code {code:?} is open for orders"),
        )),
        Err(IntakeError::Forbidden(m)) => Err(ApiError::forbidden(m)),
        Err(IntakeError::Invalid(bad)) => {
            let fields: Vec<Value> = bad
                .fields
                .iter()
                .map(|f| json!({ "field": f.key, "label": f.label, "problem": f.problem.as_str() }))
                .collect();
            Err(ApiError::invalid(bad.message()).with_details(json!({ "fields": fields })))
        }
        Err(IntakeError::Failed(e)) => Err(e.into()),
    }
}

fn case_id(id: &str) -> Result<CaseId, ApiError> {
    parse_id(id)
        .map(CaseId)
        .ok_or_else(|| ApiError::not_found("case"))
}

pub async fn get(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let case = st.app.visible_case(&s.principal, case_id(&id)?).await?;
    Ok(Json(case_json(&case)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchCase {
    #[serde(default)]
    status: Option<String>,
    /// A username, or null to unassign. Absent leaves the assignee as it is.
    #[serde(default, deserialize_with = "double_option")]
    assignee: Option<Option<String>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

pub async fn patch(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PatchCase>,
) -> Result<Json<Value>, ApiError> {
    let id = case_id(&id)?;
    st.app.case_to_work(&s.principal, id).await?;
    let status = match b.status.as_deref() {
        None => None,
        Some(t) => Some(CaseStatus::parse(t).ok_or_else(|| {
            ApiError::invalid(format!(
                "unknown status {t:?}; use open, waiting_customer, waiting_third_party, resolved or closed"
            ))
        })?),
    };
    let update = CaseUpdate {
        status,
        assignee: b.assignee.map(|a| a.map(AssigneeRef::Username)),
    };
    let case = st.app.update_case(&s.principal, id, &update).await?;
    Ok(Json(case_json(&case)))
}

pub async fn messages(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let list: Vec<Value> = st
        .app
        .case_messages(&s.principal, case_id(&id)?)
        .await?
        .iter()
        .map(message_json)
        .collect();
    Ok(Json(json!({ "messages": list })))
}

fn message_json(m: &Message) -> Value {
    json!({
        "id": m.id,
        "author_id": m.author_id,
        "author_name": m.author_name,
        "internal": m.internal,
        "body": m.body,
        "created_at": iso(m.created_at),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    body: String,
    #[serde(default)]
    internal: bool,
}

pub async fn add_message(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewMessage>,
) -> Result<Response, ApiError> {
    let m = st
        .app
        .add_message(&s.principal, case_id(&id)?, &b.body, b.internal)
        .await?;
    Ok((StatusCode::CREATED, Json(message_json(&m))).into_response())
}

pub async fn history(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let events: Vec<Value> = st
        .app
        .case_history(&s.principal, case_id(&id)?)
        .await?
        .into_iter()
        .map(|e| {
            json!({
                "at": iso(e.at), "actor_id": e.actor_id, "actor_name": e.actor_name,
                "kind": e.kind, "from": e.from_value, "to": e.to_value,
            })
        })
        .collect();
    Ok(Json(json!({ "history": events })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswer {
    score: i64,
    #[serde(default)]
    comment: Option<String>,
}

/// The requester rates a resolved or closed case, once: a score 0–100.
pub async fn answer_survey(
    State(st): State<AppState>,
    ApiAuth(s): ApiAuth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SurveyAnswer>,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    st.app
        .answer_survey(&s.principal, id, b.score, b.comment.as_deref())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "case_id": id, "score": b.score })),
    )
        .into_response())
}
