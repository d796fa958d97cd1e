//! The public pages for citizens: the contact form (no login), its receipt with the follow
//! link, and the follow page where the citizen reads the replies and answers.

use maud::{html, Markup};
use serva_domain::case::{Case, Message};
use serva_domain::org::Unit;
use serva_domain::time::format_datetime;

use crate::layout::{notice, page};
use crate::widgets::status_badge;
use crate::Ctx;

/// What was typed, to show again with the errors next to their fields.
#[derive(Debug, Clone, Default)]
pub struct CitizenInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub subject: String,
    pub message: String,
    pub department: String,
}

/// Each field's error, in the page's language.
#[derive(Debug, Clone, Default)]
pub struct CitizenErrors {
    pub contact: Option<String>,
    pub subject: Option<String>,
    pub message: Option<String>,
    pub department: Option<String>,
}

impl CitizenErrors {
    pub fn any(&self) -> bool {
        self.contact.is_some()
            || self.subject.is_some()
            || self.message.is_some()
            || self.department.is_some()
    }
}

fn error_of(cx: &Ctx, id: &str, e: &Option<String>) -> Markup {
    html! { @if let Some(e) = e { p.field-error id=(format!("{id}-error")) { strong { (cx.t("Fel: ", "Error: ")) } (e) } } }
}

fn described(id: &str, e: &Option<String>) -> Option<String> {
    e.as_ref().map(|_| format!("{id}-error"))
}

/// `/kontakt`: the public contact form.
pub fn contact_form_page(
    cx: &Ctx,
    departments: &[Unit],
    v: &CitizenInput,
    e: &CitizenErrors,
) -> Markup {
    page(
        cx,
        cx.t("Kontakta kommunen", "Contact the municipality"),
        html! {
            @if e.any() {
                (notice(false, cx.t("Formuläret har fel. Rätta fälten som är markerade nedan.", "The form has errors. Correct the fields marked below.")))
            }
            p { (cx.t(
                "Skriv till Kontakt Linköping. Du behöver inte logga in. Du får ett ärendenummer och en länk där du kan följa ärendet och svara.",
                "Write to Kontakt Linköping. You do not need to log in. You get a case number and a link where you can follow the case and reply."
            )) }
            form method="post" action="/kontakt" novalidate {
                fieldset {
                    legend { (cx.t("Dina kontaktuppgifter", "Your contact details")) }
                    p.hint #contact-hint { (cx.t("Ange e-post eller telefonnummer (eller båda), så att vi kan svara dig.", "Give an e-mail address or a phone number (or both), so we can answer you.")) }
                    (error_of(cx, "contact", &e.contact))
                    label for="name" { (cx.t("Namn (frivilligt)", "Name (optional)")) }
                    input #name type="text" name="name" value=(v.name) autocomplete="name" maxlength="200";
                    label for="email" { (cx.t("E-post", "E-mail")) }
                    input #email type="email" name="email" value=(v.email) autocomplete="email" maxlength="254"
                        aria-invalid=[e.contact.as_ref().map(|_| "true")] aria-describedby=(described("contact", &e.contact).unwrap_or_else(|| "contact-hint".into()));
                    label for="phone" { (cx.t("Telefon", "Phone")) }
                    input #phone type="tel" name="phone" value=(v.phone) autocomplete="tel" maxlength="40"
                        aria-invalid=[e.contact.as_ref().map(|_| "true")] aria-describedby=(described("contact", &e.contact).unwrap_or_else(|| "contact-hint".into()));
                }
                label for="department" { (cx.t("Vilken förvaltning gäller det? (frivilligt)", "Which department is it about? (optional)")) }
                (error_of(cx, "department", &e.department))
                select #department name="department" aria-invalid=[e.department.as_ref().map(|_| "true")] aria-describedby=[described("department", &e.department)] {
                    option value="" { (cx.t("Vet inte", "Don't know")) }
                    @for d in departments {
                        option value=(d.code) selected[v.department == d.code.as_str()] { (d.name) }
                    }
                }
                label for="subject" { (cx.t("Rubrik", "Subject")) }
                (error_of(cx, "subject", &e.subject))
                input #subject type="text" name="subject" value=(v.subject) required maxlength="200"
                    aria-invalid=[e.subject.as_ref().map(|_| "true")] aria-describedby=[described("subject", &e.subject)];
                label for="message" { (cx.t("Ditt meddelande", "Your message")) }
                (error_of(cx, "message", &e.message))
                textarea #message name="message" rows="8" required
                    aria-invalid=[e.message.as_ref().map(|_| "true")] aria-describedby=[described("message", &e.message)] { (v.message) }
                // A field people do not see and bots fill in: a post with it filled makes no case.
                div.visually-hidden aria-hidden="true" {
                    label for="website" { (cx.t("Lämna detta fält tomt", "Leave this field empty")) }
                    input #website type="text" name="website" tabindex="-1" autocomplete="off";
                }
                div { button type="submit" { (cx.t("Skicka", "Send")) } }
            }
            p { a href="/login" { (cx.t("Logga in (för medarbetare)", "Log in (staff)")) } }
        },
    )
}

