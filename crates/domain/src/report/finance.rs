//! Finance: outcome, budget and forecast per reported unit, the administration's total, the
//! flows of cost and revenue, and investments. Sums and deviations are taken in öre and each
//! figure is rounded once to tkr ([`tkr`]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::facts::{ReportFacts, ReportUnit};
use super::model::{Finance, FinanceRow, FlowRow, InvestmentRow, Investments};
use super::org::{predecessor_names, ReportGroup};
use crate::followup::tkr;
use crate::UnitId;

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

/// The forecast that counts for each unit: the newest (forecasts come oldest first).
pub fn latest_forecasts(f: &ReportFacts) -> HashMap<UnitId, Money> {
    f.forecasts.iter().map(|x| (x.unit, x.money)).collect()
}

/// The figures of one row: every member's outcome up to the report month (and the same months
/// of the year before, and that whole year), budget and newest forecast. The budget's note is
/// the row unit's own.
pub fn unit_finance(
    f: &ReportFacts,
    latest: &HashMap<UnitId, Money>,
    row: &ReportUnit,
    members: &[UnitId],
) -> UnitFinanceInput {
    use chrono::Datelike;
    let through_month = f.through.month();
    let mut out = UnitFinanceInput {
        code: row.code.clone(),
        name: row.name.clone(),
        ..Default::default()
    };
    for o in f.outcome.iter().filter(|o| members.contains(&o.unit)) {
        if o.year == f.year && o.month <= through_month {
            out.outcome_ytd = out.outcome_ytd.plus(o.money);
        }
        if o.year == f.year - 1 {
            out.actual_prev_year = out.actual_prev_year.plus(o.money);
            if o.month <= through_month {
                out.outcome_ytd_prev = out.outcome_ytd_prev.plus(o.money);
            }
        }
    }
    for b in f.budgets.iter().filter(|b| members.contains(&b.unit)) {
        out.budget = Some(out.budget.unwrap_or_default().plus(b.money));
        if b.unit == row.id {
            out.budget_note.clone_from(&b.note);
        }
    }
    for id in members {
        if let Some(m) = latest.get(id) {
            out.forecast = Some(out.forecast.unwrap_or_default().plus(*m));
        }
    }
    out
}

/// The rows, each with its predecessors named, and what is booked on the administration itself.
pub fn finance_inputs(
    f: &ReportFacts,
    groups: &[ReportGroup],
) -> (Vec<UnitFinanceInput>, UnitFinanceInput) {
    let latest = latest_forecasts(f);
    let rows = groups
        .iter()
        .map(|g| UnitFinanceInput {
            predecessors: predecessor_names(&f.units, g),
            ..unit_finance(f, &latest, &g.unit, &g.members)
        })
        .collect();
    let unallocated = unit_finance(f, &latest, &f.org, &[f.org.id]);
    (rows, unallocated)
}

/// The investment projects of the rows' units and of the administration, named by unit.
pub fn investment_inputs(f: &ReportFacts, groups: &[ReportGroup]) -> Vec<InvestmentInput> {
    let ids: Vec<UnitId> = groups
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .chain([f.org.id])
        .collect();
    f.investments
        .iter()
        .filter(|i| ids.contains(&i.unit))
        .map(|i| InvestmentInput {
            unit: f
                .units
                .iter()
                .find(|u| u.id == i.unit)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            project: i.project.clone(),
            frame: i.frame,
            spent: i.spent,
            income: i.income,
            forecast_spent: i.forecast_spent,
            forecast_income: i.forecast_income,
        })
        .collect()
}

pub fn finance_row(u: &UnitFinanceInput) -> FinanceRow {
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

/// The sum of rows in öre. A unit without a forecast is expected to land on its budget.
pub fn sum_inputs<'a>(rows: impl Iterator<Item = &'a UnitFinanceInput>) -> UnitFinanceInput {
    let mut t = UnitFinanceInput::default();
    let (mut any_fc, mut any_budget) = (false, false);
    let (mut fc, mut b) = (Money::default(), Money::default());
    for u in rows {
        t.outcome_ytd = t.outcome_ytd.plus(u.outcome_ytd);
        t.outcome_ytd_prev = t.outcome_ytd_prev.plus(u.outcome_ytd_prev);
        t.actual_prev_year = t.actual_prev_year.plus(u.actual_prev_year);
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

/// Whether anything is booked, budgeted or forecast on the administration outside its units.
pub fn has_figures(u: &UnitFinanceInput) -> bool {
    u.outcome_ytd != Money::default()
        || u.outcome_ytd_prev != Money::default()
        || u.actual_prev_year != Money::default()
        || u.forecast.is_some()
        || u.budget.is_some()
}

/// The finance section: a row per unit, the unallocated row when there is one, the total
/// ("Summa", under the administration's code) and the flows of cost and revenue.
pub fn finance(
    units: &[UnitFinanceInput],
    unallocated: &UnitFinanceInput,
    org_code: &str,
    org_name: &str,
) -> Finance {
    let has_unallocated = has_figures(unallocated);
    let total_in = sum_inputs(units.iter().chain(has_unallocated.then_some(unallocated)));
    let mut total = finance_row(&total_in);
    total.code = org_code.to_string();
    total.name = "Summa".to_string();
    let fc = total_in.forecast.unwrap_or_default();
    let budget = total_in.budget.unwrap_or_default();
    Finance {
        units: units.iter().map(finance_row).collect(),
        unallocated: has_unallocated.then(|| FinanceRow {
            name: format!("{org_name} (utan verksamhet)"),
            ..finance_row(unallocated)
        }),
        total,
        costs: FlowRow {
            forecast: tkr(fc.cost),
            budget: tkr(budget.cost),
            deviation: tkr(budget.cost - fc.cost),
            actual_prev_year: tkr(total_in.actual_prev_year.cost),
        },
        revenues: FlowRow {
            forecast: tkr(fc.revenue),
            budget: tkr(budget.revenue),
            deviation: tkr(fc.revenue - budget.revenue),
            actual_prev_year: tkr(total_in.actual_prev_year.revenue),
        },
    }
}

fn investment_row(i: &InvestmentInput) -> InvestmentRow {
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
}

/// Per project and in total: net = spent − income, deviation = frame − forecast net.
pub fn investments(inputs: &[InvestmentInput]) -> Investments {
    let sum = inputs
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
    let mut total = investment_row(&sum);
    total.project = "Summa investeringar".into();
    Investments {
        projects: inputs.iter().map(investment_row).collect(),
        total,
    }
}
