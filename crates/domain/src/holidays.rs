//! Swedish public holidays, computed for any year (lag (1989:253) om allmänna helgdagar), and
//! the three eves most municipal agreements treat as days off.
//!
//! Easter is computed with the anonymous Gregorian algorithm (Meeus/Jones/Butcher); the
//! moveable days hang on it. Midsommardagen is the Saturday between 20 and 26 June and alla
//! helgons dag the Saturday between 31 October and 6 November (since 1953; before that they
//! were 24 June and 1 November). Nationaldagen has been a holiday since 2005, when annandag
//! pingst stopped being one.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

/// A day on which Swedish public offices are closed: a public holiday, or one of the eves
/// (midsommarafton, julafton, nyårsafton) that agreements make days off.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    Nyarsdagen,
    TrettondedagJul,
    Langfredagen,
    Paskdagen,
    AnnandagPask,
    ForstaMaj,
    KristiHimmelsfardsdag,
    Pingstdagen,
    AnnandagPingst,
    Nationaldagen,
    Midsommarafton,
    Midsommardagen,
    AllaHelgonsDag,
    Julafton,
    Juldagen,
    AnnandagJul,
    Nyarsafton,
}

impl Holiday {
    /// The Swedish name, as on a calendar.
    pub fn name_sv(self) -> &'static str {
        match self {
            Holiday::Nyarsdagen => "Nyårsdagen",
            Holiday::TrettondedagJul => "Trettondedag jul",
            Holiday::Langfredagen => "Långfredagen",
            Holiday::Paskdagen => "Påskdagen",
            Holiday::AnnandagPask => "Annandag påsk",
            Holiday::ForstaMaj => "Första maj",
            Holiday::KristiHimmelsfardsdag => "Kristi himmelsfärdsdag",
            Holiday::Pingstdagen => "Pingstdagen",
            Holiday::AnnandagPingst => "Annandag pingst",
            Holiday::Nationaldagen => "Sveriges nationaldag",
            Holiday::Midsommarafton => "Midsommarafton",
            Holiday::Midsommardagen => "Midsommardagen",
            Holiday::AllaHelgonsDag => "Alla helgons dag",
            Holiday::Julafton => "Julafton",
            Holiday::Juldagen => "Juldagen",
            Holiday::AnnandagJul => "Annandag jul",
            Holiday::Nyarsafton => "Nyårsafton",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Holiday::Nyarsdagen => "New Year's Day",
            Holiday::TrettondedagJul => "Epiphany",
            Holiday::Langfredagen => "Good Friday",
            Holiday::Paskdagen => "Easter Sunday",
            Holiday::AnnandagPask => "Easter Monday",
            Holiday::ForstaMaj => "May Day",
            Holiday::KristiHimmelsfardsdag => "Ascension Day",
            Holiday::Pingstdagen => "Whit Sunday",
            Holiday::AnnandagPingst => "Whit Monday",
            Holiday::Nationaldagen => "National Day of Sweden",
            Holiday::Midsommarafton => "Midsummer Eve",
            Holiday::Midsommardagen => "Midsummer Day",
            Holiday::AllaHelgonsDag => "All Saints' Day",
            Holiday::Julafton => "Christmas Eve",
            Holiday::Juldagen => "Christmas Day",
            Holiday::AnnandagJul => "Boxing Day",
            Holiday::Nyarsafton => "New Year's Eve",
        }
    }

    /// An eve that agreements make a day off, rather than a holiday by law.
    pub fn is_eve(self) -> bool {
        matches!(
            self,
            Holiday::Midsommarafton | Holiday::Julafton | Holiday::Nyarsafton
        )
    }
}

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is in March or April")
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a fixed holiday exists every year")
}

/// The first `weekday` on or after `from`.
fn weekday_from(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + chrono::Days::new(u64::from(ahead))
}

/// Midsommardagen: the Saturday between 20 and 26 June (24 June before 1953).
pub fn midsommardagen(year: i32) -> NaiveDate {
    if year < 1953 {
        ymd(year, 6, 24)
    } else {
        weekday_from(ymd(year, 6, 20), Weekday::Sat)
    }
}

/// Alla helgons dag: the Saturday between 31 October and 6 November (1 November before 1953).
pub fn alla_helgons_dag(year: i32) -> NaiveDate {
    if year < 1953 {
        ymd(year, 11, 1)
    } else {
        weekday_from(ymd(year, 10, 31), Weekday::Sat)
    }
}

