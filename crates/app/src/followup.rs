//! Follow-up work: the follow-up page of an administration and date, and every change made
//! there — forecasts by unit managers; goal assessments, texts, assignments, control results,
//! indicator values and events by the administration's head, controllers and administrators;
//! text approval by the head. What a person may not open answers "not found".

use serva_domain::access::Principal;
use serva_domain::followup::entries::{
    FollowupOverview, ForecastUnit, NarrativeEntry, NarrativePage, OrgRef,
};
use serva_domain::followup::{
    Assessment, AssignmentStatus, ControlResult, Gender, NarrativeStatus,
};
use serva_domain::refusal::Refusal;
use serva_domain::report::{ReportParams, ReportUnit};

use crate::reports::administration;
use crate::{App, AppError, AppResult};

/// A control point's result as entered.
#[derive(Debug, Clone)]
pub struct ControlResultInput {
    pub result: ControlResult,
    pub findings: String,
    pub actions: String,
    pub carries_over: bool,
}

/// An indicator value as entered: the period (`2019`, `2019-08`, `2019-W35`), whose value, and
/// the target.
#[derive(Debug, Clone)]
pub struct IndicatorValueInput {
    pub period: String,
    pub gender: Gender,
    pub value: Option<f64>,
    pub target: Option<f64>,
}

impl App {
    /// The administration whose follow-up this person may open: one whose reports they read,
    /// or one with a unit they make forecasts for.
    async fn followup_org(&self, p: &Principal, code: &str) -> AppResult<ReportUnit> {
        let org = self
            .db
            .report_unit_by_code(code)
            .await
            .map_err(administration)?;
        if p.can_read_reports(org.id) || self.forecasts_in(p, &org).await? {
            Ok(org)
        } else {
            Err(AppError::NotFound("administration"))
        }
    }

    async fn forecasts_in(&self, p: &Principal, org: &ReportUnit) -> AppResult<bool> {
        Ok(self
            .db
            .report_units()
            .await?
            .iter()
            .any(|u| u.parent == Some(org.id) && p.can_forecast(u.id)))
    }

    /// The administration whose follow-up this person may write.
    async fn writable_org(&self, p: &Principal, code: &str) -> AppResult<ReportUnit> {
        let org = self.followup_org(p, code).await?;
        if !p.can_write_followup(org.id) {
            return Err(AppError::NotFound("administration"));
        }
        Ok(org)
    }

    /// The follow-up asked for, with what the request leaves out filled in: the first
    /// administration (by name) whose follow-up this person may open, the date from its data,
    /// the year of the date.
    pub async fn followup_params(
        &self,
        p: &Principal,
        org: Option<&str>,
        year: Option<&str>,
        through: Option<&str>,
    ) -> AppResult<ReportParams> {
        let org = match org {
            Some(o) => o.to_string(),
            None => {
                let mut first = None;
                for u in self.db.administrations().await? {
                    if p.can_read_reports(u.id) || self.forecasts_in(p, &u).await? {
                        first = Some(u.code);
                        break;
                    }
                }
                first.ok_or(AppError::NotFound("administration"))?
            }
        };
        self.report_params_or_default(&org, year, through).await
    }

