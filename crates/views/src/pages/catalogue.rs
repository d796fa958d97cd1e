//! Managing the catalogue: a unit manager publishes and changes their unit's services.

use maud::{html, Markup};
use serva_domain::catalogue::PriceModel;
use serva_domain::catalogue::Service;
use serva_domain::format;
use serva_domain::org::Unit;

use crate::layout::{notice, page};
use crate::widgets::{option, price_model_label};
use crate::Ctx;

pub fn manage_page(cx: &Ctx, services: &[Service], ok: Option<&str>) -> Markup {
    page(
        cx,
        cx.t("Tjänster", "Services"),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            p { a.button href="/catalogue/new" { (cx.t("Ny tjänst", "New service")) } }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Tjänster", "Services")) {
                table {
                    caption.visually-hidden { (cx.t("Tjänster du förvaltar", "Services you manage")) }
                    thead { tr {
                        th scope="col" { (cx.t("Kod", "Code")) }
                        th scope="col" { (cx.t("Namn", "Name")) }
                        th scope="col" { (cx.t("Leverantör", "Provider")) }
                        th.num scope="col" { (cx.t("Pris", "Price")) }
                        th scope="col" { (cx.t("Status", "Status")) }
                    } }
                    tbody {
                        @for s in services {
                            tr {
                                td { a href={"/catalogue/" (s.code) "/edit"} { (s.code) } }
                                td { (s.name) }
                                td { (s.unit_name) }
                                td.num { (format::money_ore(s.price_ore)) " " (price_model_label(cx, s.price_model)) }
                                td { @if s.active { (cx.t("Publicerad", "Published")) } @else { (cx.t("Dold", "Hidden")) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The values of the service form, as typed.
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    pub unit: String,
    pub code: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub price_model: String,
    pub price: String,
    pub first_response_minutes: String,
    pub next_response_minutes: String,
    pub resolution_minutes: String,
    pub form: String,
    pub active: bool,
}

impl ServiceInput {
    pub fn from_service(s: &Service) -> Self {
        ServiceInput {
            unit: s.unit_code.clone(),
            code: s.code.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            category: s.category.clone(),
            price_model: s.price_model.as_str().to_string(),
            price: format::decimal(s.price_ore as f64 / 100.0, 2).replace(format::GROUP, " "),
            first_response_minutes: s
                .first_response_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            next_response_minutes: s
                .next_response_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            resolution_minutes: s
                .resolution_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            form: serva_domain::catalogue::format_form_spec(&s.form),
            active: s.active,
        }
    }
}

/// The form to create (`editing: None`) or change a service.
pub fn service_form(
    cx: &Ctx,
    units: &[Unit],
    v: &ServiceInput,
    editing: Option<&str>,
    errors: &[String],
) -> Markup {
    let title = match editing {
        Some(code) => format!("{} {code}", cx.t("Ändra tjänst", "Edit service")),
        None => cx.t("Ny tjänst", "New service").to_string(),
    };
    let action = match editing {
        Some(code) => format!("/catalogue/{code}"),
        None => "/catalogue".to_string(),
    };
    page(
        cx,
        &title,
        html! {
            @if !errors.is_empty() {
                div.notice.error role="alert" {
                    p { (cx.t("Tjänsten kunde inte sparas:", "The service could not be saved:")) }
                    ul { @for e in errors { li { (e) } } }
                }
            }
            form method="post" action=(action) {
                (cx.csrf_field())
                label for="unit" { (cx.t("Leverantör", "Provider")) }
                select #unit name="unit" { @for u in units { (option(&u.code, &u.name, &v.unit)) } }
                label for="code" { (cx.t("Tjänstekod", "Service code")) span.hint { "A–Z, 0–9, -" } }
                input #code type="text" name="code" value=(v.code) required;
                label for="name" { (cx.t("Namn", "Name")) }
                input #name type="text" name="name" value=(v.name) required;
                label for="description" { (cx.t("Beskrivning", "Description")) }
                textarea #description name="description" { (v.description) }
                label for="category" { (cx.t("Kategori", "Category")) }
                input #category type="text" name="category" value=(v.category) required;
                label for="price_model" { (cx.t("Prismodell", "Price model")) }
                select #price_model name="price_model" {
                    @for p in PriceModel::ALL { (option(p.as_str(), price_model_label(cx, p), &v.price_model)) }
                }
                label for="price" { (cx.t("Pris i kronor", "Price in kronor")) span.hint { (cx.t("till exempel 450 eller 1 234,50", "for example 450 or 1 234.50")) } }
                input #price type="text" inputmode="decimal" name="price" value=(v.price) required;
                fieldset {
                    legend { (cx.t("Servicenivå", "Service level")) }
                    p.hint { (cx.t("Minuter arbetstid enligt leverantörens öppettider (480 = en arbetsdag på 8 timmar). Tomt: inget mål.",
                                   "Minutes of working time by the provider's opening hours (480 = one 8-hour working day). Empty: no target.")) }
                    label for="first_response_minutes" { (cx.t("Första svar inom (minuter)", "First response within (minutes)")) }
                    input #first_response_minutes type="number" min="1" name="first_response_minutes" value=(v.first_response_minutes);
                    label for="next_response_minutes" { (cx.t("Nästa svar inom (minuter)", "Next response within (minutes)")) span.hint { (cx.t("efter att kunden skrivit", "after the customer writes")) } }
                    input #next_response_minutes type="number" min="1" name="next_response_minutes" value=(v.next_response_minutes);
                    label for="resolution_minutes" { (cx.t("Löst inom (minuter)", "Resolved within (minutes)")) span.hint { (cx.t("tiden står still medan ärendet väntar på kunden eller tredje part", "paused while the case waits for the customer or a third party")) } }
                    input #resolution_minutes type="number" min="1" name="resolution_minutes" value=(v.resolution_minutes);
                }
                label for="form" {
                    (cx.t("Beställningsformulär", "Order form"))
                    span.hint { (cx.t("En fråga per rad: nyckel | Fråga | text, number, date eller choice | required eller optional | val, val",
                                       "One question a line: key | Question | text, number, date or choice | required or optional | choice, choice")) }
                    span.hint { (cx.t("Skriv internal efter required eller optional för en fråga som bara handläggarna besvarar och ser (till exempel målgrupp).",
                                       "Write internal after required or optional for a question only the agents answer and see (a target group, say).")) }
                }
                textarea #form name="form" rows="6" { (v.form) }
                label { input type="checkbox" name="active" value="true" checked[v.active]; " " (cx.t("Publicerad i portalen", "Published in the portal")) }
                div { button type="submit" { (cx.t("Spara", "Save")) } }
            }
        },
    )
}
