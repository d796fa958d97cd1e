//! Reply templates: a unit's canned answers. Their text may name the case's particulars in
//! braces — `{kund}`, `{ärende}`, `{handläggare}`, `{tjänst}` — filled in when an agent picks
//! one; any other text in braces is left as written.

use serde::Serialize;

use crate::UnitId;

/// The longest name and text a template may have (characters).
pub const NAME_MAX: usize = 100;
pub const BODY_MAX: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplyTemplate {
    pub id: i64,
    pub unit_id: UnitId,
    pub name: String,
    pub body: String,
    pub updated_at: i64,
}

/// The placeholders a template may use, as written, with what each stands for.
pub const PLACEHOLDERS: [(&str, &str, &str); 4] = [
    ("{kund}", "kundens namn", "the customer's name"),
    ("{ärende}", "ärendenumret", "the case number"),
    ("{handläggare}", "ditt namn", "your name"),
    ("{tjänst}", "tjänstens namn", "the service's name"),
];

/// What the placeholders stand for on one case.
#[derive(Debug, Clone, Copy)]
pub struct Particulars<'a> {
    pub customer: &'a str,
    pub case_number: &'a str,
    pub agent: &'a str,
    pub service: &'a str,
}

/// The template's text with its placeholders filled in.
pub fn fill(body: &str, p: &Particulars) -> String {
    body.replace("{kund}", p.customer)
        .replace("{ärende}", p.case_number)
        .replace("{handläggare}", p.agent)
        .replace("{tjänst}", p.service)
}

/// Why a template's name or text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateProblem {
    NameMissing,
    NameTooLong,
    BodyMissing,
    BodyTooLong,
}

/// A template to save: its name and text trimmed, each checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateInput {
    pub name: String,
    pub body: String,
}

impl TemplateInput {
    /// Reads a name and text as typed; every problem, the name's first.
    pub fn parse(name: &str, body: &str) -> Result<TemplateInput, Vec<TemplateProblem>> {
        let name = name.trim();
        let body = body.trim();
        let mut problems = Vec::new();
        if name.is_empty() {
            problems.push(TemplateProblem::NameMissing);
        } else if name.chars().count() > NAME_MAX {
            problems.push(TemplateProblem::NameTooLong);
        }
        if body.is_empty() {
            problems.push(TemplateProblem::BodyMissing);
        } else if body.chars().count() > BODY_MAX {
            problems.push(TemplateProblem::BodyTooLong);
        }
        if problems.is_empty() {
            Ok(TemplateInput {
                name: name.to_string(),
                body: body.to_string(),
            })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_every_placeholder_and_leaves_others() {
        let p = Particulars {
            customer: "Anna Berg",
            case_number: "2026-0000012",
            agent: "Karin Ek",
            service: "Fråga till Kontakt Linköping",
        };
        assert_eq!(
            fill("Hej {kund}! Om {ärende} ({tjänst}): {okänd}. /{handläggare}, {kund}", &p),
            "Hej Anna Berg! Om 2026-0000012 (Fråga till Kontakt Linköping): {okänd}. /Karin Ek, Anna Berg"
        );
    }

    #[test]
    fn input_is_trimmed_and_checked() {
        assert_eq!(
            TemplateInput::parse("  Tack ", " Hej "),
            Ok(TemplateInput {
                name: "Tack".into(),
                body: "Hej".into()
            })
        );
        assert_eq!(
            TemplateInput::parse(" ", ""),
            Err(vec![
                TemplateProblem::NameMissing,
                TemplateProblem::BodyMissing
            ])
        );
        let long = "x".repeat(NAME_MAX + 1);
        assert_eq!(
            TemplateInput::parse(&long, "ok"),
            Err(vec![TemplateProblem::NameTooLong])
        );
    }
}
