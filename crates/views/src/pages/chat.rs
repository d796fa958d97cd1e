//! Chat pages: starting a chat (citizens on the public page; customers from a service's page),
//! the chat itself for both sides, the unit's chat queue and the wall board.
//!
//! Every page works as plain forms with reload; `/static/chat.js` and `/static/live.js` (our own
//! small scripts) upgrade the chat to a WebSocket and the queue and wall board to live updates.

use maud::{html, Markup};
use serva_domain::catalogue::Service;
use serva_domain::chat::{Chat, ChatMessage, ChatSide, ChatState};
use serva_domain::followup::CallStats;
use serva_domain::format;
use serva_domain::org::Unit;
use serva_domain::phone::format_level;
use serva_domain::time::{format_datetime, format_minutes, to_local};
use serva_domain::wall::WallBoard;

use crate::layout::{notice, page};
use crate::Ctx;

/// What a citizen typed when starting a chat, and what was wrong with it.
#[derive(Debug, Clone, Default)]
pub struct StartInput {
    pub service: String,
    pub name: String,
    pub email: String,
    pub body: String,
    pub error: Option<String>,
}

/// The public page: choose a service, give a name, write the first message.
pub fn start_page(cx: &Ctx, services: &[Service], input: &StartInput) -> Markup {
    page(
        cx,
        cx.t("Chatta med oss", "Chat with us"),
        html! {
            p { (cx.t(
                "Skriv din fråga så svarar en handläggare så snart någon är ledig. Du behöver inget konto. Samtalet sparas som ett ärende med ett ärendenummer.",
                "Write your question and an officer answers as soon as one is free. You need no account. The conversation is kept as a case with a case number."
            )) }
            @if let Some(e) = &input.error { (notice(false, e)) }
            form method="post" action="/chat" {
                label for="service" { (cx.t("Vad gäller det?", "What is it about?")) " *" }
                select #service name="service" required {
                    option value="" { (cx.t("Välj …", "Choose …")) }
                    @for s in services {
                        option value=(s.code) selected[s.code == input.service] { (s.name) " (" (s.unit_name) ")" }
                    }
                }
                label for="name" { (cx.t("Ditt namn", "Your name")) " *" }
                input #name type="text" name="name" autocomplete="name" maxlength="200" required value=(input.name);
                label for="email" { (cx.t("E-post (frivilligt)", "E-mail (optional)")) }
                span.hint #email-hint { (cx.t("Då hittar vi ditt ärende och kan svara dig om chatten bryts.", "Then we find your case and can answer you if the chat is cut off.")) }
                input #email type="email" name="email" autocomplete="email" maxlength="254" aria-describedby="email-hint" value=(input.email);
                label for="body" { (cx.t("Din fråga", "Your question")) " *" }
                textarea #body name="body" required maxlength="4000" { (input.body) }
                p.hint { "* " (cx.t("obligatoriskt", "required")) }
                button type="submit" { (cx.t("Starta chatten", "Start the chat")) }
            }
        },
    )
}

/// The form on a service's page with which a signed-in customer opens a chat.
pub fn start_form(cx: &Ctx, service_code: &str) -> Markup {
    html! {
        section aria-labelledby="chat-heading" {
            h2 #chat-heading { (cx.t("Chatta med oss", "Chat with us")) }
            form method="post" action={"/portal/services/" (service_code) "/chat"} {
                (cx.csrf_field())
                label for="chat-body" { (cx.t("Din fråga", "Your question")) " *" }
                textarea #chat-body name="body" required maxlength="4000" {}
                button type="submit" { (cx.t("Starta chatten", "Start the chat")) }
            }
        }
    }
}

fn state_text(cx: &Ctx, s: ChatState) -> &'static str {
    match s {
        ChatState::Waiting => cx.t("Väntar på handläggare", "Waiting for an officer"),
        ChatState::Active => cx.t("Pågår", "In progress"),
        ChatState::Ended => cx.t("Avslutad", "Ended"),
    }
}

fn side_text(cx: &Ctx, s: ChatSide) -> &'static str {
    match s {
        ChatSide::Customer => cx.t("kund", "customer"),
        ChatSide::Agent => cx.t("handläggare", "officer"),
    }
}

