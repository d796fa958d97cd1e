//! The manager's overview (docs/overview.md): a provider unit's open cases per agent and state,
//! their ages, the cases near or past target with moving cases between agents, the service
//! level and satisfaction of today and this week; a customer department's cases with the same
//! SLA figures and totals per provider unit and service; and the choice of overviews.

use maud::{html, Markup};
use serva_domain::case::Case;
use serva_domain::followup::CallStats;
use serva_domain::format;
use serva_domain::org::Unit;
use serva_domain::overview::{
    age, Age, AgeBucket, AgentLoad, ClockLevel, CustomerOverview, GroupTotals, Holder, PeriodLevel,
    Totals, UnitOverview, OPEN_STATUSES,
};
use serva_domain::phone::format_level;
use serva_domain::survey::GroupFigures;
use serva_domain::time::format_datetime;

use crate::layout::{notice, page};
use crate::widgets::{option, sla_due, sla_flag, status_badge, status_label, time};
use crate::Ctx;

/// A count, linked to the queue list it counts when there is something to see.
fn count_link(n: i64, href: &str) -> Markup {
    html! {
        @if n > 0 { a href=(href) { (format::int(n)) } } @else { (format::int(n)) }
    }
}

fn age_text(cx: &Ctx, created_at: i64, now: i64) -> String {
    match (age(created_at, now), cx.lang) {
        (Age::Hours(h), crate::Lang::Sv) => format!("{}\u{a0}tim", format::int(h)),
        (Age::Hours(h), crate::Lang::En) => format!("{}\u{a0}h", format::int(h)),
        (Age::Days(1), crate::Lang::Sv) => "1\u{a0}dag".into(),
        (Age::Days(1), crate::Lang::En) => "1\u{a0}day".into(),
        (Age::Days(d), crate::Lang::Sv) => format!("{}\u{a0}dagar", format::int(d)),
        (Age::Days(d), crate::Lang::En) => format!("{}\u{a0}days", format::int(d)),
    }
}

pub fn age_label(cx: &Ctx, b: AgeBucket) -> &'static str {
    match b {
        AgeBucket::UnderOneDay => cx.t("Under 1 dag", "Under 1 day"),
        AgeBucket::OneToThreeDays => cx.t("1–3 dagar", "1–3 days"),
        AgeBucket::ThreeToSevenDays => cx.t("3–7 dagar", "3–7 days"),
        AgeBucket::OneToFourWeeks => cx.t("1–4 veckor", "1–4 weeks"),
        AgeBucket::OverFourWeeks => cx.t("Över 4 veckor", "Over 4 weeks"),
    }
}

/// `50,0 % (1 av 2)`, or a dash when no clock ended or breached.
fn clock_level(cx: &Ctx, l: &ClockLevel) -> Markup {
    html! {
        @match l.share {
            Some(s) => {
                (format::percent(s, 1)) " "
                span.hint { "(" (format::int(l.met)) " " (cx.t("av", "of")) " " (format::int(l.met + l.breached)) ")" }
            }
            None => { "–" }
        }
    }
}

/// The phone queue's figure: `75,0 % (3 av 4 samtal)`, or a dash without calls.
fn phone_cell(cx: &Ctx, s: &CallStats) -> Markup {
    html! {
        (format_level(s.service_level))
        @if s.offered > 0 {
            " " span.hint { "(" (format::int(s.answered_in_time)) " " (cx.t("av", "of")) " " (cx.count(s.offered, ("samtal", "samtal"), ("call", "calls"))) ")" }
        }
    }
}

