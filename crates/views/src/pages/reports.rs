//! Reports inside Serva: choose, read, download, approve; the report dates with their drafts
//! and approved versions.

use maud::{html, Markup, PreEscaped};
use serva_domain::org::Unit;
use serva_domain::report::{InterimReport, ReportDate, VersionChoice};
use serva_domain::time::local_date_of_iso;

use crate::layout::{notice, page};
use crate::widgets::option;
use crate::Ctx;

pub struct ReportQuery<'a> {
    pub org: &'a str,
    pub year: &'a str,
    pub through: &'a str,
}

/// "Fastställd 2026-11-30 av Vera Sundström": who approved a report, and on which date.
pub fn approved_line(r: &InterimReport) -> String {
    let at = r
        .meta
        .approved_at
        .as_deref()
        .map(local_date_of_iso)
        .unwrap_or_default();
    match r.meta.approved_by.as_deref() {
        Some(by) => format!("Fastställd {at} av {by}"),
        None => format!("Fastställd {at}"),
    }
}

/// The approved report dates a change on this page does not reach. After a change
/// (`after_change`): "Rapporten för 2019-08-31 är fastställd; ändringen räknas inte i den
/// fastställda versionen", announced; before one, the same said of changes made here.
pub fn frozen_warning(cx: &Ctx, dates: &[String], after_change: bool) -> Markup {
    if dates.is_empty() {
        return html! {};
    }
    let list = match dates {
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), cx.t("och", "and")),
        [] => String::new(),
    };
    let one = dates.len() == 1;
    let text = match (one, after_change) {
        (true, true) => format!(
            "{} {list} {}",
            cx.t("Rapporten för", "The report for"),
            cx.t(
                "är fastställd; ändringen räknas inte i den fastställda versionen.",
                "is approved; the change does not count in the approved version."
            )
        ),
        (false, true) => format!(
            "{} {list} {}",
            cx.t("Rapporterna för", "The reports for"),
            cx.t(
                "är fastställda; ändringen räknas inte i de fastställda versionerna.",
                "are approved; the change does not count in the approved versions."
            )
        ),
        (true, false) => format!(
            "{} {list} {}",
            cx.t("Rapporten för", "The report for"),
            cx.t(
                "är fastställd; ändringar här räknas inte i den fastställda versionen.",
                "is approved; changes made here do not count in the approved version."
            )
        ),
        (false, false) => format!(
            "{} {list} {}",
            cx.t("Rapporterna för", "The reports for"),
            cx.t(
                "är fastställda; ändringar här räknas inte i de fastställda versionerna.",
                "are approved; changes made here do not count in the approved versions."
            )
        ),
    };
    let more = cx.t(
        "Ändringen sparas i underlaget och kommer med när rapporten fastställs som en ny version.",
        "The change is saved in the data and counts when the report is approved as a new version.",
    );
    html! {
        @if after_change {
            div.notice.warning role="alert" { p { strong { (text) } } p { (more) " " a href="/reports#versioner" { (cx.t("Rapportversioner", "Report versions")) } } }
        } @else {
            div.notice.warning { p { (text) } p { (more) } }
        }
    }
}

/// The query string naming one version of one report date.
fn version_query(org: &str, year: i32, through: &str, v: VersionChoice) -> String {
    let mut q = format!("org={org}&year={year}&through={through}");
    if let Some(v) = v.query_value() {
        q.push_str("&version=");
        q.push_str(&v);
    }
    q
}

/// Links to one version in the page and in every format.
fn format_links(cx: &Ctx, qs: &str, what: &str) -> Markup {
    html! {
        a href={"/reports/interim?" (qs)} { (cx.t("Visa", "Show")) span.visually-hidden { " " (what) } }
        " · "
        a href={"/api/v1/reports/interim?" (qs) "&format=html"} download { "HTML" span.visually-hidden { " " (what) } }
        " · "
        a href={"/api/v1/reports/interim?" (qs) "&format=pdf"} download { "PDF" span.visually-hidden { " " (what) } }
        " · "
        a href={"/api/v1/reports/interim?" (qs) "&format=docx"} download { "DOCX" span.visually-hidden { " " (what) } }
        " · "
        a href={"/api/v1/reports/interim?" (qs) "&format=json"} download { "JSON" span.visually-hidden { " " (what) } }
    }
}

