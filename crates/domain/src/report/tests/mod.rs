//! The rules of the report, each on small facts.

use chrono::NaiveDate;

use super::org::tests::vss;
use super::*;
use crate::followup::{
    Assessment, CallCounts, ControlResult, Direction, Gender, GoalArea, NarrativeStatus, QueueRule,
    TrafficLight,
};
use crate::time::day_number;
use crate::UnitId;

mod activity;

fn kr(tkr: f64) -> i64 {
    (tkr * 100_000.0).round() as i64
}

fn d(s: &str) -> NaiveDate {
    params::parse_date(s).unwrap()
}

fn money(revenue: f64, cost: f64) -> Money {
    Money {
        revenue: kr(revenue),
        cost: kr(cost),
    }
}

/// VSS (1) ⊃ ledning (2), Kontakt (3, succeeds Medborgarkontoret 4), LKDATA (5 ⊃ drift 6),
/// per 31 August 2019, with nothing recorded.
fn facts() -> ReportFacts {
    let units = vss();
    ReportFacts {
        org: units[0].clone(),
        year: 2019,
        through: d("2019-08-31"),
        units,
        outcome: vec![],
        budgets: vec![],
        forecasts: vec![],
        investments: vec![],
        goals: vec![],
        assessments: vec![],
        indicators: vec![],
        values: vec![],
        staff: vec![],
        assignments: vec![],
        controls: vec![],
        narratives: vec![],
        events: vec![],
        activity: vec![],
        handoffs: vec![],
    }
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
        outcome_ytd: money(1000.0 + ytd, 1000.0),
        outcome_ytd_prev: money(500.0 + prev, 500.0),
        forecast: fc.map(|(r, c)| money(r, c)),
        budget: budget.map(|(r, c)| money(r, c)),
        actual_prev_year: money(2000.0 + actual, 2000.0),
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
            actual_prev_year: money(400.0, 2.0),
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
    // 144 876,6 − 134 183,4 = 10 693,2
    assert_eq!(r.finance.costs.deviation, 10_693);
    assert_eq!(
        r.finance.unallocated.as_ref().unwrap().name,
        "VSS (utan verksamhet)"
    );
    // 398 tkr booked outside the units: the rows do not add up, and the check says why.
    let c = r
        .checks
        .iter()
        .find(|c| c.code == "finance_sum_actual_prev_year")
        .expect("a sum check");
    assert_eq!(c.severity, Severity::Error);
    assert!(
        c.message.contains("8 889") && c.message.contains("9 287") && c.message.contains("398 tkr"),
        "{}",
        c.message
    );
    assert!(!r.checks.iter().any(|c| c.code == "finance_sum_outcome_ytd"));
}

#[test]
fn a_row_carries_its_members_months_budget_and_newest_forecast() {
    let mut f = facts();
    let month = |unit: i64, year: i32, month: u32, result: f64| OutcomeMonth {
        unit: UnitId(unit),
        year,
        month,
        money: money(100.0 + result, 100.0),
    };
    f.outcome = vec![
        month(3, 2019, 4, 10.0),
        month(4, 2019, 3, 5.0),  // the predecessor, before the change
        month(3, 2019, 9, 99.0), // after the report month
        month(3, 2018, 8, 7.0),
        month(4, 2018, 12, 3.0), // counts for the whole previous year only
        month(1, 2018, 10, 398.0),
    ];
    f.budgets = vec![
        Budget {
            unit: UnitId(3),
            money: money(50.0, 40.0),
            note: Some("Not".into()),
        },
        Budget {
            unit: UnitId(4),
            money: money(1.0, 0.0),
            note: Some("Other".into()),
        },
    ];
    f.forecasts = vec![
        Forecast {
            unit: UnitId(3),
            made_on: "2019-04-30".into(),
            money: money(10.0, 0.0),
        },
        Forecast {
            unit: UnitId(3),
            made_on: "2019-08-31".into(),
            money: money(20.0, 0.0),
        },
    ];
    let groups = org::groups(&f.units, f.org.id);
    let (rows, unallocated) = finance::finance_inputs(&f, &groups);
    let kontakt = &rows[0];
    assert_eq!(kontakt.name, "Kontakt");
    assert_eq!(kontakt.predecessors, ["Medborgarkontoret"]);
    assert_eq!(kontakt.outcome_ytd.result(), kr(15.0));
    assert_eq!(kontakt.outcome_ytd_prev.result(), kr(7.0));
    assert_eq!(kontakt.actual_prev_year.result(), kr(10.0));
    assert_eq!(kontakt.budget, Some(money(51.0, 40.0)));
    assert_eq!(
        kontakt.budget_note.as_deref(),
        Some("Not"),
        "the row unit's own note"
    );
    assert_eq!(
        kontakt.forecast,
        Some(money(20.0, 0.0)),
        "the newest forecast"
    );
    assert_eq!(rows[1].forecast, None);
    assert_eq!(unallocated.actual_prev_year.result(), kr(398.0));
    assert!(finance::has_figures(&unallocated) && !finance::has_figures(&rows[1]));
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
    let p = &r.investments.projects[1];
    assert_eq!((p.forecast_net, p.deviation), (40, -40));
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
    assert_eq!(t.project, "Summa investeringar");
}

