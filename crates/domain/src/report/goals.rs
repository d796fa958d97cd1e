//! Goals and internal control: each goal with its newest assessment up to the report date,
//! and the control points of the reported units with their newest result.

use std::collections::HashMap;

use super::facts::{GoalAssessment, ReportFacts};
use super::model::{ControlRow, GoalRow};
use super::org::ReportGroup;
use crate::followup::Assessment;
use crate::UnitId;

/// Every goal in order; one without an assessment is "not assessed", with no analysis.
pub fn goal_rows(f: &ReportFacts) -> Vec<GoalRow> {
    // Assessments come oldest first: the newest wins.
    let latest: HashMap<i64, &GoalAssessment> = f.assessments.iter().map(|a| (a.goal, a)).collect();
    f.goals
        .iter()
        .map(|g| {
            let a = latest.get(&g.id);
            GoalRow {
                area: g.area,
                municipal_goal: g.municipal_goal.clone(),
                name: g.name.clone(),
                description: g.description.clone(),
                assessment: a.map_or(Assessment::NotAssessed, |a| a.assessment),
                analysis: a.map(|a| a.analysis.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The control points of the reported units and of the administration itself, named by unit
/// code; a point without a result has no findings or actions.
pub fn control_rows(f: &ReportFacts, groups: &[ReportGroup]) -> Vec<ControlRow> {
    let ids: Vec<UnitId> = groups
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .chain([f.org.id])
        .collect();
    f.controls
        .iter()
        .filter(|c| ids.contains(&c.unit))
        .map(|c| ControlRow {
            unit: f
                .units
                .iter()
                .find(|u| u.id == c.unit)
                .map(|u| u.code.clone())
                .unwrap_or_default(),
            name: c.name.clone(),
            risk: c.risk.clone(),
            method: c.method.clone(),
            frequency: c.frequency.clone(),
            owner: c.owner.clone(),
            result: c.result,
            findings: c.findings.clone().unwrap_or_default(),
            actions: c.actions.clone().unwrap_or_default(),
            carries_over: c.carries_over,
        })
        .collect()
}