/// The report dates with their live drafts and approved versions, per administration.
fn versions_table(cx: &Ctx, dates: &[ReportDate]) -> Markup {
    html! {
        h2 #versioner { (cx.t("Utkast och fastställda versioner", "Drafts and approved versions")) }
        p { (cx.t(
            "Ett utkast beräknas från aktuella data. En fastställd version är fryst: den ändras inte när underlaget ändras. Har underlaget ändrats efter fastställandet kan utkastet fastställas som en ny version.",
            "A draft is computed from current data. An approved version is frozen: it does not change when the data changes. If the data changed after approval, the draft can be approved as a new version."
        )) }
        div.table-scroll role="region" tabindex="0" aria-labelledby="versioner" {
            table {
                caption.visually-hidden { (cx.t("Rapportversioner per förvaltning och datum", "Report versions by administration and date")) }
                thead { tr {
                    th scope="col" { (cx.t("Förvaltning", "Administration")) }
                    th scope="col" { (cx.t("Per datum", "As of")) }
                    th scope="col" { (cx.t("Version", "Version")) }
                    th scope="col" { (cx.t("Status", "Status")) }
                    th scope="col" { (cx.t("Format", "Formats")) }
                } }
                tbody {
                    @for d in dates {
                        @let draft_q = version_query(&d.org, d.year, &d.through, VersionChoice::Draft);
                        tr {
                            td { (d.org_name) }
                            td { (d.through) }
                            td { (cx.t("Utkast", "Draft")) }
                            td {
                                @match d.latest() {
                                    None => (cx.t("Inte fastställd", "Not approved")),
                                    Some(v) if d.draft_differs => strong {
                                        (cx.t("Skiljer sig från fastställd version ", "Differs from approved version ")) (v.version)
                                    },
                                    Some(v) => { (cx.t("Samma som fastställd version ", "Same as approved version ")) (v.version) },
                                }
                            }
                            td { (format_links(cx, &draft_q, &format!("{} {} {}", cx.t("utkast", "draft"), d.org, d.through))) }
                        }
                        @for (i, v) in d.versions.iter().enumerate() {
                            @let qs = version_query(&d.org, d.year, &d.through, VersionChoice::Approved(v.version));
                            tr {
                                td { (d.org_name) }
                                td { (d.through) }
                                td { (v.version) }
                                td {
                                    (approved_line(&v.report))
                                    @if i == 0 { " (" (cx.t("gällande", "current")) ")" }
                                    @else { " (" (cx.t("ersatt", "superseded")) ")" }
                                }
                                td { (format_links(cx, &qs, &format!("version {} {} {}", v.version, d.org, d.through))) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn reports_index(cx: &Ctx, orgs: &[Unit], q: &ReportQuery, dates: &[ReportDate]) -> Markup {
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
            (versions_table(cx, dates))
            }
        },
    )
}

/// Which version of its date a shown report is.
pub struct ShownVersion {
    /// The approved version shown; `None` for the live draft.
    pub version: Option<u32>,
    /// The date's newest approved version.
    pub latest: Option<u32>,
    /// The live draft differs from the newest approved version.
    pub draft_differs: bool,
}

/// The report inside Serva: its formats, its version and the approval, and `body`, the
/// report's content as the report renderer wrote it (styled by `/static/report.css`).
pub fn report_page(
    cx: &Ctx,
    r: &InterimReport,
    q: &ReportQuery,
    shown: &ShownVersion,
    can_approve: bool,
    ok: Option<&str>,
    body: PreEscaped<String>,
) -> Markup {
    let choice = match (shown.version, shown.latest) {
        (Some(v), _) => VersionChoice::Approved(v),
        (None, Some(_)) => VersionChoice::Draft,
        (None, None) => VersionChoice::Current,
    };
    let mut qs = format!("org={}&year={}&through={}", q.org, q.year, q.through);
    if let Some(v) = choice.query_value() {
        qs.push_str("&version=");
        qs.push_str(&v);
    }
    let base = format!("org={}&year={}&through={}", q.org, q.year, q.through);
    let next = shown.latest.map_or(1, |v| v + 1);
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
            section.report-version aria-labelledby="rapportversion" {
                @match shown.version {
                    Some(v) => {
                        h2 #rapportversion { (cx.t("Fastställd version ", "Approved version ")) (v) }
                        p { strong { (approved_line(r)) } }
                        p { (cx.t(
                            "Versionen är fryst: den ser likadan ut även om underlaget ändras senare.",
                            "This version is frozen: it stays the same even if the data changes later."
                        )) }
                        @if shown.latest != Some(v) {
                            p { (cx.t("Versionen är ersatt av version ", "This version is superseded by version ")) (shown.latest.unwrap_or(v))
                                ". " a href={"/reports/interim?" (base)} { (cx.t("Visa den gällande versionen", "Show the current version")) } }
                        } @else if shown.draft_differs {
                            p { (cx.t(
                                "Underlaget har ändrats sedan versionen fastställdes; ändringarna räknas inte i den här versionen. ",
                                "The data has changed since this version was approved; the changes do not count in this version. "
                            )) a href={"/reports/interim?" (base) "&version=utkast"} { (cx.t("Visa utkastet", "Show the draft")) } }
                        }
                    }
                    None => {
                        h2 #rapportversion { (cx.t("Utkast", "Draft")) }
                        p { (cx.t("Beräknat från aktuella data.", "Computed from current data.")) " "
                            @match shown.latest {
                                Some(l) if shown.draft_differs => {
                                    strong { (cx.t("Utkastet skiljer sig från fastställd version ", "The draft differs from approved version ")) (l) "." }
                                    " " a href={"/reports/interim?" (base) "&version=" (l)} { (cx.t("Visa version ", "Show version ")) (l) }
                                }
                                Some(l) => { (cx.t("Utkastet är detsamma som fastställd version ", "The draft is the same as approved version ")) (l) "." }
                                None => {}
                            }
                        }
                    }
                }
                p { a href="/reports#versioner" { (cx.t("Alla versioner", "All versions")) } }
            }
            nav aria-label=(cx.t("Rapportens format", "Report formats")) {
                ul {
                    li { a href={"/api/v1/reports/interim?" (qs) "&format=html"} download { (cx.t("Hämta som HTML", "Download as HTML")) } }
                    li { a href={"/api/v1/reports/interim?" (qs) "&format=pdf"} download { (cx.t("Hämta som PDF", "Download as PDF")) } }
                    li { a href={"/api/v1/reports/interim?" (qs) "&format=docx"} download { (cx.t("Hämta som Word (DOCX)", "Download as Word (DOCX)")) } }
                    li { a href={"/api/v1/reports/interim?" (qs) "&format=json"} download { (cx.t("Hämta som JSON", "Download as JSON")) } }
                }
            }
            @if shown.version.is_none() && shown.draft_differs && can_approve {
                form method="post" action="/reports/interim/approve" {
                    (cx.csrf_field())
                    input type="hidden" name="org" value=(q.org);
                    input type="hidden" name="year" value=(q.year);
                    input type="hidden" name="through" value=(q.through);
                    p { (cx.t(
                        "När rapporten godkänns fryses den: den ser likadan ut även om underlaget ändras senare. Läs kontrollerna först.",
                        "Approving the report freezes it: it stays the same even if the data changes later. Read the checks first."
                    )) }
                    @if next == 1 {
                        button type="submit" { (cx.t("Godkänn rapporten", "Approve the report")) }
                    } @else {
                        button type="submit" { (cx.t("Godkänn som version ", "Approve as version ")) (next) }
                    }
                }
            }
            div.report lang="sv" { (body) }
        },
    )
}
