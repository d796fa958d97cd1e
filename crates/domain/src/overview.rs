//! The manager's overview (docs/overview.md): a provider unit's open cases per agent and state,
//! their ages, the cases near or past their target, the service level and satisfaction today
//! and this week; and a customer department's cases with the same SLA figures and totals per
//! provider unit and service. The store counts; this module puts the counts together, so each
//! figure is defined once and tested without a database.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::case::{Case, CaseStatus};
use crate::org::Unit;
use crate::phone::PhoneServiceLevel;
use crate::sla::ClockKind;
use crate::survey::GroupFigures;
use crate::user::User;
use crate::{CaseId, ServiceId, UnitId, UserId};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// The statuses of open work, in the order the overview's columns show them.
pub const OPEN_STATUSES: [CaseStatus; 4] = [
    CaseStatus::New,
    CaseStatus::Open,
    CaseStatus::WaitingCustomer,
    CaseStatus::WaitingThirdParty,
];

/// The place of an open status among [`OPEN_STATUSES`]; none for resolved and closed.
pub fn open_index(s: CaseStatus) -> Option<usize> {
    OPEN_STATUSES.iter().position(|&o| o == s)
}

/// How long an open case has existed, in calendar time since it came in (not working time:
/// this is how long the customer has waited, nights and weekends included).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBucket {
    /// Less than one day.
    UnderOneDay,
    /// One day up to three.
    OneToThreeDays,
    /// Three days up to seven.
    ThreeToSevenDays,
    /// One week up to four.
    OneToFourWeeks,
    /// Four weeks or more.
    OverFourWeeks,
}

impl AgeBucket {
    pub const ALL: [AgeBucket; 5] = [
        AgeBucket::UnderOneDay,
        AgeBucket::OneToThreeDays,
        AgeBucket::ThreeToSevenDays,
        AgeBucket::OneToFourWeeks,
        AgeBucket::OverFourWeeks,
    ];

    /// The youngest age in the bucket, in milliseconds; a bucket ends where the next begins.
    pub fn from_ms(self) -> i64 {
        match self {
            AgeBucket::UnderOneDay => 0,
            AgeBucket::OneToThreeDays => DAY_MS,
            AgeBucket::ThreeToSevenDays => 3 * DAY_MS,
            AgeBucket::OneToFourWeeks => 7 * DAY_MS,
            AgeBucket::OverFourWeeks => 28 * DAY_MS,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBucket::UnderOneDay => "under_one_day",
            AgeBucket::OneToThreeDays => "one_to_three_days",
            AgeBucket::ThreeToSevenDays => "three_to_seven_days",
            AgeBucket::OneToFourWeeks => "one_to_four_weeks",
            AgeBucket::OverFourWeeks => "over_four_weeks",
        }
    }

    /// The bucket of a case created at `created_at`, at `now`. A creation time in the future
    /// (a clock that was ahead) counts as new.
    pub fn of(created_at: i64, now: i64) -> AgeBucket {
        let age = now.saturating_sub(created_at);
        AgeBucket::ALL
            .into_iter()
            .rev()
            .find(|b| age >= b.from_ms())
            .unwrap_or(AgeBucket::UnderOneDay)
    }

    /// The creation times of the bucket's cases at `now`: `created_at` in `(after, upto]`,
    /// without a lower end for the oldest bucket. The store counts with these bounds.
    pub fn created_between(self, now: i64) -> (Option<i64>, i64) {
        let i = AgeBucket::ALL
            .iter()
            .position(|&b| b == self)
            .expect("every bucket is in ALL");
        let older = AgeBucket::ALL.get(i + 1).map(|b| now - b.from_ms());
        (older, now - self.from_ms())
    }
}

/// Open cases of one assignee (or none) in one status, as the store counts them at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCount {
    pub assignee: Option<UserId>,
    /// The assignee's name (for someone who is no longer an agent of the unit).
    pub assignee_name: Option<String>,
    pub status: CaseStatus,
    pub cases: i64,
    /// With a running clock past its warning share and none past its due time (the queue's
    /// `sla=near_breach`).
    pub near_target: i64,
    /// With a clock past its due time, now or earlier in the case's life (`sla=breached`).
    pub past_target: i64,
    /// The creation time of the oldest.
    pub oldest_created_at: i64,
    /// Per [`AgeBucket`], in its order.
    pub ages: [i64; 5],
}

