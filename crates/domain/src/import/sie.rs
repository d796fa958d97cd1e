//! SIE 4 ledger files (4E and 4I): the vouchers and their transactions, summed per unit
//! (dimension-1 object) and month. Written here: no maintained Rust crate reads SIE, and the
//! part Serva needs (#SIETYP, #VER, #TRANS, quoted strings and object lists, CP437) is small.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{err, ImportError};

/// One unit's ledger totals for a month: `amount` is the sum of the amounts on accounts of
/// class 3 (revenue, negative in the ledger) and of classes 4–8 (costs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SieMonth {
    pub revenue_sum: i64,
    pub cost_sum: i64,
}

/// What an SIE file says about the units' results, by dimension-1 object (ERP code), year and month.
#[derive(Debug, Clone, Default)]
pub struct SieLedger {
    pub months: BTreeMap<(String, i32, u32), SieMonth>,
    /// Lines of transactions on result accounts without a dimension-1 object.
    pub without_object: Vec<usize>,
    /// The first line each object appears on, for error messages.
    pub first_line: BTreeMap<String, usize>,
}

impl SieLedger {
    /// A unit's revenue and cost in öre for a month: revenue = −(class 3), cost = classes 4–8,
    /// so the result, revenue − cost, is minus the sum of the amounts on classes 3–8.
    pub fn revenue_cost(m: &SieMonth) -> (i64, i64) {
        (-m.revenue_sum, m.cost_sum)
    }
}

/// Decodes an SIE file: UTF-8 when it is valid UTF-8, otherwise IBM PC code page 437 (`#FORMAT PC8`).
pub fn decode_sie(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| cp437(b)).collect(),
    }
}

/// IBM PC code page 437, bytes 128–255 (`#FORMAT PC8`): what older ledger systems write.
pub(crate) const CP437_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', 'É', 'æ', 'Æ',
    'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', 'á', 'í', 'ó', 'ú', 'ñ', 'Ñ',
    'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕',
    '╣', '║', '╗', '╝', '╜', '╛', '┐', '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦',
    '╠', '═', '╬', '╧', '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐',
    '▀', 'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', '≡', '±',
    '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{a0}',
];

fn cp437(b: u8) -> char {
    if b < 128 {
        b as char
    } else {
        CP437_HIGH[(b - 128) as usize]
    }
}

/// Splits an SIE line into tokens: words, "quoted strings" and {object lists}.
fn sie_tokens(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('\\') => {
                            if let Some(n) = chars.next() {
                                s.push(n);
                            }
                        }
                        Some('"') => break,
                        Some(c) => s.push(c),
                        None => return Err("a quoted string is not closed".into()),
                    }
                }
                out.push(s);
            }
            '{' => {
                chars.next();
                let mut s = String::from("{");
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => s.push(c),
                        None => return Err("an object list { … } is not closed".into()),
                    }
                }
                out.push(s);
            }
            _ => {
                let mut s = String::new();
                while let Some(&c) = chars.peek() {
                    if c == ' ' || c == '\t' {
                        break;
                    }
                    s.push(c);
                    chars.next();
                }
                out.push(s);
            }
        }
    }
    Ok(out)
}

fn sie_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

/// The largest sum, in öre, of a unit's month: the bound of one amount (see `parse_kronor`).
const SUM_MAX_ORE: u64 = 9_000_000_000_000_000;

