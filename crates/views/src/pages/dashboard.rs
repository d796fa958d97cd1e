//! A provider unit's dashboard (docs/overview.md): four charts drawn on the server by
//! `serva_domain::chart` (the interim report's chart code), each an SVG image with a title
//! and a description, a caption, and the same figures as a table under "Visa som tabell".
//! A chart with nothing to show says so in words instead.

use maud::{html, Markup, PreEscaped};
use serva_domain::case::Channel;
use serva_domain::chart::{
    columns, line_with_target, stacked_columns, Chart, Columns, Line, Series,
};
use serva_domain::dashboard::{BacklogAge, UnitDashboard, WEEKS_MAX};
use serva_domain::format;
use serva_domain::overview::ClockLevel;
use serva_domain::time::format_datetime;

use crate::layout::page;
use crate::widgets::channel_label;
use crate::Ctx;

/// What the page shows: the figures, the weeks as typed, and what was wrong with them.
pub struct DashboardView<'a> {
    pub d: &'a UnitDashboard,
    pub weeks_typed: &'a str,
    pub error: Option<&'a str>,
}

/// The table behind a chart: a caption, the column heads (the first heads the row names),
/// and one row per category.
struct Table<'a> {
    caption: &'a str,
    head: Vec<&'a str>,
    rows: Vec<(String, Vec<String>)>,
}

fn table(t: &Table) -> Markup {
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(t.caption) {
            table {
                caption { (t.caption) }
                thead { tr {
                    @for (i, h) in t.head.iter().enumerate() {
                        @if i == 0 { th scope="col" { (h) } } @else { th.num scope="col" { (h) } }
                    }
                } }
                tbody {
                    @for (name, cells) in &t.rows {
                        tr {
                            th scope="row" { (name) }
                            @for c in cells { td.num { (c) } }
                        }
                    }
                }
            }
        }
    }
}

/// A chart and its table; "Inga uppgifter" in place of a chart with nothing to show.
fn chart_section(cx: &Ctx, heading: &str, chart: Option<Chart>, t: &Table) -> Markup {
    html! {
        section.dashboard-chart {
            h2 { (heading) }
            @match chart {
                Some(c) => {
                    figure {
                        (PreEscaped(c.inline_svg()))
                        figcaption { (c.caption) }
                    }
                }
                None => { p.no-data { (cx.t("Inga uppgifter för perioden.", "No figures for the period.")) } }
            }
            details {
                summary { (cx.t("Visa som tabell", "Show as a table")) }
                (table(t))
            }
        }
    }
}

fn share(l: &ClockLevel) -> String {
    match l.share {
        Some(s) => format!(
            "{} ({}/{})",
            format::percent(s, 1),
            format::int(l.met),
            format::int(l.met + l.breached)
        ),
        None => "–".into(),
    }
}

