//! A table of cases with the columns its reader needs: the customer's side (provider,
//! assignee) or the provider's side (queue, due time, service level), with who ordered each
//! where the reader sees other people's cases.

use maud::{html, Markup};
use serva_domain::case::Case;

use crate::widgets::{sla_due, sla_flag, status_badge, time};
use crate::Ctx;

/// Which side reads the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The people who ordered: the provider and the assignee; the provider's unread replies.
    Customer,
    /// The people who work the cases: the queue and the SLA; the customer's unread replies.
    Provider,
}

/// The columns of a case table.
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    pub side: Side,
    /// Who ordered each case: for readers who see cases other people ordered.
    pub requester: bool,
}

/// The cases as a table that scrolls in its own container on a narrow screen.
pub fn case_list(cx: &Ctx, cases: &[Case], caption: &str, cols: Columns) -> Markup {
    let now = serva_domain::time::now_ms();
    let provider = cols.side == Side::Provider;
    let unread = |c: &Case| {
        if provider {
            c.unread_by_provider
        } else {
            c.unread_by_customer
        }
    };
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table {
                caption.visually-hidden { (caption) }
                thead { tr {
                    th scope="col" { (cx.t("Nummer", "Number")) }
                    th scope="col" { (cx.t("Rubrik", "Subject")) }
                    th scope="col" { (cx.t("Tjänst", "Service")) }
                    th scope="col" { @if provider { (cx.t("Kö", "Queue")) } @else { (cx.t("Leverantör", "Provider")) } }
                    @if cols.requester { th scope="col" { (cx.t("Beställare", "Requester")) } }
                    th scope="col" { (cx.t("Status", "Status")) }
                    @if !provider { th scope="col" { (cx.t("Handläggare", "Assignee")) } }
                    th scope="col" { (cx.t("Skapat", "Created")) }
                    @if provider {
                        th scope="col" { (cx.t("Senast", "Due")) }
                        th scope="col" { (cx.t("Servicenivå", "Service level")) }
                    }
                } }
                tbody {
                    @for c in cases {
                        tr {
                            td.nowrap { a href={"/cases/" (c.id)} { (c.number()) } }
                            td {
                                a href={"/cases/" (c.id)} { (c.subject) }
                                @if unread(c) { " " span.badge.unread { (cx.t("Nytt svar", "New reply")) } }
                                @if !provider && c.status == serva_domain::case::CaseStatus::WaitingCustomer {
                                    " " span.badge.waiting { (cx.t("Väntar på dig", "Waiting for you")) }
                                }
                            }
                            td { (c.service_name) }
                            td { (c.unit_name) }
                            @if cols.requester {
                                td { (c.requester_name.as_deref().unwrap_or("–")) }
                            }
                            td { (status_badge(cx, c.status)) }
                            @if !provider { td { (c.assignee_name.as_deref().unwrap_or("–")) } }
                            td.nowrap { (time(c.created_at)) }
                            @if provider {
                                td.nowrap { (sla_due(cx, &c.sla, now)) }
                                td { (sla_flag(cx, &c.sla, now)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
