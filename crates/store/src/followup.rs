//! Follow-up data: what the interim report is computed from, read as one [`ReportInput`].

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serva_domain::followup::{
    AssignmentStatus, CallCounts, ControlResult, Direction, Gender, GoalArea, QueueRule,
    SATISFIED_FROM,
};
use serva_domain::report::{
    AssignmentRow, ControlRow, EventRow, GoalInput, IndicatorInput, IndicatorValueInput,
    InvestmentInput, Money, Narrative, OperationsInput, ReportInput, StaffRow, UnitFinanceInput,
};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

/// (indicator, period, gender, value, target, group size)
type ValueRow = (i64, String, String, Option<f64>, Option<f64>, Option<i64>);

/// The unit fields the report folds over, with plain ids.
#[derive(Debug, Clone)]
struct Unit {
    id: i64,
    code: String,
    name: String,
    parent_id: Option<i64>,
    predecessor_id: Option<i64>,
}

impl From<serva_domain::org::Unit> for Unit {
    fn from(u: serva_domain::org::Unit) -> Self {
        Unit {
            id: u.id.0,
            code: u.code,
            name: u.name,
            parent_id: u.parent_id.map(|p| p.0),
            predecessor_id: u.predecessor_id.map(|p| p.0),
        }
    }
}

/// Parses a report date, `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| StoreError::Invalid(format!("date {s:?} must be written YYYY-MM-DD")))
}

