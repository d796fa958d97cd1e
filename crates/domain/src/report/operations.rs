//! Operations: what each provider unit did, counted from the daily case roll-ups, surveys
//! (answers, and the response rate of those Serva sent) and calls per hour — cases, channel and target-group shares, first-contact
//! resolution, satisfaction, service level, cases per ISO week and a forecast of the year.
//! Weeks run Monday to Sunday by the Stockholm calendar, counted from the Monday on or before
//! 1 January.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::facts::{ReportFacts, ReportUnit, UnitActivity};
use super::model::{OperationsRow, WeekRow};
use super::org::ReportGroup;
use crate::followup::{CallCounts, CallStats};
use crate::time::{day_number, local_day};

/// Operational figures of one provider unit, before shares and means are taken.
#[derive(Debug, Clone, Default)]
pub struct OperationsInput {
    pub code: String,
    pub name: String,
    pub cases: i64,
    pub cases_prev_year: i64,
    pub channels: BTreeMap<String, i64>,
    pub target_groups: BTreeMap<String, i64>,
    pub first_contact_resolved: i64,
    pub surveys: i64,
    pub survey_score_sum: i64,
    pub surveys_satisfied: i64,
    /// Cases that were closed in the period (surveys are sent for those).
    pub closed: i64,
    /// Surveys Serva sent in the period, and the answered ones among them.
    pub surveys_sent: i64,
    pub surveys_sent_answered: i64,
    pub calls: Option<CallStats>,
    pub target_percent: Option<f64>,
    /// (ISO week, cases, service level of the week's calls)
    pub weekly: Vec<(String, i64, Option<f64>)>,
    /// Cases forecast for the whole year.
    pub forecast_year: Option<i64>,
}

/// The Monday on or before 1 January of `year`: week 0 of the report's weeks.
fn first_monday(year: i32) -> NaiveDate {
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
    jan1 - chrono::Days::new(u64::from(jan1.weekday().num_days_from_monday()))
}

/// "2019-V35": the ISO week of the `week`th week after `monday`.
fn week_label(monday: NaiveDate, week: i64) -> String {
    let d = monday + chrono::Days::new(7 * week.max(0) as u64);
    let iso = d.iso_week();
    format!("{}-V{:02}", iso.year(), iso.week())
}

/// The year's cases: those so far, plus the mean of the last four full weeks (the current,
/// partial week left out) for each week left after `through`.
pub fn forecast_year(
    cases: i64,
    weekly: &[(String, i64, Option<f64>)],
    year: i32,
    through: NaiveDate,
) -> Option<i64> {
    let recent: Vec<i64> = weekly.iter().rev().skip(1).take(4).map(|w| w.1).collect();
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December");
    let weeks_left = (dec31 - through).num_days() as f64 / 7.0;
    (!recent.is_empty()).then(|| {
        cases
            + (recent.iter().sum::<i64>() as f64 / recent.len() as f64 * weeks_left).round() as i64
    })
}

/// One unit's figures from its activity.
pub fn operations_input(
    unit: &ReportUnit,
    a: &UnitActivity,
    year: i32,
    through: NaiveDate,
) -> OperationsInput {
    let monday = first_monday(year);
    let week0 = day_number(monday);
    let week_of_day = |day: i64| (day - week0).div_euclid(7);

    let mut channels: BTreeMap<String, i64> = BTreeMap::new();
    let mut target_groups: BTreeMap<String, i64> = BTreeMap::new();
    let mut per_week: BTreeMap<i64, i64> = BTreeMap::new();
    let (mut cases, mut first_contact) = (0i64, 0i64);
    for d in a.days.iter().filter(|d| d.cases != 0) {
        cases += d.cases;
        first_contact += d.first_contact;
        *channels.entry(d.channel.clone()).or_default() += d.cases;
        if !d.target_group.is_empty() {
            *target_groups.entry(d.target_group.clone()).or_default() += d.cases;
        }
        *per_week.entry(week_of_day(d.day)).or_default() += d.cases;
    }

    // Local midnights fall on whole UTC hours, so hours add up to local weeks exactly.
    let mut all_calls = CallCounts::default();
    let mut weekly_calls: BTreeMap<i64, CallCounts> = BTreeMap::new();
    for h in &a.calls {
        all_calls.merge(h.counts);
        let week = week_of_day(local_day(h.hour * 3_600_000));
        weekly_calls.entry(week).or_default().merge(h.counts);
    }
    let stats = (!a.calls.is_empty()).then(|| all_calls.stats());

    let mut weeks: BTreeMap<i64, (i64, Option<f64>)> =
        per_week.into_iter().map(|(w, n)| (w, (n, None))).collect();
    for (w, c) in weekly_calls {
        weeks.entry(w).or_insert((0, None)).1 = c.stats().service_level;
    }
    let weekly: Vec<(String, i64, Option<f64>)> = weeks
        .into_iter()
        .map(|(w, (n, sl))| (week_label(monday, w), n, sl))
        .collect();
    OperationsInput {
        code: unit.code.clone(),
        name: unit.name.clone(),
        cases,
        cases_prev_year: a.cases_prev_year,
        channels,
        target_groups,
        first_contact_resolved: first_contact,
        surveys: a.surveys.answers,
        survey_score_sum: a.surveys.score_sum,
        surveys_satisfied: a.surveys.satisfied,
        closed: a.closed,
        surveys_sent: a.surveys.sent,
        surveys_sent_answered: a.surveys.sent_answered,
        calls: stats,
        target_percent: stats.map(|_| a.rule.target_percent),
        forecast_year: forecast_year(cases, &weekly, year, through),
        weekly,
    }
}

