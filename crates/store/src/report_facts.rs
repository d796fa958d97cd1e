//! The interim report's facts, read as they are stored: units, ledger months, budgets,
//! forecasts, investments, goals and assessments, indicators and values, staff figures,
//! assignments, control results, texts and events. The rules that turn them into the report
//! are in `serva_domain::report`; here is only which rows belong to an administration, a
//! year and a date.

use chrono::NaiveDate;
use serva_domain::followup::{
    Assessment, AssignmentStatus, ControlResult, Direction, Gender, GoalArea, NarrativeStatus,
    StaffMetric,
};
use serva_domain::report::{
    AssignmentRow, Budget, Control, EventRow, Forecast, Goal, GoalAssessment, Indicator,
    IndicatorValue, Investment, Money, Narrative, OutcomeMonth, ReportFacts, ReportUnit,
    StaffFigure,
};
use serva_domain::UnitId;

use crate::decode::{flag, flag_opt, known, known_opt};
use crate::{Db, StoreError, StoreResult};

type UnitRow = (i64, String, String, Option<i64>, Option<i64>);

fn report_unit((id, code, name, parent, predecessor): UnitRow) -> ReportUnit {
    ReportUnit {
        id: UnitId(id),
        code,
        name,
        parent: parent.map(UnitId),
        predecessor: predecessor.map(UnitId),
    }
}

const UNIT: &str = "SELECT id, code, name, parent_id, predecessor_id FROM units";

impl Db {
    /// Every unit, by name.
    pub async fn report_units(&self) -> StoreResult<Vec<ReportUnit>> {
        let rows: Vec<UnitRow> = sqlx::query_as(&format!("{UNIT} ORDER BY name"))
            .fetch_all(&self.read)
            .await?;
        Ok(rows.into_iter().map(report_unit).collect())
    }

    pub async fn report_unit(&self, id: UnitId) -> StoreResult<ReportUnit> {
        let row: Option<UnitRow> = sqlx::query_as(&format!("{UNIT} WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?;
        row.map(report_unit).ok_or(StoreError::NotFound("unit"))
    }

    pub async fn report_unit_by_code(&self, code: &str) -> StoreResult<ReportUnit> {
        let row: Option<UnitRow> = sqlx::query_as(&format!("{UNIT} WHERE code = $1"))
            .bind(code)
            .fetch_optional(&self.read)
            .await?;
        row.map(report_unit).ok_or(StoreError::NotFound("unit"))
    }

    /// The administrations, by name.
    pub async fn administrations(&self) -> StoreResult<Vec<ReportUnit>> {
        let rows: Vec<UnitRow> = sqlx::query_as(&format!(
            "{UNIT} WHERE kind = 'administration' ORDER BY name"
        ))
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(report_unit).collect())
    }

    /// The units under `parent` still in use on `on` (no end date, or one on or after it), by name.
    pub async fn units_in_use(&self, parent: UnitId, on: &str) -> StoreResult<Vec<ReportUnit>> {
        let rows: Vec<UnitRow> = sqlx::query_as(&format!(
            "{UNIT} WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to >= $2) ORDER BY name"
        ))
        .bind(parent.0)
        .bind(on)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(report_unit).collect())
    }