/// Every holiday and day-off eve of `year`, in date order.
pub fn holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let easter = easter_sunday(year);
    let from_easter = |days: i64| easter + chrono::Duration::days(days);
    let midsommar = midsommardagen(year);
    // Fixed dates first: where a moveable feast falls on one (Kristi himmelsfärdsdag on
    // första maj in 2008, pingstdagen on nationaldagen), the day keeps the fixed name.
    let mut out = vec![
        (ymd(year, 1, 1), Holiday::Nyarsdagen),
        (ymd(year, 1, 6), Holiday::TrettondedagJul),
        (ymd(year, 5, 1), Holiday::ForstaMaj),
    ];
    if year >= 2005 {
        out.push((ymd(year, 6, 6), Holiday::Nationaldagen));
    }
    out.extend([
        (ymd(year, 12, 24), Holiday::Julafton),
        (ymd(year, 12, 25), Holiday::Juldagen),
        (ymd(year, 12, 26), Holiday::AnnandagJul),
        (ymd(year, 12, 31), Holiday::Nyarsafton),
        (from_easter(-2), Holiday::Langfredagen),
        (easter, Holiday::Paskdagen),
        (from_easter(1), Holiday::AnnandagPask),
        (from_easter(39), Holiday::KristiHimmelsfardsdag),
        (from_easter(49), Holiday::Pingstdagen),
        (midsommar - chrono::Days::new(1), Holiday::Midsommarafton),
        (midsommar, Holiday::Midsommardagen),
        (alla_helgons_dag(year), Holiday::AllaHelgonsDag),
    ]);
    if year < 2005 {
        out.push((from_easter(50), Holiday::AnnandagPingst));
    }
    // A stable sort keeps the fixed name first on a shared day.
    out.sort_by_key(|(d, _)| *d);
    out.dedup_by_key(|(d, _)| *d);
    out
}

