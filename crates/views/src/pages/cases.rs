//! Case lists and the case page.

use maud::{html, Markup, PreEscaped};
use serva_domain::case::{Case, CaseEvent, CaseEventKind, CasePage, Message};
use serva_domain::case::{CaseStatus, Channel};
use serva_domain::catalogue::Service;
use serva_domain::sla::{ClockKind, Clocks, Mark, TimelineEntry};
use serva_domain::user::User;

use crate::layout::{notice, page};
use crate::widgets::{
    channel_label, option, sla, sla_due, sla_flag, status_badge, status_label, target_group_label,
    time,
};
use crate::Ctx;

/// The filter values of a case list, as typed (kept to fill the form and the pager links).
pub use serva_domain::listing::ListParams as ListQuery;

/// Extra filters on an agent's queue.
pub struct QueueFilters<'a> {
    pub agents: &'a [User],
    pub services: &'a [Service],
}

pub fn filters(cx: &Ctx, action: &str, q: &ListQuery, queue: Option<&QueueFilters>) -> Markup {
    html! {
        form.filters method="get" action=(action) role="search" {
            div {
                label for="q" { (cx.t("Sök", "Search")) span.hint { (cx.t("rubrik, text eller ärendenummer", "subject, text or case number")) } }
                input #q type="search" name="q" value=(q.q);
            }
            div {
                label for="status" { (cx.t("Status", "Status")) }
                select #status name="status" {
                    (option("", cx.t("Alla", "All"), &q.status))
                    (option("active", cx.t("Ej avslutade", "Not closed"), &q.status))
                    @for s in CaseStatus::ALL { (option(s.as_str(), status_label(cx, s), &q.status)) }
                }
            }
            @if let Some(qf) = queue {
                div {
                    label for="assignee" { (cx.t("Handläggare", "Assignee")) }
                    select #assignee name="assignee" {
                        (option("", cx.t("Alla", "All"), &q.assignee))
                        (option("none", cx.t("Ej tilldelade", "Unassigned"), &q.assignee))
                        (option("me", cx.t("Mina", "Mine"), &q.assignee))
                        @for a in qf.agents { (option(&a.id.to_string(), &a.display_name, &q.assignee)) }
                    }
                }
                div {
                    label for="service" { (cx.t("Tjänst", "Service")) }
                    select #service name="service" {
                        (option("", cx.t("Alla", "All"), &q.service))
                        @for s in qf.services { (option(&s.code, &s.name, &q.service)) }
                    }
                }
                div {
                    label for="channel" { (cx.t("Kanal", "Channel")) }
                    select #channel name="channel" {
                        (option("", cx.t("Alla", "All"), &q.channel))
                        @for c in Channel::ALL { (option(c.as_str(), channel_label(cx, c), &q.channel)) }
                    }
                }
            }
            @if queue.is_some() {
                div {
                    label for="sla" { (cx.t("Servicenivå", "Service level")) }
                    select #sla name="sla" {
                        (option("", cx.t("Alla", "All"), &q.sla))
                        (option("near_breach", cx.t("Nära brott", "Near breach"), &q.sla))
                        (option("breached", cx.t("Bruten", "Breached"), &q.sla))
                    }
                }
            }
            div {
                label for="sort" { (cx.t("Sortering", "Sort")) }
                select #sort name="sort" {
                    (option("newest", cx.t("Nyaste först", "Newest first"), &q.sort))
                    (option("oldest", cx.t("Äldsta först", "Oldest first"), &q.sort))
                    (option("updated", cx.t("Senast ändrade", "Recently updated"), &q.sort))
                    @if queue.is_some() {
                        (option("due", cx.t("Förfaller först", "Due first"), &q.sort))
                    }
                }
            }
            div { button type="submit" { (cx.t("Visa", "Show")) } }
        }
    }
}

