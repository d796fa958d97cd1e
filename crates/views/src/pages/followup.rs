//! Follow-up work: forecasts, goal assessments and the report's texts, by the people
//! responsible for them.

use maud::{html, Markup};
use serva_domain::followup::entries::{FollowupOverview, NarrativePage};
use serva_domain::followup::{
    Assessment, AssignmentStatus, ControlResult, Gender, NarrativeStatus,
};
use serva_domain::format;

use crate::layout::{notice, page};
use crate::widgets::{option, time};
use crate::Ctx;

/// The hidden fields and the query string that name the follow-up a form or link is about.
struct FollowupQuery<'a> {
    org: &'a str,
    year: i32,
    through: &'a str,
}

impl FollowupQuery<'_> {
    fn hidden(&self) -> Markup {
        html! {
            input type="hidden" name="org" value=(self.org);
            input type="hidden" name="year" value=(self.year);
            input type="hidden" name="through" value=(self.through);
        }
    }
    fn qs(&self) -> String {
        format!(
            "org={}&year={}&through={}",
            self.org, self.year, self.through
        )
    }
}

pub fn assessment_label(cx: &Ctx, a: Assessment) -> &'static str {
    match a {
        Assessment::Met => cx.t("Uppfyllt", "Met"),
        Assessment::PartlyMet => cx.t("Delvis uppfyllt", "Partly met"),
        Assessment::NotMet => cx.t("Ej uppfyllt", "Not met"),
        Assessment::NotAssessed => cx.t("Ej bedömt", "Not assessed"),
    }
}

pub fn status_label(cx: &Ctx, s: NarrativeStatus) -> &'static str {
    match s {
        NarrativeStatus::Draft => cx.t("Utkast", "Draft"),
        NarrativeStatus::Submitted => cx.t("Inlämnad", "Submitted"),
        NarrativeStatus::Approved => cx.t("Godkänd", "Approved"),
    }
}

fn kr(ore: i64) -> String {
    format::decimal(ore as f64 / 100.0, 0).replace(format::GROUP, " ")
}

/// The follow-up's sections: path, Swedish and English name, and whether only those who
/// write the whole follow-up see it (a unit's manager sees the forecasts).
pub const SECTIONS: &[(&str, &str, &str, bool)] = &[
    ("budget", "Budget", "Budget", true),
    ("forecasts", "Prognoser", "Forecasts", false),
    ("investments", "Investeringar", "Investments", true),
    (
        "goals",
        "Mål och bedömningar",
        "Goals and assessments",
        true,
    ),
    (
        "indicators",
        "Indikatorer och värden",
        "Indicators and values",
        true,
    ),
    ("staff", "Personalnyckeltal", "Staff figures", true),
    (
        "assignments",
        "Strategiska uppdrag",
        "Strategic assignments",
        true,
    ),
    ("control", "Internkontroll", "Internal control", true),
    ("texts", "Texter och händelser", "Texts and events", true),
];

/// The sections this person may open, as links; the current one marked.
fn section_nav(cx: &Ctx, o: &FollowupOverview, qs: &str, current: Option<&str>) -> Markup {
    html! {
        nav aria-label=(cx.t("Uppföljningens delar", "Parts of the follow-up")) {
            ul.section-nav {
                li { a href={"/followup?" (qs)} aria-current=[current.is_none().then_some("page")] { (cx.t("Översikt", "Overview")) } }
                @for (path, sv, en, whole) in SECTIONS {
                    @if !*whole || o.may_write {
                        li { a href={"/followup/" (path) "?" (qs)} aria-current=[(current == Some(*path)).then_some("page")] { (cx.t(sv, en)) } }
                    }
                }
            }
        }
    }
}

