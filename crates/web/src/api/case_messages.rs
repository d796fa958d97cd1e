//! A case's messages and its history through the API: what was said on a case, and what
//! was done to it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serva_domain::case::{CaseEvent, CaseEventKind, Message};
use utoipa::ToSchema;

use super::cases::case_id;
use super::errors::{PostErrors, ReadErrors};
use super::iso;
use super::json::ApiJson;
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::AppState;

/// A reply or an internal note on a case.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Message)]
pub struct MessageJson {
    pub id: i64,
    #[schema(required = true)]
    pub author_id: Option<i64>,
    #[schema(required = true)]
    pub author_name: Option<String>,
    /// An internal note, seen only by the provider's side.
    pub internal: bool,
    pub body: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&Message> for MessageJson {
    fn from(m: &Message) -> Self {
        MessageJson {
            id: m.id.0,
            author_id: m.author_id.map(|u| u.0),
            author_name: m.author_name.clone(),
            internal: m.internal,
            body: m.body.clone(),
            created_at: iso(m.created_at),
        }
    }
}

/// The messages of a case, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    pub messages: Vec<MessageJson>,
}

/// Messages of a case (internal notes only for the provider's side).
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/messages",
    operation_id = "listMessages",
    tag = "cases",
    security(("bearer" = ["read"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    responses(
        (status = 200, description = "The messages", body = MessageList),
        ReadErrors,
    )
)]
pub async fn messages(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(id): Path<String>,
) -> Result<Json<MessageList>, ApiError> {
    let messages = st
        .app
        .case_messages(&s.principal, case_id(&id)?)
        .await?
        .iter()
        .map(MessageJson::from)
        .collect();
    Ok(Json(MessageList { messages }))
}

/// A reply, or an internal note.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    #[schema(min_length = 1, max_length = 20000)]
    body: String,
    /// An internal note (the provider's agents only).
    #[serde(default)]
    internal: bool,
}

/// Replies, or writes an internal note.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/messages",
    operation_id = "addMessage",
    tag = "cases",
    security(("bearer" = ["cases"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    request_body = NewMessage,
    responses(
        (status = 201, description = "The message", body = MessageJson),
        PostErrors,
    )
)]
pub async fn add_message(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Cases>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewMessage>,
) -> Result<Response, ApiError> {
    let m = st
        .app
        .add_message(&s.principal, case_id(&id)?, &b.body, b.internal)
        .await?;
    Ok((StatusCode::CREATED, Json(MessageJson::from(&m))).into_response())
}

/// One change of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    #[schema(format = DateTime)]
    pub at: String,
    #[schema(required = true)]
    pub actor_id: Option<i64>,
    #[schema(required = true)]
    pub actor_name: Option<String>,
    pub kind: CaseEventKind,
    /// The value before: a status, or an assignee's user id.
    #[schema(required = true)]
    pub from: Option<String>,
    /// The value after: a status, an assignee's user id, or a message id.
    #[schema(required = true)]
    pub to: Option<String>,
}

impl From<CaseEvent> for HistoryEntry {
    fn from(e: CaseEvent) -> Self {
        HistoryEntry {
            at: iso(e.at),
            actor_id: e.actor_id.map(|u| u.0),
            actor_name: e.actor_name,
            kind: e.kind,
            from: e.from_value,
            to: e.to_value,
        }
    }
}

/// Every change of a case, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseHistory {
    pub history: Vec<HistoryEntry>,
}

/// Every change of the case (internal notes only for the provider's side).
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/history",
    operation_id = "caseHistory",
    tag = "cases",
    security(("bearer" = ["read"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    responses(
        (status = 200, description = "The history", body = CaseHistory),
        ReadErrors,
    )
)]
pub async fn history(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(id): Path<String>,
) -> Result<Json<CaseHistory>, ApiError> {
    let history = st
        .app
        .case_history(&s.principal, case_id(&id)?)
        .await?
        .into_iter()
        .map(HistoryEntry::from)
        .collect();
    Ok(Json(CaseHistory { history }))
}
