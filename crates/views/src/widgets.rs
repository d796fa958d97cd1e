//! Small pieces many pages use: labels of domain values in both languages, pagers, times.

use maud::{html, Markup};
use serva_domain::case::{CaseStatus, Channel};
use serva_domain::catalogue::{FieldProblem, PriceModel};
use serva_domain::role::{RoleKind, TargetGroup};
use serva_domain::sla::{SlaDue, SlaFlag, SlaState};

use crate::Ctx;

pub fn status_label(cx: &Ctx, s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::New => cx.t("Ny", "New"),
        CaseStatus::Open => cx.t("Pågående", "Open"),
        CaseStatus::WaitingCustomer => cx.t("Väntar på kund", "Waiting for customer"),
        CaseStatus::WaitingThirdParty => cx.t("Väntar på tredje part", "Waiting for third party"),
        CaseStatus::Resolved => cx.t("Löst", "Resolved"),
        CaseStatus::Closed => cx.t("Avslutad", "Closed"),
    }
}

/// A status as text with a marker whose shape differs per status (WCAG 1.4.1: the colour is
/// never the only difference), the same in every list and on the case page.
pub fn status_badge(cx: &Ctx, s: CaseStatus) -> Markup {
    let shape = match s {
        CaseStatus::New => "●",
        CaseStatus::Open => "▶",
        CaseStatus::WaitingCustomer => "◆",
        CaseStatus::WaitingThirdParty => "◇",
        CaseStatus::Resolved => "✓",
        CaseStatus::Closed => "■",
    };
    html! {
        span class={"status status-" (s.as_str())} {
            span.status-shape aria-hidden="true" { (shape) } " " (status_label(cx, s))
        }
    }
}

pub fn channel_label(cx: &Ctx, c: Channel) -> &'static str {
    match c {
        Channel::Web => cx.t("Webbformulär", "Web form"),
        Channel::Chat => cx.t("Chatt", "Chat"),
        Channel::Phone => cx.t("Telefon", "Phone"),
        Channel::Email => cx.t("E-post", "E-mail"),
        Channel::Visit => cx.t("Besök", "Visit"),
    }
}

pub fn target_group_label(cx: &Ctx, t: TargetGroup) -> &'static str {
    match t {
        TargetGroup::Manager => cx.t("Chef", "Manager"),
        TargetGroup::Administrator => cx.t("Administratör", "Administrator"),
        TargetGroup::HrConsultant => cx.t("HR-konsult", "HR consultant"),
        TargetGroup::Employee => cx.t("Medarbetare", "Employee"),
        TargetGroup::Citizen => cx.t("Medborgare", "Citizen"),
    }
}

pub fn role_label(cx: &Ctx, r: RoleKind) -> &'static str {
    match r {
        RoleKind::Admin => cx.t("Systemadministratör", "Administrator"),
        RoleKind::Controller => cx.t("Controller", "Controller"),
        RoleKind::UnitManager => cx.t("Enhetschef", "Unit manager"),
        RoleKind::Agent => cx.t("Handläggare", "Agent"),
        RoleKind::Customer => cx.t("Kund", "Customer"),
        RoleKind::CustomerManager => cx.t("Kundchef", "Customer manager"),
    }
}

pub fn price_model_label(cx: &Ctx, p: PriceModel) -> &'static str {
    match p {
        PriceModel::PerCase => cx.t("per ärende", "per case"),
        PriceModel::PerUnitMonth => cx.t("per enhet och månad", "per unit and month"),
        PriceModel::Subscription => cx.t("abonnemang per månad", "subscription per month"),
        PriceModel::PerHour => cx.t("per timme", "per hour"),
    }
}

pub fn field_problem(cx: &Ctx, p: FieldProblem) -> &'static str {
    match p {
        FieldProblem::Required => cx.t("Fältet måste fyllas i.", "This field is required."),
        FieldProblem::NotANumber => cx.t(
            "Skriv ett tal, till exempel 12 eller 2,5.",
            "Enter a number, such as 12 or 2.5.",
        ),
        FieldProblem::NotADate => cx.t(
            "Skriv ett datum som ÅÅÅÅ-MM-DD.",
            "Enter a date as YYYY-MM-DD.",
        ),
        FieldProblem::NotAChoice => cx.t("Välj ett av alternativen.", "Choose one of the options."),
        FieldProblem::TooLong => cx.t("Texten är för lång.", "The text is too long."),
        FieldProblem::Unknown => cx.t(
            "Fältet finns inte i formuläret.",
            "The form has no such field.",
        ),
    }
}

