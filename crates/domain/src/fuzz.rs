//! Fuzz targets for every text parser of the domain, and the bounded mutational run that
//! drives them in `cargo test`.
//!
//! Each target takes arbitrary bytes, feeds them to a parser the way Serva does, and asserts
//! that the parser does not panic and that its answer keeps its promises: errors name a line
//! that exists, accepted values survive a round trip through their written form. The same
//! functions are the libFuzzer targets in `fuzz/` (feature `fuzz`), so a crash found by a long
//! coverage-guided session can be replayed here as a seed. See `docs/hostile-input.md`.

use std::collections::HashMap;

use crate::case::{CaseNumber, CaseStatus, Channel};
use crate::catalogue::{
    check_fields, format_form_spec, parse_form_spec, parse_number, validate_form, FieldKind,
    FieldProblem, PriceModel, ServiceCode,
};
use crate::format::parse_kronor;
use crate::import::{
    decode_sie, optional_columns_of, parse_sie, read_csv_with, valid_period, ImportError, Record,
    SieLedger, KINDS,
};
use crate::org::{UnitCode, UnitKind};

/// A fuzz target: arbitrary bytes in, a panic if a parser breaks a promise.
pub type Target = fn(&[u8]);

/// The targets by name: what `fuzz/fuzz_targets/<name>.rs` and the bounded run call.
pub const TARGETS: &[(&str, Target)] = &[
    ("csv", csv),
    ("sie", sie),
    ("form_spec", form_spec),
    ("form_input", form_input),
    ("numbers", numbers),
    ("case_number", case_number),
    ("codes", codes),
    ("mail", mail),
    ("chat_frame", chat_frame),
];

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

// ---- E-mail in ----

/// The mail parsing boundary: whatever arrives over SMTP or IMAP is read or refused with a
/// reason, never a panic; what is read keeps the promises the intake relies on.
pub fn mail(data: &[u8]) {
    use crate::mail;
    let Ok(m) = mail::parse(data) else {
        return;
    };
    assert_eq!(
        mail::normalise_address(&m.from_address).as_deref(),
        Some(m.from_address.as_str()),
        "the sender is a normalised address"
    );
    for a in &m.attachments {
        assert!(!a.filename.is_empty() && a.filename.chars().count() <= 200);
        assert!(!a.filename.contains(['/', '\\']), "{:?}", a.filename);
    }
    if let Some(h) = &m.html {
        assert!(
            !h.to_ascii_lowercase().contains("<script"),
            "sanitised HTML: {h}"
        );
    }
    let _ = mail::classify(&m, mail::Known::default());
    let _ = mail::case_reference(&m.subject);
    let _ = mail::reply_text(&m.text);
}

// ---- CSV imports ----

/// The first byte picks the import kind, the rest is the file. Every typed reading the store
/// does on a column is tried on every column.
pub fn csv(data: &[u8]) {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let (kind, columns) = KINDS[usize::from(k) % KINDS.len()];
    let optional = optional_columns_of(kind);
    let text = text(rest);
    let lines = text.split('\n').count();
    let records = match read_csv_with(&text, columns, optional) {
        Err(errors) => {
            assert!(!errors.is_empty(), "a refusal names at least one problem");
            for e in &errors {
                assert!(
                    (1..=lines).contains(&e.line),
                    "error {e} names line {} of {lines}",
                    e.line
                );
                let _ = e.to_string();
            }
            return;
        }
        Ok(records) => records,
    };
    let mut previous = 1;
    for r in &records {
        assert!(
            r.line > previous && r.line <= lines,
            "record line {} after {previous}, of {lines}",
            r.line
        );
        previous = r.line;
        for c in columns.iter().chain(optional) {
            typed_readings(r, c);
        }
    }
    // Written back out, quoted, the records read the same.
    let all: Vec<&str> = columns.iter().chain(optional).copied().collect();
    let mut out = all.join(",");
    for r in &records {
        out.push('\n');
        let fields: Vec<String> = all
            .iter()
            .map(|c| format!("\"{}\"", r.get(c).replace('"', "\"\"")))
            .collect();
        out.push_str(&fields.join(","));
    }
    let again = read_csv_with(&out, columns, optional)
        .unwrap_or_else(|e| panic!("written back, the records are refused: {e:?}\n{out:?}"));
    assert_eq!(again.len(), records.len(), "{out:?}");
    for (a, b) in records.iter().zip(&again) {
        for c in &all {
            assert_eq!(
                crlf_to_lf(a.get(c)),
                crlf_to_lf(b.get(c)),
                "column {c} of line {}",
                a.line
            );
        }
    }
}

