//! Follow-up work, read and written by the people responsible: forecasts, goal assessments,
//! strategic assignments, internal control results, hand-entered indicator values, the
//! report's events and the phone queues' rules. Every write is audited. (The report's texts
//! are in `narratives`; what the report is computed from is read in `report_facts`.)

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serva_domain::followup::entries::{
    AssignmentEntry, ControlEntry, EventEntry, ForecastEntry, GoalEntry, IndicatorEntry,
};
use serva_domain::followup::{
    Assessment, AssignmentStatus, ControlResult, Gender, GoalArea, QueueRule,
};
use serva_domain::{UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::decode::{flag, flag_opt, known, known_opt};
use crate::{Db, StoreError, StoreResult};

/// Parses a report date, `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> StoreResult<NaiveDate> {
    serva_domain::report::params::parse_date(s).map_err(StoreError::Invalid)
}

impl Db {
    /// The newest forecast of each unit for `year` made on or before `through`.
    pub async fn forecasts(&self, year: i32, through: &str) -> StoreResult<Vec<ForecastEntry>> {
        let rows: Vec<(i64, String, i64, i64, Option<String>)> = sqlx::query_as(
            "SELECT unit_id, made_on, revenue, cost, comment FROM fin_forecast WHERE year = $1 AND made_on <= $2 ORDER BY made_on",
        )
        .bind(i64::from(year))
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        let mut latest: HashMap<i64, ForecastEntry> = HashMap::new();
        for (unit, made_on, revenue, cost, comment) in rows {
            latest.insert(
                unit,
                ForecastEntry {
                    unit: UnitId(unit),
                    made_on,
                    revenue,
                    cost,
                    comment,
                },
            );
        }
        Ok(latest.into_values().collect())
    }

