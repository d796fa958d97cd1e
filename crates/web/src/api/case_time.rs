//! Time recorded on a case through the API: the provider's side reads and records it;
//! customers never see it (404 as for a case they cannot see, 403 when they see the case).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serva_app::time_entries::TimeRefused;
use serva_domain::billing::hours::{parse_hours, TimeEntry};
use utoipa::ToSchema;

use super::cases::case_id;
use super::errors::{PostErrors, ReadErrors};
use super::json::ApiJson;
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::AppState;

/// Time one person recorded on the case on a day.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TimeEntry)]
pub struct TimeEntryJson {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    /// The day worked, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub day: String,
    /// Hours with up to three decimals (90 minutes = 1.5).
    pub hours: f64,
    pub note: String,
    /// Charged in a locked billing run: it can no longer change.
    pub charged: bool,
}

impl From<&TimeEntry> for TimeEntryJson {
    fn from(e: &TimeEntry) -> Self {
        TimeEntryJson {
            id: e.id,
            user_id: e.user_id,
            user_name: e.user_name.clone(),
            day: e.day.format("%Y-%m-%d").to_string(),
            // Thousandths of an hour are exact as a JSON number with three decimals.
            hours: e.hours.0 as f64 / 1000.0,
            note: e.note.clone(),
            charged: e.charged,
        }
    }
}

/// The case's time entries, oldest day first, and their total.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimeList {
    pub entries: Vec<TimeEntryJson>,
    /// The sum of the entries' hours.
    pub total_hours: f64,
}

/// Time recorded on the case (the provider's side only).
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/time",
    operation_id = "listTime",
    tag = "cases",
    security(("bearer" = ["read"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    responses(
        (status = 200, description = "The time entries", body = TimeList),
        ReadErrors,
    )
)]
pub async fn list(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(id): Path<String>,
) -> Result<Json<TimeList>, ApiError> {
    let entries = st.app.case_time(&s.principal, case_id(&id)?).await?;
    let total: i64 = entries.iter().map(|e| e.hours.0).sum();
    Ok(Json(TimeList {
        entries: entries.iter().map(TimeEntryJson::from).collect(),
        total_hours: total as f64 / 1000.0,
    }))
}

/// Time to record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTime {
    /// The day worked, `YYYY-MM-DD`; today when left out.
    #[serde(default)]
    #[schema(format = Date)]
    day: Option<String>,
    /// `1:30` (hours and minutes), `1,5` or `1.5` (hours) or `90 min`; more than zero and at
    /// most 24 hours, with the person's other entries of the day.
    #[schema(example = "1:30")]
    hours: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    note: String,
}

/// Records time on the case (the provider's agents, unit managers and administrators).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/time",
    operation_id = "recordTime",
    tag = "cases",
    security(("bearer" = ["cases"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    request_body = NewTime,
    responses(
        (status = 201, description = "The entry", body = TimeEntryJson),
        PostErrors,
    )
)]
pub async fn record(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Cases>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewTime>,
) -> Result<Response, ApiError> {
    let cid = case_id(&id)?;
    let p = &s.principal;
    // Who may not work the case hears so before anything about the body.
    st.app.case_time(p, cid).await?;
    let day = match b.day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => serva_domain::time::today(),
        Some(d) => serva_domain::time::parse_day(d)
            .ok_or_else(|| ApiError::invalid(format!("day {d:?} must be YYYY-MM-DD")))?,
    };
    let hours = parse_hours(&b.hours).map_err(|e| ApiError::invalid(e.to_string()))?;
    let entry = match st.app.record_time(p, cid, day, hours, &b.note).await {
        Ok(entry) => entry,
        Err(TimeRefused::Other(e)) => return Err(e.into()),
        Err(e) => return Err(ApiError::invalid(e.to_string())),
    };
    let entries = st.app.case_time(p, cid).await?;
    let e = entries
        .iter()
        .find(|e| e.id == entry)
        .ok_or_else(|| ApiError::not_found("time entry"))?;
    Ok((StatusCode::CREATED, Json(TimeEntryJson::from(e))).into_response())
}
