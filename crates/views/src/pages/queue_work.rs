//! The parts of a queue page an agent works in: quick filters, the case table with the
//! requester and customer, statuses marked by shape as well as colour, and the form that
//! changes the ticked cases at once. All of it works without JavaScript.

use maud::{html, Markup};
use serva_domain::case::{Case, CasePage, CaseStatus};
use serva_domain::org::Unit;
use serva_domain::user::User;

use crate::pages::cases::ListQuery;
use crate::widgets::{sla_due, sla_flag, status_badge, status_label, time, urlencode};
use crate::Ctx;

/// A named filter of a queue: the status and assignee it stands for.
struct QuickFilter {
    sv: &'static str,
    en: &'static str,
    status: &'static str,
    assignee: &'static str,
}

const QUICK_FILTERS: [QuickFilter; 3] = [
    QuickFilter {
        sv: "Mina",
        en: "Mine",
        status: "active",
        assignee: "me",
    },
    QuickFilter {
        sv: "Ej tilldelade",
        en: "Unassigned",
        status: "active",
        assignee: "none",
    },
    QuickFilter {
        sv: "Väntar på kund",
        en: "Waiting for customer",
        status: "waiting_customer",
        assignee: "",
    },
];

/// The queue's address with the filters of `params` (empty ones left out).
pub fn queue_href(unit: &Unit, params: &[(&str, String)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    if q.is_empty() {
        format!("/queues/{}", urlencode(&unit.code))
    } else {
        format!("/queues/{}?{}", urlencode(&unit.code), q.join("&"))
    }
}

/// Links to the queue's named filters; the one the list shows now is marked current.
pub fn quick_filters(cx: &Ctx, unit: &Unit, q: &ListQuery) -> Markup {
    let bare = q.q.is_empty() && q.sla.is_empty() && q.service.is_empty() && q.channel.is_empty();
    html! {
        nav.quick-filters aria-label=(cx.t("Snabbfilter", "Quick filters")) {
            ul {
                @for f in &QUICK_FILTERS {
                    @let current = bare && q.status == f.status && q.assignee == f.assignee;
                    @let href = queue_href(unit, &[
                        ("status", f.status.to_string()),
                        ("assignee", f.assignee.to_string()),
                        ("sort", q.sort.clone()),
                    ]);
                    li {
                        @if current {
                            a href=(href) aria-current="page" { (cx.t(f.sv, f.en)) }
                        } @else {
                            a href=(href) { (cx.t(f.sv, f.en)) }
                        }
                    }
                }
            }
        }
    }
}

/// Who asked: the requester's name, the name given without an account, or the contact's
/// (the store reads them in that order into `requester_name`).
fn requester(c: &Case) -> &str {
    c.requester_name.as_deref().unwrap_or("–")
}

/// The statuses a case can be given (none goes back to new).
const SETTABLE: [CaseStatus; 5] = [
    CaseStatus::Open,
    CaseStatus::WaitingCustomer,
    CaseStatus::WaitingThirdParty,
    CaseStatus::Resolved,
    CaseStatus::Closed,
];

/// The queue's cases with a box to tick on each row, and the form that gives the ticked ones a
/// new assignee, a new status, or both, in one step.
pub fn queue_work_table(
    cx: &Ctx,
    unit: &Unit,
    page_: &CasePage,
    q: &ListQuery,
    agents: &[User],
) -> Markup {
    let now = serva_domain::time::now_ms();
    let mut back = q.params();
    back.push(("page", q.page.clone()));
    html! {
        @if page_.cases.is_empty() {
            p role="status" { (cx.t("Inga ärenden matchar.", "No cases match.")) }
        } @else {
            form method="post" action={"/queues/" (urlencode(&unit.code)) "/bulk"} {
                (cx.csrf_field())
                @for (k, v) in &back {
                    @if !v.is_empty() { input type="hidden" name={"back_" (k)} value=(v); }
                }
                // Wide at 320 px: the table scrolls on its own, the page does not.
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Ärenden i kön", "Cases in the queue")) {
                table.queue-cases {
                    caption.visually-hidden { (cx.t("Ärenden i kön", "Cases in the queue")) }
                    thead { tr {
                        th scope="col" { (cx.t("Välj", "Choose")) }
                        th scope="col" { (cx.t("Nummer", "Number")) }
                        th scope="col" { (cx.t("Rubrik", "Subject")) }
                        th scope="col" { (cx.t("Beställare", "Requester")) }
                        th scope="col" { (cx.t("Kund", "Customer")) }
                        th scope="col" { (cx.t("Tjänst", "Service")) }
                        th scope="col" { (cx.t("Status", "Status")) }
                        th scope="col" { (cx.t("Handläggare", "Assignee")) }
                        th scope="col" { (cx.t("Skapat", "Created")) }
                        th scope="col" { (cx.t("Senast", "Due")) }
                        th scope="col" { (cx.t("Servicenivå", "Service level")) }
                    } }
                    tbody {
                        @for c in &page_.cases {
                            @let id = format!("valj-{}", c.id);
                            tr {
                                td {
                                    input type="checkbox" name="case" value=(c.id) id=(id);
                                    label.visually-hidden for=(id) { (cx.t("Välj ärende", "Choose case")) " " (c.number()) }
                                }
                                td.nowrap { a href={"/cases/" (c.id)} { (c.number()) } }
                                td {
                                    a href={"/cases/" (c.id)} { (c.subject) }
                                    @if c.unread_by_provider { " " span.badge.unread { (cx.t("Nytt svar", "New reply")) } }
                                }
                                td { (requester(c)) }
                                td { (c.customer_unit_name.as_deref().unwrap_or("–")) }
                                td { (c.service_name) }
                                td { (status_badge(cx, c.status)) }
                                td { (c.assignee_name.as_deref().unwrap_or("–")) }
                                td.nowrap { (time(c.created_at)) }
                                td.nowrap { (sla_due(cx, &c.sla, now)) }
                                td { (sla_flag(cx, &c.sla, now)) }
                            }
                        }
                    }
                }
                }
                fieldset.filters.bulk {
                    legend { (cx.t("Ändra markerade ärenden", "Change the ticked cases")) }
                    div {
                        label for="bulk-assignee" { (cx.t("Ny handläggare", "New assignee")) }
                        select #bulk-assignee name="assignee" {
                            option value="" { (cx.t("Behåll", "Keep")) }
                            @for a in agents { option value=(a.id) { (a.display_name) } }
                        }
                    }
                    div {
                        label for="bulk-status" { (cx.t("Ny status", "New status")) }
                        select #bulk-status name="status" {
                            option value="" { (cx.t("Behåll", "Keep")) }
                            @for s in SETTABLE { option value=(s.as_str()) { (status_label(cx, s)) } }
                        }
                    }
                    div { button type="submit" { (cx.t("Ändra markerade", "Change ticked")) } }
                }
            }
        }
    }
}
