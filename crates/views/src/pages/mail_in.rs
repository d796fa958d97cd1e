//! Administration: e-mail in — each unit's mailbox (the service new mail cases get, the IMAP
//! mailbox Serva fetches from and where its password is read), and the intake log of every mail
//! that arrived and what became of it.

use maud::{html, Markup};
use serva_domain::catalogue::Service;
use serva_domain::mail::{ImapTls, LogEntry, MailChannel, Outcome, UnitMailSettings};

use crate::layout::{notice, page};
use crate::widgets::{option, time};
use crate::Ctx;

pub fn outcome_label(cx: &Ctx, o: Outcome) -> &'static str {
    match o {
        Outcome::Case => cx.t("Nytt ärende", "New case"),
        Outcome::Reply => cx.t("Svar i ärende", "Reply to a case"),
        Outcome::Duplicate => cx.t("Redan mottaget", "Received before"),
        Outcome::IgnoredAutoReply => cx.t("Autosvar, ignorerat", "Auto-reply, ignored"),
        Outcome::IgnoredBounce => cx.t("Studs, ignorerat", "Bounce, ignored"),
        Outcome::IgnoredLoop => cx.t("Slinga, ignorerat", "Loop, ignored"),
        Outcome::IgnoredRate => cx.t("För många från avsändaren", "Too many from the sender"),
        Outcome::Refused => cx.t("Avvisat", "Refused"),
    }
}

fn tls_label(cx: &Ctx, t: ImapTls) -> &'static str {
    match t {
        ImapTls::Tls => cx.t("TLS (port 993)", "TLS (port 993)"),
        ImapTls::StartTls => cx.t("STARTTLS (port 143)", "STARTTLS (port 143)"),
        ImapTls::None => cx.t(
            "Ingen kryptering (bara på samma dator)",
            "No encryption (same machine only)",
        ),
    }
}

/// One unit's settings with the services it may choose from.
pub struct UnitMail<'a> {
    pub settings: &'a UnitMailSettings,
    pub services: &'a [Service],
    /// The service mail gets now (the chosen one, or the automatic choice).
    pub effective: Option<&'a Service>,
}

