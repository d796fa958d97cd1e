//! The audit log in plain words: "Karin Holm ändrade status Ny → Väntar på kund i ärende 12",
//! with filters by person, case and date. The stored before/after data stays one click away.

use std::collections::HashMap;

use maud::{html, Markup};
use serde_json::Value;
use serva_domain::case::CaseStatus;
use serva_domain::user::AuditEntry;

use crate::layout::page;
use crate::widgets::{status_label, time, urlencode};
use crate::Ctx;

/// The audit page's filter as it came in the query string.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// A username.
    pub who: String,
    /// A case number (`2026-0000123`) or id.
    pub case: String,
    /// Days written ÅÅÅÅ-MM-DD, both included.
    pub from: String,
    pub to: String,
    /// A refusal of the filter itself (an unknown person, a day that is no day).
    pub problem: Option<String>,
}

impl AuditQuery {
    fn params(&self) -> String {
        [
            ("who", &self.who),
            ("case", &self.case),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("&{k}={}", urlencode(v)))
        .collect()
    }
}

/// What was done, as a verb phrase.
fn verb(cx: &Ctx, action: &str) -> String {
    let (sv, en) = match action {
        "create" => ("skapade", "created"),
        "update" => ("ändrade", "changed"),
        "delete" => ("tog bort", "deleted"),
        "save" => ("sparade", "saved"),
        "login" => ("loggade in", "signed in"),
        "revoke" => ("återkallade", "revoked"),
        "set_status" => ("ändrade status för", "changed the status of"),
        "assign" => ("tilldelade", "assigned"),
        "add_message" => ("skrev ett meddelande i", "wrote a message in"),
        "add_note" => ("skrev en intern anteckning i", "wrote an internal note in"),
        "answer_survey" => ("svarade på enkäten för", "answered the survey of"),
        "set_grants" => ("ändrade roller för", "changed the roles of"),
        "set_password" => ("bytte lösenord för", "changed the password of"),
        "set_locale" => ("bytte språk för", "changed the language of"),
        "approve" => ("fastställde", "approved"),
        "lock" => ("låste", "locked"),
        "set_price" => ("satte priset för", "set the price of"),
        "import" => ("importerade", "imported"),
        "load" => ("läste in", "loaded"),
        "save_forecast" => ("sparade prognos för", "saved the forecast of"),
        "assess" => ("bedömde", "assessed"),
        "set_queue_rule" => ("ändrade köregeln för", "changed the queue rule of"),
        "control_result" => (
            "registrerade kontrollresultat för",
            "recorded a control result for",
        ),
        "set_value" => ("satte värde för", "set a value of"),
        "lift_lock" => (
            "hävde inloggningsspärren för",
            "lifted the sign-in pause of",
        ),
        "send_survey" => ("skickade enkät för", "sent the survey of"),
        "set_survey_settings" => (
            "ändrade enkätinställningarna för",
            "changed the survey settings of",
        ),
        other => return other.replace('_', " "),
    };
    cx.t(sv, en).to_string()
}

/// What it was done to: the kind and, where there is a page, a link.
fn thing(cx: &Ctx, e: &AuditEntry, names: &HashMap<i64, String>) -> Markup {
    let (sv, en) = match e.entity.as_str() {
        "case" => ("ärende", "case"),
        "unit" => ("enheten", "unit"),
        "user" => ("användaren", "user"),
        "service" => ("tjänsten", "service"),
        "api_token" => ("API-nyckel", "API token"),
        "interim_report" => ("delårsrapporten", "interim report"),
        "goal" => ("målet", "goal"),
        "narrative" => ("texten", "text"),
        "control_point" => ("kontrollpunkten", "control point"),
        "assignment" => ("uppdraget", "assignment"),
        "indicator" => ("indikatorn", "indicator"),
        "report_event" => ("händelsen", "event"),
        "import" => ("filen", "file"),
        "load" => ("inläsningen", "load"),
        "login_lock" => ("inloggningsspärren", "sign-in pause"),
        "contact" => ("kontakten", "contact"),
        "attachment" => ("bilagan", "attachment"),
        "outbox_mail" => ("utgående e-post", "outgoing mail"),
        "billing_run" => ("debiteringen för", "the billing run of"),
        "reply_template" => ("svarsmallen", "reply template"),
        "price_list" => ("prislistan", "price list"),
        "time_entry" => ("tidsposten", "time entry"),
        "subscription" => ("abonnemanget", "subscription"),
        other => (other, other),
    };
    let id = e.entity_id.as_str();
    html! {
        (cx.t(sv, en)) " "
        @match e.entity.as_str() {
            "case" => { a href={"/cases/" (id)} { (id) } }
            "user" => {
                @if let Some(n) = id.parse::<i64>().ok().and_then(|i| names.get(&i)) {
                    a href={"/admin/users/" (id)} { (n) }
                } @else { (id) }
            }
            _ => { (id) }
        }
    }
}