/// Today's and this week's service level side by side, with the phone queue's when given.
fn service_level_table(
    cx: &Ctx,
    today: &PeriodLevel,
    week: &PeriodLevel,
    phone: Option<(&CallStats, &CallStats, i64)>,
) -> Markup {
    let caption = cx.t(
        "Servicenivå i dag och denna vecka",
        "Service level today and this week",
    );
    let rows: [(&str, i64, i64); 4] = [
        (
            cx.t(
                "Brutna mål: första svar",
                "Targets breached: first response",
            ),
            today.breaches.first_response,
            week.breaches.first_response,
        ),
        (
            cx.t("Brutna mål: nästa svar", "Targets breached: next response"),
            today.breaches.next_response,
            week.breaches.next_response,
        ),
        (
            cx.t("Brutna mål: lösning", "Targets breached: resolution"),
            today.breaches.resolution,
            week.breaches.resolution,
        ),
        (
            cx.t("Brutna mål totalt", "Targets breached in all"),
            today.breaches.total,
            week.breaches.total,
        ),
    ];
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table.service-level {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (cx.t("Mått", "Measure")) }
                    th.num scope="col" { (cx.t("I dag", "Today")) }
                    th.num scope="col" { (cx.t("Denna vecka", "This week")) }
                } }
                tbody {
                    tr {
                        th scope="row" { (cx.t("Första svar inom mål", "First response within target")) }
                        td.num { (clock_level(cx, &today.first_response)) }
                        td.num { (clock_level(cx, &week.first_response)) }
                    }
                    tr {
                        th scope="row" { (cx.t("Lösning inom mål", "Resolution within target")) }
                        td.num { (clock_level(cx, &today.resolution)) }
                        td.num { (clock_level(cx, &week.resolution)) }
                    }
                    @for (label, t, w) in rows {
                        tr {
                            th scope="row" { (label) }
                            td.num { (format::int(t)) }
                            td.num { (format::int(w)) }
                        }
                    }
                    @if let Some((t, w, within)) = phone {
                        tr {
                            th scope="row" {
                                (cx.t("Telefon: besvarade inom", "Phone: answered within")) " " (format::int(within)) "\u{a0}s"
                            }
                            td.num { (phone_cell(cx, t)) }
                            td.num { (phone_cell(cx, w)) }
                        }
                    }
                }
            }
        }
        p.hint {
            (cx.t(
                "Andelen inom mål räknar de klockor som stannade i tid under perioden (första svaret gavs, ärendet löstes) bland dem och de klockor vars förfallotid passerade under perioden. En klocka räknas en gång: den period då målet bröts, annars den period då den stannade. Tiden räknas i den levererande enhetens arbetstid.",
                "The share within target counts the clocks that stopped in time in the period (the first reply came, the case was resolved) among them and the clocks whose due time passed in the period. A clock counts once: in the period its target was breached, otherwise in the period it stopped. Time counts in the providing unit's working time."
            ))
        }
    }
}

fn index_text(cx: &Ctx, g: &GroupFigures) -> String {
    if g.withheld {
        cx.t("För få svar för att visas", "Too few answers to show")
            .into()
    } else {
        g.index
            .map_or_else(|| "–".into(), |v| format::decimal(v, 0))
    }
}

fn rate_text(g: &GroupFigures) -> String {
    g.response_rate
        .map_or_else(|| "–".into(), |v| format::percent(v, 0))
}

