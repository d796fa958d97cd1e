//! A provider unit's dashboard (docs/overview.md, `/units/{code}/dashboard`): per week of the
//! last weeks, the cases that came in by channel, the share of SLA clocks met, the
//! satisfaction index; and the open cases by age in the unit's working days. The figures are
//! counted in SQL; this module chooses the weeks, the age limits and the shape of the result.

use chrono::{Datelike, Duration, NaiveDate};

use crate::case::Channel;
use crate::org::Unit;
use crate::overview::ClockLevel;
use crate::time::{day_number, from_local, to_local};

/// Weeks shown unless asked otherwise, and the most that may be asked for.
pub const WEEKS_DEFAULT: u32 = 12;
pub const WEEKS_MAX: u32 = 52;

/// The share of SLA clocks met the unit aims at, drawn as the target line: the same 80 % the
/// interim report's service-level chart falls back on.
pub const SERVICE_LEVEL_TARGET: f64 = 80.0;

/// A number of weeks someone typed that cannot be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadWeeks {
    #[error("weeks must be a whole number")]
    NotANumber,
    #[error("weeks must be 1 to 52")]
    OutOfRange,
}

/// The weeks asked for: empty means the default; surrounding spaces are ignored.
pub fn parse_weeks(s: Option<&str>) -> Result<u32, BadWeeks> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(WEEKS_DEFAULT),
        Some(s) => {
            let n: i64 = s.parse().map_err(|_| BadWeeks::NotANumber)?;
            if (1..=i64::from(WEEKS_MAX)).contains(&n) {
                Ok(n as u32)
            } else {
                Err(BadWeeks::OutOfRange)
            }
        }
    }
}

/// One ISO week, Stockholm time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub monday: NaiveDate,
    /// `2026-V49`.
    pub label: String,
    /// `V49`, under a chart's column.
    pub short: String,
    /// Local midnight starting the Monday and the next Monday (ms, UTC).
    pub from: i64,
    pub to: i64,
}

impl Week {
    pub fn of(monday: NaiveDate) -> Week {
        let iso = monday.iso_week();
        let midnight = |d: NaiveDate| from_local(d.and_hms_opt(0, 0, 0).expect("midnight"));
        Week {
            monday,
            label: format!("{}-V{:02}", iso.year(), iso.week()),
            short: format!("V{:02}", iso.week()),
            from: midnight(monday),
            to: midnight(monday + Duration::days(7)),
        }
    }

    /// The Monday as days since 1970-01-01 (the roll-ups' day numbers).
    pub fn first_day(&self) -> i64 {
        day_number(self.monday)
    }
}

/// The last `n` weeks at `now`, this (unfinished) week last.
pub fn last_weeks(now: i64, n: u32) -> Vec<Week> {
    let today = to_local(now).date();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    (0..i64::from(n))
        .rev()
        .map(|k| Week::of(monday - Duration::weeks(k)))
        .collect()
}

/// Open cases by how many of the unit's working days they have waited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacklogAge {
    UpToTwo,
    ThreeToSeven,
    EightToThirty,
    OverThirty,
}

impl BacklogAge {
    pub const ALL: [BacklogAge; 4] = [
        BacklogAge::UpToTwo,
        BacklogAge::ThreeToSeven,
        BacklogAge::EightToThirty,
        BacklogAge::OverThirty,
    ];

    /// The fewest working days a case in this bucket has waited.
    pub fn min_days(self) -> u32 {
        match self {
            BacklogAge::UpToTwo => 0,
            BacklogAge::ThreeToSeven => 3,
            BacklogAge::EightToThirty => 8,
            BacklogAge::OverThirty => 31,
        }
    }
}

/// The latest creation times (ms, UTC; excluded) of a case at least 3, 8 and 31 working days
/// old on `today`. A case's age is the number of working days after the day it came in, up
/// to and including today: one that came in on a Friday is 1 day old on Monday. A working
/// day is one `is_open` says the unit is open; a calendar with no open day in a year and a
/// half counts every day.
pub fn backlog_limits(today: NaiveDate, is_open: impl Fn(NaiveDate) -> bool) -> [i64; 3] {
    let midnight = |d: NaiveDate| from_local(d.and_hms_opt(0, 0, 0).expect("midnight"));
    let open_days: Vec<NaiveDate> = {
        let mut found = Vec::with_capacity(31);
        let mut d = today;
        for _ in 0..550 {
            if is_open(d) {
                found.push(d);
                if found.len() == 31 {
                    break;
                }
            }
            d -= Duration::days(1);
        }
        if found.len() < 31 {
            (0..31).map(|k| today - Duration::days(k)).collect()
        } else {
            found
        }
    };
    // Created before the k-th most recent working day (counting today as the first when
    // open) means at least k working days old.
    [3usize, 8, 31].map(|k| midnight(open_days[k - 1]))
}

/// The open cases per bucket, from how many are open in all and how many came in before each
/// of [`backlog_limits`].
pub fn backlog(open: i64, before: [i64; 3]) -> [i64; 4] {
    [
        open - before[0],
        before[0] - before[1],
        before[1] - before[2],
        before[2],
    ]
}