/// One row of "open cases per agent": an agent of the unit, or nobody (unassigned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentLoad {
    /// The agent's user id; none for the unassigned cases (and for the total).
    pub agent: Option<UserId>,
    /// The agent's name; none for the unassigned cases (and for the total).
    pub name: Option<String>,
    /// Open cases per status: new, open, waiting for the customer, waiting for a third party.
    pub by_status: [i64; 4],
    pub total: i64,
    pub near_target: i64,
    pub past_target: i64,
    /// When the oldest open case came in (ms since the epoch); none without open cases.
    pub oldest_created_at: Option<i64>,
}

impl AgentLoad {
    fn empty(agent: Option<UserId>, name: Option<String>) -> Self {
        AgentLoad {
            agent,
            name,
            by_status: [0; 4],
            total: 0,
            near_target: 0,
            past_target: 0,
            oldest_created_at: None,
        }
    }

    fn add(&mut self, c: &OpenCount) {
        if let Some(i) = open_index(c.status) {
            self.by_status[i] += c.cases;
        }
        self.total += c.cases;
        self.near_target += c.near_target;
        self.past_target += c.past_target;
        if c.cases > 0 {
            self.oldest_created_at = Some(
                self.oldest_created_at
                    .map_or(c.oldest_created_at, |o| o.min(c.oldest_created_at)),
            );
        }
    }
}

/// A unit's open cases: one row per agent (every agent of the unit, with or without cases,
/// then anyone else who still has cases there, then the unassigned), the total, and the ages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workload {
    pub rows: Vec<AgentLoad>,
    pub total: AgentLoad,
    /// Open cases per [`AgeBucket`], in its order.
    pub ages: [i64; 5],
}

/// Puts the store's counts into rows: `agents` are the unit's agents, in the order shown.
pub fn workload(counts: &[OpenCount], agents: &[User]) -> Workload {
    let mut rows: Vec<AgentLoad> = agents
        .iter()
        .map(|a| AgentLoad::empty(Some(a.id), Some(a.display_name.clone())))
        .collect();
    // Someone no longer an agent of the unit who still has cases in it, by name.
    let mut others: BTreeMap<(String, i64), AgentLoad> = BTreeMap::new();
    let mut unassigned = AgentLoad::empty(None, None);
    let mut total = AgentLoad::empty(None, None);
    let mut ages = [0; 5];
    for c in counts {
        total.add(c);
        for (a, n) in ages.iter_mut().zip(c.ages) {
            *a += n;
        }
        match c.assignee {
            None => unassigned.add(c),
            Some(id) => match rows.iter_mut().find(|r| r.agent == Some(id)) {
                Some(r) => r.add(c),
                None => {
                    let name = c.assignee_name.clone().unwrap_or_default();
                    others
                        .entry((name.clone(), id.0))
                        .or_insert_with(|| AgentLoad::empty(Some(id), Some(name)))
                        .add(c);
                }
            },
        }
    }
    rows.extend(others.into_values());
    rows.push(unassigned);
    Workload { rows, total, ages }
}

/// Clocks that ended or breached in a period, as the store counts them (see
/// [`PeriodLevel`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaPeriodCounts {
    /// First-response clocks that stopped in the period without a breach.
    pub first_response_met: i64,
    /// Resolution clocks that stopped in the period without a breach.
    pub resolution_met: i64,
    /// Breaches whose due time fell in the period, per [`ClockKind`] in its order.
    pub breaches: [i64; 3],
}

/// One clock's service level over a period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClockLevel {
    /// Clocks that stopped in the period within their target.
    pub met: i64,
    /// Clocks whose due time passed in the period with the clock running.
    pub breached: i64,
    /// Met of met and breached, in percent; none when neither happened.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub share: Option<f64>,
}

impl ClockLevel {
    pub fn of(met: i64, breached: i64) -> Self {
        let all = met + breached;
        ClockLevel {
            met,
            breached,
            share: (all > 0).then(|| 100.0 * met as f64 / all as f64),
        }
    }
}

/// The breaches of a period, per clock.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BreachCounts {
    pub first_response: i64,
    pub next_response: i64,
    pub resolution: i64,
    pub total: i64,
}

/// The service level of a period: for the first response and for the resolution, the share
/// of clocks that met their target among those that stopped in time in the period or whose
/// due time passed in it; and every breach of the period. A clock is counted once, in the
/// period it breached if it did, otherwise in the period it stopped.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeriodLevel {
    pub first_response: ClockLevel,
    pub resolution: ClockLevel,
    pub breaches: BreachCounts,
}

