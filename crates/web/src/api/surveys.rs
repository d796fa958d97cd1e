//! Surveys through the API (docs/surveys.md): a case's survey, the requester's answer, and a
//! unit's figures.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serva_domain::survey::{Period, RawAnswer, SurveyFigures, SurveyStatus, Via};
use serva_domain::CaseId;
use utoipa::ToSchema;

use super::errors::{ChangeErrors, ReadErrors};
use super::iso;
use super::json::{ApiJson, ApiQuery};
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::params::parse_id;
use crate::AppState;

fn case_id(s: &str) -> Result<CaseId, ApiError> {
    parse_id(s)
        .map(CaseId)
        .ok_or_else(|| ApiError::not_found("case"))
}

/// The answer to a case's survey, on the survey's scale (`scale` in `GET …/survey`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswer {
    /// How satisfied with the help: 1–5 or 0–10, as the survey's scale says.
    #[schema(example = 4)]
    answer: i64,
    /// Engagemang, on the same scale (optional).
    #[serde(default)]
    engagement: Option<i64>,
    /// Allmän nöjdhet, on the same scale (optional).
    #[serde(default)]
    general_satisfaction: Option<i64>,
    /// Uppklarning, on the same scale (optional).
    #[serde(default)]
    resolution: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    comment: Option<String>,
}

/// The answer as recorded: on its scale, and on the 0–100 index.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyAnswered {
    pub case_id: i64,
    /// `1-5` or `0-10`.
    pub scale: String,
    pub answer: i64,
    /// The answer on the 0–100 index (1–5: 0, 25, 50, 75, 100; 0–10: ×10).
    pub score: i64,
    /// The dimensions on the 0–100 index.
    #[schema(required = true)]
    pub engagement: Option<i64>,
    #[schema(required = true)]
    pub general_satisfaction: Option<i64>,
    #[schema(required = true)]
    pub resolution: Option<i64>,
}

/// The requester answers the survey of their resolved case, once.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/survey",
    operation_id = "answerSurvey",
    tag = "cases",
    security(("bearer" = ["cases"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    request_body = SurveyAnswer,
    responses(
        (status = 201, description = "The answer is recorded", body = SurveyAnswered),
        ChangeErrors,
    )
)]
pub async fn answer(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Cases>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SurveyAnswer>,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    let raw = RawAnswer {
        answer: Some(b.answer),
        dimensions: [b.engagement, b.general_satisfaction, b.resolution],
        comment: b.comment,
    };
    let a = st
        .app
        .answer_survey(&s.principal, id, &raw, Via::Api)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SurveyAnswered {
            case_id: id.0,
            scale: a.scale.as_str().into(),
            answer: a.answer,
            score: a.score,
            engagement: a.dimensions[0],
            general_satisfaction: a.dimensions[1],
            resolution: a.dimensions[2],
        }),
    )
        .into_response())
}

/// A case's survey as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyJson {
    /// `not_sent`, `open`, `answered` or `closed`.
    pub status: String,
    /// Whether the caller (the requester) may answer it now.
    pub may_answer: bool,
    /// The scale the answer is given on, when it can be answered or was sent.
    #[schema(required = true)]
    pub scale: Option<String>,
    /// How it was sent: mail, chat, follow, page, link, api.
    #[schema(required = true)]
    pub via: Option<String>,
    #[schema(required = true, format = DateTime)]
    pub sent_at: Option<String>,
    /// When it closes.
    #[schema(required = true, format = DateTime)]
    pub expires_at: Option<String>,
    #[schema(required = true, format = DateTime)]
    pub reminded_at: Option<String>,
    /// The main question on the 0–100 index: for the requester and the unit's managers only.
    #[schema(required = true)]
    pub score: Option<i64>,
    /// For the requester and the unit's managers only.
    #[schema(required = true)]
    pub comment: Option<String>,
}