/// A line break inside a quoted field is read as `\n` whether the file wrote `\r\n` or `\n`.
fn crlf_to_lf(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in s.split('\n') {
        if !out.is_empty() || s.starts_with('\n') {
            out.push('\n');
        }
        out.push_str(part.trim_end_matches('\r'));
    }
    out
}

fn typed_readings(r: &Record, c: &str) {
    let check = |res: Result<(), ImportError>| {
        if let Err(e) = res {
            assert_eq!(e.line, r.line, "{e}");
            assert_eq!(e.column.as_deref(), Some(c), "{e}");
        }
    };
    check(r.kronor(c).map(drop));
    check(r.number(c).map(drop));
    check(r.optional_number(c).map(drop));
    check(r.integer(c).map(drop));
    check(r.year(c).map(|y| assert!((1990..=2100).contains(&y))));
    check(r.date(c).map(drop));
    check(r.boolean(c).map(drop));
    // The store turns an offered_at into an instant.
    check(r.local_time(c).map(|t| {
        crate::time::to_local(crate::time::from_local(t));
    }));
    if valid_period(r.get(c)) {
        assert!(r.get(c).is_ascii(), "{:?}", r.get(c));
    }
}

// ---- SIE 4 ----

/// The bytes of a ledger file, decoded and parsed as the `sie` import does.
pub fn sie(data: &[u8]) {
    let text = decode_sie(data);
    if std::str::from_utf8(data).is_err() {
        assert_eq!(text.chars().count(), data.len(), "CP437 is one char a byte");
    }
    let lines = text.lines().count().max(1);
    match parse_sie(&text) {
        Err(errors) => {
            assert!(!errors.is_empty() && errors.len() <= 100);
            for e in &errors {
                assert!((1..=lines).contains(&e.line), "{e} of {lines} lines");
                let _ = e.to_string();
            }
        }
        Ok(ledger) => {
            for ((object, _, month), m) in &ledger.months {
                assert!((1..=12).contains(month));
                let first = ledger.first_line[object];
                assert!((1..=lines).contains(&first));
                SieLedger::revenue_cost(m);
            }
            assert!(ledger.without_object.windows(2).all(|w| w[0] < w[1]));
            assert!(ledger
                .without_object
                .iter()
                .all(|l| (1..=lines).contains(l)));
        }
    }
}

// ---- Order forms ----

/// A form definition as the catalogue page edits it.
pub fn form_spec(data: &[u8]) {
    let text = text(data);
    let lines = text.lines().count();
    match parse_form_spec(&text) {
        Err(m) => {
            let n = m
                .strip_prefix("line ")
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse::<usize>().ok());
            assert!(
                n.is_some_and(|n| (1..=lines).contains(&n)),
                "error {m:?} does not name one of the {lines} lines"
            );
        }
        Ok(fields) => {
            check_fields(&fields).expect("accepted forms pass the check");
            let written = format_form_spec(&fields);
            assert_eq!(
                parse_form_spec(&written),
                Ok(fields),
                "written back as {written:?}"
            );
        }
    }
}

