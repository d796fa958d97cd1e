//! "Mina ärenden": the cases assigned to the person, for someone who works queues, and the
//! cases they ordered (with their department's, for a customer manager). Someone who does
//! both switches between the two lists with links, so the page needs no JavaScript.

use maud::{html, Markup};
use serva_domain::case::{CasePage, CaseStatus};

use crate::layout::{notice, page};
use crate::pages::case_list::{case_list, Columns, Side};
use crate::pages::cases::ListQuery;
use crate::widgets::{option, pager, status_label};
use crate::Ctx;

/// Which of the person's lists is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MyList {
    /// Cases assigned to the person (`?list=assigned`): open ones first, the earliest due first.
    Assigned,
    /// Cases the person ordered, and their department's for a customer manager (`?list=ordered`).
    Ordered,
}

impl MyList {
    pub fn as_str(self) -> &'static str {
        match self {
            MyList::Assigned => "assigned",
            MyList::Ordered => "ordered",
        }
    }
    pub fn parse(s: &str) -> Option<MyList> {
        match s {
            "assigned" => Some(MyList::Assigned),
            "ordered" => Some(MyList::Ordered),
            _ => None,
        }
    }
}

/// The status filter value of the assigned list that shows every case: absent, that list shows
/// the open ones only.
pub const ALL_STATUSES: &str = "all";

/// What the page shows.
pub struct MyCases<'a> {
    pub list: MyList,
    /// The person works queues, so both lists are offered.
    pub works: bool,
    /// The person oversees a department: the ordered list is the department's, with who ordered.
    pub oversees: bool,
    pub cases: &'a CasePage,
    /// The filters as shown (the assigned list's status may be [`ALL_STATUSES`]).
    pub q: &'a ListQuery,
    pub ok: Option<&'a str>,
}

fn ordered_label(cx: &Ctx, oversees: bool) -> &'static str {
    if oversees {
        cx.t(
            "Beställda av mig och förvaltningen",
            "Ordered by me and my department",
        )
    } else {
        cx.t("Mina beställningar", "My orders")
    }
}

pub fn my_cases_page(cx: &Ctx, v: &MyCases) -> Markup {
    let assigned = v.list == MyList::Assigned;
    let title = if v.oversees && !v.works {
        cx.t(
            "Mina och förvaltningens ärenden",
            "My and my department's cases",
        )
    } else {
        cx.t("Mina ärenden", "My cases")
    };
    let heading = if assigned {
        cx.t("Tilldelade till mig", "Assigned to me")
    } else {
        ordered_label(cx, v.oversees)
    };
    let cols = Columns {
        side: if assigned {
            Side::Provider
        } else {
            Side::Customer
        },
        requester: assigned || v.oversees,
    };
    let mut pager_params = v.q.params();
    pager_params.push(("list", v.list.as_str().to_string()));
    page(
        cx,
        title,
        html! {
            @if let Some(m) = v.ok { (notice(true, m)) }
            @if v.works {
                nav.views aria-label=(cx.t("Vilka ärenden", "Which cases")) {
                    ul {
                        li { a href="/cases?list=assigned" aria-current=[assigned.then_some("page")] { (cx.t("Tilldelade till mig", "Assigned to me")) } }
                        li { a href="/cases?list=ordered" aria-current=[(!assigned).then_some("page")] { (ordered_label(cx, v.oversees)) } }
                    }
                }
            }
            @if v.oversees {
                p { a href="/portal/charges" { (cx.t("Vad förvaltningen har köpt och dess öppna ärenden", "What your department bought, and its open cases")) } }
            }
            h2 { (heading) }
            (filters(cx, v.list, v.q))
            @if v.cases.cases.is_empty() {
                p role="status" { (cx.t("Inga ärenden matchar.", "No cases match.")) }
            } @else {
                (case_list(cx, &v.cases.cases, heading, cols))
            }
            (pager(cx, "/cases", &pager_params, v.cases.page, v.cases.has_next))
            (crate::pages::list_download::download_links(cx, "/cases/export", &pager_params))
        },
    )
}

fn filters(cx: &Ctx, list: MyList, q: &ListQuery) -> Markup {
    let assigned = list == MyList::Assigned;
    html! {
        form.filters method="get" action="/cases" role="search" {
            input type="hidden" name="list" value=(list.as_str());
            div {
                label for="q" { (cx.t("Sök", "Search")) span.hint { (cx.t("rubrik, text eller ärendenummer", "subject, text or case number")) } }
                input #q type="search" name="q" value=(q.q);
            }
            div {
                label for="status" { (cx.t("Status", "Status")) }
                select #status name="status" {
                    (option(if assigned { ALL_STATUSES } else { "" }, cx.t("Alla", "All"), &q.status))
                    (option("active", cx.t("Ej avslutade", "Not closed"), &q.status))
                    @for s in CaseStatus::ALL { (option(s.as_str(), status_label(cx, s), &q.status)) }
                }
            }
            div {
                label for="sort" { (cx.t("Sortering", "Sort")) }
                select #sort name="sort" {
                    @if assigned {
                        (option("due", cx.t("Förfaller först", "Due first"), &q.sort))
                    }
                    (option("newest", cx.t("Nyaste först", "Newest first"), &q.sort))
                    (option("oldest", cx.t("Äldsta först", "Oldest first"), &q.sort))
                    (option("updated", cx.t("Senast ändrade", "Recently updated"), &q.sort))
                }
            }
            div { button type="submit" { (cx.t("Visa", "Show")) } }
        }
    }
}
