//! Time: stored as milliseconds since the epoch in UTC, shown in Europe/Stockholm.
//!
//! The offsets come from the IANA time-zone database compiled into the binary (`chrono-tz`),
//! so every year is right: no summer time 1950–1979, the rules of 1980–1995 (summer time ended
//! on the last Sunday of September), the EU rule since 1996. Past the database's last
//! generated year (2099) Stockholm is taken to stay on CET.
//!
//! This is the one place the rule lives: the case roll-ups are keyed by [`local_day`], which
//! Rust computes when a case is written and stores on the case (`created_day`, `closed_day`),
//! so the databases never need it.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;

/// A due time as an agent reads it against now: the day in words when it is near, with the
/// clock time; only the day when it is further away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueWhen {
    Yesterday(chrono::NaiveTime),
    Today(chrono::NaiveTime),
    Tomorrow(chrono::NaiveTime),
    /// Within the coming week: its weekday and clock time.
    ThisWeek(chrono::Weekday, chrono::NaiveTime),
    /// Earlier or later: the day.
    Day(NaiveDate),
}

/// Where `due` falls, seen from `now` (both ms), in Stockholm days.
pub fn due_when(due: i64, now: i64) -> DueWhen {
    use chrono::Datelike;
    let local = to_local(due);
    let (day, clock) = (local.date(), local.time());
    let today = day_date(local_day(now));
    match (day - today).num_days() {
        -1 => DueWhen::Yesterday(clock),
        0 => DueWhen::Today(clock),
        1 => DueWhen::Tomorrow(clock),
        2..=6 => DueWhen::ThisWeek(day.weekday(), clock),
        _ => DueWhen::Day(day),
    }
}

/// Today in Stockholm.
pub fn today() -> NaiveDate {
    day_date(local_day(now_ms()))
}

/// A day as a person types it: `ÅÅÅÅ-MM-DD` (ISO 8601, the Swedish way), also without leading
/// zeros (`2019-8-1`) or without dashes (`20190801`), with spaces around ignored. Whatever the
/// browser's locale, a form sends what was typed, and this reads it.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || y.len() != 4 || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The offset from UTC in Stockholm, in seconds, at the UTC instant `utc`.
pub fn stockholm_offset(utc: DateTime<Utc>) -> i32 {
    Stockholm
        .offset_from_utc_datetime(&utc.naive_utc())
        .fix()
        .local_minus_utc()
}

/// Local Stockholm wall-clock time of a stored instant.
pub fn to_local(ms: i64) -> NaiveDateTime {
    let utc = Utc.timestamp_millis_opt(ms).single().unwrap_or_default();
    let offset = chrono::Duration::seconds(i64::from(stockholm_offset(utc)));
    // At the very end of chrono's calendar there is no later time to show.
    utc.naive_utc()
        .checked_add_signed(offset)
        .unwrap_or(utc.naive_utc())
}

/// The Stockholm calendar day of an instant, as days since 1970-01-01: the key of the daily
/// roll-ups, stored on each case when it is written (`created_day`, `closed_day`).
pub fn local_day(ms: i64) -> i64 {
    day_number(to_local(ms).date())
}

/// Days since 1970-01-01 of a calendar date.
pub fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days()
}

/// The calendar date of a day number.
pub fn day_date(day: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(day)
}

/// The instant of a Stockholm wall-clock time. In the autumn hour that occurs twice the
/// earlier is taken; a spring time that does not exist (the clock jumps over it) is read with
/// the offset before the jump, so it lands as far into summer time as it lies into the gap
/// (02:30 becomes 03:30 CEST).
pub fn from_local(local: NaiveDateTime) -> i64 {
    use chrono::LocalResult;
    // Found by fuzzing: two hours before chrono's first day overflowed and panicked.
    let minus = |offset: i32| {
        local
            .checked_sub_signed(chrono::Duration::seconds(i64::from(offset)))
            .unwrap_or(local)
            .and_utc()
            .timestamp_millis()
    };
    match Stockholm.offset_from_local_datetime(&local) {
        LocalResult::Single(o) => minus(o.fix().local_minus_utc()),
        LocalResult::Ambiguous(a, b) => {
            minus(a.fix().local_minus_utc()).min(minus(b.fix().local_minus_utc()))
        }
        LocalResult::None => {
            // Stockholm's clock changes are months apart: a day earlier is before the jump.
            let day_before = local
                .checked_sub_signed(chrono::Duration::days(1))
                .unwrap_or(local);
            minus(
                Stockholm
                    .offset_from_utc_datetime(&day_before)
                    .fix()
                    .local_minus_utc(),
            )
        }
    }
}

/// `2019-08-31 14:05`.
pub fn format_datetime(ms: i64) -> String {
    to_local(ms).format("%Y-%m-%d %H:%M").to_string()
}

/// `2019-08-31`.
pub fn format_date(ms: i64) -> String {
    to_local(ms).format("%Y-%m-%d").to_string()
}