/// A case list: a customer's own (with the provider, marking the provider's unread replies)
/// or a queue (marking the customer's unread replies, with the SLA due time and state).
pub fn case_table(cx: &Ctx, page_: &CasePage, show_unit: bool) -> Markup {
    let now = serva_domain::time::now_ms();
    let queue = !show_unit;
    let unread = |c: &Case| {
        if show_unit {
            c.unread_by_customer
        } else {
            c.unread_by_provider
        }
    };
    html! {
        @if page_.cases.is_empty() {
            p role="status" { (cx.t("Inga ärenden matchar.", "No cases match.")) }
        } @else {
            // Wide at 320 px: the table scrolls on its own, the page does not.
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Ärenden", "Cases")) {
            table {
                caption.visually-hidden { (cx.t("Ärenden", "Cases")) }
                thead { tr {
                    th scope="col" { (cx.t("Nummer", "Number")) }
                    th scope="col" { (cx.t("Rubrik", "Subject")) }
                    th scope="col" { (cx.t("Tjänst", "Service")) }
                    @if show_unit { th scope="col" { (cx.t("Leverantör", "Provider")) } }
                    th scope="col" { (cx.t("Status", "Status")) }
                    th scope="col" { (cx.t("Handläggare", "Assignee")) }
                    th scope="col" { (cx.t("Skapat", "Created")) }
                    @if queue {
                        th scope="col" { (cx.t("Senast", "Due")) }
                        th scope="col" { (cx.t("Servicenivå", "Service level")) }
                    }
                } }
                tbody {
                    @for c in &page_.cases {
                        tr {
                            td.nowrap { a href={"/cases/" (c.id)} { (c.number()) } }
                            td {
                                a href={"/cases/" (c.id)} { (c.subject) }
                                @if unread(c) { " " span.badge.unread { (cx.t("Nytt svar", "New reply")) } }
                            }
                            td { (c.service_name) }
                            @if show_unit { td { (c.unit_name) } }
                            td { (status_badge(cx, c.status)) }
                            td { (c.assignee_name.as_deref().unwrap_or("–")) }
                            td.nowrap { (time(c.created_at)) }
                            @if queue {
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
}

/// What the case page may offer, decided by the access rules.
pub use serva_domain::access::CaseRights;

pub struct CaseView<'a> {
    pub case: &'a Case,
    /// The survey as this person may see it.
    pub survey: &'a serva_domain::survey::SurveyPanel,
    /// Now, for the survey's closing time.
    pub now: i64,
    /// The order form of the case's service, for the labels of the answers.
    pub fields: &'a [serva_domain::catalogue::FormField],
    pub messages: &'a [Message],
    pub history: &'a [CaseEvent],
    /// The SLA clocks in the providing unit's working time, with their timeline.
    pub sla: &'a Clocks,
    pub agents: &'a [User],
    pub rights: CaseRights,
    /// The contact's other cases (the provider's side).
    pub contact_cases: &'a [Case],
    /// The files on the case and on the messages shown.
    pub attachments: &'a [serva_domain::attachment::Attachment],
    /// The sanitised HTML parts of the case's mails, each beside what its mail became.
    pub mail_html: &'a [serva_domain::mail_html::PlacedHtml],
    pub ok: Option<&'a str>,
    pub error: Option<&'a str>,
    /// Hand-offs, for the provider's side.
    pub handoff: Option<crate::pages::handoff::HandoffPanel<'a>>,
    /// The agent's one-step form as typed (or as a template filled it).
    pub form: &'a CaseForm,
    /// The unit's reply templates, each filled in for this case (the provider's side).
    pub templates: &'a [(serva_domain::reply_template::ReplyTemplate, String)],
    /// The queue the agent came from, and the next case in it.
    pub queue: Option<QueueNav<'a>>,
    /// When the person (customer's side) last opened the case: later replies are marked new.
    pub seen_before: Option<i64>,
    /// The reopen form as typed, with its problem.
    pub reopen: &'a ReopenForm,
    /// The provider's billing sections (time, subscription), rendered by `case_billing`.
    pub billing: Option<Markup>,
}

/// What the agent typed in the case's one-step form, kept when something was wrong.
#[derive(Debug, Clone, Default)]
pub struct CaseForm {
    pub body: String,
    pub internal: bool,
    /// A status's code, or empty to keep the status.
    pub status: String,
    /// `keep`, empty for nobody, or a user id.
    pub assignee: String,
    /// The id of the template chosen.
    pub template: String,
    pub body_error: Option<String>,
}

impl CaseForm {
    /// The empty form: status and assignee as they are.
    pub fn keep() -> Self {
        CaseForm {
            assignee: KEEP.to_string(),
            ..Default::default()
        }
    }
}

/// The assignee choice that leaves the assignment as it is.
pub const KEEP: &str = "keep";

/// The customer's reopen form as typed.
#[derive(Debug, Clone, Default)]
pub struct ReopenForm {
    pub reason: String,
    pub error: Option<String>,
}

/// The queue an agent works a case from: the link back, and the next case in its order.
#[derive(Debug, Clone, Copy)]
pub struct QueueNav<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub next: Option<serva_domain::CaseId>,
}

pub fn case_page(cx: &Ctx, v: &CaseView) -> Markup {
    let c = v.case;
    let title = format!("{} {}", c.number(), c.subject);
    page(
        cx,
        &title,
        html! {
            @if let Some(q) = &v.queue {
                nav.case-nav aria-label=(cx.t("Kön", "The queue")) {
                    a href={"/queues/" (q.code)} { "← " (cx.t("Tillbaka till kön", "Back to the queue")) " " (q.name) }
                    @if let Some(n) = q.next {
                        " · " a #next-case href={"/cases/" (n) "?from=" (q.code)} rel="next" { (cx.t("Nästa ärende", "Next case")) " →" }
                    } @else {
                        " · " (cx.t("Inga fler ärenden att arbeta i kön.", "No more cases to work in the queue."))
                    }
                }
            }
            @if let Some(m) = v.ok { (notice(true, m)) }
            @if let Some(m) = v.error { (notice(false, m)) }
            @if !v.rights.can_work && c.status == CaseStatus::WaitingCustomer {
                p.notice.waiting role="status" { strong { (cx.t("Väntar på dig", "Waiting for you")) } ": " (cx.t("handläggaren behöver ditt svar för att kunna gå vidare.", "the agent needs your answer to go on.")) }
            }
            div.two {
                div {
                    h2 { (cx.t("Beskrivning", "Description")) }
                    p style="white-space:pre-wrap" { (c.description) }
                    (mail_formatting(cx, v.mail_html, None))
                    @let answers = &c.answers;
                    @if !answers.is_empty() {
                        dl.facts {
                            @for (k, val) in answers {
                                dt { (v.fields.iter().find(|f| &f.key == k).map_or(k.as_str(), |f| f.label.as_str())) }
                                dd { (val) }
                            }
                        }
                    }
                    (crate::pages::surveys::case_survey_panel(cx, c, v.survey, v.now))
                    h2 { (cx.t("Meddelanden", "Messages")) }
                    @if v.messages.is_empty() { p { (cx.t("Inga meddelanden ännu.", "No messages yet.")) } }
                    ol.thread {
                        @for m in v.messages {
                            li.internal[m.internal] {
                                p.meta {
                                    // A reply without an author came from the requester without a
                                    // session (mail, the follow link).
                                    strong { (m.author_name.as_deref().or(c.requester_name.as_deref()).unwrap_or("–")) } " · " (time(m.created_at))
                                    @if m.internal { " · " strong { (cx.t("Intern anteckning", "Internal note")) } }
                                    @if !v.rights.can_work && m.author_id != c.requester_id && m.author_id.is_some() && v.seen_before.is_some_and(|s| m.created_at > s) {
                                        " " span.badge.unread { (cx.t("Nytt", "New")) }
                                    }
                                }
                                p style="white-space:pre-wrap" { (m.body) }
                                (mail_formatting(cx, v.mail_html, Some(m.id)))
                                (file_list(cx, c.id, v.attachments.iter().filter(|a| a.message_id == Some(m.id))))
                            }
                        }
                    }
                    @if v.rights.can_work {
                        (work_form(cx, v))
                    } @else if v.rights.can_reopen {
                        (reopen_form(cx, c, v.reopen))
                    } @else if v.rights.can_reply {
                        form method="post" action={"/cases/" (c.id) "/messages"} {
                            (cx.csrf_field())
                            label for="body" { (cx.t("Nytt meddelande", "New message")) }
                            textarea #body name="body" required {}
                            button type="submit" { (cx.t("Skicka", "Send")) }
                        }
                    }
                    @if v.attachments.iter().any(|a| a.message_id.is_none()) || v.rights.can_reply {
                        h2 { (cx.t("Bifogade filer", "Attached files")) }
                        (file_list(cx, c.id, v.attachments.iter().filter(|a| a.message_id.is_none())))
                    }
                    @if v.rights.can_reply {
                        form method="post" action={"/cases/" (c.id) "/attachments"} enctype="multipart/form-data" {
                            (cx.csrf_field())
                            label for="file" {
                                (cx.t("Bifoga en fil", "Attach a file"))
                                span.hint { (cx.t("PDF, bilder, Office-dokument, text eller CSV, högst 25 MB", "PDF, images, office documents, text or CSV, at most 25 MB")) }
                            }
                            input #file type="file" name="file" required;
                            div { button type="submit" { (cx.t("Bifoga", "Attach")) } }
                        }
                    }
                }
                aside aria-label=(cx.t("Ärendeuppgifter", "Case details")) {
                    dl.facts {
                        dt { (cx.t("Status", "Status")) } dd { (status_badge(cx, c.status)) }
                        dt { (cx.t("Tjänst", "Service")) } dd { (c.service_name) " (" (c.service_code) ")" }
                        dt { (cx.t("Leverantör", "Provider")) } dd { (c.unit_name) }
                        dt { (cx.t("Beställare", "Requester")) } dd { (c.requester_name.as_deref().unwrap_or("–")) }
                        @if let Some(k) = &c.contact {
                            @if let Some(e) = &k.email {
                                dt { (cx.t("E-post", "E-mail")) } dd { a href={"mailto:" (e)} { (e) } }
                            }
                            @if let Some(t) = &k.phone {
                                dt { (cx.t("Telefon", "Phone")) } dd { a href={"tel:" (t.replace(' ', ""))} { (t) } }
                            }
                        }
                        dt { (cx.t("Kundförvaltning", "Customer")) } dd { (c.customer_unit_name.as_deref().unwrap_or("–")) }
                        @if let Some(t) = c.target_group {
                            dt { (cx.t("Målgrupp", "Target group")) } dd { (target_group_label(cx, t)) }
                        }
                        dt { (cx.t("Kanal", "Channel")) } dd { (channel_label(cx, c.channel)) }
                        dt { (cx.t("Handläggare", "Assignee")) } dd { (c.assignee_name.as_deref().unwrap_or("–")) }
                        dt { (cx.t("Skapat", "Created")) } dd { (time(c.created_at)) }
                        @if c.first_contact_resolution {
                            dt { (cx.t("Löst vid första kontakt", "First-contact resolution")) } dd { (cx.t("Ja", "Yes")) }
                        }
                        @if let Some(s) = &v.sla.first_response { dt { (cx.t("Första svar", "First response")) } dd { (sla(cx, s)) } }
                        @if let Some(s) = &v.sla.next_response { dt { (cx.t("Nästa svar", "Next response")) } dd { (sla(cx, s)) } }
                        @if let Some(s) = &v.sla.resolution { dt { (cx.t("Lösningstid", "Resolution")) } dd { (sla(cx, s)) } }
                    }
                    @if c.contact.is_some() && v.rights.can_work {
                        h2 { (cx.t("Kontaktens tidigare ärenden", "The contact's earlier cases")) }
                        @if v.contact_cases.is_empty() {
                            p { (cx.t("Inga andra ärenden.", "No other cases.")) }
                        } @else {
                            ul {
                                @for o in v.contact_cases {
                                    li { a href={"/cases/" (o.id)} { (o.number()) } " " (o.subject) " – " (status_label(cx, o.status)) }
                                }
                            }
                        }
                    }
                    @if let Some(h) = &v.handoff { (crate::pages::handoff::handoff_panel(cx, c, h)) }
                    @if let Some(b) = &v.billing { (b) }
                    @if v.rights.can_work {
                        p.hint { a href="/help/keys" { (cx.t("Kortkommandon", "Keyboard shortcuts")) } }
                        script src="/static/keys.js" defer {}
                    }
                    @if !v.sla.timeline.is_empty() {
                        h2 #sla-timeline { (cx.t("Servicenivå steg för steg", "Service level step by step")) }
                        p.hint { (cx.t("Tiden räknas under öppettiderna för", "Time counts during the opening hours of")) " " (c.unit_name) "." }
                        ol.sla-timeline {
                            @for e in &v.sla.timeline {
                                li data-clock=(e.clock.as_str()) { (time(e.at)) " " (timeline_text(cx, e)) }
                            }
                        }
                    }
                    h2 { (cx.t("Historik", "History")) }
                    ol {
                        @for e in v.history {
                            li { (time(e.at)) " " (e.actor_name.as_deref().unwrap_or(cx.t("systemet", "the system"))) ": " (event_text(cx, e)) }
                        }
                    }
                }
            }
        },
    )
}

/// The agent's form: a reply or internal note, a new status and a new assignee, sent in one
/// step. A template fills the text: "Använd mall" sends the form back with it filled in (and,
/// with JavaScript, fills it in place).
fn work_form(cx: &Ctx, v: &CaseView) -> Markup {
    let c = v.case;
    let f = v.form;
    let current_assignee = c
        .assignee_name
        .as_deref()
        .unwrap_or(cx.t("ingen", "nobody"));
    html! {
        form #work method="post" action={"/cases/" (c.id) "/work"} {
            (cx.csrf_field())
            @if let Some(q) = &v.queue { input type="hidden" name="from" value=(q.code); }
            h2 { (cx.t("Svara och ändra", "Reply and change")) }
            @if !v.templates.is_empty() {
                div.template-pick {
                    label for="template" { (cx.t("Svarsmall", "Reply template")) }
                    select #template name="template" {
                        (option("", cx.t("Välj en mall", "Choose a template"), &f.template))
                        @for (t, text) in v.templates {
                            option value=(t.id) selected[f.template == t.id.to_string()] data-text=(text) { (t.name) }
                        }
                    }
                    " "
                    button #use-template type="submit" name="use_template" value="1" formnovalidate {
                        (cx.t("Använd mall", "Use template"))
                    }
                }
            }
            label for="body" {
                (cx.t("Meddelande", "Message"))
                span.hint { (cx.t("lämna tomt för att bara ändra status eller handläggare", "leave empty to change only the status or assignee")) }
            }
            @if let Some(e) = &f.body_error { span.error-text #body-error { (e) } }
            textarea #body name="body" rows="6" aria-invalid=[f.body_error.as_ref().map(|_| "true")]
                aria-describedby=[f.body_error.as_ref().map(|_| "body-error")] { (f.body) }
            fieldset {
                legend { (cx.t("Synlighet", "Visibility")) }
                label { input type="radio" name="internal" value="false" checked[!f.internal]; " " (cx.t("Svar till kunden", "Reply to the customer")) }
                label { input type="radio" name="internal" value="true" checked[f.internal]; " " (cx.t("Intern anteckning (syns inte för kunden)", "Internal note (hidden from the customer)")) }
            }
            div.work-choices {
                div {
                    label for="status" { (cx.t("Status", "Status")) }
                    select #status name="status" {
                        option value="" selected[f.status.is_empty()] {
                            (cx.t("Behåll", "Keep")) " (" (status_label(cx, c.status)) ")"
                        }
                        @for s in CaseStatus::ALL.into_iter().filter(|s| *s != CaseStatus::New && *s != c.status) {
                            (option(s.as_str(), status_label(cx, s), &f.status))
                        }
                    }
                }
                div {
                    label for="assignee" { (cx.t("Handläggare", "Assignee")) }
                    select #assignee name="assignee" {
                        option value=(KEEP) selected[f.assignee == KEEP] {
                            (cx.t("Behåll", "Keep")) " (" (current_assignee) ")"
                        }
                        @if c.assignee_id.is_some() { (option("", cx.t("Ingen", "Nobody"), &f.assignee)) }
                        @for a in v.agents.iter().filter(|a| Some(a.id) != c.assignee_id) {
                            (option(&a.id.to_string(), &a.display_name, &f.assignee))
                        }
                    }
                }
            }
            p.hint #work-hint { (cx.t("Meddelandet, statusen och handläggaren sparas tillsammans med en knapptryckning.", "The message, the status and the assignee are saved together with one press.")) }
            button #work-send type="submit" data-plain=(cx.t("Skicka", "Send")) data-with-status=(cx.t("Skicka och sätt status", "Send and set status")) {
                (cx.t("Skicka", "Send"))
            }
        }
    }
}

