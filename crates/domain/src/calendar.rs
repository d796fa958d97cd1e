//! Business calendars: when a provider unit is open, so service levels count working time
//! only.
//!
//! A unit has opening hours per weekday, is closed on Swedish public holidays and the eves
//! agreements make days off (see [`crate::holidays`]) unless it says otherwise, and has days
//! of its own: closed days, and days with other hours (trettondagsafton and skärtorsdagen
//! until 15:00). A day of its own wins over a holiday, and a holiday over the weekday.
//!
//! Hours are Stockholm wall-clock times; instants are milliseconds since the epoch in UTC.
//! Each day's open interval is turned into instants with the day's own offset, so a day
//! across a change to or from summer time has its real length (see [`crate::time`]).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::Serialize;

use crate::holidays::{holiday_on, Holiday};
use crate::time::{day_number, from_local, to_local};

pub const MINUTE_MS: i64 = 60_000;
const DAY_MINUTES: u16 = 24 * 60;
/// How far ahead a clock looks for open time before it gives up (a calendar that never
/// opens again has no due time).
const HORIZON_DAYS: i64 = 100 * 366;
/// A unit's own days are kept to a sensible number.
pub const SPECIAL_DAYS_MAX: usize = 1_000;

/// One day's opening hours: from `open` to `close`, minutes after local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Hours {
    pub open: u16,
    pub close: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadHours {
    #[error("write a time as HH:MM, e.g. 08:00: {0:?}")]
    Time(String),
    #[error("the closing time must be after the opening time")]
    Order,
    #[error("a calendar must be open at least one day a week")]
    NeverOpen,
    #[error("the warning share must be 1–99 %")]
    WarnPercent,
    #[error("a unit can have at most {SPECIAL_DAYS_MAX} days of its own")]
    TooManyDays,
    #[error("write a date as YYYY-MM-DD: {0:?}")]
    Date(String),
    #[error("the note must be at most 100 characters")]
    Note,
}

impl Hours {
    pub fn new(open: u16, close: u16) -> Result<Hours, BadHours> {
        if close > DAY_MINUTES || open >= close {
            return Err(BadHours::Order);
        }
        Ok(Hours { open, close })
    }

    /// Reads `08:00` and `16:00` (`24:00` is the end of the day).
    pub fn parse(open: &str, close: &str) -> Result<Hours, BadHours> {
        Hours::new(parse_clock(open)?, parse_clock(close)?)
    }

    pub fn minutes(self) -> i64 {
        i64::from(self.close - self.open)
    }

    /// `08:00–16:00`.
    pub fn text(self) -> String {
        format!("{}–{}", clock_text(self.open), clock_text(self.close))
    }
}

/// Minutes after midnight as `08:00`.
pub fn clock_text(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `8:00`, `08:00`, `8.30` or `24:00` as minutes after midnight.
pub fn parse_clock(s: &str) -> Result<u16, BadHours> {
    let bad = || BadHours::Time(s.to_string());
    let t = s.trim();
    let (h, m) = t.split_once([':', '.']).ok_or_else(bad)?;
    let digits = |x: &str| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// A day of the unit's own: closed (`hours` none), or open other hours than usual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub hours: Option<Hours>,
    /// Why, as people say it: "Trettondagsafton", "Personaldag".
    pub note: String,
}

impl SpecialDay {
    pub fn new(date: NaiveDate, hours: Option<Hours>, note: &str) -> Result<Self, BadHours> {
        let note = note.trim();
        if note.chars().count() > 100 {
            return Err(BadHours::Note);
        }
        Ok(SpecialDay {
            date,
            hours,
            note: note.to_string(),
        })
    }
}

/// Reads a date as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, BadHours> {
    crate::time::parse_day(s).ok_or_else(|| BadHours::Date(s.to_string()))
}

/// What an administrator sets for a unit: the week, holidays, the warning share, own days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarSettings {
    /// Monday first.
    pub week: [Option<Hours>; 7],
    /// Closed on Swedish public holidays and on midsommarafton, julafton and nyårsafton.
    pub public_holidays: bool,
    /// A running clock warns when this share of its target has passed.
    pub warn_percent: u8,
    pub special_days: Vec<SpecialDay>,
}

