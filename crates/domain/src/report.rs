//! The interim report (delårsrapport) as a data model, computed from what the store gathers.
//!
//! The model is what the JSON format is; HTML, PDF and DOCX render from it, so an approved
//! report — stored as this JSON — renders the same document forever. Amounts are whole tkr,
//! each rounded once from öre ([`crate::followup::tkr`]); a surplus is positive.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::followup::{
    suppressed, tkr, traffic_light, Assessment, AssignmentStatus, CallStats, ControlResult,
    Direction, Gender, IndicatorReading, TrafficLight,
};

/// Revenue and cost in öre; the result is revenue minus cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub revenue: i64,
    pub cost: i64,
}

impl Money {
    pub fn result(&self) -> i64 {
        self.revenue - self.cost
    }
    pub fn plus(self, o: Money) -> Money {
        Money {
            revenue: self.revenue + o.revenue,
            cost: self.cost + o.cost,
        }
    }
}

/// The finance of one reported unit, its predecessors' figures included.
#[derive(Debug, Clone, Default)]
pub struct UnitFinanceInput {
    pub code: String,
    pub name: String,
    pub predecessors: Vec<String>,
    pub outcome_ytd: Money,
    pub outcome_ytd_prev: Money,
    pub forecast: Option<Money>,
    pub budget: Option<Money>,
    pub actual_prev_year: Money,
    pub budget_note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct InvestmentInput {
    pub unit: String,
    pub project: String,
    pub frame: i64,
    pub spent: i64,
    pub income: i64,
    pub forecast_spent: i64,
    pub forecast_income: i64,
}

#[derive(Debug, Clone)]
pub struct GoalInput {
    pub area: crate::followup::GoalArea,
    pub municipal_goal: String,
    pub name: String,
    pub description: String,
    pub assessment: Option<Assessment>,
    pub analysis: String,
}

#[derive(Debug, Clone)]
pub struct IndicatorValueInput {
    pub period: String,
    pub gender: Gender,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub group_size: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct IndicatorInput {
    pub code: String,
    pub name: String,
    pub goal: Option<String>,
    pub measure: String,
    pub direction: Direction,
    pub band: Option<(f64, f64)>,
    pub kolada_id: Option<String>,
    pub min_group_size: i64,
    pub values: Vec<IndicatorValueInput>,
}

/// Operational figures of one provider unit, counted by the store from cases, calls and surveys.
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
    pub calls: Option<CallStats>,
    pub target_percent: Option<f64>,
    /// (ISO week, cases, service level of the week's calls)
    pub weekly: Vec<(String, i64, Option<f64>)>,
    /// Cases forecast for the whole year.
    pub forecast_year: Option<i64>,
}

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
    pub goals: Vec<GoalInput>,
    pub indicators: Vec<IndicatorInput>,
    pub staff: Vec<StaffRow>,
    pub assignments: Vec<AssignmentRow>,
    pub controls: Vec<ControlRow>,
    pub narratives: Vec<Narrative>,
    pub events: Vec<EventRow>,
    pub operations: Vec<OperationsInput>,
}

// ---- the report ----

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub org: String,
    pub org_name: String,
    pub year: i32,
    pub through: String,
    pub status: String,
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
    pub area: String,
    pub municipal_goal: String,
    pub name: String,
    pub description: String,
    pub assessment: String,
    pub analysis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub goal: Option<String>,
    pub measure: String,
    pub gender: String,
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
    pub metric: String,
    pub gender: String,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekRow {
    pub week: String,
    pub cases: i64,
    pub service_level: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    pub section: String,
    pub title: String,
    pub body: String,
    pub status: String,
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

fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

fn finance_row(u: &UnitFinanceInput) -> FinanceRow {
    FinanceRow {
        code: u.code.clone(),
        name: u.name.clone(),
        outcome_ytd: tkr(u.outcome_ytd.result()),
        outcome_ytd_prev: tkr(u.outcome_ytd_prev.result()),
        change: tkr(u.outcome_ytd.result() - u.outcome_ytd_prev.result()),
        forecast: u.forecast.map(|f| tkr(f.result())),
        budget: u.budget.map(|b| tkr(b.result())),
        deviation: match (u.forecast, u.budget) {
            (Some(f), Some(b)) => Some(tkr(f.result() - b.result())),
            _ => None,
        },
        actual_prev_year: tkr(u.actual_prev_year.result()),
        predecessors: u.predecessors.clone(),
        note: u.budget_note.clone(),
    }
}

fn sum_inputs<'a>(rows: impl Iterator<Item = &'a UnitFinanceInput>) -> UnitFinanceInput {
    let mut t = UnitFinanceInput::default();
    let (mut any_fc, mut any_budget) = (false, false);
    let (mut fc, mut b) = (Money::default(), Money::default());
    for u in rows {
        t.outcome_ytd = t.outcome_ytd.plus(u.outcome_ytd);
        t.outcome_ytd_prev = t.outcome_ytd_prev.plus(u.outcome_ytd_prev);
        t.actual_prev_year = t.actual_prev_year.plus(u.actual_prev_year);
        // A unit without a forecast is expected to land on its budget.
        if let Some(f) = u.forecast.or(u.budget) {
            fc = fc.plus(f);
            any_fc = true;
        }
        if let Some(x) = u.budget {
            b = b.plus(x);
            any_budget = true;
        }
    }
    t.forecast = any_fc.then_some(fc);
    t.budget = any_budget.then_some(b);
    t
}