/// The customer's "Öppna igen" on a resolved case: the reason is required and becomes their
/// reply, which the agent reads.
fn reopen_form(cx: &Ctx, c: &Case, r: &ReopenForm) -> Markup {
    html! {
        h2 #reopen-heading { (cx.t("Inte löst?", "Not resolved?")) }
        p { (cx.t("Ärendet är löst. Om det inte stämmer kan du öppna det igen; skriv varför, så får handläggaren veta.", "The case is resolved. If it is not, you can reopen it; write why, so the agent knows.")) }
        form method="post" action={"/cases/" (c.id) "/reopen"} aria-labelledby="reopen-heading" {
            (cx.csrf_field())
            label for="reason" { (cx.t("Varför öppnar du ärendet igen?", "Why do you reopen the case?")) }
            @if let Some(e) = &r.error { span.error-text #reason-error { (e) } }
            textarea #reason name="reason" required aria-invalid=[r.error.as_ref().map(|_| "true")]
                aria-describedby=[r.error.as_ref().map(|_| "reason-error")] { (r.reason) }
            div { button type="submit" { (cx.t("Öppna igen", "Reopen")) } }
        }
    }
}

/// The formatting of the mail that became the description (`None`) or message `at`, folded
/// away: the text above is what was written, this is how it looked. The HTML was sanitised
/// (no scripts, styles, forms or loading images) and sits in a box of its own that scrolls
/// rather than widening the page.
fn mail_formatting(
    cx: &Ctx,
    html: &[serva_domain::mail_html::PlacedHtml],
    at: Option<serva_domain::MessageId>,
) -> Markup {
    html! {
        @for h in html.iter().filter(|h| h.message == at) {
            details.mail-html {
                summary { (cx.t("Visa e-postens formatering", "Show the mail's formatting")) }
                // Focusable, so the box scrolls from the keyboard too.
                div.mail-html-body role="region" tabindex="0"
                    aria-label=(cx.t("E-postens formatering", "The mail's formatting")) {
                    (PreEscaped(&h.html))
                }
            }
        }
    }
}

/// Links to files, each with its size; they download, never open as pages.
fn file_list<'a>(
    cx: &Ctx,
    case: serva_domain::CaseId,
    files: impl Iterator<Item = &'a serva_domain::attachment::Attachment>,
) -> Markup {
    let files: Vec<_> = files.collect();
    html! {
        @if !files.is_empty() {
            ul.files aria-label=(cx.t("Filer", "Files")) {
                @for a in files {
                    li {
                        a href={"/cases/" (case) "/attachments/" (a.id)} download { (a.filename) }
                        " (" (serva_domain::attachment::size_text(a.size)) ")"
                    }
                }
            }
        }
    }
}

