//! The agent's queues.

use maud::{html, Markup};
use serva_domain::format;
use serva_store::cases::CasePage;
use serva_store::org::Unit;

use crate::layout::page;
use crate::pages::cases::{case_table, filters, ListQuery, QueueFilters};
use crate::widgets::pager;
use crate::Ctx;

/// One queue on the overview: its unit and how much is waiting.
pub struct QueueSummary {
    pub unit: Unit,
    pub active: i64,
    pub unassigned: i64,
    pub mine: i64,
}

pub fn queues_page(cx: &Ctx, queues: &[QueueSummary]) -> Markup {
    page(
        cx,
        cx.t("Köer", "Queues"),
        html! {
            @if queues.is_empty() {
                p { (cx.t("Du arbetar inte i någon kö.", "You work in no queue.")) }
            } @else {
                table {
                    caption.visually-hidden { (cx.t("Dina köer", "Your queues")) }
                    thead { tr {
                        th scope="col" { (cx.t("Kö", "Queue")) }
                        th.num scope="col" { (cx.t("Ej avslutade", "Not closed")) }
                        th.num scope="col" { (cx.t("Ej tilldelade", "Unassigned")) }
                        th.num scope="col" { (cx.t("Mina", "Mine")) }
                    } }
                    tbody {
                        @for q in queues {
                            tr {
                                th scope="row" { a href={"/queues/" (q.unit.code) "?status=active"} { (q.unit.name) } }
                                td.num { (format::int(q.active)) }
                                td.num { a href={"/queues/" (q.unit.code) "?status=active&assignee=none"} { (format::int(q.unassigned)) } }
                                td.num { a href={"/queues/" (q.unit.code) "?status=active&assignee=me"} { (format::int(q.mine)) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn queue_page(
    cx: &Ctx,
    unit: &Unit,
    cases: &CasePage,
    q: &ListQuery,
    qf: &QueueFilters,
) -> Markup {
    let action = format!("/queues/{}", unit.code);
    page(
        cx,
        &format!("{}: {}", cx.t("Kö", "Queue"), unit.name),
        html! {
            (filters(cx, &action, q, Some(qf)))
            (case_table(cx, cases, false))
            (pager(cx, &action, &q.params(), cases.page, cases.has_next))
        },
    )
}
