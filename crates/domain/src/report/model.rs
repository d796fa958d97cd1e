//! The report as a document model: what the JSON format is, and what every other format
//! renders. Field names and value spellings are the JSON's, so they cannot change without
//! changing every stored (approved) report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::followup::{
    Assessment, AssignmentStatus, ControlResult, Gender, GoalArea, NarrativeStatus, StaffMetric,
    TrafficLight,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterimReport {
    pub meta: Meta,
    pub finance: Finance,
    pub investments: Investments,
    pub goals: Vec<GoalRow>,
    pub indicators: Vec<IndicatorRow>,
    pub staff: Vec<StaffRow>,
    pub assignments: Vec<AssignmentRow>,
    pub internal_control: Vec<ControlRow>,
    pub operations: Vec<OperationsRow>,
    pub narratives: Vec<Narrative>,
    pub events: Vec<EventRow>,
    pub checks: Vec<Check>,
    /// Hand-offs between units over the period; absent when there were none (and in reports
    /// approved before hand-offs were reported).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handoffs: Vec<HandoffRow>,
    /// Each unit's result from the billing (locked charges against ledger costs); absent
    /// when the year has no locked billing run by the report date (and in reports approved
    /// before it was reported).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unit_results: Vec<super::unit_results::UnitResultRow>,
}

impl InterimReport {
    pub fn is_approved(&self) -> bool {
        self.meta.status == ReportStatus::Approved
    }

    /// Marks the report approved, at `at` (ISO 8601, UTC) by `by` (a display name). Approving
    /// an approved report is refused: it is frozen.
    pub fn approve(&mut self, at: String, by: String) -> Result<(), AlreadyApproved> {
        if self.is_approved() {
            return Err(AlreadyApproved);
        }
        self.meta.status = ReportStatus::Approved;
        self.meta.approved_at = Some(at);
        self.meta.approved_by = Some(by);
        Ok(())
    }
}

impl InterimReport {
    /// The live draft says something else than the approved version `approved`: it is the
    /// same report only when everything but the approval itself is equal.
    pub fn differs_from(&self, approved: &InterimReport) -> bool {
        let mut a = approved.clone();
        a.meta.status = self.meta.status;
        a.meta.approved_at.clone_from(&self.meta.approved_at);
        a.meta.approved_by.clone_from(&self.meta.approved_by);
        a != *self
    }
}

/// The report was approved before: it is frozen and cannot be approved again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the report is already approved")]
pub struct AlreadyApproved;