/// Parses the transactions (`#VER` with `#TRANS` lines) of an SIE 4 file (4E or 4I).
pub fn parse_sie(text: &str) -> Result<SieLedger, Vec<ImportError>> {
    let mut ledger = SieLedger::default();
    let mut errors = Vec::new();
    let mut ver_date: Option<NaiveDate> = None;
    let mut saw_sie_type = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() || t == "{" || t == "}" {
            continue;
        }
        if !t.starts_with('#') {
            errors.push(err(
                line,
                None,
                format!(
                    "{:?} is neither a #label line nor a brace",
                    t.chars().take(30).collect::<String>()
                ),
            ));
            continue;
        }
        let tokens = match sie_tokens(t) {
            Ok(tk) => tk,
            Err(m) => {
                errors.push(err(line, None, m));
                continue;
            }
        };
        match tokens[0].to_uppercase().as_str() {
            "#SIETYP" => {
                saw_sie_type = true;
                if tokens.get(1).map(String::as_str) != Some("4") {
                    errors.push(err(
                        line,
                        Some("#SIETYP"),
                        "only SIE type 4 (4E/4I) holds transactions",
                    ));
                }
            }
            "#VER" => {
                ver_date = match tokens.get(3).and_then(|d| sie_date(d)) {
                    Some(d) => Some(d),
                    None => {
                        errors.push(err(
                            line,
                            Some("verdatum"),
                            "the voucher date must be written YYYYMMDD",
                        ));
                        None
                    }
                };
            }
            "#TRANS" => {
                let account = tokens.get(1).map(String::as_str).unwrap_or("");
                let class = account.chars().next().and_then(|c| c.to_digit(10));
                let Some(class) = class.filter(|_| account.chars().all(|c| c.is_ascii_digit()))
                else {
                    errors.push(err(
                        line,
                        Some("kontonr"),
                        format!("{account:?} is not an account number"),
                    ));
                    continue;
                };
                let amount = match tokens.get(3).and_then(|a| crate::format::parse_kronor(a)) {
                    Some(a) => a,
                    None => {
                        errors.push(err(
                            line,
                            Some("belopp"),
                            format!(
                                "{:?} is not an amount",
                                tokens.get(3).map(String::as_str).unwrap_or("")
                            ),
                        ));
                        continue;
                    }
                };
                if !(3..=8).contains(&class) {
                    continue;
                }
                let date = tokens.get(4).and_then(|d| sie_date(d)).or(ver_date);
                let Some(date) = date else {
                    errors.push(err(
                        line,
                        Some("transdat"),
                        "a transaction needs a date (its own or the voucher's)",
                    ));
                    continue;
                };
                let objects = tokens.get(2).map(String::as_str).unwrap_or("{");
                let dim1 = sie_tokens(objects.trim_start_matches('{'))
                    .ok()
                    .and_then(|o| {
                        o.chunks(2)
                            .find(|pair| pair.first().map(String::as_str) == Some("1"))
                            .and_then(|pair| pair.get(1).cloned())
                    });
                let Some(object) = dim1 else {
                    ledger.without_object.push(line);
                    continue;
                };
                ledger.first_line.entry(object.clone()).or_insert(line);
                let e = ledger
                    .months
                    .entry((object, date.year(), date.month()))
                    .or_default();
                let sum = if class == 3 {
                    &mut e.revenue_sum
                } else {
                    &mut e.cost_sum
                };
                // Each amount is below 9e15 öre, but a month's sum of many need not be: bound
                // it the same way rather than overflow.
                match sum
                    .checked_add(amount)
                    .filter(|s| s.unsigned_abs() < SUM_MAX_ORE)
                {
                    Some(s) => *sum = s,
                    None => errors.push(err(
                        line,
                        Some("belopp"),
                        "the month's sum for this object is beyond 90 000 billion kronor",
                    )),
                }
            }
            _ => {}
        }
    }
    if !saw_sie_type {
        errors.push(err(
            1,
            Some("#SIETYP"),
            "the file has no #SIETYP 4 line; is it an SIE 4 file?",
        ));
    }
    if errors.is_empty() {
        Ok(ledger)
    } else {
        errors.truncate(100);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sie_results_per_object_and_month() {
        let text = "#FLAGGA 0\n#SIETYP 4\n#DIM 1 \"Ansvar\"\n#VER A 1 20190131 \"Lön\"\n{\n#TRANS 7010 {1 \"2010\"} 1000.00\n#TRANS 1930 {} -1000.00\n}\n\
                    #VER A 2 20190215\n{\n#TRANS 3010 {1 \"2010\" 6 \"P1\"} -2500,50 20190214\n#TRANS 1510 {} 2500.50\n#TRANS 5010 {} 10\n}\n";
        let l = parse_sie(text).unwrap();
        let jan = &l.months[&("2010".to_string(), 2019, 1)];
        assert_eq!(SieLedger::revenue_cost(jan), (0, 100_000));
        let feb = &l.months[&("2010".to_string(), 2019, 2)];
        assert_eq!(SieLedger::revenue_cost(feb), (250_050, 0));
        assert_eq!(l.without_object, vec![13]);
    }

    #[test]
    fn sie_sums_that_would_overflow_are_refused() {
        // 1 100 amounts just under the bound sum past i64::MAX: an overflow panic before.
        let mut text = "#SIETYP 4\n#VER A 1 20190131\n{\n".to_string();
        for _ in 0..1_100 {
            text.push_str("#TRANS 3010 {1 \"2010\"} -89999999999999.99\n");
        }
        text.push_str("}\n");
        let e = parse_sie(&text).unwrap_err();
        assert_eq!(e[0].line, 5, "{}", e[0]);
        assert_eq!(e[0].column.as_deref(), Some("belopp"));
        assert_eq!(e.len(), 100, "errors are capped");
    }

    #[test]
    fn sie_errors_and_cp437() {
        let e = parse_sie(
            "#SIETYP 4\n#VER A 1 2019-01-31\n{\n#TRANS 70x0 {} 1\n#TRANS 7010 {} abc\n}\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = e.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        assert_eq!(decode_sie(&[0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99]), "åäöÅÄÖ");
        assert_eq!(decode_sie("åäö".as_bytes()), "åäö");
    }
}
