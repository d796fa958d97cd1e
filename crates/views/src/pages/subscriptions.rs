//! `/billing/subscriptions`: customers' subscriptions of per-unit-month and subscription
//! services, filtered; one subscription's history; a form to start, change or end one.

use maud::{html, Markup};
use serva_domain::billing::subscription::Subscription;

use crate::layout::{notice, page};
use crate::widgets::{option, price_model_label};
use crate::Ctx;

/// The change form as typed, with what was wrong beside each field.
#[derive(Debug, Clone, Default)]
pub struct ChangeForm {
    pub customer: String,
    pub service: String,
    pub quantity: String,
    pub from: String,
    pub customer_error: Option<String>,
    pub service_error: Option<String>,
    pub quantity_error: Option<String>,
    pub from_error: Option<String>,
}

pub struct SubscriptionsView<'a> {
    pub list: &'a [Subscription],
    /// The subscription whose history is shown.
    pub shown: Option<&'a Subscription>,
    /// (code, name) of the units that may buy, of the services, of the providing units.
    pub customers: &'a [(String, String)],
    pub services: &'a [(String, String)],
    pub providers: &'a [(String, String)],
    /// The filters as chosen: customer, service and provider codes.
    pub filter: (&'a str, &'a str, &'a str),
    pub today: chrono::NaiveDate,
    pub form: &'a ChangeForm,
    pub ok: Option<&'a str>,
    pub error: Option<&'a str>,
}

fn field(
    cx: &Ctx,
    id: &str,
    label: &str,
    hint: Option<&str>,
    err: Option<&String>,
    input: Markup,
) -> Markup {
    html! {
        div {
            label for=(id) { (label) }
            @if let Some(h) = hint { span.hint id={(id) "-hint"} { (h) } }
            @if let Some(e) = err { p.field-error id={(id) "-error"} { strong { (cx.t("Fel: ", "Error: ")) } (e) } }
            (input)
        }
    }
}

fn described(id: &str, hint: bool, err: Option<&String>) -> Option<String> {
    let mut v = Vec::new();
    if hint {
        v.push(format!("{id}-hint"));
    }
    if err.is_some() {
        v.push(format!("{id}-error"));
    }
    (!v.is_empty()).then(|| v.join(" "))
}