fn local_midnight_ms(d: NaiveDate) -> i64 {
    serva_domain::time::from_local(d.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// The units reported as rows: the administration's direct children, each with its subtree
/// and its predecessors folded in. Returns (row unit, all unit ids whose figures it carries).
fn report_groups(units: &[Unit], org: &Unit) -> Vec<(Unit, Vec<i64>)> {
    let children = |id: i64| units.iter().filter(move |u| u.parent_id == Some(id));
    let subtree = |root: i64| {
        let mut out = vec![root];
        let mut i = 0;
        while i < out.len() {
            let p = out[i];
            for c in children(p) {
                if !out.contains(&c.id) {
                    out.push(c.id);
                }
            }
            i += 1;
        }
        out
    };
    let direct: Vec<&Unit> = children(org.id).collect();
    // A unit that some other direct child succeeds is reported inside its successor.
    let succeeded: HashSet<i64> = direct.iter().filter_map(|u| u.predecessor_id).collect();
    let mut groups = Vec::new();
    for u in direct.iter().filter(|u| !succeeded.contains(&u.id)) {
        let mut ids = subtree(u.id);
        let mut pred = u.predecessor_id;
        let mut guard = 0;
        while let Some(p) = pred {
            if ids.contains(&p) || guard > 20 {
                break;
            }
            ids.extend(subtree(p));
            pred = units
                .iter()
                .find(|x| x.id == p)
                .and_then(|x| x.predecessor_id);
            guard += 1;
        }
        groups.push(((*u).clone(), ids));
    }
    groups.sort_by_key(|(u, _)| u.name.to_lowercase());
    groups
}

#[derive(sqlx::FromRow)]
struct OutcomeRow {
    unit_id: i64,
    year: i64,
    month: i64,
    revenue: i64,
    cost: i64,
}

impl Db {
    /// Everything the interim report of `org` for `year` through `through` is computed from.
    pub async fn report_input(
        &self,
        org_code: &str,
        year: i32,
        through: &str,
    ) -> StoreResult<ReportInput> {
        let through_date = parse_date(through)?;
        if through_date.year() != year {
            return Err(StoreError::Invalid(format!(
                "the report date {through} is not in {year}"
            )));
        }
        let org = Unit::from(self.unit_by_code(org_code).await?);
        let units: Vec<Unit> = self.units().await?.into_iter().map(Unit::from).collect();
        let groups = report_groups(&units, &org);
        let through_month = i64::from(through_date.month());
        let y = i64::from(year);

        // ---- finance ----
        let outcome: Vec<OutcomeRow> = sqlx::query_as(
            "SELECT unit_id, year, month, revenue, cost FROM fin_outcome WHERE year IN ($1, $2)",
        )
        .bind(y)
        .bind(y - 1)
        .fetch_all(&self.read)
        .await?;
        let budgets: Vec<(i64, i64, i64, Option<String>)> =
            sqlx::query_as("SELECT unit_id, revenue, cost, note FROM fin_budget WHERE year = $1")
                .bind(y)
                .fetch_all(&self.read)
                .await?;
        let forecasts: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT unit_id, made_on, revenue, cost FROM fin_forecast WHERE year = $1 AND made_on <= $2 ORDER BY made_on",
        )
        .bind(y)
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        let mut latest_forecast: HashMap<i64, Money> = HashMap::new();
        for (unit, _, revenue, cost) in forecasts {
            latest_forecast.insert(unit, Money { revenue, cost });
        }
        let finance_of = |ids: &[i64], row: &Unit| {
            let mut f = UnitFinanceInput {
                code: row.code.clone(),
                name: row.name.clone(),
                ..Default::default()
            };
            for o in outcome.iter().filter(|o| ids.contains(&o.unit_id)) {
                let m = Money {
                    revenue: o.revenue,
                    cost: o.cost,
                };
                if o.year == y && o.month <= through_month {
                    f.outcome_ytd = f.outcome_ytd.plus(m);
                }
                if o.year == y - 1 {
                    f.actual_prev_year = f.actual_prev_year.plus(m);
                    if o.month <= through_month {
                        f.outcome_ytd_prev = f.outcome_ytd_prev.plus(m);
                    }
                }
            }
            for (unit, revenue, cost, note) in budgets.iter().filter(|b| ids.contains(&b.0)) {
                f.budget = Some(f.budget.unwrap_or_default().plus(Money {
                    revenue: *revenue,
                    cost: *cost,
                }));
                if *unit == row.id {
                    f.budget_note.clone_from(note);
                }
            }
            for id in ids {
                if let Some(m) = latest_forecast.get(id) {
                    f.forecast = Some(f.forecast.unwrap_or_default().plus(*m));
                }
            }
            f.predecessors = ids
                .iter()
                .filter_map(|id| units.iter().find(|u| u.id == *id))
                .filter(|u| is_predecessor_of(&units, u.id, row.id))
                .map(|u| u.name.clone())
                .collect();
            f
        };
        let fin_units: Vec<UnitFinanceInput> =
            groups.iter().map(|(u, ids)| finance_of(ids, u)).collect();
        let unallocated = finance_of(&[org.id], &org);

        // ---- investments ----
        let group_ids: Vec<i64> = groups
            .iter()
            .flat_map(|(_, ids)| ids.iter().copied())
            .chain([org.id])
            .collect();
        let inv_rows: Vec<(i64, String, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT unit_id, project, frame, spent, income, forecast_spent, forecast_income FROM investments WHERE year = $1 ORDER BY id",
        )
        .bind(y)
        .fetch_all(&self.read)
        .await?;
        let unit_name = |id: i64| {
            units
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .unwrap_or_default()
        };
        let investments = inv_rows
            .into_iter()
            .filter(|r| group_ids.contains(&r.0))
            .map(
                |(unit, project, frame, spent, income, forecast_spent, forecast_income)| {
                    InvestmentInput {
                        unit: unit_name(unit),
                        project,
                        frame,
                        spent,
                        income,
                        forecast_spent,
                        forecast_income,
                    }
                },
            )
            .collect();

        // ---- goals and indicators ----
        let goal_rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT id, area, municipal_goal, name, description FROM goals WHERE org_unit_id = $1 AND year = $2 ORDER BY position",
        )
        .bind(org.id)
        .bind(y)
        .fetch_all(&self.read)
        .await?;
        let assessments: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT a.goal_id, a.through, a.assessment, a.analysis FROM goal_assessments a JOIN goals g ON g.id = a.goal_id \
             WHERE g.org_unit_id = $1 AND g.year = $2 AND a.through <= $3 ORDER BY a.through",
        )
        .bind(org.id)
        .bind(y)
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        let mut latest_assessment: HashMap<i64, (String, String)> = HashMap::new();
        for (goal, _, a, text) in assessments {
            latest_assessment.insert(goal, (a, text));
        }
        let goal_names: HashMap<i64, String> =
            goal_rows.iter().map(|g| (g.0, g.3.clone())).collect();
        let goals = goal_rows
            .iter()
            .map(|(id, area, municipal, name, description)| {
                let a = latest_assessment.get(id);
                GoalInput {
                    area: GoalArea::parse(area).unwrap_or(GoalArea::Operations),
                    municipal_goal: municipal.clone(),
                    name: name.clone(),
                    description: description.clone(),
                    assessment: a.and_then(|(x, _)| serva_domain::followup::Assessment::parse(x)),
                    analysis: a.map(|(_, t)| t.clone()).unwrap_or_default(),
                }
            })
            .collect();

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
        let inds: Vec<Ind> = sqlx::query_as(
            "SELECT id, goal_id, code, name, measure, direction, band_low, band_high, kolada_id, min_group_size, computed_from \
             FROM indicators WHERE org_unit_id = $1 ORDER BY position",
        )
        .bind(org.id)
        .fetch_all(&self.read)
        .await?;
        let values: Vec<ValueRow> = sqlx::query_as(
            "SELECT v.indicator_id, v.period, v.gender, v.value, v.target, v.group_size FROM indicator_values v \
             JOIN indicators i ON i.id = v.indicator_id WHERE i.org_unit_id = $1 AND v.period <= $2 ORDER BY v.period",
        )
        .bind(org.id)
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        let computed: Vec<Option<String>> = inds.iter().map(|i| i.computed_from.clone()).collect();
        let mut indicators: Vec<IndicatorInput> = inds
            .into_iter()
            .map(|i| IndicatorInput {
                values: values
                    .iter()
                    .filter(|v| v.0 == i.id)
                    .filter_map(|v| {
                        Some(IndicatorValueInput {
                            period: v.1.clone(),
                            gender: Gender::parse(&v.2)?,
                            value: v.3,
                            target: v.4,
                            group_size: v.5,
                        })
                    })
                    .collect(),
                code: i.code,
                name: i.name,
                goal: i.goal_id.and_then(|g| goal_names.get(&g).cloned()),
                measure: i.measure,
                direction: Direction::parse(&i.direction).unwrap_or(Direction::Higher),
                band: i.band_low.zip(i.band_high),
                kolada_id: i.kolada_id,
                min_group_size: i.min_group_size,
            })
            .collect();

        // ---- staff, assignments, control, texts ----
        let staff_rows: Vec<(String, String, String, f64, Option<f64>)> = sqlx::query_as(
            "SELECT metric, gender, period, value, target FROM staff_figures WHERE org_unit_id = $1 AND period <= $2 ORDER BY metric, gender, period",
        )
        .bind(org.id)
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        let mut staff: Vec<StaffRow> = Vec::new();
        for (metric, gender, period, value, target) in staff_rows {
            match staff
                .iter_mut()
                .find(|s| s.metric == metric && s.gender == gender)
            {
                Some(s) => {
                    s.values.insert(period, value);
                    if target.is_some() {
                        s.target = target;
                    }
                }
                None => staff.push(StaffRow {
                    metric,
                    gender,
                    values: BTreeMap::from([(period, value)]),
                    target,
                }),
            }
        }
        let metric_order = [
            "employees",
            "sick_leave",
            "external_turnover",
            "full_time_share",
        ];
        staff.sort_by_key(|s| {
            (
                metric_order.iter().position(|m| *m == s.metric),
                s.gender != "T",
                s.gender.clone(),
            )
        });

        let assignments = sqlx::query_as::<_, (i64, String, String, String)>(
            "SELECT common, body, status, comment FROM strategic_assignments WHERE org_unit_id = $1 AND year = $2 ORDER BY position",
        )
        .bind(org.id)
        .bind(y)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(common, text, status, comment)| AssignmentRow {
            common: common == 1,
            text,
            status: AssignmentStatus::parse(&status).unwrap_or(AssignmentStatus::NotStarted),
            comment,
        })
        .collect();

        #[derive(sqlx::FromRow)]
        struct Ctl {
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
            "SELECT p.unit_id, p.name, p.risk, p.method, p.frequency, p.owner, r.result, r.findings, r.actions, r.carries_over \
             FROM control_points p LEFT JOIN control_results r ON r.control_id = p.id AND r.through = \
               (SELECT MAX(r2.through) FROM control_results r2 WHERE r2.control_id = p.id AND r2.through <= $2) \
             WHERE p.year = $1 ORDER BY p.id",
        )
        .bind(y)
        .bind(through)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .filter(|c| group_ids.contains(&c.unit_id))
        .map(|c| ControlRow {
            unit: units.iter().find(|u| u.id == c.unit_id).map(|u| u.code.clone()).unwrap_or_default(),
            name: c.name,
            risk: c.risk,
            method: c.method,
            frequency: c.frequency,
            owner: c.owner,
            result: c.result.as_deref().and_then(ControlResult::parse),
            findings: c.findings.unwrap_or_default(),
            actions: c.actions.unwrap_or_default(),
            carries_over: c.carries_over == Some(1),
        })
        .collect();

        let narratives = sqlx::query_as::<_, (String, String, String, String)>(
            "SELECT section, title, body, status FROM narratives WHERE org_unit_id = $1 AND through = $2 ORDER BY id",
        )
        .bind(org.id)
        .bind(through)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(section, title, body, status)| Narrative { section, title, body, status })
        .collect();
        let events = sqlx::query_as::<_, (i64, String)>(
            "SELECT decision, body FROM report_events WHERE org_unit_id = $1 AND through = $2 ORDER BY position",
        )
        .bind(org.id)
        .bind(through)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(d, body)| EventRow { decision: d == 1, body })
        .collect();

        // ---- operations ----
        let start = local_midnight_ms(NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January"));
        let end = local_midnight_ms(through_date.succ_opt().expect("next day"));
        let prev_start =
            local_midnight_ms(NaiveDate::from_ymd_opt(year - 1, 1, 1).expect("1 January"));
        let prev_end = local_midnight_ms(
            through_date
                .with_year(year - 1)
                .unwrap_or(through_date)
                .succ_opt()
                .expect("next day"),
        );
        let mut operations = Vec::new();
        let provider_ids: Vec<i64> = groups
            .iter()
            .flat_map(|(_, ids)| ids.iter().copied())
            .collect();
        for unit in units.iter().filter(|u| provider_ids.contains(&u.id)) {
            let op = self
                .operations(unit, start, end, prev_start, prev_end, year, through_date)
                .await?;
            if op.cases > 0 || op.calls.is_some() {
                operations.push(op);
            }
        }
        operations.sort_by_key(|o| std::cmp::Reverse(o.cases));

        // Indicators computed from Serva's own data get the value of the report's month.
        let period = through.get(..7).unwrap_or(through).to_string();
        for (ind, spec) in indicators.iter_mut().zip(&computed) {
            let Some((measure, unit_code)) = spec.as_deref().and_then(|s| s.split_once(':')) else {
                continue;
            };
            let value = operations
                .iter()
                .find(|o| o.code == unit_code)
                .and_then(|o| serva_domain::report::operations_row(o, through).measure(measure))
                .map(|v| (v * 10.0).round() / 10.0);
            let target = ind
                .values
                .iter()
                .filter(|v| v.gender == Gender::Total)
                .filter_map(|v| v.target)
                .next_back();
            ind.values
                .retain(|v| !(v.period == period && v.gender == Gender::Total));
            ind.values.push(IndicatorValueInput {
                period: period.clone(),
                gender: Gender::Total,
                value,
                target,
                group_size: None,
            });
        }

        Ok(ReportInput {
            org_code: org.code.clone(),
            org_name: org.name.clone(),
            year,
            through: through.to_string(),
            units: fin_units,
            unallocated,
            investments,
            goals,
            indicators,
            staff,
            assignments,
            controls,
            narratives,
            events,
            operations,
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn operations(
        &self,
        unit: &Unit,
        start: i64,
        end: i64,
        prev_start: i64,
        prev_end: i64,
        year: i32,
        through: NaiveDate,
    ) -> StoreResult<OperationsInput> {
        use serva_domain::time::{day_number, local_day};
        let (start_day, end_day) = (local_day(start), local_day(end));
        // Weeks counted from the Monday on or before 1 January, by the local calendar.
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
        let monday = jan1 - chrono::Days::new(u64::from(jan1.weekday().num_days_from_monday()));
        let week0_day = day_number(monday);

        // Cases from the daily roll-up (kept by triggers; see migration 0005).
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT CAST(day AS BIGINT), channel, target_group, CAST(cases AS BIGINT), CAST(first_contact AS BIGINT) \
             FROM case_day_counts WHERE unit_id = $1 AND day >= $2 AND day < $3",
        )
        .bind(unit.id)
        .bind(start_day)
        .bind(end_day)
        .fetch_all(&self.read)
        .await?;
        let mut channels: BTreeMap<String, i64> = BTreeMap::new();
        let mut target_groups: BTreeMap<String, i64> = BTreeMap::new();
        let mut per_week: BTreeMap<i64, i64> = BTreeMap::new();
        let (mut cases, mut fcr) = (0i64, 0i64);
        for (day, channel, group, n, first) in rows {
            if n == 0 {
                continue;
            }
            cases += n;
            fcr += first;
            *channels.entry(channel).or_default() += n;
            if !group.is_empty() {
                *target_groups.entry(group).or_default() += n;
            }
            *per_week.entry((day - week0_day).div_euclid(7)).or_default() += n;
        }
        let (closed,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(closed), 0) AS BIGINT) FROM case_close_counts \
             WHERE unit_id = $1 AND created_day >= $2 AND created_day < $3 AND closed_day < $3",
        )
        .bind(unit.id)
        .bind(start_day)
        .bind(end_day)
        .fetch_one(&self.read)
        .await?;
        let (cases_prev,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM case_day_counts \
             WHERE unit_id = $1 AND day >= $2 AND day < $3",
        )
        .bind(unit.id)
        .bind(local_day(prev_start))
        .bind(local_day(prev_end))
        .fetch_one(&self.read)
        .await?;
        let (surveys, score_sum, satisfied): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(s.score), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN s.score >= $4 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM case_surveys s JOIN cases c ON c.id = s.case_id \
             WHERE c.unit_id = $1 AND s.answered_at >= $2 AND s.answered_at < $3",
        )
        .bind(unit.id)
        .bind(start)
        .bind(end)
        .bind(SATISFIED_FROM)
        .fetch_one(&self.read)
        .await?;
        // Calls counted by the database per hour (local midnights fall on whole UTC hours, so
        // hours add up to local days and weeks exactly), under the queue's own rule.
        let rule = self.queue_rule(unit.id).await?;
        let hours: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT offered_at / 3600000, \
                    CAST(SUM(CASE WHEN answered = 1 THEN 1 ELSE 0 END) AS BIGINT), \
                    CAST(SUM(CASE WHEN answered = 1 AND wait_seconds <= $4 THEN 1 ELSE 0 END) AS BIGINT), \
                    CAST(SUM(CASE WHEN answered = 0 AND wait_seconds > $5 THEN 1 ELSE 0 END) AS BIGINT), \
                    CAST(SUM(CASE WHEN answered = 1 THEN wait_seconds ELSE 0 END) AS BIGINT) \
             FROM calls WHERE unit_id = $1 AND offered_at >= $2 AND offered_at < $3 \
             GROUP BY offered_at / 3600000",
        )
        .bind(unit.id)
        .bind(start)
        .bind(end)
        .bind(rule.answer_within_seconds)
        .bind(rule.abandon_grace_seconds)
        .fetch_all(&self.read)
        .await?;
        let mut all_calls = CallCounts::default();
        let mut weekly_calls: BTreeMap<i64, CallCounts> = BTreeMap::new();
        for (hour, answered, answered_in_time, abandoned, answered_wait_sum) in &hours {
            let c = CallCounts {
                answered: *answered,
                answered_in_time: *answered_in_time,
                abandoned: *abandoned,
                answered_wait_sum: *answered_wait_sum,
            };
            all_calls.merge(c);
            let week = (local_day(hour * 3_600_000) - week0_day).div_euclid(7);
            weekly_calls.entry(week).or_default().merge(c);
        }
        let stats = (!hours.is_empty()).then(|| all_calls.stats());
        let label = |w: i64| {
            let d = monday + chrono::Days::new(7 * w.max(0) as u64);
            let iso = d.iso_week();
            format!("{}-V{:02}", iso.year(), iso.week())
        };
        let mut weeks: BTreeMap<i64, (i64, Option<f64>)> =
            per_week.into_iter().map(|(w, n)| (w, (n, None))).collect();
        for (w, cs) in weekly_calls {
            weeks.entry(w).or_insert((0, None)).1 = cs.stats().service_level;
        }
        let weekly: Vec<(String, i64, Option<f64>)> = weeks
            .into_iter()
            .map(|(w, (n, sl))| (label(w), n, sl))
            .collect();
        // The year's cases: so far, plus the last four full weeks' pace for the weeks left.
        let recent: Vec<i64> = weekly.iter().rev().skip(1).take(4).map(|w| w.1).collect();
        let weeks_left = (NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December") - through)
            .num_days() as f64
            / 7.0;
        let forecast_year = (!recent.is_empty()).then(|| {
            cases
                + (recent.iter().sum::<i64>() as f64 / recent.len() as f64 * weeks_left).round()
                    as i64
        });
        Ok(OperationsInput {
            code: unit.code.clone(),
            name: unit.name.clone(),
            cases,
            cases_prev_year: cases_prev,
            channels,
            target_groups,
            first_contact_resolved: fcr,
            surveys,
            survey_score_sum: score_sum,
            surveys_satisfied: satisfied,
            closed,
            calls: stats,
            target_percent: stats.map(|_| rule.target_percent),
            weekly,
            forecast_year,
        })
    }

    /// A phone queue's settings, the defaults where none are stored.
    pub async fn queue_rule(&self, unit: i64) -> StoreResult<QueueRule> {
        let row: Option<(i64, i64, f64)> = sqlx::query_as(
            "SELECT answer_within_seconds, abandon_grace_seconds, target_percent FROM queue_settings WHERE unit_id = $1",
        )
        .bind(unit)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.map_or_else(QueueRule::default, |(a, g, t)| QueueRule {
            answer_within_seconds: a,
            abandon_grace_seconds: g,
            target_percent: t,
        }))
    }
}