/// The answer to a sent form: the case number and the follow link, shown once.
pub fn contact_sent_page(cx: &Ctx, number: &str, follow_url: &str) -> Markup {
    page(
        cx,
        cx.t(
            "Tack, vi har tagit emot ditt ärende",
            "Thank you, we have received your errand",
        ),
        html! {
            (notice(true, cx.t("Ditt meddelande är skickat.", "Your message has been sent.")))
            p { (cx.t("Ärendenummer: ", "Case number: ")) strong { (number) } }
            p { (cx.t(
                "Spara länken nedan. Med den kan du följa ärendet och svara på våra frågor. Den som har länken kan läsa ärendet, så dela den inte.",
                "Keep the link below. With it you can follow the case and answer our questions. Anyone with the link can read the case, so do not share it."
            )) }
            p { a href=(follow_url) { (follow_url) } }
        },
    )
}

/// The rate limit's answer.
pub fn too_many_page(cx: &Ctx, minutes: i64) -> Markup {
    page(
        cx,
        cx.t("För många meddelanden", "Too many messages"),
        html! {
            p { (match cx.lang {
                crate::Lang::Sv => format!("Du har skickat många meddelanden på kort tid. Vänta {minutes} minuter och försök igen, eller ring Kontakt Linköping."),
                crate::Lang::En => format!("You have sent many messages in a short time. Wait {minutes} minutes and try again, or call Kontakt Linköping."),
            }) }
        },
    )
}

/// `/follow/{token}`: the case as the citizen sees it, and a reply form.
pub fn follow_page(
    cx: &Ctx,
    token: &str,
    case: &Case,
    messages: &[Message],
    ok: Option<&str>,
    error: Option<&str>,
    survey: Option<(
        serva_domain::survey::Scale,
        serva_domain::survey::SurveyStatus,
    )>,
) -> Markup {
    let title = format!("{} {}", case.number(), case.subject);
    page(
        cx,
        &title,
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(e) = error { (notice(false, e)) }
            dl.facts {
                dt { (cx.t("Ärendenummer", "Case number")) } dd { (case.number()) }
                dt { (cx.t("Status", "Status")) } dd { (status_badge(cx, case.status)) }
                dt { (cx.t("Skickat", "Sent")) } dd { (format_datetime(case.created_at)) }
            }
            h2 { (cx.t("Ditt meddelande", "Your message")) }
            p style="white-space:pre-wrap" { (case.description) }
            h2 { (cx.t("Svar och meddelanden", "Replies and messages")) }
            @if messages.is_empty() {
                p { (cx.t("Inga svar ännu.", "No replies yet.")) }
            } @else {
                ol.thread {
                    @for m in messages {
                        li {
                            p.meta {
                                strong { (if m.author_id.is_some() { cx.t("Kommunen", "The municipality") } else { cx.t("Du", "You") }) }
                                " · " (format_datetime(m.created_at))
                            }
                            p style="white-space:pre-wrap" { (m.body) }
                        }
                    }
                }
            }
            @if let Some((scale, status)) = survey {
                (crate::pages::surveys::shown_survey(cx, &format!("/follow/{token}/survey"), scale, status, &case.unit_name, false))
            }
            form method="post" action={"/follow/" (token) "/reply"} {
                label for="body" { (cx.t("Skriv ett svar", "Write a reply")) }
                textarea #body name="body" rows="5" required {}
                div { button type="submit" { (cx.t("Skicka svar", "Send reply")) } }
            }
        },
    )
}
