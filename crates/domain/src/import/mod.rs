//! Reading import files: UTF-8 CSV with a header row (comma or semicolon, decimal point or
//! comma) and SIE 4 ledger files. Parsing is pure; every error names its line and column,
//! and nothing is applied unless the whole file is valid.
//!
//! - [`csv_file`]: CSV records through the `csv` crate, and typed readings of their fields;
//! - [`sie`]: the SIE 4 reader, written here (no maintained crate reads SIE);
//! - this module: the kinds and their columns, periods, and the error type.

mod csv_file;
mod sie;

pub use csv_file::{read_csv, read_csv_with, Record};
pub(crate) use sie::CP437_HIGH;
pub use sie::{decode_sie, parse_sie, SieLedger, SieMonth};

use serde::Serialize;

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    pub line: usize,
    /// The column's name (or position) where that applies.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

pub(crate) fn err(line: usize, column: Option<&str>, message: impl Into<String>) -> ImportError {
    ImportError {
        line,
        column: column.map(str::to_string),
        message: message.into(),
    }
}

/// The import kinds and their columns.
pub const KINDS: &[(&str, &[&str])] = &[
    ("units", &["code", "name", "kind", "parent", "erp_code"]),
    ("budget", &["year", "unit", "revenue", "cost"]),
    ("forecast", &["year", "through", "unit", "revenue", "cost"]),
    (
        "investments",
        &[
            "year",
            "unit",
            "project",
            "frame",
            "spent",
            "income",
            "forecast_spent",
            "forecast_income",
        ],
    ),
    (
        "calls",
        &["call_id", "unit", "offered_at", "wait_seconds", "answered"],
    ),
    (
        "indicators",
        &["code", "unit", "name", "measure", "direction", "goal"],
    ),
    (
        "indicator_values",
        &["indicator", "unit", "period", "gender", "value", "target"],
    ),
    (
        "goals",
        &[
            "year",
            "unit",
            "area",
            "municipal_goal",
            "name",
            "description",
        ],
    ),
    (
        "staff",
        &["period", "unit", "gender", "metric", "value", "target"],
    ),
    (
        "assignments",
        &["year", "unit", "common", "text", "status", "comment"],
    ),
    (
        "controls",
        &[
            "year",
            "unit",
            "name",
            "risk",
            "method",
            "frequency",
            "owner",
        ],
    ),
    (
        "volumes",
        &["customer", "service", "day", "quantity", "reference"],
    ),
];

/// Columns a kind may have besides its required ones.
pub const OPTIONAL: &[(&str, &[&str])] = &[
    ("budget", &["note"]),
    (
        "indicators",
        &[
            "band_low",
            "band_high",
            "period_type",
            "kolada_id",
            "min_group_size",
            "computed_from",
        ],
    ),
];

pub fn optional_columns_of(kind: &str) -> &'static [&'static str] {
    OPTIONAL.iter().find(|k| k.0 == kind).map_or(&[], |k| k.1)
}

/// The measures an indicator can be computed from, as `measure:UNIT`.
pub const COMPUTED_MEASURES: &[&str] = &[
    "service_level",
    "abandon_rate",
    "satisfaction",
    "satisfied_share",
    "first_contact_resolution",
    "cases_per_week",
];

pub fn columns_of(kind: &str) -> Option<&'static [&'static str]> {
    KINDS.iter().find(|k| k.0 == kind).map(|k| k.1)
}

/// A period of a follow-up value: a year `2019`, a year to date `2019-08`, a week `2019-W35`
/// or a date `2019-08-31`.
pub fn valid_period(p: &str) -> bool {
    let b = p.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    match b.len() {
        4 => digits(0..4),
        7 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && (1..=12).contains(&(u32::from(b[5] - b'0') * 10 + u32::from(b[6] - b'0')))
        }
        // Bytes, not string slices: the eight bytes may end inside a multi-byte character.
        8 => digits(0..4) && b.get(4..6) == Some(b"-W") && digits(6..8),
        // chrono alone also reads `08-9- 08` (it skips spaces before a number): check the shape.
        10 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && b[7] == b'-'
                && digits(8..10)
                && chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").is_ok()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        for p in ["2019", "2019-08", "2019-12", "2019-W35", "2019-08-31"] {
            assert!(valid_period(p), "{p}");
        }
        for p in [
            "201",
            "2019-13",
            "2019-00",
            "2019-W3",
            "2019-02-30",
            "2019/08",
            "abcd",
        ] {
            assert!(!valid_period(p), "{p}");
        }
        // Found by fuzzing: eight bytes ending inside a character panicked on slicing.
        assert!(!valid_period("2019/\u{2028}"));
        assert!(!valid_period("2019aéb"));
        assert!(!valid_period("08-9-\u{2028}08"));
        assert!(!valid_period("2019-8- 31"));
    }
}