    /// Records a unit's full-year forecast made on `made_on` (replacing one made the same day).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_forecast(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        year: i32,
        made_on: &str,
        revenue: i64,
        cost: i64,
        comment: &str,
    ) -> StoreResult<()> {
        let d = parse_date(made_on)?;
        if d.year() != year {
            return Err(StoreError::Invalid(format!(
                "the forecast date {made_on} is not in {year}"
            )));
        }
        if revenue < 0 || cost < 0 {
            return Err(StoreError::Invalid(
                "revenue and cost are amounts of at least zero".into(),
            ));
        }
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        sqlx::query(
            "INSERT INTO fin_forecast (unit_id, year, made_on, revenue, cost, comment, author_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (unit_id, year, made_on) DO UPDATE SET \
             revenue = excluded.revenue, cost = excluded.cost, comment = excluded.comment, author_id = excluded.author_id, \
             created_at = excluded.created_at",
        )
        .bind(unit.0)
        .bind(i64::from(year))
        .bind(made_on)
        .bind(revenue)
        .bind(cost)
        .bind(comment.trim())
        .bind(actor.map(|a| a.0))
        .bind(now)
        .execute(tx.conn())
        .await?;
        tx.commit(Change::new(Action::SaveForecast, Entity::Unit(unit)).after(serde_json::json!({ "year": year, "made_on": made_on, "revenue": revenue, "cost": cost, "comment": comment }))).await?;
        Ok(())
    }

    /// An administration's goals of a year with their assessment made for `through`.
    pub async fn goals_with_assessment(
        &self,
        org: UnitId,
        year: i32,
        through: &str,
    ) -> StoreResult<Vec<GoalEntry>> {
        type Row = (i64, String, String, String, Option<String>, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT g.id, g.area, g.name, g.description, a.assessment, a.analysis FROM goals g \
             LEFT JOIN goal_assessments a ON a.goal_id = g.id AND a.through = $3 \
             WHERE g.org_unit_id = $1 AND g.year = $2 ORDER BY g.position",
        )
        .bind(org.0)
        .bind(i64::from(year))
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(id, area, name, description, assessment, analysis)| {
                Ok(GoalEntry {
                    area: known(
                        format_args!("goals.area of goal {id}"),
                        &area,
                        GoalArea::parse,
                    )?,
                    assessment: known_opt(
                        format_args!("goal_assessments.assessment of goal {id} on {through}"),
                        assessment.as_deref(),
                        Assessment::parse,
                    )?,
                    id,
                    name,
                    description,
                    analysis,
                })
            })
            .collect()
    }

    pub async fn assess_goal(
        &self,
        actor: Option<UserId>,
        goal: i64,
        through: &str,
        assessment: Assessment,
        analysis: &str,
    ) -> StoreResult<()> {
        parse_date(through)?;
        let before: Option<(String, String)> = sqlx::query_as(
            "SELECT assessment, analysis FROM goal_assessments WHERE goal_id = $1 AND through = $2",
        )
        .bind(goal)
        .bind(through)
        .fetch_optional(&self.read)
        .await?;
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        sqlx::query(
            "INSERT INTO goal_assessments (goal_id, through, assessment, analysis, author_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (goal_id, through) DO UPDATE SET assessment = excluded.assessment, analysis = excluded.analysis, \
             author_id = excluded.author_id, updated_at = excluded.updated_at",
        )
        .bind(goal)
        .bind(through)
        .bind(assessment.as_str())
        .bind(analysis.trim())
        .bind(actor.map(|a| a.0))
        .bind(now)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "assessment"))?;
        tx.commit(Change::new(Action::Assess, Entity::Goal(goal)).before(before.map(|(a, t)| serde_json::json!({ "assessment": a, "analysis": t })).as_ref()).after(serde_json::json!({ "through": through, "assessment": assessment, "analysis": analysis }))).await?;
        Ok(())
    }

    /// The control points of an administration's units for a year, with their results on `through`.
    pub async fn control_entries(
        &self,
        org: UnitId,
        year: i32,
        through: &str,
    ) -> StoreResult<Vec<ControlEntry>> {
        type Row = (
            i64,
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let nodes = self.unit_nodes().await?;
        let ids = serva_domain::org::subtree(&nodes, org);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT p.unit_id, p.id, u.code, p.name, r.result, r.findings, r.actions, r.carries_over FROM control_points p \
             JOIN units u ON u.id = p.unit_id LEFT JOIN control_results r ON r.control_id = p.id AND r.through = $2 \
             WHERE p.year = $1 ORDER BY p.id",
        )
        .bind(i64::from(year))
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .filter(|r| ids.contains(&UnitId(r.0)))
            .map(
                |(_, id, unit_code, name, result, findings, actions, carries_over)| {
                    Ok(ControlEntry {
                        result: known_opt(
                            format_args!("control_results.result of control point {id}"),
                            result.as_deref(),
                            ControlResult::parse,
                        )?,
                        id,
                        unit_code,
                        name,
                        findings,
                        actions,
                        carries_over: flag_opt(
                            format_args!("control_results.carries_over of control point {id}"),
                            carries_over,
                        )?,
                    })
                },
            )
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn set_control_result(
        &self,
        actor: Option<UserId>,
        control: i64,
        through: &str,
        result: ControlResult,
        findings: &str,
        actions: &str,
        carries_over: bool,
    ) -> StoreResult<()> {
        parse_date(through)?;
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query(
            "INSERT INTO control_results (control_id, through, result, findings, actions, carries_over) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (control_id, through) DO UPDATE SET result = excluded.result, findings = excluded.findings, \
             actions = excluded.actions, carries_over = excluded.carries_over",
        )
        .bind(control)
        .bind(through)
        .bind(result.as_str())
        .bind(findings.trim())
        .bind(actions.trim())
        .bind(i64::from(carries_over))
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "control result"))?;
        tx.commit(Change::new(Action::ControlResult, Entity::ControlPoint(control)).after(serde_json::json!({ "through": through, "result": result, "findings": findings, "actions": actions, "carries_over": carries_over }))).await?;
        Ok(())
    }

    pub async fn assignment_entries(
        &self,
        org: UnitId,
        year: i32,
    ) -> StoreResult<Vec<AssignmentEntry>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, body, status, comment FROM strategic_assignments WHERE org_unit_id = $1 AND year = $2 ORDER BY position",
        )
        .bind(org.0)
        .bind(i64::from(year))
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(id, body, status, comment)| {
                Ok(AssignmentEntry {
                    status: known(
                        format_args!("strategic_assignments.status of assignment {id}"),
                        &status,
                        AssignmentStatus::parse,
                    )?,
                    id,
                    body,
                    comment,
                })
            })
            .collect()
    }

    pub async fn set_assignment(
        &self,
        actor: Option<UserId>,
        id: i64,
        status: AssignmentStatus,
        comment: &str,
    ) -> StoreResult<()> {
        let before: Option<(String, String)> =
            sqlx::query_as("SELECT status, comment FROM strategic_assignments WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.read)
                .await?;
        let (old_status, old_comment) = before.ok_or(StoreError::NotFound("assignment"))?;
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query("UPDATE strategic_assignments SET status = $1, comment = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(comment.trim())
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::Update, Entity::Assignment(id))
                .before(serde_json::json!({ "status": old_status, "comment": old_comment }))
                .after(serde_json::json!({ "status": status, "comment": comment })),
        )
        .await?;
        Ok(())
    }

    /// The indicators of an administration whose values are entered (not computed).
    pub async fn indicator_entries(&self, org: UnitId) -> StoreResult<Vec<IndicatorEntry>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, code, name, measure FROM indicators WHERE org_unit_id = $1 AND computed_from IS NULL ORDER BY position",
        )
        .bind(org.0)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name, measure)| IndicatorEntry {
                id,
                code,
                name,
                measure,
            })
            .collect())
    }

    /// Enters an indicator value by hand.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_indicator_value(
        &self,
        actor: Option<UserId>,
        indicator: i64,
        period: &str,
        gender: Gender,
        value: Option<f64>,
        target: Option<f64>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query(
            "INSERT INTO indicator_values (indicator_id, period, gender, value, target, source) \
             VALUES ($1, $2, $3, CAST($4 AS DOUBLE PRECISION), CAST($5 AS DOUBLE PRECISION), 'manual') \
             ON CONFLICT (indicator_id, period, gender) DO UPDATE SET value = excluded.value, target = excluded.target, source = 'manual'",
        )
        .bind(indicator)
        .bind(period)
        .bind(gender.as_str())
        .bind(value.map(|v| v.to_string()))
        .bind(target.map(|v| v.to_string()))
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "indicator value"))?;
        tx.commit(Change::new(Action::SetValue, Entity::Indicator(indicator)).after(serde_json::json!({ "period": period, "gender": gender, "value": value, "target": target }))).await?;
        Ok(())
    }

    pub async fn event_entries(&self, org: UnitId, through: &str) -> StoreResult<Vec<EventEntry>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, decision, body FROM report_events WHERE org_unit_id = $1 AND through = $2 ORDER BY position, id",
        )
        .bind(org.0)
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(id, decision, body)| {
                Ok(EventEntry {
                    id,
                    decision: flag(format_args!("report_events.decision of {id}"), decision)?,
                    body,
                })
            })
            .collect()
    }

    /// Adds an important decision or event to the report of `through`.
    pub async fn add_event(
        &self,
        actor: Option<UserId>,
        org: UnitId,
        through: &str,
        decision: bool,
        body: &str,
    ) -> StoreResult<()> {
        parse_date(through)?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 5_000 {
            return Err(StoreError::Invalid(
                "an event needs a text of at most 5 000 characters".into(),
            ));
        }
        let mut tx = self.begin_audited(actor).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO report_events (org_unit_id, through, decision, body, position) \
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM report_events)) RETURNING id",
        )
        .bind(org.0)
        .bind(through)
        .bind(i64::from(decision))
        .bind(body)
        .fetch_one(tx.conn())
        .await?;
        tx.commit(
            Change::new(Action::Create, Entity::ReportEvent(id))
                .after(serde_json::json!({ "decision": decision, "body": body })),
        )
        .await?;
        Ok(())
    }

    pub async fn delete_event(
        &self,
        actor: Option<UserId>,
        org: UnitId,
        id: i64,
    ) -> StoreResult<()> {
        let before: Option<(String,)> =
            sqlx::query_as("SELECT body FROM report_events WHERE id = $1 AND org_unit_id = $2")
                .bind(id)
                .bind(org.0)
                .fetch_optional(&self.read)
                .await?;
        let (body,) = before.ok_or(StoreError::NotFound("event"))?;
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query("DELETE FROM report_events WHERE id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::Delete, Entity::ReportEvent(id))
                .before(serde_json::json!({ "body": body })),
        )
        .await?;
        Ok(())
    }

    /// Sets a phone queue's service-level rule.
    pub async fn set_queue_rule(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        rule: &QueueRule,
    ) -> StoreResult<()> {
        if !(1..=3_600).contains(&rule.answer_within_seconds)
            || !(0..=600).contains(&rule.abandon_grace_seconds)
            || !(0.0..=100.0).contains(&rule.target_percent)
        {
            return Err(StoreError::Invalid(
                "answer within 1–3 600 s, grace 0–600 s, target 0–100 %".into(),
            ));
        }
        let before = self.queue_rule(unit.0).await?;
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query(
            "INSERT INTO queue_settings (unit_id, answer_within_seconds, abandon_grace_seconds, target_percent) \
             VALUES ($1, $2, $3, CAST($4 AS DOUBLE PRECISION)) ON CONFLICT (unit_id) DO UPDATE SET \
             answer_within_seconds = excluded.answer_within_seconds, abandon_grace_seconds = excluded.abandon_grace_seconds, \
             target_percent = excluded.target_percent",
        )
        .bind(unit.0)
        .bind(rule.answer_within_seconds)
        .bind(rule.abandon_grace_seconds)
        .bind(rule.target_percent.to_string())
        .execute(tx.conn())
        .await?;
        tx.commit(
            Change::new(Action::SetQueueRule, Entity::Unit(unit))
                .before(serde_json::to_value(before).ok().as_ref())
                .after(serde_json::to_value(rule).ok().as_ref()),
        )
        .await?;
        Ok(())
    }
}
