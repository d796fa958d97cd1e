//! Price lists: the prices valid on a day, a service's history with "Ändra pris från och med",
//! the drafts of a coming list, and one draft compared with today's prices and published.

use std::collections::{BTreeMap, HashMap};

use maud::{html, Markup};
use serva_domain::billing::price_draft::{PriceHistoryRow, PriceListHead, PriceListRow};
use serva_domain::billing::price_list::PriceEntry;
use serva_domain::billing::simulator::{Comparison, CustomerCost};
use serva_domain::catalogue::{PriceModel, Service};
use serva_domain::format::{money_ore, percent};

use crate::layout::{notice, page};
use crate::widgets::{option, price_model_label, time};
use crate::Ctx;

/// Öre as a price field's value: `1234,50`.
pub fn kr_input(ore: i64) -> String {
    format!("{},{:02}", ore / 100, (ore % 100).abs())
}

/// Tenths of a percent as `2,5 %`.
pub fn permille_text(p: i64) -> String {
    percent(p as f64 / 10.0, 1)
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A text field with its label, hint and error beside it.
pub fn field(
    cx: &Ctx,
    (id, label, hint): (&str, &str, Option<&str>),
    value: &str,
    error: Option<&str>,
) -> Markup {
    let described: Vec<String> = [
        hint.map(|_| format!("{id}-hint")),
        error.map(|_| format!("{id}-error")),
    ]
    .into_iter()
    .flatten()
    .collect();
    html! {
        div {
            label for=(id) { (label) }
            @if let Some(h) = hint { span.hint id={(id) "-hint"} { (h) } }
            @if let Some(e) = error { p.field-error id={(id) "-error"} { strong { (cx.t("Fel: ", "Error: ")) } (e) } }
            input id=(id) name=(id) type="text" autocomplete="off" value=(value)
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[(!described.is_empty()).then(|| described.join(" "))];
        }
    }
}

fn model_select(cx: &Ctx, id: &str, label: &str, current: &str) -> Markup {
    html! {
        div {
            label for=(id) { (label) }
            select id=(id) name=(id) {
                @for p in PriceModel::ALL { (option(p.as_str(), price_model_label(cx, p), current)) }
            }
        }
    }
}

/// The price list of a day.
pub struct PricesView<'a> {
    pub day: &'a str,
    pub unit: &'a str,
    /// Units that deliver services this person prices: (code, name).
    pub units: &'a [(String, String)],
    pub rows: &'a [(&'a Service, Option<&'a PriceEntry>)],
}

