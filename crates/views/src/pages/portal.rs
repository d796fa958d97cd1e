//! The customer portal: browse and search the catalogue, order a service.

use std::collections::HashMap;

use maud::{html, Markup};
use serva_domain::catalogue::Service;
use serva_domain::catalogue::{FieldError, FieldKind, FormField};
use serva_domain::format;
use serva_domain::org::Unit;

use crate::layout::{notice, page};
use crate::widgets::{field_problem, option, price_model_label};
use crate::Ctx;

pub struct CatalogueQuery<'a> {
    pub q: &'a str,
    pub category: &'a str,
    pub unit: &'a str,
}

pub fn catalogue_page(
    cx: &Ctx,
    services: &[Service],
    categories: &[String],
    providers: &[Unit],
    query: &CatalogueQuery,
) -> Markup {
    page(
        cx,
        cx.t("Beställ en tjänst", "Order a service"),
        html! {
            @if cx.nav.as_ref().is_some_and(|n| n.is_customer_manager) {
                p { a href="/portal/charges" { (cx.t("Vad förvaltningen har köpt och dess öppna ärenden", "What your department bought, and its open cases")) } }
            }
            form.filters method="get" action="/portal" role="search" {
                div {
                    label for="q" { (cx.t("Sök tjänst", "Search services")) }
                    input #q type="search" name="q" value=(query.q);
                }
                div {
                    label for="category" { (cx.t("Kategori", "Category")) }
                    select #category name="category" {
                        (option("", cx.t("Alla", "All"), query.category))
                        @for c in categories { (option(c, c, query.category)) }
                    }
                }
                div {
                    label for="unit" { (cx.t("Leverantör", "Provider")) }
                    select #unit name="unit" {
                        (option("", cx.t("Alla", "All"), query.unit))
                        @for u in providers { (option(&u.code, &u.name, query.unit)) }
                    }
                }
                div { button type="submit" { (cx.t("Sök", "Search")) } }
            }
            p role="status" { (cx.count(services.len() as i64, ("tjänst", "tjänster"), ("service", "services"))) }
            ul.cards {
                @for s in services {
                    li {
                        h2 style="font-size:1.1rem;margin:0" { a href={"/portal/services/" (s.code)} { (s.name) } }
                        p.meta { (s.unit_name) " · " (s.category) }
                        p { (s.description) }
                        p.meta { (price(cx, s)) }
                    }
                }
            }
        },
    )
}

fn price(cx: &Ctx, s: &Service) -> Markup {
    html! { (format::money_ore(s.price_ore)) " " (price_model_label(cx, s.price_model)) }
}

/// What was typed into an order form, to show again with the errors.
#[derive(Default)]
pub struct OrderInput {
    pub subject: String,
    pub description: String,
    pub answers: HashMap<String, String>,
    pub subject_error: Option<String>,
    pub description_error: Option<String>,
    pub field_errors: Vec<FieldError>,
}

