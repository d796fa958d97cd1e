//! A locked run's lines on the billing page, each with its correction ("Korrigera"), the
//! correction form, and the month's corrections (what a later run charges for them).

use maud::{html, Markup};
use serva_domain::billing::money::Milli;
use serva_domain::billing::run::{ChargeLine, Source};
use serva_domain::format::money_ore;

use crate::layout::{notice, page};
use crate::Ctx;

/// A line's correction: the new quantity, the reason, and the month whose run charged it.
pub struct CorrectionView<'a> {
    pub quantity: Milli,
    pub reason: &'a str,
    pub charged_in: Option<&'a str>,
}

/// A locked line as the page shows it.
pub struct LineView<'a> {
    pub id: i64,
    pub line: &'a ChargeLine,
    pub correction: Option<CorrectionView<'a>>,
}

fn source(cx: &Ctx, s: Source) -> Markup {
    html! {
        @match s {
            Source::Case(id) => { a href={"/cases/" (id)} { (cx.t("Ärende", "Case")) " " (id) } }
            Source::Correction(id) => { (cx.t("Rättelse av rad", "Correction of line")) " " (id) }
            Source::Time(id) => { (cx.t("Tid", "Time")) " " (id) }
            Source::Subscription(id) => { (cx.t("Abonnemang", "Subscription")) " " (id) }
            Source::Imported(id) => { (cx.t("Importerad", "Imported")) " " (id) }
        }
    }
}