pub fn mail_in_page(
    cx: &Ctx,
    units: &[UnitMail],
    log: &[LogEntry],
    filter: Option<Outcome>,
    ok: Option<&str>,
    error: Option<(&str, &str)>,
) -> Markup {
    page(
        cx,
        cx.t("E-post in", "E-mail in"),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            p { (cx.t(
                "E-post till en enhets adress blir ett ärende i enhetens kö, eller ett svar i ärendet det gäller när avsändaren är ärendets kontakt. Post tas emot av Serva själv över SMTP (serve --smtp-listen) eller hämtas från en IMAP-brevlåda. Autosvar, studsar och slingor blir inga ärenden men syns i loggen nedan.",
                "Mail to a unit's address becomes a case in the unit's queue, or a reply in the case it concerns when the sender is the case's contact. Mail is received by Serva itself over SMTP (serve --smtp-listen) or fetched from an IMAP mailbox. Auto-replies, bounces and loops become no cases but show in the log below.",
            )) }
            h2 { (cx.t("Enheternas brevlådor", "The units' mailboxes")) }
            @if units.is_empty() {
                p role="status" { (cx.t("Ingen enhet har en e-postadress ännu.", "No unit has a mail address yet.")) }
            }
            @for u in units {
                (unit_form(cx, u, error.filter(|(code, _)| *code == u.settings.unit_code).map(|(_, m)| m)))
            }
            h2 #logg { (cx.t("Inkommen e-post", "Mail received")) }
            form method="get" action="/admin/mail" {
                label for="outcome" { (cx.t("Visa", "Show")) }
                select #outcome name="outcome" {
                    (option("", cx.t("Alla", "All"), filter.map_or("", Outcome::as_str)))
                    @for o in Outcome::ALL { (option(o.as_str(), outcome_label(cx, o), filter.map_or("", Outcome::as_str))) }
                }
                " "
                button type="submit" { (cx.t("Visa", "Show")) }
            }
            @if log.is_empty() {
                p role="status" { (cx.t("Ingen e-post har kommit in.", "No mail has arrived.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Inkommen e-post", "Mail received")) {
                    table {
                        caption.visually-hidden { (cx.t("Inkommen e-post, senaste först", "Mail received, newest first")) }
                        thead { tr {
                            th scope="col" { (cx.t("Mottaget", "Received")) }
                            th scope="col" { (cx.t("Väg", "Way")) }
                            th scope="col" { (cx.t("Från", "From")) }
                            th scope="col" { (cx.t("Till", "To")) }
                            th scope="col" { (cx.t("Ämne", "Subject")) }
                            th scope="col" { (cx.t("Utfall", "Outcome")) }
                            th scope="col" { (cx.t("Orsak", "Reason")) }
                        } }
                        tbody {
                            @for e in log {
                                tr {
                                    td { (time(e.received_at)) }
                                    td { @match e.channel { MailChannel::Smtp => "SMTP", MailChannel::Imap => "IMAP" } }
                                    td { (e.mail_from) }
                                    td { (e.rcpt_to) }
                                    td { (e.subject) }
                                    th scope="row" {
                                        (outcome_label(cx, e.outcome))
                                        @if let Some(c) = e.case_id {
                                            br;
                                            a href=(format!("/cases/{}", c.0)) { (cx.t("Ärende", "Case")) " " (c.0) }
                                        }
                                    }
                                    td { (e.reason) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn unit_form(cx: &Ctx, u: &UnitMail, error: Option<&str>) -> Markup {
    let s = u.settings;
    let id = |f: &str| format!("{}-{f}", s.unit_code.to_lowercase());
    let imap = s.imap.as_ref();
    let chosen = s.service_id.map(|i| i.0.to_string()).unwrap_or_default();
    let tls = imap.map_or(ImapTls::Tls, |m| m.tls);
    let source_kind = imap.map_or("env", |m| m.password.kind());
    html! {
        section aria-labelledby=(id("h")) {
            h3 #(id("h")) { (s.unit_name) }
            p {
                (cx.t("Adress: ", "Address: "))
                @match &s.mail_address {
                    Some(a) => strong { (a) },
                    None => (cx.t("ingen (bara IMAP)", "none (IMAP only)")),
                }
                br;
                (cx.t("Nya ärenden får tjänsten: ", "New cases get the service: "))
                @match u.effective {
                    Some(svc) => strong { (svc.name) " (" (svc.code) ")" },
                    None => strong { (cx.t("ingen – e-post tas inte emot", "none – mail is not taken in")) },
                }
            }
            @if let Some(m) = error {
                p.notice.error role="alert" id=(id("err")) { (m) }
            }
            form method="post" action=(format!("/admin/mail/{}", s.unit_code)) {
                (cx.csrf_field())
                label for=(id("service")) { (cx.t("Tjänst för e-post", "Service for mail")) }
                select #(id("service")) name="service" {
                    (option("", cx.t("Automatiskt: första öppna tjänsten utan obligatoriska fält", "Automatic: the first open service without required fields"), &chosen))
                    @for svc in u.services {
                        (option(&svc.id.0.to_string(), &format!("{} ({})", svc.name, svc.code), &chosen))
                    }
                }
                fieldset {
                    legend { (cx.t("Hämta från IMAP", "Fetch from IMAP")) }
                    div {
                        input #(id("imap")) type="checkbox" name="imap" value="1" checked[imap.is_some()];
                        label for=(id("imap")) { (cx.t("Hämta e-post från en IMAP-brevlåda", "Fetch mail from an IMAP mailbox")) }
                    }
                    label for=(id("host")) { (cx.t("Server", "Server")) }
                    input #(id("host")) type="text" name="host" value=(imap.map_or("", |m| m.host.as_str())) autocomplete="off";
                    label for=(id("tls")) { (cx.t("Kryptering", "Encryption")) }
                    select #(id("tls")) name="tls" {
                        @for t in ImapTls::ALL { (option(t.as_str(), tls_label(cx, t), tls.as_str())) }
                    }
                    label for=(id("port")) { (cx.t("Port", "Port")) span.hint { (cx.t("tom: standard för krypteringen", "empty: the usual one for the encryption")) } }
                    input #(id("port")) type="number" name="port" min="1" max="65535" inputmode="numeric" value=(imap.map(|m| m.port.to_string()).unwrap_or_default());
                    label for=(id("user")) { (cx.t("Användare", "User")) }
                    input #(id("user")) type="text" name="user" value=(imap.map_or("", |m| m.user.as_str())) autocomplete="off";
                    label for=(id("folder")) { (cx.t("Mapp", "Folder")) }
                    input #(id("folder")) type="text" name="folder" value=(imap.map_or("INBOX", |m| m.folder.as_str()));
                    label for=(id("source")) { (cx.t("Lösenordet läses från", "The password is read from")) }
                    select #(id("source")) name="password_from" {
                        (option("env", cx.t("en miljövariabel (namnet)", "an environment variable (its name)"), source_kind))
                        (option("file", cx.t("en fil (sökvägen)", "a file (its path)"), source_kind))
                    }
                    label for=(id("pw")) {
                        (cx.t("Miljövariabelns namn eller filens sökväg", "The variable's name or the file's path"))
                        span.hint { (cx.t("aldrig lösenordet självt", "never the password itself")) }
                    }
                    input #(id("pw")) type="text" name="password_source" value=(imap.map_or("", |m| m.password.value())) autocomplete="off" spellcheck="false";
                    @if let Some(at) = s.last_poll_at {
                        p {
                            (cx.t("Senast hämtat: ", "Last fetched: ")) (time(at))
                            @match &s.last_error {
                                Some(e) => { br; strong { (cx.t("Fel: ", "Error: ")) } (e) },
                                None => { " – " (cx.t("utan fel", "no errors")) },
                            }
                        }
                    }
                }
                div { button type="submit" { (cx.t("Spara", "Save")) " " span.visually-hidden { (s.unit_name) } } }
            }
        }
    }
}