pub fn service_page(cx: &Ctx, s: &Service, input: &OrderInput, can_order: bool) -> Markup {
    let has_errors = input.subject_error.is_some()
        || input.description_error.is_some()
        || !input.field_errors.is_empty();
    page(
        cx,
        &s.name,
        html! {
            @if has_errors {
                div.notice.error role="alert" {
                    p { (cx.t("Beställningen kunde inte skickas. Rätta det som är markerat:", "The order could not be sent. Correct what is marked:")) }
                    ul {
                        @if let Some(e) = &input.subject_error { li { a href="#subject" { (cx.t("Rubrik", "Subject")) ": " (e) } } }
                        @if let Some(e) = &input.description_error { li { a href="#description" { (cx.t("Beskrivning", "Description")) ": " (e) } } }
                        @for e in &input.field_errors { li { a href={"#f_" (e.key)} { (e.label) ": " (field_problem(cx, e.problem)) } } }
                    }
                }
            }
            div.two {
                div {
                    p { (s.description) }
                    @if can_order {
                        h2 { (cx.t("Beställ", "Order")) }
                        form method="post" action={"/portal/services/" (s.code) "/order"} novalidate {
                            (cx.csrf_field())
                            (text_input(cx, "subject", cx.t("Rubrik", "Subject"), &input.subject, true, input.subject_error.as_deref()))
                            label for="description" { (cx.t("Beskrivning", "Description")) " *" }
                            @if let Some(e) = &input.description_error { span.error-text #description-error { (e) } }
                            textarea #description name="description" required
                                aria-invalid=[input.description_error.as_ref().map(|_| "true")]
                                aria-describedby=[input.description_error.as_ref().map(|_| "description-error")] { (input.description) }
                            (order_fields(cx, &s.form, &input.answers, &input.field_errors, ""))
                            p.hint { "* " (cx.t("obligatoriskt", "required")) }
                            button type="submit" { (cx.t("Skicka beställning", "Send order")) }
                        }
                        (crate::pages::chat::start_form(cx, &s.code))
                    } @else {
                        (notice(false, cx.t("Du har ingen behörighet att beställa tjänster.", "You are not allowed to order services.")))
                    }
                }
                aside aria-label=(cx.t("Om tjänsten", "About the service")) {
                    dl.facts {
                        dt { (cx.t("Tjänstekod", "Service code")) } dd { (s.code) }
                        dt { (cx.t("Leverantör", "Provider")) } dd { (s.unit_name) }
                        dt { (cx.t("Kategori", "Category")) } dd { (s.category) }
                        dt { (cx.t("Pris", "Price")) } dd { (price(cx, s)) }
                        @if let Some(m) = s.first_response_minutes {
                            dt { (cx.t("Första svar inom", "First response within")) } dd { (crate::widgets::working_time(cx, m)) }
                        }
                        @if let Some(m) = s.next_response_minutes {
                            dt { (cx.t("Svar på nya frågor inom", "Replies to new questions within")) } dd { (crate::widgets::working_time(cx, m)) }
                        }
                        @if let Some(m) = s.resolution_minutes {
                            dt { (cx.t("Löst inom", "Resolved within")) } dd { (crate::widgets::working_time(cx, m)) }
                        }
                    }
                }
            }
        },
    )
}

/// A service's order-form fields, each with its label, required ones marked, what was typed,
/// and its error beside it (`aria-invalid`, `aria-describedby`). Each input's id is `f_KEY`;
/// its name is `name_prefix` + KEY, so a form with fields of its own can keep them apart.
pub fn order_fields(
    cx: &Ctx,
    fields: &[FormField],
    answers: &HashMap<String, String>,
    errors: &[FieldError],
    name_prefix: &str,
) -> Markup {
    html! {
        @for f in fields {
            @let id = format!("f_{}", f.key);
            @let value = answers.get(&f.key).map(String::as_str).unwrap_or("");
            @let err = errors.iter().find(|e| e.key == f.key);
            @let err_id = format!("{id}-error");
            label for=(id) { (f.label) @if f.required { " *" } }
            @if let Some(e) = err { span.error-text id=(err_id) { (field_problem(cx, e.problem)) } }
            @match f.kind {
                FieldKind::Choice => {
                    select id=(id) name={(name_prefix) (f.key)} required[f.required] aria-invalid=[err.map(|_| "true")]
                        aria-describedby=[err.map(|_| err_id.as_str())] {
                        (option("", cx.t("Välj …", "Choose …"), value))
                        @for c in &f.choices { (option(c, c, value)) }
                    }
                }
                FieldKind::Date => {
                    span.hint { (cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")) }
                    input id=(id) type="text" autocomplete="off" spellcheck="false" size="10" name={(name_prefix) (f.key)} value=(value) required[f.required]
                        aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
                }
                FieldKind::Number => {
                    input id=(id) type="text" inputmode="decimal" name={(name_prefix) (f.key)} value=(value) required[f.required]
                        aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
                }
                FieldKind::Text => {
                    input id=(id) type="text" name={(name_prefix) (f.key)} value=(value) required[f.required]
                        aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
                }
            }
        }
    }
}

pub fn text_input(
    cx: &Ctx,
    name: &str,
    label: &str,
    value: &str,
    required: bool,
    error: Option<&str>,
) -> Markup {
    let err_id = format!("{name}-error");
    let _ = cx;
    html! {
        label for=(name) { (label) @if required { " *" } }
        @if let Some(e) = error { span.error-text id=(err_id) { (e) } }
        input id=(name) type="text" name=(name) value=(value) required[required]
            aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| err_id.as_str())];
    }
}
