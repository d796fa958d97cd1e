//! Cases through the API.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use serva_app::{
    AppError, AssigneeRef, CaseUpdate, IntakeError, IntakeRequest, ListParams, ListScope,
};
use serva_domain::case::{Case, CaseStatus, Channel};
use serva_domain::contact::NewContact;
use serva_domain::refusal::Refusal;
use serva_domain::role::TargetGroup;
use serva_domain::CaseId;
use utoipa::ToSchema;

use super::errors::{ApiErrorBody, ChangeErrors, CreateErrors, ListErrors, ReadErrors};
use super::iso;
use super::json::{ApiJson, ApiQuery};
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::params::parse_id;
use crate::AppState;

/// A case (ärende).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Case)]
pub struct CaseJson {
    pub id: i64,
    /// The number people quote: the Stockholm year the case was opened, and its id.
    #[schema(example = "2019-0001234")]
    pub number: String,
    /// The service's code.
    pub service: String,
    pub service_name: String,
    /// The providing unit, whose queue the case is in.
    pub unit: UnitRef,
    /// The ordering (customer) unit.
    #[schema(required = true)]
    pub customer_unit: Option<CustomerUnitRef>,
    #[schema(required = true)]
    pub requester_id: Option<i64>,
    /// The requester's name, or the name given for someone without an account.
    #[schema(required = true)]
    pub requester_name: Option<String>,
    #[schema(required = true)]
    pub target_group: Option<TargetGroup>,
    pub channel: Channel,
    pub status: CaseStatus,
    pub subject: String,
    pub description: String,
    /// The order form's answers, by field key.
    pub fields: BTreeMap<String, String>,
    #[schema(required = true)]
    pub assignee_id: Option<i64>,
    #[schema(required = true)]
    pub assignee_name: Option<String>,
    /// Resolved at first contact.
    pub first_contact_resolution: bool,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    #[schema(format = DateTime, required = true)]
    pub first_response_at: Option<String>,
    #[schema(format = DateTime, required = true)]
    pub resolved_at: Option<String>,
    #[schema(format = DateTime, required = true)]
    pub closed_at: Option<String>,
    /// The person without an account the case is for (citizen, caller, e-mail sender).
    #[schema(required = true)]
    pub contact: Option<ContactJson>,
    /// The customer replied and the provider has not opened the case since.
    pub unread_by_provider: bool,
    /// The provider replied and the customer has not opened the case since.
    pub unread_by_customer: bool,
    /// Where the case's SLA clocks stand, in the providing unit's working time.
    pub sla: CaseSlaJson,
    /// One case's hand-offs between units, oldest first (`GET /api/v1/cases/{id}` only;
    /// empty for the requester's side, to whom the case stays one case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handoffs: Option<Vec<super::handoffs::HandoffJson>>,
}

/// A case's SLA clocks: due times in ISO 8601 with their offset, counted in the working time
/// of the providing unit's business calendar.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CaseSla)]
pub struct CaseSlaJson {
    /// When the first reply is due (kept after it came); none without a target.
    #[schema(format = DateTime, required = true, example = "2026-06-22T11:55:00+02:00")]
    pub first_response_due: Option<String>,
    /// When the reply to the customer's latest message is due, while one is awaited.
    #[schema(format = DateTime, required = true)]
    pub next_response_due: Option<String>,
    /// When the case must be resolved; none while the clock is paused (waiting for the
    /// customer or a third party) or without a target.
    #[schema(format = DateTime, required = true)]
    pub resolution_due: Option<String>,
    /// The earliest due time of the clocks running now (what `sort=due` orders by).
    #[schema(format = DateTime, required = true)]
    pub due_at: Option<String>,
    /// `none` (no targets), `running`, `near_breach` (past the warning share, 80 % by
    /// default), `breached`, `paused` or `met`.
    pub state: serva_domain::sla::SlaFlag,
    /// The resolution clock is paused.
    pub paused: bool,
}

impl CaseSlaJson {
    fn of(d: &serva_domain::sla::SlaDue, now: i64) -> Self {
        let iso = |t: Option<i64>| t.map(serva_domain::time::iso_local);
        CaseSlaJson {
            first_response_due: iso(d.first_response_due),
            next_response_due: iso(d.next_response_due),
            resolution_due: iso(d.resolution_due),
            due_at: iso(d.due_at),
            state: d.flag(now),
            paused: d.paused,
        }
    }
}

/// A contact: at least one of name, e-mail and phone.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactJson {
    /// The contact's id (absent when a contact is given for a new case).
    #[serde(default, skip_deserializing)]
    pub id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// The providing unit of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
}

/// The customer unit of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerUnitRef {
    pub id: i64,
    #[schema(required = true)]
    pub name: Option<String>,
}

