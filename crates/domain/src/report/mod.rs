//! The interim report (delårsrapport): its model, and the rules that compute it from plain
//! facts.
//!
//! The store reads what is recorded ([`ReportFacts`]: units, ledger months, budgets, forecasts,
//! goals, indicators, staff figures, the daily case roll-ups, …) and applies no rule; the
//! modules here turn those facts into the model, one subject each:
//!
//! - [`org`]: which units are rows, predecessors folded in;
//! - [`finance`]: outcome, budget and forecast per row, the total, investments;
//! - [`operations`]: cases, surveys and calls per provider unit, the year's forecast;
//! - [`indicators`]: values by gender, small groups hidden, computed values, traffic lights;
//! - [`handoffs`]: cases passed between units, per pair;
//! - [`staff`], [`goals`] (and internal control), [`checks`] before approval;
//! - [`params`]: which report is asked for, and the date offered by default.
//!
//! The model is what the JSON format is; HTML, PDF and DOCX render from it, so an approved
//! report — stored as this JSON — renders the same document forever. Amounts are whole tkr,
//! each rounded once from öre ([`crate::followup::tkr`]); a surplus is positive.

pub mod checks;
mod facts;
pub mod finance;
pub mod goals;
pub mod handoffs;
pub mod indicators;
mod model;
pub mod operations;
pub mod org;
pub mod params;
pub mod staff;
#[cfg(test)]
mod tests;
pub mod unit_results;
mod versions;

pub use facts::*;
pub use finance::{InvestmentInput, Money, UnitFinanceInput};
pub use indicators::{IndicatorInput, IndicatorValueInput};
pub use model::*;
pub use operations::{operations_row, OperationsInput};
pub use params::ReportParams;
pub use versions::{ApprovedVersion, ReportDate, VersionChoice};

/// The report's figures before they become the model: the finance of each row in öre and
/// the other sections as rows.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub org_code: String,
    pub org_name: String,
    pub year: i32,
    pub through: String,
    pub units: Vec<UnitFinanceInput>,
    /// Booked on the administration itself, outside every unit.
    pub unallocated: UnitFinanceInput,
    pub investments: Vec<InvestmentInput>,
    pub goals: Vec<GoalRow>,
    pub indicators: Vec<IndicatorInput>,
    pub staff: Vec<StaffRow>,
    pub assignments: Vec<AssignmentRow>,
    pub controls: Vec<ControlRow>,
    pub narratives: Vec<Narrative>,
    pub events: Vec<EventRow>,
    pub operations: Vec<OperationsRow>,
    pub handoffs: Vec<HandoffRow>,
}

impl ReportInput {
    /// Applies every rule to the facts.
    pub fn from_facts(f: &ReportFacts) -> ReportInput {
        let groups = org::groups(&f.units, f.org.id);
        let (units, unallocated) = finance::finance_inputs(f, &groups);
        let operations: Vec<OperationsRow> = operations::operations_inputs(f, &groups)
            .iter()
            .map(operations_row)
            .collect();
        ReportInput {
            org_code: f.org.code.clone(),
            org_name: f.org.name.clone(),
            year: f.year,
            through: f.through.format("%Y-%m-%d").to_string(),
            units,
            unallocated,
            investments: finance::investment_inputs(f, &groups),
            goals: goals::goal_rows(f),
            indicators: indicators::indicator_inputs(f, &operations),
            staff: staff::staff_rows(&f.staff),
            assignments: f.assignments.clone(),
            controls: goals::control_rows(f, &groups),
            narratives: f.narratives.clone(),
            events: f.events.clone(),
            operations,
            handoffs: handoffs::handoff_rows(&f.handoffs, &f.units, f.org.id),
        }
    }
}

/// The report of the facts: a draft, computed from live data.
pub fn compute(f: &ReportFacts) -> InterimReport {
    build(&ReportInput::from_facts(f))
}

/// The report of the figures, with the checks found in it.
pub fn build(input: &ReportInput) -> InterimReport {
    let mut report = InterimReport {
        meta: Meta {
            org: input.org_code.clone(),
            org_name: input.org_name.clone(),
            year: input.year,
            through: input.through.clone(),
            status: ReportStatus::Draft,
            approved_at: None,
            approved_by: None,
            sign_convention: SIGN_CONVENTION.into(),
            rounding: ROUNDING.into(),
        },
        finance: finance::finance(
            &input.units,
            &input.unallocated,
            &input.org_code,
            &input.org_name,
        ),
        investments: finance::investments(&input.investments),
        goals: input.goals.clone(),
        indicators: indicators::indicator_rows(&input.indicators, input.year, &input.through),
        staff: input.staff.clone(),
        assignments: input.assignments.clone(),
        internal_control: input.controls.clone(),
        operations: input.operations.clone(),
        narratives: input.narratives.clone(),
        events: input.events.clone(),
        checks: Vec::new(),
        handoffs: input.handoffs.clone(),
        unit_results: Vec::new(),
    };
    report.checks = checks::checks(&report, &input.units);
    report
}
