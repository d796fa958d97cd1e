//! Money in öre, never a float. A charge line's amount is its quantity times its price,
//! rounded once, half away from zero, to whole öre.
//!
//! Quantities are kept in thousandths (`Milli`): cases and subscriptions are whole numbers
//! (`1` = 1 000), time is hours with three decimals (90 minutes = 1 500), and an imported
//! volume may carry up to three decimals.

/// A quantity in thousandths of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Milli(pub i64);

impl Milli {
    pub const ONE: Milli = Milli(1000);

    pub fn whole(n: i64) -> Milli {
        Milli(n * 1000)
    }

    /// Minutes as hours: 90 minutes = 1,5 h = `Milli(1500)`, rounded half away from zero to
    /// a thousandth of an hour.
    pub fn hours_from_minutes(minutes: i64) -> Milli {
        Milli(div_round_half_away(i128::from(minutes) * 1000, 60) as i64)
    }

    /// Reads a quantity as a person or a file writes it: `3`, `1,5`, `1.25`, `-2` (a
    /// correction), at most three decimals.
    pub fn parse(s: &str) -> Option<Milli> {
        let s: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let (neg, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, s),
        };
        let (whole, frac) = match s.split_once([',', '.']) {
            Some((w, f)) => (w.to_string(), f.to_string()),
            None => (s.clone(), String::new()),
        };
        if whole.is_empty()
            || whole.len() > 12
            || frac.len() > 3
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let w: i64 = whole.parse().ok()?;
        let f: i64 = format!("{frac:0<3}").parse().ok()?;
        let v = w * 1000 + f;
        Some(Milli(if neg { -v } else { v }))
    }

    /// `1,5`, `3`, `0,125`: Swedish, without trailing zeros.
    pub fn to_swedish(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (w, f) = (a / 1000, a % 1000);
        // Digit groups as every Swedish number (`109 441,841`); `w` < 2^63 / 1000 fits.
        let w = crate::format::int(w as i64);
        if f == 0 {
            format!("{sign}{w}")
        } else {
            let frac = format!("{f:03}");
            format!("{sign}{w},{}", frac.trim_end_matches('0'))
        }
    }
}

/// `n / d` rounded half away from zero (`d` > 0).
pub fn div_round_half_away(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0);
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// The amount of a charge line in öre: `quantity × price`, rounded once, half away from zero.
pub fn amount_ore(quantity: Milli, price_ore: i64) -> i64 {
    div_round_half_away(i128::from(quantity.0) * i128::from(price_ore), 1000) as i64
}

/// Öre as an SIE amount: kronor with two decimals and a point, `-1234.50`.
pub fn sie_amount(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let a = ore.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_once_and_half_away_from_zero() {
        // 1,5 h at 333,33 kr = 499,995 kr → 500,00 kr
        assert_eq!(amount_ore(Milli(1500), 33_333), 50_000);
        // 0,001 × 0,05 kr rounds to nothing; 0,010 × 0,50 kr is half an öre → 1 öre.
        assert_eq!(amount_ore(Milli(1), 5), 0);
        assert_eq!(amount_ore(Milli(10), 50), 1);
        // A correction is the mirror image.
        assert_eq!(amount_ore(Milli(-10), 50), -1);
        assert_eq!(amount_ore(Milli(-1500), 33_333), -50_000);
        assert_eq!(amount_ore(Milli::whole(3), 125_000), 375_000);
    }

    #[test]
    fn minutes_become_hours_in_thousandths() {
        assert_eq!(Milli::hours_from_minutes(90), Milli(1500));
        assert_eq!(Milli::hours_from_minutes(20), Milli(333));
        assert_eq!(Milli::hours_from_minutes(40), Milli(667));
        assert_eq!(Milli::hours_from_minutes(-40), Milli(-667));
    }

    #[test]
    fn quantities_read_as_written() {
        assert_eq!(Milli::parse("3"), Some(Milli(3000)));
        assert_eq!(Milli::parse("1,5"), Some(Milli(1500)));
        assert_eq!(Milli::parse("1.25"), Some(Milli(1250)));
        assert_eq!(Milli::parse("1 000"), Some(Milli(1_000_000)));
        assert_eq!(Milli::parse("-2"), Some(Milli(-2000)));
        for bad in ["", "1,2345", "abc", "1,5,5", "--1", ",5", "1e3"] {
            assert_eq!(Milli::parse(bad), None, "{bad}");
        }
        assert_eq!(Milli(1500).to_swedish(), "1,5");
        assert_eq!(Milli(-125).to_swedish(), "-0,125");
        assert_eq!(Milli(3000).to_swedish(), "3");
        assert_eq!(Milli(109_441_841).to_swedish(), "109\u{a0}441,841");
        assert_eq!(
            Milli::parse(&Milli(109_441_841).to_swedish()),
            Some(Milli(109_441_841))
        );
    }

    #[test]
    fn sie_amounts_have_a_point_and_two_decimals() {
        assert_eq!(sie_amount(123_450), "1234.50");
        assert_eq!(sie_amount(-5), "-0.05");
        assert_eq!(sie_amount(0), "0.00");
    }
}
