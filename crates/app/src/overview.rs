//! The manager's overview (docs/overview.md): a provider unit's open cases per agent and state,
//! their ages, the cases near or past target, the service level and satisfaction of today and
//! this week, moving cases between its agents in bulk; and a customer department's cases with
//! the same SLA figures and totals per provider unit and service.

use serva_domain::access::{Principal, Visibility};
use serva_domain::org::Unit;
use serva_domain::overview::{
    customer_totals, workload, ChosenCases, CustomerOverview, Holder, PeriodLevel, Spans,
    UnitOverview, LIST_MAX, RECENT_DAYS,
};
use serva_domain::queue_work::BadBulkChange;
use serva_domain::refusal::Refusal;
use serva_domain::survey::Period;
use serva_domain::user::User;
use serva_domain::{CaseId, UserId};
use serva_store::cases::{AssigneeFilter, CaseFilter, CaseSort, SlaFilter, StatusFilter};
use serva_store::catalogue::ServiceFilter;
use serva_store::overview::OverviewScope;
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// Most cases of one agent listed for reassigning.
pub const CHOSEN_MAX: i64 = 100;

/// A bulk reassignment done: every case chosen is now `to`'s.
#[derive(Debug, Clone)]
pub struct Reassigned {
    pub unit: Unit,
    pub to: User,
    /// The cases chosen (those that were `to`'s already included).
    pub cases: Vec<CaseId>,
    /// How many of them changed hands.
    pub changed: usize,
}

/// The units and departments whose overview a person may open.
#[derive(Debug, Clone, Default)]
pub struct OverviewChoices {
    /// Provider units with a queue (a service of their own).
    pub units: Vec<Unit>,
    pub departments: Vec<Unit>,
}