/// The locked run's lines; `can_correct` adds the "Korrigera" links.
pub fn lines_section(cx: &Ctx, lines: &[LineView], can_correct: bool) -> Markup {
    html! {
        h2 #rader { (cx.t("Debiteringsrader", "Charge lines")) }
        @if lines.is_empty() {
            p { (cx.t("Inga rader.", "No lines.")) }
        } @else {
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Debiteringsrader", "Charge lines")) {
                table {
                    caption.visually-hidden { (cx.t("Den låsta debiteringens rader", "The locked run's lines")) }
                    thead { tr {
                        th.num scope="col" { (cx.t("Rad", "Line")) }
                        th scope="col" { (cx.t("Kund", "Customer")) }
                        th scope="col" { (cx.t("Tjänst", "Service")) }
                        th scope="col" { (cx.t("Dag", "Day")) }
                        th scope="col" { (cx.t("Källa", "Source")) }
                        th.num scope="col" { (cx.t("Antal", "Quantity")) }
                        th.num scope="col" { (cx.t("Pris", "Price")) }
                        th.num scope="col" { (cx.t("Belopp", "Amount")) }
                        th scope="col" { (cx.t("Rättelse", "Correction")) }
                    } }
                    tbody {
                        @for l in lines {
                            @let v = &l.line.volume;
                            tr {
                                th.num scope="row" { (l.id) }
                                td { (v.customer) }
                                td { (v.service) }
                                td { (v.day.format("%Y-%m-%d").to_string()) }
                                td { (source(cx, v.source)) }
                                td.num { (v.quantity.to_swedish()) }
                                td.num { (money_ore(l.line.price_ore)) }
                                td.num { (money_ore(l.line.amount_ore)) }
                                td {
                                    @match &l.correction {
                                        Some(c) => {
                                            (cx.t("Rättad till", "Corrected to")) " " (c.quantity.to_swedish()) ": " (c.reason)
                                            @match c.charged_in {
                                                Some(m) => { " (" (cx.t("debiterad", "charged")) " " (m) ")" }
                                                None => { " (" (cx.t("med i nästa debitering", "in the next run")) ")" }
                                            }
                                        }
                                        None if can_correct && !matches!(v.source, Source::Correction(_)) => {
                                            a href={"/billing/lines/" (l.id) "/correct"}
                                                aria-label=(format!("{} {} {}", cx.t("Korrigera rad", "Correct line"), l.id, v.service)) {
                                                (cx.t("Korrigera", "Correct"))
                                            }
                                        }
                                        None => {}
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The month's correction lines: reversals of earlier lines and their new quantities.
pub fn corrections_section(cx: &Ctx, lines: &[ChargeLine]) -> Markup {
    let total: i64 = lines.iter().map(|l| l.amount_ore).sum();
    html! {
        @if !lines.is_empty() {
            h2 { (cx.t("Rättelser", "Corrections")) }
            p { (cx.t(
                "Rättelser av rader i tidigare månader: radens återföring och, om det nya antalet är större än noll, en ny rad till radens pris.",
                "Corrections of lines of earlier months: the line's reversal and, when the new quantity is above zero, a new line at the line's price."
            )) }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Rättelser", "Corrections")) {
                table {
                    caption.visually-hidden { (cx.t("Rättelser denna månad", "Corrections this month")) }
                    thead { tr {
                        th scope="col" { (cx.t("Rättar rad", "Corrects line")) }
                        th scope="col" { (cx.t("Kund", "Customer")) }
                        th scope="col" { (cx.t("Tjänst", "Service")) }
                        th.num scope="col" { (cx.t("Antal", "Quantity")) }
                        th.num scope="col" { (cx.t("Pris", "Price")) }
                        th.num scope="col" { (cx.t("Belopp", "Amount")) }
                    } }
                    tbody {
                        @for l in lines {
                            tr {
                                th scope="row" { (l.volume.source.id()) }
                                td { (l.volume.customer) }
                                td { (l.volume.service) }
                                td.num { (l.volume.quantity.to_swedish()) }
                                td.num { (money_ore(l.price_ore)) }
                                td.num { (money_ore(l.amount_ore)) }
                            }
                        }
                    }
                    tfoot { tr {
                        th scope="row" colspan="5" { (cx.t("Rättelser totalt", "Corrections in total")) }
                        td.num { strong { (money_ore(total)) } }
                    } }
                }
            }
        }
    }
}

/// The form's input and its problems, by field (`quantity`, `reason`).
pub struct CorrectionForm<'a> {
    pub quantity: &'a str,
    pub reason: &'a str,
    pub quantity_error: Option<&'a str>,
    pub reason_error: Option<&'a str>,
    /// A refusal that is no field's (the line is corrected already).
    pub error: Option<&'a str>,
}

pub fn correct_page(cx: &Ctx, month: &str, line: &LineView, f: &CorrectionForm) -> Markup {
    let v = &line.line.volume;
    page(
        cx,
        &format!("{} {}", cx.t("Korrigera rad", "Correct line"), line.id),
        html! {
            p { a href={"/billing?month=" (month) "&customer=" (crate::widgets::urlencode(&v.customer)) "&service=" (crate::widgets::urlencode(&v.service)) "#rader"} { (cx.t("Tillbaka till debiteringen", "Back to the billing run")) " " (month) } }
            @if let Some(e) = f.error { (notice(false, e)) }
            dl {
                dt { (cx.t("Kund", "Customer")) } dd { (v.customer) }
                dt { (cx.t("Tjänst", "Service")) } dd { (v.service) }
                dt { (cx.t("Dag", "Day")) } dd { (v.day.format("%Y-%m-%d").to_string()) }
                dt { (cx.t("Källa", "Source")) } dd { (source(cx, v.source)) }
                dt { (cx.t("Antal", "Quantity")) } dd { (v.quantity.to_swedish()) }
                dt { (cx.t("Pris", "Price")) } dd { (money_ore(line.line.price_ore)) }
                dt { (cx.t("Belopp", "Amount")) } dd { (money_ore(line.line.amount_ore)) }
            }
            p { (cx.t(
                "En låst rad ändras aldrig. Rättelsen kommer med i nästa debitering som låses för en senare månad: radens återföring och det nya antalet till radens pris.",
                "A locked line never changes. The correction goes into the next run locked for a later month: the line's reversal and the new quantity at the line's price."
            )) }
            form method="post" action={"/billing/lines/" (line.id) "/correct"} {
                (cx.csrf_field())
                div {
                    label for="quantity" { (cx.t("Nytt antal", "New quantity")) span.hint { (cx.t("0 makulerar raden", "0 cancels the line")) } }
                    @if let Some(e) = f.quantity_error { span.error-text #quantity-error { (e) } }
                    input #quantity type="text" name="quantity" inputmode="decimal" value=(f.quantity) required size="8"
                        aria-invalid=[f.quantity_error.map(|_| "true")] aria-describedby=[f.quantity_error.map(|_| "quantity-error")];
                }
                div {
                    label for="reason" { (cx.t("Skäl", "Reason")) }
                    @if let Some(e) = f.reason_error { span.error-text #reason-error { (e) } }
                    textarea #reason name="reason" rows="3" required maxlength="500"
                        aria-invalid=[f.reason_error.map(|_| "true")] aria-describedby=[f.reason_error.map(|_| "reason-error")] { (f.reason) }
                }
                button type="submit" { (cx.t("Spara rättelsen", "Save the correction")) }
            }
        },
    )
}
