//! CSV import files: records from the `csv` crate, with the header checked against the
//! kind's columns, each record numbered by the file line it starts on, and typed readings of
//! a record's fields that name the line and column of any problem.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::{err, ImportError};

/// A CSV record: its line number and its fields by column name.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    fields: BTreeMap<String, String>,
}

impl Record {
    /// A record made from named values rather than read from a file (a call record posted to
    /// the API), so the same typed readings and checks apply; `line` is its position.
    pub fn from_fields<'a>(
        line: usize,
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Record {
        Record {
            line,
            fields: fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

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

/// One record as the `csv` crate read it: the line it starts on, its fields, and the text it
/// was read from (with the line breaks that end it), for the checks of [`quote_problem`].
struct RawRecord<'t> {
    line: usize,
    fields: Vec<String>,
    raw: &'t str,
    at_end: bool,
}

/// Like [`read_csv`], with `optional` columns that may be left out of the header.
pub fn read_csv_with(
    text: &str,
    columns: &[&str],
    optional: &[&str],
) -> Result<Vec<Record>, Vec<ImportError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A CR before a line break (or at the very end) is part of the break, also inside quoted
    // fields: a value reads the same from a Windows file as from any other.
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n");
        normalised.strip_suffix('\r').unwrap_or(&normalised)
    } else {
        text
    };
    let first_line = text.split('\n').next().unwrap_or("");
    let sep = if first_line.contains(';') { b';' } else { b',' };
    let mut records = records(text, sep).into_iter();
    let Some(header) = records.next() else {
        return Err(vec![err(
            1,
            None,
            format!(
                "the file is empty; the first line must be the header {}",
                columns.join(",")
            ),
        )]);
    };
    // The header is the first line, even when that is blank.
    let (header, mut records) = if header.line == 1 {
        (header, records.collect::<Vec<_>>())
    } else {
        let rest = std::iter::once(header).chain(records).collect();
        let blank = RawRecord {
            line: 1,
            fields: vec![String::new()],
            raw: "",
            at_end: false,
        };
        (blank, rest)
    };
    if let Some(m) = quote_problem(&header) {
        return Err(vec![err(1, None, m)]);
    }
    let names: Vec<String> = header
        .fields
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
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
    let mut out = Vec::new();
    for r in records.drain(..) {
        if r.raw.trim().is_empty() {
            continue;
        }
        if let Some(m) = quote_problem(&r) {
            errors.push(err(r.line, None, m));
        } else if r.fields.len() != names.len() {
            errors.push(err(
                r.line,
                None,
                format!(
                    "has {} fields, the header has {}",
                    r.fields.len(),
                    names.len()
                ),
            ));
        } else {
            out.push(Record {
                line: r.line,
                fields: names.iter().cloned().zip(r.fields).collect(),
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Every record of `text`, by the `csv` crate: RFC 4180 quoting, `\n` ending a record
/// outside quotes, empty lines skipped; a record may have any number of fields.
fn records(text: &str, sep: u8) -> Vec<RawRecord<'_>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(text.as_bytes());
    // Where the reader stood before each record (the end of the one before, so ahead of any
    // empty lines it skipped), and the record's fields.
    let mut found: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut record = csv::StringRecord::new();
    // The input is a `str`, so every field is UTF-8 and reading cannot fail.
    while let Ok(true) = reader.read_record(&mut record) {
        let pos = record.position().expect("a record read has a position");
        found.push((
            pos.line() as usize,
            pos.byte() as usize,
            record.iter().map(str::to_string).collect(),
        ));
    }
    let ends: Vec<usize> = found
        .iter()
        .skip(1)
        .map(|f| f.1)
        .chain([text.len()])
        .collect();
    let n = found.len();
    found
        .into_iter()
        .zip(ends)
        .enumerate()
        .map(|(i, ((line, start, fields), end))| {
            let whole = text.get(start..end).unwrap_or("");
            let raw = whole.trim_start_matches('\n');
            RawRecord {
                line: line + (whole.len() - raw.len()),
                fields,
                raw,
                at_end: i + 1 == n,
            }
        })
        .collect()
}

/// What is wrong with a record's quotes, by the rules Serva has always read CSV by: a field
/// is quoted from its first character to its closing quote, a quote inside is doubled, and a
/// quote anywhere else is a mistake. The `csv` crate reads such mistakes leniently (a stray
/// quote as a character, an unclosed quote up to the end of the file), which could quietly
/// swallow the rows after it; they are counted instead. A well-formed record holds two quotes
/// for each quoted field and two for each quote in its values, so the count of quotes in the
/// text is even and at least twice the count in the values. (Two stray quotes in one record
/// can hide from this count; they are read as characters, as spreadsheets read them.)
fn quote_problem(r: &RawRecord<'_>) -> Option<String> {
    let in_text = r.raw.matches('"').count();
    if in_text == 0 {
        return None;
    }
    let in_values: usize = r.fields.iter().map(|f| f.matches('"').count()).sum();
    if in_text.is_multiple_of(2) && in_text >= 2 * in_values {
        None
    } else if !in_text.is_multiple_of(2) && r.at_end {
        Some("a quoted field is not closed".into())
    } else if r
        .fields
        .iter()
        .any(|f| f.starts_with([' ', '\t']) && f.trim_start().starts_with('"'))
    {
        Some("a quoted field must begin with its quote (no spaces before it)".into())
    } else {
        Some("a quote in the middle of an unquoted field".into())
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
    fn quoted_fields_span_lines_and_records_keep_their_first_line() {
        let text = "a;b\r\n1;\"two\r\nlines\"\r\n\r\n  \r\n3;\"x\"\"y\" \r\n\"4\";5";
        let r = read_csv(text, &["a", "b"]).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!((r[0].line, r[0].get("b")), (2, "two\nlines"));
        assert_eq!((r[1].line, r[1].get("b")), (6, "x\"y"));
        assert_eq!((r[2].line, r[2].get("a")), (7, "4"));
    }

    #[test]
    fn misplaced_quotes_are_refused_with_their_line() {
        let cases = [
            (
                "a,b\n1,x\"y\n2,3\n",
                "line 2: a quote in the middle of an unquoted field",
            ),
            (
                "a,b\n1,x\"y\"z\n",
                "line 2: a quote in the middle of an unquoted field",
            ),
            (
                "a,b\n1, \"x,y\"\n",
                "line 2: a quoted field must begin with its quote (no spaces before it)",
            ),
            (
                "a,b\n1,2\n3,\"open\n4,5\n",
                "line 3: a quoted field is not closed",
            ),
            ("\"a,b\n1,2\n", "line 1: a quoted field is not closed"),
        ];
        for (text, want) in cases {
            let e = read_csv(text, &["a", "b"]).unwrap_err();
            assert_eq!(e[0].to_string(), want, "{text:?}");
        }
        // Text after a quoted field's closing quote is read as in the past: "ab"c is abc.
        let r = read_csv("a,b\n1,\"ab\"c\n", &["a", "b"]).unwrap();
        assert_eq!(r[0].get("b"), "abc");
    }

    #[test]
    fn the_header_is_the_first_line() {
        let e = read_csv("\na,b\n1,2\n", &["a", "b"]).unwrap_err();
        assert_eq!(e[0].line, 1);
        let r = read_csv(" A ; B \n1;2\n", &["a", "b"]).unwrap();
        assert_eq!((r[0].get("a"), r[0].get("b")), ("1", "2"));
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
}
