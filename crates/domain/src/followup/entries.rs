//! The follow-up work as the people doing it see it: forecasts per unit, goals with their
//! assessment for a date, the report's texts and their history, strategic assignments,
//! control points, hand-entered indicators and the report's events. The store reads these
//! rows; the pages show them.

use serde::Serialize;

use super::{Assessment, AssignmentStatus, ControlResult, GoalArea, NarrativeStatus};
use crate::UnitId;

/// The administration a follow-up is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgRef {
    pub id: UnitId,
    pub code: String,
    pub name: String,
}

/// A unit that makes a full-year forecast, and whether this person may make it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForecastUnit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub may_forecast: bool,
}

/// A unit's newest forecast for a year, amounts in öre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForecastEntry {
    pub unit: UnitId,
    pub made_on: String,
    pub revenue: i64,
    pub cost: i64,
    pub comment: Option<String>,
}

/// A goal with its assessment made for one follow-up date, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalEntry {
    pub id: i64,
    pub area: GoalArea,
    pub name: String,
    pub description: String,
    pub assessment: Option<Assessment>,
    pub analysis: Option<String>,
}

/// A text of the report with its workflow state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NarrativeEntry {
    pub id: i64,
    pub section: String,
    pub title: String,
    pub body: String,
    pub status: NarrativeStatus,
    pub author_name: Option<String>,
    /// Milliseconds since the epoch (UTC).
    pub updated_at: i64,
}

/// One step of a text's history: who moved it to which state, and the text then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NarrativeVersion {
    pub at: i64,
    pub actor_name: Option<String>,
    pub status: NarrativeStatus,
    pub body: String,
}

/// A control point with its result for one follow-up date, for entering results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlEntry {
    pub id: i64,
    pub unit_code: String,
    pub name: String,
    pub result: Option<ControlResult>,
    pub findings: Option<String>,
    pub actions: Option<String>,
    pub carries_over: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentEntry {
    pub id: i64,
    pub body: String,
    pub status: AssignmentStatus,
    pub comment: String,
}

/// An indicator whose values are entered by hand (neither imported nor computed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorEntry {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub measure: String,
}

/// An important decision or event written for a report date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventEntry {
    pub id: i64,
    pub decision: bool,
    pub body: String,
}

/// Everything the follow-up page of one administration and date shows, and what this person
/// may change there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowupOverview {
    pub org: OrgRef,
    pub year: i32,
    pub through: String,
    /// The administration's units in use on the date.
    pub units: Vec<ForecastUnit>,
    pub forecasts: Vec<ForecastEntry>,
    pub goals: Vec<GoalEntry>,
    /// The administration's interim report may be read (and so everything on this page is
    /// shown); a unit's manager sees their own units' forecasts only.
    pub may_read_report: bool,
    /// Goals, texts, values, events, assignments and control results may be written.
    pub may_write: bool,
    pub texts: Vec<NarrativeEntry>,
    pub assignments: Vec<AssignmentEntry>,
    pub controls: Vec<ControlEntry>,
    pub indicators: Vec<IndicatorEntry>,
    pub events: Vec<EventEntry>,
    /// Hand-offs between units from 1 January to the date, as the report shows them (for
    /// those who may read the report).
    pub handoffs: Vec<crate::report::HandoffRow>,
}

/// One text of the report with its history, and whether this person may approve it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NarrativePage {
    pub text: NarrativeEntry,
    pub history: Vec<NarrativeVersion>,
    /// The administration's code, for the way back.
    pub org_code: String,
    pub may_approve: bool,
}

/// What carrying the texts and events of one report date over to another would do: each
/// text and event of `from`, and whether `to` has it already (then it is not copied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarryOverPlan {
    pub org: OrgRef,
    pub from: String,
    pub to: String,
    pub texts: Vec<(NarrativeEntry, bool)>,
    pub events: Vec<(EventEntry, bool)>,
}

impl CarryOverPlan {
    /// Texts and events to copy.
    pub fn copies(&self) -> usize {
        self.texts.iter().filter(|t| !t.1).count() + self.events.iter().filter(|e| !e.1).count()
    }
}
