use super::*;

fn user(id: i64, name: &str) -> User {
    User {
        id: UserId(id),
        username: format!("u{id}"),
        display_name: name.into(),
        email: None,
        locale: None,
        home_unit_id: None,
        active: true,
    }
}

fn count(assignee: Option<i64>, status: CaseStatus, cases: i64, oldest: i64) -> OpenCount {
    OpenCount {
        assignee: assignee.map(UserId),
        assignee_name: assignee.map(|a| format!("Före detta {a}")),
        status,
        cases,
        near_target: 1,
        past_target: cases - 1,
        oldest_created_at: oldest,
        ages: [cases, 0, 0, 0, 0],
    }
}

#[test]
fn ages_fall_in_one_bucket_each() {
    let now = 100 * DAY_MS;
    let at = |age: i64| AgeBucket::of(now - age, now);
    assert_eq!(at(0), AgeBucket::UnderOneDay);
    assert_eq!(at(DAY_MS - 1), AgeBucket::UnderOneDay);
    assert_eq!(at(DAY_MS), AgeBucket::OneToThreeDays);
    assert_eq!(at(3 * DAY_MS - 1), AgeBucket::OneToThreeDays);
    assert_eq!(at(3 * DAY_MS), AgeBucket::ThreeToSevenDays);
    assert_eq!(at(7 * DAY_MS), AgeBucket::OneToFourWeeks);
    assert_eq!(at(28 * DAY_MS - 1), AgeBucket::OneToFourWeeks);
    assert_eq!(at(28 * DAY_MS), AgeBucket::OverFourWeeks);
    assert_eq!(at(-5), AgeBucket::UnderOneDay, "a clock ahead");
    // The store's bounds say the same as `of` for every bucket.
    for age in [
        0,
        1,
        DAY_MS - 1,
        DAY_MS,
        5 * DAY_MS,
        7 * DAY_MS,
        40 * DAY_MS,
    ] {
        let created = now - age;
        let bucket = AgeBucket::of(created, now);
        for b in AgeBucket::ALL {
            let (after, upto) = b.created_between(now);
            let inside = after.is_none_or(|a| created > a) && created <= upto;
            assert_eq!(inside, b == bucket, "age {age} in {b:?}");
        }
    }
}

#[test]
fn every_agent_gets_a_row_and_the_unassigned_come_last() {
    let agents = [user(1, "Ida"), user(2, "Nils")];
    let counts = [
        count(Some(2), CaseStatus::New, 2, 500),
        count(Some(2), CaseStatus::WaitingCustomer, 1, 300),
        count(None, CaseStatus::Open, 4, 700),
        // Someone who left the unit but still holds a case.
        count(Some(9), CaseStatus::Open, 1, 900),
    ];
    let w = workload(&counts, &agents);
    let names: Vec<Option<&str>> = w.rows.iter().map(|r| r.name.as_deref()).collect();
    assert_eq!(
        names,
        [Some("Ida"), Some("Nils"), Some("Före detta 9"), None]
    );
    assert_eq!(w.rows[0].total, 0);
    assert_eq!(w.rows[0].oldest_created_at, None);
    let nils = &w.rows[1];
    assert_eq!(nils.by_status, [2, 0, 1, 0]);
    assert_eq!((nils.total, nils.near_target, nils.past_target), (3, 2, 1));
    assert_eq!(nils.oldest_created_at, Some(300));
    assert_eq!(w.rows[3].by_status, [0, 4, 0, 0]);
    assert_eq!(w.total.total, 8);
    assert_eq!(w.total.by_status, [2, 5, 1, 0]);
    assert_eq!(w.total.oldest_created_at, Some(300));
    assert_eq!(w.ages, [8, 0, 0, 0, 0]);
}

#[test]
fn the_service_level_counts_met_among_met_and_breached() {
    let s = PeriodLevel::of(&SlaPeriodCounts {
        first_response_met: 3,
        resolution_met: 0,
        breaches: [1, 2, 0],
    });
    assert_eq!(s.first_response.share, Some(75.0));
    assert_eq!((s.first_response.met, s.first_response.breached), (3, 1));
    assert_eq!(s.resolution.share, None, "nothing ended");
    assert_eq!(s.breaches.next_response, 2);
    assert_eq!(s.breaches.total, 3);
    assert_eq!(ClockLevel::of(0, 4).share, Some(0.0));
}

#[test]
fn a_reassignment_moves_the_units_cases_or_nothing() {
    let unit = UnitId(7);
    let found = [(CaseId(1), unit), (CaseId(2), unit), (CaseId(3), UnitId(8))];
    assert_eq!(
        check_reassign(unit, &[CaseId(2), CaseId(1), CaseId(2)], &found),
        Ok(vec![CaseId(2), CaseId(1)])
    );
    assert_eq!(
        check_reassign(unit, &[CaseId(1), CaseId(3)], &found),
        Err(BadReassign::OtherUnit(CaseId(3)))
    );
    assert_eq!(
        check_reassign(unit, &[CaseId(4)], &found),
        Err(BadReassign::Unknown(CaseId(4)))
    );
    assert_eq!(check_reassign(unit, &[], &found), Err(BadReassign::NoCases));
    let many: Vec<CaseId> = (1..=REASSIGN_MAX as i64 + 1).map(CaseId).collect();
    assert_eq!(
        check_reassign(unit, &many, &found),
        Err(BadReassign::TooMany)
    );
}

#[test]
fn a_departments_totals_add_up_per_provider_and_service() {
    let row = |unit: i64, code: &str, svc: &str, open: i64, closed: i64| ProviderServiceCount {
        unit: UnitId(unit),
        unit_code: code.into(),
        unit_name: format!("Enhet {code}"),
        service: ServiceId(open),
        service_code: svc.into(),
        service_name: format!("Tjänst {svc}"),
        counts: Totals {
            open,
            near_target: 0,
            past_target: 1,
            closed_this_month: closed,
            breaches_this_month: 2,
        },
    };
    let t = customer_totals(&[
        row(1, "LKDATA", "LK-LOSEN", 2, 1),
        row(1, "LKDATA", "LK-KONTO", 1, 0),
        row(2, "KL", "KL-FRAGA", 4, 3),
    ]);
    assert_eq!(t.total.open, 7);
    assert_eq!(t.total.breaches_this_month, 6);
    let units: Vec<(&str, i64, i64)> = t
        .by_provider
        .iter()
        .map(|g| (g.code.as_str(), g.totals.open, g.totals.closed_this_month))
        .collect();
    assert_eq!(units, [("KL", 4, 3), ("LKDATA", 3, 1)]);
    assert_eq!(t.by_service.len(), 3);
    assert_eq!(t.by_service[0].code, "KL-FRAGA");
}

#[test]
fn spans_start_at_local_midnights() {
    // Wednesday 2026-06-17 10:00 in Stockholm.
    let now = crate::time::from_local(
        chrono::NaiveDate::from_ymd_opt(2026, 6, 17)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    );
    let s = Spans::at(now);
    let midnight = |d: u32| {
        crate::time::from_local(
            chrono::NaiveDate::from_ymd_opt(2026, 6, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        )
    };
    assert_eq!(s.today, (midnight(17), midnight(18)));
    assert_eq!(s.week, (midnight(15), midnight(18)));
    assert_eq!(s.month, (midnight(1), midnight(18)));
    assert_eq!(
        s.monday,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
    );
    assert_eq!(age(now - 5 * HOUR_MS - 1, now), Age::Hours(5));
    assert_eq!(age(now - 3 * DAY_MS, now), Age::Days(3));
}
