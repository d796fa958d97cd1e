//! The agent's queues.

use maud::{html, Markup};
use serva_domain::case::{CasePage, QueueCounts};
use serva_domain::format;
use serva_domain::org::Unit;

use crate::layout::{notice, page};
use crate::pages::cases::{filters, ListQuery, QueueFilters};
use crate::pages::queue_work::{queue_work_table, quick_filters};
use crate::widgets::pager;
use crate::Ctx;

/// The queues overview: each queue's unit and how much is waiting.
pub fn queues_page(cx: &Ctx, queues: &[(Unit, QueueCounts)]) -> Markup {
    page(
        cx,
        cx.t("Köer", "Queues"),
        html! {
            @if queues.is_empty() {
                p { (cx.t("Du arbetar inte i någon kö.", "You work in no queue.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Dina köer", "Your queues")) {
                    table {
                        caption.visually-hidden { (cx.t("Dina köer", "Your queues")) }
                        thead { tr {
                            th scope="col" { (cx.t("Kö", "Queue")) }
                            th.num scope="col" { (cx.t("Ej avslutade", "Not closed")) }
                            th.num scope="col" { (cx.t("Ej tilldelade", "Unassigned")) }
                            th.num scope="col" { (cx.t("Mina", "Mine")) }
                            th.num scope="col" { (cx.t("Nära brott", "Near breach")) }
                            th.num scope="col" { (cx.t("Brutna", "Breached")) }
                        } }
                        tbody {
                            @for (unit, n) in queues {
                                tr {
                                    th scope="row" { a href={"/queues/" (unit.code) "?status=active"} { (unit.name) } }
                                    td.num { (format::int(n.active)) }
                                    td.num { a href={"/queues/" (unit.code) "?status=active&assignee=none"} { (format::int(n.unassigned)) } }
                                    td.num { a href={"/queues/" (unit.code) "?status=active&assignee=me"} { (format::int(n.mine)) } }
                                    td.num { a href={"/queues/" (unit.code) "?status=active&sla=near_breach&sort=due"} { (format::int(n.near_breach)) } }
                                    td.num { a href={"/queues/" (unit.code) "?status=active&sla=breached&sort=due"} { (format::int(n.breached)) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// One queue: its quick filters, the filter form, its cases to work on and the pager; `ok`
/// says what the last bulk change did.
pub fn queue_page(
    cx: &Ctx,
    unit: &Unit,
    cases: &CasePage,
    q: &ListQuery,
    qf: &QueueFilters,
    ok: Option<&str>,
) -> Markup {
    let action = format!("/queues/{}", unit.code);
    page(
        cx,
        &format!("{}: {}", cx.t("Kö", "Queue"), unit.name),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            p { a href={"/queues/" (unit.code) "/phone"} { (cx.t("Servicenivå i telefon idag och denna vecka", "Phone service level today and this week")) } }
            (quick_filters(cx, unit, q))
            (filters(cx, &action, q, Some(qf)))
            (queue_work_table(cx, unit, cases, q, qf.agents))
            (pager(cx, &action, &q.params(), cases.page, cases.has_next))
            (crate::pages::list_download::download_links(cx, &format!("{action}/export"), &q.params()))
            p.hint { a href="/help/keys" { (cx.t("Kortkommandon för listan", "Keyboard shortcuts for the list")) } }
            script src="/static/keys.js" defer {}
        },
    )
}
