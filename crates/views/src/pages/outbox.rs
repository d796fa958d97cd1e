//! Administration: outgoing mail (the outbox) — what waits, what went, what failed, one mail's
//! whole text, and sending a failed mail again.

use maud::{html, Markup};
use serva_domain::case::CaseNumber;
use serva_domain::format::int;
use serva_domain::notify::{MailKind, OutboxMail, OutboxStatus};

use crate::layout::{notice, page};
use crate::widgets::{option, pager, time};
use crate::Ctx;

/// What the outbox pages know besides the mail.
pub struct OutboxInfo<'a> {
    /// The relay in use (its password hidden), or none: mail waits.
    pub relay: Option<&'a str>,
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

pub fn status_label(cx: &Ctx, s: OutboxStatus) -> &'static str {
    match s {
        OutboxStatus::Pending => cx.t("Väntar", "Waiting"),
        OutboxStatus::Sent => cx.t("Skickat", "Sent"),
        OutboxStatus::Failed => cx.t("Misslyckat", "Failed"),
    }
}

pub fn kind_label(cx: &Ctx, k: MailKind) -> &'static str {
    match k {
        MailKind::Received => cx.t("Mottagningsbekräftelse", "Receipt"),
        MailKind::Reply => cx.t("Svar", "Reply"),
        MailKind::Resolved => cx.t("Löst ärende", "Case resolved"),
        MailKind::Survey => cx.t("Enkät", "Survey"),
        MailKind::SurveyReminder => cx.t("Påminnelse om enkät", "Survey reminder"),
    }
}

/// The status as words with an icon-free class for colour: the words carry the meaning.
fn status(cx: &Ctx, s: OutboxStatus) -> Markup {
    let class = match s {
        OutboxStatus::Pending => "sla-warn",
        OutboxStatus::Sent => "sla-ok",
        OutboxStatus::Failed => "sla-bad",
    };
    html! { span class=(class) { (status_label(cx, s)) } }
}

fn relay_note(cx: &Ctx, info: &OutboxInfo) -> Markup {
    html! {
        @match info.relay {
            Some(r) => p { (cx.t("E-post skickas via", "Mail is sent through")) " " code { (r) } "." },
            None => (notice(false, cx.t(
                "Ingen e-postserver (SMTP-relä) är inställd. Inget går förlorat: breven sparas här och skickas när Serva startas med --smtp-relay.",
                "No mail server (SMTP relay) is configured. Nothing is lost: mail is kept here and sent once Serva is started with --smtp-relay.",
            ))),
        }
    }
}

fn case_link(m: &OutboxMail) -> Markup {
    html! {
        @match (m.case_id, m.case_number) {
            (Some(c), Some(n)) => a href={"/cases/" (c)} { (n.to_string()) },
            (Some(c), None) => a href={"/cases/" (c)} { (c) },
            _ => "–",
        }
    }
}

/// One page of the list and the filter it was asked with.
pub struct OutboxListing<'a> {
    pub mails: &'a [OutboxMail],
    pub status: Option<OutboxStatus>,
    /// The case filter as typed.
    pub case: &'a str,
    pub page: i64,
    pub has_next: bool,
}

