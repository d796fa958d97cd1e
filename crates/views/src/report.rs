//! The interim report as one self-contained HTML document (Swedish), rendered from the report
//! model alone, so an approved report renders the same forever. Charts are inline SVG with a
//! title and a description for screen readers; colours always come with words.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use serva_domain::followup::{AssignmentStatus, ControlResult, TrafficLight};
use serva_domain::format;
use serva_domain::report::{Check, FinanceRow, InterimReport, OperationsRow, Severity};
use serva_domain::report_text::{
    area_label, assessment_label, capitalise, channel_label, dec, gender_label, group_label,
    long_date, metric_label, month_name, n, opt, pct, short_date,
};

const REPORT_CSS: &str = include_str!("report.css");

fn assessment_class(a: &str) -> &'static str {
    match a {
        "met" => "green",
        "partly_met" => "yellow",
        "not_met" => "red",
        _ => "grey",
    }
}

fn light(l: TrafficLight) -> (&'static str, &'static str) {
    match l {
        TrafficLight::Green => ("green", "Uppfylls per helår"),
        TrafficLight::Yellow => ("yellow", "Positiv utveckling, delvis uppfyllt"),
        TrafficLight::Red => ("red", "Negativ utveckling, nås inte"),
        TrafficLight::Grey => ("grey", "Ej bedömd"),
    }
}

fn paragraphs(text: &str) -> Markup {
    html! {
        @for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            @if p.lines().all(|l| l.trim_start().starts_with("– ")) {
                ul { @for l in p.lines() { li { (l.trim_start().trim_start_matches("– ")) } } }
            } @else if p.lines().count() > 1 && p.lines().skip(1).all(|l| l.trim_start().starts_with("– ")) {
                p { (p.lines().next().unwrap_or("")) }
                ul { @for l in p.lines().skip(1) { li { (l.trim_start().trim_start_matches("– ")) } } }
            } @else {
                p { (p) }
            }
        }
    }
}

fn narrative<'a>(
    r: &'a InterimReport,
    section: &str,
) -> Option<&'a serva_domain::report::Narrative> {
    r.narratives.iter().find(|n| n.section == section)
}

fn section_text(r: &InterimReport, section: &str, heading: bool) -> Markup {
    html! {
        @if let Some(t) = narrative(r, section) {
            @if heading { h3 { (t.title) } }
            @if t.status != "approved" { p.draft { "Utkast – texten är inte godkänd." } }
            (paragraphs(&t.body))
        }
    }
}

pub const CSS: &str = REPORT_CSS;

/// The whole report as a document of its own.
pub fn interim_html(r: &InterimReport) -> Markup {
    let m = &r.meta;
    let title = format!("Delårsrapport {} {}", m.org_name, long_date(&m.through));
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(REPORT_CSS)) }
            }
            body.report-doc {
                main.report { (interim_body(r)) }
            }
        }
    }
}