/// What happened in one week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekFigures {
    pub week: Week,
    /// Cases that came in, per channel of [`Channel::ALL`].
    pub cases: [i64; 5],
    pub first_response: ClockLevel,
    pub resolution: ClockLevel,
    /// The survey index (0–100) of the surveys sent in the week, and how many were answered.
    pub satisfaction: Option<f64>,
    pub answered: i64,
}

impl WeekFigures {
    pub fn cases_total(&self) -> i64 {
        self.cases.iter().sum()
    }
}

/// Everything the dashboard shows, at `at`.
#[derive(Debug, Clone)]
pub struct UnitDashboard {
    pub unit: Unit,
    pub weeks: Vec<WeekFigures>,
    /// Open cases per [`BacklogAge::ALL`].
    pub backlog: [i64; 4],
    /// The service-level chart's target line, in percent.
    pub target: f64,
    pub at: i64,
}

/// Cases per day and channel (from the roll-ups) summed into `weeks`; days outside them and
/// unknown channels are left out.
pub fn cases_per_week(weeks: &[Week], days: &[(i64, String, i64)]) -> Vec<[i64; 5]> {
    let mut out = vec![[0i64; 5]; weeks.len()];
    for (day, channel, n) in days {
        let Some(k) =
            Channel::parse(channel).and_then(|c| Channel::ALL.iter().position(|x| *x == c))
        else {
            continue;
        };
        if let Some(i) = weeks
            .iter()
            .position(|w| (w.first_day()..w.first_day() + 7).contains(day))
        {
            out[i][k] += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        crate::time::parse_day(s).unwrap()
    }

    #[test]
    fn weeks_default_to_twelve_and_refuse_nonsense() {
        assert_eq!(parse_weeks(None), Ok(12));
        assert_eq!(parse_weeks(Some(" ")), Ok(12));
        assert_eq!(parse_weeks(Some(" 26 ")), Ok(26));
        assert_eq!(parse_weeks(Some("0")), Err(BadWeeks::OutOfRange));
        assert_eq!(parse_weeks(Some("53")), Err(BadWeeks::OutOfRange));
        assert_eq!(parse_weeks(Some("tolv")), Err(BadWeeks::NotANumber));
        assert_eq!(parse_weeks(Some("2,5")), Err(BadWeeks::NotANumber));
    }

    #[test]
    fn the_last_weeks_end_with_this_one() {
        // Monday 30 November 2026, 23:00 UTC is Tuesday 1 December 00:00 in Stockholm.
        let now = from_local(date("2026-12-01").and_hms_opt(0, 30, 0).unwrap());
        let w = last_weeks(now, 3);
        assert_eq!(
            w.iter().map(|w| w.label.as_str()).collect::<Vec<_>>(),
            ["2026-V47", "2026-V48", "2026-V49"]
        );
        assert_eq!(w[2].monday, date("2026-11-30"));
        assert_eq!(w[2].short, "V49");
        assert_eq!(w[1].to, w[2].from);
        assert_eq!(w[2].to - w[2].from, 7 * 24 * 3_600_000);
        // Across a year: ISO week 1 of 2027 starts on Monday 4 January.
        let w = last_weeks(
            from_local(date("2027-01-05").and_hms_opt(12, 0, 0).unwrap()),
            2,
        );
        assert_eq!(w[0].label, "2026-V53");
        assert_eq!(w[1].label, "2027-V01");
    }

    #[test]
    fn backlog_ages_count_working_days() {
        // Weekdays only: on Wednesday 2 December 2026, the 3rd most recent working day is
        // Monday 30 November, so a case from Friday 27 November is 3 days old (Mon–Wed).
        let weekdays = |d: NaiveDate| d.weekday().num_days_from_monday() < 5;
        let limits = backlog_limits(date("2026-12-02"), weekdays);
        let midnight = |s: &str| from_local(date(s).and_hms_opt(0, 0, 0).unwrap());
        assert_eq!(limits[0], midnight("2026-11-30"));
        // 8 working days back: Wed 2, Tue 1, Mon 30, Fri 27, Thu 26, Wed 25, Tue 24, Mon 23.
        assert_eq!(limits[1], midnight("2026-11-23"));
        assert!(limits[2] < limits[1]);
        // A calendar that is never open counts every day.
        let limits = backlog_limits(date("2026-12-02"), |_| false);
        assert_eq!(limits[0], midnight("2026-11-30"));
        assert_eq!(limits[2], midnight("2026-11-02"));
        assert_eq!(backlog(10, [6, 2, 1]), [4, 4, 1, 1]);
    }

    #[test]
    fn cases_fall_into_their_week_and_channel() {
        let weeks = vec![Week::of(date("2026-11-23")), Week::of(date("2026-11-30"))];
        let d = |s: &str| day_number(date(s));
        let days = vec![
            (d("2026-11-23"), "email".to_string(), 2),
            (d("2026-11-29"), "phone".to_string(), 3),
            (d("2026-11-30"), "phone".to_string(), 1),
            (d("2026-11-22"), "phone".to_string(), 9),
            (d("2026-11-30"), "fax".to_string(), 9),
        ];
        let per = cases_per_week(&weeks, &days);
        assert_eq!(per[0], [0, 0, 3, 2, 0]);
        assert_eq!(per[1], [0, 0, 1, 0, 0]);
    }
}
