//! The manager's overview through the API (docs/overview.md): the figures of
//! `/units/{code}/overview` and `/customers/{code}/overview` as JSON.

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use serva_domain::followup::CallStats;
use serva_domain::overview::{AgeBucket, AgentLoad, GroupTotals, PeriodLevel, Totals};
use serva_domain::survey::GroupFigures;
use utoipa::ToSchema;

use super::cases::CaseJson;
use super::errors::ReadErrors;
use super::json::ApiQuery;
use crate::auth::{scope, ApiAuth};
use crate::error::ApiError;
use crate::AppState;

/// Open cases of one agent, of nobody (`agent_id` and `name` null), or of everyone (the total).
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentLoadJson {
    #[schema(required = true)]
    pub agent_id: Option<i64>,
    #[schema(required = true)]
    pub name: Option<String>,
    pub new: i64,
    pub open: i64,
    pub waiting_customer: i64,
    pub waiting_third_party: i64,
    pub total: i64,
    /// With a running clock past its warning share and none past its due time
    /// (`sla=near_breach` in the queue).
    pub near_target: i64,
    /// With a clock past its due time, now or earlier (`sla=breached` in the queue).
    pub past_target: i64,
    /// When the oldest came in; null without open cases.
    #[schema(format = DateTime, required = true)]
    pub oldest_created_at: Option<String>,
}

impl From<&AgentLoad> for AgentLoadJson {
    fn from(r: &AgentLoad) -> Self {
        AgentLoadJson {
            agent_id: r.agent.map(|a| a.0),
            name: r.name.clone(),
            new: r.by_status[0],
            open: r.by_status[1],
            waiting_customer: r.by_status[2],
            waiting_third_party: r.by_status[3],
            total: r.total,
            near_target: r.near_target,
            past_target: r.past_target,
            oldest_created_at: r.oldest_created_at.map(serva_domain::time::iso_local),
        }
    }
}

/// Open cases of one age, in calendar time since they came in.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgeCountJson {
    pub age: AgeBucket,
    pub cases: i64,
}

/// Today's and this week's (Monday to today, Stockholm time) service level.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceLevelsJson {
    pub today: PeriodLevel,
    pub this_week: PeriodLevel,
}

/// A phone queue's calls over a span.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallsJson {
    /// Calls offered (not counting those abandoned within the grace period).
    pub offered: i64,
    pub answered: i64,
    pub answered_in_time: i64,
    /// Answered in time of offered, in percent; null without calls.
    #[schema(required = true)]
    pub service_level: Option<f64>,
}

impl From<&CallStats> for CallsJson {
    fn from(s: &CallStats) -> Self {
        CallsJson {
            offered: s.offered,
            answered: s.answered,
            answered_in_time: s.answered_in_time,
            service_level: s.service_level,
        }
    }
}

/// The unit's phone queue, as its wall board shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhoneJson {
    /// A call answered within this many seconds is answered in time.
    pub answer_within_seconds: i64,
    /// The queue's target for the share answered in time, in percent.
    pub target_percent: f64,
    pub today: CallsJson,
    pub this_week: CallsJson,
}

/// Today's and this week's survey figures, as `GET /api/v1/units/{code}/surveys` gives them
/// for the same days (surveys sent then, and their answers).
#[derive(Debug, Serialize, ToSchema)]
pub struct SatisfactionJson {
    pub today: GroupFigures,
    pub this_week: GroupFigures,
}

/// A provider unit's overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitOverviewJson {
    /// The unit's code.
    pub unit: String,
    pub unit_name: String,
    /// When the figures were read.
    #[schema(format = DateTime)]
    pub at: String,
    /// Open cases per agent: every agent of the unit, then anyone else holding its cases,
    /// then the unassigned.
    pub agents: Vec<AgentLoadJson>,
    pub total: AgentLoadJson,
    /// Open cases per age, youngest first.
    pub ages: Vec<AgeCountJson>,
    /// Open cases near or past target, the earliest due first (at most 50).
    pub at_risk: Vec<CaseJson>,
    /// More are near or past target than listed.
    pub at_risk_more: bool,
    pub service_level: ServiceLevelsJson,
    pub phone: PhoneJson,
    pub satisfaction: SatisfactionJson,
}