fn is_predecessor_of(units: &[Unit], candidate: i64, of: i64) -> bool {
    let mut cur = units
        .iter()
        .find(|u| u.id == of)
        .and_then(|u| u.predecessor_id);
    let mut guard = 0;
    while let Some(p) = cur {
        if p == candidate {
            return true;
        }
        guard += 1;
        if guard > 20 {
            break;
        }
        cur = units
            .iter()
            .find(|u| u.id == p)
            .and_then(|u| u.predecessor_id);
    }
    false
}

impl Db {
    /// The interim report: the frozen document if it was approved, computed from live data otherwise.
    pub async fn interim_report(
        &self,
        org_code: &str,
        year: i32,
        through: &str,
    ) -> StoreResult<serva_domain::report::InterimReport> {
        let org = Unit::from(self.unit_by_code(org_code).await?);
        let frozen: Option<(String,)> = sqlx::query_as(
            "SELECT body_json FROM reports WHERE org_unit_id = $1 AND kind = 'interim' AND year = $2 AND through = $3",
        )
        .bind(org.id)
        .bind(i64::from(year))
        .bind(through)
        .fetch_optional(&self.read)
        .await?;
        if let Some((json,)) = frozen {
            return serde_json::from_str(&json).map_err(|e| {
                StoreError::Invalid(format!("the approved report cannot be read: {e}"))
            });
        }
        let input = self.report_input(org_code, year, through).await?;
        Ok(serva_domain::report::build(&input))
    }

