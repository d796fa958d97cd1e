//! Reading import files: UTF-8 CSV with a header row (comma or semicolon, decimal point or
//! comma) and SIE 4 ledger files. Parsing is pure; every error names its line and column,
//! and nothing is applied unless the whole file is valid.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
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

fn err(line: usize, column: Option<&str>, message: impl Into<String>) -> ImportError {
    ImportError {
        line,
        column: column.map(str::to_string),
        message: message.into(),
    }
}

/// A CSV record: its line number and its fields by column name.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    fields: BTreeMap<String, String>,
}

impl Record {
    pub fn get(&self, column: &str) -> &str {
        self.fields.get(column).map(|s| s.trim()).unwrap_or("")
    }

    pub fn required(&self, column: &str) -> Result<&str, ImportError> {
        let v = self.get(column);
        if v.is_empty() {
            Err(err(self.line, Some(column), "is empty"))
        } else {
            Ok(v)
        }
    }

    /// An amount in kronor (`1 234,50`, `1234.5`, `-300`) as öre.
    pub fn kronor(&self, column: &str) -> Result<i64, ImportError> {
        let v = self.required(column)?;
        crate::format::parse_kronor(v).ok_or_else(|| {
            err(
                self.line,
                Some(column),
                format!("{v:?} is not an amount in kronor"),
            )
        })
    }

    pub fn number(&self, column: &str) -> Result<f64, ImportError> {
        let v = self.required(column)?;
        crate::catalogue::parse_number(v)
            .ok_or_else(|| err(self.line, Some(column), format!("{v:?} is not a number")))
    }

    pub fn optional_number(&self, column: &str) -> Result<Option<f64>, ImportError> {
        if self.get(column).is_empty() {
            Ok(None)
        } else {
            self.number(column).map(Some)
        }
    }

    pub fn integer(&self, column: &str) -> Result<i64, ImportError> {
        let v = self.required(column)?;
        v.parse::<i64>().map_err(|_| {
            err(
                self.line,
                Some(column),
                format!("{v:?} is not a whole number"),
            )
        })
    }

    pub fn year(&self, column: &str) -> Result<i32, ImportError> {
        let y = self.integer(column)?;
        if (1990..=2100).contains(&y) {
            Ok(y as i32)
        } else {
            Err(err(
                self.line,
                Some(column),
                format!("{y} is not a plausible year"),
            ))
        }
    }

    pub fn date(&self, column: &str) -> Result<NaiveDate, ImportError> {
        let v = self.required(column)?;
        NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
            err(
                self.line,
                Some(column),
                format!("{v:?} is not a date YYYY-MM-DD"),
            )
        })
    }

    /// An ISO 8601 local time: `2019-08-30T09:15:00`, `2019-08-30 09:15` or with seconds.
    pub fn local_time(&self, column: &str) -> Result<NaiveDateTime, ImportError> {
        let v = self.required(column)?;
        [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
        // As for years: chrono reads -262143-01-01T00:30, which is no call's time.
        .filter(|t| (1990..=2100).contains(&t.year()))
        .ok_or_else(|| {
            err(
                self.line,
                Some(column),
                format!("{v:?} is not a local time like 2019-08-30T09:15:00"),
            )
        })
    }

    pub fn boolean(&self, column: &str) -> Result<bool, ImportError> {
        let v = self.required(column)?;
        match v.to_lowercase().as_str() {
            "true" | "1" | "ja" | "yes" => Ok(true),
            "false" | "0" | "nej" | "no" => Ok(false),
            _ => Err(err(
                self.line,
                Some(column),
                format!("{v:?} must be true or false"),
            )),
        }
    }

    pub fn error(&self, column: &str, message: impl Into<String>) -> ImportError {
        err(self.line, Some(column), message)
    }
}

/// Splits CSV text into records, checking the header against `columns` (all required, any
/// order, no others). The separator is `;` if the header has one, `,` otherwise; fields may be
/// quoted with `"` (a doubled `""` inside is a quote).
pub fn read_csv(text: &str, columns: &[&str]) -> Result<Vec<Record>, Vec<ImportError>> {
    read_csv_with(text, columns, &[])
}

