use chrono::NaiveDateTime;
use proptest::prelude::*;

use super::*;
use crate::time::format_datetime;

const HOUR: i64 = 60 * MINUTE_MS;

/// A Stockholm wall-clock time as an instant.
fn at(s: &str) -> i64 {
    from_local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
}

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn office() -> BusinessCalendar {
    CalendarSettings::default().calendar()
}

fn always_open() -> BusinessCalendar {
    CalendarSettings {
        week: [Some(Hours::new(0, 24 * 60).unwrap()); 7],
        public_holidays: false,
        ..CalendarSettings::default()
    }
    .calendar()
}

#[test]
fn clock_times_are_read_strictly() {
    assert_eq!(parse_clock("08:00"), Ok(480));
    assert_eq!(parse_clock("8:30"), Ok(510));
    assert_eq!(parse_clock("16.15"), Ok(975));
    assert_eq!(parse_clock("24:00"), Ok(1440));
    for bad in [
        "", "8", "8:0", "24:01", "25:00", "08:60", "-1:00", "08:00:00", "ab:cd",
    ] {
        assert!(parse_clock(bad).is_err(), "{bad:?}");
    }
    assert_eq!(Hours::parse("16:00", "08:00"), Err(BadHours::Order));
    assert_eq!(
        Hours::parse("08:00", "16:00").unwrap().text(),
        "08:00–16:00"
    );
}

#[test]
fn friday_afternoon_is_due_on_monday() {
    // The example: open 08:00–16:00, a 4-hour target, a case at 15:55 on a Friday.
    let due = office().add(at("2026-06-12 15:55"), 4 * HOUR).unwrap();
    assert_eq!(format_datetime(due), "2026-06-15 11:55");
    assert_eq!(office().between(at("2026-06-12 15:55"), due), 4 * HOUR);
}

#[test]
fn midsommar_is_closed() {
    // Midsommarafton 2026 is Friday 19 June, midsommardagen Saturday 20 June.
    let due = office().add(at("2026-06-18 15:55"), 4 * HOUR).unwrap();
    assert_eq!(format_datetime(due), "2026-06-22 11:55");
    assert_eq!(
        office().between(at("2026-06-18 16:00"), at("2026-06-22 08:00")),
        0
    );
}

#[test]
fn christmas_and_new_year_are_closed() {
    // 2026: julafton Thursday, juldagen Friday, then a weekend.
    let due = office().add(at("2026-12-23 15:00"), 4 * HOUR).unwrap();
    assert_eq!(format_datetime(due), "2026-12-28 11:00");
    // 28–30 December are working days; nyårsafton and nyårsdagen are not.
    assert_eq!(
        office().between(at("2026-12-28 00:00"), at("2027-01-04 00:00")),
        3 * 8 * HOUR
    );
}

#[test]
fn a_weekend_counts_nothing() {
    let cal = office();
    assert_eq!(
        cal.between(at("2026-03-06 16:00"), at("2026-03-09 08:00")),
        0
    );
    assert_eq!(
        cal.between(at("2026-03-06 15:00"), at("2026-03-09 09:00")),
        2 * HOUR
    );
    assert_eq!(
        cal.between(at("2026-03-09 08:00"), at("2026-03-14 08:00")),
        40 * HOUR
    );
}

#[test]
fn days_across_the_clock_changes_have_their_real_length() {
    let cal = always_open();
    // Spring 2026: the night to Sunday 29 March loses an hour; autumn (25 October) gains one.
    assert_eq!(
        cal.between(at("2026-03-28 00:00"), at("2026-03-30 00:00")),
        47 * HOUR
    );
    assert_eq!(
        cal.between(at("2026-10-24 00:00"), at("2026-10-26 00:00")),
        49 * HOUR
    );
    assert_eq!(
        format_datetime(cal.add(at("2026-03-29 00:00"), 3 * HOUR).unwrap()),
        "2026-03-29 04:00"
    );
    // Office hours keep their wall-clock times on both sides of the change.
    let office = office();
    let due = office.add(at("2026-03-27 15:00"), 2 * HOUR).unwrap();
    assert_eq!(format_datetime(due), "2026-03-30 09:00");
    assert_eq!(due - at("2026-03-27 15:00"), (3 * 24 - 6) * HOUR - HOUR);
    let due = office.add(at("2026-10-23 15:00"), 2 * HOUR).unwrap();
    assert_eq!(format_datetime(due), "2026-10-26 09:00");
}