    /// Approves and freezes the report: from now on it is this document, whatever changes.
    pub async fn approve_interim_report(
        &self,
        actor: &serva_domain::user::User,
        org_code: &str,
        year: i32,
        through: &str,
    ) -> StoreResult<serva_domain::report::InterimReport> {
        let org = Unit::from(self.unit_by_code(org_code).await?);
        let mut report = self.interim_report(org_code, year, through).await?;
        if report.meta.status == "approved" {
            return Err(StoreError::Conflict(
                "the report is already approved".into(),
            ));
        }
        let mut tx = self.begin_audited(Some(actor.id)).await?;
        let now = tx.now;
        report.meta.status = "approved".into();
        report.meta.approved_at = Some(serva_domain::time::iso_utc(now));
        report.meta.approved_by = Some(actor.display_name.clone());
        let json = serde_json::to_string(&report).expect("the report serialises");
        sqlx::query(
            "INSERT INTO reports (org_unit_id, kind, year, through, approved_by, approved_at, body_json) \
             VALUES ($1, 'interim', $2, $3, $4, $5, $6)",
        )
        .bind(org.id)
        .bind(i64::from(year))
        .bind(through)
        .bind(actor.id.0)
        .bind(now)
        .bind(&json)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "an approved report for that date"))?;
        tx.commit(
            Change::new(
                Action::Approve,
                Entity::InterimReport(format!("{org_code}/{year}/{through}")),
            )
            .after(serde_json::json!({ "checks": report.checks.len() })),
        )
        .await?;
        Ok(report)
    }
}

