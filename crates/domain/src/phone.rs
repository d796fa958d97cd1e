//! The phone channel: a call record as the telephony platform reports it (the same fields and
//! checks whether it comes live through the API or in a `calls` import file), and a queue's
//! service level today, this week and per hour today.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

use crate::followup::{CallCounts, CallStats, QueueRule};
use crate::import::{ImportError, Record};
use crate::time::{from_local, to_local};

/// A call's fields, checked: what the `calls` import and `POST /api/v1/calls` both take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFields {
    /// The telephony platform's id of the call (`call_id`).
    pub call_ref: String,
    /// The code of the provider unit whose queue took the call.
    pub unit: String,
    /// When the call was offered to the queue (ms, UTC), given in Stockholm local time.
    pub offered_at: i64,
    pub wait_seconds: i64,
    pub answered: bool,
}

/// The longest `call_id` kept: platforms use UUIDs or short serials.
pub const CALL_REF_MAX: usize = 100;

/// Checks one call record; every problem names its line (or list position) and column.
pub fn check_call(r: &Record) -> Result<CallFields, ImportError> {
    let wait = r.integer("wait_seconds")?;
    if !(0..=86_400).contains(&wait) {
        return Err(r.error(
            "wait_seconds",
            format!("{wait} is not a wait in seconds (0–86 400)"),
        ));
    }
    let call_ref = r.required("call_id")?;
    if call_ref.chars().count() > CALL_REF_MAX || call_ref.chars().any(char::is_control) {
        return Err(r.error(
            "call_id",
            format!("is longer than {CALL_REF_MAX} characters or holds control characters"),
        ));
    }
    Ok(CallFields {
        call_ref: call_ref.to_string(),
        unit: r.required("unit")?.to_string(),
        offered_at: from_local(r.local_time("offered_at")?),
        wait_seconds: wait,
        answered: r.boolean("answered")?,
    })
}

/// One hour of a local day with its calls.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HourLevel {
    /// The local hour, 0–23.
    pub hour: u32,
    pub stats: CallStats,
}

/// A queue's service level: today, this ISO week (Monday to now) and each hour of today that
/// had calls, under the queue's rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneServiceLevel {
    pub day: NaiveDate,
    /// `2026-W49`.
    pub week: String,
    pub rule: QueueRule,
    pub today: CallStats,
    pub this_week: CallStats,
    pub hours: Vec<HourLevel>,
}

/// The instants (ms, UTC) of the local midnights starting `now`'s ISO week and day, and of
/// the next midnight: the span whose calls [`service_level`] needs.
pub fn week_and_day_bounds(now: i64) -> (i64, i64, i64) {
    let today = to_local(now).date();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let midnight = |d: NaiveDate| from_local(d.and_hms_opt(0, 0, 0).expect("midnight"));
    (
        midnight(monday),
        midnight(today),
        midnight(today + Duration::days(1)),
    )
}

/// Sums counted calls into today, this week and today's hours. `calls` are the counts per UTC
/// hour (hours since the epoch) from the week's Monday on; Stockholm's midnights fall on whole
/// UTC hours, so each UTC hour lies in one local hour and day.
pub fn service_level(
    now: i64,
    rule: QueueRule,
    calls: impl IntoIterator<Item = (i64, CallCounts)>,
) -> PhoneServiceLevel {
    let (week_start, day_start, day_end) = week_and_day_bounds(now);
    let today = to_local(now).date();
    let iso = today.iso_week();
    let mut day = CallCounts::default();
    let mut week = CallCounts::default();
    let mut hours: std::collections::BTreeMap<u32, CallCounts> = Default::default();
    for (hour, counts) in calls {
        let at = hour * 3_600_000;
        if at < week_start || at >= day_end {
            continue;
        }
        week.merge(counts);
        if at >= day_start {
            day.merge(counts);
            let local: NaiveDateTime = to_local(at);
            hours.entry(local.hour()).or_default().merge(counts);
        }
    }
    PhoneServiceLevel {
        day: today,
        week: format!("{}-W{:02}", iso.year(), iso.week()),
        rule,
        today: day.stats(),
        this_week: week.stats(),
        hours: hours
            .into_iter()
            .map(|(hour, c)| HourLevel {
                hour,
                stats: c.stats(),
            })
            .collect(),
    }
}

