//! Billing: a month's run previewed per customer and service, locked by one button, and its
//! exports (SIE 4I for the ledger, CSV and XLSX of the lines).

use maud::{html, Markup};
use serva_domain::billing::run::{PreviewRow, Unpriced};
use serva_domain::format::money_ore;

use crate::layout::{notice, page};
use crate::widgets::{time, urlencode};
use crate::Ctx;

/// A month's run as the page shows it.
pub struct BillingView<'a> {
    pub month: &'a str,
    pub rows: &'a [PreviewRow],
    pub unpriced: &'a [Unpriced],
    pub lines: usize,
    pub total_ore: i64,
    /// When it was locked, and by whom.
    pub locked: Option<(i64, Option<&'a str>)>,
    /// Unit code → name, for the customer and provider columns.
    pub names: &'a std::collections::HashMap<String, String>,
    /// Every unit's lines (controllers, administrators: lock and SIE), or a unit manager's part.
    pub all: bool,
    /// The sections below the totals: the locked lines, the month's corrections.
    pub more: Markup,
}

pub fn billing_page(cx: &Ctx, v: &BillingView, ok: Option<&str>, error: Option<&str>) -> Markup {
    let name = |code: &str| {
        v.names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    };
    page(
        cx,
        &format!("{} {}", cx.t("Debitering", "Billing"), v.month),
        html! {
            p { a href="/billing/prices" { (cx.t("Prislistor", "Price lists")) } " · "
                a href="/billing/simulator" { (cx.t("Prissimulering", "Pricing simulator")) } }
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(m) = error { (notice(false, m)) }
            form.filters method="get" action="/billing" {
                div {
                    label for="month" { (cx.t("Månad", "Month")) span.hint { "ÅÅÅÅ-MM" } }
                    input #month type="text" name="month" value=(v.month) autocomplete="off" size="7";
                }
                div { button type="submit" { (cx.t("Visa", "Show")) } }
            }
            p { a href={"/billing/result?year=" (v.month.get(..4).unwrap_or_default())} { (cx.t("Enheternas resultat från debiteringen", "The units' result from the billing")) } }
            @match v.locked {
                Some((at, by)) => {
                    p role="status" {
                        strong { (cx.t("Låst", "Locked")) } " " (time(at))
                        @if let Some(b) = by { " " (cx.t("av", "by")) " " (b) }
                        ". " (cx.t("Debiteringen ändras inte; rättelser kommer med i en senare månad.", "The run does not change; corrections go into a later month."))
                    }
                    h2 { (cx.t("Exportera", "Export")) }
                    ul {
                        @if v.all {
                            li { a href={"/billing/export?month=" (v.month) "&format=sie"} { (cx.t("SIE 4I till ekonomisystemet", "SIE 4I for the ledger")) } }
                        }
                        li { a href={"/billing/export?month=" (v.month) "&format=xlsx"} { (cx.t("Debiteringsrader, Excel (XLSX)", "Charge lines, Excel (XLSX)")) } }
                        li { a href={"/billing/export?month=" (v.month) "&format=csv"} { (cx.t("Debiteringsrader, CSV", "Charge lines, CSV")) } }
                    }
                }
                None => {
                    p role="status" { (cx.t("Förhandsgranskning: inget är låst ännu.", "Preview: nothing is locked yet.")) }
                }
            }
            @if !v.unpriced.is_empty() {
                div.notice.error role="alert" {
                    p { (cx.count(v.unpriced.len() as i64, ("volym saknar", "volymer saknar"), ("volume has", "volumes have"))) " " (cx.t("pris och hindrar låsning, t.ex.", "no price and stop the lock, e.g.")) " "
                        (v.unpriced[0].volume.service) " " (v.unpriced[0].volume.day.format("%Y-%m-%d").to_string()) "." }
                }
            }
            h2 { (cx.t("Per kund och tjänst", "Per customer and service")) }
            @if v.rows.is_empty() {
                p { (cx.t("Inget att debitera denna månad.", "Nothing to charge this month.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Per kund och tjänst", "Per customer and service")) {
                    table {
                        caption.visually-hidden { (cx.t("Debitering per kund och tjänst", "Charges per customer and service")) }
                        thead { tr {
                            th scope="col" { (cx.t("Kund", "Customer")) }
                            th scope="col" { (cx.t("Tjänst", "Service")) }
                            th scope="col" { (cx.t("Levererande enhet", "Provider")) }
                            th.num scope="col" { (cx.t("Antal", "Quantity")) }
                            th.num scope="col" { (cx.t("Belopp", "Amount")) }
                        } }
                        tbody {
                            @for r in v.rows {
                                tr {
                                    th scope="row" { (name(&r.customer)) }
                                    td {
                                        @if v.locked.is_some() {
                                            a href={"/billing?month=" (v.month) "&customer=" (urlencode(&r.customer)) "&service=" (urlencode(&r.service)) "#rader"}
                                                aria-label=(format!("{} {} {}", cx.t("Rader för", "Lines of"), r.service, name(&r.customer))) { (r.service) }
                                        } @else { (r.service) }
                                    }
                                    td { (name(&r.provider)) }
                                    td.num { (r.quantity.to_swedish()) }
                                    td.num { (money_ore(r.amount_ore)) }
                                }
                            }
                        }
                        tfoot { tr {
                            th scope="row" colspan="3" { (cx.t("Totalt", "Total")) " (" (cx.count(v.lines as i64, ("rad", "rader"), ("line", "lines"))) ")" }
                            td.num {}
                            td.num { strong { (money_ore(v.total_ore)) } }
                        } }
                    }
                }
            }
            @if !v.all {
                p.hint { (cx.t("Du ser raderna som dina enheter levererar. Debiteringen låses av controller.", "You see the lines your units provide. A controller locks the run.")) }
            }
            (v.more)
            @if v.all && v.locked.is_none() && v.unpriced.is_empty() {
                form method="post" action="/billing/lock" {
                    (cx.csrf_field())
                    input type="hidden" name="month" value=(v.month);
                    p.hint { (cx.t("När debiteringen är låst ändras den inte. Kontrollera beloppen först.", "Once locked, the run never changes. Check the amounts first.")) }
                    button type="submit" { (cx.t("Lås debiteringen för", "Lock the run of")) " " (v.month) }
                }
            }
        },
    )
}