/// Computes the report. `status` is "draft" or "approved".
pub fn build(input: &ReportInput) -> InterimReport {
    let units: Vec<FinanceRow> = input.units.iter().map(finance_row).collect();
    let has_unallocated = input.unallocated.outcome_ytd != Money::default()
        || input.unallocated.outcome_ytd_prev != Money::default()
        || input.unallocated.actual_prev_year != Money::default()
        || input.unallocated.forecast.is_some()
        || input.unallocated.budget.is_some();
    let total_in = sum_inputs(
        input
            .units
            .iter()
            .chain(has_unallocated.then_some(&input.unallocated)),
    );
    let mut total = finance_row(&total_in);
    total.code = input.org_code.clone();
    total.name = "Summa".to_string();
    let fc = total_in.forecast.unwrap_or_default();
    let budget = total_in.budget.unwrap_or_default();
    let costs = FlowRow {
        forecast: tkr(fc.cost),
        budget: tkr(budget.cost),
        deviation: tkr(budget.cost - fc.cost),
        actual_prev_year: tkr(total_in.actual_prev_year.cost),
    };
    let revenues = FlowRow {
        forecast: tkr(fc.revenue),
        budget: tkr(budget.revenue),
        deviation: tkr(fc.revenue - budget.revenue),
        actual_prev_year: tkr(total_in.actual_prev_year.revenue),
    };
    let unallocated = has_unallocated.then(|| {
        let mut r = finance_row(&input.unallocated);
        r.name = format!("{} (utan verksamhet)", input.org_name);
        r
    });
    let finance = Finance {
        units,
        unallocated,
        total,
        costs,
        revenues,
    };

    let inv = |i: &InvestmentInput| {
        let net = i.forecast_spent - i.forecast_income;
        InvestmentRow {
            unit: i.unit.clone(),
            project: i.project.clone(),
            spent: tkr(i.spent),
            income: tkr(i.income),
            forecast_spent: tkr(i.forecast_spent),
            forecast_income: tkr(i.forecast_income),
            forecast_net: tkr(net),
            frame: tkr(i.frame),
            deviation: tkr(i.frame - net),
        }
    };
    let projects: Vec<InvestmentRow> = input.investments.iter().map(inv).collect();
    let sum = input
        .investments
        .iter()
        .fold(InvestmentInput::default(), |a, i| InvestmentInput {
            unit: String::new(),
            project: "Summa investeringar".into(),
            frame: a.frame + i.frame,
            spent: a.spent + i.spent,
            income: a.income + i.income,
            forecast_spent: a.forecast_spent + i.forecast_spent,
            forecast_income: a.forecast_income + i.forecast_income,
        });
    let mut inv_total = inv(&sum);
    inv_total.project = "Summa investeringar".into();
    let investments = Investments {
        projects,
        total: inv_total,
    };

    let goals = input
        .goals
        .iter()
        .map(|g| GoalRow {
            area: g.area.as_str().to_string(),
            municipal_goal: g.municipal_goal.clone(),
            name: g.name.clone(),
            description: g.description.clone(),
            assessment: g
                .assessment
                .unwrap_or(Assessment::NotAssessed)
                .as_str()
                .to_string(),
            analysis: g.analysis.clone(),
        })
        .collect();

    let indicators = indicator_rows(input);
    let operations = input
        .operations
        .iter()
        .map(|o| operations_row(o, &input.through))
        .collect();

    let mut report = InterimReport {
        meta: Meta {
            org: input.org_code.clone(),
            org_name: input.org_name.clone(),
            year: input.year,
            through: input.through.clone(),
            status: "draft".into(),
            approved_at: None,
            approved_by: None,
            sign_convention: SIGN_CONVENTION.into(),
            rounding: ROUNDING.into(),
        },
        finance,
        investments,
        goals,
        indicators,
        staff: input.staff.clone(),
        assignments: input.assignments.clone(),
        internal_control: input.controls.clone(),
        operations,
        narratives: input.narratives.clone(),
        events: input.events.clone(),
        checks: Vec::new(),
    };
    report.checks = checks(&report, input);
    report
}

