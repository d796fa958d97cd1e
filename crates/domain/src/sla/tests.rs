use chrono::NaiveDateTime;

use super::*;
use crate::calendar::{BusinessCalendar, CalendarSettings, Hours};
use crate::time::{format_datetime, from_local};
use CaseStatus::*;

const MINUTE: i64 = MINUTE_MS;
const HOUR: i64 = 60 * MINUTE;

fn wall_clock() -> BusinessCalendar {
    CalendarSettings {
        week: [Some(Hours::new(0, 24 * 60).unwrap()); 7],
        public_holidays: false,
        ..CalendarSettings::default()
    }
    .calendar()
}

fn office() -> BusinessCalendar {
    CalendarSettings::default().calendar()
}

fn at(s: &str) -> i64 {
    from_local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
}

/// A history in minutes after an instant in a long always-open stretch.
fn h(base: i64, v: &[(i64, CaseStatus)]) -> Vec<StatusChange> {
    v.iter()
        .map(|&(m, to)| StatusChange {
            at: base + m * MINUTE,
            to,
        })
        .collect()
}

fn level(first: Option<i64>, next: Option<i64>, resolution: Option<i64>) -> ServiceLevel {
    ServiceLevel {
        first_response_minutes: first,
        next_response_minutes: next,
        resolution_minutes: resolution,
    }
}

fn run(
    history: &[StatusChange],
    first_response_at: Option<i64>,
    replies: &[Reply],
    lvl: ServiceLevel,
    cal: &BusinessCalendar,
    now: i64,
) -> Clocks {
    let facts = CaseFacts {
        created_at: history[0].at,
        first_response_at,
        history,
        replies,
    };
    clocks(&facts, &lvl, cal, 80, now)
}

#[test]
fn on_an_always_open_calendar_the_clocks_are_wall_clocks() {
    let b = at("2026-01-10 00:00");
    let cal = wall_clock();
    let res = |hist: &[StatusChange], now: i64| {
        run(
            hist,
            None,
            &[],
            level(None, None, Some(60)),
            &cal,
            b + now * MINUTE,
        )
        .resolution
        .unwrap()
    };
    assert_eq!(
        res(&h(b, &[(0, New), (10, Open)]), 30),
        SlaState::Running {
            remaining_ms: 30 * MINUTE,
            due_at: b + 60 * MINUTE
        }
    );
    let waited = h(
        b,
        &[
            (0, New),
            (20, WaitingCustomer),
            (500, Open),
            (520, Resolved),
        ],
    );
    assert_eq!(
        res(&waited, 10_000),
        SlaState::Met {
            elapsed_ms: 40 * MINUTE
        }
    );
    assert_eq!(
        res(&waited[..2], 400),
        SlaState::Paused {
            remaining_ms: 40 * MINUTE
        }
    );
    assert_eq!(
        res(&h(b, &[(0, New)]), 90),
        SlaState::Breached {
            elapsed_ms: 90 * MINUTE,
            over_ms: 30 * MINUTE,
            running: true
        }
    );
    assert_eq!(
        res(&h(b, &[(0, New), (90, WaitingCustomer)]), 500),
        SlaState::Breached {
            elapsed_ms: 90 * MINUTE,
            over_ms: 30 * MINUTE,
            running: false
        }
    );
    // A reopened case runs on from where it stopped.
    assert_eq!(
        res(&h(b, &[(0, New), (10, Resolved), (100, Open)]), 120),
        SlaState::Running {
            remaining_ms: 30 * MINUTE,
            due_at: b + 150 * MINUTE
        }
    );
}

#[test]
fn the_first_response_is_due_in_working_time() {
    // The example: 08:00–16:00, four hours, Friday 15:55.
    let created = at("2026-06-12 15:55");
    let c = run(
        &[StatusChange {
            at: created,
            to: New,
        }],
        None,
        &[],
        level(Some(240), None, None),
        &office(),
        at("2026-06-13 12:00"),
    );
    assert_eq!(
        format_datetime(c.due.first_response_due.unwrap()),
        "2026-06-15 11:55"
    );
    assert_eq!(c.due.due_at, c.due.first_response_due);
    // 80 % of four hours: 3 h 12 min of working time, Monday 11:07.
    assert_eq!(format_datetime(c.due.warn_at.unwrap()), "2026-06-15 11:07");
    assert_eq!(c.due.flag(at("2026-06-14 23:00")), SlaFlag::Running);
    assert_eq!(c.due.flag(at("2026-06-15 11:10")), SlaFlag::NearBreach);
    assert_eq!(c.due.flag(at("2026-06-15 11:56")), SlaFlag::Breached);
    assert_eq!(
        c.first_response,
        Some(SlaState::Running {
            remaining_ms: 235 * MINUTE,
            due_at: at("2026-06-15 11:55")
        })
    );

    // The Thursday before midsommar: the Monday after.
    let created = at("2026-06-18 15:55");
    let c = run(
        &[StatusChange {
            at: created,
            to: New,
        }],
        None,
        &[],
        level(Some(240), None, None),
        &office(),
        created,
    );
    assert_eq!(
        format_datetime(c.due.first_response_due.unwrap()),
        "2026-06-22 11:55"
    );
}