/// The default warning share: at 80 % of the target.
pub const DEFAULT_WARN_PERCENT: u8 = 80;

impl Default for CalendarSettings {
    /// Monday to Friday 08:00–16:00, closed on public holidays; what a unit has until an
    /// administrator says otherwise.
    fn default() -> Self {
        let day = Some(Hours {
            open: 8 * 60,
            close: 16 * 60,
        });
        CalendarSettings {
            week: [day, day, day, day, day, None, None],
            public_holidays: true,
            warn_percent: DEFAULT_WARN_PERCENT,
            special_days: Vec::new(),
        }
    }
}

impl CalendarSettings {
    /// Checks what an administrator sent: open at least one weekday, a warning share within
    /// 1–99 %, no more own days than [`SPECIAL_DAYS_MAX`].
    pub fn check(&self) -> Result<(), BadHours> {
        if self.week.iter().all(Option::is_none) {
            return Err(BadHours::NeverOpen);
        }
        if !(1..=99).contains(&self.warn_percent) {
            return Err(BadHours::WarnPercent);
        }
        if self.special_days.len() > SPECIAL_DAYS_MAX {
            return Err(BadHours::TooManyDays);
        }
        Ok(())
    }

    pub fn calendar(&self) -> BusinessCalendar {
        BusinessCalendar {
            week: self.week,
            public_holidays: self.public_holidays,
            special: self
                .special_days
                .iter()
                .map(|d| (d.date, d.hours))
                .collect(),
        }
    }
}

/// Why a day is open or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DayRule {
    Weekday,
    Holiday(Holiday),
    Special,
}

/// When a unit is open: the rules of [`CalendarSettings`], ready to count with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    week: [Option<Hours>; 7],
    public_holidays: bool,
    special: BTreeMap<NaiveDate, Option<Hours>>,
}

/// Counting working time: how much lies between two instants, and when a duration of it
/// has passed. Both [`BusinessCalendar`] and its precomputed [`OpenTime`] do it; they agree.
pub trait WorkingTime {
    /// Open milliseconds in `[from, to)`; zero when `to` is not after `from`.
    fn between(&self, from: i64, to: i64) -> i64;
    /// The earliest instant `t ≥ from` with `between(from, t) == ms`: when `ms` of working
    /// time starting at `from` has passed. None if the calendar never opens again.
    fn add(&self, from: i64, ms: i64) -> Option<i64>;
}

impl BusinessCalendar {
    /// The hours on `date` and the rule that gave them.
    pub fn rule_on(&self, date: NaiveDate) -> (Option<Hours>, DayRule) {
        if let Some(h) = self.special.get(&date) {
            return (*h, DayRule::Special);
        }
        if self.public_holidays {
            if let Some(h) = holiday_on(date) {
                return (None, DayRule::Holiday(h));
            }
        }
        let weekday = date.weekday().num_days_from_monday() as usize;
        (self.week[weekday], DayRule::Weekday)
    }

    pub fn hours_on(&self, date: NaiveDate) -> Option<Hours> {
        self.rule_on(date).0
    }

    /// The open interval of `date` as instants, if it opens.
    pub fn interval(&self, date: NaiveDate) -> Option<(i64, i64)> {
        let h = self.hours_on(date)?;
        let at = |minutes: u16| {
            if minutes >= DAY_MINUTES {
                from_local(date.succ_opt().unwrap_or(date).and_time(NaiveTime::MIN))
            } else {
                from_local(
                    date.and_time(
                        NaiveTime::from_hms_opt(
                            u32::from(minutes / 60),
                            u32::from(minutes % 60),
                            0,
                        )
                        .expect("minutes of a day"),
                    ),
                )
            }
        };
        let (s, e) = (at(h.open), at(h.close));
        // An opening inside the spring gap lands after a closing at its end: no time then.
        (e > s).then_some((s, e))
    }