/// Forms of the demo catalogue, as a person fills them in.
pub const FORMS: &[&str] = &[
    "startdatum | Startdatum | date | required\n\
     behorighet | Behörighetsnivå | choice | required | Standard, Utökad, Administratör\n\
     ovrigt | Övriga önskemål | text | optional",
    "antal | Antal datorer | number | required\n\
     modell | Modell | choice | required | Bärbar standard, Bärbar lätt, Stationär, Stationär med två skärmar\n\
     leveransadress | Leveransadress | text | optional",
    "miljo | Miljö | choice | required | Produktion, Test, Utveckling\n\
     antal_cpu | Antal processorer | number | optional\n\
     driftstart | Önskad driftstart | date | optional",
    "",
];

/// The first byte picks one of [`FORMS`]; the rest are answers, `key=value` a line.
pub fn form_input(data: &[u8]) {
    let Some((&f, rest)) = data.split_first() else {
        return;
    };
    let fields = parse_form_spec(FORMS[usize::from(f) % FORMS.len()]).expect("the forms parse");
    let answers: HashMap<String, String> = text(rest)
        .split('\n')
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    match validate_form(&fields, &answers) {
        Ok(out) => {
            let keys: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
            let in_order: Vec<&str> = fields
                .iter()
                .map(|f| f.key.as_str())
                .filter(|k| keys.contains(k))
                .collect();
            assert_eq!(keys, in_order, "answers come in the form's order");
            for f in fields.iter().filter(|f| f.required) {
                assert!(keys.contains(&f.key.as_str()), "{} is required", f.key);
            }
            // Normalised answers are accepted as they are.
            let again: HashMap<String, String> = out.iter().cloned().collect();
            assert_eq!(validate_form(&fields, &again), Ok(out));
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                let known = fields.iter().any(|f| f.key == e.key);
                assert_eq!(
                    e.problem == FieldProblem::Unknown,
                    !known,
                    "{e:?} against {answers:?}"
                );
                if !known {
                    assert!(answers.contains_key(&e.key));
                }
            }
        }
    }
}

// ---- Numbers and codes ----

/// Numbers and kronor as people type them.
pub fn numbers(data: &[u8]) {
    let text = text(data);
    let n = parse_number(&text);
    if let Some(n) = n {
        assert!(n.is_finite());
        assert_eq!(parse_number(&n.to_string()), Some(n), "{n}");
    }
    let kronor = parse_kronor(&text);
    if let Some(ore) = kronor {
        let n = n.expect("an amount is a number");
        assert!(ore.unsigned_abs() < 9_000_000_000_000_000);
        assert!(
            (n * 100.0 - ore as f64).abs() <= 0.5 + n.abs() * 1e-13,
            "{text:?}: {n} kr read as {ore} öre"
        );
        // With at most two decimals nothing is rounded: the öre are exactly the digits written.
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let (digits, decimals) = match cleaned.split_once([',', '.']) {
            Some((w, d)) => (format!("{w}{d}"), d.len()),
            None => (cleaned.clone(), 0),
        };
        if decimals <= 2 {
            let exact = digits.parse::<i128>().expect("digits") * 10i128.pow(2 - decimals as u32);
            assert_eq!(i128::from(ore), exact, "{text:?}");
        }
        let sign = if ore < 0 { "-" } else { "" };
        let (kr, rest) = (ore.unsigned_abs() / 100, ore.unsigned_abs() % 100);
        for written in [
            format!("{sign}{kr}.{rest:02}"),
            format!("{sign}{},{rest:02}", crate::format::int(kr as i64)),
        ] {
            assert_eq!(parse_kronor(&written), Some(ore), "{written:?}");
        }
    } else if let Some(n) = n {
        assert!(n.abs() >= 9e13, "{text:?} is {n} but not an amount");
    }
}

/// Case numbers as people quote them.
pub fn case_number(data: &[u8]) {
    let text = text(data);
    if let Some(c) = CaseNumber::parse(&text) {
        assert!(c.id.0 > 0);
        let written = c.to_string();
        assert_eq!(
            CaseNumber::parse(&written),
            Some(c),
            "{text:?} → {written:?}"
        );
    }
}