    /// The follow-up page: forecasts of the units in use, goals with their assessments for the
    /// date, texts, assignments, control points, hand-entered indicators and events. Whoever
    /// reads the administration's reports sees all of it; a unit's manager sees the forecasts
    /// of the units they manage and nothing else (`Principal::can_see_forecast`,
    /// `can_see_whole_followup`).
    pub async fn followup(&self, p: &Principal, q: &ReportParams) -> AppResult<FollowupOverview> {
        let org = self.followup_org(p, &q.org).await?;
        let through = q.through_text();
        let db = &self.db;
        let units: Vec<ForecastUnit> = db
            .units_in_use(org.id, &through)
            .await?
            .into_iter()
            .filter(|u| p.can_see_forecast(org.id, u.id))
            .map(|u| ForecastUnit {
                may_forecast: p.can_forecast(u.id),
                id: u.id,
                code: u.code,
                name: u.name,
            })
            .collect();
        let mut forecasts = db.forecasts(q.year, &through).await?;
        forecasts.retain(|f| units.iter().any(|u| u.id == f.unit));
        let whole = p.can_see_whole_followup(org.id);
        let mut o = FollowupOverview {
            units,
            forecasts,
            goals: vec![],
            may_read_report: p.can_read_reports(org.id),
            may_write: p.can_write_followup(org.id),
            texts: vec![],
            assignments: vec![],
            controls: vec![],
            indicators: vec![],
            events: vec![],
            handoffs: vec![],
            org: OrgRef {
                id: org.id,
                code: org.code,
                name: org.name,
            },
            year: q.year,
            through: through.clone(),
        };
        if whole {
            o.goals = db.goals_with_assessment(org.id, q.year, &through).await?;
            o.texts = db.narratives(org.id, &through).await?;
            o.assignments = db.assignment_entries(org.id, q.year).await?;
            o.controls = db.control_entries(org.id, q.year, &through).await?;
            o.indicators = db.indicator_entries(org.id).await?;
            o.events = db.event_entries(org.id, &through).await?;
        }
        if o.may_read_report {
            // The same pairs, named the same way, as the report of this date.
            let units = db.report_units().await?;
            let providers = serva_domain::report::org::provider_units(&units, o.org.id);
            let period = serva_domain::report::ActivityPeriod::new(q.year, q.through);
            let pairs = db
                .handoff_pairs(&providers, period.start, period.end)
                .await?;
            o.handoffs = serva_domain::report::handoffs::handoff_rows(&pairs, &units, o.org.id);
        }
        Ok(o)
    }

    /// A unit's full-year forecast (amounts in öre), made on the follow-up date by the unit's
    /// manager, a controller or an administrator.
    pub async fn save_forecast(
        &self,
        p: &Principal,
        q: &ReportParams,
        unit: &str,
        revenue: i64,
        cost: i64,
        comment: &str,
    ) -> AppResult<()> {
        let org = self.followup_org(p, &q.org).await?;
        let unit = self.db.report_unit_by_code(unit).await?;
        if unit.parent != Some(org.id) || !p.can_forecast(unit.id) {
            return Err(AppError::NotFound("unit"));
        }
        self.db
            .save_forecast(
                p.user,
                unit.id,
                q.year,
                &q.through_text(),
                revenue,
                cost,
                comment,
            )
            .await?;
        Ok(())
    }

    /// Assesses one of the administration's goals for the date.
    pub async fn assess_goal(
        &self,
        p: &Principal,
        q: &ReportParams,
        goal: i64,
        assessment: Assessment,
        analysis: &str,
    ) -> AppResult<()> {
        let org = self.writable_org(p, &q.org).await?;
        let through = q.through_text();
        let goals = self
            .db
            .goals_with_assessment(org.id, q.year, &through)
            .await?;
        if !goals.iter().any(|g| g.id == goal) {
            return Err(AppError::NotFound("goal"));
        }
        self.db
            .assess_goal(p.user, goal, &through, assessment, analysis)
            .await?;
        Ok(())
    }

    /// Starts a text of the report for a section (or rewrites the section's text): a draft.
    pub async fn new_text(
        &self,
        p: &Principal,
        q: &ReportParams,
        section: &str,
        title: &str,
        body: &str,
    ) -> AppResult<i64> {
        let org = self.writable_org(p, &q.org).await?;
        Ok(self
            .db
            .save_narrative(
                p.user,
                org.id,
                &q.through_text(),
                section.trim(),
                title,
                body,
            )
            .await?)
    }

    /// A text and the administration it belongs to, if this person may write its follow-up.
    async fn text_of(&self, p: &Principal, id: i64) -> AppResult<(ReportUnit, NarrativeEntry)> {
        let (org, text) = self.db.narrative(id).await?;
        let org = self.db.report_unit(org).await?;
        if !p.can_write_followup(org.id) {
            return Err(AppError::NotFound("text"));
        }
        Ok((org, text))
    }

    /// A text with its history.
    pub async fn text(&self, p: &Principal, id: i64) -> AppResult<NarrativePage> {
        let (org, text) = self.text_of(p, id).await?;
        Ok(NarrativePage {
            history: self.db.narrative_history(text.id).await?,
            may_approve: p.can_approve_reports(org.id),
            org_code: org.code,
            text,
        })
    }