fn indicator_rows(input: &ReportInput) -> Vec<IndicatorRow> {
    let mut rows = Vec::new();
    let year = input.year.to_string();
    let prev_year = (input.year - 1).to_string();
    for ind in &input.indicators {
        for gender in Gender::ALL {
            let vals: Vec<&IndicatorValueInput> =
                ind.values.iter().filter(|v| v.gender == *gender).collect();
            if vals.is_empty() && *gender != Gender::Total {
                continue;
            }
            let mut values = BTreeMap::new();
            let mut hidden = Vec::new();
            for v in &vals {
                let hide = suppressed(v.group_size, ind.min_group_size);
                if hide {
                    hidden.push(v.period.clone());
                }
                values.insert(v.period.clone(), if hide { None } else { v.value });
            }
            // The latest value of the report year, and the last value before it.
            let in_year = |p: &str| p == year || p.starts_with(&format!("{year}-"));
            let latest = vals
                .iter()
                .filter(|v| in_year(&v.period) && v.period.as_str() <= input.through.as_str())
                .max_by(|a, b| a.period.cmp(&b.period));
            let previous = vals
                .iter()
                .filter(|v| v.period == prev_year)
                .map(|v| v.value)
                .next()
                .flatten();
            let target = vals.iter().filter_map(|v| v.target).next_back();
            let latest_value = latest.and_then(|v| {
                if suppressed(v.group_size, ind.min_group_size) {
                    None
                } else {
                    v.value
                }
            });
            let status = traffic_light(&IndicatorReading {
                direction: ind.direction,
                band: ind.band,
                latest: latest_value,
                previous,
                target,
            });
            rows.push(IndicatorRow {
                code: ind.code.clone(),
                name: ind.name.clone(),
                goal: ind.goal.clone(),
                measure: ind.measure.clone(),
                gender: gender.as_str().to_string(),
                values,
                target,
                status,
                suppressed: hidden,
                kolada_id: ind.kolada_id.clone(),
            });
        }
    }
    rows
}

