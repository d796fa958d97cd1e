//! `/billing/result`: each unit's result from the billing — revenue from its locked charges,
//! costs from the ledger, against the zero-result budget — as a summary per unit, and for one
//! unit month by month (a table and a chart) and per service.

use std::collections::HashMap;

use maud::{html, Markup, PreEscaped};
use serva_domain::billing::result::{UnitResult, BUDGET_ORE};
use serva_domain::chart::{columns, Chart, Columns};
use serva_domain::format::{money_ore, number};

use crate::layout::page;
use crate::Ctx;

/// What the page shows.
pub struct ResultView<'a> {
    pub year: i32,
    /// The units the person may pick (code, name).
    pub units: &'a [(String, String)],
    /// Unit code → name.
    pub names: &'a HashMap<String, String>,
    /// The summary: every unit the person may see with figures in the year.
    pub summary: &'a [UnitResult],
    /// The one unit asked for.
    pub unit: Option<&'a UnitResult>,
    /// Service code → name.
    pub services: &'a HashMap<String, String>,
}

const MONTHS_SV: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month<'a>(cx: &Ctx, m: u32) -> &'a str {
    let i = (m as usize).saturating_sub(1).min(11);
    cx.t(MONTHS_SV[i], MONTHS_EN[i])
}

/// An amount, or a dash where the figure is not known.
fn amount(v: Option<i64>) -> String {
    v.map_or_else(|| "–".to_string(), money_ore)
}

pub fn result_page(cx: &Ctx, v: &ResultView) -> Markup {
    let name = |code: &str| {
        v.names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    };
    let title = match v.unit {
        Some(u) => format!(
            "{} – {} {}",
            cx.t("Resultat från debiteringen", "Result from the billing"),
            name(&u.unit),
            v.year
        ),
        None => format!(
            "{} {}",
            cx.t(
                "Enheternas resultat från debiteringen",
                "The units' result from the billing"
            ),
            v.year
        ),
    };
    page(
        cx,
        &title,
        html! {
            form.filters method="get" action="/billing/result" {
                div {
                    label for="year" { (cx.t("År", "Year")) }
                    input #year type="text" inputmode="numeric" name="year" value=(v.year) autocomplete="off" size="4";
                }
                div {
                    label for="unit" { (cx.t("Enhet", "Unit")) }
                    select #unit name="unit" {
                        option value="" { (cx.t("Alla enheter", "All units")) }
                        @for (code, n) in v.units {
                            option value=(code) selected[v.unit.is_some_and(|u| &u.unit == code)] { (n) }
                        }
                    }
                }
                div { button type="submit" { (cx.t("Visa", "Show")) } }
            }
            p.hint {
                (cx.t(
                    "Intäkter är det enheten debiterat i låsta debiteringar (i körningens månad); kostnader är huvudbokens utfall (klass 4–8) från SIE-importen. Budgeten är ett nollresultat. Ett resultat räknas bara för månader som har både låst debitering och inläst utfall; annars står ett streck.",
                    "Revenue is what the unit charged in locked billing runs (in the run's month); costs are the ledger's outcome (classes 4–8) from the SIE import. The budget is a zero result. A result is only given for months with both a locked run and imported outcome; otherwise a dash.",
                ))
            }
            @match v.unit {
                Some(u) => (unit_section(cx, v, u)),
                None => (summary(cx, v)),
            }
        },
    )
}

fn summary(cx: &Ctx, v: &ResultView) -> Markup {
    let name = |code: &str| {
        v.names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    };
    let caption = cx.t("Resultat per enhet", "Result per unit");
    html! {
        h2 { (caption) }
        @if v.summary.is_empty() {
            p { (cx.t("Inga låsta debiteringar och inget inläst utfall för året.", "No locked billing runs and no imported outcome for the year.")) }
        } @else {
            div.table-scroll role="region" tabindex="0" aria-label=(caption) {
                table {
                    caption.visually-hidden { (caption) }
                    thead { tr {
                        th scope="col" { (cx.t("Enhet", "Unit")) }
                        th.num scope="col" { (cx.t("Intäkter, debitering", "Revenue, billing")) }
                        th.num scope="col" { (cx.t("Kostnader, huvudbok", "Costs, ledger")) }
                        th.num scope="col" { (cx.t("Resultat", "Result")) }
                        th.num scope="col" { (cx.t("Budget", "Budget")) }
                        th.num scope="col" { (cx.t("Månader med resultat", "Months with a result")) }
                    } }
                    tbody {
                        @for r in v.summary {
                            tr {
                                th scope="row" { a href={"/billing/result?year=" (v.year) "&unit=" (r.unit)} { (name(&r.unit)) } }
                                @if r.months_with_result == 0 {
                                    td.num { (money_ore(r.revenue_ore)) }
                                    td.num { "–" }
                                    td.num { "–" }
                                } @else {
                                    td.num { (money_ore(r.result_revenue_ore)) }
                                    td.num { (money_ore(r.result_cost_ore)) }
                                    td.num { (money_ore(r.result_ore)) }
                                }
                                td.num { (money_ore(BUDGET_ORE)) }
                                td.num { (r.months_with_result) }
                            }
                        }
                    }
                }
            }
            p.hint { (cx.t("Beloppen gäller månaderna med resultat; en enhet utan sådana visar vad den debiterat under året.", "The amounts are over the months with a result; a unit without any shows what it charged in the year.")) }
        }
    }
}