/// A text of the report with its workflow state.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct NarrativeRow {
    pub id: i64,
    pub section: String,
    pub title: String,
    pub body: String,
    pub status: String,
    pub author_name: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct NarrativeVersion {
    pub at: i64,
    pub actor_name: Option<String>,
    pub status: String,
    pub body: String,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ForecastRow {
    pub unit_id: i64,
    pub made_on: String,
    pub revenue: i64,
    pub cost: i64,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct GoalRow {
    pub id: i64,
    pub area: String,
    pub name: String,
    pub description: String,
    pub assessment: Option<String>,
    pub analysis: Option<String>,
}

impl Db {
    /// The newest forecast of each unit for `year` made on or before `through`.
    pub async fn forecasts(&self, year: i32, through: &str) -> StoreResult<Vec<ForecastRow>> {
        let rows: Vec<ForecastRow> = sqlx::query_as(
            "SELECT unit_id, made_on, revenue, cost, comment FROM fin_forecast WHERE year = $1 AND made_on <= $2 ORDER BY made_on",
        )
        .bind(i64::from(year))
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        let mut latest: HashMap<i64, ForecastRow> = HashMap::new();
        for r in rows {
            latest.insert(r.unit_id, r);
        }
        Ok(latest.into_values().collect())
    }

    /// Records a unit's full-year forecast made on `made_on` (replacing one made the same day).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_forecast(
        &self,
        actor: Option<serva_domain::UserId>,
        unit: serva_domain::UnitId,
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

    pub async fn goals_with_assessment(
        &self,
        org: serva_domain::UnitId,
        year: i32,
        through: &str,
    ) -> StoreResult<Vec<GoalRow>> {
        Ok(sqlx::query_as(
            "SELECT g.id, g.area, g.name, g.description, a.assessment, a.analysis FROM goals g \
             LEFT JOIN goal_assessments a ON a.goal_id = g.id AND a.through = $3 \
             WHERE g.org_unit_id = $1 AND g.year = $2 ORDER BY g.position",
        )
        .bind(org.0)
        .bind(i64::from(year))
        .bind(through)
        .fetch_all(&self.read)
        .await?)
    }

    pub async fn assess_goal(
        &self,
        actor: Option<serva_domain::UserId>,
        goal: i64,
        through: &str,
        assessment: serva_domain::followup::Assessment,
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

    pub async fn narratives(
        &self,
        org: serva_domain::UnitId,
        through: &str,
    ) -> StoreResult<Vec<NarrativeRow>> {
        Ok(sqlx::query_as(
            "SELECT n.id, n.section, n.title, n.body, n.status, u.display_name AS author_name, n.updated_at \
             FROM narratives n LEFT JOIN users u ON u.id = n.author_id WHERE n.org_unit_id = $1 AND n.through = $2 ORDER BY n.id",
        )
        .bind(org.0)
        .bind(through)
        .fetch_all(&self.read)
        .await?)
    }

    pub async fn narrative(&self, id: i64) -> StoreResult<(i64, NarrativeRow)> {
        let org: Option<(i64,)> =
            sqlx::query_as("SELECT org_unit_id FROM narratives WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.read)
                .await?;
        let (org,) = org.ok_or(StoreError::NotFound("text"))?;
        let row = sqlx::query_as(
            "SELECT n.id, n.section, n.title, n.body, n.status, u.display_name AS author_name, n.updated_at \
             FROM narratives n LEFT JOIN users u ON u.id = n.author_id WHERE n.id = $1",
        )
        .bind(id)
        .fetch_one(&self.read)
        .await?;
        Ok((org, row))
    }

    /// Writes a report text, or starts one for a section; a change makes it a draft again.
    pub async fn save_narrative(
        &self,
        actor: Option<serva_domain::UserId>,
        org: serva_domain::UnitId,
        through: &str,
        section: &str,
        title: &str,
        body: &str,
    ) -> StoreResult<i64> {
        parse_date(through)?;
        let ok_section = !section.is_empty()
            && section.len() <= 40
            && section.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if !ok_section || title.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a text needs a section key (a–z, _) and a title".into(),
            ));
        }
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO narratives (org_unit_id, through, section, title, body, status, author_id, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7) ON CONFLICT (org_unit_id, through, section) DO UPDATE SET \
             title = excluded.title, body = excluded.body, status = 'draft', author_id = excluded.author_id, updated_at = excluded.updated_at \
             RETURNING id",
        )
        .bind(org.0)
        .bind(through)
        .bind(section)
        .bind(title.trim())
        .bind(body.trim())
        .bind(actor.map(|a| a.0))
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        sqlx::query("INSERT INTO narrative_history (narrative_id, at, actor_id, status, body) VALUES ($1, $2, $3, 'draft', $4)")
            .bind(id)
            .bind(now)
            .bind(actor.map(|a| a.0))
            .bind(body.trim())
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::Save, Entity::Narrative(id))
                .after(serde_json::json!({ "section": section, "body": body })),
        )
        .await?;
        Ok(id)
    }

    /// Moves a text along draft → submitted → approved (or back to draft), keeping the history.
    pub async fn set_narrative_status(
        &self,
        actor: Option<serva_domain::UserId>,
        id: i64,
        to: serva_domain::followup::NarrativeStatus,
    ) -> StoreResult<()> {
        let (_, n) = self.narrative(id).await?;
        let from = serva_domain::followup::NarrativeStatus::parse(&n.status)
            .unwrap_or(serva_domain::followup::NarrativeStatus::Draft);
        if !from.can_become(to) {
            return Err(StoreError::Invalid(format!(
                "a {} text cannot become {}",
                from.as_str(),
                to.as_str()
            )));
        }
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let changed = sqlx::query(
            "UPDATE narratives SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict(
                "the text was changed by someone else; reload it".into(),
            ));
        }
        sqlx::query("INSERT INTO narrative_history (narrative_id, at, actor_id, status, body) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(now)
            .bind(actor.map(|a| a.0))
            .bind(to.as_str())
            .bind(&n.body)
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::SetStatus, Entity::Narrative(id))
                .before(serde_json::json!({ "status": from }))
                .after(serde_json::json!({ "status": to })),
        )
        .await?;
        Ok(())
    }

    /// The report date a text belongs to.
    pub async fn narrative_through(&self, id: i64) -> StoreResult<String> {
        let row: Option<(String,)> = sqlx::query_as("SELECT through FROM narratives WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| r.0).ok_or(StoreError::NotFound("text"))
    }

    pub async fn narrative_history(&self, id: i64) -> StoreResult<Vec<NarrativeVersion>> {
        Ok(sqlx::query_as(
            "SELECT h.at, u.display_name AS actor_name, h.status, h.body FROM narrative_history h \
             LEFT JOIN users u ON u.id = h.actor_id WHERE h.narrative_id = $1 ORDER BY h.id DESC",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?)
    }
}

impl Db {
    /// Sets a phone queue's service-level rule.
    pub async fn set_queue_rule(
        &self,
        actor: Option<serva_domain::UserId>,
        unit: serva_domain::UnitId,
        rule: &serva_domain::followup::QueueRule,
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

/// A control point with its result for one follow-up date, for entering results.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ControlEntry {
    pub id: i64,
    pub unit_code: String,
    pub name: String,
    pub result: Option<String>,
    pub findings: Option<String>,
    pub actions: Option<String>,
    pub carries_over: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct AssignmentEntry {
    pub id: i64,
    pub body: String,
    pub status: String,
    pub comment: String,
}

impl Db {
    /// The control points of an administration's units for a year, with their results on `through`.
    pub async fn control_entries(
        &self,
        org: serva_domain::UnitId,
        year: i32,
        through: &str,
    ) -> StoreResult<Vec<ControlEntry>> {
        let nodes = self.unit_nodes().await?;
        let ids = serva_domain::org::subtree(&nodes, org);
        let rows: Vec<(i64, ControlEntry)> = sqlx::query_as::<_, (i64, i64, String, String, Option<String>, Option<String>, Option<String>, Option<i64>)>(
            "SELECT p.unit_id, p.id, u.code, p.name, r.result, r.findings, r.actions, r.carries_over FROM control_points p \
             JOIN units u ON u.id = p.unit_id LEFT JOIN control_results r ON r.control_id = p.id AND r.through = $2 \
             WHERE p.year = $1 ORDER BY p.id",
        )
        .bind(i64::from(year))
        .bind(through)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(unit, id, unit_code, name, result, findings, actions, carries_over)| {
            (unit, ControlEntry { id, unit_code, name, result, findings, actions, carries_over })
        })
        .collect();
        Ok(rows
            .into_iter()
            .filter(|(u, _)| ids.iter().any(|i| i.0 == *u))
            .map(|(_, c)| c)
            .collect())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn set_control_result(
        &self,
        actor: Option<serva_domain::UserId>,
        control: i64,
        through: &str,
        result: serva_domain::followup::ControlResult,
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
        org: serva_domain::UnitId,
        year: i32,
    ) -> StoreResult<Vec<AssignmentEntry>> {
        Ok(sqlx::query_as(
            "SELECT id, body, status, comment FROM strategic_assignments WHERE org_unit_id = $1 AND year = $2 ORDER BY position",
        )
        .bind(org.0)
        .bind(i64::from(year))
        .fetch_all(&self.read)
        .await?)
    }

    pub async fn set_assignment(
        &self,
        actor: Option<serva_domain::UserId>,
        id: i64,
        status: serva_domain::followup::AssignmentStatus,
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
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct IndicatorEntry {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub measure: String,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct EventEntry {
    pub id: i64,
    pub decision: i64,
    pub body: String,
}

impl Db {
    /// The indicators of an administration whose values are entered (not computed).
    pub async fn indicator_entries(
        &self,
        org: serva_domain::UnitId,
    ) -> StoreResult<Vec<IndicatorEntry>> {
        Ok(sqlx::query_as(
            "SELECT id, code, name, measure FROM indicators WHERE org_unit_id = $1 AND computed_from IS NULL ORDER BY position",
        )
        .bind(org.0)
        .fetch_all(&self.read)
        .await?)
    }

    /// Enters an indicator value by hand.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_indicator_value(
        &self,
        actor: Option<serva_domain::UserId>,
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

    pub async fn event_entries(
        &self,
        org: serva_domain::UnitId,
        through: &str,
    ) -> StoreResult<Vec<EventEntry>> {
        Ok(sqlx::query_as("SELECT id, decision, body FROM report_events WHERE org_unit_id = $1 AND through = $2 ORDER BY position, id")
            .bind(org.0)
            .bind(through)
            .fetch_all(&self.read)
            .await?)
    }

    /// Adds an important decision or event to the report of `through`.
    pub async fn add_event(
        &self,
        actor: Option<serva_domain::UserId>,
        org: serva_domain::UnitId,
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
        actor: Option<serva_domain::UserId>,
        org: serva_domain::UnitId,
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
}
