//! Time recorded on a case, as a person types it: `1:30` (hours and minutes), `1,5` or `1.5`
//! (hours), `90 min` (minutes). Kept as hours in thousandths (`Milli`); an entry is more than
//! nothing and at most a day, and a person's entries of one day add up to at most 24 hours.

use super::money::Milli;

/// The most a person can record on one day, every case together.
pub const DAY_MAX: Milli = Milli(24_000);

/// Time one person recorded on a case on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeEntry {
    pub id: i64,
    pub case_id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub day: chrono::NaiveDate,
    pub hours: Milli,
    pub note: String,
    /// Charged in a locked billing run: it never changes again.
    pub charged: bool,
}

/// Why the hours typed cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursProblem {
    Empty,
    /// Neither `1:30`, `1,5` nor `90 min`.
    Unreadable,
    /// Zero or less.
    NotPositive,
    /// More than 24 hours in one entry.
    OverADay,
    /// The person's entries of the day would add up to more than 24 hours.
    DayFull {
        /// What is left of the day.
        left: Milli,
    },
}

impl HoursProblem {
    pub fn swedish(self) -> String {
        match self {
            HoursProblem::Empty => "Skriv tiden, t.ex. 1:30, 1,5 eller 90 min.".into(),
            HoursProblem::Unreadable => {
                "Skriv tiden som timmar och minuter (1:30), timmar (1,5) eller minuter (90 min)."
                    .into()
            }
            HoursProblem::NotPositive => "Tiden måste vara mer än noll.".into(),
            HoursProblem::OverADay => "En post kan vara högst 24 timmar.".into(),
            HoursProblem::DayFull { left } => format!(
                "Dagen blir längre än 24 timmar; det finns {} h kvar att registrera.",
                left.to_swedish()
            ),
        }
    }
}

impl std::fmt::Display for HoursProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HoursProblem::Empty => write!(f, "hours are required, e.g. 1:30, 1.5 or 90 min"),
            HoursProblem::Unreadable => write!(
                f,
                "write the time as hours and minutes (1:30), hours (1.5) or minutes (90 min)"
            ),
            HoursProblem::NotPositive => write!(f, "the time must be more than zero"),
            HoursProblem::OverADay => write!(f, "an entry can be at most 24 hours"),
            HoursProblem::DayFull { left } => write!(
                f,
                "the day would exceed 24 hours; {} h are left to record",
                left.0 as f64 / 1000.0
            ),
        }
    }
}

/// Reads the hours of one entry: `1:30`, `1,5`, `1.5`, `2`, `90 min`, `90min`, `45 m`.
pub fn parse_hours(s: &str) -> Result<Milli, HoursProblem> {
    let s = s.trim().to_lowercase();
    if s.is_empty() {
        return Err(HoursProblem::Empty);
    }
    let digits = |p: &str| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit());
    let hours = if let Some(m) = s
        .strip_suffix("minuter")
        .or_else(|| s.strip_suffix("min"))
        .or_else(|| s.strip_suffix('m'))
    {
        let m = m.trim();
        if !digits(m) {
            return Err(HoursProblem::Unreadable);
        }
        Milli::hours_from_minutes(m.parse().map_err(|_| HoursProblem::Unreadable)?)
    } else if let Some((h, m)) = s.split_once(':') {
        let (h, m) = (h.trim(), m.trim());
        if !digits(h) || m.len() != 2 || !digits(m) {
            return Err(HoursProblem::Unreadable);
        }
        let (h, m): (i64, i64) = (
            h.parse().map_err(|_| HoursProblem::Unreadable)?,
            m.parse().map_err(|_| HoursProblem::Unreadable)?,
        );
        if m >= 60 {
            return Err(HoursProblem::Unreadable);
        }
        Milli::hours_from_minutes(h * 60 + m)
    } else {
        let h = s.strip_suffix('h').unwrap_or(&s).trim();
        if h.starts_with('-') {
            return Err(HoursProblem::NotPositive);
        }
        Milli::parse(h).ok_or(HoursProblem::Unreadable)?
    };
    check_entry(hours)
}

/// One entry is more than nothing and at most a day.
pub fn check_entry(hours: Milli) -> Result<Milli, HoursProblem> {
    if hours.0 <= 0 {
        Err(HoursProblem::NotPositive)
    } else if hours > DAY_MAX {
        Err(HoursProblem::OverADay)
    } else {
        Ok(hours)
    }
}

/// A person's day: `others` (their other entries of the day) and this one together at most
/// 24 hours.
pub fn check_day(others: Milli, hours: Milli) -> Result<(), HoursProblem> {
    if others.0 + hours.0 > DAY_MAX.0 {
        Err(HoursProblem::DayFull {
            left: Milli((DAY_MAX.0 - others.0).max(0)),
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_as_people_write_them() {
        for (typed, milli) in [
            ("1:30", 1500),
            ("0:20", 333),
            ("1,5", 1500),
            ("1.25", 1250),
            ("2", 2000),
            ("2 h", 2000),
            ("90 min", 1500),
            ("90min", 1500),
            ("45 m", 750),
            ("40 minuter", 667),
            (" 24:00 ", 24_000),
            ("0,001", 1),
        ] {
            assert_eq!(parse_hours(typed), Ok(Milli(milli)), "{typed}");
        }
    }

    #[test]
    fn bad_hours_say_why() {
        assert_eq!(parse_hours(""), Err(HoursProblem::Empty));
        assert_eq!(parse_hours("   "), Err(HoursProblem::Empty));
        for bad in [
            "abc", "1:5", "1:75", "1,2345", "1:30:00", "min", "1h30", "x min",
        ] {
            assert_eq!(parse_hours(bad), Err(HoursProblem::Unreadable), "{bad}");
        }
        assert_eq!(parse_hours("0"), Err(HoursProblem::NotPositive));
        assert_eq!(parse_hours("0:00"), Err(HoursProblem::NotPositive));
        assert_eq!(parse_hours("-1"), Err(HoursProblem::NotPositive));
        assert_eq!(parse_hours("0 min"), Err(HoursProblem::NotPositive));
        assert_eq!(parse_hours("24,5"), Err(HoursProblem::OverADay));
        assert_eq!(parse_hours("1441 min"), Err(HoursProblem::OverADay));
        assert_eq!(parse_hours("25:00"), Err(HoursProblem::OverADay));
    }

    #[test]
    fn a_day_holds_at_most_24_hours() {
        assert_eq!(check_day(Milli(20_000), Milli(4_000)), Ok(()));
        assert_eq!(
            check_day(Milli(20_000), Milli(4_500)),
            Err(HoursProblem::DayFull { left: Milli(4_000) })
        );
        assert!(HoursProblem::DayFull { left: Milli(4_000) }
            .swedish()
            .contains("4 h kvar"));
    }
}