impl App {
    /// A provider unit whose overview `p` may see, by code: forbidden for the unit's agents,
    /// "not found" for everyone else.
    async fn overview_unit(&self, p: &Principal, code: &str) -> AppResult<Unit> {
        match self.db().unit_by_code(code).await {
            Ok(u) if u.kind.is_provider() && p.can_see_unit_overview(u.id) => Ok(u),
            Ok(u) if u.kind.is_provider() && p.can_see_queue(u.id) => Err(AppError::forbidden(
                "only the unit's managers see its overview",
            )),
            // A code no unit can have (PostgreSQL refuses a NUL in text) names no unit either.
            Ok(_) | Err(StoreError::NotFound(_)) | Err(StoreError::Invalid(_)) => {
                Err(AppError::NotFound("unit"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A customer department whose overview `p` may see, by code: forbidden for the
    /// department's own staff, "not found" for everyone else.
    async fn overview_department(&self, p: &Principal, code: &str) -> AppResult<Unit> {
        match self.db().unit_by_code(code).await {
            Ok(u) if u.kind.is_customer() && p.can_see_customer_overview(u.id) => Ok(u),
            Ok(u) if u.kind.is_customer() && p.orders_for.iter().any(|(o, _)| *o == u.id) => Err(
                AppError::forbidden("only the department's managers see its overview"),
            ),
            Ok(_) | Err(StoreError::NotFound(_)) | Err(StoreError::Invalid(_)) => {
                Err(AppError::NotFound("department"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The overviews `p` may open: the provider units they manage that have a queue, and
    /// the customer departments they oversee; "not found" when there are none.
    pub async fn overview_choices(&self, p: &Principal) -> AppResult<OverviewChoices> {
        let db = self.db();
        let services = db
            .services(&ServiceFilter {
                include_inactive: true,
                ..Default::default()
            })
            .await?;
        let mut out = OverviewChoices::default();
        for u in db.units().await? {
            if u.kind.is_provider()
                && p.can_see_unit_overview(u.id)
                && services.iter().any(|s| s.unit_id == u.id)
            {
                out.units.push(u);
            } else if u.kind.is_customer() && p.can_see_customer_overview(u.id) {
                out.departments.push(u);
            }
        }
        if out.units.is_empty() && out.departments.is_empty() {
            return Err(AppError::NotFound("overview"));
        }
        Ok(out)
    }

    /// A provider unit's overview at this moment; `holder` chooses whose open cases to list
    /// for reassigning.
    pub async fn unit_overview(
        &self,
        p: &Principal,
        code: &str,
        holder: Option<Holder>,
    ) -> AppResult<UnitOverview> {
        let unit = self.overview_unit(p, code).await?;
        let db = self.db();
        let now = serva_domain::time::now_ms();
        let spans = Spans::at(now);
        let agents = db.agents_of(unit.id).await?;
        let counts = db.open_counts(unit.id, now).await?;
        let open_cases = |sla: Option<SlaFilter>, assignee: Option<AssigneeFilter>, n: i64| {
            let mut f = CaseFilter::new(Visibility::All);
            f.unit = Some(unit.id);
            f.status = Some(StatusFilter::Active);
            f.sla = sla;
            f.assignee = assignee;
            f.sort = CaseSort::Due;
            f.per_page = n;
            f
        };
        let at_risk = db
            .list_cases(&open_cases(Some(SlaFilter::AtRisk { now }), None, LIST_MAX))
            .await?;
        let chosen = match holder {
            None => None,
            Some(h) => {
                let who = match h {
                    Holder::Unassigned => AssigneeFilter::Unassigned,
                    Holder::Agent(u) => AssigneeFilter::User(u),
                };
                let page = db
                    .list_cases(&open_cases(None, Some(who), CHOSEN_MAX))
                    .await?;
                Some(ChosenCases {
                    holder: h,
                    cases: page.cases,
                    more: page.has_next,
                })
            }
        };
        let levels = db
            .sla_period_counts(OverviewScope::Unit(unit.id), &[spans.today, spans.week])
            .await?;
        let day = Period {
            from: spans.date,
            to: spans.date,
        };
        let week = Period {
            from: spans.monday,
            to: spans.date,
        };
        let (today_surveys, _) = self.survey_figures_of(p, &unit, day, 0).await?;
        let (week_surveys, _) = self.survey_figures_of(p, &unit, week, 0).await?;
        let phone = self.unit_phone_level(&unit, now).await?;
        Ok(UnitOverview {
            workload: workload(&counts, &agents),
            at_risk: at_risk.cases,
            at_risk_more: at_risk.has_next,
            today: PeriodLevel::of(&levels[0]),
            week: PeriodLevel::of(&levels[1]),
            satisfaction_today: today_surveys.total,
            satisfaction_week: week_surveys.total,
            phone,
            agents,
            chosen,
            spans,
            unit,
            at: now,
        })
    }

    /// Assigns every case of `cases` to the agent `to`, all in one transaction or none: each
    /// case must be in the unit's queue and `to` must work it. Each case is audited and gets
    /// its history entry and its event, as a single assignment does.
    pub async fn reassign_cases(
        &self,
        p: &Principal,
        code: &str,
        cases: &[CaseId],
        to: UserId,
    ) -> AppResult<Reassigned> {
        let unit = self.overview_unit(p, code).await?;
        let done = match self.change_cases_in(p, unit, cases, Some(to), None).await {
            Ok(done) => done,
            Err(AppError::Refused(Refusal::BulkChange(BadBulkChange::Cases(e)))) => {
                return Err(AppError::Refused(Refusal::Reassign(e)))
            }
            Err(e) => return Err(e),
        };
        let agent = done.to.ok_or(AppError::Refused(Refusal::NotAgentOfQueue))?;
        Ok(Reassigned {
            unit: done.unit,
            to: agent,
            changed: done.edited.assigned.len(),
            cases: done.cases,
        })
    }

    /// A customer department's overview (with its sub-units) at this moment.
    pub async fn customer_overview(
        &self,
        p: &Principal,
        code: &str,
    ) -> AppResult<CustomerOverview> {
        let unit = self.overview_department(p, code).await?;
        let db = self.db();
        let now = serva_domain::time::now_ms();
        let spans = Spans::at(now);
        let nodes = db.unit_nodes().await?;
        let units = serva_domain::org::subtree(&nodes, unit.id);
        let rows = db.customer_counts(&units, now, spans.month).await?;
        let levels = db
            .sla_period_counts(OverviewScope::Customers(&units), &[spans.today, spans.week])
            .await?;
        let (open, open_more) = db.customer_open_cases(&units, LIST_MAX).await?;
        let since = now - RECENT_DAYS * 24 * 3_600_000;
        let recent = db.customer_recent_cases(&units, since, LIST_MAX).await?;
        Ok(CustomerOverview {
            totals: customer_totals(&rows),
            today: PeriodLevel::of(&levels[0]),
            week: PeriodLevel::of(&levels[1]),
            open,
            open_more,
            recent,
            spans,
            unit,
            at: now,
        })
    }
}