#[test]
fn an_answer_after_the_due_time_is_a_breach_recorded_at_the_due_time() {
    let created = at("2026-06-12 15:55");
    let answered = at("2026-06-15 13:00");
    let c = run(
        &[
            StatusChange {
                at: created,
                to: New,
            },
            StatusChange {
                at: answered,
                to: Open,
            },
        ],
        Some(answered),
        &[Reply {
            at: answered,
            from_provider: true,
        }],
        level(Some(240), None, None),
        &office(),
        at("2026-06-16 09:00"),
    );
    assert_eq!(
        c.breaches,
        vec![Breach {
            clock: ClockKind::FirstResponse,
            due_at: at("2026-06-15 11:55")
        }]
    );
    assert_eq!(
        c.first_response,
        Some(SlaState::Breached {
            elapsed_ms: 5 * HOUR + 5 * MINUTE,
            over_ms: 65 * MINUTE,
            running: false
        })
    );
    let marks: Vec<_> = c
        .timeline
        .iter()
        .map(|e| (format_datetime(e.at), e.mark))
        .collect();
    assert_eq!(
        marks,
        vec![
            (
                "2026-06-12 15:55".into(),
                Mark::Started {
                    due_at: Some(at("2026-06-15 11:55"))
                }
            ),
            (
                "2026-06-15 11:55".into(),
                Mark::Breached {
                    due_at: at("2026-06-15 11:55")
                }
            ),
            (
                "2026-06-15 13:00".into(),
                Mark::Stopped {
                    in_time: false,
                    elapsed_ms: 5 * HOUR + 5 * MINUTE
                }
            ),
        ]
    );
    assert!(c.due.breached);
    assert_eq!(c.due.due_at, None);
    assert_eq!(c.due.flag(at("2026-06-16 09:00")), SlaFlag::Breached);
}

#[test]
fn waiting_pauses_the_resolution_clock_and_the_timeline_says_so() {
    // Two working days (16 h) to resolve; created Monday 09:00.
    let created = at("2026-03-02 09:00");
    let hist = [
        StatusChange {
            at: created,
            to: New,
        },
        StatusChange {
            at: at("2026-03-02 10:00"),
            to: Open,
        },
        StatusChange {
            at: at("2026-03-02 11:00"),
            to: WaitingCustomer,
        },
        StatusChange {
            at: at("2026-03-04 09:00"),
            to: Open,
        },
        StatusChange {
            at: at("2026-03-04 15:00"),
            to: Resolved,
        },
    ];
    let lvl = level(None, None, Some(16 * 60));
    let paused = run(
        &hist[..3],
        None,
        &[],
        lvl,
        &office(),
        at("2026-03-03 12:00"),
    );
    assert_eq!(
        paused.resolution,
        Some(SlaState::Paused {
            remaining_ms: 14 * HOUR
        })
    );
    assert!(paused.due.paused);
    assert_eq!(paused.due.resolution_due, None);
    assert_eq!(paused.due.due_at, None);
    assert_eq!(paused.due.flag(at("2026-03-03 12:00")), SlaFlag::Paused);

    let done = run(&hist, None, &[], lvl, &office(), at("2026-03-05 12:00"));
    assert_eq!(
        done.resolution,
        Some(SlaState::Met {
            elapsed_ms: 8 * HOUR
        })
    );
    let marks: Vec<_> = done
        .timeline
        .iter()
        .map(|e| (format_datetime(e.at), e.mark))
        .collect();
    assert_eq!(
        marks,
        vec![
            // Due Wednesday 09:00 if it had kept running.
            (
                "2026-03-02 09:00".into(),
                Mark::Started {
                    due_at: Some(at("2026-03-04 09:00"))
                }
            ),
            (
                "2026-03-02 11:00".into(),
                Mark::Paused {
                    waiting_for: WaitingCustomer,
                    remaining_ms: 14 * HOUR
                }
            ),
            // Fourteen working hours from Wednesday 09:00: Thursday 15:00.
            (
                "2026-03-04 09:00".into(),
                Mark::Resumed {
                    due_at: Some(at("2026-03-05 15:00")),
                    reopened: false
                }
            ),
            (
                "2026-03-04 15:00".into(),
                Mark::Stopped {
                    in_time: true,
                    elapsed_ms: 8 * HOUR
                }
            ),
        ]
    );
    assert_eq!(done.due.flag(at("2026-03-05 12:00")), SlaFlag::Met);
    assert_eq!(done.due.resolution_due, Some(at("2026-03-05 15:00")));
}