/// A service level as the pages show it: `85,0 %`, or a dash when no call was offered.
pub fn format_level(level: Option<f64>) -> String {
    level.map_or_else(|| "–".to_string(), |l| crate::format::percent(l, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> i64 {
        from_local(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap())
    }

    fn hour_of(s: &str) -> i64 {
        local(s).div_euclid(3_600_000)
    }

    fn counts(answered: i64, in_time: i64, abandoned: i64) -> CallCounts {
        CallCounts {
            answered,
            answered_in_time: in_time,
            abandoned,
            answered_wait_sum: 0,
        }
    }

    #[test]
    fn today_week_and_hours_add_up_by_the_stockholm_calendar() {
        // Wednesday 2 December 2026, 14:30 local; the ISO week began Monday 30 November.
        let now = local("2026-12-02T14:30");
        let calls = [
            (hour_of("2026-11-29T23:00"), counts(9, 9, 0)), // Sunday: last week
            (hour_of("2026-11-30T09:00"), counts(4, 3, 1)), // Monday
            (hour_of("2026-12-02T00:00"), counts(1, 1, 0)), // today, first hour
            (hour_of("2026-12-02T09:00"), counts(8, 6, 2)),
            (hour_of("2026-12-03T00:00"), counts(5, 5, 0)), // tomorrow
        ];
        let s = service_level(now, QueueRule::default(), calls);
        assert_eq!(s.week, "2026-W49");
        assert_eq!(s.today.offered, 11);
        assert_eq!(s.today.answered_in_time, 7);
        assert_eq!(format_level(s.today.service_level), "63,6\u{a0}%");
        assert_eq!(s.this_week.offered, 16);
        assert_eq!(s.this_week.answered_in_time, 10);
        assert_eq!(format_level(s.this_week.service_level), "62,5\u{a0}%");
        let hours: Vec<(u32, i64)> = s.hours.iter().map(|h| (h.hour, h.stats.offered)).collect();
        assert_eq!(hours, vec![(0, 1), (9, 10)]);
    }

    #[test]
    fn a_quiet_day_has_no_level_rather_than_zero() {
        let s = service_level(local("2026-06-15T08:00"), QueueRule::default(), []);
        assert_eq!(s.today.service_level, None);
        assert_eq!(format_level(s.today.service_level), "–");
        assert!(s.hours.is_empty());
    }

    #[test]
    fn summer_time_days_start_at_their_own_midnight() {
        // In summer Stockholm is UTC+2: the local midnight is 22:00 UTC the day before.
        let (_, day_start, day_end) = week_and_day_bounds(local("2026-07-01T12:00"));
        assert_eq!(day_end - day_start, 24 * 3_600_000);
        assert_eq!(to_local(day_start).hour(), 0);
        // The autumn change day is 25 hours long.
        let (_, s, e) = week_and_day_bounds(local("2026-10-25T12:00"));
        assert_eq!(e - s, 25 * 3_600_000);
    }

    #[test]
    fn a_call_record_is_checked_like_an_import_row() {
        let rec = |wait: &str, unit: &str| {
            Record::from_fields(
                3,
                [
                    ("call_id", "BAR-1"),
                    ("unit", unit),
                    ("offered_at", "2026-11-30T09:15:00"),
                    ("wait_seconds", wait),
                    ("answered", "true"),
                ],
            )
        };
        let ok = check_call(&rec("42", "KL")).unwrap();
        assert_eq!(ok.unit, "KL");
        assert_eq!(ok.offered_at, local("2026-11-30T09:15"));
        let e = check_call(&rec("-1", "KL")).unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (3, Some("wait_seconds")));
        let e = check_call(&rec("42", "")).unwrap_err();
        assert_eq!(e.column.as_deref(), Some("unit"));
    }
}