/// The follow-up of an administration and date: an overview with the way to each section
/// (`section` None), or one section with its lists and forms; `extra` is the section's rows.
pub fn followup_page(
    cx: &Ctx,
    o: &FollowupOverview,
    section: Option<&str>,
    extra: Markup,
    ok: Option<&str>,
    error: Option<&str>,
    frozen: &[String],
) -> Markup {
    let here = |s: &str| section == Some(s);
    let q = &FollowupQuery {
        org: &o.org.code,
        year: o.year,
        through: &o.through,
    };
    let can_assess = o.may_write;
    page(
        cx,
        &match section.and_then(|s| SECTIONS.iter().find(|x| x.0 == s)) {
            Some((_, sv, en, _)) => format!("{} – {} {}", cx.t(sv, en), o.org.name, o.through),
            None => format!(
                "{} – {} {}",
                cx.t("Uppföljning", "Follow-up"),
                o.org.name,
                o.through
            ),
        },
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(m) = error { (notice(false, m)) }
            (super::reports::frozen_warning(cx, frozen, ok.is_some()))
            (section_nav(cx, o, &q.qs(), section))
            @if section.is_none() {
                form method="get" action="/followup" {
                    div.filters {
                        input type="hidden" name="org" value=(q.org);
                        div { label for="year" { (cx.t("År", "Year")) } input #year type="text" inputmode="numeric" name="year" value=(q.year); }
                        div { label for="through" { (cx.t("Per datum", "As of")) span.hint #through-hint { "ÅÅÅÅ-MM-DD" } }
                              input #through type="text" inputmode="numeric" autocomplete="off" placeholder="ÅÅÅÅ-MM-DD" aria-describedby="through-hint" name="through" value=(q.through); }
                        div { button type="submit" { (cx.t("Visa", "Show")) } }
                    }
                }
                @if o.may_read_report {
                    p { a href={"/reports/interim?" (q.qs())} { (cx.t("Visa delårsrapporten", "Show the interim report")) } }
                    p { a href={"/billing/result?year=" (q.year)} { (cx.t("Enheternas resultat från debiteringen", "The units' result from the billing")) } }
                }
            }
            @if here("forecasts") {
            h2 #prognoser { (cx.t("Helårsprognoser", "Full-year forecasts")) }
            p.hint { (cx.t("Belopp i kronor. Prognosen gäller per uppföljningsdatumet; en ny prognos samma dag ersätter den gamla.",
                           "Amounts in kronor. The forecast is made on the follow-up date; a new one the same day replaces the old.")) }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Helårsprognoser", "Full-year forecasts")) {
                table {
                    caption.visually-hidden { (cx.t("Prognoser per verksamhet", "Forecasts per unit")) }
                    thead { tr {
                        th scope="col" { (cx.t("Verksamhet", "Unit")) }
                        th.num scope="col" { (cx.t("Intäkter", "Revenue")) }
                        th.num scope="col" { (cx.t("Kostnader", "Cost")) }
                        th.num scope="col" { (cx.t("Resultat, tkr", "Result, tkr")) }
                        th scope="col" { (cx.t("Gjord", "Made on")) }
                        th scope="col" { (cx.t("Ny prognos", "New forecast")) }
                    } }
                    tbody {
                        @for u in &o.units {
                            @let f = o.forecasts.iter().find(|f| f.unit == u.id);
                            tr {
                                th scope="row" { (u.name) }
                                td.num { (f.map_or("–".into(), |f| kr(f.revenue))) }
                                td.num { (f.map_or("–".into(), |f| kr(f.cost))) }
                                td.num { (f.map_or("–".into(), |f| format::int(serva_domain::followup::tkr(f.revenue - f.cost)))) }
                                td { (f.map_or("–", |f| f.made_on.as_str())) @if let Some(c) = f.and_then(|f| f.comment.as_deref()).filter(|c| !c.is_empty()) { br; span.meta { (c) } } }
                                td {
                                    @if u.may_forecast {
                                        form method="post" action="/followup/forecasts" {
                                            (cx.csrf_field()) (q.hidden())
                                            input type="hidden" name="unit" value=(u.code);
                                            label for={"rev-" (u.code)} { (cx.t("Intäkter, kr", "Revenue, kr")) }
                                            input id={"rev-" (u.code)} type="text" inputmode="decimal" name="revenue" required
                                                value=(f.map(|f| kr(f.revenue)).unwrap_or_default());
                                            label for={"cost-" (u.code)} { (cx.t("Kostnader, kr", "Cost, kr")) }
                                            input id={"cost-" (u.code)} type="text" inputmode="decimal" name="cost" required
                                                value=(f.map(|f| kr(f.cost)).unwrap_or_default());
                                            label for={"comment-" (u.code)} { (cx.t("Kommentar", "Comment")) }
                                            input id={"comment-" (u.code)} type="text" name="comment";
                                            div { button type="submit" { (cx.t("Spara prognos", "Save forecast")) span.visually-hidden { " " (u.name) } } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            }
            @if here("goals") {
            @if o.may_read_report { h2 #mal { (cx.t("Måluppfyllelse", "Goals")) } }
            @for g in &o.goals {
                @let current = g.assessment.unwrap_or(Assessment::NotAssessed);
                section.goal aria-labelledby={"goal-" (g.id)} {
                    h3 id={"goal-" (g.id)} { (g.name) }
                    p.meta { (g.description) }
                    @if can_assess {
                        form method="post" action={"/followup/goals/" (g.id)} {
                            (cx.csrf_field()) (q.hidden())
                            label for={"a-" (g.id)} { (cx.t("Bedömning", "Assessment")) }
                            select id={"a-" (g.id)} name="assessment" {
                                @for a in Assessment::ALL { (option(a.as_str(), assessment_label(cx, *a), current.as_str())) }
                            }
                            label for={"t-" (g.id)} { (cx.t("Analys", "Analysis")) }
                            textarea id={"t-" (g.id)} name="analysis" { (g.analysis.as_deref().unwrap_or("")) }
                            div { button type="submit" { (cx.t("Spara bedömning", "Save assessment")) span.visually-hidden { " " (g.name) } } }
                        }
                    } @else {
                        p { strong { (assessment_label(cx, current)) } }
                        p { (g.analysis.as_deref().unwrap_or("")) }
                    }
                }
            }
            }
            @if can_assess && here("texts") {
                p { a href={"/followup/carry-over?" (q.qs())} { (cx.t("För över texter och händelser från ett tidigare datum", "Carry texts and events over from an earlier date")) } }
                h2 #handelser { (cx.t("Viktiga beslut och händelser", "Important decisions and events")) }
                @if !o.events.is_empty() {
                    ul {
                        @for e in &o.events {
                            li {
                                strong { (if e.decision { cx.t("Beslut", "Decision") } else { cx.t("Händelse", "Event") }) ": " }
                                span style="white-space:pre-wrap" { (e.body) }
                                " "
                                a href={"/followup/events/" (e.id) "/delete?" (q.qs())} { (cx.t("Ta bort", "Remove")) span.visually-hidden { " " (e.body) } }
                            }
                        }
                    }
                }
                form method="post" action="/followup/events" {
                    (cx.csrf_field()) (q.hidden())
                    fieldset {
                        legend { (cx.t("Nytt beslut eller ny händelse", "New decision or event")) }
                        label { input type="radio" name="decision" value="true" checked; " " (cx.t("Beslut", "Decision")) }
                        label { input type="radio" name="decision" value="false"; " " (cx.t("Händelse", "Event")) }
                        label for="event-body" { (cx.t("Text", "Text")) span.hint { (cx.t("Underpunkter på egna rader som börjar med – ", "Sub-points on lines of their own starting with – ")) } }
                        textarea #event-body name="body" rows="3" required {}
                        div { button type="submit" { (cx.t("Lägg till", "Add")) } }
                    }
                }
            }
            @if o.may_read_report && section.is_none() {
                h2 #overlamningar { (cx.t("Överlämningar mellan enheter", "Hand-offs between units")) }
                @if o.handoffs.is_empty() {
                    p { (cx.t("Inga ärenden har lämnats över mellan enheterna i år.",
                              "No cases have been handed off between the units this year.")) }
                } @else {
                    div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Ärenden överlämnade till en annan enhet, 1 januari–", "Cases handed off to another unit, 1 January–")) {
                        table {
                            caption { (cx.t("Ärenden överlämnade till en annan enhet, 1 januari–", "Cases handed off to another unit, 1 January–")) (o.through) }
                            thead { tr {
                                th scope="col" { (cx.t("Från enhet", "From unit")) }
                                th scope="col" { (cx.t("Till enhet", "To unit")) }
                                th.num scope="col" { (cx.t("Överlämnade", "Handed off")) }
                                th.num scope="col" { (cx.t("Varav tillbakalämnade", "Of which handed back")) }
                            } }
                            tbody {
                                @for h in &o.handoffs {
                                    tr {
                                        th scope="row" { (h.from) }
                                        td { (h.to) }
                                        td.num { (format::int(h.handoffs)) }
                                        td.num { (format::int(h.hand_backs)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if can_assess && here("assignments") && !o.assignments.is_empty() {
                h2 #uppdrag { (cx.t("Strategiska uppdrag", "Strategic assignments")) }
                @for a in &o.assignments {
                    form method="post" action={"/followup/assignments/" (a.id)} {
                        (cx.csrf_field()) (q.hidden())
                        fieldset {
                            legend { (a.body) }
                            label for={"as-" (a.id)} { (cx.t("Status", "Status")) }
                            select id={"as-" (a.id)} name="status" {
                                @for st in AssignmentStatus::ALL { (option(st.as_str(), assignment_status_label(cx, *st), a.status.as_str())) }
                            }
                            label for={"ac-" (a.id)} { (cx.t("Kommentar", "Comment")) }
                            textarea id={"ac-" (a.id)} name="comment" rows="2" { (a.comment) }
                            div { button type="submit" { (cx.t("Spara", "Save")) } }
                        }
                    }
                }
            }
            @if can_assess && here("control") && !o.controls.is_empty() {
                h2 #internkontroll { (cx.t("Internkontroll", "Internal control")) }
                @for c in &o.controls {
                    @let current = c.result.map_or("", |r| r.as_str());
                    form method="post" action={"/followup/controls/" (c.id)} {
                        (cx.csrf_field()) (q.hidden())
                        fieldset {
                            legend { (c.unit_code) ": " (c.name) }
                            label for={"cr-" (c.id)} { (cx.t("Resultat", "Result")) }
                            select id={"cr-" (c.id)} name="result" {
                                (option("", cx.t("Ej kontrollerat", "Not checked"), current))
                                @for r in ControlResult::ALL { (option(r.as_str(), control_result_label(cx, *r), current)) }
                            }
                            label for={"cf-" (c.id)} { (cx.t("Iakttagelser", "Findings")) }
                            textarea id={"cf-" (c.id)} name="findings" rows="2" { (c.findings.as_deref().unwrap_or("")) }
                            label for={"ca-" (c.id)} { (cx.t("Åtgärder", "Actions")) }
                            textarea id={"ca-" (c.id)} name="actions" rows="2" { (c.actions.as_deref().unwrap_or("")) }
                            label { input type="checkbox" name="carries_over" value="true" checked[c.carries_over]; " " (cx.t("Kvarstår till nästa år", "Carries over to next year")) }
                            div { button type="submit" { (cx.t("Spara", "Save")) } }
                        }
                    }
                }
            }
            @if can_assess && here("texts") {
                h2 #texter { (cx.t("Rapportens texter", "The report's texts")) }
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Rapportens texter", "The report's texts")) {
                    table {
                        caption.visually-hidden { (cx.t("Texter och deras status", "Texts and their status")) }
                        thead { tr { th scope="col" { (cx.t("Avsnitt", "Section")) } th scope="col" { (cx.t("Status", "Status")) } th scope="col" { (cx.t("Senast ändrad", "Last changed")) } } }
                        tbody {
                            @for t in &o.texts {
                                tr {
                                    td { a href={"/followup/texts/" (t.id)} { (t.title) } }
                                    td { span.status { (status_label(cx, t.status)) } }
                                    td { (time(t.updated_at)) " " (t.author_name.as_deref().unwrap_or("")) }
                                }
                            }
                        }
                    }
                }
                form method="post" action="/followup/texts" {
                    (cx.csrf_field()) (q.hidden())
                    fieldset {
                        legend { (cx.t("Nytt avsnitt", "New section")) }
                        label for="section" { (cx.t("Nyckel", "Key")) span.hint { "a–z, _" } }
                        input #section type="text" name="section" required;
                        label for="title" { (cx.t("Rubrik", "Title")) }
                        input #title type="text" name="title" required;
                        label for="body" { (cx.t("Text", "Text")) }
                        textarea #body name="body" {}
                        div { button type="submit" { (cx.t("Spara utkast", "Save draft")) } }
                    }
                }
            }
            (extra)
        },
    )
}

pub fn text_page(
    cx: &Ctx,
    p: &NarrativePage,
    back: &str,
    ok: Option<&str>,
    error: Option<&str>,
    frozen: &[String],
) -> Markup {
    let (t, history, can_approve) = (&p.text, &p.history, p.may_approve);
    page(
        cx,
        &t.title,
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(m) = error { (notice(false, m)) }
            (super::reports::frozen_warning(cx, frozen, ok.is_some()))
            p { a href=(back) { (cx.t("Tillbaka till uppföljningen", "Back to the follow-up")) } }
            p { (cx.t("Status", "Status")) ": " strong { (status_label(cx, t.status)) } }
            form method="post" action={"/followup/texts/" (t.id)} {
                (cx.csrf_field())
                input type="hidden" name="title" value=(t.title);
                label for="body" { (cx.t("Text", "Text")) span.hint { (cx.t("Stycken skiljs med en tom rad. En ändring gör texten till ett utkast igen.", "Separate paragraphs with a blank line. A change makes the text a draft again.")) } }
                textarea #body name="body" rows="14" { (t.body) }
                div { button type="submit" { (cx.t("Spara utkast", "Save draft")) } }
            }
            form method="post" action={"/followup/texts/" (t.id) "/status"} {
                (cx.csrf_field())
                @match t.status {
                    NarrativeStatus::Draft => { button type="submit" name="status" value="submitted" { (cx.t("Lämna in för godkännande", "Submit for approval")) } }
                    NarrativeStatus::Submitted => {
                        @if can_approve { button type="submit" name="status" value="approved" { (cx.t("Godkänn", "Approve")) } " " }
                        button.secondary type="submit" name="status" value="draft" { (cx.t("Tillbaka till utkast", "Back to draft")) }
                    }
                    NarrativeStatus::Approved => { button.secondary type="submit" name="status" value="draft" { (cx.t("Öppna för ändring", "Reopen for changes")) } }
                }
            }
            h2 { (cx.t("Historik", "History")) }
            ol {
                @for v in history {
                    li {
                        (time(v.at)) " " (v.actor_name.as_deref().unwrap_or("–")) ": " (status_label(cx, v.status))
                        details { summary { (cx.t("Texten", "The text")) } p style="white-space:pre-wrap" { (v.body) } }
                    }
                }
            }
        },
    )
}

pub fn assignment_status_label(cx: &Ctx, s: AssignmentStatus) -> &'static str {
    match s {
        AssignmentStatus::NotStarted => cx.t("Ej påbörjad", "Not started"),
        AssignmentStatus::ActionsTaken => cx.t("Åtgärder vidtagna", "Actions taken"),
        AssignmentStatus::Done => cx.t("Genomförd", "Done"),
        AssignmentStatus::NotApplicable => cx.t("Inte tillämplig", "Not applicable"),
    }
}

pub fn control_result_label(cx: &Ctx, r: ControlResult) -> &'static str {
    match r {
        ControlResult::Satisfactory => cx.t("Tillfredsställande", "Satisfactory"),
        ControlResult::PartlySatisfactory => {
            cx.t("Delvis tillfredsställande", "Partly satisfactory")
        }
        ControlResult::Unsatisfactory => cx.t("Otillfredsställande", "Unsatisfactory"),
    }
}

pub fn gender_label(cx: &Ctx, g: Gender) -> &'static str {
    match g {
        Gender::Total => cx.t("Totalt", "Total"),
        Gender::Women => cx.t("Kvinnor", "Women"),
        Gender::Men => cx.t("Män", "Men"),
    }
}

/// The question before an event is deleted.
pub fn event_delete_page(
    cx: &Ctx,
    o: &FollowupOverview,
    e: &serva_domain::followup::entries::EventEntry,
) -> Markup {
    let q = &FollowupQuery {
        org: &o.org.code,
        year: o.year,
        through: &o.through,
    };
    page(
        cx,
        cx.t("Ta bort händelsen?", "Remove the event?"),
        html! {
            p { strong { (if e.decision { cx.t("Beslut", "Decision") } else { cx.t("Händelse", "Event") }) ": " } span style="white-space:pre-wrap" { (e.body) } }
            form method="post" action={"/followup/events/" (e.id) "/delete"} {
                (cx.csrf_field()) (q.hidden())
                button type="submit" { (cx.t("Ja, ta bort", "Yes, remove")) }
                " "
                a href={"/followup/texts?" (q.qs()) "#handelser"} { (cx.t("Nej, behåll", "No, keep it")) }
            }
        },
    )
}