fn satisfaction_table(cx: &Ctx, unit: &Unit, o: &UnitOverview) -> Markup {
    let (t, w) = (&o.satisfaction_today, &o.satisfaction_week);
    let caption = cx.t(
        "Kundnöjdhet i dag och denna vecka",
        "Customer satisfaction today and this week",
    );
    let day = o.spans.date.format("%Y-%m-%d").to_string();
    let monday = o.spans.monday.format("%Y-%m-%d").to_string();
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table.satisfaction {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (cx.t("Mått", "Measure")) }
                    th.num scope="col" { a href={"/units/" (unit.code) "/surveys?from=" (day) "&to=" (day)} { (cx.t("I dag", "Today")) } }
                    th.num scope="col" { a href={"/units/" (unit.code) "/surveys?from=" (monday) "&to=" (day)} { (cx.t("Denna vecka", "This week")) } }
                } }
                tbody {
                    tr {
                        th scope="row" { (cx.t("Index (0–100)", "Index (0–100)")) }
                        td.num { (index_text(cx, t)) }
                        td.num { (index_text(cx, w)) }
                    }
                    tr {
                        th scope="row" { (cx.t("Besvarade enkäter", "Surveys answered")) }
                        td.num { (format::int(t.answered)) }
                        td.num { (format::int(w.answered)) }
                    }
                    tr {
                        th scope="row" { (cx.t("Skickade enkäter", "Surveys sent")) }
                        td.num { (format::int(t.sent)) }
                        td.num { (format::int(w.sent)) }
                    }
                    tr {
                        th scope="row" { (cx.t("Svarsfrekvens", "Response rate")) }
                        td.num { (rate_text(t)) }
                        td.num { (rate_text(w)) }
                    }
                }
            }
        }
        p.hint {
            (cx.t(
                "Som på sidan Kundnöjdhet: enkäter skickade under perioden och svaren på dem, för enheten och dess underenheter. Index är medelvärdet av huvudfrågan på skalan 0–100.",
                "As on the customer satisfaction page: surveys sent in the period and their answers, for the unit and its sub-units. The index is the mean of the main question on 0–100."
            ))
        }
    }
}

/// The queue's address filtered to `filters` (`key=value` pairs, already safe to put in a URL).
fn queue_href(unit: &Unit, filters: &[(&str, &str)]) -> String {
    let q: Vec<String> = filters
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("/queues/{}?{}", unit.code, q.join("&"))
}

fn workload_row(cx: &Ctx, o: &UnitOverview, r: &AgentLoad, total: bool) -> Markup {
    let unit = &o.unit;
    // The queue's `assignee` filter: an agent's id, `none`, or nothing for the total.
    let who = match (total, r.agent) {
        (true, _) => String::new(),
        (false, Some(a)) => a.0.to_string(),
        (false, None) => "none".into(),
    };
    let holder = match r.agent {
        Some(a) => Holder::Agent(a).as_param(),
        None => Holder::Unassigned.as_param(),
    };
    let name = match (&r.name, total) {
        (_, true) => cx.t("Totalt", "Total").to_string(),
        (Some(n), false) => n.clone(),
        (None, false) => cx.t("Ej tilldelad", "Unassigned").to_string(),
    };
    html! {
        tr {
            th scope="row" {
                @if total || r.total == 0 {
                    (name)
                } @else {
                    a href={"/units/" (unit.code) "/overview?agent=" (holder) "#flytta"} { (name) }
                }
            }
            @for (i, s) in OPEN_STATUSES.iter().enumerate() {
                td.num { (count_link(r.by_status[i], &queue_href(unit, &[("status", s.as_str()), ("assignee", &who)]))) }
            }
            td.num { (count_link(r.total, &queue_href(unit, &[("status", "active"), ("assignee", &who)]))) }
            td.num { (count_link(r.near_target, &queue_href(unit, &[("status", "active"), ("assignee", &who), ("sla", "near_breach"), ("sort", "due")]))) }
            td.num { (count_link(r.past_target, &queue_href(unit, &[("status", "active"), ("assignee", &who), ("sla", "breached"), ("sort", "due")]))) }
            td.num {
                @match r.oldest_created_at {
                    Some(t) => { a href=(queue_href(unit, &[("status", "active"), ("assignee", &who), ("sort", "oldest")])) { (age_text(cx, t, o.at)) } }
                    None => { "–" }
                }
            }
        }
    }
}