/// `/units/{code}/dashboard`.
pub fn unit_dashboard_page(cx: &Ctx, v: &DashboardView) -> Markup {
    let d = v.d;
    let unit = &d.unit;
    let n = d.weeks.len();
    let short: Vec<String> = d.weeks.iter().map(|w| w.week.short.clone()).collect();
    let (first, last) = (
        d.weeks.first().map_or("", |w| w.week.label.as_str()),
        d.weeks.last().map_or("", |w| w.week.label.as_str()),
    );
    let span = format!("{first}–{last}");

    // Cases per week by channel.
    let names: Vec<&str> = Channel::ALL.iter().map(|c| channel_label(cx, *c)).collect();
    let series: Vec<Series> = names
        .iter()
        .enumerate()
        .map(|(k, name)| Series {
            name,
            values: d.weeks.iter().map(|w| w.cases[k]).collect(),
        })
        .collect();
    let total: i64 = d.weeks.iter().map(|w| w.cases_total()).sum();
    let by_channel = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let n: i64 = d.weeks.iter().map(|w| w.cases[k]).sum();
            format!("{name} {}", format::int(n))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let cases_title = cx.t("Ärenden per vecka och kanal", "Cases per week by channel");
    let cases_chart = stacked_columns("dash-cases", &short, &series).map(|dr| {
        let alt = match cx.lang {
            crate::Lang::Sv => format!(
                "Staplar per vecka, {span}, delade efter kanal: {} ärenden, {by_channel}.",
                format::int(total)
            ),
            crate::Lang::En => format!(
                "Columns per week, {span}, split by channel: {} cases, {by_channel}.",
                format::int(total)
            ),
        };
        let caption = cx.t(
            "Inkomna ärenden per vecka, staplade efter kanal; varje kanal har sin färg och sitt mönster (se förklaringen). Talet ovanför stapeln är veckans summa.",
            "Cases received per week, stacked by channel; each channel has its colour and its pattern (see the legend). The figure above a column is the week's total.",
        );
        Chart::of("dash-cases", dr, cases_title, &alt, caption)
    });
    let mut head = vec![cx.t("Vecka", "Week")];
    head.extend(names.iter().copied());
    head.push(cx.t("Totalt", "Total"));
    let cases_table = Table {
        caption: cases_title,
        head,
        rows: d
            .weeks
            .iter()
            .map(|w| {
                let mut cells: Vec<String> = w.cases.iter().map(|n| format::int(*n)).collect();
                cells.push(format::int(w.cases_total()));
                (w.week.label.clone(), cells)
            })
            .collect(),
    };

    // Service level per week: resolution within target, against the target.
    let target_text = format::percent(d.target, 0);
    let sl: Vec<Option<f64>> = d.weeks.iter().map(|w| w.resolution.share).collect();
    let sl_title = cx.t(
        "Lösning inom mål per vecka",
        "Resolution within target per week",
    );
    let sl_chart = line_with_target(&Line {
        categories: &short,
        values: &sl,
        target: d.target,
        markers: true,
    })
    .map(|dr| {
        let shown: Vec<f64> = sl.iter().flatten().copied().collect();
        let lo = shown.iter().copied().fold(f64::MAX, f64::min);
        let hi = shown.iter().copied().fold(f64::MIN, f64::max);
        let alt = match cx.lang {
            crate::Lang::Sv => format!(
                "Linjediagram, andel ärenden lösta inom mål per vecka, {span}: lägst {}, högst {}, mål {target_text}.",
                format::percent(lo, 0),
                format::percent(hi, 0)
            ),
            crate::Lang::En => format!(
                "Line chart, share of cases resolved within target per week, {span}: lowest {}, highest {}, target {target_text}.",
                format::percent(lo, 0),
                format::percent(hi, 0)
            ),
        };
        let caption = match cx.lang {
            crate::Lang::Sv => format!("Andel lösningsklockor som hölls av dem som stannade eller bröts under veckan (heldragen linje med punkter). Streckad linje: målet {target_text}. En vecka utan punkt hade ingen klocka som stannade eller bröts."),
            crate::Lang::En => format!("Share of resolution clocks met of those that stopped or breached in the week (solid line with points). Dashed line: the target, {target_text}. A week without a point had no clock that stopped or breached."),
        };
        Chart::of("dash-sl", dr, sl_title, &alt, &caption)
    });
    let sl_table = Table {
        caption: sl_title,
        head: vec![
            cx.t("Vecka", "Week"),
            cx.t("Första svar inom mål", "First response within target"),
            cx.t("Lösning inom mål", "Resolution within target"),
        ],
        rows: d
            .weeks
            .iter()
            .map(|w| {
                (
                    w.week.label.clone(),
                    vec![share(&w.first_response), share(&w.resolution)],
                )
            })
            .collect(),
    };

    // Satisfaction per week.
    let sat: Vec<Option<f64>> = d.weeks.iter().map(|w| w.satisfaction).collect();
    let sat_title = cx.t(
        "Kundnöjdhet (index 0–100) per vecka",
        "Customer satisfaction (index 0–100) per week",
    );
    let sat_chart = columns(&Columns {
        id: "dash-sat",
        categories: &short,
        values: &sat,
        max: Some(100.0),
        target: None,
        value_text: &|v| format::decimal(v, 0),
    })
    .map(|dr| {
        let shown: Vec<String> = d
            .weeks
            .iter()
            .filter_map(|w| Some(format!("{} {}", w.week.label, format::decimal(w.satisfaction?, 0))))
            .collect();
        let alt = format!(
            "{}, {span}: {}.",
            cx.t("Stapeldiagram, nöjdhetsindex per vecka", "Column chart, satisfaction index per week"),
            shown.join(", ")
        );
        Chart::of(
            "dash-sat",
            dr,
            sat_title,
            &alt,
            cx.t(
                "Medelvärdet av huvudfrågan på skalan 0–100 för enkäter skickade under veckan; en vecka utan stapel fick inga svar.",
                "The mean of the main question on 0–100 for the surveys sent in the week; a week without a column had no answers.",
            ),
        )
    });
    let sat_table = Table {
        caption: sat_title,
        head: vec![
            cx.t("Vecka", "Week"),
            cx.t("Index", "Index"),
            cx.t("Besvarade", "Answered"),
        ],
        rows: d
            .weeks
            .iter()
            .map(|w| {
                (
                    w.week.label.clone(),
                    vec![
                        w.satisfaction
                            .map_or_else(|| "–".into(), |v| format::decimal(v, 1)),
                        format::int(w.answered),
                    ],
                )
            })
            .collect(),
    };

    // The backlog by age.
    let age_names: Vec<String> = BacklogAge::ALL
        .iter()
        .map(|b| age_label(cx, *b).to_string())
        .collect();
    let open: i64 = d.backlog.iter().sum();
    let ages: Vec<Option<f64>> = d.backlog.iter().map(|n| Some(*n as f64)).collect();
    let age_title = cx.t(
        "Öppna ärenden efter ålder i arbetsdagar",
        "Open cases by age in working days",
    );
    let age_chart = if open == 0 {
        None
    } else {
        columns(&Columns {
            id: "dash-age",
            categories: &age_names,
            values: &ages,
            max: None,
            target: None,
            value_text: &|v| format::int(v.round() as i64),
        })
        .map(|dr| {
            let parts = age_names
                .iter()
                .zip(d.backlog)
                .map(|(a, n)| format!("{a}: {}", format::int(n)))
                .collect::<Vec<_>>()
                .join(", ");
            let alt = format!(
                "{} {}: {parts}.",
                cx.t("Histogram, öppna ärenden efter ålder, totalt", "Histogram, open cases by age, in all"),
                format::int(open)
            );
            Chart::of(
                "dash-age",
                dr,
                age_title,
                &alt,
                cx.t(
                    "Öppna ärenden nu, efter hur många av enhetens arbetsdagar (dess kalender) de har väntat sedan dagen de kom in.",
                    "Open cases now, by how many of the unit's working days (its calendar) they have waited since the day they came in.",
                ),
            )
        })
    };
    let age_table = Table {
        caption: age_title,
        head: vec![cx.t("Ålder", "Age"), cx.t("Öppna ärenden", "Open cases")],
        rows: age_names
            .iter()
            .zip(d.backlog)
            .map(|(a, n)| (a.clone(), vec![format::int(n)]))
            .chain([(cx.t("Totalt", "Total").to_string(), vec![format::int(open)])])
            .collect(),
    };

    let action = format!("/units/{}/dashboard", unit.code);
    page(
        cx,
        &format!("{}: {}", cx.t("Diagram", "Dashboard"), unit.name),
        html! {
            p.hint {
                (cx.t("Läst", "Read")) " " (format_datetime(d.at)) ". "
                (match cx.lang {
                    crate::Lang::Sv => format!("Veckorna {span} ({} veckor, denna vecka till i dag).", format::int(n as i64)),
                    crate::Lang::En => format!("Weeks {span} ({} weeks, this week up to today).", format::int(n as i64)),
                })
            }
            p {
                a href={"/units/" (unit.code) "/overview"} { (cx.t("Översikten", "The overview")) } " · "
                a href={"/units/" (unit.code) "/surveys"} { (cx.t("Kundnöjdhet", "Customer satisfaction")) } " · "
                a href={"/queues/" (unit.code) "?status=active"} { (cx.t("Kön", "The queue")) }
            }
            form.filters method="get" action=(action) {
                div {
                    label for="weeks" { (cx.t("Antal veckor", "Number of weeks")) " (1–" (WEEKS_MAX) ")" }
                    @if let Some(e) = v.error { span.error-text id="weeks-error" { (e) } }
                    input #weeks type="text" inputmode="numeric" autocomplete="off" size="4" name="weeks" value=(v.weeks_typed)
                        aria-invalid=[v.error.map(|_| "true")] aria-describedby=[v.error.map(|_| "weeks-error")];
                }
                div { button type="submit" { (cx.t("Visa", "Show")) } }
            }
            (chart_section(cx, cases_title, cases_chart, &cases_table))
            (chart_section(cx, sl_title, sl_chart, &sl_table))
            (chart_section(cx, sat_title, sat_chart, &sat_table))
            (chart_section(cx, age_title, age_chart, &age_table))
        },
    )
}

pub fn age_label(cx: &Ctx, b: BacklogAge) -> &'static str {
    match b {
        BacklogAge::UpToTwo => cx.t("0–2 dagar", "0–2 days"),
        BacklogAge::ThreeToSeven => cx.t("3–7 dagar", "3–7 days"),
        BacklogAge::EightToThirty => cx.t("8–30 dagar", "8–30 days"),
        BacklogAge::OverThirty => cx.t("Över 30 dagar", "Over 30 days"),
    }
}