/// A time shown in Stockholm local time, with the machine-readable instant.
pub fn time(ms: i64) -> Markup {
    let iso = chrono_iso(ms);
    html! { time datetime=(iso) { (serva_domain::time::format_datetime(ms)) } }
}

/// An instant as ISO 8601 in Stockholm time with its offset: `2026-06-22T11:55:00+02:00`.
pub fn chrono_iso(ms: i64) -> String {
    serva_domain::time::iso_local(ms)
}

/// The SLA state in words, with a class for colour (the words carry the meaning, not the colour).
/// Times are working time of the providing unit's calendar.
pub fn sla(cx: &Ctx, s: &SlaState) -> Markup {
    let min = |ms: i64| serva_domain::time::format_minutes(ms / 60_000);
    match *s {
        SlaState::Met { elapsed_ms } => {
            html! { span.sla-ok { (cx.t("Uppfyllt", "Met")) " (" (min(elapsed_ms)) " " (cx.t("arbetstid", "working time")) ")" } }
        }
        SlaState::Breached {
            over_ms, running, ..
        } => html! {
            span.sla-bad {
                @if over_ms >= 60_000 {
                    (cx.t("Överskridet med", "Breached by")) " " (min(over_ms)) " " (cx.t("arbetstid", "working time"))
                } @else {
                    (cx.t("Överskridet", "Breached"))
                }
                @if running { " – " (cx.t("pågår", "running")) } }
        },
        SlaState::Running {
            remaining_ms,
            due_at,
        } => html! {
            span.sla-warn { (min(remaining_ms)) " " (cx.t("arbetstid kvar, senast", "of working time left, due")) " " (time(due_at)) }
        },
        SlaState::Paused { remaining_ms } => html! {
            span { (cx.t("Pausad", "Paused")) ", " (min(remaining_ms)) " " (cx.t("arbetstid kvar", "of working time left")) }
        },
    }
}

/// A target in working time, in minutes or hours (never days: a day of working time is the
/// unit's opening hours, not 24 hours): `45 min arbetstid`, `48 h arbetstid`.
pub fn working_time(cx: &Ctx, minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let amount = match (h, m) {
        (0, m) => format!("{m}\u{a0}min"),
        (h, 0) => format!("{h}\u{a0}h"),
        (h, m) => format!("{h}\u{a0}h {m}\u{a0}min"),
    };
    format!("{amount} {}", cx.t("arbetstid", "of working time"))
}

/// A case's SLA state in one word or two, as queues show it.
pub fn sla_flag_label(cx: &Ctx, f: SlaFlag) -> &'static str {
    match f {
        SlaFlag::None => "–",
        SlaFlag::Met => cx.t("Inom mål", "Met"),
        SlaFlag::Running => cx.t("I tid", "On time"),
        SlaFlag::NearBreach => cx.t("Nära brott", "Near breach"),
        SlaFlag::Breached => cx.t("Bruten", "Breached"),
        SlaFlag::Paused => cx.t("Pausad", "Paused"),
    }
}

/// The state word with a class for colour.
pub fn sla_flag(cx: &Ctx, d: &SlaDue, now: i64) -> Markup {
    let f = d.flag(now);
    let class = match f {
        SlaFlag::Breached => "sla-bad",
        SlaFlag::NearBreach => "sla-warn",
        SlaFlag::Met | SlaFlag::Running => "sla-ok",
        SlaFlag::None | SlaFlag::Paused => "",
    };
    html! { span class=(class) data-sla=(f.as_str()) { (sla_flag_label(cx, f)) } }
}

