//! Time: stored as milliseconds since the epoch in UTC, shown in Europe/Stockholm.
//!
//! Sweden has followed the EU summer-time rule since 1996: CEST (UTC+2) from 01:00 UTC on the
//! last Sunday of March to 01:00 UTC on the last Sunday of October, CET (UTC+1) otherwise.
//! Encoding that rule here spares a time-zone database for the one zone Serva shows.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};

/// The offset from UTC in Stockholm, in seconds, at the UTC instant `utc`.
pub fn stockholm_offset(utc: DateTime<Utc>) -> i32 {
    let year = utc.year();
    let start = last_sunday(year, 3)
        .and_hms_opt(1, 0, 0)
        .expect("valid time")
        .and_utc();
    let end = last_sunday(year, 10)
        .and_hms_opt(1, 0, 0)
        .expect("valid time")
        .and_utc();
    if utc >= start && utc < end {
        7200
    } else {
        3600
    }
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let mut d =
        NaiveDate::from_ymd_opt(year, month + 1, 1).expect("valid month") - chrono::Days::new(1);
    while d.weekday() != Weekday::Sun {
        d = d - chrono::Days::new(1);
    }
    d
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
/// roll-ups (the databases compute the same number by the same rule).
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
/// earlier is taken; a spring time that does not exist is read as summer time.
pub fn from_local(local: NaiveDateTime) -> i64 {
    // Found by fuzzing: two hours before chrono's first day overflowed and panicked.
    let earlier = |h| {
        local
            .checked_sub_signed(chrono::Duration::hours(h))
            .unwrap_or(local)
    };
    let as_winter = earlier(1);
    let as_summer = earlier(2);
    let summer_utc = as_summer.and_utc();
    if stockholm_offset(summer_utc) == 7200 {
        summer_utc.timestamp_millis()
    } else {
        as_winter.and_utc().timestamp_millis()
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
        for s in ["2019-08-31 14:00", "2019-01-15 13:00", "2026-11-27 08:30"] {
            let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
            assert_eq!(format_datetime(from_local(local)), s);
        }
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
}