impl From<&Case> for CaseJson {
    fn from(c: &Case) -> Self {
        CaseJson {
            id: c.id.0,
            number: c.number().to_string(),
            service: c.service_code.clone(),
            service_name: c.service_name.clone(),
            unit: UnitRef {
                id: c.unit_id.0,
                name: c.unit_name.clone(),
            },
            customer_unit: c.customer_unit_id.map(|id| CustomerUnitRef {
                id: id.0,
                name: c.customer_unit_name.clone(),
            }),
            requester_id: c.requester_id.map(|u| u.0),
            requester_name: c.requester_name.clone(),
            target_group: c.target_group,
            channel: c.channel,
            status: c.status,
            subject: c.subject.clone(),
            description: c.description.clone(),
            fields: c.answers.iter().cloned().collect(),
            assignee_id: c.assignee_id.map(|u| u.0),
            assignee_name: c.assignee_name.clone(),
            first_contact_resolution: c.first_contact_resolution,
            created_at: iso(c.created_at),
            updated_at: iso(c.updated_at),
            first_response_at: c.first_response_at.map(iso),
            resolved_at: c.resolved_at.map(iso),
            closed_at: c.closed_at.map(iso),
            contact: c.contact.as_ref().map(|k| ContactJson {
                id: Some(k.id.0),
                name: k.name.clone(),
                email: k.email.clone(),
                phone: k.phone.clone(),
            }),
            unread_by_provider: c.unread_by_provider,
            unread_by_customer: c.unread_by_customer,
            sla: CaseSlaJson::of(&c.sla, serva_domain::time::now_ms()),
            handoffs: None,
        }
    }
}

/// One page of cases, newest first unless sorted otherwise.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseList {
    pub cases: Vec<CaseJson>,
    pub page: i64,
    pub per_page: i64,
    /// Whether another page follows.
    pub has_next: bool,
}

const LIST_PARAMS: [&str; 10] = [
    "q", "status", "sort", "assignee", "service", "channel", "page", "per_page", "unit", "sla",
];

/// Cases the caller may see, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/cases",
    operation_id = "listCases",
    tag = "cases",
    security(("bearer" = ["read"])),
    params(
        ("q" = Option<String>, Query, description = "Free text, or a case number"),
        ("status" = Option<String>, Query, description = "A status (`new`, `open`, `waiting_customer`, `waiting_third_party`, `resolved`, `closed`), or `active`"),
        ("sort" = Option<String>, Query, description = "`newest` (default), `oldest`, `updated` or `due` (the earliest SLA due time first, cases without a running clock last)"),
        ("sla" = Option<String>, Query, description = "`near_breach` (a running clock past its warning share) or `breached` (a clock past its due time)"),
        ("assignee" = Option<String>, Query, description = "`me`, `none` or a user id"),
        ("service" = Option<String>, Query, description = "A service code"),
        ("channel" = Option<String>, Query, description = "`web`, `chat`, `phone`, `email` or `visit`"),
        ("unit" = Option<String>, Query, description = "A provider unit's code"),
        ("page" = Option<i64>, Query, description = "The page, from 1", minimum = 1),
        ("per_page" = Option<i64>, Query, description = "Cases per page, 1–200; 25 by default", minimum = 1, maximum = 200),
    ),
    responses(
        (status = 200, description = "A page of cases", body = CaseList),
        ListErrors,
    )
)]
pub async fn list(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    ApiQuery(q): ApiQuery,
) -> Result<Json<CaseList>, ApiError> {
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
    Ok(Json(CaseList {
        cases: page.cases.iter().map(CaseJson::from).collect(),
        page: page.page,
        per_page: page.per_page,
        has_next: page.has_next,
    }))
}

/// An order of a service, or a contact an agent registers.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewCase)]
pub struct CreateCase {
    /// The service's code.
    #[schema(example = "LK-KONTO")]
    service: String,
    #[schema(min_length = 1, max_length = 200)]
    subject: String,
    #[schema(min_length = 1, max_length = 20000)]
    description: String,
    /// `web` when absent. Only the provider's agents name another channel (`phone`,
    /// `visit`, …) for a contact they register; a customer's own order is `web`.
    #[serde(default)]
    #[schema(value_type = Option<Channel>)]
    channel: Option<String>,
    /// Answers to the service's order form, by field key: text or a number (null is no
    /// answer).
    #[serde(default)]
    #[schema(value_type = Option<HashMap<String, FormAnswer>>)]
    fields: Option<Map<String, Value>>,
    /// Agents only: the person whose contact is registered.
    #[serde(default)]
    requester_name: Option<String>,
    /// Agents only: the customer unit's code.
    #[serde(default)]
    customer_unit: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<TargetGroup>)]
    target_group: Option<String>,
    /// Agents only: resolved at first contact.
    #[serde(default)]
    resolve_now: bool,
    /// Agents only: the person without an account the case is for; found again by e-mail,
    /// else by phone, or made. (Read as an object only: serde would take a list too.)
    #[serde(default)]
    #[schema(value_type = Option<ContactJson>)]
    contact: Option<Map<String, Value>>,
}

