//! Operations, and the indicators computed from them.

use super::*;

#[test]
fn a_computed_indicator_takes_the_months_value_from_operations() {
    let mut f = facts();
    f.goals = vec![Goal {
        id: 9,
        area: GoalArea::Operations,
        municipal_goal: String::new(),
        name: "Tillgänglighet".into(),
        description: String::new(),
    }];
    let ind = |id: i64, spec: Option<&str>| Indicator {
        id,
        goal: Some(9),
        code: format!("I{id}"),
        name: format!("Indikator {id}"),
        measure: "%".into(),
        direction: Direction::Higher,
        band: None,
        kolada_id: None,
        min_group_size: 0,
        computed_from: spec.map(String::from),
    };
    f.indicators = vec![
        ind(1, Some("first_contact_resolution:KONTAKT")),
        ind(2, Some("nonsense")),
        ind(3, Some("satisfaction:LKDATA")),
    ];
    let value = |indicator: i64, period: &str, value: f64, target: Option<f64>| IndicatorValue {
        indicator,
        period: period.into(),
        gender: Gender::Total,
        value: Some(value),
        target,
        group_size: None,
    };
    f.values = vec![
        value(1, "2018", 50.0, Some(60.0)),
        value(1, "2019-08", 1.0, Some(70.0)),
        value(2, "2019-08", 5.0, None),
    ];
    f.activity = vec![UnitActivity {
        unit: UnitId(3),
        days: vec![DayCount {
            day: day_number(d("2019-08-01")),
            channel: "phone".into(),
            target_group: String::new(),
            cases: 3,
            first_contact: 2,
        }],
        closed: 0,
        cases_prev_year: 0,
        surveys: SurveySums::default(),
        rule: QueueRule::default(),
        calls: vec![],
    }];
    let r = compute(&f);
    let row = |code: &str| r.indicators.iter().find(|i| i.code == code).unwrap();
    // 2 of 3 cases resolved at first contact: 66,7 %, under the newest target.
    assert_eq!(row("I1").values["2019-08"], Some(66.7));
    assert_eq!(row("I1").target, Some(70.0));
    assert_eq!(row("I1").status, TrafficLight::Yellow);
    assert_eq!(row("I1").goal.as_deref(), Some("Tillgänglighet"));
    assert_eq!(
        row("I2").values["2019-08"],
        Some(5.0),
        "no measure named: as entered"
    );
    assert_eq!(
        row("I3").values["2019-08"],
        None,
        "a unit without figures gives no value"
    );
}

