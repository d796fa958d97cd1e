//! A unit's reply templates: the list, the form to write or change one, and the question
//! before one is deleted.

use maud::{html, Markup};
use serva_domain::org::Unit;
use serva_domain::reply_template::{ReplyTemplate, TemplateProblem, PLACEHOLDERS};

use crate::layout::{notice, page};
use crate::Ctx;

fn base(unit: &Unit) -> String {
    format!("/units/{}/templates", unit.code)
}

/// The list of a unit's templates, with a link to write a new one.
pub fn templates_page(cx: &Ctx, unit: &Unit, list: &[ReplyTemplate], ok: Option<&str>) -> Markup {
    let title = format!("{} – {}", cx.t("Svarsmallar", "Reply templates"), unit.name);
    html! {
        (page(cx, &title, html! {
            @if let Some(m) = ok { (notice(true, m)) }
            p { (cx.t("Handläggarna väljer en mall på ärendesidan; platshållarna fylls i med ärendets uppgifter.", "Agents pick a template on the case page; the placeholders are filled in with the case's particulars.")) }
            p { a.button href={(base(unit)) "/new"} { (cx.t("Ny mall", "New template")) } }
            @if list.is_empty() {
                p role="status" { (cx.t("Enheten har inga svarsmallar ännu.", "The unit has no reply templates yet.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Svarsmallar", "Reply templates")) {
                    table {
                        caption.visually-hidden { (cx.t("Svarsmallar", "Reply templates")) }
                        thead { tr {
                            th scope="col" { (cx.t("Namn", "Name")) }
                            th scope="col" { (cx.t("Text", "Text")) }
                            th scope="col" { (cx.t("Åtgärder", "Actions")) }
                        } }
                        tbody {
                            @for t in list {
                                tr {
                                    th scope="row" { (t.name) }
                                    td style="white-space:pre-wrap" { (t.body) }
                                    td.nowrap {
                                        a href={(base(unit)) "/" (t.id) "/edit"} { (cx.t("Ändra", "Edit")) span.visually-hidden { " " (t.name) } }
                                        " · "
                                        a href={(base(unit)) "/" (t.id) "/delete"} { (cx.t("Ta bort", "Delete")) span.visually-hidden { " " (t.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }))
    }
}

/// A template as typed, with its problems.
#[derive(Debug, Clone, Default)]
pub struct TemplateForm {
    pub name: String,
    pub body: String,
    pub problems: Vec<TemplateProblem>,
    /// A problem of the whole form (a name taken).
    pub error: Option<String>,
}

fn problem_text(cx: &Ctx, p: TemplateProblem) -> &'static str {
    match p {
        TemplateProblem::NameMissing => cx.t("Skriv ett namn.", "Write a name."),
        TemplateProblem::NameTooLong => cx.t(
            "Namnet är för långt (högst 100 tecken).",
            "The name is too long (at most 100 characters).",
        ),
        TemplateProblem::BodyMissing => cx.t("Skriv mallens text.", "Write the template's text."),
        TemplateProblem::BodyTooLong => cx.t(
            "Texten är för lång (högst 5 000 tecken).",
            "The text is too long (at most 5,000 characters).",
        ),
    }
}

/// The form to write a new template (`id: None`) or change one.
pub fn template_form(cx: &Ctx, unit: &Unit, id: Option<i64>, f: &TemplateForm) -> Markup {
    let title = match id {
        None => format!(
            "{} – {}",
            cx.t("Ny svarsmall", "New reply template"),
            unit.name
        ),
        Some(_) => format!(
            "{} – {}",
            cx.t("Ändra svarsmall", "Edit reply template"),
            unit.name
        ),
    };
    let action = match id {
        None => base(unit),
        Some(id) => format!("{}/{id}", base(unit)),
    };
    let name_err = f.problems.iter().find(|p| {
        matches!(
            p,
            TemplateProblem::NameMissing | TemplateProblem::NameTooLong
        )
    });
    let body_err = f.problems.iter().find(|p| {
        matches!(
            p,
            TemplateProblem::BodyMissing | TemplateProblem::BodyTooLong
        )
    });
    html! {
        (page(cx, &title, html! {
            @if let Some(e) = &f.error { (notice(false, e)) }
            @if !f.problems.is_empty() {
                div.notice.error role="alert" {
                    p { (cx.t("Mallen är inte sparad:", "The template is not saved:")) }
                    ul {
                        @if let Some(p) = name_err { li { a href="#name" { (problem_text(cx, *p)) } } }
                        @if let Some(p) = body_err { li { a href="#body" { (problem_text(cx, *p)) } } }
                    }
                }
            }
            form method="post" action=(action) {
                (cx.csrf_field())
                label for="name" { (cx.t("Namn", "Name")) }
                @if let Some(p) = name_err { span.error-text #name-error { (problem_text(cx, *p)) } }
                input #name type="text" name="name" value=(f.name) required maxlength="100"
                    aria-invalid=[name_err.map(|_| "true")] aria-describedby=[name_err.map(|_| "name-error")];
                label for="body" {
                    (cx.t("Text", "Text"))
                    span.hint #placeholders { (cx.t("Platshållare:", "Placeholders:")) " "
                        @for (i, (code, sv, en)) in PLACEHOLDERS.iter().enumerate() {
                            @if i > 0 { ", " }
                            code { (code) } " " (cx.t(sv, en))
                        }
                    }
                }
                @if let Some(p) = body_err { span.error-text #body-error { (problem_text(cx, *p)) } }
                textarea #body name="body" rows="8" required
                    aria-invalid=[body_err.map(|_| "true")] aria-describedby=[body_err.map(|_| "body-error")] { (f.body) }
                div {
                    button type="submit" { (cx.t("Spara", "Save")) }
                    " " a href=(base(unit)) { (cx.t("Avbryt", "Cancel")) }
                }
            }
        }))
    }
}

/// The question before a template is deleted.
pub fn delete_page(cx: &Ctx, unit: &Unit, t: &ReplyTemplate) -> Markup {
    let title = format!(
        "{} – {}",
        cx.t("Ta bort svarsmall", "Delete reply template"),
        t.name
    );
    html! {
        (page(cx, &title, html! {
            p { (cx.t("Vill du ta bort mallen", "Do you want to delete the template")) " " strong { (t.name) } "? " (cx.t("Det går inte att ångra.", "It cannot be undone.")) }
            form method="post" action={(base(unit)) "/" (t.id) "/delete"} {
                (cx.csrf_field())
                button type="submit" { (cx.t("Ja, ta bort", "Yes, delete")) }
                " " a href=(base(unit)) { (cx.t("Nej, behåll den", "No, keep it")) }
            }
        }))
    }
}
