//! Reports inside Serva: choose, read, download, approve.

use maud::{html, Markup, PreEscaped};
use serva_domain::org::Unit;
use serva_domain::report::InterimReport;

use crate::layout::{notice, page};
use crate::widgets::option;
use crate::Ctx;

pub struct ReportQuery<'a> {
    pub org: &'a str,
    pub year: &'a str,
    pub through: &'a str,
}

pub fn reports_index(cx: &Ctx, orgs: &[Unit], q: &ReportQuery) -> Markup {
    page(
        cx,
        cx.t("Rapporter", "Reports"),
        html! {
            h2 { (cx.t("Delårsrapport", "Interim report")) }
            @if orgs.is_empty() {
                p { (cx.t("Du kan inte läsa någon förvaltnings rapporter. Prognoser för din verksamhet lämnar du under Uppföljning.",
                          "You may not read any administration's reports. You make your unit's forecasts under Follow-up.")) }
            } @else {
            form.filters method="get" action="/reports/interim" {
                div {
                    label for="org" { (cx.t("Förvaltning", "Administration")) }
                    select #org name="org" { @for o in orgs { (option(&o.code, &o.name, q.org)) } }
                }
                div {
                    label for="year" { (cx.t("År", "Year")) }
                    input #year type="number" name="year" value=(q.year) min="2000" max="2100" required;
                }
                div {
                    label for="through" { (cx.t("Per datum", "As of")) span.hint { "ÅÅÅÅ-MM-DD" } }
                    input #through type="text" autocomplete="off" spellcheck="false" size="10" name="through" value=(q.through) required;
                }
                div { button type="submit" { (cx.t("Visa rapporten", "Show the report")) } }
            }
            }
        },
    )
}

/// The report inside Serva: its formats, the approval, and `body`, the report's content as
/// the report renderer wrote it (styled by `/static/report.css`).
pub fn report_page(
    cx: &Ctx,
    r: &InterimReport,
    q: &ReportQuery,
    can_approve: bool,
    ok: Option<&str>,
    body: PreEscaped<String>,
) -> Markup {
    let qs = format!("org={}&year={}&through={}", q.org, q.year, q.through);
    page(
        cx,
        &format!(
            "{} {} {}",
            cx.t("Delårsrapport", "Interim report"),
            r.meta.org_name,
            r.meta.through
        ),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            link rel="stylesheet" href="/static/report.css";
            nav aria-label=(cx.t("Rapportens format", "Report formats")) {
                ul {
                    li { a href={"/api/v1/reports/interim?" (qs) "&format=html"} download { (cx.t("Hämta som HTML", "Download as HTML")) } }
                    li { a href={"/api/v1/reports/interim?" (qs) "&format=pdf"} download { (cx.t("Hämta som PDF", "Download as PDF")) } }
                    li { a href={"/api/v1/reports/interim?" (qs) "&format=docx"} download { (cx.t("Hämta som Word (DOCX)", "Download as Word (DOCX)")) } }
                    li { a href={"/api/v1/reports/interim?" (qs) "&format=json"} download { (cx.t("Hämta som JSON", "Download as JSON")) } }
                }
            }
            @if !r.is_approved() && can_approve {
                form method="post" action="/reports/interim/approve" {
                    (cx.csrf_field())
                    input type="hidden" name="org" value=(q.org);
                    input type="hidden" name="year" value=(q.year);
                    input type="hidden" name="through" value=(q.through);
                    p { (cx.t(
                        "När rapporten godkänns fryses den: den ser likadan ut även om underlaget ändras senare. Läs kontrollerna först.",
                        "Approving the report freezes it: it stays the same even if the data changes later. Read the checks first."
                    )) }
                    button type="submit" { (cx.t("Godkänn rapporten", "Approve the report")) }
                }
            }
            div.report lang="sv" { (body) }
        },
    )
}