#[test]
fn operations_count_days_weeks_calls_and_the_years_forecast() {
    let day = |date: &str, channel: &str, group: &str, cases: i64, first: i64| DayCount {
        day: day_number(d(date)),
        channel: channel.into(),
        target_group: group.into(),
        cases,
        first_contact: first,
    };
    let hour = |rfc: &str, answered, in_time, abandoned| HourCalls {
        hour: chrono::DateTime::parse_from_rfc3339(rfc)
            .unwrap()
            .timestamp()
            / 3600,
        counts: CallCounts {
            answered,
            answered_in_time: in_time,
            abandoned,
            answered_wait_sum: 60 * answered,
        },
    };
    let mut f = facts();
    let activity = |unit: i64, days: Vec<DayCount>, calls: Vec<HourCalls>| UnitActivity {
        unit: UnitId(unit),
        days,
        closed: 8,
        cases_prev_year: 4,
        surveys: SurveySums {
            answers: 2,
            score_sum: 150,
            satisfied: 1,
            ..Default::default()
        },
        rule: QueueRule {
            target_percent: 85.0,
            ..QueueRule::default()
        },
        calls,
    };
    f.activity = vec![
        activity(
            3,
            vec![
                // Tuesday 1 January 2019 is in the week of Monday 31 December: 2019-V01.
                day("2019-01-01", "phone", "manager", 2, 1),
                day("2019-01-07", "web", "", 6, 3),
                day("2019-01-08", "web", "employee", 0, 0),
                day("2019-01-14", "phone", "", 2, 0),
            ],
            // Sunday 13 January 23:30 in Stockholm is 22:30 UTC: still week 2.
            vec![
                hour("2019-01-13T22:30:00Z", 8, 6, 2),
                hour("2019-01-14T08:00:00Z", 1, 1, 0),
            ],
        ),
        activity(5, vec![day("2019-03-01", "email", "", 20, 20)], vec![]),
        activity(2, vec![], vec![]),
    ];
    let groups = org::groups(&f.units, f.org.id);
    let ops = operations::operations_inputs(&f, &groups);
    let codes: Vec<&str> = ops.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(
        codes,
        ["LKDATA", "KONTAKT"],
        "most cases first; no activity, no row"
    );
    let k = &ops[1];
    assert_eq!(
        (k.cases, k.first_contact_resolved, k.cases_prev_year),
        (10, 4, 4)
    );
    assert_eq!(
        k.channels,
        [("phone".to_string(), 4), ("web".to_string(), 6)].into()
    );
    assert_eq!(k.target_groups, [("manager".to_string(), 2)].into());
    let weeks: Vec<(&str, i64, Option<f64>)> = k
        .weekly
        .iter()
        .map(|(w, n, sl)| (w.as_str(), *n, *sl))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2019-V01", 2, None),
            ("2019-V02", 6, Some(60.0)),
            ("2019-V03", 2, Some(100.0))
        ]
    );
    let calls = k.calls.expect("calls");
    assert_eq!((calls.offered, calls.answered_in_time), (11, 7));
    assert_eq!(k.target_percent, Some(85.0));
    // Last full weeks: 6 and 2 cases, a mean of 4 for the 17,4 weeks left: 10 + 70.
    assert_eq!(k.forecast_year, Some(80));
    assert_eq!(ops[0].target_percent, None, "no calls, no target");
    let row = operations_row(k);
    assert_eq!(row.satisfaction, Some(75.0));
    assert_eq!(row.survey_response_rate, Some(25.0));
    assert_eq!(row.service_level_target, Some(85.0));
    assert_eq!(row.cases_per_week, Some(10.0 / 3.0));
}

#[test]
fn the_forecast_leaves_out_the_current_week() {
    let w = |n: i64| (String::new(), n, None);
    let weekly = [w(10), w(20), w(30), w(40), w(50), w(5)];
    // (50 + 40 + 30 + 20) / 4 = 35 a week for 122 / 7 weeks: 610.
    assert_eq!(
        operations::forecast_year(155, &weekly, 2019, d("2019-08-31")),
        Some(765)
    );
    assert_eq!(
        operations::forecast_year(3, &[w(3)], 2019, d("2019-08-31")),
        None
    );
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
    let r = operations_row(&o);
    assert_eq!(r.channels["web"], 43.0);
    assert_eq!(
        (r.satisfaction, r.satisfied_share, r.survey_response_rate),
        (Some(90.0), Some(100.0), Some(25.0)),
        "no surveys sent by Serva: answers of cases closed"
    );
    // Surveys Serva sent: answered of sent.
    let sent = OperationsInput {
        surveys_sent: 40,
        surveys_sent_answered: 30,
        ..o.clone()
    };
    assert_eq!(operations_row(&sent).survey_response_rate, Some(75.0));
    assert_eq!(r.cases_per_week, Some(50.0));
    assert_eq!(r.service_level, None);
}

#[test]
fn the_activity_period_follows_stockholm_midnights() {
    let ms = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    };
    let p = ActivityPeriod::new(2019, d("2019-08-31"));
    assert_eq!(p.start, ms("2018-12-31T23:00:00Z"));
    assert_eq!(p.end, ms("2019-08-31T22:00:00Z"));
    assert_eq!(p.prev_start, ms("2017-12-31T23:00:00Z"));
    assert_eq!(p.prev_end, ms("2018-08-31T22:00:00Z"));
}
