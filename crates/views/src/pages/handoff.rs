//! The hand-off part of a case's page, for the provider's side: where the case has been, a
//! form to pass it to another unit's queue with a note, and one to hand it back.

use maud::{html, Markup};
use serva_domain::case::Case;
use serva_domain::catalogue::Service;
use serva_domain::handoff::Handoff;
use serva_domain::time::format_datetime;

use crate::Ctx;

/// What the case page shows about hand-offs.
#[derive(Debug, Clone, Copy)]
pub struct HandoffPanel<'a> {
    pub handoffs: &'a [Handoff],
    /// Other provider units' services that can take the case.
    pub targets: &'a [Service],
    /// The unit a hand-back returns the case to.
    pub back_to: Option<&'a str>,
}

pub fn handoff_panel(cx: &Ctx, c: &Case, p: &HandoffPanel) -> Markup {
    // The services grouped by unit, units in the order they first come.
    let mut units: Vec<(&str, Vec<&Service>)> = Vec::new();
    for s in p.targets {
        match units.iter_mut().find(|(u, _)| *u == s.unit_name) {
            Some((_, list)) => list.push(s),
            None => units.push((&s.unit_name, vec![s])),
        }
    }
    html! {
        section aria-labelledby="handoff-heading" {
            h2 #handoff-heading { (cx.t("Överlämning", "Hand-off")) }
            @if !p.handoffs.is_empty() {
                ol.handoffs {
                    @for h in p.handoffs {
                        li {
                            (format_datetime(h.at)) " "
                            (h.by_name.as_deref().unwrap_or(cx.t("systemet", "the system"))) ": "
                            @if h.hand_back { (cx.t("lämnade tillbaka från ", "handed back from ")) }
                            @else { (cx.t("lämnade över från ", "handed off from ")) }
                            (h.from_unit_name) (cx.t(" till ", " to ")) strong { (h.to_unit_name) }
                            " (" (h.to_service_name) ")"
                            p.note style="white-space:pre-wrap" { (h.note) }
                        }
                    }
                }
            }
            @if c.status.is_active() {
                @if let Some(unit) = p.back_to {
                    form method="post" action={"/cases/" (c.id) "/handback"} {
                        (cx.csrf_field())
                        label for="handback-note" {
                            (cx.t("Lämna tillbaka till ", "Hand back to ")) (unit)
                            " – " (cx.t("anteckning (krävs, syns inte för beställaren)", "note (required, hidden from the requester)"))
                        }
                        textarea #handback-note name="note" rows="2" required {}
                        button type="submit" { (cx.t("Lämna tillbaka", "Hand back")) }
                    }
                }
                @if !p.targets.is_empty() {
                    form method="post" action={"/cases/" (c.id) "/handoff"} {
                        (cx.csrf_field())
                        label for="handoff-service" { (cx.t("Lämna över till enhet och tjänst", "Hand off to unit and service")) }
                        select #handoff-service name="service" required {
                            option value="" { (cx.t("Välj…", "Choose…")) }
                            @for (unit, services) in &units {
                                optgroup label=(unit) {
                                    @for s in services {
                                        option value=(s.code) { (s.name) " (" (s.code) ")" }
                                    }
                                }
                            }
                        }
                        label for="handoff-note" { (cx.t("Anteckning till mottagaren (krävs, syns inte för beställaren)", "Note for the receiving unit (required, hidden from the requester)")) }
                        textarea #handoff-note name="note" rows="3" required {}
                        button type="submit" { (cx.t("Lämna över", "Hand off")) }
                    }
                }
            }
        }
    }
}
