//! "Mitt arbete": an agent's start page.

use maud::{html, Markup};
use serva_domain::case::{CasePage, QueueCounts};
use serva_domain::format;
use serva_domain::org::Unit;

use crate::layout::page;
use crate::pages::case_list::{case_list, Columns, Side};
use crate::widgets::urlencode;
use crate::Ctx;

/// What the page shows: the open cases assigned to the person and their queues' unassigned
/// ones, each list capped (`more` links lead to the rest).
pub struct MyWorkView<'a> {
    pub assigned: &'a CasePage,
    pub unassigned: &'a CasePage,
    pub queues: &'a [(Unit, QueueCounts)],
}

pub fn my_work_page(cx: &Ctx, v: &MyWorkView) -> Markup {
    let cols = Columns {
        side: Side::Provider,
        requester: true,
    };
    let assigned_caption = cx.t(
        "Mina öppna ärenden, det som förfaller först överst",
        "My open cases, the earliest due first",
    );
    let unassigned_caption = cx.t(
        "Ej tilldelade ärenden i mina köer, nyaste överst",
        "Unassigned cases in my queues, newest first",
    );
    page(
        cx,
        cx.t("Mitt arbete", "My work"),
        html! {
            h2 #tilldelade { (cx.t("Tilldelade till mig", "Assigned to me")) }
            @if v.assigned.cases.is_empty() {
                p { (cx.t("Du har inga öppna ärenden tilldelade.", "You have no open cases assigned.")) }
            } @else {
                (case_list(cx, &v.assigned.cases, assigned_caption, cols))
                @if v.assigned.has_next {
                    p { a href="/cases?list=assigned&status=active&sort=due" { (cx.t("Alla mina öppna ärenden", "All my open cases")) } }
                }
            }
            h2 #ej-tilldelade { (cx.t("Ej tilldelade i mina köer", "Unassigned in my queues")) }
            @if v.unassigned.cases.is_empty() {
                p { (cx.t("Inga ej tilldelade ärenden i dina köer.", "No unassigned cases in your queues.")) }
            } @else {
                (case_list(cx, &v.unassigned.cases, unassigned_caption, cols))
            }
            @if !v.queues.is_empty() {
                h3 { (cx.t("Ej tilldelade per kö", "Unassigned per queue")) }
                ul {
                    @for (unit, n) in v.queues {
                        li {
                            a href={"/queues/" (urlencode(&unit.code)) "?status=active&assignee=none"} { (unit.name) }
                            ": " (unassigned_count(cx, n.unassigned))
                        }
                    }
                }
            }
        },
    )
}

fn unassigned_count(cx: &Ctx, n: i64) -> String {
    match (cx.lang, n) {
        (crate::Lang::Sv, 1) => "1 ej tilldelat".to_string(),
        (crate::Lang::Sv, n) => format!("{} ej tilldelade", format::int(n)),
        (crate::Lang::En, 1) => "1 unassigned".to_string(),
        (crate::Lang::En, n) => format!("{} unassigned", format::int(n)),
    }
}