/// A value of a changed field, in words where Serva knows it.
fn value_text(cx: &Ctx, key: &str, v: &Value, names: &HashMap<i64, String>) -> String {
    match (key, v) {
        (_, Value::Null) => cx.t("ingen", "none").to_string(),
        ("status", Value::String(s)) => CaseStatus::parse(s)
            .map(|st| status_label(cx, st).to_string())
            .unwrap_or_else(|| s.clone()),
        (k, Value::Number(n)) if k.ends_with("_id") || k == "assignee" => n
            .as_i64()
            .and_then(|i| names.get(&i).cloned())
            .unwrap_or_else(|| n.to_string()),
        (_, Value::Bool(b)) => if *b {
            cx.t("ja", "yes")
        } else {
            cx.t("nej", "no")
        }
        .to_string(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => {
            let s = other.to_string();
            if s.chars().count() > 60 {
                format!("{}…", s.chars().take(60).collect::<String>())
            } else {
                s
            }
        }
    }
}

fn key_text<'a>(cx: &Ctx, key: &'a str) -> &'a str {
    let (sv, en) = match key {
        "status" => ("status", "status"),
        "assignee_id" => ("handläggare", "assignee"),
        "name" | "display_name" => ("namn", "name"),
        "email" => ("e-post", "e-mail"),
        "active" => ("aktiv", "active"),
        "home_unit_id" => ("enhet", "unit"),
        "unit_id" => ("enhet", "unit"),
        "price" | "price_ore" => ("pris", "price"),
        "subject" => ("ämne", "subject"),
        "priority" => ("prioritet", "priority"),
        "valid_from" => ("giltig från", "valid from"),
        "valid_to" => ("giltig till", "valid to"),
        "text" | "body" => ("text", "text"),
        "value" => ("värde", "value"),
        "target" => ("mål", "target"),
        _ => return key,
    };
    cx.t(sv, en)
}

/// The changed fields, `before → after`, for the fields that changed (at most six).
fn changes(cx: &Ctx, e: &AuditEntry, names: &HashMap<i64, String>) -> Vec<String> {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
    };
    let (before, after) = (parse(&e.before_json), parse(&e.after_json));
    let (Some(Value::Object(a)), b) = (after, before) else {
        return Vec::new();
    };
    let b = match b {
        Some(Value::Object(b)) => b,
        _ => Default::default(),
    };
    let mut out = Vec::new();
    for (k, to) in &a {
        // Lists of ids and other bookkeeping say nothing to a reader.
        if k.ends_with("_cases") || matches!(to, Value::Array(_) | Value::Object(_)) {
            continue;
        }
        let from = b.get(k);
        if from == Some(to) {
            continue;
        }
        let label = key_text(cx, k);
        out.push(match from {
            Some(f) if e.action != "create" => format!(
                "{label} {} → {}",
                value_text(cx, k, f, names),
                value_text(cx, k, to, names)
            ),
            _ => format!("{label}: {}", value_text(cx, k, to, names)),
        });
        if out.len() == 6 {
            break;
        }
    }
    out
}