/// A case's survey: whether it was sent and answered, its scale, and — for the requester and
/// the unit's managers — the answer.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/survey",
    operation_id = "getSurvey",
    tag = "cases",
    security(("bearer" = ["read"])),
    params(("id" = i64, Path, description = "The case's id", minimum = 1)),
    responses(
        (status = 200, description = "The case's survey", body = SurveyJson),
        ReadErrors,
    )
)]
pub async fn get(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(id): Path<String>,
) -> Result<Json<SurveyJson>, ApiError> {
    let id = case_id(&id)?;
    let case = st.app.visible_case(&s.principal, id).await?;
    let p = st.app.survey_panel(&s.principal, &case, None).await?;
    let now = serva_domain::time::now_ms();
    let status = match (&p.sent, p.answered) {
        (_, true) => "answered",
        (None, false) => "not_sent",
        (Some(i), false) => match i.status(now) {
            SurveyStatus::Open { .. } => "open",
            SurveyStatus::Expired => "closed",
            SurveyStatus::Answered => "answered",
        },
    };
    Ok(Json(SurveyJson {
        status: status.into(),
        may_answer: p.answer_on.is_some(),
        scale: p
            .answer_on
            .or(p.sent.as_ref().map(|i| i.scale))
            .map(|s| s.as_str().into()),
        via: p.sent.as_ref().map(|i| i.via.as_str().into()),
        sent_at: p.sent.as_ref().map(|i| iso(i.sent_at)),
        expires_at: p.sent.as_ref().map(|i| iso(i.expires_at)),
        reminded_at: p.sent.as_ref().and_then(|i| i.reminded_at.map(iso)),
        score: p.answer.as_ref().map(|a| a.score),
        comment: p.answer.as_ref().and_then(|a| a.comment.clone()),
    }))
}

/// A unit's survey figures over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitSurveysJson {
    /// The unit's code.
    pub unit: String,
    pub unit_name: String,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    /// The scale the unit asks on now.
    pub scale: String,
    pub figures: SurveyFigures,
}

/// A unit's survey figures (with its sub-units): the 0–100 index, response rate, the seed's
/// dimensions and comments, in total and per unit, service, channel, agent and week, for
/// surveys sent from `from` to `to` (both included; by default this year so far). Agents get
/// groups of fewer answers than the unit's smallest group withheld, only their own agent
/// row, and comments without case or agent.
#[utoipa::path(
    get,
    path = "/api/v1/units/{code}/surveys",
    operation_id = "unitSurveys",
    tag = "surveys",
    security(("bearer" = ["read"])),
    params(
        ("code" = String, Path, description = "The provider unit's code", example = "KL"),
        ("from" = Option<String>, Query, format = Date, description = "First day (default 1 January)", example = "2026-01-01"),
        ("to" = Option<String>, Query, format = Date, description = "Last day (default today)", example = "2026-06-30"),
    ),
    responses(
        (status = 200, description = "The figures", body = UnitSurveysJson),
        ReadErrors,
    )
)]
pub async fn unit(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery,
) -> Result<Json<UnitSurveysJson>, ApiError> {
    if let Some(k) = q.keys().find(|k| !matches!(k.as_str(), "from" | "to")) {
        return Err(ApiError::bad_request(format!(
            "unknown query parameter {k:?}; use from and to"
        )));
    }
    let today = serva_domain::time::to_local(serva_domain::time::now_ms()).date();
    let period = Period::parse(
        q.get("from").map(String::as_str),
        q.get("to").map(String::as_str),
        today,
    )
    .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let us = st.app.unit_surveys(&s.principal, &code, period).await?;
    Ok(Json(UnitSurveysJson {
        unit: us.unit.code.clone(),
        unit_name: us.unit.name.clone(),
        from: us.period.from.format("%Y-%m-%d").to_string(),
        to: us.period.to.format("%Y-%m-%d").to_string(),
        scale: us.settings.scale.as_str().into(),
        figures: us.figures,
    }))
}