impl PeriodLevel {
    pub fn of(c: &SlaPeriodCounts) -> Self {
        let at = |k: ClockKind| {
            c.breaches[ClockKind::ALL
                .iter()
                .position(|&x| x == k)
                .expect("every clock is in ALL")]
        };
        let (first, next, resolution) = (
            at(ClockKind::FirstResponse),
            at(ClockKind::NextResponse),
            at(ClockKind::Resolution),
        );
        PeriodLevel {
            first_response: ClockLevel::of(c.first_response_met, first),
            resolution: ClockLevel::of(c.resolution_met, resolution),
            breaches: BreachCounts {
                first_response: first,
                next_response: next,
                resolution,
                total: first + next + resolution,
            },
        }
    }
}

/// The spans the overview counts in (ms, UTC; each from its start, included, to its end,
/// excluded), by the Stockholm calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spans {
    pub today: (i64, i64),
    /// From this ISO week's Monday to the end of today.
    pub week: (i64, i64),
    /// From the 1st of this month to the end of today.
    pub month: (i64, i64),
    /// Today's date, and this week's Monday, for the survey figures (which count by day).
    pub date: chrono::NaiveDate,
    pub monday: chrono::NaiveDate,
}

impl Spans {
    pub fn at(now: i64) -> Spans {
        use chrono::Datelike;
        let (week_start, day_start, day_end) = crate::phone::week_and_day_bounds(now);
        let date = crate::time::to_local(now).date();
        let monday =
            date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()));
        let first = date.with_day(1).expect("every month has a 1st");
        let month_start = crate::time::from_local(first.and_hms_opt(0, 0, 0).expect("midnight"));
        Spans {
            today: (day_start, day_end),
            week: (week_start, day_end),
            month: (month_start, day_end),
            date,
            monday,
        }
    }
}

/// Satisfaction over one span: the survey figures' total for the unit, as its surveys page
/// shows them for the same days (and withholds them).
pub type Satisfaction = GroupFigures;

/// Most cases a list of the overview shows; the queue has the rest.
pub const LIST_MAX: i64 = 50;

/// Everything a provider unit's overview shows, at `at`.
#[derive(Debug, Clone)]
pub struct UnitOverview {
    pub unit: Unit,
    pub at: i64,
    pub workload: Workload,
    /// Open cases near or past their target, the earliest due first (at most [`LIST_MAX`]).
    pub at_risk: Vec<Case>,
    /// More are near or past their target than listed.
    pub at_risk_more: bool,
    pub today: PeriodLevel,
    pub week: PeriodLevel,
    pub satisfaction_today: Satisfaction,
    pub satisfaction_week: Satisfaction,
    /// The phone queue's service level today and this week (no calls: nothing offered).
    pub phone: PhoneServiceLevel,
    /// Who cases can be assigned to: the unit's agents and managers.
    pub agents: Vec<User>,
    /// The open cases of one agent (or of nobody) chosen for reassigning.
    pub chosen: Option<ChosenCases>,
    pub spans: Spans,
}

/// Whose open cases are listed for reassigning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Unassigned,
    Agent(UserId),
}

impl Holder {
    /// `none`, or a user id: the queue's `assignee` filter and the overview's `agent`.
    pub fn parse(s: &str) -> Option<Holder> {
        match s.trim() {
            "none" => Some(Holder::Unassigned),
            id => id
                .parse::<i64>()
                .ok()
                .filter(|&i| i > 0)
                .map(|i| Holder::Agent(UserId(i))),
        }
    }

    pub fn as_param(self) -> String {
        match self {
            Holder::Unassigned => "none".into(),
            Holder::Agent(u) => u.0.to_string(),
        }
    }
}

/// One agent's open cases, the earliest due first (at most 100).
#[derive(Debug, Clone)]
pub struct ChosenCases {
    pub holder: Holder,
    pub cases: Vec<Case>,
    pub more: bool,
}

/// Most cases one bulk reassignment moves.
pub const REASSIGN_MAX: usize = 500;

/// Why a bulk reassignment is refused; nothing is moved then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadReassign {
    #[error("choose at least one case")]
    NoCases,
    #[error("at most {REASSIGN_MAX} cases at a time")]
    TooMany,
    #[error("case {0} does not exist")]
    Unknown(CaseId),
    #[error("case {0} is not in this unit's queue")]
    OtherUnit(CaseId),
}

