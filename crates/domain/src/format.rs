//! Swedish number formats: `16 015`, `2,5 %`, `1 234,50 kr`.
//!
//! Digit groups are separated by a no-break space (U+00A0) so a number never wraps across lines.

/// The digit-group separator.
pub const GROUP: char = '\u{a0}';

/// `16015` → `16 015`, `-3346` → `−3 346` (with a true minus sign U+2212 for typography
/// is avoided: a hyphen-minus stays searchable and copyable into spreadsheets).
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(GROUP);
        }
        out.push(c);
    }
    out
}

/// A decimal number with `decimals` decimals and a decimal comma: `2,5`.
pub fn decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let whole: i64 = whole.parse().unwrap_or(0);
    let negative = x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&int(whole));
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A number as typed back to a Swedish reader, with no more decimals than it has: `1.5` →
/// `1,5`, `16015` → `16 015`, `0.25` → `0,25`.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let s = x.abs().to_string();
    let decimals = s.split_once('.').map_or(0, |(_, f)| f.len());
    let out = decimal(x.abs(), decimals);
    if x < 0.0 && out.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        format!("-{out}")
    } else {
        out
    }
}

/// A percentage: `2,5 %` (the value is already in percent).
pub fn percent(x: f64, decimals: usize) -> String {
    format!("{}{GROUP}%", decimal(x, decimals))
}

/// Money in öre as kronor: `1 234,50 kr`; whole kronor are shown without decimals.
pub fn money_ore(ore: i64) -> String {
    let kr = ore / 100;
    let rest = (ore % 100).abs();
    let sign = if ore < 0 && kr == 0 { "-" } else { "" };
    if rest == 0 {
        format!("{sign}{}{GROUP}kr", int(kr))
    } else {
        format!("{sign}{},{rest:02}{GROUP}kr", int(kr))
    }
}

/// Parses kronor as people type them (`1 234,50`, `1234.5`, `450`) into öre, exactly: the
/// digits are read as digits, never through a float (which turned 89 999 999 999 999,99 kr
/// into …998 öre, and rounded 1,005 kr down but 0,005 kr up). A third decimal rounds half
/// away from zero. Amounts from 90 000 billion kronor up are refused.
pub fn parse_kronor(s: &str) -> Option<i64> {
    // The same syntax as any number.
    crate::catalogue::parse_number(s)?;
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, cleaned.as_str()),
    };
    let (whole, decimals) = digits.split_once('.').unwrap_or((digits, ""));
    let whole = whole.trim_start_matches('0');
    if whole.len() > 14 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let decimal = |i: usize| {
        decimals
            .as_bytes()
            .get(i)
            .map_or(0, |b| i64::from(b - b'0'))
    };
    let mut ore = whole * 100 + decimal(0) * 10 + decimal(1);
    if decimal(2) >= 5 {
        ore += 1;
    }
    let ore = if negative { -ore } else { ore };
    (ore.unsigned_abs() < 9_000_000_000_000_000).then_some(ore)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_reads_back_as_typed_in_swedish() {
        assert_eq!(number(1.5), "1,5");
        assert_eq!(number(16015.0), "16\u{a0}015");
        assert_eq!(number(0.25), "0,25");
        assert_eq!(number(-2.5), "-2,5");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(-0.0), "0");
    }

    fn plain(s: String) -> String {
        s.replace(GROUP, " ")
    }

    #[test]
    fn integers_are_grouped() {
        assert_eq!(plain(int(16015)), "16 015");
        assert_eq!(plain(int(0)), "0");
        assert_eq!(plain(int(-3346)), "-3 346");
        assert_eq!(plain(int(252_928)), "252 928");
        assert_eq!(plain(int(1_000_000)), "1 000 000");
        assert_eq!(plain(int(i64::MIN)), "-9 223 372 036 854 775 808");
    }

    #[test]
    fn decimals_and_percent() {
        assert_eq!(plain(percent(2.5, 1)), "2,5 %");
        assert_eq!(plain(decimal(1234.56, 1)), "1 234,6");
        assert_eq!(plain(decimal(-0.04, 1)), "0,0");
        assert_eq!(plain(decimal(-1.25, 2)), "-1,25");
        assert_eq!(decimal(f64::NAN, 1), "–");
    }

    #[test]
    fn money() {
        assert_eq!(plain(money_ore(123_450)), "1 234,50 kr");
        assert_eq!(plain(money_ore(45_000)), "450 kr");
        assert_eq!(plain(money_ore(-50)), "-0,50 kr");
        assert_eq!(parse_kronor("1 234,50"), Some(123_450));
        assert_eq!(parse_kronor("abc"), None);
        // Found by fuzzing: through a float the last öre of large amounts was lost, and
        // half-öre rounding depended on the binary value.
        assert_eq!(
            parse_kronor("89 999 999 999 999,99"),
            Some(8_999_999_999_999_999)
        );
        assert_eq!(parse_kronor("90 000 000 000 000"), None);
        assert_eq!(parse_kronor("1,005"), Some(101));
        assert_eq!(parse_kronor("0,005"), Some(1));
        assert_eq!(parse_kronor("-1,004"), Some(-100));
        assert_eq!(parse_kronor("-1,005"), Some(-101));
        assert_eq!(parse_kronor("-,5"), Some(-50));
        assert_eq!(parse_kronor("-0"), Some(0));
        assert_eq!(parse_kronor("007"), Some(700));
        assert_eq!(parse_kronor("1e3"), None);
    }
}