fn workload_table(cx: &Ctx, o: &UnitOverview) -> Markup {
    let caption = cx.t(
        "Öppna ärenden per handläggare och status",
        "Open cases per agent and status",
    );
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table.workload {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (cx.t("Handläggare", "Agent")) }
                    @for s in OPEN_STATUSES { th.num scope="col" { (status_label(cx, s)) } }
                    th.num scope="col" { (cx.t("Totalt", "Total")) }
                    th.num scope="col" { (cx.t("Nära mål", "Near target")) }
                    th.num scope="col" { (cx.t("Över mål", "Past target")) }
                    th.num scope="col" { (cx.t("Äldsta", "Oldest")) }
                } }
                tbody {
                    @for r in &o.workload.rows { (workload_row(cx, o, r, false)) }
                }
                tfoot { (workload_row(cx, o, &o.workload.total, true)) }
            }
        }
        p.hint {
            (cx.t(
                "Nära mål: en klocka har passerat varningsgränsen men ingen har passerat sin förfallotid. Över mål: en klocka har passerat sin förfallotid, nu eller tidigare i ärendet. Talen leder till kön filtrerad på samma sätt.",
                "Near target: a clock has passed its warning share but none its due time. Past target: a clock has passed its due time, now or earlier in the case. The numbers lead to the queue filtered the same way."
            ))
        }
    }
}

fn ages_table(cx: &Ctx, o: &UnitOverview) -> Markup {
    let caption = cx.t("Öppna ärenden efter ålder", "Open cases by age");
    let all: i64 = o.workload.ages.iter().sum();
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table.ages {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (cx.t("Ålder", "Age")) }
                    th.num scope="col" { (cx.t("Ärenden", "Cases")) }
                    th.num scope="col" { (cx.t("Andel", "Share")) }
                } }
                tbody {
                    @for (b, n) in AgeBucket::ALL.iter().zip(o.workload.ages) {
                        tr {
                            th scope="row" { (age_label(cx, *b)) }
                            td.num { (format::int(n)) }
                            td.num { @if all > 0 { (format::percent(100.0 * n as f64 / all as f64, 0)) } @else { "–" } }
                        }
                    }
                }
            }
        }
        p.hint { (cx.t("Ålder räknas i kalendertid sedan ärendet kom in.", "Age counts in calendar time since the case came in.")) }
    }
}

/// A list of cases with a checkbox each, for the reassignment form; `list` keeps the boxes'
/// ids apart when a case is in two lists.
fn pick_table(cx: &Ctx, caption: &str, list: &str, cases: &[Case], now: i64) -> Markup {
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table.pick {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (cx.t("Välj", "Choose")) }
                    th scope="col" { (cx.t("Nummer", "Number")) }
                    th scope="col" { (cx.t("Rubrik", "Subject")) }
                    th scope="col" { (cx.t("Tjänst", "Service")) }
                    th scope="col" { (cx.t("Status", "Status")) }
                    th scope="col" { (cx.t("Handläggare", "Agent")) }
                    th scope="col" { (cx.t("Senast", "Due")) }
                    th scope="col" { (cx.t("Servicenivå", "Service level")) }
                } }
                tbody {
                    @for c in cases {
                        @let id = format!("pick-{list}-{}", c.id);
                        tr {
                            td {
                                input type="checkbox" name="case" value=(c.id) id=(id);
                                label.visually-hidden for=(id) { (cx.t("Välj ärende", "Choose case")) " " (c.number()) }
                            }
                            td.nowrap { a href={"/cases/" (c.id)} { (c.number()) } }
                            td { a href={"/cases/" (c.id)} { (c.subject) } }
                            td { (c.service_name) }
                            td { (status_badge(cx, c.status)) }
                            td { (c.assignee_name.as_deref().unwrap_or("–")) }
                            td.nowrap { (sla_due(cx, &c.sla, now)) }
                            td { (sla_flag(cx, &c.sla, now)) }
                        }
                    }
                }
            }
        }
    }
}

fn holder_name(cx: &Ctx, o: &UnitOverview, h: Holder) -> String {
    match h {
        Holder::Unassigned => cx.t("ej tilldelade", "unassigned").into(),
        Holder::Agent(a) => o
            .workload
            .rows
            .iter()
            .find(|r| r.agent == Some(a))
            .and_then(|r| r.name.clone())
            .unwrap_or_else(|| a.to_string()),
    }
}