/// The units with cases or calls, most cases first (ties in the units' order).
pub fn operations_inputs(f: &ReportFacts, groups: &[ReportGroup]) -> Vec<OperationsInput> {
    let members: Vec<crate::UnitId> = groups
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .collect();
    let mut out: Vec<OperationsInput> = f
        .units
        .iter()
        .filter(|u| members.contains(&u.id))
        .filter_map(|u| {
            let a = f.activity.iter().find(|a| a.unit == u.id)?;
            Some(operations_input(u, a, f.year, f.through))
        })
        .filter(|o| o.cases > 0 || o.calls.is_some())
        .collect();
    out.sort_by_key(|o| std::cmp::Reverse(o.cases));
    out
}

fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// Answered of sent, where Serva sent surveys in the period (docs/surveys.md). For a period
/// before that — imported answers only, as the 2019 figures — answers of cases closed.
fn survey_response_rate(o: &OperationsInput) -> Option<f64> {
    if o.surveys_sent > 0 {
        pct(o.surveys_sent_answered, o.surveys_sent)
    } else {
        pct(o.surveys, o.closed)
    }
}

/// The percentages and means of one unit's operations.
pub fn operations_row(o: &OperationsInput) -> OperationsRow {
    let channel_total: i64 = o.channels.values().sum();
    let group_total: i64 = o.target_groups.values().sum();
    let weeks = o.weekly.iter().filter(|w| w.1 > 0).count() as i64;
    OperationsRow {
        code: o.code.clone(),
        name: o.name.clone(),
        cases: o.cases,
        cases_prev_year: o.cases_prev_year,
        cases_forecast_year: o.forecast_year,
        cases_per_week: (weeks > 0).then(|| o.cases as f64 / weeks as f64),
        channels: o
            .channels
            .iter()
            .map(|(k, v)| (k.clone(), pct(*v, channel_total).unwrap_or(0.0)))
            .collect(),
        target_groups: o
            .target_groups
            .iter()
            .map(|(k, v)| (k.clone(), pct(*v, group_total).unwrap_or(0.0)))
            .collect(),
        first_contact_resolution: pct(o.first_contact_resolved, o.cases),
        satisfaction: (o.surveys > 0).then(|| o.survey_score_sum as f64 / o.surveys as f64),
        satisfied_share: pct(o.surveys_satisfied, o.surveys),
        surveys: o.surveys,
        survey_response_rate: survey_response_rate(o),
        service_level: o.calls.and_then(|c| c.service_level),
        service_level_target: o.calls.and(o.target_percent),
        abandon_rate: o.calls.and_then(|c| c.abandon_rate),
        mean_wait_seconds: o.calls.and_then(|c| c.mean_wait),
        calls_offered: o.calls.map(|c| c.offered),
        weekly: o
            .weekly
            .iter()
            .map(|(w, n, sl)| WeekRow {
                week: w.clone(),
                cases: *n,
                service_level: *sl,
            })
            .collect(),
    }
}