/// An answer on an order form: text, or a number.
#[derive(ToSchema)]
#[allow(dead_code)] // describes what `CreateCase::fields` takes; the handler reads JSON values
#[serde(untagged)]
enum FormAnswer {
    Text(String),
    Number(f64),
}

/// Creates a case: orders a service, or registers a contact.
#[utoipa::path(
    post,
    path = "/api/v1/cases",
    operation_id = "createCase",
    tag = "cases",
    security(("bearer" = ["cases"])),
    request_body = CreateCase,
    responses(
        (status = 201, description = "The case; `Location` names it", body = CaseJson,
            headers(("Location" = String, description = "/api/v1/cases/{id}"))),
        CreateErrors,
        (status = 422, description = "`unknown_service`, `invalid` (`details.fields` lists the \
            order form's refused answers: `field`, `label`, `problem`) or `invalid_body`",
            body = ApiErrorBody),
    )
)]
pub async fn create(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Cases>,
    ApiJson(b): ApiJson<CreateCase>,
) -> Result<Response, ApiError> {
    // Absent is no channel named: the application layer decides (`web` for an order).
    let channel = match b.channel.as_deref() {
        None => None,
        Some(c) => Some(Channel::parse(c).ok_or_else(|| {
            ApiError::invalid(format!(
                "unknown channel {c:?}; use web, chat, phone, email or visit"
            ))
        })?),
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
    let contact = match b.contact {
        None => None,
        Some(k) => {
            let k: ContactJson = serde_json::from_value(Value::Object(k))
                .map_err(|e| ApiError::invalid(format!("contact: {e}")))?;
            Some(
                NewContact::new(k.name.as_deref(), k.email.as_deref(), k.phone.as_deref())
                    .map_err(|e| ApiError::invalid(format!("contact: {e}")))?,
            )
        }
    };
    let req = IntakeRequest {
        service: b.service,
        subject: b.subject,
        description: b.description,
        channel,
        answers,
        requester_name: b.requester_name,
        customer_unit: b.customer_unit,
        target_group,
        resolve_now: b.resolve_now,
        contact,
    };
    match st.app.intake(&s.principal, &req).await {
        Ok(c) => {
            let location = format!("/api/v1/cases/{}", c.id);
            Ok((
                StatusCode::CREATED,
                [(axum::http::header::LOCATION, location)],
                Json(CaseJson::from(&c)),
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

pub(super) fn case_id(id: &str) -> Result<CaseId, ApiError> {
    parse_id(id)
        .map(CaseId)
        .ok_or_else(|| ApiError::not_found("case"))
}

/// One case.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    operation_id = "getCase",
    tag = "cases",
    security(("bearer" = ["read"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    responses(
        (status = 200, description = "The case", body = CaseJson),
        ReadErrors,
    )
)]
pub async fn get(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(id): Path<String>,
) -> Result<Json<CaseJson>, ApiError> {
    let case = st.app.case_as_seen(&s.principal, case_id(&id)?).await?;
    let handoffs = st.app.case_handoffs(&s.principal, case.id).await?;
    let mut json = CaseJson::from(&case);
    json.handoffs = Some(handoffs.iter().map(Into::into).collect());
    Ok(Json(json))
}

/// A change of a case's status, assignee or both.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchCase {
    /// The new status; absent leaves it as it is.
    #[serde(default)]
    #[schema(value_type = Option<CaseStatus>)]
    status: Option<String>,
    /// A username, or null to unassign. Absent leaves the assignee as it is.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    assignee: Option<Option<String>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Changes status and/or assignee (the provider's agents).
#[utoipa::path(
    patch,
    path = "/api/v1/cases/{id}",
    operation_id = "patchCase",
    tag = "cases",
    security(("bearer" = ["cases"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    request_body = PatchCase,
    responses(
        (status = 200, description = "The case as changed", body = CaseJson),
        ChangeErrors,
    )
)]
pub async fn patch(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Cases>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PatchCase>,
) -> Result<Json<CaseJson>, ApiError> {
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
    let username = b.assignee.clone().flatten();
    let update = CaseUpdate {
        status,
        assignee: b.assignee.map(|a| a.map(AssigneeRef::Username)),
    };
    let case = match st.app.update_case(&s.principal, id, &update).await {
        Err(AppError::Refused(Refusal::NotAgentOfQueue)) => {
            let who = username.unwrap_or_default();
            return Err(ApiError::invalid(format!(
                "{who:?} is not an agent of this queue"
            )));
        }
        other => other?,
    };
    Ok(Json(CaseJson::from(&case)))
}
