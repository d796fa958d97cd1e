//! Carrying the report's texts and events over to a new report date: the two dates, then
//! what will be copied and what the new date has already (and keeps), then the copy.

use maud::{html, Markup};
use serva_domain::followup::entries::CarryOverPlan;

use crate::layout::{notice, page};
use crate::Ctx;

pub struct CarryOverForm<'a> {
    pub org: &'a str,
    pub year: i32,
    pub through: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    /// A date that could not be read: the field and what to do.
    pub error: Option<(&'a str, &'a str)>,
}

fn date_field(cx: &Ctx, id: &str, label: &str, value: &str, error: Option<&str>) -> Markup {
    let described = match error {
        Some(_) => format!("{id}-hint {id}-error"),
        None => format!("{id}-hint"),
    };
    html! {
        div {
            label for=(id) { (label) }
            span.hint id={(id) "-hint"} { (cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")) }
            @if let Some(e) = error { p.field-error id={(id) "-error"} { strong { (cx.t("Fel: ", "Error: ")) } (e) } }
            input id=(id) name=(id) type="text" inputmode="numeric" autocomplete="off" placeholder="ÅÅÅÅ-MM-DD"
                value=(value) aria-invalid=[error.map(|_| "true")] aria-describedby=(described);
        }
    }
}

pub fn carry_over_page(cx: &Ctx, f: &CarryOverForm, plan: Option<&CarryOverPlan>) -> Markup {
    let qs = format!("org={}&year={}&through={}", f.org, f.year, f.through);
    page(
        cx,
        cx.t(
            "För över texter och händelser",
            "Carry texts and events over",
        ),
        html! {
            p { a href={"/followup/texts?" (qs)} { (cx.t("Tillbaka till texterna", "Back to the texts")) } }
            p { (cx.t("Texterna och händelserna från ett tidigare rapportdatum kopieras till det nya datumet. Texterna blir utkast. Det som redan finns på det nya datumet skrivs inte över.",
                      "The texts and events of an earlier report date are copied to the new date. The texts become drafts. What the new date already has is not overwritten.")) }
            form method="get" action="/followup/carry-over" {
                input type="hidden" name="org" value=(f.org);
                input type="hidden" name="year" value=(f.year);
                input type="hidden" name="through" value=(f.through);
                div.filters {
                    (date_field(cx, "from", cx.t("Från datum", "From date"), f.from, f.error.filter(|e| e.0 == "from").map(|e| e.1)))
                    (date_field(cx, "to", cx.t("Till datum", "To date"), f.to, f.error.filter(|e| e.0 == "to").map(|e| e.1)))
                    div { button type="submit" { (cx.t("Visa vad som kopieras", "Show what is copied")) } }
                }
            }
            @if let Some(p) = plan {
                h2 { (cx.t("Från ", "From ")) (p.from) (cx.t(" till ", " to ")) (p.to) }
                @if p.texts.is_empty() && p.events.is_empty() {
                    p { (cx.t("Det finns inga texter eller händelser på datumet.", "There are no texts or events on the date.")) }
                } @else {
                    h3 { (cx.t("Texter", "Texts")) }
                    ul {
                        @for (t, exists) in &p.texts {
                            li { (t.title) " – " @if *exists { strong { (cx.t("finns redan på det nya datumet, kopieras inte", "exists on the new date already, not copied")) } } @else { (cx.t("kopieras som utkast", "copied as a draft")) } }
                        }
                    }
                    h3 { (cx.t("Beslut och händelser", "Decisions and events")) }
                    ul {
                        @for (e, exists) in &p.events {
                            li { span style="white-space:pre-wrap" { (e.body) } " – " @if *exists { strong { (cx.t("finns redan, kopieras inte", "exists already, not copied")) } } @else { (cx.t("kopieras", "copied")) } }
                        }
                    }
                }
                @if p.copies() == 0 {
                    (notice(false, cx.t("Inget att kopiera: allt finns redan på det nya datumet.", "Nothing to copy: the new date has it all already.")))
                } @else {
                    form method="post" action="/followup/carry-over" {
                        (cx.csrf_field())
                        input type="hidden" name="org" value=(f.org);
                        input type="hidden" name="from" value=(p.from);
                        input type="hidden" name="to" value=(p.to);
                        button type="submit" { (cx.t("Kopiera ", "Copy ")) (cx.count(p.copies() as i64, ("text eller händelse", "texter och händelser"), ("text or event", "texts and events"))) }
                    }
                }
            }
        },
    )
}