/// The report's content, for the document above and for the page inside Serva.
pub fn interim_body(r: &InterimReport) -> Markup {
    let m = &r.meta;
    html! {
                    header {
                        p.kicker { "Delårsrapport" }
                        h1 { (m.org_name) }
                        p { "Per " (long_date(&m.through)) }
                        p.status {
                            @if m.status == "approved" {
                                "Godkänd " (m.approved_at.as_deref().map(|a| a.get(..10).unwrap_or(a)).unwrap_or(""))
                                @if let Some(b) = &m.approved_by { " av " (b) }
                            } @else { "Utkast – beräknad från aktuella data" }
                        }
                    }
                    @if !r.checks.is_empty() { (checks(&r.checks)) }
                    section aria-labelledby="s-uppdrag" {
                        h2 #s-uppdrag { "Förvaltningens uppdrag" }
                        (section_text(r, "uppdrag", false))
                        (section_text(r, "bedomning", true))
                        (section_text(r, "samlad_analys", true))
                        (summary(r))
                    }
                    section aria-labelledby="s-handelser" {
                        h2 #s-handelser { "Viktiga beslut och händelser" }
                        @let decisions: Vec<_> = r.events.iter().filter(|e| e.decision).collect();
                        @let events: Vec<_> = r.events.iter().filter(|e| !e.decision).collect();
                        @if !decisions.is_empty() { h3 { "Beslut" } ul { @for e in decisions { li { (paragraphs(&e.body)) } } } }
                        @if !events.is_empty() { h3 { "Händelser" } ul { @for e in events { li { (paragraphs(&e.body)) } } } }
                        (operations(r))
                    }
                    section aria-labelledby="s-ekonomi" {
                        h2 #s-ekonomi { "Ekonomi" }
                        (section_text(r, "ekonomi_analys", true))
                        (finance(r))
                        (section_text(r, "ekonomi_enheter", true))
                        (investments(r))
                        (section_text(r, "investeringar_analys", true))
                    }
                    section aria-labelledby="s-mal" {
                        h2 #s-mal { "Uppföljning av mål och inriktning" }
                        @for g in &r.goals {
                            article.goal {
                                h3 { (area_label(&g.area)) "; " (g.name) }
                                @if !g.description.is_empty() { p.meta { (g.description) } }
                                (paragraphs(&g.analysis))
                                p { span class={"badge " (assessment_class(&g.assessment))} { (assessment_label(&g.assessment)) } }
                            }
                        }
                    }
                    @if !r.assignments.is_empty() { (assignments(r)) }
                    section aria-labelledby="s-nämnd" {
                        h2 #s-nämnd { "Uppföljning av nämndens verksamhet" }
                        @for s in ["lokalforsorjning", "investeringsplan", "upphandlingsplan", "internkontroll"] {
                            (section_text(r, s, true))
                        }
                        @if !r.internal_control.is_empty() { (controls(r)) }
                        @for s in ["kompetensforsorjning", "objektsplan"] { (section_text(r, s, true)) }
                    }
                    @if !r.indicators.is_empty() { (indicators(r)) }
                    footer {
                        p { (m.sign_convention) }
                        p { (m.rounding) }
                    }
    }
}

fn checks(cs: &[Check]) -> Markup {
    html! {
        section.checks aria-labelledby="s-kontroll" {
            h2 #s-kontroll { "Kontroll före godkännande" }
            ul {
                @for c in cs {
                    li class=(match c.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "info" }) {
                        strong { (match c.severity { Severity::Error => "Motsägelse: ", Severity::Warning => "Saknas: ", Severity::Info => "Observera: " }) }
                        (c.message)
                    }
                }
            }
        }
    }
}