fn reassign_section(cx: &Ctx, o: &UnitOverview) -> Markup {
    let unit = &o.unit;
    let chosen = o
        .chosen
        .as_ref()
        .map(|c| c.holder.as_param())
        .unwrap_or_default();
    html! {
        h2 #flytta { (cx.t("Nära eller över mål – och flytt av ärenden", "Near or past target – and moving cases")) }
        p {
            (cx.t(
                "Markera ärenden och välj vem de ska tilldelas längst ned. Alla markerade flyttas, eller inget.",
                "Tick cases and choose who gets them at the bottom. All ticked cases move, or none."
            ))
        }
        form.filters method="get" action={"/units/" (unit.code) "/overview#flytta"} {
            div {
                label for="agent" { (cx.t("Lista också öppna ärenden för", "Also list the open cases of")) }
                select #agent name="agent" {
                    (option("", cx.t("Ingen", "Nobody"), &chosen))
                    (option("none", cx.t("Ej tilldelade", "Unassigned"), &chosen))
                    @for r in &o.workload.rows {
                        @if let (Some(a), Some(n)) = (r.agent, &r.name) {
                            (option(&a.0.to_string(), n, &chosen))
                        }
                    }
                }
            }
            div { button type="submit" { (cx.t("Visa", "Show")) } }
        }
        form method="post" action={"/units/" (unit.code) "/overview/reassign"} {
            (cx.csrf_field())
            input type="hidden" name="agent" value=(chosen);
            @if o.at_risk.is_empty() {
                p { (cx.t("Inga öppna ärenden är nära eller över sitt mål.", "No open case is near or past its target.")) }
            } @else {
                (pick_table(cx, cx.t("Ärenden nära eller över mål, det som förfaller först överst", "Cases near or past target, the earliest due first"), "risk", &o.at_risk, o.at))
                @if o.at_risk_more {
                    p {
                        (cx.t("Fler finns i kön:", "More are in the queue:")) " "
                        a href=(queue_href(unit, &[("status", "active"), ("sla", "breached"), ("sort", "due")])) { (cx.t("alla över mål", "all past target")) } ", "
                        a href=(queue_href(unit, &[("status", "active"), ("sla", "near_breach"), ("sort", "due")])) { (cx.t("alla nära mål", "all near target")) }
                    }
                }
            }
            @if let Some(c) = &o.chosen {
                @let caption = format!("{} {}", cx.t("Öppna ärenden:", "Open cases:"), holder_name(cx, o, c.holder));
                @if c.cases.is_empty() {
                    p { (caption) ": " (cx.t("inga.", "none.")) }
                } @else {
                    (pick_table(cx, &caption, "agent", &c.cases, o.at))
                    @if c.more {
                        p { a href=(queue_href(unit, &[("status", "active"), ("assignee", &c.holder.as_param()), ("sort", "due")])) { (cx.t("Fler finns i kön", "More are in the queue")) } }
                    }
                }
            }
            div.filters {
                div {
                    label for="assignee" { (cx.t("Tilldela markerade ärenden till", "Assign the ticked cases to")) }
                    select #assignee name="assignee" required {
                        option value="" { (cx.t("Välj handläggare", "Choose an agent")) }
                        @for a in &o.agents { option value=(a.id) { (a.display_name) } }
                    }
                }
                div { button type="submit" { (cx.t("Tilldela", "Assign")) } }
            }
        }
    }
}

