//! A provider unit's dashboard (docs/overview.md): its cases per week by channel, the share of
//! SLA clocks met per week against the target, the satisfaction index per week, and its open
//! cases by age in working days. A handful of grouped queries, whatever the unit's history.

use serva_domain::access::Principal;
use serva_domain::dashboard::{
    backlog, backlog_limits, cases_per_week, last_weeks, UnitDashboard, WeekFigures,
    SERVICE_LEVEL_TARGET,
};
use serva_domain::org::Unit;
use serva_domain::overview::PeriodLevel;
use serva_domain::survey::Period;
use serva_store::overview::OverviewScope;
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

impl App {
    /// A provider unit whose dashboard `p` may see, by code: forbidden for the unit's agents,
    /// "not found" for everyone else.
    async fn dashboard_unit(&self, p: &Principal, code: &str) -> AppResult<Unit> {
        match self.db().unit_by_code(code).await {
            Ok(u) if u.kind.is_provider() && p.can_see_unit_dashboard(u.id) => Ok(u),
            Ok(u) if u.kind.is_provider() && p.can_see_queue(u.id) => Err(AppError::forbidden(
                "only the unit's managers see its dashboard",
            )),
            // A code no unit can have (PostgreSQL refuses a NUL in text) names no unit either.
            Ok(_) | Err(StoreError::NotFound(_)) | Err(StoreError::Invalid(_)) => {
                Err(AppError::NotFound("unit"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A provider unit's dashboard over the last `weeks` weeks (this one included).
    pub async fn unit_dashboard(
        &self,
        p: &Principal,
        code: &str,
        weeks: u32,
    ) -> AppResult<UnitDashboard> {
        let unit = self.dashboard_unit(p, code).await?;
        let db = self.db();
        let now = serva_domain::time::now_ms();
        let spans = last_weeks(now, weeks.max(1));
        let (first, last) = (&spans[0], &spans[spans.len() - 1]);
        let days = db
            .cases_per_day(unit.id, first.first_day(), last.first_day() + 7)
            .await?;
        let cases = cases_per_week(&spans, &days);
        let levels = db
            .sla_period_counts(
                OverviewScope::Unit(unit.id),
                &spans.iter().map(|w| (w.from, w.to)).collect::<Vec<_>>(),
            )
            .await?;
        let today = serva_domain::time::to_local(now).date();
        let (surveys, _) = self
            .survey_figures_of(
                p,
                &unit,
                Period {
                    from: first.monday,
                    to: today,
                },
                0,
            )
            .await?;
        let calendar = db.calendar_settings(unit.id).await?.calendar();
        let limits = backlog_limits(today, |d| calendar.hours_on(d).is_some());
        let (open, before) = db.open_before(unit.id, limits).await?;
        let weeks = spans
            .into_iter()
            .zip(cases)
            .zip(levels.iter().map(PeriodLevel::of))
            .map(|((week, cases), level)| {
                let survey = surveys
                    .by_week
                    .iter()
                    .find(|g| g.key == week.first_day().to_string());
                WeekFigures {
                    cases,
                    first_response: level.first_response,
                    resolution: level.resolution,
                    satisfaction: survey.and_then(|g| g.index),
                    answered: survey.map_or(0, |g| g.answered),
                    week,
                }
            })
            .collect();
        Ok(UnitDashboard {
            unit,
            weeks,
            backlog: backlog(open, before),
            target: SERVICE_LEVEL_TARGET,
            at: now,
        })
    }
}
