//! The case page's billing sections, for the provider's staff only: "Tid" (time recorded on
//! the case, with the total; one's own entries change until a locked run charges them) and
//! "Ändra abonnemang" on an order case of a subscribed service.

use maud::{html, Markup};
use serva_domain::billing::hours::TimeEntry;
use serva_domain::billing::money::Milli;
use serva_domain::billing::subscription::Subscription;

use crate::Ctx;

/// The time form as typed, with what was wrong beside each field.
#[derive(Debug, Clone, Default)]
pub struct TimeForm {
    /// The entry being changed; none for a new one.
    pub editing: Option<i64>,
    pub day: String,
    pub hours: String,
    pub note: String,
    pub day_error: Option<String>,
    pub hours_error: Option<String>,
    pub note_error: Option<String>,
}

/// The subscription form as typed.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionForm {
    pub quantity: String,
    pub from: String,
    pub quantity_error: Option<String>,
    pub from_error: Option<String>,
}

pub fn hours(h: Milli) -> String {
    format!("{} h", h.to_swedish())
}

fn field_error(cx: &Ctx, id: &str, e: Option<&String>) -> Markup {
    html! {
        @if let Some(e) = e { p.field-error id={(id) "-error"} { strong { (cx.t("Fel: ", "Error: ")) } (e) } }
    }
}