/// Like [`read_csv`], with `optional` columns that may be left out of the header.
pub fn read_csv_with(
    text: &str,
    columns: &[&str],
    optional: &[&str],
) -> Result<Vec<Record>, Vec<ImportError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = split_records(text);
    let Some((_, header)) = lines.next() else {
        return Err(vec![err(
            1,
            None,
            format!(
                "the file is empty; the first line must be the header {}",
                columns.join(",")
            ),
        )]);
    };
    let sep = if header.contains(';') { ';' } else { ',' };
    let names: Vec<String> = match split_fields(&header, sep) {
        Ok(f) => f.into_iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(m) => return Err(vec![err(1, None, m)]),
    };
    let mut errors = Vec::new();
    for c in columns {
        if !names.iter().any(|n| n == c) {
            errors.push(err(
                1,
                Some(c),
                format!(
                    "the header lacks column {c:?} (expected {})",
                    columns.join(",")
                ),
            ));
        }
    }
    for n in &names {
        if !columns.contains(&n.as_str()) && !optional.contains(&n.as_str()) {
            errors.push(err(
                1,
                Some(n),
                format!("unknown column {n:?} (expected {})", columns.join(",")),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut records = Vec::new();
    for (line, raw) in lines {
        if raw.trim().is_empty() {
            continue;
        }
        match split_fields(&raw, sep) {
            Ok(fields) if fields.len() == names.len() => {
                records.push(Record {
                    line,
                    fields: names.iter().cloned().zip(fields).collect(),
                });
            }
            Ok(fields) => errors.push(err(
                line,
                None,
                format!(
                    "has {} fields, the header has {}",
                    fields.len(),
                    names.len()
                ),
            )),
            Err(m) => errors.push(err(line, None, m)),
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Records with their starting line numbers; a quoted field may span lines.
fn split_records(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    let mut quotes = 0usize;
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if current.is_empty() && quotes.is_multiple_of(2) {
            start = i + 1;
        } else {
            current.push('\n');
        }
        current.push_str(line);
        quotes += line.matches('"').count();
        if quotes.is_multiple_of(2) {
            out.push((start, std::mem::take(&mut current)));
            quotes = 0;
        }
    }
    if !current.is_empty() {
        out.push((start, current));
    }
    out.into_iter()
}

fn split_fields(record: &str, sep: char) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = record.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cur.push(c),
            (false, '"') if cur.trim().is_empty() && !was_quoted => {
                cur.clear();
                quoted = true;
                was_quoted = true;
            }
            (false, c) if c == sep => {
                fields.push(std::mem::take(&mut cur));
                was_quoted = false;
            }
            (false, '"') => return Err("a quote in the middle of an unquoted field".into()),
            (false, c) => cur.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    fields.push(cur);
    Ok(fields)
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

// ---- SIE 4 ----

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

fn cp437(b: u8) -> char {
    const HIGH: [char; 128] = [
        'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', 'É', 'æ',
        'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', 'á', 'í', 'ó', 'ú',
        'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', '░', '▒', '▓', '│', '┤', '╡',
        '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', '└', '┴', '┬', '├', '─', '┼', '╞', '╟',
        '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘',
        '┌', '█', '▄', '▌', '▐', '▀', 'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ',
        '∞', 'φ', 'ε', '∩', '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²',
        '■', '\u{a0}',
    ];
    if b < 128 {
        b as char
    } else {
        HIGH[(b - 128) as usize]
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
    fn csv_with_semicolons_quotes_and_decimal_commas() {
        let text = "\u{feff}year;unit;revenue;cost\r\n2019;\"LK;DATA\";\"1 234,50\";100\n\n2019;EKS;2;\"a \"\"b\"\"\"\n";
        let r = read_csv(text, &["year", "unit", "revenue", "cost"]).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].line, r[0].get("unit")), (2, "LK;DATA"));
        assert_eq!(r[0].kronor("revenue"), Ok(123_450));
        assert_eq!(r[1].line, 4);
        assert_eq!(r[1].get("cost"), "a \"b\"");
        assert_eq!(
            r[1].kronor("cost").unwrap_err().to_string(),
            "line 4, column cost: \"a \\\"b\\\"\" is not an amount in kronor"
        );
    }

    #[test]
    fn csv_errors_name_line_and_column() {
        let e = read_csv("year,unit,revenue\n", &["year", "unit", "revenue", "cost"]).unwrap_err();
        assert_eq!(e[0].to_string(), "line 1, column cost: the header lacks column \"cost\" (expected year,unit,revenue,cost)");
        let e = read_csv("a,b\n1,2,3\n\"x,2\n", &["a", "b"]).unwrap_err();
        assert_eq!(e[0].to_string(), "line 2: has 3 fields, the header has 2");
        assert_eq!(e[1].to_string(), "line 3: a quoted field is not closed");
        assert!(read_csv("", &["a"]).is_err());
    }

    #[test]
    fn typed_fields() {
        let r = &read_csv("t,b,n\n2019-08-30T09:15:00,ja,\n", &["t", "b", "n"]).unwrap()[0];
        assert_eq!(
            r.local_time("t").unwrap().to_string(),
            "2019-08-30 09:15:00"
        );
        assert_eq!(r.boolean("b"), Ok(true));
        assert_eq!(r.optional_number("n"), Ok(None));
        // Found by cargo-fuzz: a time of year -262143 panicked on conversion to UTC.
        let r = &read_csv("t\n-262143-01-01T00:30:00\n", &["t"]).unwrap()[0];
        assert!(r.local_time("t").is_err());
        assert!(r.number("n").is_err());
    }

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