pub fn prices_page(cx: &Ctx, v: &PricesView) -> Markup {
    let qs = format!("day={}&unit={}", v.day, v.unit);
    page(
        cx,
        cx.t("Prislistor", "Price lists"),
        html! {
            p { a href="/billing" { (cx.t("Till debiteringen", "To billing")) } " · "
                a href="/billing/prices/drafts" { (cx.t("Nästa års prislista (utkast)", "Next year's list (drafts)")) } " · "
                a href="/billing/simulator" { (cx.t("Prissimulering", "Pricing simulator")) } }
            form.filters method="get" action="/billing/prices" {
                (field(cx, ("day", cx.t("Priser per dag", "Prices on"), Some(cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"))), v.day, None))
                div {
                    label for="unit" { (cx.t("Levererande enhet", "Provider")) }
                    select #unit name="unit" {
                        (option("", cx.t("Alla", "All"), v.unit))
                        @for (code, name) in v.units { (option(code, name, v.unit)) }
                    }
                }
                div { button type="submit" { (cx.t("Visa", "Show")) } }
            }
            p { (cx.t("Exportera listan:", "Export the list:")) " "
                a href={"/billing/prices/export?format=xlsx&" (qs)} { "Excel (XLSX)" } " · "
                a href={"/billing/prices/export?format=csv&" (qs)} { "CSV" } }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Prislista", "Price list")) {
                table {
                    caption.visually-hidden { (cx.t("Pris per tjänst", "Price per service")) " " (v.day) }
                    thead { tr {
                        th scope="col" { (cx.t("Tjänst", "Service")) }
                        th scope="col" { (cx.t("Levererande enhet", "Provider")) }
                        th scope="col" { (cx.t("Prismodell", "Price model")) }
                        th.num scope="col" { (cx.t("Pris", "Price")) }
                        th scope="col" { (cx.t("Gäller", "Valid")) }
                    } }
                    tbody {
                        @for (s, e) in v.rows {
                            tr {
                                th scope="row" { a href={"/billing/prices/" (s.code)} { (s.code) } " " (s.name) }
                                td { (s.unit_name) }
                                @match e {
                                    Some(e) => {
                                        td { (price_model_label(cx, e.model)) }
                                        td.num { (money_ore(e.price_ore)) }
                                        td { (validity(cx, e)) }
                                    }
                                    None => { td {} td.num { "–" } td { (cx.t("inget pris", "no price")) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn validity(cx: &Ctx, e: &PriceEntry) -> Markup {
    html! {
        @if e.from_catalogue() { (cx.t("katalogpris", "catalogue price")) }
        @else { (cx.t("från", "from")) " " (day(e.valid_from)) }
        @if let Some(t) = e.valid_to { " " (cx.t("till", "to")) " " (day(t)) }
    }
}

/// The "Ändra pris från och med" form as posted (or empty), with its field errors.
#[derive(Debug, Default)]
pub struct PriceForm {
    pub price: String,
    pub model: String,
    pub from: String,
    pub errors: HashMap<&'static str, String>,
}

pub fn history_page(
    cx: &Ctx,
    s: &Service,
    today: Option<&PriceEntry>,
    entries: &[PriceHistoryRow],
    f: &PriceForm,
    ok: Option<&str>,
) -> Markup {
    let err = |k: &str| f.errors.get(k).map(String::as_str);
    page(
        cx,
        &format!("{} {}", cx.t("Prishistorik", "Price history"), s.code),
        html! {
            p { a href="/billing/prices" { (cx.t("Till prislistan", "To the price list")) } }
            @if let Some(m) = ok { (notice(true, m)) }
            @if !f.errors.is_empty() { (notice(false, cx.t("Priset sparades inte. Rätta felen nedan.", "The price was not saved. Correct the errors below."))) }
            p { strong { (s.name) } " · " (s.unit_name) }
            p { (cx.t("Pris i dag:", "Price today:")) " "
                @match today {
                    Some(e) => { (money_ore(e.price_ore)) " " (price_model_label(cx, e.model)) " (" (validity(cx, e)) ")" }
                    None => { (cx.t("inget", "none")) }
                } }
            h2 { (cx.t("Alla priser", "Every price")) }
            @if entries.is_empty() {
                p { (cx.t("Tjänsten har inga egna priser; katalogpriset gäller.", "The service has no prices of its own; the catalogue price applies.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Prishistorik", "Price history")) {
                    table {
                        caption.visually-hidden { (cx.t("Prishistorik", "Price history")) }
                        thead { tr {
                            th scope="col" { (cx.t("Från", "From")) }
                            th scope="col" { (cx.t("Till", "To")) }
                            th scope="col" { (cx.t("Prismodell", "Price model")) }
                            th.num scope="col" { (cx.t("Pris", "Price")) }
                            th scope="col" { (cx.t("Satt av", "Set by")) }
                        } }
                        tbody {
                            @for h in entries {
                                tr {
                                    th scope="row" { (day(h.entry.valid_from)) }
                                    td { (h.entry.valid_to.map(day).unwrap_or_else(|| "–".into())) }
                                    td { (price_model_label(cx, h.entry.model)) }
                                    td.num { (money_ore(h.entry.price_ore)) }
                                    td { (h.created_by.as_deref().unwrap_or("–")) " " (time(h.created_at)) }
                                }
                            }
                        }
                    }
                }
            }
            h2 #andra { (cx.t("Ändra pris från och med", "Change the price from")) }
            form method="post" action={"/billing/prices/" (s.code)} {
                (cx.csrf_field())
                (field(cx, ("price", cx.t("Nytt pris i kronor", "New price in kronor"), Some(cx.t("till exempel 450 eller 1 234,50", "for example 450 or 1 234.50"))), &f.price, err("price")))
                (model_select(cx, "model", cx.t("Prismodell", "Price model"), &f.model))
                (field(cx, ("from", cx.t("Gäller från och med", "Valid from"), Some(cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"))), &f.from, err("from")))
                p.hint { (cx.t("Priset före slutar dagen innan. Ett pris som redan börjar samma dag ändras inte.", "The price before ends the day before. A price that already starts that day is not changed.")) }
                button type="submit" { (cx.t("Spara priset", "Save the price")) }
            }
        },
    )
}

/// The "Nytt utkast" form as posted.
#[derive(Debug, Default)]
pub struct DraftForm {
    pub year: String,
    pub from: String,
    pub unit: String,
    pub errors: HashMap<&'static str, String>,
}

pub fn drafts_page(
    cx: &Ctx,
    lists: &[PriceListHead],
    units: &[(String, String)],
    may_all: bool,
    f: &DraftForm,
) -> Markup {
    let err = |k: &str| f.errors.get(k).map(String::as_str);
    page(
        cx,
        cx.t("Prislistor, utkast", "Price lists, drafts"),
        html! {
            p { a href="/billing/prices" { (cx.t("Till prislistan", "To the price list")) } }
            @if !f.errors.is_empty() { (notice(false, cx.t("Utkastet skapades inte. Rätta felen nedan.", "The draft was not created. Correct the errors below."))) }
            @if lists.is_empty() {
                p { (cx.t("Inga utkast ännu.", "No drafts yet.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Prislistor", "Price lists")) {
                    table {
                        caption.visually-hidden { (cx.t("Prislistor", "Price lists")) }
                        thead { tr {
                            th scope="col" { (cx.t("Namn", "Name")) }
                            th scope="col" { (cx.t("Gäller från", "Valid from")) }
                            th scope="col" { (cx.t("Status", "Status")) }
                            th scope="col" { (cx.t("Skapad", "Created")) }
                        } }
                        tbody {
                            @for l in lists {
                                tr {
                                    th scope="row" { a href={"/billing/prices/drafts/" (l.id)} { (l.name) } }
                                    td { (day(l.valid_from)) }
                                    td { @if l.published_at.is_some() { (cx.t("Publicerad", "Published")) } @else { (cx.t("Utkast", "Draft")) } }
                                    td { (l.created_by.as_deref().unwrap_or("–")) " " (time(l.created_at)) }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (cx.t("Nytt utkast", "New draft")) }
            form method="post" action="/billing/prices/drafts" {
                (cx.csrf_field())
                (field(cx, ("year", cx.t("År", "Year"), Some(cx.t("ÅÅÅÅ", "YYYY"))), &f.year, err("year")))
                (field(cx, ("from", cx.t("Gäller från och med (valfritt)", "Valid from (optional)"), Some(cx.t("ÅÅÅÅ-MM-DD; tomt = 1 januari", "YYYY-MM-DD; empty = 1 January"))), &f.from, err("from")))
                div {
                    label for="unit" { (cx.t("Tjänster", "Services")) }
                    @if let Some(e) = err("unit") { p.field-error id="unit-error" { strong { (cx.t("Fel: ", "Error: ")) } (e) } }
                    select #unit name="unit" aria-invalid=[err("unit").map(|_| "true")] aria-describedby=[err("unit").map(|_| "unit-error")] {
                        @if may_all { (option("", cx.t("Alla tjänster", "Every service"), &f.unit)) }
                        @for (code, name) in units { (option(code, name, &f.unit)) }
                    }
                }
                p.hint { (cx.t("Raderna börjar med priserna som gäller första dagen, annars dagens.", "The rows start from the prices valid on the first day, or today's.")) }
                button type="submit" { (cx.t("Skapa utkast", "Create the draft")) }
            }
        },
    )
}

/// One draft's page.
pub struct DraftPage<'a> {
    pub head: &'a PriceListHead,
    pub rows: &'a [PriceListRow],
    pub comparison: &'a [Comparison],
    pub customers: &'a [CustomerCost],
    /// Service code → name.
    pub names: &'a BTreeMap<String, String>,
    /// Unit code → name.
    pub unit_names: &'a HashMap<String, String>,
    /// Values posted (field → value), to show again beside their errors.
    pub posted: &'a HashMap<String, String>,
    pub errors: &'a HashMap<String, String>,
}

pub fn draft_page(cx: &Ctx, v: &DraftPage, ok: Option<&str>, error: Option<&str>) -> Markup {
    let h = v.head;
    let editable = h.published_at.is_none();
    let base = format!("/billing/prices/drafts/{}", h.id);
    page(
        cx,
        &h.name,
        html! {
            p { a href="/billing/prices/drafts" { (cx.t("Alla utkast", "Every draft")) } }
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(m) = error { (notice(false, m)) }
            @if !v.errors.is_empty() { (notice(false, cx.t("Priserna sparades inte. Rätta felen nedan.", "The prices were not saved. Correct the errors below."))) }
            p { (cx.t("Gäller från och med", "Valid from")) " " strong { (day(h.valid_from)) } ". "
                @match h.published_at {
                    Some(at) => { (cx.t("Publicerad", "Published")) " " (time(at)) @if let Some(b) = &h.published_by { " " (cx.t("av", "by")) " " (b) } ". " (cx.t("Listan kan inte längre ändras.", "The list can no longer change.")) }
                    None => { (cx.t("Utkast: inget gäller förrän listan publiceras.", "Draft: nothing applies until the list is published.")) }
                } }
            p { (cx.t("Exportera:", "Export:")) " "
                a href={(base) "/export?format=xlsx"} { "Excel (XLSX)" } " · "
                a href={(base) "/export?format=csv"} { "CSV" } }
            h2 { (cx.t("Jämförelse med dagens priser", "Compared with today's prices")) }
            form method="post" action={(base) "/rows"} {
                (cx.csrf_field())
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Jämförelse", "Comparison")) {
                    table {
                        caption.visually-hidden { (cx.t("Pris i dag och i utkastet per tjänst", "Price today and in the draft per service")) }
                        thead { tr {
                            th scope="col" { (cx.t("Tjänst", "Service")) }
                            th.num scope="col" { (cx.t("Nu", "Now")) }
                            th.num scope="col" { (cx.t("Utkast", "Draft")) }
                            th.num scope="col" { (cx.t("Ändring, kr", "Change, kr")) }
                            th.num scope="col" { (cx.t("Ändring, %", "Change, %")) }
                            th scope="col" { (cx.t("Prismodell", "Price model")) }
                        } }
                        tbody {
                            @for (r, c) in v.rows.iter().zip(v.comparison) {
                                @let pid = format!("price_{}", r.service);
                                @let mid = format!("model_{}", r.service);
                                @let e = v.errors.get(&pid);
                                tr {
                                    th scope="row" { (r.service) " " (v.names.get(&r.service).map(String::as_str).unwrap_or("")) }
                                    td.num { (c.now_ore.map(money_ore).unwrap_or_else(|| "–".into())) }
                                    td.num {
                                        @if editable {
                                            label.visually-hidden for=(pid) { (cx.t("Pris i kronor för", "Price in kronor of")) " " (r.service) }
                                            @if let Some(e) = e { p.field-error id={(pid) "-error"} { strong { (cx.t("Fel: ", "Error: ")) } (e) } }
                                            input id=(pid) name=(pid) type="text" inputmode="decimal" size="10" autocomplete="off"
                                                value=(v.posted.get(&pid).cloned().unwrap_or_else(|| kr_input(r.price_ore)))
                                                aria-invalid=[e.map(|_| "true")] aria-describedby=[e.map(|_| format!("{pid}-error"))];
                                        } @else { (money_ore(r.price_ore)) }
                                    }
                                    td.num { (c.change_ore().map(money_ore).unwrap_or_else(|| "–".into())) }
                                    td.num { (c.change_permille().map(permille_text).unwrap_or_else(|| "–".into())) }
                                    td {
                                        @if editable {
                                            label.visually-hidden for=(mid) { (cx.t("Prismodell för", "Price model of")) " " (r.service) }
                                            select id=(mid) name=(mid) {
                                                @for p in PriceModel::ALL { (option(p.as_str(), price_model_label(cx, p), v.posted.get(&mid).map(String::as_str).unwrap_or(r.model.as_str()))) }
                                            }
                                        } @else { (price_model_label(cx, r.model)) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if editable { button type="submit" { (cx.t("Spara priserna", "Save the prices")) } }
            }
            h2 { (cx.t("Vad utkastet gör för varje kund", "What the draft does to each customer")) }
            p.hint { (cx.t("Årets volymer hittills, uppräknade till helår, gånger dagens pris och utkastets.", "This year's volumes so far, extrapolated to the full year, at today's price and the draft's.")) }
            (customer_table(cx, v.customers, v.unit_names))
            @if editable {
                h2 { (cx.t("Publicera", "Publish")) }
                form method="post" action={(base) "/publish"} {
                    (cx.csrf_field())
                    p.hint { (cx.t("Priserna börjar gälla", "The prices apply from")) " " (day(h.valid_from)) ". " (cx.t("Allt sparas på en gång eller inte alls; därefter kan listan inte ändras.", "Everything is saved at once or not at all; then the list cannot change.")) }
                    button type="submit" { (cx.t("Publicera prislistan", "Publish the price list")) }
                }
            }
        },
    )
}

/// Each customer's cost before and after, with the change.
pub fn customer_table(
    cx: &Ctx,
    customers: &[CustomerCost],
    unit_names: &HashMap<String, String>,
) -> Markup {
    html! {
        @if customers.is_empty() {
            p { (cx.t("Inga volymer i år.", "No volumes this year.")) }
        } @else {
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Kundernas kostnad", "Customers' cost")) {
                table {
                    caption.visually-hidden { (cx.t("Kostnad per kund före och efter", "Cost per customer before and after")) }
                    thead { tr {
                        th scope="col" { (cx.t("Kund", "Customer")) }
                        th.num scope="col" { (cx.t("Före", "Before")) }
                        th.num scope="col" { (cx.t("Efter", "After")) }
                        th.num scope="col" { (cx.t("Ändring", "Change")) }
                    } }
                    tbody {
                        @for c in customers {
                            tr {
                                th scope="row" { (unit_names.get(&c.customer).cloned().unwrap_or_else(|| c.customer.clone())) }
                                td.num { (money_ore(c.before_ore)) }
                                td.num { (money_ore(c.after_ore)) }
                                td.num { (money_ore(c.after_ore - c.before_ore)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