/// "Tid": the case's entries (who, day, hours, note) and their total, and the form.
pub fn time_section(
    cx: &Ctx,
    case_id: i64,
    entries: &[TimeEntry],
    me: Option<i64>,
    f: &TimeForm,
) -> Markup {
    let total = Milli(entries.iter().map(|e| e.hours.0).sum());
    let action = match f.editing {
        Some(id) => format!("/cases/{case_id}/time/{id}"),
        None => format!("/cases/{case_id}/time"),
    };
    let described = |id: &str, hint: &str, err: Option<&String>| match err {
        Some(_) => format!("{id}-hint {id}-error"),
        None => hint.to_string(),
    };
    html! {
        section #time aria-labelledby="time-heading" {
            h2 #time-heading { (cx.t("Tid", "Time")) }
            @if entries.is_empty() {
                p { (cx.t("Ingen tid är registrerad.", "No time is recorded.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Registrerad tid", "Recorded time")) {
                    table {
                        caption.visually-hidden { (cx.t("Registrerad tid på ärendet", "Time recorded on the case")) }
                        thead { tr {
                            th scope="col" { (cx.t("Vem", "Who")) }
                            th scope="col" { (cx.t("Dag", "Day")) }
                            th.num scope="col" { (cx.t("Timmar", "Hours")) }
                            th scope="col" { (cx.t("Anteckning", "Note")) }
                            th scope="col" { (cx.t("Ändra", "Change")) }
                        } }
                        tbody {
                            @for e in entries {
                                tr {
                                    td { (e.user_name) }
                                    td { (e.day.format("%Y-%m-%d").to_string()) }
                                    td.num { (hours(e.hours)) }
                                    td { (e.note) }
                                    td {
                                        @if e.charged {
                                            (cx.t("Debiterad – kan inte ändras", "Charged – cannot change"))
                                        } @else if me == Some(e.user_id) {
                                            a href={"/cases/" (case_id) "?edit_time=" (e.id) "#time-form"} { (cx.t("Ändra", "Change")) }
                                            form.inline method="post" action={"/cases/" (case_id) "/time/" (e.id) "/delete"} {
                                                (cx.csrf_field())
                                                button type="submit" { (cx.t("Ta bort", "Delete")) span.visually-hidden { " " (e.day.format("%Y-%m-%d").to_string()) " " (hours(e.hours)) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        tfoot { tr {
                            th scope="row" colspan="2" { (cx.t("Totalt", "Total")) }
                            td.num { strong { (hours(total)) } }
                            td colspan="2" {}
                        } }
                    }
                }
            }
            form #time-form method="post" action=(action) {
                (cx.csrf_field())
                h3 { @if f.editing.is_some() { (cx.t("Ändra tid", "Change time")) } @else { (cx.t("Registrera tid", "Record time")) } }
                div {
                    label for="time-day" { (cx.t("Dag", "Day")) }
                    span.hint #time-day-hint { (cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")) }
                    (field_error(cx, "time-day", f.day_error.as_ref()))
                    input #time-day name="day" type="text" inputmode="numeric" autocomplete="off" placeholder="ÅÅÅÅ-MM-DD" required
                        value=(f.day) aria-invalid=[f.day_error.as_ref().map(|_| "true")]
                        aria-describedby=(described("time-day", "time-day-hint", f.day_error.as_ref()));
                }
                div {
                    label for="time-hours" { (cx.t("Tid", "Time")) }
                    span.hint #time-hours-hint { (cx.t("t.ex. 1:30, 1,5 eller 90 min", "e.g. 1:30, 1.5 or 90 min")) }
                    (field_error(cx, "time-hours", f.hours_error.as_ref()))
                    input #time-hours name="hours" type="text" autocomplete="off" required size="8"
                        value=(f.hours) aria-invalid=[f.hours_error.as_ref().map(|_| "true")]
                        aria-describedby=(described("time-hours", "time-hours-hint", f.hours_error.as_ref()));
                }
                div {
                    label for="time-note" { (cx.t("Anteckning", "Note")) }
                    span.hint #time-note-hint { (cx.t("Valfri", "Optional")) }
                    (field_error(cx, "time-note", f.note_error.as_ref()))
                    input #time-note name="note" type="text" autocomplete="off"
                        value=(f.note) aria-invalid=[f.note_error.as_ref().map(|_| "true")]
                        aria-describedby=(described("time-note", "time-note-hint", f.note_error.as_ref()));
                }
                div {
                    button type="submit" { @if f.editing.is_some() { (cx.t("Spara ändringen", "Save the change")) } @else { (cx.t("Registrera tid", "Record time")) } }
                    @if f.editing.is_some() { " " a href={"/cases/" (case_id) "#time"} { (cx.t("Avbryt", "Cancel")) } }
                }
            }
        }
    }
}

/// "Ändra abonnemang": the customer's current quantity of the case's service and a form to
/// change it from a day (0 ends it).
pub fn subscription_section(
    cx: &Ctx,
    case_id: i64,
    customer: &str,
    current: Option<&Subscription>,
    today: chrono::NaiveDate,
    f: &SubscriptionForm,
) -> Markup {
    let now = current.map_or(Milli(0), |s| s.quantity_on(today));
    let described = |id: &str, hint: &str, err: Option<&String>| match err {
        Some(_) => format!("{id}-hint {id}-error"),
        None => hint.to_string(),
    };
    html! {
        section #subscription aria-labelledby="subscription-heading" {
            h2 #subscription-heading { (cx.t("Ändra abonnemang", "Change subscription")) }
            p {
                (customer) ": " (cx.t("antal i dag", "quantity today")) " " strong { (now.to_swedish()) } "."
                @if let Some(s) = current {
                    " " a href={"/billing/subscriptions?subscription=" (s.id)} { (cx.t("Abonnemangets historik", "The subscription's history")) }
                }
            }
            form method="post" action={"/cases/" (case_id) "/subscription"} {
                (cx.csrf_field())
                div {
                    label for="sub-quantity" { (cx.t("Nytt antal", "New quantity")) }
                    span.hint #sub-quantity-hint { (cx.t("0 avslutar abonnemanget", "0 ends the subscription")) }
                    (field_error(cx, "sub-quantity", f.quantity_error.as_ref()))
                    input #sub-quantity name="quantity" type="text" inputmode="numeric" autocomplete="off" required size="6"
                        value=(f.quantity) aria-invalid=[f.quantity_error.as_ref().map(|_| "true")]
                        aria-describedby=(described("sub-quantity", "sub-quantity-hint", f.quantity_error.as_ref()));
                }
                div {
                    label for="sub-from" { (cx.t("Från och med", "From")) }
                    span.hint #sub-from-hint { (cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")) }
                    (field_error(cx, "sub-from", f.from_error.as_ref()))
                    input #sub-from name="from" type="text" inputmode="numeric" autocomplete="off" placeholder="ÅÅÅÅ-MM-DD" required
                        value=(f.from) aria-invalid=[f.from_error.as_ref().map(|_| "true")]
                        aria-describedby=(described("sub-from", "sub-from-hint", f.from_error.as_ref()));
                }
                div { button type="submit" { (cx.t("Ändra abonnemang", "Change subscription")) } }
            }
        }
    }
}