fn summary(r: &InterimReport) -> Markup {
    let f = &r.finance;
    let t = &f.total;
    let i = &r.investments.total;
    let kl = r.operations.iter().find(|o| o.code == "KL");
    let year = r.meta.year;
    let through_month = r
        .meta
        .through
        .get(5..7)
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(12);
    let period = |y: i32| format!("{} {y}", capitalise(month_name(through_month)));
    let staff_value = |metric: &str, period: &str| {
        r.staff
            .iter()
            .find(|s| s.metric == metric && s.gender == "T")
            .and_then(|s| s.values.get(period).copied())
    };
    let staff_target = |metric: &str| {
        r.staff
            .iter()
            .find(|s| s.metric == metric && s.gender == "T")
            .and_then(|s| s.target)
    };
    let p_now = format!("{year}-{through_month:02}");
    let p_prev = format!("{}-{through_month:02}", year - 1);
    html! {
        table {
            caption { "Ekonomi, belopp tkr" }
            thead { tr { th scope="col" { span.visually-hidden { "Mått" } } th.num scope="col" { "Prognos helår" } th.num scope="col" { "Budget " (year) } th.num scope="col" { "Avvikelse" } } }
            tbody {
                tr { th scope="row" { "Nettoresultat" } td.num { (opt(t.forecast)) } td.num { (opt(t.budget)) } td.num { (opt(t.deviation)) } }
                tr { th scope="row" { "varav kostnader" } td.num { (n(f.costs.forecast)) } td.num { (n(f.costs.budget)) } td.num { (n(f.costs.deviation)) } }
                tr { th scope="row" { "varav intäkter" } td.num { (n(f.revenues.forecast)) } td.num { (n(f.revenues.budget)) } td.num { (n(f.revenues.deviation)) } }
                tr { th scope="row" { "Investeringar, netto" } td.num { (n(i.forecast_net)) } td.num { (n(i.frame)) } td.num { (n(i.deviation)) } }
            }
        }
        table {
            caption { "Måluppfyllelse: nämndmål" }
            thead { tr { th scope="col" { "Målområde" } th scope="col" { "Nämndmål" } th scope="col" { "Bedömning" } } }
            tbody {
                @for g in &r.goals {
                    tr {
                        td { (area_label(&g.area)) }
                        td { (g.name) }
                        td { span class={"badge " (assessment_class(&g.assessment))} { (assessment_label(&g.assessment)) } }
                    }
                }
            }
        }
        @if let Some(kl) = kl {
            table {
                caption { "Basuppdrag" }
                thead { tr { th scope="col" { span.visually-hidden { "Mått" } } th.num scope="col" { "Prognos " (year) } th.num scope="col" { (period(year)) } th.num scope="col" { (period(year - 1)) } } }
                tbody {
                    tr {
                        th scope="row" { "Ärenden " (kl.name) }
                        td.num { (opt(kl.cases_forecast_year)) }
                        td.num { (n(kl.cases)) }
                        td.num { @if kl.cases_prev_year > 0 { (n(kl.cases_prev_year)) } @else { "–" } }
                    }
                }
            }
        }
        @if !r.staff.is_empty() {
            table {
                caption { "Personal" }
                thead { tr { th scope="col" { span.visually-hidden { "Mått" } } th.num scope="col" { (period(year)) } th.num scope="col" { (period(year - 1)) } th.num scope="col" { "Målvärde helår" } } }
                tbody {
                    @for metric in ["employees", "sick_leave", "external_turnover"] {
                        tr {
                            th scope="row" { (metric_label(metric)) }
                            td.num { (staff_value(metric, &p_now).map_or("–".into(), dec)) }
                            td.num { (staff_value(metric, &p_prev).map_or("–".into(), dec)) }
                            td.num { (staff_target(metric).map_or("–".into(), dec)) }
                        }
                    }
                }
            }
        }
    }
}

fn finance_cells(row: &FinanceRow) -> Markup {
    html! {
        td.num { (opt(row.forecast)) } td.num { (opt(row.budget)) } td.num { (opt(row.deviation)) } td.num { (n(row.actual_prev_year)) }
    }
}

fn finance(r: &InterimReport) -> Markup {
    let f = &r.finance;
    let through = short_date(&r.meta.through);
    let prev_through =
        r.meta
            .through
            .replacen(&r.meta.year.to_string(), &(r.meta.year - 1).to_string(), 1);
    let has_pred = f.units.iter().any(|u| !u.predecessors.is_empty());
    let notes: Vec<&FinanceRow> = f.units.iter().filter(|u| u.note.is_some()).collect();
    html! {
        table {
            caption { "Resultat " (long_date(&r.meta.through)) ", driftsammandrag netto tkr" }
            thead { tr {
                th scope="col" { "Verksamhet" }
                th.num scope="col" { "Redovisning " (through) }
                th.num scope="col" { "Redovisning " (short_date(&prev_through)) }
                th.num scope="col" { "Förändring" }
            } }
            tbody {
                @for u in &f.units {
                    tr {
                        th scope="row" { (u.name) @if !u.predecessors.is_empty() { "*" } }
                        td.num { (n(u.outcome_ytd)) } td.num { (n(u.outcome_ytd_prev)) } td.num { (n(u.change)) }
                    }
                }
                @if let Some(u) = &f.unallocated {
                    @if u.outcome_ytd != 0 || u.outcome_ytd_prev != 0 {
                        tr { th scope="row" { (u.name) } td.num { (n(u.outcome_ytd)) } td.num { (n(u.outcome_ytd_prev)) } td.num { (n(u.change)) } }
                    }
                }
            }
            tfoot { tr { th scope="row" { "Summa" } td.num { (n(f.total.outcome_ytd)) } td.num { (n(f.total.outcome_ytd_prev)) } td.num { (n(f.total.change)) } } }
        }
        (result_chart(r))
        table {
            caption { "Prognos resultat " (r.meta.year) ", driftsammandrag netto tkr" }
            thead { tr {
                th scope="col" { "Verksamhet" }
                th.num scope="col" { "Prognos helår" }
                th.num scope="col" { "Budget " (r.meta.year) }
                th.num scope="col" { "Avvikelse" }
                th.num scope="col" { "Bokslut " (r.meta.year - 1) }
            } }
            tbody {
                @for u in &f.units {
                    tr { th scope="row" { (u.name) @if u.note.is_some() { "**" } } (finance_cells(u)) }
                }
                @if let Some(u) = &f.unallocated { tr { th scope="row" { (u.name) } (finance_cells(u)) } }
            }
            tfoot {
                tr { th scope="row" { "Summa nettoresultat, tkr" } (finance_cells(&f.total)) }
                tr { th scope="row" { "varav kostnader" } td.num { (n(f.costs.forecast)) } td.num { (n(f.costs.budget)) } td.num { (n(f.costs.deviation)) } td.num { (n(f.costs.actual_prev_year)) } }
                tr { th scope="row" { "varav intäkter" } td.num { (n(f.revenues.forecast)) } td.num { (n(f.revenues.budget)) } td.num { (n(f.revenues.deviation)) } td.num { (n(f.revenues.actual_prev_year)) } }
            }
        }
        @if has_pred || !notes.is_empty() {
            div.notes {
                @for u in f.units.iter().filter(|u| !u.predecessors.is_empty()) {
                    p { "* Raden " (u.name) " omfattar även " (u.predecessors.join(", ")) ", som ingår i " (u.name) "." }
                }
                @for u in notes { p { "** " (u.note.as_deref().unwrap_or("")) } }
            }
        }
    }
}