/// When the next running clock is due, or why none is: "idag 08:05", "i morgon 10:00",
/// "fre 10:00" within the week, the day further away; the exact instant is in `datetime` and,
/// for a mouse, in the title.
pub fn sla_due(cx: &Ctx, d: &SlaDue, now: i64) -> Markup {
    use serva_domain::time::{due_when, DueWhen};
    match d.due_at {
        Some(t) => {
            let hm = |c: chrono::NaiveTime| c.format("%H:%M").to_string();
            let words = match due_when(t, now) {
                DueWhen::Yesterday(c) => format!("{} {}", cx.t("i går", "yesterday"), hm(c)),
                DueWhen::Today(c) => format!("{} {}", cx.t("i dag", "today"), hm(c)),
                DueWhen::Tomorrow(c) => format!("{} {}", cx.t("i morgon", "tomorrow"), hm(c)),
                DueWhen::ThisWeek(w, c) => format!("{} {}", weekday_short(cx, w), hm(c)),
                DueWhen::Day(day) => day.format("%Y-%m-%d").to_string(),
            };
            let exact = serva_domain::time::to_local(t)
                .format("%Y-%m-%d kl. %H:%M")
                .to_string();
            html! { time datetime=(chrono_iso(t)) title=(exact) { (words) } }
        }
        None if d.paused => html! { (cx.t("Pausad", "Paused")) },
        None => html! { "–" },
    }
}

fn weekday_short(cx: &Ctx, w: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match w {
        Mon => cx.t("mån", "Mon"),
        Tue => cx.t("tis", "Tue"),
        Wed => cx.t("ons", "Wed"),
        Thu => cx.t("tors", "Thu"),
        Fri => cx.t("fre", "Fri"),
        Sat => cx.t("lör", "Sat"),
        Sun => cx.t("sön", "Sun"),
    }
}

/// Previous/next links keeping the other query parameters.
pub fn pager(cx: &Ctx, base: &str, params: &[(&str, String)], page: i64, has_next: bool) -> Markup {
    let link = |p: i64| {
        let mut q: Vec<String> = params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        q.push(format!("page={p}"));
        format!("{base}?{}", q.join("&"))
    };
    html! {
        nav.pager aria-label=(cx.t("Sidor", "Pages")) {
            @if page > 1 { a href=(link(page - 1)) rel="prev" { "← " (cx.t("Föregående", "Previous")) } }
            span { (cx.t("Sida", "Page")) " " (page) }
            @if has_next { a href=(link(page + 1)) rel="next" { (cx.t("Nästa", "Next")) " →" } }
        }
    }
}

/// Percent-encodes a query value (everything but `A–Z a–z 0–9 - _ . ~`).
pub fn urlencode(s: &str) -> String {
    urlencoding::encode(s).into_owned()
}

/// A `<select>` option, selected when it matches.
pub fn option(value: &str, label: &str, current: &str) -> Markup {
    html! { option value=(value) selected[value == current] { (label) } }
}

