//! The service catalogue: services, their price models and order forms.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// How a service is charged to the ordering department.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceModel {
    /// A fixed price per case.
    PerCase,
    /// A price per unit (user, licence, device…) and month.
    PerUnitMonth,
    /// A fixed subscription per month.
    Subscription,
    /// Time and material: a price per hour worked.
    PerHour,
}

impl PriceModel {
    pub const ALL: [PriceModel; 4] = [
        PriceModel::PerCase,
        PriceModel::PerUnitMonth,
        PriceModel::Subscription,
        PriceModel::PerHour,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PriceModel::PerCase => "per_case",
            PriceModel::PerUnitMonth => "per_unit_month",
            PriceModel::Subscription => "subscription",
            PriceModel::PerHour => "per_hour",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A service code: `LK-KONTO`, `HR-ANST`. Upper-case letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceCode(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("service code must be 2–32 characters A–Z, 0–9 or '-': {0:?}")]
pub struct BadServiceCode(pub String);

impl ServiceCode {
    pub fn parse(s: &str) -> Result<Self, BadServiceCode> {
        let s = s.trim();
        let ok = (2..=32).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(ServiceCode(s.to_string()))
        } else {
            Err(BadServiceCode(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The type of an order-form field.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Choice,
}

impl FieldKind {
    pub const ALL: [FieldKind; 4] = [
        FieldKind::Text,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::Choice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::Choice => "choice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One field of a service's order form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// The key the answer is stored under: lower-case ASCII, digits and `_`.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// The allowed answers of a choice field, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// For the provider's side only: its answer is never shown to the customer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
}

/// Why one answer on an order form was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub key: String,
    pub label: String,
    pub problem: FieldProblem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    Required,
    NotANumber,
    NotADate,
    NotAChoice,
    TooLong,
    Unknown,
}

impl FieldProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldProblem::Required => "required",
            FieldProblem::NotANumber => "not_a_number",
            FieldProblem::NotADate => "not_a_date",
            FieldProblem::NotAChoice => "not_a_choice",
            FieldProblem::TooLong => "too_long",
            FieldProblem::Unknown => "unknown_field",
        }
    }
}

pub const FIELD_VALUE_MAX: usize = 2_000;

/// Checks the answers of an order form against its fields. Returns the answers in the form's
/// order, normalised (numbers with a decimal point, dates as `YYYY-MM-DD`), without empty ones.
/// Answers to fields the form does not have are refused, so nothing silently disappears.
pub fn validate_form(
    fields: &[FormField],
    answers: &HashMap<String, String>,
) -> Result<Vec<(String, String)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for f in fields {
        let raw = answers.get(&f.key).map(|s| s.trim()).unwrap_or("");
        let err = |problem| FieldError {
            key: f.key.clone(),
            label: f.label.clone(),
            problem,
        };
        if raw.is_empty() {
            if f.required {
                errors.push(err(FieldProblem::Required));
            }
            continue;
        }
        if raw.chars().count() > FIELD_VALUE_MAX {
            errors.push(err(FieldProblem::TooLong));
            continue;
        }
        let value = match f.kind {
            FieldKind::Text => Ok(raw.to_string()),
            // Kept as a Swedish reader wrote it, with a decimal comma ("1,5", not "1.5"), and
            // without digit groups so that it stays one token for search and spreadsheets.
            FieldKind::Number => parse_number(raw)
                .map(|n| crate::format::number(n).replace(crate::format::GROUP, ""))
                .ok_or(FieldProblem::NotANumber),
            FieldKind::Date => crate::time::parse_day(raw)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .ok_or(FieldProblem::NotADate),
            FieldKind::Choice => f
                .choices
                .iter()
                .find(|c| c.as_str() == raw)
                .cloned()
                .ok_or(FieldProblem::NotAChoice),
        };
        match value {
            Ok(v) => out.push((f.key.clone(), v)),
            Err(p) => errors.push(err(p)),
        }
    }
    let mut unknown: Vec<_> = answers
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && !fields.iter().any(|f| &f.key == *k))
        .map(|(k, _)| FieldError {
            key: k.clone(),
            label: k.clone(),
            problem: FieldProblem::Unknown,
        })
        .collect();
    unknown.sort_by(|a, b| a.key.cmp(&b.key));
    errors.extend(unknown);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A number as Swedes and machines write it: `1 234,5`, `1234.5`, `-3`.
pub fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty() || cleaned.matches('.').count() > 1 {
        return None;
    }
    if !cleaned
        .bytes()
        .enumerate()
        .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'))
    {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Checks a form definition: keys unique and well-formed, choices present for choice fields.
pub fn check_fields(fields: &[FormField]) -> Result<(), String> {
    check_each_field(fields).map_err(|(_, m)| m)
}

/// [`check_fields`], saying which field is wrong.
fn check_each_field(fields: &[FormField]) -> Result<(), (usize, String)> {
    let mut seen = std::collections::HashSet::new();
    for (i, f) in fields.iter().enumerate() {
        let problem = |m: String| Err((i, m));
        let ok_key = !f.key.is_empty()
            && f.key.len() <= 40
            && f.key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok_key {
            return problem(format!(
                "field key {:?} must be lower-case a–z, 0–9 or '_'",
                f.key
            ));
        }
        if !seen.insert(f.key.as_str()) {
            return problem(format!("field key {:?} appears twice", f.key));
        }
        if f.label.trim().is_empty() {
            return problem(format!("field {:?} has no label", f.key));
        }
        if f.kind == FieldKind::Choice && f.choices.is_empty() {
            return problem(format!("choice field {:?} has no choices", f.key));
        }
    }
    Ok(())
}

/// Reads an order form written one field a line, as the catalogue page edits it:
/// `key | Label | kind | required or optional | choice, choice, …` (choices only for `choice`).
/// Blank lines are skipped. Errors name the line.
pub fn parse_form_spec(text: &str) -> Result<Vec<FormField>, String> {
    let mut fields = Vec::new();
    let mut field_lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = |m: &str| format!("line {}: {m}", n + 1);
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if !(3..=5).contains(&parts.len()) {
            return Err(at("write key | label | kind | required/optional | choices"));
        }
        let kind = FieldKind::parse(parts[2]).ok_or_else(|| {
            at(&format!(
                "unknown kind {:?}; use text, number, date or choice",
                parts[2]
            ))
        })?;
        // `required` or `optional`, and `internal` for an answer the customer never sees.
        let mut required = false;
        let mut internal = false;
        for word in parts.get(3).copied().unwrap_or("").split_whitespace() {
            match word {
                "required" | "obligatorisk" | "ja" | "yes" => required = true,
                "optional" | "frivillig" | "nej" | "no" => required = false,
                "internal" | "intern" => internal = true,
                other => {
                    return Err(at(&format!(
                        "{other:?} must be required or optional, and internal if it is"
                    )))
                }
            }
        }
        let choices: Vec<String> = parts
            .get(4)
            .map(|c| {
                c.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if kind != FieldKind::Choice && !choices.is_empty() {
            return Err(at("only choice fields have choices"));
        }
        fields.push(FormField {
            key: parts[0].to_string(),
            label: parts[1].to_string(),
            kind,
            required,
            choices,
            internal,
        });
        field_lines.push(n + 1);
    }
    check_each_field(&fields).map_err(|(i, m)| format!("line {}: {m}", field_lines[i]))?;
    Ok(fields)
}

/// The text form of an order form, as [`parse_form_spec`] reads it.
pub fn format_form_spec(fields: &[FormField]) -> String {
    fields
        .iter()
        .map(|f| {
            let mut line = format!(
                "{} | {} | {} | {}",
                f.key,
                f.label,
                f.kind.as_str(),
                if f.required { "required" } else { "optional" }
            );
            if f.internal {
                line.push_str(" internal");
            }
            if !f.choices.is_empty() {
                line.push_str(" | ");
                line.push_str(&f.choices.join(", "));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A service to publish or change.
#[derive(Debug, Clone)]
pub struct NewService {
    pub unit: crate::UnitId,
    pub code: ServiceCode,
    pub name: String,
    pub description: String,
    pub category: String,
    pub price_model: PriceModel,
    pub price_ore: i64,
    pub level: crate::sla::ServiceLevel,
    pub fields: Vec<FormField>,
    pub active: bool,
}

/// A service of the catalogue as it is read, with its providing unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: crate::ServiceId,
    pub unit_id: crate::UnitId,
    pub unit_code: String,
    pub unit_name: String,
    pub code: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub price_model: PriceModel,
    pub price_ore: i64,
    /// Targets in minutes of the providing unit's working time (see `calendar`).
    pub first_response_minutes: Option<i64>,
    pub next_response_minutes: Option<i64>,
    pub resolution_minutes: Option<i64>,
    /// The order form.
    pub form: Vec<FormField>,
    /// Open for orders.
    pub active: bool,
}

impl Service {
    pub fn service_level(&self) -> crate::sla::ServiceLevel {
        crate::sla::ServiceLevel {
            first_response_minutes: self.first_response_minutes,
            next_response_minutes: self.next_response_minutes,
            resolution_minutes: self.resolution_minutes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<FormField> {
        vec![
            FormField {
                key: "start".into(),
                label: "Startdatum".into(),
                kind: FieldKind::Date,
                required: true,
                choices: vec![],
                internal: false,
            },
            FormField {
                key: "antal".into(),
                label: "Antal".into(),
                kind: FieldKind::Number,
                required: false,
                choices: vec![],
                internal: false,
            },
            FormField {
                key: "typ".into(),
                label: "Typ".into(),
                kind: FieldKind::Choice,
                required: true,
                choices: vec!["Ny".into(), "Ändring".into()],
                internal: false,
            },
        ]
    }

    fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn valid_form_is_normalised() {
        let ok = validate_form(
            &fields(),
            &answers(&[
                ("start", "2019-08-31"),
                ("antal", "1 234,5"),
                ("typ", "Ändring"),
            ]),
        );
        assert_eq!(
            ok.unwrap(),
            vec![
                ("start".into(), "2019-08-31".into()),
                ("antal".into(), "1234,5".into()),
                ("typ".into(), "Ändring".into())
            ]
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let errs = validate_form(
            &fields(),
            &answers(&[("start", "31/8"), ("antal", "tolv"), ("x", "1")]),
        )
        .unwrap_err();
        let problems: Vec<_> = errs.iter().map(|e| (e.key.as_str(), e.problem)).collect();
        assert_eq!(
            problems,
            vec![
                ("start", FieldProblem::NotADate),
                ("antal", FieldProblem::NotANumber),
                ("typ", FieldProblem::Required),
                ("x", FieldProblem::Unknown)
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("16 015"), Some(16015.0));
        assert_eq!(parse_number("2,5"), Some(2.5));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("1e9"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("3-"), None);
    }

    #[test]
    fn form_specs_round_trip_and_errors_name_the_line() {
        let mut with_internal = fields();
        with_internal[1].internal = true;
        let text = format_form_spec(&with_internal);
        assert!(text.contains("antal | Antal | number | optional internal"));
        assert_eq!(parse_form_spec(&text).unwrap(), with_internal);
        assert!(parse_form_spec("m | Målgrupp | text | intern required").unwrap()[0].internal);
        assert!(parse_form_spec("m | M | text | secret").is_err());
        assert_eq!(
            parse_form_spec("a | A | text\n\nb | B | colour").unwrap_err(),
            "line 3: unknown kind \"colour\"; use text, number, date or choice"
        );
        assert!(parse_form_spec("a | A | text | required | x, y")
            .unwrap_err()
            .starts_with("line 1"));
        assert!(parse_form_spec("a | A").is_err());
        // Found by fuzzing: the checks after reading named no line.
        assert_eq!(
            parse_form_spec("a | A | text\n\na | B | date").unwrap_err(),
            "line 3: field key \"a\" appears twice"
        );
        assert_eq!(
            parse_form_spec("Bad | A | text").unwrap_err(),
            "line 1: field key \"Bad\" must be lower-case a–z, 0–9 or '_'"
        );
        assert!(parse_form_spec("").unwrap().is_empty());
    }

    #[test]
    fn form_definitions_are_checked() {
        assert!(check_fields(&fields()).is_ok());
        let mut dup = fields();
        dup.push(dup[0].clone());
        assert!(check_fields(&dup).is_err());
        let mut bad = fields();
        bad[2].choices.clear();
        assert!(check_fields(&bad).is_err());
    }
}