#[test]
fn next_responses_start_with_the_customer_and_stop_with_the_provider() {
    let b = at("2026-01-10 00:00");
    let cal = wall_clock();
    let hist = h(b, &[(0, New), (5, Open)]);
    let replies = [
        Reply {
            at: b + 5 * MINUTE,
            from_provider: true,
        },
        Reply {
            at: b + 20 * MINUTE,
            from_provider: false,
        },
        Reply {
            at: b + 25 * MINUTE,
            from_provider: false,
        },
        Reply {
            at: b + 50 * MINUTE,
            from_provider: true,
        },
        Reply {
            at: b + 60 * MINUTE,
            from_provider: false,
        },
    ];
    let c = run(
        &hist,
        Some(b + 5 * MINUTE),
        &replies,
        level(Some(10), Some(15), None),
        &cal,
        b + 70 * MINUTE,
    );
    // The first next response (20 → 50) was 15 minutes late; the second runs since 60.
    assert_eq!(
        c.breaches,
        vec![Breach {
            clock: ClockKind::NextResponse,
            due_at: b + 35 * MINUTE
        }]
    );
    assert_eq!(
        c.next_response,
        Some(SlaState::Running {
            remaining_ms: 5 * MINUTE,
            due_at: b + 75 * MINUTE
        })
    );
    assert_eq!(c.due.next_response_due, Some(b + 75 * MINUTE));
    assert_eq!(c.due.due_at, Some(b + 75 * MINUTE));
    // 80 % of 15 minutes after 60.
    assert_eq!(c.due.warn_at, Some(b + 72 * MINUTE));
    assert_eq!(
        c.first_response,
        Some(SlaState::Met {
            elapsed_ms: 5 * MINUTE
        })
    );
    // A customer's message before the first response starts nothing.
    let early = [Reply {
        at: b + 2 * MINUTE,
        from_provider: false,
    }];
    let c = run(
        &hist[..1],
        None,
        &early,
        level(Some(10), Some(15), None),
        &cal,
        b + 3 * MINUTE,
    );
    assert_eq!(c.next_response, None);
}

#[test]
fn resolving_counts_as_the_first_response_and_stops_everything() {
    let b = at("2026-01-10 00:00");
    let cal = wall_clock();
    // Registered and resolved at once (a call): every clock met at once.
    let hist = h(b, &[(0, New), (0, Closed)]);
    let c = run(
        &hist,
        Some(b),
        &[],
        level(Some(10), Some(10), Some(60)),
        &cal,
        b + 999 * MINUTE,
    );
    assert_eq!(c.first_response, Some(SlaState::Met { elapsed_ms: 0 }));
    assert_eq!(c.resolution, Some(SlaState::Met { elapsed_ms: 0 }));
    assert_eq!(c.next_response, None);
    assert!(c.breaches.is_empty());
    assert_eq!(c.due.flag(b + 999 * MINUTE), SlaFlag::Met);
    // No targets: nothing to say.
    let none = run(&hist, Some(b), &[], ServiceLevel::default(), &cal, b);
    assert_eq!(none.due.flag(b), SlaFlag::None);
    assert!(none.timeline.is_empty());
}

#[test]
fn a_reopened_case_resumes_and_says_so() {
    let b = at("2026-01-10 00:00");
    let cal = wall_clock();
    let hist = h(b, &[(0, New), (10, Resolved), (100, Open), (130, Closed)]);
    let c = run(
        &hist,
        Some(b + 10 * MINUTE),
        &[],
        level(None, None, Some(60)),
        &cal,
        b + 200 * MINUTE,
    );
    let marks: Vec<Mark> = c.timeline.iter().map(|e| e.mark).collect();
    assert_eq!(
        marks,
        vec![
            Mark::Started {
                due_at: Some(b + 60 * MINUTE)
            },
            Mark::Stopped {
                in_time: true,
                elapsed_ms: 10 * MINUTE
            },
            Mark::Resumed {
                due_at: Some(b + 150 * MINUTE),
                reopened: true
            },
            Mark::Stopped {
                in_time: true,
                elapsed_ms: 40 * MINUTE
            },
        ]
    );
}

#[test]
fn flags_cover_every_state() {
    for (f, s) in [
        (SlaFlag::None, "none"),
        (SlaFlag::Met, "met"),
        (SlaFlag::Running, "running"),
        (SlaFlag::NearBreach, "near_breach"),
        (SlaFlag::Breached, "breached"),
        (SlaFlag::Paused, "paused"),
    ] {
        assert_eq!(f.as_str(), s);
    }
    for k in ClockKind::ALL {
        assert_eq!(ClockKind::parse(k.as_str()), Some(k));
    }
}