#[test]
fn own_days_win_over_holidays_and_weekdays() {
    let special_days = vec![
        // Trettondagsafton and skärtorsdagen until 15:00; a staff day closed; open on a
        // Saturday once.
        SpecialDay::new(
            d("2026-01-05"),
            Some(Hours::parse("08:00", "15:00").unwrap()),
            "Trettondagsafton",
        )
        .unwrap(),
        SpecialDay::new(
            d("2026-04-02"),
            Some(Hours::parse("08:00", "15:00").unwrap()),
            "Skärtorsdagen",
        )
        .unwrap(),
        SpecialDay::new(d("2026-09-14"), None, "Personaldag").unwrap(),
        SpecialDay::new(
            d("2026-09-19"),
            Some(Hours::parse("10:00", "14:00").unwrap()),
            "Öppet hus",
        )
        .unwrap(),
        SpecialDay::new(
            d("2026-12-24"),
            Some(Hours::parse("09:00", "12:00").unwrap()),
            "Jourtid",
        )
        .unwrap(),
    ];
    let s = CalendarSettings {
        special_days,
        ..CalendarSettings::default()
    };
    let cal = s.calendar();
    assert_eq!(
        cal.between(at("2026-01-05 00:00"), at("2026-01-06 00:00")),
        7 * HOUR
    );
    assert_eq!(
        format_datetime(cal.add(at("2026-04-02 14:00"), 2 * HOUR).unwrap()),
        // 15:00 Thursday, then långfredagen to annandag påsk are closed.
        "2026-04-07 09:00"
    );
    assert_eq!(
        cal.between(at("2026-09-14 00:00"), at("2026-09-15 00:00")),
        0
    );
    assert_eq!(
        cal.between(at("2026-09-19 00:00"), at("2026-09-20 00:00")),
        4 * HOUR
    );
    assert_eq!(
        cal.between(at("2026-12-24 00:00"), at("2026-12-25 00:00")),
        3 * HOUR
    );
    assert_eq!(
        cal.rule_on(d("2026-12-25")).1,
        DayRule::Holiday(Holiday::Juldagen)
    );
    assert_eq!(cal.rule_on(d("2026-12-24")).1, DayRule::Special);
}

#[test]
fn a_calendar_without_holidays_works_them() {
    let s = CalendarSettings {
        public_holidays: false,
        ..CalendarSettings::default()
    };
    // Långfredagen 2026 is a Friday: open as any Friday.
    assert_eq!(
        s.calendar()
            .between(at("2026-04-03 00:00"), at("2026-04-04 00:00")),
        8 * HOUR
    );
}

#[test]
fn settings_are_checked() {
    assert_eq!(CalendarSettings::default().check(), Ok(()));
    let closed = CalendarSettings {
        week: [None; 7],
        ..CalendarSettings::default()
    };
    assert_eq!(closed.check(), Err(BadHours::NeverOpen));
    let warn = CalendarSettings {
        warn_percent: 100,
        ..CalendarSettings::default()
    };
    assert_eq!(warn.check(), Err(BadHours::WarnPercent));
    assert!(SpecialDay::new(d("2026-01-01"), None, &"x".repeat(101)).is_err());
}

#[test]
fn a_calendar_that_never_opens_has_no_due_time() {
    let closed = BusinessCalendar {
        week: [None; 7],
        public_holidays: true,
        special: BTreeMap::new(),
    };
    assert_eq!(closed.add(at("2026-01-01 00:00"), MINUTE_MS), None);
    assert_eq!(
        closed.add(at("2026-01-01 00:00"), 0),
        Some(at("2026-01-01 00:00"))
    );
}

// Property tests over random calendars and instants in 2018–2028.

const BASE: &str = "2018-01-01 00:00";
const SPAN: i64 = 10 * 365 * 24 * HOUR;

fn hours() -> impl Strategy<Value = Option<Hours>> {
    prop_oneof![
        1 => Just(None),
        3 => (0u16..1439, 1u16..=1440).prop_filter_map("open before close", |(a, b)| {
            Hours::new(a.min(b), a.max(b)).ok().map(Some)
        }),
    ]
}