    /// The latest month with booked outcome of each unit: (unit, year, month).
    pub async fn latest_outcome_months(&self) -> StoreResult<Vec<(UnitId, i32, u32)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT unit_id, CAST(MAX(year * 100 + month) AS BIGINT) FROM fin_outcome GROUP BY unit_id",
        )
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(u, ym)| (UnitId(u), (ym / 100) as i32, (ym % 100) as u32))
            .collect())
    }

    /// What the interim report of `org` for `year` through `through` is computed from, except
    /// the provider units' activity (see [`Db::unit_activity`]) and hand-offs
    /// ([`Db::handoff_pairs`]), which are read for the provider units.
    pub async fn report_facts(
        &self,
        org: &ReportUnit,
        year: i32,
        through: NaiveDate,
    ) -> StoreResult<ReportFacts> {
        let y = i64::from(year);
        let date = through.format("%Y-%m-%d").to_string();
        let through_s = date.as_str();
        let units = self.report_units().await?;

        let outcome = sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(
            "SELECT unit_id, year, month, revenue, cost FROM fin_outcome WHERE year IN ($1, $2)",
        )
        .bind(y)
        .bind(y - 1)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(unit, year, month, revenue, cost)| OutcomeMonth {
            unit: UnitId(unit),
            year: year as i32,
            month: month as u32,
            money: Money { revenue, cost },
        })
        .collect();
        let budgets = sqlx::query_as::<_, (i64, i64, i64, Option<String>)>(
            "SELECT unit_id, revenue, cost, note FROM fin_budget WHERE year = $1",
        )
        .bind(y)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(unit, revenue, cost, note)| Budget {
            unit: UnitId(unit),
            money: Money { revenue, cost },
            note,
        })
        .collect();
        let forecasts = sqlx::query_as::<_, (i64, String, i64, i64)>(
            "SELECT unit_id, made_on, revenue, cost FROM fin_forecast WHERE year = $1 AND made_on <= $2 ORDER BY made_on",
        )
        .bind(y)
        .bind(through_s)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(unit, made_on, revenue, cost)| Forecast {
            unit: UnitId(unit),
            made_on,
            money: Money { revenue, cost },
        })
        .collect();
        let investments = sqlx::query_as::<_, (i64, String, i64, i64, i64, i64, i64)>(
            "SELECT unit_id, project, frame, spent, income, forecast_spent, forecast_income FROM investments WHERE year = $1 ORDER BY id",
        )
        .bind(y)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(unit, project, frame, spent, income, forecast_spent, forecast_income)| Investment {
            unit: UnitId(unit),
            project,
            frame,
            spent,
            income,
            forecast_spent,
            forecast_income,
        })
        .collect();

        let goals = sqlx::query_as::<_, (i64, String, String, String, String)>(
            "SELECT id, area, municipal_goal, name, description FROM goals WHERE org_unit_id = $1 AND year = $2 ORDER BY position",
        )
        .bind(org.id.0)
        .bind(y)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(id, area, municipal_goal, name, description)| {
            Ok(Goal {
                id,
                area: known(format_args!("goals.area of goal {id}"), &area, GoalArea::parse)?,
                municipal_goal,
                name,
                description,
            })
        })
        .collect::<StoreResult<_>>()?;
        let assessments = sqlx::query_as::<_, (i64, String, String, String)>(
            "SELECT a.goal_id, a.through, a.assessment, a.analysis FROM goal_assessments a JOIN goals g ON g.id = a.goal_id \
             WHERE g.org_unit_id = $1 AND g.year = $2 AND a.through <= $3 ORDER BY a.through",
        )
        .bind(org.id.0)
        .bind(y)
        .bind(through_s)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(goal, through, assessment, analysis)| {
            Ok(GoalAssessment {
                assessment: known(
                    format_args!("goal_assessments.assessment of goal {goal} on {through}"),
                    &assessment,
                    Assessment::parse,
                )?,
                goal,
                through,
                analysis,
            })
        })
        .collect::<StoreResult<_>>()?;

        let indicators = self.report_indicators(org.id).await?;
        let values = sqlx::query_as::<_, (i64, String, String, Option<f64>, Option<f64>, Option<i64>)>(
            "SELECT v.indicator_id, v.period, v.gender, v.value, v.target, v.group_size FROM indicator_values v \
             JOIN indicators i ON i.id = v.indicator_id WHERE i.org_unit_id = $1 AND v.period <= $2 ORDER BY v.period",
        )
        .bind(org.id.0)
        .bind(through_s)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(indicator, period, gender, value, target, group_size)| {
            Ok(IndicatorValue {
                gender: known(
                    format_args!("indicator_values.gender of indicator {indicator}, {period}"),
                    &gender,
                    Gender::parse,
                )?,
                indicator,
                period,
                value,
                target,
                group_size,
            })
        })
        .collect::<StoreResult<_>>()?;

        let staff = sqlx::query_as::<_, (String, String, String, f64, Option<f64>)>(
            "SELECT metric, gender, period, value, target FROM staff_figures WHERE org_unit_id = $1 AND period <= $2 ORDER BY metric, gender, period",
        )
        .bind(org.id.0)
        .bind(through_s)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(metric, gender, period, value, target)| {
            let at = format!("staff_figures of {period}");
            Ok(StaffFigure {
                metric: known(format_args!("{at}: metric"), &metric, StaffMetric::parse)?,
                gender: known(format_args!("{at}: gender"), &gender, Gender::parse)?,
                period,
                value,
                target,
            })
        })
        .collect::<StoreResult<_>>()?;

        let assignments = sqlx::query_as::<_, (i64, i64, String, String, String)>(
            "SELECT id, common, body, status, comment FROM strategic_assignments WHERE org_unit_id = $1 AND year = $2 ORDER BY position",
        )
        .bind(org.id.0)
        .bind(y)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(id, common, text, status, comment)| {
            Ok(AssignmentRow {
                common: flag(format_args!("strategic_assignments.common of {id}"), common)?,
                text,
                status: known(
                    format_args!("strategic_assignments.status of assignment {id}"),
                    &status,
                    AssignmentStatus::parse,
                )?,
                comment,
            })
        })
        .collect::<StoreResult<_>>()?;

        #[derive(sqlx::FromRow)]
        struct Ctl {
            id: i64,
            unit_id: i64,
            name: String,
            risk: String,
            method: String,
            frequency: String,
            owner: String,
            result: Option<String>,
            findings: Option<String>,
            actions: Option<String>,
            carries_over: Option<i64>,
        }
        let controls = sqlx::query_as::<_, Ctl>(
            "SELECT p.id, p.unit_id, p.name, p.risk, p.method, p.frequency, p.owner, r.result, r.findings, r.actions, r.carries_over \
             FROM control_points p LEFT JOIN control_results r ON r.control_id = p.id AND r.through = \
               (SELECT MAX(r2.through) FROM control_results r2 WHERE r2.control_id = p.id AND r2.through <= $2) \
             WHERE p.year = $1 ORDER BY p.id",
        )
        .bind(y)
        .bind(through_s)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|c| {
            Ok(Control {
                result: known_opt(
                    format_args!("control_results.result of control point {}", c.id),
                    c.result.as_deref(),
                    ControlResult::parse,
                )?,
                unit: UnitId(c.unit_id),
                name: c.name,
                risk: c.risk,
                method: c.method,
                frequency: c.frequency,
                owner: c.owner,
                findings: c.findings,
                actions: c.actions,
                carries_over: flag_opt("control_results.carries_over", c.carries_over)?,
            })
        })
        .collect::<StoreResult<_>>()?;

        let narratives = sqlx::query_as::<_, (i64, String, String, String, String)>(
            "SELECT id, section, title, body, status FROM narratives WHERE org_unit_id = $1 AND through = $2 ORDER BY id",
        )
        .bind(org.id.0)
        .bind(through_s)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(id, section, title, body, status)| {
            Ok(Narrative {
                status: known(
                    format_args!("narratives.status of text {id}"),
                    &status,
                    NarrativeStatus::parse,
                )?,
                section,
                title,
                body,
            })
        })
        .collect::<StoreResult<_>>()?;
        let events = sqlx::query_as::<_, (i64, String)>(
            "SELECT decision, body FROM report_events WHERE org_unit_id = $1 AND through = $2 ORDER BY position",
        )
        .bind(org.id.0)
        .bind(through_s)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(decision, body)| {
            Ok(EventRow {
                decision: flag("report_events.decision", decision)?,
                body,
            })
        })
        .collect::<StoreResult<_>>()?;

        Ok(ReportFacts {
            org: org.clone(),
            year,
            through,
            units,
            outcome,
            budgets,
            forecasts,
            investments,
            goals,
            assessments,
            indicators,
            values,
            staff,
            assignments,
            controls,
            narratives,
            events,
            activity: Vec::new(),
            handoffs: Vec::new(),
        })
    }

    async fn report_indicators(&self, org: UnitId) -> StoreResult<Vec<Indicator>> {
        #[derive(sqlx::FromRow)]
        struct Ind {
            id: i64,
            goal_id: Option<i64>,
            code: String,
            name: String,
            measure: String,
            direction: String,
            band_low: Option<f64>,
            band_high: Option<f64>,
            kolada_id: Option<String>,
            min_group_size: i64,
            computed_from: Option<String>,
        }
        sqlx::query_as::<_, Ind>(
            "SELECT id, goal_id, code, name, measure, direction, band_low, band_high, kolada_id, min_group_size, computed_from \
             FROM indicators WHERE org_unit_id = $1 ORDER BY position",
        )
        .bind(org.0)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|i| {
            Ok(Indicator {
                direction: known(
                    format_args!("indicators.direction of {}", i.code),
                    &i.direction,
                    Direction::parse,
                )?,
                id: i.id,
                goal: i.goal_id,
                code: i.code,
                name: i.name,
                measure: i.measure,
                band: i.band_low.zip(i.band_high),
                kolada_id: i.kolada_id,
                min_group_size: i.min_group_size,
                computed_from: i.computed_from,
            })
        })
        .collect()
    }
}