#[test]
fn investments_and_controls_belong_to_the_reported_units() {
    let mut f = facts();
    f.units
        .push(super::org::tests::unit(7, "elsewhere", None, None));
    let inv = |unit: i64, project: &str| Investment {
        unit: UnitId(unit),
        project: project.into(),
        frame: 1,
        spent: 2,
        income: 3,
        forecast_spent: 4,
        forecast_income: 5,
    };
    f.investments = vec![inv(6, "Servrar"), inv(7, "Annat"), inv(1, "Gemensamt")];
    let control = |unit: i64, result| Control {
        unit: UnitId(unit),
        name: format!("K{unit}"),
        risk: String::new(),
        method: String::new(),
        frequency: String::new(),
        owner: String::new(),
        result,
        findings: None,
        actions: Some("Åtgärd".into()),
        carries_over: true,
    };
    f.controls = vec![
        control(6, Some(ControlResult::Satisfactory)),
        control(7, None),
        control(1, None),
    ];
    let groups = org::groups(&f.units, f.org.id);
    let i = finance::investment_inputs(&f, &groups);
    let named: Vec<(&str, &str)> = i
        .iter()
        .map(|i| (i.unit.as_str(), i.project.as_str()))
        .collect();
    assert_eq!(named, [("drift", "Servrar"), ("VSS", "Gemensamt")]);
    let c = goals::control_rows(&f, &groups);
    assert_eq!(c.len(), 2);
    assert_eq!(
        (
            c[0].unit.as_str(),
            c[0].findings.as_str(),
            c[0].actions.as_str()
        ),
        ("DRIFT", "", "Åtgärd")
    );
    assert!(c[0].carries_over);
}

#[test]
fn goals_take_their_newest_assessment() {
    let mut f = facts();
    let goal = |id: i64, name: &str| Goal {
        id,
        area: GoalArea::Economy,
        municipal_goal: "Välskött".into(),
        name: name.into(),
        description: String::new(),
    };
    f.goals = vec![goal(1, "Ekonomi i balans"), goal(2, "Nöjda kunder")];
    let a = |through: &str, assessment, analysis: &str| GoalAssessment {
        goal: 1,
        through: through.into(),
        assessment,
        analysis: analysis.into(),
    };
    f.assessments = vec![
        a("2019-04-30", Assessment::NotMet, "Nej"),
        a("2019-08-31", Assessment::Met, "Ja"),
    ];
    let g = goals::goal_rows(&f);
    assert_eq!(
        (g[0].assessment, g[0].analysis.as_str()),
        (Assessment::Met, "Ja")
    );
    assert_eq!(
        (g[1].assessment, g[1].analysis.as_str()),
        (Assessment::NotAssessed, "")
    );
    let r = compute(&f);
    let c = r
        .checks
        .iter()
        .find(|c| c.code == "goal_not_assessed")
        .unwrap();
    assert_eq!(c.message, "Mål utan bedömning: Nöjda kunder.");
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
    assert_eq!(r.indicators[1].gender, Gender::Men);
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
fn checks_name_the_gaps() {
    let mut f = facts();
    f.budgets = vec![Budget {
        unit: UnitId(2),
        money: money(1.0, 1.0),
        note: None,
    }];
    f.narratives = vec![
        Narrative {
            section: "a".into(),
            title: "Uppdraget".into(),
            body: String::new(),
            status: NarrativeStatus::Submitted,
        },
        Narrative {
            section: "b".into(),
            title: "Analys".into(),
            body: String::new(),
            status: NarrativeStatus::Approved,
        },
    ];
    f.controls = vec![Control {
        unit: UnitId(5),
        name: "Behörigheter".into(),
        risk: String::new(),
        method: String::new(),
        frequency: String::new(),
        owner: String::new(),
        result: None,
        findings: None,
        actions: None,
        carries_over: false,
    }];
    let r = compute(&f);
    let messages: Vec<(&str, &str)> = r
        .checks
        .iter()
        .map(|c| (c.code.as_str(), c.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "forecast_missing",
                "ledning saknar helårsprognos per 2019-08-31; budgeten används."
            ),
            (
                "narrative_not_approved",
                "Texter som inte är godkända: Uppdraget."
            ),
            (
                "control_without_result",
                "Kontrollmomentet Behörigheter (LKDATA) saknar resultat."
            ),
        ]
    );
    assert_eq!(r.meta.status, ReportStatus::Draft);
    assert_eq!(r.meta.through, "2019-08-31");
}