fn calendars() -> impl Strategy<Value = BusinessCalendar> {
    (
        prop::array::uniform7(hours()),
        any::<bool>(),
        prop::collection::vec((0i64..3650, hours()), 0..40),
    )
        .prop_filter_map("open some weekday", |(week, public_holidays, days)| {
            let base = d("2018-01-01");
            let s = CalendarSettings {
                week,
                public_holidays,
                warn_percent: 80,
                special_days: days
                    .into_iter()
                    .map(|(n, h)| {
                        SpecialDay::new(base + chrono::Days::new(n as u64), h, "").unwrap()
                    })
                    .collect(),
            };
            s.check().ok().map(|_| s.calendar())
        })
}

fn instant() -> impl Strategy<Value = i64> {
    (0..SPAN).prop_map(|o| at(BASE) + o)
}

/// Up to 40 days, in whole minutes or any milliseconds.
fn duration() -> impl Strategy<Value = i64> {
    prop_oneof![
        (0i64..40 * 24 * 60).prop_map(|m| m * MINUTE_MS),
        0i64..40 * 24 * HOUR,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn working_time_never_decreases_as_the_end_moves_later(
        cal in calendars(), a in instant(), len in duration(), more in duration()
    ) {
        let b = a + len;
        prop_assert!(cal.between(a, b) <= cal.between(a, b + more));
        prop_assert!(cal.between(a, b) <= len.max(0));
    }

    #[test]
    fn adding_then_measuring_gives_the_duration_back(
        cal in calendars(), a in instant(), len in duration()
    ) {
        let due = cal.add(a, len).expect("a calendar open some weekday opens again");
        prop_assert!(due >= a);
        prop_assert_eq!(cal.between(a, due), len);
        // And it is the earliest such instant.
        if len > 0 {
            prop_assert!(cal.between(a, due - 1) < len);
        }
    }

    #[test]
    fn working_time_adds_up_over_a_split(
        cal in calendars(), a in instant(), x in duration(), y in duration()
    ) {
        let (b, c) = (a + x, a + x + y);
        prop_assert_eq!(cal.between(a, c), cal.between(a, b) + cal.between(b, c));
    }

    #[test]
    fn a_closed_period_counts_nothing(
        cal in calendars(), a in instant(), x in 0.0f64..=1.0, y in 0.0f64..=1.0
    ) {
        // From the end of the next open interval after `a` to the opening after it.
        let inside = cal.add(a, 1).unwrap() - 1;
        let (_, closing) = cal.interval(local_date(inside)).unwrap();
        let reopening = cal.add(closing, 1).unwrap() - 1;
        prop_assert!(reopening >= closing);
        let gap = (reopening - closing) as f64;
        let p = closing + (gap * x.min(y)) as i64;
        let q = closing + (gap * x.max(y)) as i64;
        prop_assert_eq!(cal.between(p, q), 0);
        prop_assert_eq!(cal.between(closing, reopening), 0);
    }

    #[test]
    fn weekends_and_holidays_count_nothing(x in 0i64..=24 * 60, y in 0i64..=24 * 60, day in 0u64..3650) {
        let cal = office();
        let date = d("2018-01-01") + chrono::Days::new(day);
        let closed = matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
            || holiday_on(date).is_some();
        prop_assert_eq!(cal.hours_on(date).is_none(), closed);
        let start = from_local(date.and_time(NaiveTime::MIN));
        let (p, q) = (start + x.min(y) * MINUTE_MS, start + x.max(y) * MINUTE_MS);
        let open = cal.between(p, q);
        if closed {
            prop_assert_eq!(open, 0);
        } else {
            prop_assert!(open <= 8 * HOUR);
        }
    }

    #[test]
    fn the_precomputed_span_agrees_with_the_calendar(
        cal in calendars(), a in instant(), len in duration(), more in duration()
    ) {
        // A span narrower than the instants asked about, so both paths are taken.
        let open = cal.open_time(d("2019-01-01"), d("2026-12-31"));
        prop_assert_eq!(open.between(a, a + len), cal.between(a, a + len));
        prop_assert_eq!(open.add(a, more), cal.add(a, more));
        // A duration measured up to a closed time ends exactly at a closing: both must give
        // that closing, the earliest instant, not the next opening.
        let exact = cal.between(a, a + len);
        prop_assert_eq!(open.add(a, exact), cal.add(a, exact));
        prop_assert!(cal.add(a, exact).unwrap() <= a + len);
    }
}