    /// The approved report dates a change of this text does not reach (see
    /// `approved_dates_reached`).
    pub async fn text_approved_dates(&self, p: &Principal, id: i64) -> AppResult<Vec<String>> {
        let (org, t) = self.text_of(p, id).await?;
        let through = self.db.narrative_through(t.id).await?;
        let year: i32 = through
            .get(..4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| AppError::Invalid(format!("the text's date {through}")))?;
        Ok(self.db.approved_dates_from(org.id, year, &through).await?)
    }

    /// Rewrites a text; it becomes a draft again.
    pub async fn save_text(&self, p: &Principal, id: i64, body: &str) -> AppResult<()> {
        let (org, t) = self.text_of(p, id).await?;
        let through = self.db.narrative_through(t.id).await?;
        self.db
            .save_narrative(p.user, org.id, &through, &t.section, &t.title, body)
            .await?;
        Ok(())
    }

    /// Moves a text along its workflow; only the head or an administrator approves.
    pub async fn set_text_status(
        &self,
        p: &Principal,
        id: i64,
        to: NarrativeStatus,
    ) -> AppResult<()> {
        let (org, t) = self.text_of(p, id).await?;
        if to == NarrativeStatus::Approved && !p.can_approve_reports(org.id) {
            return Err(AppError::forbidden(
                "only the administration's head or an administrator approves its texts",
            ));
        }
        self.db.set_narrative_status(p.user, t.id, to).await?;
        Ok(())
    }

    /// Sets a strategic assignment's status and comment.
    pub async fn set_assignment(
        &self,
        p: &Principal,
        q: &ReportParams,
        id: i64,
        status: AssignmentStatus,
        comment: &str,
    ) -> AppResult<()> {
        let org = self.writable_org(p, &q.org).await?;
        let assignments = self.db.assignment_entries(org.id, q.year).await?;
        if !assignments.iter().any(|a| a.id == id) {
            return Err(AppError::NotFound("assignment"));
        }
        self.db.set_assignment(p.user, id, status, comment).await?;
        Ok(())
    }

    /// Records a control point's result for the date.
    pub async fn set_control_result(
        &self,
        p: &Principal,
        q: &ReportParams,
        id: i64,
        r: &ControlResultInput,
    ) -> AppResult<()> {
        let org = self.writable_org(p, &q.org).await?;
        let through = q.through_text();
        let controls = self.db.control_entries(org.id, q.year, &through).await?;
        if !controls.iter().any(|c| c.id == id) {
            return Err(AppError::NotFound("control point"));
        }
        self.db
            .set_control_result(
                p.user,
                id,
                &through,
                r.result,
                &r.findings,
                &r.actions,
                r.carries_over,
            )
            .await?;
        Ok(())
    }

    /// Enters a value of one of the administration's hand-entered indicators, named by code.
    pub async fn set_indicator_value(
        &self,
        p: &Principal,
        q: &ReportParams,
        indicator: &str,
        v: &IndicatorValueInput,
    ) -> AppResult<()> {
        let org = self.writable_org(p, &q.org).await?;
        let indicators = self.db.indicator_entries(org.id).await?;
        let ind = indicators
            .iter()
            .find(|i| i.code == indicator)
            .ok_or(AppError::NotFound("indicator"))?;
        // The same rule as an imported value: the report sorts, groups and labels by it.
        let period = v.period.trim();
        if !serva_domain::import::valid_period(period) {
            return Err(AppError::Refused(Refusal::IndicatorPeriod));
        }
        self.db
            .set_indicator_value(p.user, ind.id, period, v.gender, v.value, v.target)
            .await?;
        Ok(())
    }

    /// Adds an important decision (or an event) to the report of the date.
    pub async fn add_event(
        &self,
        p: &Principal,
        q: &ReportParams,
        decision: bool,
        body: &str,
    ) -> AppResult<()> {
        let org = self.writable_org(p, &q.org).await?;
        self.db
            .add_event(p.user, org.id, &q.through_text(), decision, body)
            .await?;
        Ok(())
    }

    pub async fn delete_event(&self, p: &Principal, q: &ReportParams, id: i64) -> AppResult<()> {
        let org = self.writable_org(p, &q.org).await?;
        self.db.delete_event(p.user, org.id, id).await?;
        Ok(())
    }
}