pub fn subscriptions_page(cx: &Ctx, v: &SubscriptionsView) -> Markup {
    let f = v.form;
    page(
        cx,
        cx.t("Abonnemang", "Subscriptions"),
        html! {
            @if let Some(m) = v.ok { (notice(true, m)) }
            @if let Some(m) = v.error { (notice(false, m)) }
            p { (cx.t("Tjänster som debiteras per enhet och månad eller som abonnemang. En månad debiteras i proportion till de dagar varje antal gällde.", "Services charged per unit and month or as a subscription. A month is charged in proportion to the days each quantity applied.")) }
            form.filters method="get" action="/billing/subscriptions" {
                div {
                    label for="f-customer" { (cx.t("Kund", "Customer")) }
                    select #f-customer name="customer" {
                        (option("", cx.t("Alla", "All"), v.filter.0))
                        @for (c, n) in v.customers { (option(c, &format!("{n} ({c})"), v.filter.0)) }
                    }
                }
                div {
                    label for="f-service" { (cx.t("Tjänst", "Service")) }
                    select #f-service name="service" {
                        (option("", cx.t("Alla", "All"), v.filter.1))
                        @for (c, n) in v.services { (option(c, &format!("{n} ({c})"), v.filter.1)) }
                    }
                }
                div {
                    label for="f-provider" { (cx.t("Levererande enhet", "Provider")) }
                    select #f-provider name="provider" {
                        (option("", cx.t("Alla", "All"), v.filter.2))
                        @for (c, n) in v.providers { (option(c, n, v.filter.2)) }
                    }
                }
                div { button type="submit" { (cx.t("Visa", "Show")) } }
            }
            h2 { (cx.t("Abonnemang", "Subscriptions")) }
            @if v.list.is_empty() {
                p { (cx.t("Inga abonnemang.", "No subscriptions.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Abonnemang", "Subscriptions")) {
                    table {
                        caption.visually-hidden { (cx.t("Abonnemang per kund och tjänst", "Subscriptions per customer and service")) }
                        thead { tr {
                            th scope="col" { (cx.t("Kund", "Customer")) }
                            th scope="col" { (cx.t("Tjänst", "Service")) }
                            th scope="col" { (cx.t("Prismodell", "Price model")) }
                            th scope="col" { (cx.t("Levererande enhet", "Provider")) }
                            th.num scope="col" { (cx.t("Antal i dag", "Quantity today")) }
                            th scope="col" { (cx.t("Historik", "History")) }
                        } }
                        tbody {
                            @for s in v.list {
                                tr {
                                    th scope="row" { (s.customer_name) " (" (s.customer) ")" }
                                    td { (s.service_name) " (" (s.service) ")" }
                                    td { (price_model_label(cx, s.model)) }
                                    td { (s.provider_name) }
                                    td.num { (s.quantity_on(v.today).to_swedish()) }
                                    td { a href={"/billing/subscriptions?subscription=" (s.id) "#history"} { (cx.t("Visa", "Show")) span.visually-hidden { " " (s.customer) " " (s.service) } } }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(s) = v.shown {
                h2 #history { (cx.t("Historik", "History")) ": " (s.customer_name) ", " (s.service_name) }
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Historik", "History")) {
                    table {
                        caption.visually-hidden { (cx.t("Abonnemangets perioder", "The subscription's periods")) }
                        thead { tr {
                            th scope="col" { (cx.t("Från", "From")) }
                            th scope="col" { (cx.t("Till", "To")) }
                            th.num scope="col" { (cx.t("Antal", "Quantity")) }
                            th scope="col" { (cx.t("Beställt i ärende", "Ordered in case")) }
                        } }
                        tbody {
                            @for p in &s.periods {
                                tr {
                                    td { (p.valid_from.format("%Y-%m-%d").to_string()) }
                                    td { @match p.valid_to { Some(t) => (t.format("%Y-%m-%d").to_string()), None => (cx.t("tills vidare", "until further notice")) } }
                                    td.num { (p.quantity.to_swedish()) }
                                    td { @if let Some(c) = p.case_id { a href={"/cases/" (c)} { (cx.t("Ärende", "Case")) " " (c) } } }
                                }
                            }
                        }
                    }
                }
            }
            h2 #change { (cx.t("Starta, ändra eller avsluta", "Start, change or end")) }
            form method="post" action="/billing/subscriptions" {
                (cx.csrf_field())
                (field(cx, "customer", cx.t("Kund", "Customer"), None, f.customer_error.as_ref(), html! {
                    select #customer name="customer" aria-invalid=[f.customer_error.as_ref().map(|_| "true")] aria-describedby=[described("customer", false, f.customer_error.as_ref())] {
                        (option("", cx.t("Välj kund", "Choose a customer"), &f.customer))
                        @for (c, n) in v.customers { (option(c, &format!("{n} ({c})"), &f.customer)) }
                    }
                }))
                (field(cx, "service", cx.t("Tjänst", "Service"), None, f.service_error.as_ref(), html! {
                    select #service name="service" aria-invalid=[f.service_error.as_ref().map(|_| "true")] aria-describedby=[described("service", false, f.service_error.as_ref())] {
                        (option("", cx.t("Välj tjänst", "Choose a service"), &f.service))
                        @for (c, n) in v.services { (option(c, &format!("{n} ({c})"), &f.service)) }
                    }
                }))
                (field(cx, "quantity", cx.t("Antal", "Quantity"), Some(cx.t("0 avslutar abonnemanget; ett abonnemang har antalet 1", "0 ends it; a subscription's quantity is 1")), f.quantity_error.as_ref(), html! {
                    input #quantity name="quantity" type="text" inputmode="numeric" autocomplete="off" required size="6" value=(f.quantity)
                        aria-invalid=[f.quantity_error.as_ref().map(|_| "true")] aria-describedby=[described("quantity", true, f.quantity_error.as_ref())];
                }))
                (field(cx, "from", cx.t("Från och med", "From"), Some(cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")), f.from_error.as_ref(), html! {
                    input #from name="from" type="text" inputmode="numeric" autocomplete="off" placeholder="ÅÅÅÅ-MM-DD" required value=(f.from)
                        aria-invalid=[f.from_error.as_ref().map(|_| "true")] aria-describedby=[described("from", true, f.from_error.as_ref())];
                }))
                div { button type="submit" { (cx.t("Spara", "Save")) } }
            }
        },
    )
}