/// The percentages and means of one unit's operations.
pub fn operations_row(o: &OperationsInput, through: &str) -> OperationsRow {
    let channel_total: i64 = o.channels.values().sum();
    let group_total: i64 = o.target_groups.values().sum();
    let weeks = o.weekly.iter().filter(|w| w.1 > 0).count() as i64;
    let _ = through;
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
        survey_response_rate: pct(o.surveys, o.closed),
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

fn fmt(n: i64) -> String {
    crate::format::int(n).replace(crate::format::GROUP, " ")
}

/// Contradictions and gaps, in Swedish, for the person approving the report.
fn checks(r: &InterimReport, input: &ReportInput) -> Vec<Check> {
    let mut out = Vec::new();
    let mut check = |severity, code: &str, message: String| {
        out.push(Check {
            severity,
            code: code.into(),
            message,
        })
    };
    let f = &r.finance;
    let tolerance = (f.units.len() as i64 + 1) / 2;
    type Column = fn(&FinanceRow) -> Option<i64>;
    let columns: [(&str, &str, Column); 5] = [
        ("outcome_ytd", "redovisning för perioden", |x| {
            Some(x.outcome_ytd)
        }),
        (
            "outcome_ytd_prev",
            "redovisning samma period föregående år",
            |x| Some(x.outcome_ytd_prev),
        ),
        ("forecast", "prognos helår", |x| x.forecast),
        ("budget", "budget", |x| x.budget),
        ("actual_prev_year", "bokslut föregående år", |x| {
            Some(x.actual_prev_year)
        }),
    ];
    for (code, label, get) in columns {
        let rows: i64 = f.units.iter().filter_map(get).sum();
        let Some(total) = get(&f.total) else { continue };
        if (rows - total).abs() > tolerance {
            let why = match &f.unallocated {
                Some(u) if get(u).is_some_and(|v| v != 0) => format!(
                    " Skillnaden, {} tkr, är bokförd på {} utan verksamhet.",
                    fmt(total - rows),
                    input.org_name
                ),
                _ => String::new(),
            };
            check(
                Severity::Error,
                &format!("finance_sum_{code}"),
                format!(
                    "Driftsammandraget: raderna för {label} summerar till {} tkr men totalen är {} tkr.{why}",
                    fmt(rows),
                    fmt(total)
                ),
            );
        }
    }
    for u in &input.units {
        if u.budget.is_some() && u.forecast.is_none() {
            check(
                Severity::Warning,
                "forecast_missing",
                format!(
                    "{} saknar helårsprognos per {}; budgeten används.",
                    u.name, input.through
                ),
            );
        }
    }
    let unassessed: Vec<&str> = r
        .goals
        .iter()
        .filter(|g| g.assessment == "not_assessed")
        .map(|g| g.name.as_str())
        .collect();
    if !unassessed.is_empty() {
        check(
            Severity::Warning,
            "goal_not_assessed",
            format!("Mål utan bedömning: {}.", unassessed.join(", ")),
        );
    }
    let year = input.year.to_string();
    let mut ytd_checked = std::collections::BTreeSet::new();
    for i in &r.indicators {
        let partial = i
            .values
            .keys()
            .filter(|p| p.starts_with(&format!("{year}-")) && !p.ends_with("-12"))
            .max();
        let has_value = partial.is_some_and(|p| i.values.get(p).is_some_and(Option::is_some));
        if let (Some(p), Some(t), true) = (partial, i.target, has_value) {
            if i.gender == "T" && ytd_checked.insert(i.code.clone()) {
                check(
                    Severity::Info,
                    "ytd_vs_year_target",
                    format!(
                        "{}: värdet för {p} avser del av året men jämförs med målvärdet för helår ({}).",
                        i.name,
                        crate::format::decimal(t, 2).trim_end_matches('0').trim_end_matches(',').replace(crate::format::GROUP, " ")
                    ),
                );
            }
        }
    }
    let unapproved: Vec<&str> = r
        .narratives
        .iter()
        .filter(|n| n.status != "approved")
        .map(|n| n.title.as_str())
        .collect();
    if !unapproved.is_empty() {
        check(
            Severity::Warning,
            "narrative_not_approved",
            format!("Texter som inte är godkända: {}.", unapproved.join(", ")),
        );
    }
    for c in &r.internal_control {
        if c.result.is_none() {
            check(
                Severity::Warning,
                "control_without_result",
                format!("Kontrollmomentet {} ({}) saknar resultat.", c.name, c.unit),
            );
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(tkr: f64) -> i64 {
        (tkr * 100_000.0).round() as i64
    }

    fn unit(
        code: &str,
        ytd: f64,
        prev: f64,
        fc: Option<(f64, f64)>,
        budget: Option<(f64, f64)>,
        actual: f64,
    ) -> UnitFinanceInput {
        UnitFinanceInput {
            code: code.into(),
            name: code.into(),
            outcome_ytd: Money {
                revenue: kr(1000.0 + ytd),
                cost: kr(1000.0),
            },
            outcome_ytd_prev: Money {
                revenue: kr(500.0 + prev),
                cost: kr(500.0),
            },
            forecast: fc.map(|(r, c)| Money {
                revenue: kr(r),
                cost: kr(c),
            }),
            budget: budget.map(|(r, c)| Money {
                revenue: kr(r),
                cost: kr(c),
            }),
            actual_prev_year: Money {
                revenue: kr(2000.0 + actual),
                cost: kr(2000.0),
            },
            ..Default::default()
        }
    }

    #[test]
    fn finance_rows_totals_and_deviations() {
        let input = ReportInput {
            org_code: "VSS".into(),
            org_name: "VSS".into(),
            year: 2019,
            through: "2019-08-31".into(),
            units: vec![
                unit(
                    "A",
                    -65.0,
                    113.0,
                    Some((100.0, 100.0)),
                    Some((100.0, 100.0)),
                    78.0,
                ),
                unit(
                    "B",
                    12_976.0,
                    5_916.0,
                    Some((149_917.0, 134_083.4)),
                    Some((148_122.6, 144_776.6)),
                    8_811.0,
                ),
            ],
            unallocated: UnitFinanceInput {
                actual_prev_year: Money {
                    revenue: kr(400.0),
                    cost: kr(2.0),
                },
                ..Default::default()
            },
            ..Default::default()
        };
        let r = build(&input);
        let b = &r.finance.units[1];
        assert_eq!(
            (b.outcome_ytd, b.change, b.forecast, b.budget, b.deviation),
            (12_976, 7_060, Some(15_834), Some(3_346), Some(12_488))
        );
        assert_eq!(r.finance.total.outcome_ytd, 12_911);
        assert_eq!(r.finance.total.actual_prev_year, 8_889 + 398);
        assert_eq!(r.finance.costs.budget, 144_877);
        assert_eq!(r.finance.costs.deviation, 10_693); // 144 876,6 − 134 183,4 = 10 693,2
                                                       // 398 tkr booked outside the units: the rows do not add up, and the check says why.
        let c = r
            .checks
            .iter()
            .find(|c| c.code == "finance_sum_actual_prev_year")
            .expect("a sum check");
        assert_eq!(c.severity, Severity::Error);
        assert!(
            c.message.contains("8 889")
                && c.message.contains("9 287")
                && c.message.contains("398 tkr"),
            "{}",
            c.message
        );
        assert!(!r.checks.iter().any(|c| c.code == "finance_sum_outcome_ytd"));
    }

    #[test]
    fn investments_net_and_deviation() {
        let input = ReportInput {
            investments: vec![
                InvestmentInput {
                    unit: "L".into(),
                    project: "IT".into(),
                    frame: kr(37_900.0),
                    spent: kr(33_100.0),
                    income: 0,
                    forecast_spent: kr(47_960.0),
                    forecast_income: 0,
                },
                InvestmentInput {
                    unit: "L".into(),
                    project: "Pekplattor".into(),
                    frame: 0,
                    spent: 0,
                    income: 0,
                    forecast_spent: kr(848.0),
                    forecast_income: kr(808.0),
                },
            ],
            ..Default::default()
        };
        let r = build(&input);
        assert_eq!(
            (
                r.investments.projects[1].forecast_net,
                r.investments.projects[1].deviation
            ),
            (40, -40)
        );
        let t = &r.investments.total;
        assert_eq!(
            (
                t.spent,
                t.forecast_spent,
                t.forecast_income,
                t.forecast_net,
                t.frame,
                t.deviation
            ),
            (33_100, 48_808, 808, 48_000, 37_900, -10_100)
        );
    }

    #[test]
    fn indicators_get_lights_and_small_groups_are_hidden() {
        let v = |period: &str, gender, value, target, group_size| IndicatorValueInput {
            period: period.into(),
            gender,
            value: Some(value),
            target,
            group_size,
        };
        let input = ReportInput {
            year: 2019,
            through: "2019-08-31".into(),
            indicators: vec![IndicatorInput {
                code: "SJUK".into(),
                name: "Total sjukfrånvaro".into(),
                goal: None,
                measure: "%".into(),
                direction: Direction::Lower,
                band: None,
                kolada_id: None,
                min_group_size: 5,
                values: vec![
                    v("2018", Gender::Total, 4.0, None, None),
                    v("2019-08", Gender::Total, 2.5, Some(3.5), None),
                    v("2018", Gender::Men, 0.19, None, Some(3)),
                    v("2019-08", Gender::Men, 3.9, Some(1.3), Some(3)),
                ],
            }],
            ..Default::default()
        };
        let r = build(&input);
        assert_eq!(r.indicators.len(), 2);
        assert_eq!(r.indicators[0].status, TrafficLight::Green);
        assert_eq!(r.indicators[1].gender, "M");
        assert_eq!(r.indicators[1].values["2019-08"], None);
        assert_eq!(r.indicators[1].status, TrafficLight::Grey);
        assert_eq!(
            r.indicators[1].suppressed,
            vec!["2018".to_string(), "2019-08".to_string()]
        );
        assert!(r
            .checks
            .iter()
            .any(|c| c.code == "ytd_vs_year_target" && c.message.contains("3,5")));
    }

    #[test]
    fn operations_shares() {
        let o = OperationsInput {
            code: "HRD".into(),
            cases: 100,
            channels: [
                ("web".to_string(), 43),
                ("chat".to_string(), 28),
                ("phone".to_string(), 15),
                ("email".to_string(), 14),
            ]
            .into(),
            surveys: 25,
            survey_score_sum: 25 * 90,
            surveys_satisfied: 25,
            closed: 100,
            weekly: vec![("2019-W18".into(), 50, None), ("2019-W19".into(), 50, None)],
            ..Default::default()
        };
        let r = operations_row(&o, "2019-08-31");
        assert_eq!(r.channels["web"], 43.0);
        assert_eq!(
            (r.satisfaction, r.satisfied_share, r.survey_response_rate),
            (Some(90.0), Some(100.0), Some(25.0))
        );
        assert_eq!(r.cases_per_week, Some(50.0));
        assert_eq!(r.service_level, None);
    }
}