fn no_query(q: &std::collections::HashMap<String, String>) -> Result<(), ApiError> {
    match q.keys().next() {
        Some(k) => Err(ApiError::bad_request(format!(
            "unknown query parameter {k:?}; this operation takes none"
        ))),
        None => Ok(()),
    }
}

/// A provider unit's overview for its managers: open cases per agent and status, their ages,
/// the cases near or past target, the service level today and this week (the share of
/// first-response and resolution clocks that met their target among those that stopped or
/// breached in the span, and the breaches), the phone queue's service level, and today's and
/// this week's satisfaction. See docs/overview.md.
#[utoipa::path(
    get,
    path = "/api/v1/units/{code}/overview",
    operation_id = "unitOverview",
    tag = "overview",
    security(("bearer" = ["read"])),
    params(("code" = String, Path, description = "The provider unit's code", example = "LKDATA")),
    responses(
        (status = 200, description = "The overview", body = UnitOverviewJson),
        ReadErrors,
    )
)]
pub async fn unit(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery,
) -> Result<Json<UnitOverviewJson>, ApiError> {
    no_query(&q)?;
    let o = st.app.unit_overview(&s.principal, &code, None).await?;
    Ok(Json(UnitOverviewJson {
        unit: o.unit.code.clone(),
        unit_name: o.unit.name.clone(),
        at: serva_domain::time::iso_local(o.at),
        agents: o.workload.rows.iter().map(AgentLoadJson::from).collect(),
        total: AgentLoadJson::from(&o.workload.total),
        ages: AgeBucket::ALL
            .iter()
            .zip(o.workload.ages)
            .map(|(b, n)| AgeCountJson { age: *b, cases: n })
            .collect(),
        at_risk: o.at_risk.iter().map(CaseJson::from).collect(),
        at_risk_more: o.at_risk_more,
        service_level: ServiceLevelsJson {
            today: o.today,
            this_week: o.week,
        },
        phone: PhoneJson {
            answer_within_seconds: o.phone.rule.answer_within_seconds,
            target_percent: o.phone.rule.target_percent,
            today: CallsJson::from(&o.phone.today),
            this_week: CallsJson::from(&o.phone.this_week),
        },
        satisfaction: SatisfactionJson {
            today: o.satisfaction_today,
            this_week: o.satisfaction_week,
        },
    }))
}

/// A customer department's overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOverviewJson {
    /// The department's code.
    pub department: String,
    pub department_name: String,
    #[schema(format = DateTime)]
    pub at: String,
    pub totals: Totals,
    pub service_level: ServiceLevelsJson,
    /// Per provider unit, by name.
    pub by_provider: Vec<GroupTotals>,
    /// Per service, by name.
    pub by_service: Vec<GroupTotals>,
    /// Open cases, the earliest due first (at most 50).
    pub open_cases: Vec<CaseJson>,
    pub open_more: bool,
    /// Cases resolved or closed in the last 30 days, the latest first (at most 50).
    pub recently_resolved: Vec<CaseJson>,
}

/// A customer department's overview for its customer managers: its cases (and its units')
/// at every provider, the service level today and this week, totals per provider unit and
/// per service (open, near and past target, resolved and breached this month), its open and
/// recently resolved cases. See docs/overview.md.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{code}/overview",
    operation_id = "customerOverview",
    tag = "overview",
    security(("bearer" = ["read"])),
    params(("code" = String, Path, description = "The customer department's code", example = "SOF")),
    responses(
        (status = 200, description = "The overview", body = CustomerOverviewJson),
        ReadErrors,
    )
)]
pub async fn customer(
    State(st): State<AppState>,
    ApiAuth(s, _): ApiAuth<scope::Read>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery,
) -> Result<Json<CustomerOverviewJson>, ApiError> {
    no_query(&q)?;
    let o = st.app.customer_overview(&s.principal, &code).await?;
    Ok(Json(CustomerOverviewJson {
        department: o.unit.code.clone(),
        department_name: o.unit.name.clone(),
        at: serva_domain::time::iso_local(o.at),
        totals: o.totals.total,
        service_level: ServiceLevelsJson {
            today: o.today,
            this_week: o.week,
        },
        by_provider: o.totals.by_provider,
        by_service: o.totals.by_service,
        open_cases: o.open.iter().map(CaseJson::from).collect(),
        open_more: o.open_more,
        recently_resolved: o.recent.iter().map(CaseJson::from).collect(),
    }))
}
