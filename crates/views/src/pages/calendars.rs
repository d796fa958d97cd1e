//! Administration of business calendars: each provider unit's opening hours, holidays and
//! own days, which the SLA clocks count in.

use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};
use serva_domain::calendar::{clock_text, CalendarSettings, DayRule, Hours};
use serva_domain::holidays::Holiday;
use serva_domain::org::Unit;

use crate::layout::{notice, page};
use crate::Ctx;

/// The weekdays as the form names them, Monday first.
pub const WEEKDAYS: [(&str, &str, &str); 7] = [
    ("mon", "Måndag", "Monday"),
    ("tue", "Tisdag", "Tuesday"),
    ("wed", "Onsdag", "Wednesday"),
    ("thu", "Torsdag", "Thursday"),
    ("fri", "Fredag", "Friday"),
    ("sat", "Lördag", "Saturday"),
    ("sun", "Söndag", "Sunday"),
];

fn hours_text(cx: &Ctx, h: Option<Hours>) -> String {
    match h {
        Some(h) => h.text(),
        None => cx.t("Stängt", "Closed").to_string(),
    }
}

fn holiday_name(cx: &Ctx, h: Holiday) -> &'static str {
    cx.t(h.name_sv(), h.name_en())
}

/// The provider units, each with a link to its calendar.
pub fn calendars_page(cx: &Ctx, units: &[(Unit, CalendarSettings)]) -> Markup {
    page(
        cx,
        cx.t("Öppettider och helgdagar", "Opening hours and holidays"),
        html! {
            p { (cx.t(
                "Servicenivåernas klockor räknas bara när leverantören har öppet. Helgdagar räknas fram för varje år; midsommarafton, julafton och nyårsafton räknas som lediga dagar.",
                "The service-level clocks count only while the provider is open. Public holidays are worked out for every year; midsummer eve, Christmas eve and New Year's eve count as days off."
            )) }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Leverantörer", "Providers")) {
                table {
                    caption.visually-hidden { (cx.t("Leverantörernas kalendrar", "The providers' calendars")) }
                    thead { tr {
                        th scope="col" { (cx.t("Leverantör", "Provider")) }
                        th scope="col" { (cx.t("Måndag–fredag", "Monday–Friday")) }
                        th scope="col" { (cx.t("Helgdagar", "Holidays")) }
                        th.num scope="col" { (cx.t("Egna dagar", "Own days")) }
                    } }
                    tbody {
                        @for (u, s) in units {
                            tr {
                                th scope="row" { a href={"/admin/calendars/" (u.code)} { (u.name) } }
                                td { (week_summary(cx, s)) }
                                td { @if s.public_holidays { (cx.t("Stängt", "Closed")) } @else { (cx.t("Öppet", "Open")) } }
                                td.num { (s.special_days.len()) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// `08:00–16:00` when Monday to Friday share their hours, else each day.
fn week_summary(cx: &Ctx, s: &CalendarSettings) -> String {
    if s.week[..5].iter().all(|h| *h == s.week[0]) {
        hours_text(cx, s.week[0])
    } else {
        s.week[..5]
            .iter()
            .map(|h| hours_text(cx, *h))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the week form was filled in with, to show it again when it was refused.
#[derive(Debug, Clone, Default)]
pub struct WeekInput {
    /// (open, close) per weekday, Monday first, as typed.
    pub days: [(String, String); 7],
    pub public_holidays: bool,
    pub warn_percent: String,
}

impl WeekInput {
    pub fn of(s: &CalendarSettings) -> Self {
        let mut days: [(String, String); 7] = Default::default();
        for (i, h) in s.week.iter().enumerate() {
            if let Some(h) = h {
                days[i] = (clock_text(h.open), clock_text(h.close));
            }
        }
        WeekInput {
            days,
            public_holidays: s.public_holidays,
            warn_percent: s.warn_percent.to_string(),
        }
    }
}

/// One unit's calendar: the week, the holidays, the unit's own days, and the next days as
/// they will count.
pub fn calendar_page(
    cx: &Ctx,
    unit: &Unit,
    s: &CalendarSettings,
    week: &WeekInput,
    today: NaiveDate,
    ok: Option<&str>,
    error: Option<&str>,
) -> Markup {
    let action = format!("/admin/calendars/{}", unit.code);
    let cal = s.calendar();
    let holidays: Vec<(NaiveDate, Holiday)> = [today.year(), today.year() + 1]
        .iter()
        .flat_map(|&y| serva_domain::holidays::holidays(y))
        .filter(|(d, _)| *d >= today)
        .collect();
    page(
        cx,
        &format!("{}: {}", cx.t("Öppettider", "Opening hours"), unit.name),
        html! {
            p { a href="/admin/calendars" { "← " (cx.t("Alla leverantörer", "All providers")) } }
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(m) = error { (notice(false, m)) }
            form method="post" action=(action) {
                (cx.csrf_field())
                fieldset {
                    legend { (cx.t("Öppettider per veckodag", "Opening hours per weekday")) }
                    p.hint { (cx.t("Lämna båda tiderna tomma för en stängd dag. Skriv tider som 08:00.", "Leave both times empty for a closed day. Write times as 08:00.")) }
                    div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Öppettider per veckodag", "Opening hours per weekday")) {
                        table.calendar-week {
                            caption.visually-hidden { (cx.t("Öppettider per veckodag", "Opening hours per weekday")) }
                            thead { tr {
                                th scope="col" { (cx.t("Dag", "Day")) }
                                th scope="col" { (cx.t("Öppnar", "Opens")) }
                                th scope="col" { (cx.t("Stänger", "Closes")) }
                            } }
                            tbody {
                                @for (i, (key, sv, en)) in WEEKDAYS.iter().enumerate() {
                                    tr {
                                        th scope="row" { (cx.t(sv, en)) }
                                        td {
                                            label.visually-hidden for={(key) "_open"} { (cx.t(sv, en)) " " (cx.t("öppnar", "opens")) }
                                            input id={(key) "_open"} type="time" name={(key) "_open"} value=(week.days[i].0);
                                        }
                                        td {
                                            label.visually-hidden for={(key) "_close"} { (cx.t(sv, en)) " " (cx.t("stänger", "closes")) }
                                            input id={(key) "_close"} type="time" name={(key) "_close"} value=(week.days[i].1);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    label {
                        input type="checkbox" name="public_holidays" value="true" checked[week.public_holidays];
                        " " (cx.t("Stängt på helgdagar och på midsommarafton, julafton och nyårsafton", "Closed on public holidays and on midsummer eve, Christmas eve and New Year's eve"))
                    }
                    label for="warn_percent" {
                        (cx.t("Varna när så stor del av tiden har gått (procent)", "Warn when this share of the time has passed (percent)"))
                        span.hint { (cx.t("Ärendet visas som ”nära brott” i kön och på väggtavlan.", "The case shows as \"near breach\" in the queue and on the wall board.")) }
                    }
                    input #warn_percent type="number" name="warn_percent" min="1" max="99" value=(week.warn_percent) required;
                    div { button type="submit" { (cx.t("Spara öppettider", "Save opening hours")) } }
                }
            }

            h2 { (cx.t("Egna dagar", "Own days")) }
            p { (cx.t(
                "Dagar då enheten har stängt eller andra tider än vanligt, till exempel trettondagsafton och skärtorsdagen till 15:00. En egen dag gäller före helgdagar och veckodagar.",
                "Days the unit is closed or keeps other hours than usual, for example trettondagsafton and skärtorsdagen until 15:00. An own day wins over holidays and weekdays."
            )) }
            @if s.special_days.is_empty() {
                p { (cx.t("Inga egna dagar.", "No own days.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Egna dagar", "Own days")) {
                    table {
                        caption.visually-hidden { (cx.t("Egna dagar", "Own days")) }
                        thead { tr {
                            th scope="col" { (cx.t("Datum", "Date")) }
                            th scope="col" { (cx.t("Öppet", "Open")) }
                            th scope="col" { (cx.t("Anteckning", "Note")) }
                            th scope="col" { span.visually-hidden { (cx.t("Ta bort", "Remove")) } }
                        } }
                        tbody {
                            @for d in &s.special_days {
                                @let date = d.date.format("%Y-%m-%d").to_string();
                                tr {
                                    th scope="row" { (date) }
                                    td { (hours_text(cx, d.hours)) }
                                    td { (d.note) }
                                    td {
                                        form method="post" action={(action) "/days/" (date) "/delete"} {
                                            (cx.csrf_field())
                                            button type="submit" { (cx.t("Ta bort", "Remove")) span.visually-hidden { " " (date) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action={(action) "/days"} {
                (cx.csrf_field())
                fieldset {
                    legend { (cx.t("Lägg till en egen dag", "Add an own day")) }
                    label for="day" { (cx.t("Datum", "Date")) span.hint { "ÅÅÅÅ-MM-DD" } }
                    input #day type="text" autocomplete="off" spellcheck="false" size="10" name="day" required;
                    label for="day_open" { (cx.t("Öppnar", "Opens")) span.hint { (cx.t("tomt: stängt hela dagen", "empty: closed all day")) } }
                    input #day_open type="time" name="open";
                    label for="day_close" { (cx.t("Stänger", "Closes")) }
                    input #day_close type="time" name="close";
                    label for="note" { (cx.t("Anteckning", "Note")) span.hint { (cx.t("till exempel Trettondagsafton", "for example Trettondagsafton")) } }
                    input #note type="text" name="note" maxlength="100";
                    div { button type="submit" { (cx.t("Lägg till", "Add")) } }
                }
            }

            h2 { (cx.t("Helgdagar framöver", "Holidays ahead")) }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Helgdagar framöver", "Holidays ahead")) {
                table {
                    caption.visually-hidden { (cx.t("Helgdagar framöver", "Holidays ahead")) }
                    thead { tr {
                        th scope="col" { (cx.t("Datum", "Date")) }
                        th scope="col" { (cx.t("Helgdag", "Holiday")) }
                        th scope="col" { (cx.t("Öppet", "Open")) }
                    } }
                    tbody {
                        @for (d, h) in &holidays {
                            tr {
                                th scope="row" { (d.format("%Y-%m-%d")) }
                                td { (holiday_name(cx, *h)) }
                                td {
                                    (hours_text(cx, cal.hours_on(*d)))
                                    @if cal.rule_on(*d).1 == DayRule::Special { " (" (cx.t("egen dag", "own day")) ")" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