/// The list, newest first, with a filter on status and case.
pub fn outbox_page(cx: &Ctx, info: &OutboxInfo, l: &OutboxListing) -> Markup {
    let (mails, filter_case) = (l.mails, l.case);
    let current = l.status.map_or("", OutboxStatus::as_str);
    page(
        cx,
        cx.t("Utgående e-post", "Outgoing mail"),
        html! {
            (relay_note(cx, info))
            p {
                (cx.t(
                    "Mottagningsbekräftelser, svar till kunden och meddelanden om lösta ärenden. Ett brev som inte går fram försöks igen med allt längre mellanrum; efter sista försöket markeras det som misslyckat och kan skickas igen här.",
                    "Receipts, replies to the customer and notices of resolved cases. A mail that does not go through is tried again at growing intervals; after the last attempt it is marked failed and can be sent again here.",
                ))
            }
            dl {
                dt { (status_label(cx, OutboxStatus::Pending)) } dd { (int(info.pending)) }
                dt { (status_label(cx, OutboxStatus::Sent)) } dd { (int(info.sent)) }
                dt { (status_label(cx, OutboxStatus::Failed)) } dd { (int(info.failed)) }
            }
            form method="get" action="/admin/outbox" role="search" {
                label for="status" { (cx.t("Status", "Status")) }
                select #status name="status" {
                    (option("", cx.t("Alla", "All"), current))
                    @for s in OutboxStatus::ALL { (option(s.as_str(), status_label(cx, s), current)) }
                }
                label for="case" { (cx.t("Ärende (nummer)", "Case (number)")) }
                input #case type="text" name="case" value=(filter_case) inputmode="numeric" autocomplete="off";
                div { button type="submit" { (cx.t("Visa", "Show")) } }
            }
            @if mails.is_empty() {
                p role="status" { (cx.t("Inga brev.", "No mail.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Utgående e-post", "Outgoing mail")) {
                    table {
                        caption.visually-hidden { (cx.t("Brev, nyaste först", "Mail, newest first")) }
                        thead { tr {
                            th scope="col" { (cx.t("Skapat", "Written")) }
                            th scope="col" { (cx.t("Till", "To")) }
                            th scope="col" { (cx.t("Ämne", "Subject")) }
                            th scope="col" { (cx.t("Ärende", "Case")) }
                            th scope="col" { (cx.t("Status", "Status")) }
                            th scope="col" { (cx.t("Försök", "Attempts")) }
                            th scope="col" { (cx.t("Senaste fel", "Last error")) }
                        } }
                        tbody {
                            @for m in mails {
                                tr {
                                    td { (time(m.created_at)) }
                                    td style="word-break:break-all" { (m.to_address) }
                                    th scope="row" { a href={"/admin/outbox/" (m.id)} { (m.subject) } }
                                    td { (case_link(m)) }
                                    td { (status(cx, m.status)) }
                                    td { (m.attempts) }
                                    td style="word-break:break-word" { (m.last_error.as_deref().unwrap_or("")) }
                                }
                            }
                        }
                    }
                }
                (pager(cx, "/admin/outbox", &[("status", current.to_string()), ("case", filter_case.to_string())], l.page, l.has_next))
            }
        },
    )
}

/// One mail: its headers and text as sent, where it is, and "send again" when it failed.
pub fn outbox_mail_page(cx: &Ctx, info: &OutboxInfo, m: &OutboxMail, ok: Option<&str>) -> Markup {
    page(
        cx,
        &format!("{}: {}", cx.t("Brev", "Mail"), m.subject),
        html! {
            @if let Some(t) = ok { (notice(true, t)) }
            (relay_note(cx, info))
            p { a href="/admin/outbox" { "← " (cx.t("Utgående e-post", "Outgoing mail")) } }
            dl {
                dt { (cx.t("Slag", "Kind")) } dd { (kind_label(cx, m.kind)) }
                dt { (cx.t("Ärende", "Case")) } dd { (case_link(m)) }
                dt { (cx.t("Status", "Status")) } dd { (status(cx, m.status)) }
                dt { (cx.t("Skapat", "Written")) } dd { (time(m.created_at)) }
                @if let Some(s) = m.sent_at { dt { (cx.t("Skickat", "Sent")) } dd { (time(s)) } }
                dt { (cx.t("Försök", "Attempts")) } dd { (m.attempts) }
                @if m.status == OutboxStatus::Pending {
                    dt { (cx.t("Nästa försök", "Next attempt")) } dd { (time(m.next_attempt_at)) }
                }
                @if let Some(e) = &m.last_error {
                    dt { (cx.t("Senaste fel", "Last error")) } dd style="word-break:break-word" { (e) }
                }
            }
            @if m.status == OutboxStatus::Failed {
                form method="post" action={"/admin/outbox/" (m.id) "/send-again"} {
                    (cx.csrf_field())
                    button type="submit" { (cx.t("Skicka igen", "Send again")) }
                }
            }
            h2 { (cx.t("Brevet", "The mail")) }
            pre.mail tabindex="0" aria-label=(cx.t("Brevets huvud och text", "The mail's headers and text")) {
                @for (name, value) in m.headers() { (name) ": " (value) "\n" }
                "\n" (m.body)
            }
        },
    )
}

/// A case filter as typed: a case number (`2026-0000123`) or a bare id.
pub fn parse_case_filter(s: &str) -> Option<serva_domain::CaseId> {
    let s = s.trim();
    CaseNumber::parse(s).map(|n| n.id).or_else(|| {
        s.parse::<i64>()
            .ok()
            .filter(|&i| i > 0)
            .map(serva_domain::CaseId)
    })
}
