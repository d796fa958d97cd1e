//! Corrections of locked charge lines: the input checked, and the lines a later run charges
//! for it — the reversal of the line and, when the new quantity is above zero, a new line at
//! the line's own price. A locked line itself never changes.

use chrono::NaiveDate;

use super::money::{amount_ore, Milli};
use super::run::{reversal, ChargeLine, Source, Volume};

/// The longest reason kept.
pub const REASON_MAX: usize = 500;

/// What is wrong with a correction's input, by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionProblem {
    QuantityMissing,
    QuantityNotANumber,
    QuantityNegative,
    QuantityUnchanged,
    ReasonMissing,
    ReasonTooLong,
}

impl CorrectionProblem {
    /// The form field it belongs to.
    pub fn field(self) -> &'static str {
        match self {
            CorrectionProblem::ReasonMissing | CorrectionProblem::ReasonTooLong => "reason",
            _ => "quantity",
        }
    }

    /// (Swedish, English).
    pub fn message(self) -> (&'static str, &'static str) {
        match self {
            CorrectionProblem::QuantityMissing => (
                "Skriv det nya antalet (0 makulerar raden).",
                "Enter the new quantity (0 cancels the line).",
            ),
            CorrectionProblem::QuantityNotANumber => (
                "Skriv ett tal med högst tre decimaler, t.ex. 2 eller 1,5.",
                "Enter a number with at most three decimals, e.g. 2 or 1.5.",
            ),
            CorrectionProblem::QuantityNegative => (
                "Antalet kan inte vara negativt; 0 makulerar raden.",
                "The quantity cannot be negative; 0 cancels the line.",
            ),
            CorrectionProblem::QuantityUnchanged => (
                "Det nya antalet är detsamma som radens; det finns inget att rätta.",
                "The new quantity is the line's own; there is nothing to correct.",
            ),
            CorrectionProblem::ReasonMissing => (
                "Skriv varför raden rättas.",
                "Say why the line is corrected.",
            ),
            CorrectionProblem::ReasonTooLong => (
                "Skälet får vara högst 500 tecken.",
                "The reason may be at most 500 characters.",
            ),
        }
    }
}

/// Checks a correction of a line of quantity `old`: the new quantity (zero or more, not the
/// old one) and a reason. Every problem is returned, so each field can show its own.
pub fn check_correction(
    old: Milli,
    quantity: &str,
    reason: &str,
) -> Result<(Milli, String), Vec<CorrectionProblem>> {
    let mut problems = Vec::new();
    let q = quantity.trim();
    let parsed = if q.is_empty() {
        problems.push(CorrectionProblem::QuantityMissing);
        None
    } else {
        match Milli::parse(q) {
            None => {
                problems.push(CorrectionProblem::QuantityNotANumber);
                None
            }
            Some(m) if m.0 < 0 => {
                problems.push(CorrectionProblem::QuantityNegative);
                None
            }
            Some(m) if m == old => {
                problems.push(CorrectionProblem::QuantityUnchanged);
                None
            }
            Some(m) => Some(m),
        }
    };
    let reason = reason.trim();
    if reason.is_empty() {
        problems.push(CorrectionProblem::ReasonMissing);
    } else if reason.chars().count() > REASON_MAX {
        problems.push(CorrectionProblem::ReasonTooLong);
    }
    match parsed {
        Some(m) if problems.is_empty() => Ok((m, reason.to_string())),
        _ => Err(problems),
    }
}

/// The lines a run charges for the correction of line `line_id` to `quantity`, dated `day`:
/// the reversal, and a new line at the line's price when the new quantity is above zero. Their
/// sum is what the line should have been less what it was.
pub fn correction_lines(
    line_id: i64,
    line: &ChargeLine,
    quantity: Milli,
    day: NaiveDate,
) -> Vec<ChargeLine> {
    let mut out = vec![reversal(line_id, line, day)];
    if quantity.0 > 0 {
        out.push(ChargeLine {
            volume: Volume {
                source: Source::Correction(line_id),
                day,
                quantity,
                ..line.volume.clone()
            },
            price_ore: line.price_ore,
            amount_ore: amount_ore(quantity, line.price_ore),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(q: Milli, price: i64) -> ChargeLine {
        ChargeLine {
            volume: Volume {
                source: Source::Time(5),
                provider: "LKDATA".into(),
                customer: "UF".into(),
                service: "LK-ANDRING".into(),
                day: crate::time::parse_day("2019-08-12").unwrap(),
                quantity: q,
            },
            price_ore: price,
            amount_ore: amount_ore(q, price),
        }
    }

    #[test]
    fn a_correction_reverses_the_line_and_charges_the_new_quantity_at_its_price() {
        let l = line(Milli(2500), 95_050);
        let day = crate::time::parse_day("2019-09-30").unwrap();
        let out = correction_lines(9, &l, Milli(1500), day);
        assert_eq!(out.len(), 2);
        assert!(out
            .iter()
            .all(|c| c.volume.source == Source::Correction(9) && c.volume.day == day));
        assert_eq!(out[0].amount_ore, -l.amount_ore);
        assert_eq!(out[1].price_ore, 95_050);
        assert_eq!(
            out.iter().map(|c| c.amount_ore).sum::<i64>() + l.amount_ore,
            amount_ore(Milli(1500), 95_050)
        );
        // Zero cancels: the reversal alone.
        let cancel = correction_lines(9, &l, Milli(0), day);
        assert_eq!(cancel.len(), 1);
        assert_eq!(cancel[0].amount_ore + l.amount_ore, 0);
    }

    #[test]
    fn bad_input_names_each_field() {
        use CorrectionProblem::*;
        let one = Milli::ONE;
        assert_eq!(
            check_correction(one, "0", " fel kund "),
            Ok((Milli(0), "fel kund".into()))
        );
        assert_eq!(
            check_correction(one, "2,5", "x"),
            Ok((Milli(2500), "x".into()))
        );
        assert_eq!(
            check_correction(one, "", ""),
            Err(vec![QuantityMissing, ReasonMissing])
        );
        assert_eq!(
            check_correction(one, "två", "x"),
            Err(vec![QuantityNotANumber])
        );
        assert_eq!(
            check_correction(one, "-1", "x"),
            Err(vec![QuantityNegative])
        );
        assert_eq!(
            check_correction(one, "1,000", "x"),
            Err(vec![QuantityUnchanged])
        );
        assert_eq!(
            check_correction(one, "2", &"x".repeat(501)),
            Err(vec![ReasonTooLong])
        );
        assert_eq!(ReasonMissing.field(), "reason");
        assert_eq!(QuantityUnchanged.field(), "quantity");
    }
}