fn investments(r: &InterimReport) -> Markup {
    let inv = &r.investments;
    let cells = |i: &serva_domain::report::InvestmentRow| {
        html! {
            td.num { (n(i.spent)) } td.num { (n(i.income)) } td.num { (n(i.forecast_spent)) } td.num { (n(i.forecast_income)) }
            td.num { (n(i.forecast_net)) } td.num { (n(i.frame)) } td.num { (n(i.deviation)) }
        }
    };
    html! {
        @if !inv.projects.is_empty() {
            table {
                caption { "Investeringar, belopp tkr" }
                thead {
                    tr {
                        th scope="col" { "Projekt" }
                        th.num scope="col" { "Utgifter " (short_date(&r.meta.through)) }
                        th.num scope="col" { "Inkomster " (short_date(&r.meta.through)) }
                        th.num scope="col" { "Prognos utgifter" }
                        th.num scope="col" { "Prognos inkomster" }
                        th.num scope="col" { "Prognos netto" }
                        th.num scope="col" { "Investeringsram" }
                        th.num scope="col" { "Avvikelse" }
                    }
                }
                tbody { @for p in &inv.projects { tr { th scope="row" { (p.unit) ": " (p.project) } (cells(p)) } } }
                tfoot { tr { th scope="row" { "Summa investeringar" } (cells(&inv.total)) } }
            }
        }
    }
}

fn assignments(r: &InterimReport) -> Markup {
    let status = |s: AssignmentStatus| match s {
        AssignmentStatus::NotStarted => "Ej påbörjad",
        AssignmentStatus::ActionsTaken => "Åtgärder vidtagna",
        AssignmentStatus::Done => "Genomförd",
        AssignmentStatus::NotApplicable => "Inte tillämplig",
    };
    html! {
        section aria-labelledby="s-uppdrag2" {
            h2 #s-uppdrag2 { "Strategiska utvecklingsuppdrag" }
            (section_text(r, "strategiska_uppdrag_intro", false))
            @for common in [true, false] {
                @let rows: Vec<_> = r.assignments.iter().filter(|a| a.common == common).collect();
                @if !rows.is_empty() {
                    table {
                        caption { @if common { "Kommungemensamma strategiska utvecklingsuppdrag" } @else { "Tillkommande strategiska utvecklingsuppdrag" } }
                        thead { tr { th scope="col" { "Uppdrag" } th scope="col" { "Status" } th scope="col" { "Kommentar" } } }
                        tbody { @for a in rows { tr { td { (a.text) } td { (status(a.status)) } td { (a.comment) } } } }
                    }
                }
            }
        }
    }
}