/// Codes, enumerations and periods read from files, forms and query strings.
pub fn codes(data: &[u8]) {
    let text = text(data);
    let s = text.as_ref();
    if let Ok(c) = ServiceCode::parse(s) {
        assert!((2..=32).contains(&c.as_str().len()));
        assert_eq!(ServiceCode::parse(c.as_str()), Ok(c.clone()));
    }
    if let Ok(c) = UnitCode::parse(s) {
        assert!((1..=32).contains(&c.as_str().len()));
        assert_eq!(UnitCode::parse(c.as_str()), Ok(c.clone()));
    }
    fn same<T: Copy>(parsed: Option<T>, as_str: fn(T) -> &'static str, s: &str) {
        if let Some(v) = parsed {
            assert_eq!(as_str(v), s);
        }
    }
    same(Channel::parse(s), Channel::as_str, s);
    same(CaseStatus::parse(s), CaseStatus::as_str, s);
    same(PriceModel::parse(s), PriceModel::as_str, s);
    same(FieldKind::parse(s), FieldKind::as_str, s);
    same(UnitKind::parse(s), UnitKind::as_str, s);
    same(
        crate::role::RoleKind::parse(s),
        crate::role::RoleKind::as_str,
        s,
    );
    same(
        crate::role::TargetGroup::parse(s),
        crate::role::TargetGroup::as_str,
        s,
    );
    same(
        crate::followup::GoalArea::parse(s),
        crate::followup::GoalArea::as_str,
        s,
    );
    same(
        crate::followup::AssignmentStatus::parse(s),
        crate::followup::AssignmentStatus::as_str,
        s,
    );
    if valid_period(s) {
        assert!(matches!(s.len(), 4 | 7 | 8 | 10) && s.is_ascii(), "{s:?}");
    }
    let escaped = crate::search::like_escape(s);
    let mut unescaped = String::new();
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let next = chars.next().expect("an escape escapes something");
            assert!(matches!(next, '%' | '_' | '\\'));
            unescaped.push(next);
        } else {
            assert!(!matches!(c, '%' | '_'), "{escaped:?} has a bare wildcard");
            unescaped.push(c);
        }
    }
    assert_eq!(unescaped, s);
    let _ = crate::search::fold(s);
}

/// Chat protocol frames as a browser (or anyone with a WebSocket) sends them: a frame is read
/// or refused with a code, never a panic; an accepted frame keeps the protocol's limits, and a
/// cleaned body is clean (cleaning it again changes nothing).
pub fn chat_frame(data: &[u8]) {
    use crate::chat::{
        check_client_id, clean_body, parse_client_frame, ClientFrame, ServerFrame, BODY_MAX,
        CLIENT_ID_MAX,
    };
    let text = text(data);
    match parse_client_frame(&text) {
        Ok(ClientFrame::Send { client_id, body }) => {
            assert!(check_client_id(&client_id).is_ok() && client_id.len() <= CLIENT_ID_MAX);
            assert!(!body.is_empty() && body.chars().count() <= BODY_MAX);
            assert_eq!(clean_body(&body).as_deref(), Ok(body.as_str()), "{text:?}");
            // What is stored goes back out in a frame that reads as JSON again.
            let out = ServerFrame::Ack { client_id, seq: 1 }.to_json();
            assert!(serde_json::from_str::<ServerFrame>(&out).is_ok());
        }
        Ok(ClientFrame::Resume { after }) => assert!(after >= 0),
        Err(e) => {
            let frame = ServerFrame::error(&e);
            assert!(!e.code().is_empty());
            assert!(serde_json::from_str::<ServerFrame>(&frame.to_json()).is_ok());
        }
    }
}

#[cfg(test)]
mod tests;