pub fn audit_page(
    cx: &Ctx,
    entries: &[AuditEntry],
    names: &HashMap<i64, String>,
    query: &AuditQuery,
    next_before: Option<i64>,
) -> Markup {
    page(
        cx,
        cx.t("Granskningslogg", "Audit log"),
        html! {
            form.filters method="get" action="/admin/audit" role="search" aria-label=(cx.t("Filtrera loggen", "Filter the log")) {
                div {
                    label for="who" { (cx.t("Vem", "Who")) span.hint { (cx.t("användarnamn", "username")) } }
                    input #who type="text" name="who" value=(query.who) autocomplete="off" spellcheck="false";
                }
                div {
                    label for="case" { (cx.t("Ärende", "Case")) span.hint { "2026-0000123" } }
                    input #case type="text" name="case" value=(query.case) autocomplete="off" size="14";
                }
                div {
                    label for="from" { (cx.t("Från och med", "From")) span.hint { "ÅÅÅÅ-MM-DD" } }
                    input #from type="text" name="from" value=(query.from) autocomplete="off" size="10";
                }
                div {
                    label for="to" { (cx.t("Till och med", "To")) span.hint { "ÅÅÅÅ-MM-DD" } }
                    input #to type="text" name="to" value=(query.to) autocomplete="off" size="10";
                }
                div {
                    button type="submit" { (cx.t("Visa", "Show")) }
                    @if !query.params().is_empty() { " " a href="/admin/audit" { (cx.t("Hela loggen", "The whole log")) } }
                }
            }
            @if let Some(p) = &query.problem {
                div.notice.error role="alert" { p { (p) } }
            } @else if entries.is_empty() {
                p role="status" { (cx.t("Inget i loggen matchar.", "Nothing in the log matches.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Granskningslogg", "Audit log")) {
                    table {
                        caption.visually-hidden { (cx.t("Ändringar, nyaste först", "Changes, newest first")) }
                        thead { tr {
                            th scope="col" { (cx.t("Tid", "Time")) }
                            th scope="col" { (cx.t("Vad som hände", "What happened")) }
                            th scope="col" { (cx.t("Data", "Data")) }
                        } }
                        tbody {
                            @for e in entries {
                                @let who = e.actor_id.and_then(|a| names.get(&a.0).cloned())
                                    .or_else(|| e.actor_name.clone())
                                    .unwrap_or_else(|| cx.t("Serva (systemet)", "Serva (the system)").to_string());
                                @let details = changes(cx, e, names);
                                tr {
                                    td { (time(e.at)) }
                                    td {
                                        @if let Some(u) = &e.actor_name {
                                            a href={"/admin/audit?who=" (urlencode(u))} { (who) }
                                        } @else { (who) }
                                        " " (verb(cx, &e.action))
                                        // Signing in is about oneself: "Karin Holm loggade in".
                                        @if !(e.action == "login" && e.entity == "user" && e.actor_id.map(|a| a.0.to_string()) == Some(e.entity_id.clone())) {
                                            " " (thing(cx, e, names))
                                        }
                                        @if !details.is_empty() {
                                            ul.changes { @for d in &details { li { (d) } } }
                                        }
                                    }
                                    td {
                                        @if e.before_json.is_some() || e.after_json.is_some() {
                                            details {
                                                summary { (cx.t("Visa", "Show")) span.visually-hidden { " " (cx.t("data för post", "data of entry")) " " (e.id) } }
                                                @if let Some(b) = &e.before_json { p { strong { (cx.t("Före", "Before")) } } code style="word-break:break-all" { (b) } }
                                                @if let Some(a) = &e.after_json { p { strong { (cx.t("Efter", "After")) } } code style="word-break:break-all" { (a) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(b) = next_before {
                nav.pager aria-label=(cx.t("Sidor", "Pages")) { a href={"/admin/audit?before=" (b) (query.params())} { (cx.t("Äldre", "Older")) " →" } }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sv() -> Ctx {
        Ctx {
            lang: crate::Lang::Sv,
            nav: None,
            csrf: None,
            path: String::new(),
        }
    }

    fn entry(action: &str, before: &str, after: &str) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: 0,
            actor_id: None,
            actor_name: None,
            action: action.into(),
            entity: "case".into(),
            entity_id: "12".into(),
            before_json: Some(before.into()),
            after_json: Some(after.into()),
        }
    }

    #[test]
    fn a_status_change_reads_as_words() {
        let cx = sv();
        let e = entry(
            "set_status",
            r#"{"status":"new"}"#,
            r#"{"status":"waiting_customer"}"#,
        );
        assert_eq!(
            changes(&cx, &e, &HashMap::new()),
            vec!["status Ny → Väntar på kund"]
        );
        assert_eq!(verb(&cx, &e.action), "ändrade status för");
    }

    #[test]
    fn an_assignment_names_the_people() {
        let cx = sv();
        let names = HashMap::from([(7, "Karin Holm".to_string())]);
        let e = entry("assign", r#"{"assignee_id":null}"#, r#"{"assignee_id":7}"#);
        assert_eq!(
            changes(&cx, &e, &names),
            vec!["handläggare ingen → Karin Holm"]
        );
    }

    #[test]
    fn unchanged_fields_and_bookkeeping_are_left_out() {
        let cx = sv();
        let e = entry(
            "update",
            r#"{"name":"A","active":true}"#,
            r#"{"name":"B","active":true,"status_cases":[1,2]}"#,
        );
        assert_eq!(changes(&cx, &e, &HashMap::new()), vec!["namn A → B"]);
    }
}