/// A refused request, said in the person's language.
pub fn refusal(cx: &Ctx, r: serva_domain::refusal::Refusal) -> String {
    use serva_domain::refusal::Refusal;
    match r {
        Refusal::PasswordTooShort { min } => match cx.lang {
            crate::Lang::Sv => format!("Lösenordet måste ha minst {min} tecken."),
            crate::Lang::En => format!("The password needs at least {min} characters."),
        },
        Refusal::OwnAccountDeactivated => cx
            .t(
                "Du kan inte stänga av ditt eget konto.",
                "You cannot deactivate your own account.",
            )
            .to_string(),
        Refusal::OwnAdminRoleRemoved => cx
            .t(
                "Du kan inte ta bort din egen administratörsroll.",
                "You cannot remove your own administrator role.",
            )
            .to_string(),
        Refusal::RoleHeldAlready => cx
            .t(
                "Personen har redan den rollen.",
                "The person already has that role.",
            )
            .to_string(),
        Refusal::RoleGone => cx
            .t(
                "Rollen finns inte längre; ladda om sidan.",
                "The role is gone; reload the page.",
            )
            .to_string(),
        Refusal::NotAgentOfQueue => cx
            .t(
                "Personen arbetar inte i den här kön.",
                "That person does not work this queue.",
            )
            .to_string(),
        Refusal::IndicatorPeriod => cx
            .t(
                "Perioden ska vara ett år (2019), en månad (2019-08), en vecka (2019-W35) eller ett datum (2019-08-31).",
                "The period must be a year (2019), a month (2019-08), a week (2019-W35) or a date (2019-08-31).",
            )
            .to_string(),
        Refusal::TokenName { max_chars } => match cx.lang {
            crate::Lang::Sv => format!("Ge nyckeln ett namn på högst {max_chars} tecken."),
            crate::Lang::En => format!("Give the token a name of at most {max_chars} characters."),
        },
        Refusal::TokenWithoutScope => cx
            .t(
                "Välj minst en behörighet för nyckeln.",
                "Choose at least one scope for the token.",
            )
            .to_string(),
        Refusal::TokenLifetime { max_days } => match cx.lang {
            crate::Lang::Sv => format!("En nyckel kan gälla i 1 till {max_days} dagar."),
            crate::Lang::En => format!("A token can be valid for 1 to {max_days} days."),
        },
        Refusal::PasswordOffForSso => cx
            .t(
                "Personen loggar in via organisationens inloggningstjänst; lösenord i Serva är avstängda för hen.",
                "The person signs in through the organisation's identity provider; Serva passwords are off for them.",
            )
            .to_string(),
        Refusal::Reassign(e) => {
            let what = bad_cases(cx, e);
            format!(
                "{what} {}",
                cx.t(
                    "Inget ärende har flyttats.",
                    "No case has been reassigned."
                )
            )
        }
        Refusal::BulkChange(e) => {
            use serva_domain::queue_work::BadBulkChange;
            let what = match e {
                BadBulkChange::NothingToChange => cx
                    .t(
                        "Välj handläggare, status eller båda.",
                        "Choose an assignee, a status or both.",
                    )
                    .to_string(),
                BadBulkChange::Cases(e) => bad_cases(cx, e),
                BadBulkChange::Status { case, from, to } => match cx.lang {
                    crate::Lang::Sv => format!(
                        "Ärende {case} kan inte gå från {} till {}.",
                        status_label(cx, from),
                        status_label(cx, to)
                    ),
                    crate::Lang::En => format!(
                        "Case {case} cannot go from {} to {}.",
                        status_label(cx, from),
                        status_label(cx, to)
                    ),
                },
            };
            format!(
                "{what} {}",
                cx.t("Inget ärende har ändrats.", "No case has been changed.")
            )
        }
        Refusal::NotReopenable => cx
            .t(
                "Bara ett löst ärende kan öppnas igen.",
                "Only a resolved case can be reopened.",
            )
            .to_string(),
        Refusal::TemplateNameTaken => cx
            .t(
                "Enheten har redan en mall med det namnet.",
                "The unit already has a template with that name.",
            )
            .to_string(),
    }
}

/// Why cases chosen in bulk cannot be changed: none, too many, or one that is not there.
fn bad_cases(cx: &Ctx, e: serva_domain::overview::BadReassign) -> String {
    use serva_domain::overview::{BadReassign, REASSIGN_MAX};
    match (e, cx.lang) {
        (BadReassign::NoCases, crate::Lang::Sv) => "Välj minst ett ärende.".to_string(),
        (BadReassign::NoCases, crate::Lang::En) => "Choose at least one case.".to_string(),
        (BadReassign::TooMany, crate::Lang::Sv) => {
            format!("Välj högst {REASSIGN_MAX} ärenden åt gången.")
        }
        (BadReassign::TooMany, crate::Lang::En) => {
            format!("Choose at most {REASSIGN_MAX} cases at a time.")
        }
        (BadReassign::Unknown(id), crate::Lang::Sv) => format!("Ärende {id} finns inte."),
        (BadReassign::Unknown(id), crate::Lang::En) => {
            format!("Case {id} does not exist.")
        }
        (BadReassign::OtherUnit(id), crate::Lang::Sv) => {
            format!("Ärende {id} ligger inte i den här enhetens kö.")
        }
        (BadReassign::OtherUnit(id), crate::Lang::En) => {
            format!("Case {id} is not in this unit's queue.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_carry_their_offset() {
        // 2019-08-31 12:00 UTC is 14:00 summer time in Stockholm
        assert_eq!(chrono_iso(1_567_252_800_000), "2019-08-31T14:00:00+02:00");
        assert_eq!(urlencode("å b&c"), "%C3%A5%20b%26c");
    }
}