/// `14:05`, the Stockholm time of a message.
fn clock(ms: i64) -> String {
    to_local(ms).format("%H:%M").to_string()
}

/// One line of the transcript; chat.js builds the same markup for lines that arrive live.
pub fn message_line(cx: &Ctx, m: &ChatMessage) -> Markup {
    let class = match m.from {
        ChatSide::Customer => "from-customer",
        ChatSide::Agent => "from-agent",
    };
    html! {
        li class=(class) data-seq=(m.seq) {
            span.who { (m.author_name.as_deref().unwrap_or("")) " (" (side_text(cx, m.from)) ")" }
            " "
            time datetime=(serva_domain::time::iso_utc(m.at)) { (clock(m.at)) }
            p.body { (m.body) }
        }
    }
}

/// Everything the chat page shows.
pub struct ChatPage<'a> {
    pub chat: &'a Chat,
    pub case_number: String,
    pub side: ChatSide,
    pub messages: &'a [ChatMessage],
    /// Names the next message of the form, so a form sent twice stores it once.
    pub client_id: &'a str,
    pub error: Option<String>,
    /// The survey the customer sees once the chat has ended and its case is resolved.
    pub survey: Option<(
        serva_domain::survey::Scale,
        serva_domain::survey::SurveyStatus,
    )>,
    /// The providing unit, named in the survey.
    pub unit_name: &'a str,
}

/// The chat, for the customer and for the agent.
pub fn chat_page(cx: &Ctx, v: &ChatPage<'_>) -> Markup {
    let c = v.chat;
    let base = format!("/chat/{}", c.id);
    let last = v.messages.last().map_or(0, |m| m.seq);
    let agent = v.side == ChatSide::Agent;
    page(
        cx,
        &format!("{} {}", cx.t("Chatt", "Chat"), v.case_number),
        html! {
            @if let Some(e) = &v.error { (notice(false, e)) }
            div #chat data-ws={(base) "/ws"} data-last-seq=(last) data-state=(c.state.as_str())
                data-you=(v.side.as_str())
                data-label-customer=(side_text(cx, ChatSide::Customer))
                data-label-agent=(side_text(cx, ChatSide::Agent))
                data-text-offline=(cx.t("Anslutningen bröts. Försöker igen …", "The connection was lost. Trying again …"))
                data-text-online=(cx.t("Ansluten.", "Connected.")) {
                dl.facts {
                    dt { (cx.t("Ärende", "Case")) }
                    dd { @if agent { a href={"/cases/" (c.case_id)} { (v.case_number) } } @else { (v.case_number) } }
                    dt { (cx.t("Läge", "State")) }
                    dd #chat-state role="status" { (state_text(cx, c.state))
                        @if let Some(a) = &c.agent_name { " – " (a) } }
                    @if agent {
                        dt { (cx.t("Kund", "Customer")) } dd { (c.customer_name) }
                        dt { (cx.t("Öppnad", "Opened")) } dd { (format_datetime(c.opened_at)) }
                        @if c.taken_at.is_some() {
                            dt { (cx.t("Väntetid i kö", "Queue wait")) } dd { (wait_text(c.wait_ms(c.opened_at))) }
                        }
                    }
                }
                h2 #transcript-heading { (cx.t("Samtalet", "Conversation")) }
                ol #transcript aria-labelledby="transcript-heading" aria-live="polite" aria-relevant="additions" {
                    @for m in v.messages { (message_line(cx, m)) }
                }
                p #chat-connection.hint role="status" {}
                @if c.state != ChatState::Ended {
                    @if agent && c.state == ChatState::Waiting {
                        form method="post" action={(base) "/take"} {
                            (cx.csrf_field())
                            button type="submit" { (cx.t("Ta chatten", "Take the chat")) }
                        }
                    }
                    form #chat-form method="post" action={(base) "/messages"} {
                        (cx.csrf_field())
                        input type="hidden" name="client_id" value=(v.client_id);
                        label for="chat-message" { (cx.t("Meddelande", "Message")) }
                        textarea #chat-message name="body" required maxlength="4000" rows="3" {}
                        button type="submit" { (cx.t("Skicka", "Send")) }
                        " "
                        a href=(base) { (cx.t("Uppdatera", "Refresh")) }
                    }
                    form method="post" action={(base) "/end"} {
                        (cx.csrf_field())
                        @if agent {
                            label.inline {
                                input type="checkbox" name="resolve" value="1";
                                " " (cx.t("Markera ärendet som löst", "Mark the case resolved"))
                            }
                        }
                        button type="submit" { (cx.t("Avsluta chatten", "End the chat")) }
                    }
                } @else {
                    p { (cx.t("Chatten är avslutad. Samtalet finns kvar i ärendet.", "The chat has ended. The conversation is kept in the case.")) }
                    @if let Some((scale, status)) = v.survey {
                        (crate::pages::surveys::shown_survey(cx, &format!("{base}/survey"), scale, status, v.unit_name, true))
                    }
                }
            }
            script src="/static/chat.js" defer {}
        },
    )
}