fn controls(r: &InterimReport) -> Markup {
    let result = |c: Option<ControlResult>| match c {
        Some(ControlResult::Satisfactory) => ("green", "Tillfredsställande"),
        Some(ControlResult::PartlySatisfactory) => ("yellow", "Delvis tillfredsställande"),
        Some(ControlResult::Unsatisfactory) => ("red", "Otillfredsställande"),
        None => ("grey", "Ej kontrollerad"),
    };
    html! {
        table.controls {
            caption { "Internkontrollplan: resultat" }
            thead { tr {
                th scope="col" { "Verksamhet" } th scope="col" { "Kontrollmoment" } th scope="col" { "Resultat" }
                th scope="col" { "Iakttagelser och åtgärder" } th scope="col" { "Kvarstår" }
            } }
            tbody {
                @for c in &r.internal_control {
                    @let (class, label) = result(c.result);
                    tr {
                        td { (c.unit) }
                        td { (c.name) br; span.meta { (c.frequency) ", " (c.owner) } }
                        td { span class={"badge " (class)} { (label) } }
                        td { (c.findings) @if !c.actions.is_empty() { " " em { (c.actions) } } }
                        td { @if c.carries_over { "Ja" } @else { "Nej" } }
                    }
                }
            }
        }
    }
}

fn indicators(r: &InterimReport) -> Markup {
    let mut periods: Vec<&String> = r.indicators.iter().flat_map(|i| i.values.keys()).collect();
    periods.sort();
    periods.dedup();
    let label = |p: &str| {
        if p.len() == 7 {
            format!(
                "{} {}",
                capitalise(&month_name(p[5..7].parse().unwrap_or(1))[..3]),
                &p[..4]
            )
        } else {
            p.to_string()
        }
    };
    html! {
        section aria-labelledby="s-ind" {
            h2 #s-ind { "Bilaga: Uppföljning av nämndindikatorer" }
            (section_text(r, "indikatorer_intro", false))
            ul.legend {
                @for l in [TrafficLight::Green, TrafficLight::Yellow, TrafficLight::Red, TrafficLight::Grey] {
                    @let (class, text) = light(l);
                    li { span class={"badge " (class)} { (text) } }
                }
            }
            table.indicators {
                caption { "Nämndindikatorer, könsuppdelade där det är möjligt" }
                thead { tr {
                    th scope="col" { "Nämndmål" } th scope="col" { "Indikator" }
                    @for p in &periods { th.num scope="col" { (label(p)) } }
                    th.num scope="col" { "Målvärde" } th scope="col" { "Bedömning" }
                } }
                tbody {
                    @for i in &r.indicators {
                        @let (class, text) = light(i.status);
                        tr class=[(i.gender != "T").then_some("sub")] {
                            td { @if i.gender == "T" { (i.goal.as_deref().unwrap_or("")) } }
                            th scope="row" { @if i.gender == "T" { (i.name) " (" (i.measure) ")" } @else { (gender_label(&i.gender)) } }
                            @for p in &periods {
                                td.num {
                                    @match i.values.get(*p) {
                                        Some(Some(v)) => (dec(*v)),
                                        Some(None) if i.suppressed.contains(p) => abbr title="Dolt: för liten grupp" { "*" },
                                        _ => "–",
                                    }
                                }
                            }
                            td.num { (i.target.map_or("–".into(), dec)) }
                            td { span class={"badge " (class)} { (text) } }
                        }
                    }
                }
            }
        }
    }
}

