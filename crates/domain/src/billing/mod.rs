//! The business model's pure core: money in öre, price lists with validity, volumes priced
//! into charge lines, the preview of a billing run, corrections, and the SIE 4I writer.

pub mod correction;
pub mod hours;
pub mod money;
pub mod price_draft;
pub mod price_list;
pub mod result;
pub mod run;
pub mod sie_out;
pub mod simulator;
pub mod subscription;

/// The calendar day of volumes and entries, for the layers above that do not use chrono.
pub use chrono::NaiveDate;

/// The month before `day`'s, `YYYY-MM`: the month a billing run is usually made for.
pub fn previous_month(day: chrono::NaiveDate) -> String {
    day.checked_sub_months(chrono::Months::new(1))
        .unwrap_or(day)
        .format("%Y-%m")
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_previous_month_crosses_the_year() {
        let d = |s| crate::time::parse_day(s).unwrap();
        assert_eq!(super::previous_month(d("2026-01-15")), "2025-12");
        assert_eq!(super::previous_month(d("2026-03-31")), "2026-02");
    }
}
