//! Which report is asked for: an administration, a year and a date, read from text as a page
//! form, a query string or the command line gives them; and the date to offer when none is.

use chrono::{Datelike, NaiveDate};

/// Reads a date written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::time::parse_day(s).ok_or_else(|| format!("date {s:?} must be written YYYY-MM-DD"))
}

/// The administration, year and date of an interim report, checked: the date is a real date
/// inside the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportParams {
    /// The administration's code, e.g. `VSS`.
    pub org: String,
    pub year: i32,
    pub through: NaiveDate,
}

impl ReportParams {
    /// Reads the three parameters; the message names what is missing or wrong.
    pub fn parse(
        org: Option<&str>,
        year: Option<&str>,
        through: Option<&str>,
    ) -> Result<ReportParams, String> {
        let org = org
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or("org is required")?;
        // An administration is named by its unit code; anything else names none.
        let org = crate::org::UnitCode::parse(org)
            .map_err(|_| format!("org {org:?} is not a unit code (A–Z, 0–9, '-', '_')"))?;
        let org = org.as_str();
        let year = year
            .ok_or("year is required")?
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or("year must be a year such as 2019")?;
        let text = through
            .map(str::trim)
            .ok_or("through is required (YYYY-MM-DD)")?;
        let date = parse_date(text)?;
        if date.year() != year {
            return Err(format!("through {text} is not in {year}"));
        }
        Ok(ReportParams {
            org: org.to_string(),
            year,
            through: date,
        })
    }

    /// The date as `YYYY-MM-DD`, the way it is stored and shown.
    pub fn through_text(&self) -> String {
        self.through.format("%Y-%m-%d").to_string()
    }

    /// `org=VSS&year=2019&through=2019-08-31`, for links to the same report.
    pub fn query(&self) -> String {
        format!(
            "org={}&year={}&through={}",
            self.org,
            self.year,
            self.through_text()
        )
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// The report date to offer when none is asked for: the last day of the latest month with
/// booked outcome (`latest_booked` = year and month), or — when nothing is booked — the last
/// day of the month before `today`.
pub fn default_through(latest_booked: Option<(i32, u32)>, today: NaiveDate) -> NaiveDate {
    latest_booked
        .and_then(|(y, m)| last_day_of_month(y, m))
        .unwrap_or_else(|| {
            today
                .with_day(1)
                .and_then(|d| d.pred_opt())
                .unwrap_or(today)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn parameters_are_checked_and_named() {
        let p = ReportParams::parse(Some(" VSS "), Some("2019"), Some("2019-08-31")).unwrap();
        assert_eq!(
            (p.org.as_str(), p.year, p.through_text()),
            ("VSS", 2019, "2019-08-31".to_string())
        );
        assert_eq!(p.query(), "org=VSS&year=2019&through=2019-08-31");
        let err = |o, y, t| ReportParams::parse(o, y, t).unwrap_err();
        assert!(err(None, Some("2019"), Some("2019-08-31")).contains("org"));
        assert!(err(Some("V\u{0}SS"), Some("2019"), Some("2019-08-31")).contains("unit code"));
        assert!(err(Some("VSS"), Some("twenty"), Some("2019-08-31")).contains("year"));
        assert!(err(Some("VSS"), Some("1999"), Some("1999-08-31")).contains("year"));
        assert!(err(Some("VSS"), Some("2019"), None).contains("through"));
        assert!(err(Some("VSS"), Some("2019"), Some("2019-02-30")).contains("YYYY-MM-DD"));
        assert!(err(Some("VSS"), Some("2019"), Some("2018-08-31")).contains("not in 2019"));
        // A date written without leading zeros is the same date, written one way.
        let p = ReportParams::parse(Some("VSS"), Some("2019"), Some("2019-8-31")).unwrap();
        assert_eq!(p.through_text(), "2019-08-31");
    }

    #[test]
    fn the_default_date_is_the_end_of_the_last_booked_month() {
        let today = d("2026-03-15");
        assert_eq!(default_through(Some((2019, 8)), today), d("2019-08-31"));
        assert_eq!(default_through(Some((2019, 12)), today), d("2019-12-31"));
        assert_eq!(default_through(Some((2020, 2)), today), d("2020-02-29"));
        assert_eq!(default_through(None, today), d("2026-02-28"));
        assert_eq!(default_through(None, d("2026-01-01")), d("2025-12-31"));
        assert_eq!(default_through(Some((2019, 13)), today), d("2026-02-28"));
    }
}