fn operations(r: &InterimReport) -> Markup {
    html! {
        @if !r.operations.is_empty() {
            h3 { "Verksamhetsstatistik, beräknad ur ärenden och samtal" }
            table {
                caption { "Ärenden och service per verksamhet, 1 januari–" (long_date(&r.meta.through)) }
                thead { tr {
                    th scope="col" { "Verksamhet" } th.num scope="col" { "Ärenden" } th.num scope="col" { "Per vecka" }
                    th.num scope="col" { "Löst vid första kontakt" } th.num scope="col" { "Svarsservice" }
                    th.num scope="col" { "Kundnöjdhet (0–100)" } th.num scope="col" { "Nöjda kunder" } th.num scope="col" { "Svarsfrekvens enkät" }
                } }
                tbody {
                    @for o in &r.operations {
                        tr {
                            th scope="row" { (o.name) }
                            td.num { (n(o.cases)) }
                            td.num { (o.cases_per_week.map_or("–".into(), |v| n(v.round() as i64))) }
                            td.num { (pct(o.first_contact_resolution)) }
                            td.num { (pct(o.service_level)) @if let Some(t) = o.service_level_target { " (mål " (format::percent(t, 0)) ")" } }
                            td.num { (o.satisfaction.map_or("–".into(), |v| n(v.round() as i64))) }
                            td.num { (pct(o.satisfied_share)) }
                            td.num { (pct(o.survey_response_rate)) }
                        }
                    }
                }
            }
            @for o in r.operations.iter().filter(|o| o.code == "KL" || o.code == "HRD") {
                (channel_chart(o))
                @if o.target_groups.keys().any(|k| k != "citizen") {
                    p { (o.name) " används av: "
                        (o.target_groups.iter().filter(|(_, v)| **v > 0.0).map(|(k, v)| format!("{} {}", format::percent(*v, 0), group_label(k).to_lowercase())).collect::<Vec<_>>().join(", ")) "." }
                }
                @if o.service_level.is_some() { (service_level_chart(o)) }
            }
        }
    }
}

// ---- charts ----

fn svg_open(id: &str, title: &str, desc: &str, w: i32, h: i32) -> Markup {
    html! {
        (PreEscaped(format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {w} {h}" width="100%" style="max-width:{w}px"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
            maud::html!((title)).into_string(),
            maud::html!((desc)).into_string()
        )))
    }
}

fn result_chart(r: &InterimReport) -> Markup {
    let units: Vec<&FinanceRow> = r.finance.units.iter().collect();
    if units.is_empty() {
        return html! {};
    }
    let max = units
        .iter()
        .flat_map(|u| [u.forecast.unwrap_or(0).abs(), u.budget.unwrap_or(0).abs()])
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (w, row_h, left) = (640, 34, 170);
    let h = 40 + row_h * units.len() as i32;
    let zero = left as f64 + 0.35 * (w - left - 20) as f64;
    let scale = 0.6 * (w - left - 20) as f64 / max;
    let desc = units
        .iter()
        .map(|u| {
            format!(
                "{}: prognos {} tkr, budget {} tkr",
                u.name,
                opt(u.forecast).replace('\u{a0}', " "),
                opt(u.budget).replace('\u{a0}', " ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut s = String::new();
    s.push_str(&format!(
        r##"<line x1="{zero}" y1="20" x2="{zero}" y2="{}" stroke="#1b1b1b"/>"##,
        h - 10
    ));
    s.push_str(&format!(
        r##"<text x="{left}" y="14" font-size="12">Prognos (mörk) och budget (ljus), tkr</text>"##
    ));
    for (i, u) in units.iter().enumerate() {
        let y = 24 + i as i32 * row_h;
        s.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"##,
            left - 6,
            y + 16,
            maud::html!((u.name)).into_string()
        ));
        for (k, (v, fill)) in [
            (u.forecast.unwrap_or(0), "#00457c"),
            (u.budget.unwrap_or(0), "#8fb3d9"),
        ]
        .iter()
        .enumerate()
        {
            let len = (*v as f64 * scale).abs();
            let x = if *v < 0 { zero - len } else { zero };
            s.push_str(&format!(
                r##"<rect x="{x:.1}" y="{}" width="{len:.1}" height="12" fill="{fill}"/>"##,
                y + 2 + k as i32 * 13
            ));
        }
        let label = opt(u.forecast);
        s.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="11">{}</text>"##,
            w - 70,
            y + 12,
            label
        ));
    }
    html! {
        figure {
            (svg_open("chart-result", "Resultat per verksamhet: prognos och budget", &desc, w, h))
            (PreEscaped(s))
            (PreEscaped("</svg>"))
            figcaption { "Prognostiserat resultat och budget per verksamhet, tkr." }
        }
    }
}