/// Where a report stands: computed from live data, or approved and frozen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Approved,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub org: String,
    pub org_name: String,
    pub year: i32,
    pub through: String,
    pub status: ReportStatus,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub sign_convention: String,
    pub rounding: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceRow {
    pub code: String,
    pub name: String,
    pub outcome_ytd: i64,
    pub outcome_ytd_prev: i64,
    pub change: i64,
    pub forecast: Option<i64>,
    pub budget: Option<i64>,
    pub deviation: Option<i64>,
    pub actual_prev_year: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub predecessors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowRow {
    pub forecast: i64,
    pub budget: i64,
    /// Favourable is positive: for costs budget − forecast, for revenues forecast − budget.
    pub deviation: i64,
    pub actual_prev_year: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finance {
    pub units: Vec<FinanceRow>,
    /// Booked on the administration outside its units, when anything is.
    pub unallocated: Option<FinanceRow>,
    pub total: FinanceRow,
    pub costs: FlowRow,
    pub revenues: FlowRow,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvestmentRow {
    pub unit: String,
    pub project: String,
    pub spent: i64,
    pub income: i64,
    pub forecast_spent: i64,
    pub forecast_income: i64,
    pub forecast_net: i64,
    pub frame: i64,
    /// Frame minus forecast net: negative when the frame is exceeded.
    pub deviation: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Investments {
    pub projects: Vec<InvestmentRow>,
    pub total: InvestmentRow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalRow {
    pub area: GoalArea,
    pub municipal_goal: String,
    pub name: String,
    pub description: String,
    pub assessment: Assessment,
    pub analysis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub goal: Option<String>,
    pub measure: String,
    pub gender: Gender,
    /// Period → value; a missing or suppressed value is null.
    pub values: BTreeMap<String, Option<f64>>,
    pub target: Option<f64>,
    pub status: TrafficLight,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<String>,
    pub kolada_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffRow {
    pub metric: StaffMetric,
    pub gender: Gender,
    pub values: BTreeMap<String, f64>,
    pub target: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRow {
    pub common: bool,
    pub text: String,
    pub status: AssignmentStatus,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlRow {
    pub unit: String,
    pub name: String,
    pub risk: String,
    pub method: String,
    pub frequency: String,
    pub owner: String,
    pub result: Option<ControlResult>,
    pub findings: String,
    pub actions: String,
    pub carries_over: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationsRow {
    pub code: String,
    pub name: String,
    pub cases: i64,
    pub cases_prev_year: i64,
    pub cases_forecast_year: Option<i64>,
    pub cases_per_week: Option<f64>,
    /// Share per channel, percent.
    pub channels: BTreeMap<String, f64>,
    /// Share per target group, percent.
    pub target_groups: BTreeMap<String, f64>,
    pub first_contact_resolution: Option<f64>,
    /// Mean survey score, 0–100.
    pub satisfaction: Option<f64>,
    /// Share of answers scoring at least 60, percent.
    pub satisfied_share: Option<f64>,
    pub surveys: i64,
    pub survey_response_rate: Option<f64>,
    /// Phone queues: answered within the threshold ÷ offered, percent.
    pub service_level: Option<f64>,
    pub service_level_target: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub mean_wait_seconds: Option<f64>,
    pub calls_offered: Option<i64>,
    pub weekly: Vec<WeekRow>,
}

impl OperationsRow {
    /// A measure an indicator can be computed from (see `import::COMPUTED_MEASURES`).
    pub fn measure(&self, name: &str) -> Option<f64> {
        match name {
            "service_level" => self.service_level,
            "abandon_rate" => self.abandon_rate,
            "satisfaction" => self.satisfaction,
            "satisfied_share" => self.satisfied_share,
            "first_contact_resolution" => self.first_contact_resolution,
            "cases_per_week" => self.cases_per_week,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekRow {
    pub week: String,
    pub cases: i64,
    pub service_level: Option<f64>,
}

/// Cases one unit handed off to another from 1 January to the report date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffRow {
    /// The unit that handed the cases off (a report row's name inside the administration).
    pub from: String,
    pub to: String,
    pub handoffs: i64,
    /// Of those, hand-backs: cases returned to the unit they had come from.
    pub hand_backs: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    pub section: String,
    pub title: String,
    pub body: String,
    pub status: NarrativeStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub decision: bool,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A contradiction or gap found before approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

pub const SIGN_CONVENTION: &str =
    "Belopp i tkr. Resultat = intäkter − kostnader: ett överskott är positivt, ett underskott negativt. \
     Avvikelse = prognos − budget för resultat och intäkter, budget − prognos för kostnader: positivt är gynnsamt.";
pub const ROUNDING: &str =
    "Varje belopp avrundas en gång, från öre till hela tkr (halva tkr bort från noll); summor och avvikelser \
     räknas på oavrundade belopp och kan därför skilja en tkr från summan av avrundade rader.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_serialises_as_before_and_approval_freezes() {
        assert_eq!(
            serde_json::to_string(&ReportStatus::Draft).unwrap(),
            "\"draft\""
        );
        assert_eq!(
            serde_json::to_string(&ReportStatus::Approved).unwrap(),
            "\"approved\""
        );
        let mut r = crate::report::build(&crate::report::ReportInput::default());
        assert!(!r.is_approved());
        let draft = r.clone();
        r.approve("2019-09-10T08:00:00Z".into(), "Vera".into())
            .expect("a draft can be approved");
        assert_eq!(r.meta.status, ReportStatus::Approved);
        assert_eq!(r.meta.approved_by.as_deref(), Some("Vera"));
        assert_eq!(
            r.approve("2019-09-11T08:00:00Z".into(), "Vera".into()),
            Err(AlreadyApproved)
        );
        assert_eq!(r.meta.approved_at.as_deref(), Some("2019-09-10T08:00:00Z"));
        // The approval alone is no difference; a changed figure is.
        assert!(!draft.differs_from(&r));
        let mut changed = draft.clone();
        changed.finance.total.forecast = Some(-99_000);
        assert!(changed.differs_from(&r));
    }
}