/// The holiday (or day-off eve) on `date`, if any. Cheap: no list is built.
pub fn holiday_on(date: NaiveDate) -> Option<Holiday> {
    let (year, month, day) = (date.year(), date.month(), date.day());
    let fixed = match (month, day) {
        (1, 1) => Some(Holiday::Nyarsdagen),
        (1, 6) => Some(Holiday::TrettondedagJul),
        (5, 1) => Some(Holiday::ForstaMaj),
        (6, 6) if year >= 2005 => Some(Holiday::Nationaldagen),
        (12, 24) => Some(Holiday::Julafton),
        (12, 25) => Some(Holiday::Juldagen),
        (12, 26) => Some(Holiday::AnnandagJul),
        (12, 31) => Some(Holiday::Nyarsafton),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    match month {
        // The moveable feasts: Långfredagen (20 March at the earliest) to annandag pingst
        // (14 June at the latest).
        3..=6 => {
            let easter = easter_sunday(year);
            let moveable = match (date - easter).num_days() {
                -2 => Some(Holiday::Langfredagen),
                0 => Some(Holiday::Paskdagen),
                1 => Some(Holiday::AnnandagPask),
                39 => Some(Holiday::KristiHimmelsfardsdag),
                49 => Some(Holiday::Pingstdagen),
                50 if year < 2005 => Some(Holiday::AnnandagPingst),
                _ => None,
            };
            if moveable.is_some() || month != 6 {
                return moveable;
            }
            let midsommar = midsommardagen(year);
            if date == midsommar {
                Some(Holiday::Midsommardagen)
            } else if date + chrono::Days::new(1) == midsommar {
                Some(Holiday::Midsommarafton)
            } else {
                None
            }
        }
        10 | 11 if date == alla_helgons_dag(year) => Some(Holiday::AllaHelgonsDag),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Easter by Gauss's method with its two exceptions: a different algorithm from the one
    /// the code uses, so the two check each other.
    fn gauss_easter(year: i32) -> NaiveDate {
        let a = year % 19;
        let b = year % 4;
        let c = year % 7;
        let k = year / 100;
        let p = (13 + 8 * k) / 25;
        let q = k / 4;
        let m = (15 - p + k - q) % 30;
        let n = (4 + k - q) % 7;
        let dd = (19 * a + m) % 30;
        let e = (2 * b + 4 * c + 6 * dd + n) % 7;
        let mut day = 22 + dd + e; // days after 1 March - 1, i.e. a March date
        if dd == 29 && e == 6 {
            day = 50; // 19 April
        } else if dd == 28 && e == 6 && (11 * m + 11) % 30 < 19 {
            day = 49; // 18 April
        }
        if day > 31 {
            NaiveDate::from_ymd_opt(year, 4, (day - 31) as u32).unwrap()
        } else {
            NaiveDate::from_ymd_opt(year, 3, day as u32).unwrap()
        }
    }

    #[test]
    fn easter_matches_gauss_for_1900_to_2100() {
        for year in 1900..=2100 {
            assert_eq!(easter_sunday(year), gauss_easter(year), "{year}");
            assert_eq!(easter_sunday(year).weekday(), Weekday::Sun, "{year}");
        }
    }

    #[test]
    fn easter_matches_a_published_list() {
        // Dates as printed in almanacs; the exceptions of Gauss's rule are among them
        // (1954 and 1981: 18 and 19 April).
        for (year, date) in [
            (1900, "1900-04-15"),
            (1913, "1913-03-23"),
            (1943, "1943-04-25"),
            (1954, "1954-04-18"),
            (1981, "1981-04-19"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2038, "2038-04-25"),
            (2049, "2049-04-18"),
            (2076, "2076-04-19"),
            (2100, "2100-03-28"),
        ] {
            assert_eq!(easter_sunday(year), d(date), "{year}");
        }
    }

    #[test]
    fn the_holidays_of_2026() {
        let names: Vec<(String, &str)> = holidays(2026)
            .into_iter()
            .map(|(d, h)| (d.to_string(), h.name_sv()))
            .collect();
        let expected = [
            ("2026-01-01", "Nyårsdagen"),
            ("2026-01-06", "Trettondedag jul"),
            ("2026-04-03", "Långfredagen"),
            ("2026-04-05", "Påskdagen"),
            ("2026-04-06", "Annandag påsk"),
            ("2026-05-01", "Första maj"),
            ("2026-05-14", "Kristi himmelsfärdsdag"),
            ("2026-05-24", "Pingstdagen"),
            ("2026-06-06", "Sveriges nationaldag"),
            ("2026-06-19", "Midsommarafton"),
            ("2026-06-20", "Midsommardagen"),
            ("2026-10-31", "Alla helgons dag"),
            ("2026-12-24", "Julafton"),
            ("2026-12-25", "Juldagen"),
            ("2026-12-26", "Annandag jul"),
            ("2026-12-31", "Nyårsafton"),
        ];
        assert_eq!(
            names,
            expected
                .iter()
                .map(|(d, n)| (d.to_string(), *n))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn midsommar_and_alla_helgon_move_with_the_weekdays() {
        for year in 1953..=2100 {
            let m = midsommardagen(year);
            assert_eq!(m.weekday(), Weekday::Sat);
            assert!(m >= ymd(year, 6, 20) && m <= ymd(year, 6, 26), "{m}");
            let eve = m - chrono::Days::new(1);
            assert!(eve >= ymd(year, 6, 19) && eve <= ymd(year, 6, 25), "{eve}");
            let a = alla_helgons_dag(year);
            assert_eq!(a.weekday(), Weekday::Sat);
            assert!(a >= ymd(year, 10, 31) && a <= ymd(year, 11, 6), "{a}");
        }
        assert_eq!(midsommardagen(2019), d("2019-06-22"));
        assert_eq!(midsommardagen(2026), d("2026-06-20"));
        assert_eq!(alla_helgons_dag(2019), d("2019-11-02"));
        assert_eq!(midsommardagen(1950), d("1950-06-24"));
    }

    #[test]
    fn the_quick_lookup_agrees_with_the_list_every_day() {
        for year in [1990, 2004, 2005, 2008, 2019, 2026, 2038, 2049, 2100] {
            let list = holidays(year);
            let mut day = ymd(year, 1, 1);
            while day.year() == year {
                let listed = list.iter().find(|(d, _)| *d == day).map(|(_, h)| *h);
                assert_eq!(holiday_on(day), listed, "{day}");
                day = day.succ_opt().unwrap();
            }
        }
        assert_eq!(holiday_on(d("2004-05-31")), Some(Holiday::AnnandagPingst));
        // Shared days keep the fixed name: Kristi himmelsfärdsdag on första maj (2008),
        // pingstdagen on nationaldagen (2049).
        assert_eq!(holiday_on(d("2008-05-01")), Some(Holiday::ForstaMaj));
        assert_eq!(holiday_on(d("2049-06-06")), Some(Holiday::Nationaldagen));
        assert_eq!(holiday_on(d("2004-06-06")), None);
        assert!(Holiday::Julafton.is_eve() && !Holiday::Juldagen.is_eve());
    }
}
