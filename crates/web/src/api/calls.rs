//! Call records from the telephony platform, live: `POST /api/v1/calls` takes the fields of
//! the `calls` import file as JSON, one call or a list, idempotent on `call_id`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use serva_app::{CallInput, CallsRefused};
use serva_store::calls_live::{CallWritten, StoredCall};
use utoipa::ToSchema;

use super::errors::{ApiErrorBody, CreateErrors};
use super::iso;
use super::json::ApiJson;
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::AppState;

/// One call as the telephony platform reports it: the columns of the `calls` import.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCall {
    /// The platform's id of the call; a call id already stored is not stored again.
    #[schema(example = "BAR-20261130-0042", max_length = 100)]
    pub call_id: String,
    /// The code of the provider unit whose queue took the call.
    #[schema(example = "KL")]
    pub unit: String,
    /// When the call was offered to the queue, Stockholm local time (ISO 8601, no zone):
    /// `2026-11-30T09:15:00` or `2026-11-30 09:15`.
    #[schema(example = "2026-11-30T09:15:00")]
    pub offered_at: String,
    /// Seconds the caller waited before an answer or hanging up (0–86 400).
    #[schema(minimum = 0, maximum = 86400)]
    pub wait_seconds: i64,
    pub answered: bool,
}

/// One call, or a list of up to 1 000 calls.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the body; the handler reads JSON and names each bad item
#[serde(untagged)]
pub enum NewCalls {
    One(NewCall),
    Many(Vec<NewCall>),
}

/// A stored call record, and whether this post stored it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Call)]
pub struct CallJson {
    pub id: i64,
    pub call_id: String,
    pub unit: String,
    /// When the call was offered, UTC.
    pub offered_at: String,
    pub wait_seconds: i64,
    pub answered: bool,
    /// `created`: stored by this post; `existing`: its call id was stored already.
    #[schema(example = "created")]
    pub result: CallResult,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallResult {
    Created,
    Existing,
}

/// What a list of calls answers: each call in the order posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallList {
    pub calls: Vec<CallJson>,
}

/// The answer to one call, or to a list.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the two shapes the handler answers
#[serde(untagged)]
pub enum CallsAnswer {
    One(CallJson),
    Many(CallList),
}

fn call_json(s: &StoredCall, unit: String, result: CallResult) -> CallJson {
    CallJson {
        id: s.id,
        call_id: s.call_ref.clone(),
        unit,
        offered_at: iso(s.offered_at),
        wait_seconds: s.wait_seconds,
        answered: s.answered,
        result,
    }
}

/// Records calls from the telephony platform.
///
/// The same fields and checks as the `calls` import file. Idempotent on `call_id`: posting a
/// call again answers the stored record (`result: existing`, 200) and stores nothing. One call
/// answers the call (201 when stored now); a list answers every call in order (201 when any
/// was stored now, else 200). Any bad call refuses the whole post and names the call by its
/// position; calls stored by earlier posts are never touched.
#[utoipa::path(
    post,
    path = "/api/v1/calls",
    operation_id = "recordCalls",
    tag = "phone",
    security(("bearer" = ["imports"])),
    request_body = NewCalls,
    responses(
        (status = 201, description = "Stored (a list: at least one call stored now)", body = CallsAnswer),
        (status = 200, description = "Every call was stored already: nothing new", body = CallsAnswer),
        CreateErrors,
        (status = 409, description = "`conflict`: a call id is stored already with other \
            fields; nothing of this post was stored", body = ApiErrorBody),
        (status = 422, description = "`invalid_call`: nothing was stored; `details.errors` \
            lists every problem (`line` is the call's position in the list, from 0, \
            `column` the field); an unknown unit is one. Or `invalid_body`.",
            body = ApiErrorBody),
    )
)]
pub async fn record(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Imports>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    let (items, one) = match body {
        Value::Array(items) => (items, false),
        item @ Value::Object(_) => (vec![item], true),
        other => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("send one call (an object) or a list of calls, not {other}"),
            ))
        }
    };
    let mut inputs = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let c: NewCall = serde_json::from_value(item).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("call {i}: {e}; nothing was stored"),
            )
        })?;
        inputs.push(CallInput {
            call_id: c.call_id,
            unit: c.unit,
            offered_at: c.offered_at,
            wait_seconds: c.wait_seconds.to_string(),
            answered: c.answered.to_string(),
        });
    }
    let written = match st.app.record_calls(&s.principal, &inputs).await {
        Ok(w) => w,
        Err(CallsRefused::Invalid(errors)) => {
            let first = errors
                .first()
                .map(|e| {
                    format!(
                        "call {}{}: {}",
                        e.line,
                        e.column
                            .as_deref()
                            .map(|c| format!(", {c}"))
                            .unwrap_or_default(),
                        e.message
                    )
                })
                .unwrap_or_default();
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_call",
                format!(
                    "nothing was stored: {} problem(s); first: {first}",
                    errors.len()
                ),
            )
            .with_details(json!({ "errors": errors })));
        }
        Err(CallsRefused::Failed(e)) => return Err(e.into()),
    };
    let mut any_created = false;
    let calls: Vec<CallJson> = written
        .iter()
        .zip(&inputs)
        .map(|(w, input)| match w {
            CallWritten::Created(c) => {
                any_created = true;
                call_json(c, input.unit.trim().to_string(), CallResult::Created)
            }
            CallWritten::Existing(c) => {
                call_json(c, input.unit.trim().to_string(), CallResult::Existing)
            }
        })
        .collect();
    let status = if any_created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(if one {
        let call = calls.into_iter().next().expect("one call in, one out");
        (status, Json(call)).into_response()
    } else {
        (status, Json(CallList { calls })).into_response()
    })
}