    /// Precomputes the open intervals of `from..=to` for fast counting (see [`OpenTime`]).
    pub fn open_time(&self, from: NaiveDate, to: NaiveDate) -> OpenTime {
        OpenTime::new(self.clone(), from, to)
    }
}

fn local_date(ms: i64) -> NaiveDate {
    to_local(ms).date()
}

impl WorkingTime for BusinessCalendar {
    fn between(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        let (mut day, last) = (local_date(from), local_date(to));
        let mut sum = 0;
        while day <= last {
            if let Some((s, e)) = self.interval(day) {
                sum += (e.min(to) - s.max(from)).max(0);
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        sum
    }

    fn add(&self, from: i64, ms: i64) -> Option<i64> {
        if ms <= 0 {
            return Some(from);
        }
        let mut left = ms;
        let mut day = local_date(from);
        for _ in 0..HORIZON_DAYS {
            if let Some((s, e)) = self.interval(day) {
                let start = s.max(from);
                if e > start {
                    if left <= e - start {
                        return Some(start + left);
                    }
                    left -= e - start;
                }
            }
            day = day.succ_opt()?;
        }
        None
    }
}

/// A calendar's open intervals over a span of days, with running sums, so counting is a
/// binary search instead of a walk over the days. Outside its span it asks the calendar.
/// Recomputing many cases' due times shares one per unit.
#[derive(Debug, Clone)]
pub struct OpenTime {
    calendar: BusinessCalendar,
    /// The span covered: `[lo, hi)`.
    lo: i64,
    hi: i64,
    /// Open intervals in order, and the open time before and after each.
    intervals: Vec<(i64, i64)>,
    before: Vec<i64>,
    after: Vec<i64>,
}

impl OpenTime {
    fn new(calendar: BusinessCalendar, from: NaiveDate, to: NaiveDate) -> Self {
        let midnight = |d: NaiveDate| from_local(d.and_time(NaiveTime::MIN));
        let to = to.max(from);
        let lo = midnight(from);
        let hi = midnight(to.succ_opt().unwrap_or(to));
        let days = (day_number(to) - day_number(from) + 1).max(0) as usize;
        let mut intervals = Vec::with_capacity(days);
        let mut before = Vec::with_capacity(days);
        let mut after = Vec::with_capacity(days);
        let mut sum = 0;
        let mut day = from;
        while day <= to {
            if let Some((s, e)) = calendar.interval(day) {
                intervals.push((s, e));
                before.push(sum);
                sum += e - s;
                after.push(sum);
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        OpenTime {
            calendar,
            lo,
            hi,
            intervals,
            before,
            after,
        }
    }

    fn covers(&self, t: i64) -> bool {
        (self.lo..=self.hi).contains(&t)
    }

    /// Open time in `[lo, t)`, for `t` within the span.
    fn open_before(&self, t: i64) -> i64 {
        // Intervals that start before t.
        let n = self.intervals.partition_point(|&(s, _)| s < t);
        if n == 0 {
            return 0;
        }
        let (s, e) = self.intervals[n - 1];
        self.before[n - 1] + e.min(t) - s
    }

    fn total(&self) -> i64 {
        self.after.last().copied().unwrap_or(0)
    }
}

impl WorkingTime for OpenTime {
    fn between(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        if self.covers(from) && self.covers(to) {
            self.open_before(to) - self.open_before(from)
        } else {
            self.calendar.between(from, to)
        }
    }

    fn add(&self, from: i64, ms: i64) -> Option<i64> {
        if ms <= 0 {
            return Some(from);
        }
        if !self.covers(from) {
            return self.calendar.add(from, ms);
        }
        let target = self.open_before(from) + ms;
        let total = self.total();
        if target > total {
            return self.calendar.add(self.hi, target - total);
        }
        // The first interval whose end reaches the target.
        let i = self
            .after
            .partition_point(|&a| a < target)
            .min(self.intervals.len().saturating_sub(1));
        let (s, _) = self.intervals[i];
        Some((s + (target - self.before[i])).max(from))
    }
}

#[cfg(test)]
mod tests;