/// `GET /units/{code}/overview`.
pub fn unit_overview_page(cx: &Ctx, o: &UnitOverview, ok: Option<&str>) -> Markup {
    let unit = &o.unit;
    let phone = o.phone.this_week.offered > 0;
    page(
        cx,
        &format!("{}: {}", cx.t("Översikt", "Overview"), unit.name),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            p.hint {
                (cx.t("Läst", "Read")) " " (format_datetime(o.at)) ". "
                (cx.t("Ärendena är de i enhetens kö.", "The cases are those in the unit's queue."))
            }
            p {
                a href={"/queues/" (unit.code) "?status=active"} { (cx.t("Kön", "The queue")) } " · "
                a href={"/wall/" (unit.code)} { (cx.t("Tavlan", "The wall board")) } " · "
                a href={"/units/" (unit.code) "/surveys"} { (cx.t("Kundnöjdhet", "Customer satisfaction")) } " · "
                a href={"/units/" (unit.code) "/dashboard"} { (cx.t("Diagram per vecka", "Charts per week")) } " · "
                a href={"/units/" (unit.code) "/templates"} { (cx.t("Svarsmallar", "Reply templates")) }
            }
            h2 { (cx.t("Öppna ärenden per handläggare", "Open cases per agent")) }
            (workload_table(cx, o))
            h2 { (cx.t("Ålder", "Age")) }
            (ages_table(cx, o))
            h2 { (cx.t("Servicenivå", "Service level")) }
            (service_level_table(cx, &o.today, &o.week, phone.then_some((&o.phone.today, &o.phone.this_week, o.phone.rule.answer_within_seconds))))
            @if !phone {
                p { (cx.t("Telefonkön har inga samtal denna vecka.", "The phone queue has no calls this week.")) }
            }
            h2 { (cx.t("Kundnöjdhet", "Customer satisfaction")) }
            (satisfaction_table(cx, unit, o))
            (reassign_section(cx, o))
        },
    )
}

fn totals_table(
    cx: &Ctx,
    caption: &str,
    first: &str,
    rows: &[GroupTotals],
    total: &Totals,
) -> Markup {
    let cells = |t: &Totals| {
        html! {
            td.num { (format::int(t.open)) }
            td.num { (format::int(t.near_target)) }
            td.num { (format::int(t.past_target)) }
            td.num { (format::int(t.closed_this_month)) }
            td.num { (format::int(t.breaches_this_month)) }
        }
    };
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table.totals {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (first) }
                    th.num scope="col" { (cx.t("Öppna", "Open")) }
                    th.num scope="col" { (cx.t("Nära mål", "Near target")) }
                    th.num scope="col" { (cx.t("Över mål", "Past target")) }
                    th.num scope="col" { (cx.t("Lösta denna månad", "Resolved this month")) }
                    th.num scope="col" { (cx.t("Brutna mål denna månad", "Targets breached this month")) }
                } }
                tbody {
                    @for g in rows {
                        tr { th scope="row" { (g.name) " (" (g.code) ")" } (cells(&g.totals)) }
                    }
                }
                tfoot { tr { th scope="row" { (cx.t("Totalt", "Total")) } (cells(total)) } }
            }
        }
    }
}

