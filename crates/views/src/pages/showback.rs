//! Showback in the portal: what the customer manager's department bought, per locked month and
//! service, each amount linking to the charge lines behind it, and the department's open cases
//! per service beside it.

use maud::{html, Markup};
use serva_domain::billing::money::Milli;
use serva_domain::billing::run::Source;
use serva_domain::format::{int, money_ore};

use crate::layout::page;
use crate::widgets::urlencode;
use crate::Ctx;

/// A month's purchase of one service.
pub struct ChargeRow<'a> {
    pub month: &'a str,
    pub service: &'a str,
    pub service_name: &'a str,
    pub quantity: Milli,
    pub amount_ore: i64,
    pub lines: i64,
}

/// The open cases of one service.
pub struct OpenRow<'a> {
    pub service: &'a str,
    pub service_name: &'a str,
    pub open: i64,
}

/// One charge line behind an amount.
pub struct LineRow {
    pub day: chrono::NaiveDate,
    pub source: Source,
    /// The case's number as people quote it, when the line charges a case.
    pub case_number: Option<String>,
    pub quantity: Milli,
    pub price_ore: i64,
    pub amount_ore: i64,
}

fn lines_href(month: &str, service: &str) -> String {
    format!(
        "/portal/charges/lines?month={}&service={}",
        urlencode(month),
        urlencode(service)
    )
}

pub fn showback_page(cx: &Ctx, charges: &[ChargeRow], open: &[OpenRow]) -> Markup {
    let title = cx.t("Vad förvaltningen har köpt", "What your department bought");
    page(
        cx,
        title,
        html! {
            p { (cx.t(
                "Debiterade tjänster per månad, från låsta debiteringar. Välj ett belopp för att se raderna bakom det.",
                "Services charged per month, from locked billing runs. Choose an amount to see the lines behind it."
            )) }
            h2 { (cx.t("Debiterat per månad och tjänst", "Charged per month and service")) }
            @if charges.is_empty() {
                p { (cx.t("Inget är debiterat ännu.", "Nothing has been charged yet.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Debiterat", "Charged")) {
                    table {
                        caption.visually-hidden { (cx.t("Debiterat per månad och tjänst", "Charged per month and service")) }
                        thead { tr {
                            th scope="col" { (cx.t("Månad", "Month")) }
                            th scope="col" { (cx.t("Tjänst", "Service")) }
                            th.num scope="col" { (cx.t("Antal", "Quantity")) }
                            th.num scope="col" { (cx.t("Belopp", "Amount")) }
                        } }
                        tbody {
                            @for c in charges {
                                tr {
                                    th scope="row" { (c.month) }
                                    td { (c.service_name) " (" (c.service) ")" }
                                    td.num { (c.quantity.to_swedish()) }
                                    td.num {
                                        a href=(lines_href(c.month, c.service))
                                            aria-label=(format!("{} {} {}: {}", money_ore(c.amount_ore), c.service, c.month,
                                                cx.count(c.lines, ("rad", "rader"), ("line", "lines")))) {
                                            (money_ore(c.amount_ore))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (cx.t("Öppna ärenden per tjänst", "Open cases per service")) }
            @if open.is_empty() {
                p { (cx.t("Förvaltningen har inga öppna ärenden.", "Your department has no open cases.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Öppna ärenden", "Open cases")) {
                    table {
                        caption.visually-hidden { (cx.t("Öppna ärenden per tjänst", "Open cases per service")) }
                        thead { tr {
                            th scope="col" { (cx.t("Tjänst", "Service")) }
                            th.num scope="col" { (cx.t("Öppna ärenden", "Open cases")) }
                        } }
                        tbody {
                            @for o in open {
                                tr {
                                    th scope="row" { (o.service_name) " (" (o.service) ")" }
                                    td.num {
                                        a href={"/cases?list=ordered&status=active&service=" (urlencode(o.service))} { (int(o.open)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn showback_lines_page(cx: &Ctx, month: &str, service: &str, lines: &[LineRow]) -> Markup {
    let total: i64 = lines.iter().map(|l| l.amount_ore).sum();
    page(
        cx,
        &format!("{} {} {}", cx.t("Debiterat", "Charged"), service, month),
        html! {
            p { a href="/portal/charges" { (cx.t("Tillbaka till vad förvaltningen har köpt", "Back to what your department bought")) } }
            @if lines.is_empty() {
                p { (cx.t("Inga debiterade rader för tjänsten denna månad.", "No charged lines for the service this month.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Debiteringsrader", "Charge lines")) {
                    table {
                        caption.visually-hidden { (cx.t("Debiteringsrader", "Charge lines")) }
                        thead { tr {
                            th scope="col" { (cx.t("Dag", "Day")) }
                            th scope="col" { (cx.t("Ärende", "Case")) }
                            th.num scope="col" { (cx.t("Antal", "Quantity")) }
                            th.num scope="col" { (cx.t("Pris", "Price")) }
                            th.num scope="col" { (cx.t("Belopp", "Amount")) }
                        } }
                        tbody {
                            @for l in lines {
                                tr {
                                    th scope="row" { (l.day.format("%Y-%m-%d").to_string()) }
                                    td {
                                        @match l.source {
                                            Source::Case(id) => { a href={"/cases/" (id)} { (l.case_number.clone().unwrap_or_else(|| id.to_string())) } }
                                            Source::Correction(id) => { (cx.t("Rättelse av rad", "Correction of line")) " " (id) }
                                            Source::Time(_) => { (cx.t("Tidsregistrering", "Time entry")) }
                                            Source::Subscription(_) => { (cx.t("Abonnemang", "Subscription")) }
                                            Source::Imported(_) => { (cx.t("Importerad volym", "Imported volume")) }
                                        }
                                    }
                                    td.num { (l.quantity.to_swedish()) }
                                    td.num { (money_ore(l.price_ore)) }
                                    td.num { (money_ore(l.amount_ore)) }
                                }
                            }
                        }
                        tfoot { tr {
                            th scope="row" colspan="4" { (cx.t("Totalt", "Total")) }
                            td.num { strong { (money_ore(total)) } }
                        } }
                    }
                }
            }
        },
    )
}