/// A queue wait as people say it: `45 s`, `3 min`.
pub fn wait_text(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    if s < 60 {
        format!("{s}\u{a0}s")
    } else {
        format_minutes(s / 60)
    }
}

/// A unit's chat queue: waiting chats with their wait and "Ta chatten", then active ones.
pub fn queue_page(cx: &Ctx, unit: &Unit, chats: &[Chat], now: i64) -> Markup {
    let base = format!("/queues/{}", unit.code);
    page(
        cx,
        &format!("{}: {}", cx.t("Chattkö", "Chat queue"), unit.name),
        html! {
            p {
                a href=(base) { (cx.t("Ärendekön", "The case queue")) }
                " · "
                a href={"/wall/" (unit.code)} { (cx.t("Väggtavla", "Wall board")) }
                " · "
                a href={(base) "/chats"} { (cx.t("Uppdatera", "Refresh")) }
            }
            div #live data-events={(base) "/events"} {
                (queue_table(cx, chats, now))
            }
            script src="/static/live.js" defer {}
        },
    )
}

fn queue_table(cx: &Ctx, chats: &[Chat], now: i64) -> Markup {
    html! {
        @if chats.is_empty() {
            p { (cx.t("Inga chattar väntar eller pågår.", "No chats are waiting or in progress.")) }
        } @else {
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Chattar som väntar eller pågår", "Chats waiting or in progress")) {
                table {
                    caption { (cx.t("Chattar som väntar eller pågår", "Chats waiting or in progress")) }
                    thead { tr {
                        th scope="col" { (cx.t("Kund", "Customer")) }
                        th scope="col" { (cx.t("Läge", "State")) }
                        th.num scope="col" { (cx.t("Väntetid", "Wait")) }
                        th scope="col" { (cx.t("Handläggare", "Officer")) }
                        th scope="col" { span.visually-hidden { (cx.t("Åtgärd", "Action")) } }
                    } }
                    tbody {
                        @for c in chats {
                            tr {
                                th scope="row" { a href={"/chat/" (c.id)} { (c.customer_name) } }
                                td { (state_text(cx, c.state)) }
                                td.num { (wait_text(c.wait_ms(now))) }
                                td { (c.agent_name.as_deref().unwrap_or("–")) }
                                td {
                                    @if c.state == ChatState::Waiting {
                                        form method="post" action={"/chat/" (c.id) "/take"} {
                                            (cx.csrf_field())
                                            button type="submit" { (cx.t("Ta chatten", "Take the chat")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The unit's wall board.
pub fn wall_page(cx: &Ctx, unit: &Unit, b: &WallBoard) -> Markup {
    page(
        cx,
        &format!("{}: {}", cx.t("Väggtavla", "Wall board"), unit.name),
        html! {
            p {
                a href={"/queues/" (unit.code) "/chats"} { (cx.t("Chattkön", "The chat queue")) }
                " · "
                a href={"/wall/" (unit.code)} { (cx.t("Uppdatera", "Refresh")) }
            }
            div #live data-events={"/wall/" (unit.code) "/events"} {
                (wall_body(cx, unit, b))
            }
            script src="/static/live.js" defer {}
        },
    )
}

/// One phone figure of the board: `75,0 % besvarade inom 120 s (3 av 4 samtal; under målet
/// 80 %)`, or a dash when no call was offered.
fn phone_level(cx: &Ctx, label: &str, s: &CallStats, b: &WallBoard) -> Markup {
    let rule = &b.phone.rule;
    let target = format::percent(rule.target_percent, 0);
    html! {
        dt { (label) }
        dd {
            @match s.service_level {
                Some(l) => {
                    (format_level(Some(l))) " " (cx.t("besvarade inom", "answered within")) " "
                    (format::int(rule.answer_within_seconds)) "\u{a0}s "
                    span.hint { "(" (format::int(s.answered_in_time)) " " (cx.t("av", "of")) " "
                        (cx.count(s.offered, ("samtal", "samtal"), ("call", "calls"))) "; "
                        @if l >= rule.target_percent {
                            (cx.t("målet", "target")) " " (target) " " (cx.t("nått", "met"))
                        } @else {
                            (cx.t("under målet", "below target")) " " (target)
                        }
                        ")" }
                }
                None => { "– " span.hint { "(" (cx.t("inga samtal", "no calls")) ")" } }
            }
        }
    }
}

fn wall_body(cx: &Ctx, unit: &Unit, b: &WallBoard) -> Markup {
    html! {
        p.hint { (cx.t("Läst", "Read")) " " (format_datetime(b.at)) }
        dl.facts.wall {
            dt { (cx.t("Chattar i kö", "Chats waiting")) } dd { (format::int(b.waiting.len() as i64)) }
            dt { (cx.t("Pågående chattar", "Chats in progress")) } dd { (format::int(b.active.len() as i64)) }
            dt { (cx.t("Nya ärenden i dag", "New cases today")) } dd { (format::int(b.created_today)) }
            dt { (cx.t("Lösta ärenden i dag", "Cases resolved today")) } dd { (format::int(b.resolved_today)) }
            dt { (cx.t("Brutna servicenivåer i dag", "Service levels breached today")) } dd { (format::int(b.breaches_today)) }
            dt { (cx.t("Chattens servicenivå i dag", "Chat service level today")) }
            dd {
                @match b.chat_service_level() {
                    Some(l) => {
                        (format::percent(l * 100.0, 0)) " "
                        span.hint { "(" (format::int(b.chats_in_time_today)) " " (cx.t("av", "of")) " "
                            (format::int(b.chats_taken_today)) " " (cx.t("besvarade inom 60 s", "answered within 60 s")) ")" }
                    }
                    None => { "–" }
                }
            }
            (phone_level(cx, cx.t("Telefonins servicenivå i dag", "Phone service level today"), &b.phone.today, b))
            (phone_level(cx, cx.t("Telefonins servicenivå denna vecka", "Phone service level this week"), &b.phone.this_week, b))
        }
        p { a href={"/queues/" (unit.code) "/phone"} { (cx.t("Telefonins servicenivå per timme", "The phone service level per hour")) } }
        h2 { (cx.t("Väntande chattar", "Waiting chats")) }
        @if b.waiting.is_empty() {
            p { (cx.t("Ingen väntar.", "Nobody is waiting.")) }
        } @else {
            ol {
                @for c in &b.waiting {
                    li { a href={"/chat/" (c.id)} { (c.customer_name) } ": " (wait_text(c.wait_ms(b.at))) }
                }
            }
        }
        h2 { (cx.t("Ärenden nära eller över mål", "Cases near or past their target")) }
        @if b.at_risk.is_empty() {
            p { (cx.t("Inga ärenden är nära eller över mål.", "No case is near or past its target.")) }
        } @else {
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Ärenden nära eller över mål", "Cases near or past their target")) {
                table {
                    caption.visually-hidden { (cx.t("Ärenden nära eller över mål", "Cases near or past their target")) }
                    thead { tr {
                        th scope="col" { (cx.t("Ärende", "Case")) }
                        th scope="col" { (cx.t("Rubrik", "Subject")) }
                        th scope="col" { (cx.t("Senast", "Due")) }
                        th scope="col" { (cx.t("Servicenivå", "Service level")) }
                    } }
                    tbody {
                        @for c in &b.at_risk {
                            tr {
                                th scope="row" { a href={"/cases/" (c.id)} { (c.number().to_string()) } }
                                td { (c.subject) }
                                td.nowrap { (crate::widgets::sla_due(cx, &c.sla, b.at)) }
                                td { (crate::widgets::sla_flag(cx, &c.sla, b.at)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