/// The department's cases: the provider, the due time and state, or when it was resolved.
fn department_cases(cx: &Ctx, caption: &str, cases: &[Case], now: i64, resolved: bool) -> Markup {
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table.department-cases {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (cx.t("Nummer", "Number")) }
                    th scope="col" { (cx.t("Rubrik", "Subject")) }
                    th scope="col" { (cx.t("Beställare", "Requester")) }
                    th scope="col" { (cx.t("Tjänst", "Service")) }
                    th scope="col" { (cx.t("Leverantör", "Provider")) }
                    th scope="col" { (cx.t("Status", "Status")) }
                    @if resolved {
                        th scope="col" { (cx.t("Löst", "Resolved")) }
                    } @else {
                        th scope="col" { (cx.t("Senast", "Due")) }
                    }
                    th scope="col" { (cx.t("Servicenivå", "Service level")) }
                } }
                tbody {
                    @for c in cases {
                        tr {
                            td.nowrap { a href={"/cases/" (c.id)} { (c.number()) } }
                            td { a href={"/cases/" (c.id)} { (c.subject) } }
                            td { (c.requester_name.as_deref().unwrap_or("–")) }
                            td { (c.service_name) }
                            td { (c.unit_name) }
                            td { (status_badge(cx, c.status)) }
                            @if resolved {
                                td.nowrap { @if let Some(t) = c.resolved_at { (time(t)) } @else { "–" } }
                            } @else {
                                td.nowrap { (sla_due(cx, &c.sla, now)) }
                            }
                            td { (sla_flag(cx, &c.sla, now)) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /customers/{code}/overview`.
pub fn customer_overview_page(cx: &Ctx, o: &CustomerOverview) -> Markup {
    let t = &o.totals.total;
    page(
        cx,
        &format!("{}: {}", cx.t("Översikt", "Overview"), o.unit.name),
        html! {
            p.hint {
                (cx.t("Läst", "Read")) " " (format_datetime(o.at)) ". "
                (cx.t("Ärenden som förvaltningen och dess enheter har beställt, hos alla leverantörer.", "Cases the department and its units ordered, from every provider."))
            }
            dl.facts {
                dt { (cx.t("Öppna ärenden", "Open cases")) } dd { (format::int(t.open)) }
                dt { (cx.t("Nära mål", "Near target")) } dd { (format::int(t.near_target)) }
                dt { (cx.t("Över mål", "Past target")) } dd { (format::int(t.past_target)) }
                dt { (cx.t("Lösta denna månad", "Resolved this month")) } dd { (format::int(t.closed_this_month)) }
            }
            h2 { (cx.t("Servicenivå", "Service level")) }
            (service_level_table(cx, &o.today, &o.week, None))
            h2 { (cx.t("Per leverantör", "Per provider")) }
            @if o.totals.by_provider.is_empty() {
                p { (cx.t("Inga öppna ärenden och inga lösta denna månad.", "No open cases and none resolved this month.")) }
            } @else {
                (totals_table(cx, cx.t("Ärenden per leverantör", "Cases per provider"), cx.t("Leverantör", "Provider"), &o.totals.by_provider, t))
                h2 { (cx.t("Per tjänst", "Per service")) }
                (totals_table(cx, cx.t("Ärenden per tjänst", "Cases per service"), cx.t("Tjänst", "Service"), &o.totals.by_service, t))
            }
            h2 { (cx.t("Öppna ärenden", "Open cases")) }
            @if o.open.is_empty() {
                p { (cx.t("Inga öppna ärenden.", "No open cases.")) }
            } @else {
                (department_cases(cx, cx.t("Öppna ärenden, det som förfaller först överst", "Open cases, the earliest due first"), &o.open, o.at, false))
                @if o.open_more {
                    p { a href="/cases?status=active" { (cx.t("Alla förvaltningens ärenden", "All the department's cases")) } }
                }
            }
            h2 { (cx.t("Lösta de senaste 30 dagarna", "Resolved in the last 30 days")) }
            @if o.recent.is_empty() {
                p { (cx.t("Inga ärenden lösta de senaste 30 dagarna.", "No cases resolved in the last 30 days.")) }
            } @else {
                (department_cases(cx, cx.t("Lösta ärenden, senast lösta överst", "Resolved cases, the latest first"), &o.recent, o.at, true))
            }
        },
    )
}

/// `GET /overview`: the units and departments whose overview the person may open.
pub fn overview_choices_page(cx: &Ctx, units: &[Unit], departments: &[Unit]) -> Markup {
    page(
        cx,
        cx.t("Översikt", "Overview"),
        html! {
            @if !units.is_empty() {
                h2 { (cx.t("Enheter du leder", "Units you manage")) }
                ul {
                    @for u in units {
                        li { a href={"/units/" (u.code) "/overview"} { (u.name) } }
                    }
                }
            }
            @if !departments.is_empty() {
                h2 { (cx.t("Förvaltningar du följer", "Departments you oversee")) }
                ul {
                    @for u in departments {
                        li { a href={"/customers/" (u.code) "/overview"} { (u.name) } }
                    }
                }
            }
        },
    )
}