fn channel_chart(o: &OperationsRow) -> Markup {
    let colours = ["#00457c", "#2e7d32", "#b35c00", "#6a1b9a", "#455a64"];
    let (w, h) = (640, 70);
    let mut x = 10.0;
    let total_w = (w - 20) as f64;
    let mut s = String::new();
    let mut legend = String::new();
    let desc = o
        .channels
        .iter()
        .map(|(k, v)| {
            format!(
                "{} {}",
                channel_label(k),
                format::percent(*v, 0).replace('\u{a0}', " ")
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    for (i, (k, v)) in o.channels.iter().enumerate() {
        let len = total_w * v / 100.0;
        let c = colours[i % colours.len()];
        s.push_str(&format!(
            r##"<rect x="{x:.1}" y="10" width="{len:.1}" height="24" fill="{c}"/>"##
        ));
        legend.push_str(&format!(
            r##"<rect x="{}" y="46" width="10" height="10" fill="{c}"/><text x="{}" y="55" font-size="11">{} {}</text>"##,
            10 + i * 125,
            24 + i * 125,
            channel_label(k),
            format::percent(*v, 0)
        ));
        x += len;
    }
    html! {
        figure {
            (svg_open(&format!("chart-channels-{}", o.code), &format!("Kanalval {}", o.name), &desc, w, h))
            (PreEscaped(s)) (PreEscaped(legend))
            (PreEscaped("</svg>"))
            figcaption { "Kanalval, " (o.name) ": " (desc) "." }
        }
    }
}

fn service_level_chart(o: &OperationsRow) -> Markup {
    let weeks: Vec<(&str, f64)> = o
        .weekly
        .iter()
        .filter_map(|w| Some((w.week.as_str(), w.service_level?)))
        .collect();
    if weeks.len() < 2 {
        return html! {};
    }
    let (w, h, left, top, bottom) = (640.0, 200.0, 40.0, 10.0, 30.0);
    let plot_w = w - left - 10.0;
    let plot_h = h - top - bottom;
    let y = |v: f64| top + plot_h * (1.0 - v / 100.0);
    let step = plot_w / (weeks.len() - 1) as f64;
    let points: String = weeks
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{:.1},{:.1}", left + i as f64 * step, y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let target = o.service_level_target.unwrap_or(80.0);
    let min = weeks.iter().map(|w| w.1).fold(f64::MAX, f64::min);
    let max = weeks.iter().map(|w| w.1).fold(f64::MIN, f64::max);
    let desc = format!(
        "Andel samtal besvarade inom tröskeln per vecka, {} till {}: lägst {}, högst {}, mål {}.",
        weeks[0].0,
        weeks[weeks.len() - 1].0,
        format::percent(min, 0).replace('\u{a0}', " "),
        format::percent(max, 0).replace('\u{a0}', " "),
        format::percent(target, 0).replace('\u{a0}', " ")
    );
    let mut s = String::new();
    for v in [0.0, 50.0, 100.0] {
        s.push_str(&format!(r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#c8c8c8"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end">{v:.0} %</text>"##, w - 10.0, y(v), y(v), left - 4.0, y(v) + 4.0));
    }
    s.push_str(&format!(r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#a1001a" stroke-dasharray="6 4"/>"##, w - 10.0, y(target), y(target)));
    s.push_str(&format!(
        r##"<polyline points="{points}" fill="none" stroke="#00457c" stroke-width="2"/>"##
    ));
    s.push_str(&format!(r##"<text x="{left}" y="{}" font-size="11">{}</text><text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>"##, h - 8.0, weeks[0].0, w - 10.0, h - 8.0, weeks[weeks.len() - 1].0));
    html! {
        figure {
            (svg_open(&format!("chart-sl-{}", o.code), &format!("Svarsservice per vecka, {}", o.name), &desc, w as i32, h as i32))
            (PreEscaped(s))
            (PreEscaped("</svg>"))
            figcaption { (desc) " Streckad linje: mål." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers() {
        assert_eq!(long_date("2019-08-31"), "31 augusti 2019");
        assert_eq!(short_date("2019-08-31"), "31/8 2019");
        assert_eq!(dec(2.5), "2,5");
        assert_eq!(dec(100.0), "100");
    }
}