fn unit_section(cx: &Ctx, v: &ResultView, u: &UnitResult) -> Markup {
    let month_caption = cx.t("Resultat per månad", "Result per month");
    let service_caption = cx.t("Intäkter per tjänst", "Revenue per service");
    let no_runs = u.months.iter().all(|m| m.revenue_ore.is_none());
    let no_ledger = u.months.iter().all(|m| m.cost_ore.is_none());
    let categories: Vec<String> = (1..=12).map(|m| month(cx, m).to_string()).collect();
    let values: Vec<Option<f64>> = u
        .months
        .iter()
        .map(|m| m.revenue_ore.map(|o| o as f64 / 100_000.0))
        .collect();
    let tkr = |x: f64| number((x * 10.0).round() / 10.0);
    let chart_title = cx.t(
        "Intäkter från debiteringen per månad, tkr",
        "Revenue from the billing per month, SEK thousand",
    );
    let chart = columns(&Columns {
        id: "unit-result-revenue",
        categories: &categories,
        values: &values,
        max: None,
        target: None,
        value_text: &tkr,
    })
    .map(|dr| {
        let figures: Vec<String> = u
            .months
            .iter()
            .filter_map(|m| {
                m.revenue_ore
                    .map(|o| format!("{} {}", month(cx, m.month), money_ore(o)))
            })
            .collect();
        let alt = format!(
            "{}: {}.",
            cx.t(
                "Stapeldiagram, intäkter per låst månad",
                "Column chart, revenue per locked month"
            ),
            figures.join(", ")
        );
        Chart::of("unit-result-revenue", dr, chart_title, &alt, chart_title)
    });
    html! {
        @if no_runs {
            p role="status" { (cx.t("Ingen debitering är låst för året: intäkterna är inte kända.", "No billing run is locked for the year: the revenue is not known.")) }
        }
        @if no_ledger {
            p role="status" { (cx.t("Inget utfall från huvudboken är inläst för enheten och året: kostnaderna, och därmed resultatet, kan inte räknas fram. Läs in en SIE-fil under Import.", "No ledger outcome is imported for the unit and year: the costs, and so the result, cannot be worked out. Import an SIE file under Import.")) }
        }
        h2 { (month_caption) }
        div.table-scroll role="region" tabindex="0" aria-label=(month_caption) {
            table {
                caption.visually-hidden { (month_caption) }
                thead { tr {
                    th scope="col" { (cx.t("Månad", "Month")) }
                    th.num scope="col" { (cx.t("Intäkter, debitering", "Revenue, billing")) }
                    th.num scope="col" { (cx.t("Kostnader, huvudbok", "Costs, ledger")) }
                    th.num scope="col" { (cx.t("Resultat", "Result")) }
                    th.num scope="col" { (cx.t("Ackumulerat resultat", "Cumulative result")) }
                    th.num scope="col" { (cx.t("Budget", "Budget")) }
                    th.num scope="col" { (cx.t("Intäkter enligt huvudboken", "Revenue in the ledger")) }
                } }
                tbody {
                    @for m in &u.months {
                        tr {
                            th scope="row" { (month(cx, m.month)) }
                            td.num { (amount(m.revenue_ore)) }
                            td.num { (amount(m.cost_ore)) }
                            td.num { (amount(m.result_ore)) }
                            td.num { (amount(m.cumulative_ore)) }
                            td.num { (money_ore(BUDGET_ORE)) }
                            td.num { (amount(m.ledger_revenue_ore)) }
                        }
                    }
                }
                @if u.months_with_result > 0 {
                    tfoot { tr {
                        th scope="row" { (cx.t("Året, månader med resultat", "The year, months with a result")) }
                        td.num { strong { (money_ore(u.result_revenue_ore)) } }
                        td.num { strong { (money_ore(u.result_cost_ore)) } }
                        td.num { strong { (money_ore(u.result_ore)) } }
                        td.num {}
                        td.num { (money_ore(BUDGET_ORE)) }
                        td.num {}
                    } }
                }
            }
        }
        p.hint {
            (cx.t("Årets summa räknas över månaderna som har ett resultat. Debiterat under året, alla låsta månader:", "The year's sums are over the months that have a result. Charged in the year, every locked month:"))
            " " (money_ore(u.revenue_ore)) "."
        }
        section.dashboard-chart {
            h2 { (chart_title) }
            @match chart {
                Some(c) => {
                    figure {
                        (PreEscaped(c.inline_svg()))
                        figcaption { (c.caption) }
                    }
                }
                None => { p.no-data { (cx.t("Inga låsta intäkter för året.", "No locked revenue for the year.")) } }
            }
        }
        h2 { (service_caption) }
        @if u.services.is_empty() {
            p { (cx.t("Enheten har inte debiterat något under året.", "The unit has charged nothing in the year.")) }
        } @else {
            div.table-scroll role="region" tabindex="0" aria-label=(service_caption) {
                table {
                    caption.visually-hidden { (service_caption) }
                    thead { tr {
                        th scope="col" { (cx.t("Tjänst", "Service")) }
                        @for m in 1..=12u32 { th.num scope="col" { (month(cx, m)) } }
                        th.num scope="col" { (cx.t("Året", "The year")) }
                    } }
                    tbody {
                        @for s in &u.services {
                            tr {
                                th scope="row" {
                                    (v.services.get(&s.service).map_or(s.service.as_str(), String::as_str))
                                    " (" (s.service) ")"
                                }
                                @for (i, a) in s.months.iter().enumerate() {
                                    td.num {
                                        @if u.months[i].revenue_ore.is_some() { (money_ore(*a)) } @else { "–" }
                                    }
                                }
                                td.num { strong { (money_ore(s.total_ore)) } }
                            }
                        }
                    }
                }
            }
        }
        p { a href={"/billing/result?year=" (v.year)} { (cx.t("Alla enheters resultat", "Every unit's result")) } }
    }
}
