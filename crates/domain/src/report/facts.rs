//! What the report is computed from, as the store reads it: plain facts, each row as it is
//! stored, with no rule applied. The store filters by administration, year and date (a
//! reader's job); everything that decides a figure is in the sibling modules.

use chrono::NaiveDate;

use super::finance::Money;
use super::model::{AssignmentRow, EventRow, Narrative};
use crate::followup::{
    Assessment, CallCounts, ControlResult, Direction, Gender, GoalArea, QueueRule, StaffMetric,
};
use crate::UnitId;

/// A unit of the organisation as the report needs it: its place in the tree and its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportUnit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub parent: Option<UnitId>,
    /// The unit this one took over from (Kontakt Linköping from Medborgarkontoret).
    pub predecessor: Option<UnitId>,
}

/// A unit's ledger outcome for one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeMonth {
    pub unit: UnitId,
    pub year: i32,
    pub month: u32,
    pub money: Money,
}

/// A unit's budget for the report's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub unit: UnitId,
    pub money: Money,
    pub note: Option<String>,
}

/// A full-year forecast made on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    pub unit: UnitId,
    pub made_on: String,
    pub money: Money,
}

/// An investment project of the report's year, amounts in öre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Investment {
    pub unit: UnitId,
    pub project: String,
    pub frame: i64,
    pub spent: i64,
    pub income: i64,
    pub forecast_spent: i64,
    pub forecast_income: i64,
}

/// A board goal (nämndmål) of the administration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub id: i64,
    pub area: GoalArea,
    pub municipal_goal: String,
    pub name: String,
    pub description: String,
}

/// An assessment of a goal made for a follow-up date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalAssessment {
    pub goal: i64,
    pub through: String,
    pub assessment: Assessment,
    pub analysis: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: i64,
    pub goal: Option<i64>,
    pub code: String,
    pub name: String,
    pub measure: String,
    pub direction: Direction,
    pub band: Option<(f64, f64)>,
    pub kolada_id: Option<String>,
    pub min_group_size: i64,
    /// `measure:UNIT` when the value is counted from Serva's own data, e.g. `service_level:KL`.
    pub computed_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub indicator: i64,
    pub period: String,
    pub gender: Gender,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub group_size: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StaffFigure {
    pub metric: StaffMetric,
    pub gender: Gender,
    pub period: String,
    pub value: f64,
    pub target: Option<f64>,
}

/// A control point with its newest result on or before the report date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    pub unit: UnitId,
    pub name: String,
    pub risk: String,
    pub method: String,
    pub frequency: String,
    pub owner: String,
    pub result: Option<ControlResult>,
    pub findings: Option<String>,
    pub actions: Option<String>,
    pub carries_over: bool,
}

/// Cases of one local day, channel and target group (the store's daily roll-up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    /// Days since 1970-01-01 on the Stockholm calendar ([`crate::time::local_day`]).
    pub day: i64,
    pub channel: String,
    /// Empty when the case has none.
    pub target_group: String,
    pub cases: i64,
    pub first_contact: i64,
}

/// Calls offered in one UTC hour, counted under the queue's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourCalls {
    /// Hours since the epoch (UTC).
    pub hour: i64,
    pub counts: CallCounts,
}

/// Satisfaction survey answers of a period, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurveySums {
    /// Answers given in the period, whoever asked (Serva's surveys, imported answers).
    pub answers: i64,
    pub score_sum: i64,
    /// Answers scoring at least [`crate::followup::SATISFIED_FROM`].
    pub satisfied: i64,
    /// Surveys Serva sent in the period (docs/surveys.md).
    pub sent: i64,
    /// Of those, the answered ones.
    pub sent_answered: i64,
}

/// What one provider unit did from 1 January to the report date, and the year before.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitActivity {
    pub unit: UnitId,
    pub days: Vec<DayCount>,
    /// Cases created in the period and closed before its end.
    pub closed: i64,
    /// Cases of the same period of the previous year.
    pub cases_prev_year: i64,
    pub surveys: SurveySums,
    pub rule: QueueRule,
    pub calls: Vec<HourCalls>,
}

/// The stretches of time the operational figures are counted over, by the Stockholm
/// calendar: 1 January to the end of the report date, and the same stretch a year earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityPeriod {
    /// Milliseconds (UTC) of local midnight starting 1 January.
    pub start: i64,
    /// Milliseconds (UTC) of local midnight ending the report date.
    pub end: i64,
    pub prev_start: i64,
    pub prev_end: i64,
}

impl ActivityPeriod {
    pub fn new(year: i32, through: NaiveDate) -> ActivityPeriod {
        let midnight = |d: NaiveDate| {
            crate::time::from_local(d.and_hms_opt(0, 0, 0).expect("midnight exists"))
        };
        let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).expect("1 January");
        let next = |d: NaiveDate| d.succ_opt().expect("a day after the report date");
        ActivityPeriod {
            start: midnight(jan1(year)),
            end: midnight(next(through)),
            prev_start: midnight(jan1(year - 1)),
            prev_end: midnight(next(through.with_year(year - 1).unwrap_or(through))),
        }
    }
}

use chrono::Datelike as _;

/// Everything the interim report of one administration, year and date is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFacts {
    /// The administration.
    pub org: ReportUnit,
    pub year: i32,
    pub through: NaiveDate,
    /// Every unit of the organisation, in the store's name order.
    pub units: Vec<ReportUnit>,
    /// Ledger months of the report's year and the year before.
    pub outcome: Vec<OutcomeMonth>,
    pub budgets: Vec<Budget>,
    /// Forecasts of the year made on or before the date, oldest first.
    pub forecasts: Vec<Forecast>,
    /// Investment projects of the year, in the order they were entered.
    pub investments: Vec<Investment>,
    /// The administration's goals of the year, in their order.
    pub goals: Vec<Goal>,
    /// Assessments made on or before the date, oldest first.
    pub assessments: Vec<GoalAssessment>,
    /// The administration's indicators, in their order.
    pub indicators: Vec<Indicator>,
    /// Their values of periods up to the date, earliest period first.
    pub values: Vec<IndicatorValue>,
    /// Staff figures of periods up to the date, by metric, gender and period.
    pub staff: Vec<StaffFigure>,
    pub assignments: Vec<AssignmentRow>,
    /// Control points of the year, in the order they were entered.
    pub controls: Vec<Control>,
    pub narratives: Vec<Narrative>,
    pub events: Vec<EventRow>,
    /// Per provider unit (see [`super::org::provider_units`]).
    pub activity: Vec<UnitActivity>,
    /// Hand-offs of the period per pair of units, where either unit is a provider unit.
    pub handoffs: Vec<crate::handoff::HandoffPair>,
}