/// Checks the cases asked for against the cases found (id and unit): every one must exist and
/// be in `unit`'s queue. The ids to move, each once, in the order asked.
pub fn check_reassign(
    unit: UnitId,
    asked: &[CaseId],
    found: &[(CaseId, UnitId)],
) -> Result<Vec<CaseId>, BadReassign> {
    let mut ids: Vec<CaseId> = Vec::with_capacity(asked.len());
    for &id in asked {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(BadReassign::NoCases);
    }
    if ids.len() > REASSIGN_MAX {
        return Err(BadReassign::TooMany);
    }
    for &id in &ids {
        match found.iter().find(|(c, _)| *c == id) {
            None => return Err(BadReassign::Unknown(id)),
            Some((_, u)) if *u != unit => return Err(BadReassign::OtherUnit(id)),
            Some(_) => {}
        }
    }
    Ok(ids)
}

/// A customer department's cases with one provider unit or one service, as the store counts
/// them: open now (near and past target among them), resolved this month and the breaches of
/// this month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderServiceCount {
    pub unit: UnitId,
    pub unit_code: String,
    pub unit_name: String,
    pub service: ServiceId,
    pub service_code: String,
    pub service_name: String,
    pub counts: Totals,
}

/// Totals of a group of cases.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Totals {
    /// Not resolved or closed.
    pub open: i64,
    /// Open with a running clock past its warning share.
    pub near_target: i64,
    /// Open with a clock past its due time, now or earlier.
    pub past_target: i64,
    /// Resolved or closed this month (by the time of resolution; a reopened case counts again
    /// when it is resolved again).
    pub closed_this_month: i64,
    /// Breaches whose due time fell this month.
    pub breaches_this_month: i64,
}

impl Totals {
    pub fn add(&mut self, o: &Totals) {
        self.open += o.open;
        self.near_target += o.near_target;
        self.past_target += o.past_target;
        self.closed_this_month += o.closed_this_month;
        self.breaches_this_month += o.breaches_this_month;
    }
}

/// Totals of one provider unit or one service.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupTotals {
    /// The unit's or service's code.
    pub code: String,
    pub name: String,
    #[serde(flatten)]
    pub totals: Totals,
}

/// A department's totals per provider unit and per service, by name, and overall.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerTotals {
    pub total: Totals,
    pub by_provider: Vec<GroupTotals>,
    pub by_service: Vec<GroupTotals>,
}

/// Adds the store's counts up per provider unit and per service.
pub fn customer_totals(rows: &[ProviderServiceCount]) -> CustomerTotals {
    let mut total = Totals::default();
    let mut units: BTreeMap<(String, String), Totals> = BTreeMap::new();
    let mut services: BTreeMap<(String, String), Totals> = BTreeMap::new();
    for r in rows {
        total.add(&r.counts);
        units
            .entry((r.unit_name.clone(), r.unit_code.clone()))
            .or_default()
            .add(&r.counts);
        services
            .entry((r.service_name.clone(), r.service_code.clone()))
            .or_default()
            .add(&r.counts);
    }
    let groups = |m: BTreeMap<(String, String), Totals>| {
        m.into_iter()
            .map(|((name, code), totals)| GroupTotals { code, name, totals })
            .collect()
    };
    CustomerTotals {
        total,
        by_provider: groups(units),
        by_service: groups(services),
    }
}

/// How far back "recently closed" reaches.
pub const RECENT_DAYS: i64 = 30;

/// Everything a customer department's overview shows, at `at`.
#[derive(Debug, Clone)]
pub struct CustomerOverview {
    pub unit: Unit,
    pub at: i64,
    pub totals: CustomerTotals,
    pub today: PeriodLevel,
    pub week: PeriodLevel,
    /// Open cases, the earliest due first (at most [`LIST_MAX`]).
    pub open: Vec<Case>,
    pub open_more: bool,
    /// Cases resolved or closed in the last [`RECENT_DAYS`] days, the latest first (at most
    /// [`LIST_MAX`]).
    pub recent: Vec<Case>,
    pub spans: Spans,
}

/// An age in whole days, or whole hours under a day: what the overview shows as "oldest".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    Hours(i64),
    Days(i64),
}

pub fn age(created_at: i64, now: i64) -> Age {
    let ms = now.saturating_sub(created_at).max(0);
    if ms < DAY_MS {
        Age::Hours(ms / HOUR_MS)
    } else {
        Age::Days(ms / DAY_MS)
    }
}

#[cfg(test)]
mod tests;