/// A duration in minutes as people say it: `45 min`, `3 h 20 min`, `2 d 4 h`.
pub fn format_minutes(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.abs();
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    match (d, h, min) {
        (0, 0, min) => format!("{sign}{min}\u{a0}min"),
        (0, h, 0) => format!("{sign}{h}\u{a0}h"),
        (0, h, min) => format!("{sign}{h}\u{a0}h {min}\u{a0}min"),
        (d, 0, _) => format!("{sign}{d}\u{a0}d"),
        (d, h, _) => format!("{sign}{d}\u{a0}d {h}\u{a0}h"),
    }
}

/// An instant as RFC 3339 in UTC: `2019-08-31T12:00:00Z`.
pub fn iso_utc(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The Stockholm date of an RFC 3339 instant (`2019-08-31T22:30:00Z` is `2019-09-01`), as
/// approvals are stored; the text itself up to its date when it is not RFC 3339.
pub fn local_date_of_iso(s: &str) -> String {
    match DateTime::parse_from_rfc3339(s) {
        Ok(t) => format_date(t.timestamp_millis()),
        Err(_) => s.get(..10).unwrap_or(s).to_string(),
    }
}

/// An instant as ISO 8601 in Stockholm time with its offset: `2026-06-22T11:55:00+02:00`.
pub fn iso_local(ms: i64) -> String {
    let utc = Utc.timestamp_millis_opt(ms).single().unwrap_or_default();
    let offset = stockholm_offset(utc);
    let sign = if offset < 0 { '-' } else { '+' };
    let (h, m) = (offset.abs() / 3600, (offset.abs() % 3600) / 60);
    format!(
        "{}{sign}{h:02}:{m:02}",
        to_local(ms).format("%Y-%m-%dT%H:%M:%S")
    )
}

/// Now, in ms since the epoch.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
            .timestamp_millis()
    }

    #[test]
    fn an_approval_instant_is_dated_in_stockholm() {
        assert_eq!(local_date_of_iso("2019-08-31T22:30:00Z"), "2019-09-01");
        assert_eq!(local_date_of_iso("2019-08-31T12:00:00Z"), "2019-08-31");
        assert_eq!(local_date_of_iso("2019-08-31 whatever"), "2019-08-31");
    }

    #[test]
    fn summer_and_winter() {
        assert_eq!(format_datetime(utc("2019-08-31 12:00")), "2019-08-31 14:00");
        assert_eq!(format_datetime(utc("2019-01-15 12:00")), "2019-01-15 13:00");
        // 2019: summer time from 31 March 01:00 UTC to 27 October 01:00 UTC
        assert_eq!(format_datetime(utc("2019-03-31 00:59")), "2019-03-31 01:59");
        assert_eq!(format_datetime(utc("2019-03-31 01:00")), "2019-03-31 03:00");
        assert_eq!(format_datetime(utc("2019-10-27 00:59")), "2019-10-27 02:59");
        assert_eq!(format_datetime(utc("2019-10-27 01:00")), "2019-10-27 02:00");
    }

    #[test]
    fn local_round_trip() {
        for s in [
            "2019-08-31 14:00",
            "2019-01-15 13:00",
            "2026-11-27 08:30",
            "1985-07-01 12:00",
            "1970-01-01 00:00",
        ] {
            let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
            assert_eq!(format_datetime(from_local(local)), s);
        }
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_clock_changes_of_every_era() {
        for (utc_time, shown) in [
            // The EU rule since 1996: 01:00 UTC on the last Sundays of March and October.
            ("1996-03-31 00:59", "1996-03-31 01:59"),
            ("1996-03-31 01:00", "1996-03-31 03:00"),
            ("1996-10-27 00:59", "1996-10-27 02:59"),
            ("1996-10-27 01:00", "1996-10-27 02:00"),
            ("2026-03-29 01:00", "2026-03-29 03:00"),
            ("2026-10-25 00:59", "2026-10-25 02:59"),
            ("2026-10-25 01:00", "2026-10-25 02:00"),
            // 1980–1995: summer time ended on the last Sunday of September.
            ("1995-09-24 00:59", "1995-09-24 02:59"),
            ("1995-09-24 01:00", "1995-09-24 02:00"),
            ("1995-10-15 12:00", "1995-10-15 13:00"),
            ("1980-04-06 00:59", "1980-04-06 01:59"),
            ("1980-04-06 01:00", "1980-04-06 03:00"),
            // No summer time in 1979.
            ("1979-07-01 12:00", "1979-07-01 13:00"),
            // Far ahead the database still knows the rule.
            ("2090-03-26 01:00", "2090-03-26 03:00"),
            ("2090-07-01 12:00", "2090-07-01 14:00"),
        ] {
            assert_eq!(format_datetime(utc(utc_time)), shown, "{utc_time} UTC");
        }
    }

    #[test]
    fn local_days_turn_at_local_midnight() {
        let day = |s: &str| day_number(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        for (utc_time, d) in [
            ("2019-03-30 22:59", "2019-03-30"),
            ("2019-03-30 23:00", "2019-03-31"),
            ("2019-06-30 21:59", "2019-06-30"),
            ("2019-06-30 22:00", "2019-07-01"),
            ("2019-10-26 21:59", "2019-10-26"),
            ("2019-10-26 22:00", "2019-10-27"),
            ("2019-10-27 22:59", "2019-10-27"),
            ("2019-10-27 23:00", "2019-10-28"),
            ("1995-09-23 21:59", "1995-09-23"),
            ("1995-09-23 22:00", "1995-09-24"),
            ("1995-09-24 22:59", "1995-09-24"),
            ("1995-09-24 23:00", "1995-09-25"),
        ] {
            assert_eq!(local_day(utc(utc_time)), day(d), "{utc_time} UTC");
            assert_eq!(day_date(day(d)).to_string(), d);
        }
    }

    #[test]
    fn local_times_in_the_gap_and_the_doubled_hour() {
        // Spring: 02:00–02:59 does not exist; 02:30 is read as 03:30 summer time.
        assert_eq!(
            from_local(local("2019-03-31 02:30")),
            utc("2019-03-31 01:30")
        );
        assert_eq!(
            format_datetime(from_local(local("2019-03-31 02:30"))),
            "2019-03-31 03:30"
        );
        assert_eq!(
            from_local(local("2019-03-31 01:59")),
            utc("2019-03-31 00:59")
        );
        assert_eq!(
            from_local(local("2019-03-31 03:00")),
            utc("2019-03-31 01:00")
        );
        // Autumn: 02:00–02:59 happens twice; the first (summer time) is taken.
        assert_eq!(
            from_local(local("2019-10-27 02:30")),
            utc("2019-10-27 00:30")
        );
        assert_eq!(
            from_local(local("2019-10-27 03:00")),
            utc("2019-10-27 02:00")
        );
        assert_eq!(
            from_local(local("2019-10-27 01:59")),
            utc("2019-10-26 23:59")
        );
        // The same in 1995, when summer time ended in September.
        assert_eq!(
            from_local(local("1995-09-24 02:30")),
            utc("1995-09-24 00:30")
        );
        assert_eq!(
            from_local(local("1995-10-29 02:30")),
            utc("1995-10-29 01:30")
        );
    }

    #[test]
    fn the_ends_of_the_calendar_do_not_panic() {
        from_local(NaiveDateTime::MIN);
        from_local(NaiveDateTime::MAX);
        to_local(i64::MIN);
        to_local(i64::MAX);
        to_local(NaiveDateTime::MAX.and_utc().timestamp_millis());
    }

    #[test]
    fn iso() {
        assert_eq!(
            iso_local(utc("2026-06-22 09:55")),
            "2026-06-22T11:55:00+02:00"
        );
        assert_eq!(
            iso_local(utc("2026-01-22 09:55")),
            "2026-01-22T10:55:00+01:00"
        );
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_567_252_800_000), "2019-08-31T12:00:00Z");
    }

    #[test]
    fn durations() {
        assert_eq!(format_minutes(45), "45\u{a0}min");
        assert_eq!(format_minutes(200), "3\u{a0}h 20\u{a0}min");
        assert_eq!(format_minutes(60 * 52), "2\u{a0}d 4\u{a0}h");
        assert_eq!(format_minutes(-30), "-30\u{a0}min");
    }

    #[test]
    fn a_day_is_read_as_a_person_types_it() {
        let d = NaiveDate::from_ymd_opt(2019, 8, 1).unwrap();
        for ok in ["2019-08-01", " 2019-08-01 ", "2019-8-1", "20190801"] {
            assert_eq!(parse_day(ok), Some(d), "{ok}");
        }
        for bad in [
            "",
            "2019-02-30",
            "01/08/2019",
            "08/01/2019",
            "2019-08",
            "2019-08-01-1",
            "19-08-01",
            "2019-+8-01",
            "2019-008-01",
            "201908011",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_due_time_is_said_against_today() {
        use chrono::{NaiveTime, Weekday};
        let at = |s: &str| from_local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap());
        let now = at("2026-12-01 02:13"); // a Tuesday
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(
            due_when(at("2026-12-01 08:05"), now),
            DueWhen::Today(t(8, 5))
        );
        assert_eq!(
            due_when(at("2026-11-30 16:00"), now),
            DueWhen::Yesterday(t(16, 0))
        );
        assert_eq!(
            due_when(at("2026-12-02 10:00"), now),
            DueWhen::Tomorrow(t(10, 0))
        );
        assert_eq!(
            due_when(at("2026-12-04 10:00"), now),
            DueWhen::ThisWeek(Weekday::Fri, t(10, 0))
        );
        assert_eq!(
            due_when(at("2026-12-14 10:00"), now),
            DueWhen::Day(NaiveDate::from_ymd_opt(2026, 12, 14).unwrap())
        );
    }
}
