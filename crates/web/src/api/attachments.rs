//! Files on a case through the API: list, upload (the file as the request body, its name in
//! the query) and download.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serva_domain::attachment::Attachment;
use serva_domain::{AttachmentId, MessageId};
use utoipa::ToSchema;

use super::cases::case_id;
use super::errors::{PostErrors, ReadErrors};
use super::iso;
use super::json::ApiQuery;
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::params::parse_id;
use crate::AppState;

/// A file on a case (its bytes at `download`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Attachment)]
pub struct AttachmentJson {
    pub id: i64,
    /// The message the file came with, if any.
    #[schema(required = true)]
    pub message_id: Option<i64>,
    pub filename: String,
    /// The type Serva determined from the file's content and name.
    pub content_type: String,
    /// In bytes.
    pub size: i64,
    /// SHA-256 of the content, hexadecimal.
    pub sha256: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Where the bytes are.
    pub download: String,
}

impl From<&Attachment> for AttachmentJson {
    fn from(a: &Attachment) -> Self {
        AttachmentJson {
            id: a.id.0,
            message_id: a.message_id.map(|m| m.0),
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
            created_at: iso(a.created_at),
            download: format!("/api/v1/cases/{}/attachments/{}", a.case_id, a.id),
        }
    }
}

/// The files of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentList {
    pub attachments: Vec<AttachmentJson>,
}

/// The files of a case (those on internal notes only for the provider's side).
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/attachments",
    operation_id = "listAttachments",
    tag = "cases",
    security(("bearer" = ["read"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    responses(
        (status = 200, description = "The files", body = AttachmentList),
        ReadErrors,
    )
)]
pub async fn list(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(id): Path<String>,
) -> Result<Json<AttachmentList>, ApiError> {
    let attachments = st
        .app
        .case_attachments(&s.principal, case_id(&id)?)
        .await?
        .iter()
        .map(AttachmentJson::from)
        .collect();
    Ok(Json(AttachmentList { attachments }))
}

/// Attaches a file: the request body is the file. PDF, images, office documents, text and
/// CSV up to 25 MB; the type is determined from the content, which must match the name.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/attachments",
    operation_id = "addAttachment",
    tag = "cases",
    security(("bearer" = ["cases"])),
    params(
        ("id" = i64, Path, description = "The case's id", minimum = 1),
        ("filename" = String, Query, description = "The file's name, with its extension"),
        ("message_id" = Option<i64>, Query, description = "A message of the case the file belongs to"),
    ),
    request_body(
        description = "The file",
        content((super::openapi::Binary = "application/octet-stream")),
    ),
    responses(
        (status = 201, description = "The file", body = AttachmentJson),
        PostErrors,
    )
)]
pub async fn upload(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Cases>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let case = case_id(&id)?;
    let filename = q
        .get("filename")
        .filter(|f| !f.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("give the file's name in the query: ?filename=…"))?;
    let message = match q.get("message_id") {
        None => None,
        Some(m) => Some(
            parse_id(m)
                .map(MessageId)
                .ok_or_else(|| ApiError::invalid(format!("message_id {m:?} is not an id")))?,
        ),
    };
    let a = st
        .app
        .attach(&s.principal, case, message, filename, &body)
        .await?;
    Ok((StatusCode::CREATED, Json(AttachmentJson::from(&a))).into_response())
}

/// A file's bytes, as a download.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/attachments/{file}",
    operation_id = "getAttachment",
    tag = "cases",
    security(("bearer" = ["read"])),
    params(
        ("id" = i64, Path, description = "The case's id", minimum = 1),
        ("file" = i64, Path, description = "The file's id", minimum = 1),
    ),
    responses(
        (status = 200, description = "The file", content((super::openapi::Binary = "application/octet-stream"))),
        ReadErrors,
    )
)]
pub async fn download(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let file = parse_id(&file)
        .map(AttachmentId)
        .ok_or_else(|| ApiError::not_found("attachment"))?;
    let (a, bytes) = st
        .app
        .attachment_download(&s.principal, case_id(&id)?, file)
        .await?;
    Ok(crate::pages::attachments::file_response(&a, bytes))
}
