//! A phone queue's service level: today, this week and each hour of today.

use maud::{html, Markup};
use serva_domain::followup::CallStats;
use serva_domain::format;
use serva_domain::org::Unit;
use serva_domain::phone::{format_level, PhoneServiceLevel};

use crate::layout::page;
use crate::Ctx;

fn wait(s: &CallStats) -> String {
    s.mean_wait.map_or_else(
        || "–".to_string(),
        |w| format!("{}\u{a0}s", format::decimal(w, 0)),
    )
}

fn met(cx: &Ctx, s: &CallStats, target: f64) -> &'static str {
    match s.service_level {
        None => "",
        Some(l) if l >= target => cx.t("(mål nått)", "(target met)"),
        Some(_) => cx.t("(under mål)", "(below target)"),
    }
}

/// `/queues/{code}/phone`.
pub fn phone_level_page(cx: &Ctx, unit: &Unit, s: &PhoneServiceLevel) -> Markup {
    let title = format!("{}: {}", cx.t("Telefoni", "Phone"), unit.name);
    let target = s.rule.target_percent;
    html! {
        (page(cx, &title, html! {
            p {
                (cx.t("Servicenivå: andel erbjudna samtal som besvarats inom ", "Service level: the share of offered calls answered within "))
                (format::int(s.rule.answer_within_seconds)) "\u{a0}s. "
                (cx.t("Mål: ", "Target: ")) (format::percent(target, 0)) ". "
                (cx.t("Samtal som läggs på inom ", "Calls hung up within "))
                (format::int(s.rule.abandon_grace_seconds)) "\u{a0}s "
                (cx.t("räknas inte.", "are not counted."))
            }
            p { a href={"/queues/" (unit.code)} { (cx.t("Tillbaka till kön", "Back to the queue")) } }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Idag och denna vecka", "Today and this week")) {
                table.phone-level {
                    caption { (cx.t("Idag och denna vecka", "Today and this week")) }
                    thead { tr {
                        th scope="col" { (cx.t("Period", "Period")) }
                        th.num scope="col" { (cx.t("Servicenivå", "Service level")) }
                        th.num scope="col" { (cx.t("Erbjudna", "Offered")) }
                        th.num scope="col" { (cx.t("Besvarade i tid", "Answered in time")) }
                        th.num scope="col" { (cx.t("Besvarade", "Answered")) }
                        th.num scope="col" { (cx.t("Tappade", "Abandoned")) }
                        th.num scope="col" { (cx.t("Medelväntetid", "Mean wait")) }
                    } }
                    tbody {
                        (row(cx, &format!("{} ({})", cx.t("Idag", "Today"), s.day), &s.today, target))
                        (row(cx, &format!("{} ({})", cx.t("Denna vecka", "This week"), s.week), &s.this_week, target))
                    }
                }
            }
            h2 { (cx.t("Per timme idag", "Per hour today")) }
            @if s.hours.is_empty() {
                p { (cx.t("Inga samtal idag ännu.", "No calls today yet.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Per timme idag", "Per hour today")) {
                    table.phone-hours {
                        caption.visually-hidden { (cx.t("Servicenivå per timme idag", "Service level per hour today")) }
                        thead { tr {
                            th scope="col" { (cx.t("Timme", "Hour")) }
                            th.num scope="col" { (cx.t("Servicenivå", "Service level")) }
                            th.num scope="col" { (cx.t("Erbjudna", "Offered")) }
                            th.num scope="col" { (cx.t("Tappade", "Abandoned")) }
                        } }
                        tbody {
                            @for h in &s.hours {
                                tr {
                                    th scope="row" { (format!("{:02}–{:02}", h.hour, h.hour + 1)) }
                                    td.num { (format_level(h.stats.service_level)) " " (met(cx, &h.stats, target)) }
                                    td.num { (format::int(h.stats.offered)) }
                                    td.num { (format::int(h.stats.abandoned)) }
                                }
                            }
                        }
                    }
                }
            }
        }))
    }
}

fn row(cx: &Ctx, label: &str, s: &CallStats, target: f64) -> Markup {
    html! {
        tr {
            th scope="row" { (label) }
            td.num { (format_level(s.service_level)) " " (met(cx, s, target)) }
            td.num { (format::int(s.offered)) }
            td.num { (format::int(s.answered_in_time)) }
            td.num { (format::int(s.answered)) }
            td.num { (format::int(s.abandoned)) }
            td.num { (wait(s)) }
        }
    }
}