fn event_text(cx: &Ctx, e: &CaseEvent) -> String {
    let status = |s: Option<&str>| {
        s.and_then(CaseStatus::parse)
            .map(|s| status_label(cx, s))
            .unwrap_or("–")
    };
    match e.kind {
        CaseEventKind::Created => cx.t("skapade ärendet", "created the case").to_string(),
        CaseEventKind::Status => format!(
            "{} {} → {}",
            cx.t("ändrade status", "changed status"),
            status(e.from_value.as_deref()),
            status(e.to_value.as_deref())
        ),
        CaseEventKind::Assigned => match e.to_value {
            Some(_) => cx.t("tilldelade ärendet", "assigned the case").to_string(),
            None => cx
                .t("tog bort tilldelningen", "unassigned the case")
                .to_string(),
        },
        CaseEventKind::Message => cx.t("skrev ett meddelande", "wrote a message").to_string(),
        CaseEventKind::Note => cx
            .t("skrev en intern anteckning", "wrote an internal note")
            .to_string(),
    }
}

/// A line of the SLA timeline in words a customer understands.
fn timeline_text(cx: &Ctx, e: &TimelineEntry) -> Markup {
    let min = |ms: i64| serva_domain::time::format_minutes(ms / 60_000);
    let by = |due: Option<i64>| match due {
        Some(t) => html! { " " (cx.t("senast", "by")) " " (time(t)) "." },
        None => {
            html! { " " (cx.t("(enheten har inga öppettider framöver).", "(the unit has no opening hours ahead).")) }
        }
    };
    let late = |in_time: bool,
                sv: &'static str,
                en: &'static str,
                sv_late: &'static str,
                en_late: &'static str| {
        if in_time {
            cx.t(sv, en)
        } else {
            cx.t(sv_late, en_late)
        }
    };
    match (e.clock, e.mark) {
        (ClockKind::FirstResponse, Mark::Started { due_at }) => html! {
            (cx.t("Ärendet kom in. Första svar utlovat", "The case came in. A first reply is promised")) (by(due_at))
        },
        (ClockKind::NextResponse, Mark::Started { due_at }) => html! {
            (cx.t("Kunden skrev. Svar utlovat", "The customer wrote. A reply is promised")) (by(due_at))
        },
        (ClockKind::Resolution, Mark::Started { due_at }) => html! {
            (cx.t("Tiden för att lösa ärendet började räknas. Löst", "The time to resolve the case started. Resolved")) (by(due_at))
        },
        (
            _,
            Mark::Paused {
                waiting_for,
                remaining_ms,
            },
        ) => html! {
            @if waiting_for == serva_domain::case::CaseStatus::WaitingThirdParty {
                (cx.t("Tiden står still medan vi väntar på någon utanför (tredje part)", "The clock is paused while we wait for someone outside (a third party)"))
            } @else {
                (cx.t("Tiden står still medan vi väntar på svar från kunden", "The clock is paused while we wait for the customer's answer"))
            }
            " (" (min(remaining_ms)) " " (cx.t("arbetstid kvar", "of working time left")) ")."
        },
        (_, Mark::Resumed { due_at, reopened }) => html! {
            @if reopened {
                (cx.t("Ärendet öppnades igen och tiden räknas vidare. Löst", "The case was reopened and the clock runs on. Resolved"))
            } @else {
                (cx.t("Tiden räknas igen. Löst", "The clock runs again. Resolved"))
            }
            (by(due_at))
        },
        (ClockKind::FirstResponse, Mark::Breached { .. }) => html! {
            (cx.t("Tiden för första svar gick ut.", "The time for a first reply ran out."))
        },
        (ClockKind::NextResponse, Mark::Breached { .. }) => html! {
            (cx.t("Tiden för svar gick ut.", "The time for a reply ran out."))
        },
        (ClockKind::Resolution, Mark::Breached { .. }) => html! {
            (cx.t("Tiden för att lösa ärendet gick ut.", "The time to resolve the case ran out."))
        },
        (ClockKind::FirstResponse, Mark::Stopped { in_time, .. }) => html! {
            (late(in_time, "Första svaret kom i tid.", "The first reply came in time.", "Första svaret kom, efter utlovad tid.", "The first reply came, after the promised time."))
        },
        (ClockKind::NextResponse, Mark::Stopped { in_time, .. }) => html! {
            (late(in_time, "Svaret kom i tid.", "The reply came in time.", "Svaret kom, efter utlovad tid.", "The reply came, after the promised time."))
        },
        (
            ClockKind::Resolution,
            Mark::Stopped {
                in_time,
                elapsed_ms,
            },
        ) => html! {
            (late(in_time, "Ärendet löstes i tid", "The case was resolved in time", "Ärendet löstes, efter utlovad tid", "The case was resolved, after the promised time"))
            " (" (min(elapsed_ms)) " " (cx.t("arbetstid", "of working time")) ")."
        },
    }
}
