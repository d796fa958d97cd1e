//! Surveys (docs/surveys.md): the questions (one form, wherever it is shown: the link's page,
//! an ended chat, the follow page, the requester's case page), the link's pages for a survey
//! that is answered, closed or unknown, the survey panel of the case page, the agent's sent
//! link, and a unit's figures with its settings.

use maud::{html, Markup};
use serva_domain::case::{Case, Channel};
use serva_domain::format;
use serva_domain::org::Unit;
use serva_domain::survey::{
    Dimension, GroupFigures, LinkedSurvey, Period, Scale, SentSurvey, SurveyFigures, SurveyPanel,
    SurveySettings, SurveyStatus, Via,
};
use serva_domain::time::{format_date, format_datetime};

use crate::layout::{notice, page};
use crate::widgets::channel_label;
use crate::Ctx;

/// The words at the two ends of a scale, for the main question and for the statements.
fn ends(cx: &Ctx, scale: Scale, statement: bool) -> (&'static str, &'static str) {
    match (scale, statement) {
        (Scale::OneToFive, false) => (
            cx.t("Mycket missnöjd", "Very dissatisfied"),
            cx.t("Mycket nöjd", "Very satisfied"),
        ),
        (Scale::ZeroToTen, false) => (
            cx.t("Inte alls nöjd", "Not at all satisfied"),
            cx.t("Helt nöjd", "Fully satisfied"),
        ),
        (_, true) => (
            cx.t("Stämmer inte alls", "Not at all true"),
            cx.t("Stämmer helt", "Entirely true"),
        ),
    }
}

fn statement(cx: &Ctx, d: Dimension, unit: &str) -> String {
    match d {
        Dimension::Engagement => cx
            .t(
                "Den som hjälpte mig var engagerad i mitt ärende.",
                "The person who helped me cared about my errand.",
            )
            .to_string(),
        Dimension::GeneralSatisfaction => match cx.lang {
            crate::Lang::Sv => format!("Allmänt sett är jag nöjd med {unit}."),
            crate::Lang::En => format!("On the whole I am satisfied with {unit}."),
        },
        Dimension::Resolution => cx
            .t("Mitt ärende blev löst.", "My errand was resolved.")
            .to_string(),
    }
}

/// The dimension's name as the figures call it.
pub fn dimension_label(cx: &Ctx, d: Dimension) -> &'static str {
    match d {
        Dimension::Engagement => cx.t("Engagemang", "Engagement"),
        Dimension::GeneralSatisfaction => cx.t("Allmän nöjdhet", "General satisfaction"),
        Dimension::Resolution => cx.t("Uppklarning", "Resolution"),
    }
}

/// One question as a group of radio buttons: a value per button, the ends named.
fn scale_group(
    cx: &Ctx,
    name: &str,
    legend: &str,
    scale: Scale,
    statement: bool,
    required: bool,
) -> Markup {
    let (low, high) = ends(cx, scale, statement);
    let (lo, hi) = scale.bounds();
    html! {
        fieldset.scale-question {
            legend { (legend) @if required { " *" } }
            div.scale {
                @for v in scale.values() {
                    label {
                        input type="radio" name=(name) value=(v) required[required];
                        span { (v) @if v == lo { " – " (low) } @if v == hi { " – " (high) } }
                    }
                }
                @if !required {
                    label {
                        input type="radio" name=(name) value="" checked;
                        span { (cx.t("Vill inte svara", "Prefer not to say")) }
                    }
                }
            }
        }
    }
}

/// The survey's questions and the button, posted to `action`. `csrf` for a signed-in page.
pub fn survey_form(cx: &Ctx, action: &str, scale: Scale, unit: &str, csrf: bool) -> Markup {
    html! {
        form.survey method="post" action=(action) {
            @if csrf { (cx.csrf_field()) }
            (scale_group(cx, "answer", cx.t("Hur nöjd är du med hjälpen du fick?", "How satisfied are you with the help you got?"), scale, false, true))
            p.hint { (cx.t("Frivilligt: hur väl stämmer det här?", "Optional: how true is this?")) }
            @for d in Dimension::ALL {
                (scale_group(cx, d.as_str(), &statement(cx, d, unit), scale, true, false))
            }
            label for="survey-comment" {
                (cx.t("Vill du säga något mer? (frivilligt)", "Anything else to tell us? (optional)"))
                span.hint { (cx.t("Skriv inte personuppgifter. Högst 2 000 tecken.", "Do not write personal details. At most 2,000 characters.")) }
            }
            textarea #survey-comment name="comment" rows="3" maxlength="2000" {}
            p.hint { (cx.t(
                "Handläggarna ser bara svar sammanställda med andras, aldrig ditt svar för sig.",
                "Officers see answers only together with others', never yours on its own."
            )) }
            p.hint { "* " (cx.t("obligatoriskt", "required")) }
            button type="submit" { (cx.t("Skicka svar", "Send answer")) }
        }
    }
}

/// "till och med 2026-07-22": the last day a survey closing at `expires_at` can be answered.
fn last_day(expires_at: i64) -> String {
    format_date(expires_at - 1)
}

/// `/survey/{token}`: the survey, or why it cannot be answered.
pub fn survey_link_page(cx: &Ctx, token: &str, s: &LinkedSurvey, error: Option<&str>) -> Markup {
    page(
        cx,
        cx.t(
            "Vad tyckte du om hjälpen?",
            "What did you think of the help?",
        ),
        html! {
            @if let Some(e) = error { (notice(false, e)) }
            p { (cx.t("Ärende", "Case")) " " strong { (s.number) } " · " (s.unit_name) }
            @match s.status {
                SurveyStatus::Open { expires_at } => {
                    p { (cx.t("Du behöver inte logga in. Enkäten går att besvara till och med ", "You need not sign in. The survey can be answered until ")) (last_day(expires_at)) "." }
                    (survey_form(cx, &format!("/survey/{token}"), s.scale, &s.unit_name, false))
                }
                SurveyStatus::Answered => { (answered_notice(cx)) }
                SurveyStatus::Expired => { (expired_notice(cx)) }
            }
        },
    )
}

fn answered_notice(cx: &Ctx) -> Markup {
    notice(
        true,
        cx.t(
            "Den här enkäten är redan besvarad – ett ärende besvaras bara en gång. Tack för ditt svar!",
            "This survey has been answered already – a case is answered once. Thank you for your answer!",
        ),
    )
}

fn expired_notice(cx: &Ctx) -> Markup {
    notice(
        false,
        cx.t(
            "Enkäten har stängt och går inte längre att besvara. Har du synpunkter kan du kontakta oss som vanligt.",
            "The survey has closed and can no longer be answered. If you have views, contact us as usual.",
        ),
    )
}

/// The page after an answer.
pub fn survey_thanks_page(cx: &Ctx) -> Markup {
    page(
        cx,
        cx.t("Tack för ditt svar!", "Thank you for your answer!"),
        html! {
            (notice(true, cx.t("Ditt svar är sparat.", "Your answer has been saved.")))
            p { (cx.t(
                "Vi använder svaren för att bli bättre. Handläggarna ser bara svar sammanställda med andras.",
                "We use the answers to get better. Officers see answers only together with others'."
            )) }
        },
    )
}

/// A link that never existed (or was copied only in part).
pub fn survey_unknown_page(cx: &Ctx) -> Markup {
    page(
        cx,
        cx.t("Länken fungerar inte", "The link does not work"),
        html! {
            p { (cx.t(
                "Vi hittar ingen enkät med den här länken. Kontrollera att hela länken kom med om du kopierade den från ett e-postmeddelande.",
                "We find no survey with this link. If you copied it from an e-mail, check that the whole link came along."
            )) }
        },
    )
}

/// The survey block of a page for the case's customer (an ended chat, the follow page):
/// the form, or that it is answered or closed.
pub fn shown_survey(
    cx: &Ctx,
    action: &str,
    scale: Scale,
    status: SurveyStatus,
    unit: &str,
    csrf: bool,
) -> Markup {
    html! {
        section.survey-block aria-labelledby="survey-heading" {
            h2 #survey-heading { (cx.t("Vad tyckte du om hjälpen?", "What did you think of the help?")) }
            @match status {
                SurveyStatus::Open { expires_at } => {
                    p { (cx.t("Enkäten går att besvara till och med ", "The survey can be answered until ")) (last_day(expires_at)) "." }
                    (survey_form(cx, action, scale, unit, csrf))
                }
                SurveyStatus::Answered => { p { (cx.t("Du har besvarat enkäten. Tack!", "You have answered the survey. Thank you!")) } }
                SurveyStatus::Expired => { p { (cx.t("Enkäten har stängt.", "The survey has closed.")) } }
            }
        }
    }
}

fn via_label(cx: &Ctx, v: Via) -> &'static str {
    match v {
        Via::Mail => cx.t("e-post", "e-mail"),
        Via::Chat => cx.t("chatten", "the chat"),
        Via::Follow => cx.t("följ-sidan", "the follow page"),
        Via::Page => cx.t("ärendesidan", "the case page"),
        Via::Link => cx.t("länk från handläggare", "a link from an officer"),
        Via::Api => cx.t("API", "API"),
    }
}

/// The case page's survey panel.
pub fn case_survey_panel(cx: &Ctx, case: &Case, p: &SurveyPanel, now: i64) -> Markup {
    html! {
        @if let Some(scale) = p.answer_on {
            section.survey-block aria-labelledby="survey-heading" {
                h2 #survey-heading { (cx.t("Vad tyckte du om hjälpen?", "What did you think of the help?")) }
                (survey_form(cx, &format!("/cases/{}/survey", case.id), scale, &case.unit_name, true))
            }
        }
        @if let Some(a) = &p.answer {
            p {
                (cx.t("Kundnöjdhet", "Satisfaction")) ": " strong { (a.score) " / 100" }
                @if let (Some(scale), Some(v)) = (a.scale, a.answer) { " (" (v) " " (cx.t("på skalan", "on the scale")) " " (scale.as_str()) ")" }
                @if let Some(c) = &a.comment { " – " (c) }
            }
        } @else if p.answered {
            p { (cx.t("Enkäten är besvarad.", "The survey has been answered.")) }
        }
        @if let Some(i) = &p.sent {
            @if !p.answered {
                p.meta {
                    (cx.t("Enkät skickad", "Survey sent")) " " (format_datetime(i.sent_at)) " " (cx.t("via", "through")) " " (via_label(cx, i.via))
                    @match i.status(now) {
                        SurveyStatus::Open { expires_at } => { ", " (cx.t("öppen till och med", "open until")) " " (last_day(expires_at)) }
                        SurveyStatus::Expired => { ", " (cx.t("stängd", "closed")) }
                        SurveyStatus::Answered => {}
                    }
                    @if i.reminded_at.is_some() { ", " (cx.t("påminnelse skickad", "reminder sent")) }
                    "."
                }
            }
        }
        @if p.can_send {
            form method="post" action={"/cases/" (case.id) "/survey/send"} {
                (cx.csrf_field())
                button.secondary type="submit" { (cx.t("Skicka enkät", "Send survey")) }
                span.hint { (cx.t(
                    "Skickas med e-post om ärendet har en adress; länken visas också så att du kan läsa upp eller skicka den.",
                    "Mailed when the case has an address; the link is shown too, to read out or pass on."
                )) }
            }
        }
    }
}

/// After "Skicka enkät": where it went, and the link.
pub fn sent_survey_page(cx: &Ctx, case: &Case, s: &SentSurvey) -> Markup {
    page(
        cx,
        &format!(
            "{} {}",
            cx.t("Enkät för ärende", "Survey for case"),
            case.number()
        ),
        html! {
            @match &s.mailed_to {
                Some(a) => { (notice(true, &format!("{} {a}.", cx.t("Enkäten är skickad med e-post till", "The survey has been mailed to")))) }
                None => { (notice(true, cx.t("Ärendet har ingen e-postadress. Läs upp eller skicka länken nedan.", "The case has no e-mail address. Read out or pass on the link below."))) }
            }
            label for="survey-link" { (cx.t("Enkätens länk", "The survey's link")) }
            input #survey-link type="text" readonly value=(s.url);
            p { a href=(s.url) { (s.url) } }
            p { (cx.t("Länken gäller till och med ", "The link works until ")) (last_day(s.expires_at)) ". "
                (cx.t("Den som har länken kan besvara enkäten en gång.", "Whoever has the link can answer the survey once.")) }
            p { a href={"/cases/" (case.id)} { (cx.t("Tillbaka till ärendet", "Back to the case")) } }
        },
    )
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |v| format::percent(v, 0))
}

fn index(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |v| format::decimal(v, 0))
}

/// A group's name: a channel in words, an unassigned agent said so.
fn group_name(cx: &Ctx, kind: &str, g: &GroupFigures) -> String {
    match kind {
        "channel" => Channel::parse(&g.key).map_or(g.key.clone(), |c| channel_label(cx, c).into()),
        "agent" if g.key.is_empty() => cx.t("Ingen tilldelad", "Nobody assigned").into(),
        "service" | "unit" => format!("{} ({})", g.label, g.key),
        _ => g.label.clone(),
    }
}

fn group_table(cx: &Ctx, kind: &str, caption: &str, first: &str, rows: &[GroupFigures]) -> Markup {
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) {
            table {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (first) }
                    th.num scope="col" { (cx.t("Skickade", "Sent")) }
                    th.num scope="col" { (cx.t("Besvarade", "Answered")) }
                    th.num scope="col" { (cx.t("Svarsfrekvens", "Response rate")) }
                    th.num scope="col" { (cx.t("Index", "Index")) }
                    @for d in Dimension::ALL { th.num scope="col" { (dimension_label(cx, d)) } }
                    th.num scope="col" { (cx.t("Kommentarer", "Comments")) }
                } }
                tbody {
                    @for g in rows {
                        tr {
                            th scope="row" { (group_name(cx, kind, g)) }
                            td.num { (format::int(g.sent)) }
                            td.num { (format::int(g.answered)) }
                            td.num { (pct(g.response_rate)) }
                            @if g.withheld {
                                td.num colspan="5" { (cx.t("För få svar för att visas", "Too few answers to show")) }
                            } @else {
                                td.num { (index(g.index)) }
                                td.num { (pct(g.engagement)) }
                                td.num { (pct(g.general_satisfaction)) }
                                td.num { (pct(g.resolution)) }
                                td.num { (format::int(g.comments)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Everything the figures page shows.
pub struct UnitSurveysView<'a> {
    pub unit: &'a Unit,
    pub period: Period,
    pub figures: &'a SurveyFigures,
    pub settings: &'a SurveySettings,
    pub can_set: bool,
    pub ok: Option<&'a str>,
    pub error: Option<&'a str>,
}

/// `/units/{code}/surveys`: index, response rate, dimensions and comments per unit, service,
/// channel, agent and week; the settings for the unit's managers.
pub fn unit_surveys_page(cx: &Ctx, v: &UnitSurveysView) -> Markup {
    let f = v.figures;
    let t = &f.total;
    let action = format!("/units/{}/surveys", v.unit.code);
    page(
        cx,
        &format!(
            "{}: {}",
            cx.t("Kundnöjdhet", "Customer satisfaction"),
            v.unit.name
        ),
        html! {
            @if let Some(m) = v.ok { (notice(true, m)) }
            @if let Some(m) = v.error { (notice(false, m)) }
            form.filters method="get" action=(action) {
                div {
                    label for="from" { (cx.t("Från och med", "From")) }
                    input #from type="text" autocomplete="off" spellcheck="false" size="10" name="from" value=(v.period.from.format("%Y-%m-%d").to_string());
                }
                div {
                    label for="to" { (cx.t("Till och med", "To")) }
                    input #to type="text" autocomplete="off" spellcheck="false" size="10" name="to" value=(v.period.to.format("%Y-%m-%d").to_string());
                }
                div { button type="submit" { (cx.t("Visa", "Show")) } }
            }
            p {
                (cx.t("Enkäter skickade ", "Surveys sent ")) (v.period.from.format("%Y-%m-%d").to_string()) "–" (v.period.to.format("%Y-%m-%d").to_string()) ". "
                (cx.t(
                    "Index: medelvärdet av huvudfrågan på skalan 0–100 (1–5 blir 0, 25, 50, 75, 100; 0–10 gånger tio). Svarsfrekvens: besvarade av skickade. Engagemang, allmän nöjdhet och uppklarning: andel som svarat 4–5 av 5 eller 6–10 av 10.",
                    "Index: the mean of the main question on 0–100 (1–5 becomes 0, 25, 50, 75, 100; 0–10 times ten). Response rate: answered of sent. Engagement, general satisfaction and resolution: the share answering 4–5 of 5 or 6–10 of 10."
                ))
            }
            @if !f.full {
                p.notice { (match cx.lang {
                    crate::Lang::Sv => format!("Svaren är anonyma: grupper med färre än {} svar visas inte, du ser bara din egen rad bland handläggarna, och kommentarer visas utan ärende och handläggare.", f.min_group),
                    crate::Lang::En => format!("Answers are anonymous: groups of fewer than {} answers are not shown, you see only your own row among the officers, and comments are shown without case or officer.", f.min_group),
                }) }
            }
            dl.facts.survey-total {
                dt { (cx.t("Index (0–100)", "Index (0–100)")) } dd { @if t.withheld { (cx.t("För få svar för att visas", "Too few answers to show")) } @else { strong { (index(t.index)) } } }
                dt { (cx.t("Svarsfrekvens", "Response rate")) } dd { (pct(t.response_rate)) }
                dt { (cx.t("Skickade enkäter", "Surveys sent")) } dd { (format::int(t.sent)) }
                dt { (cx.t("Besvarade", "Answered")) } dd { (format::int(t.answered)) }
                @if !t.withheld {
                    dt { (dimension_label(cx, Dimension::Engagement)) } dd { (pct(t.engagement)) }
                    dt { (dimension_label(cx, Dimension::GeneralSatisfaction)) } dd { (pct(t.general_satisfaction)) }
                    dt { (dimension_label(cx, Dimension::Resolution)) } dd { (pct(t.resolution)) }
                    dt { (cx.t("Kommentarer", "Comments")) } dd { (format::int(t.comments)) }
                }
            }
            @if t.sent == 0 {
                p { (cx.t("Inga enkäter skickade under perioden.", "No surveys sent in the period.")) }
            } @else {
                @if f.by_unit.len() > 1 {
                    h2 { (cx.t("Per enhet", "Per unit")) }
                    (group_table(cx, "unit", cx.t("Per enhet", "Per unit"), cx.t("Enhet", "Unit"), &f.by_unit))
                }
                h2 { (cx.t("Per tjänst", "Per service")) }
                (group_table(cx, "service", cx.t("Per tjänst", "Per service"), cx.t("Tjänst", "Service"), &f.by_service))
                h2 { (cx.t("Per kanal", "Per channel")) }
                (group_table(cx, "channel", cx.t("Per kanal", "Per channel"), cx.t("Kanal", "Channel"), &f.by_channel))
                h2 { (cx.t("Per handläggare", "Per officer")) }
                @if f.by_agent.is_empty() {
                    p { (match cx.lang {
                        crate::Lang::Sv => format!("Din egen rad visas när den har minst {} svar.", f.min_group),
                        crate::Lang::En => format!("Your own row shows once it has at least {} answers.", f.min_group),
                    }) }
                } @else {
                    (group_table(cx, "agent", cx.t("Per handläggare", "Per officer"), cx.t("Handläggare", "Officer"), &f.by_agent))
                }
                h2 { (cx.t("Per vecka", "Per week")) }
                (group_table(cx, "week", cx.t("Per vecka (veckan enkäten skickades)", "Per week (the week the survey was sent)"), cx.t("Vecka", "Week"), &f.by_week))
                h2 { (cx.t("Kommentarer", "Comments")) }
                @if f.comments.is_empty() {
                    p { (cx.t("Inga kommentarer att visa.", "No comments to show.")) }
                } @else {
                    ol.thread.survey-comments {
                        @for c in &f.comments {
                            li {
                                p.meta {
                                    (c.week) " · " (c.service) " · " (Channel::parse(&c.channel).map_or(c.channel.as_str(), |ch| channel_label(cx, ch)))
                                    " · " (cx.t("index", "index")) " " (c.index)
                                    @if let Some(n) = &c.case { " · " (cx.t("ärende", "case")) " " (n) }
                                    @if let Some(a) = &c.agent { " · " (a) }
                                }
                                p style="white-space:pre-wrap" { (c.text) }
                            }
                        }
                    }
                }
            }
            @if v.can_set {
                (settings_form(cx, v.unit, v.settings))
            } @else {
                h2 { (cx.t("Inställningar", "Settings")) }
                (settings_facts(cx, v.settings))
            }
        },
    )
}

fn every_text(cx: &Ctx, n: i64) -> String {
    match n {
        0 => cx.t("ingen", "none").into(),
        1 => cx.t("alla", "every case").into(),
        n => match cx.lang {
            crate::Lang::Sv => format!("1 av {n}"),
            crate::Lang::En => format!("1 in {n}"),
        },
    }
}

fn settings_facts(cx: &Ctx, s: &SurveySettings) -> Markup {
    html! {
        dl.facts {
            dt { (cx.t("Skala", "Scale")) } dd { (s.scale.as_str()) }
            dt { (cx.t("Påminnelse", "Reminder")) } dd { @if s.reminder_days == 0 { (cx.t("ingen", "none")) } @else { (cx.count(s.reminder_days, ("dag", "dagar"), ("day", "days"))) " " (cx.t("efter utskick", "after sending")) } }
            dt { (cx.t("Öppen", "Open for")) } dd { (cx.count(s.valid_days, ("dag", "dagar"), ("day", "days"))) }
            dt { (cx.t("Minsta grupp som visas", "Smallest group shown")) } dd { (cx.count(s.min_group, ("svar", "svar"), ("answer", "answers"))) }
            @for c in Channel::ALL {
                dt { (cx.t("Urval", "Sample")) ": " (channel_label(cx, c)) } dd { (every_text(cx, s.sample_every(c))) }
            }
        }
    }
}

fn settings_form(cx: &Ctx, unit: &Unit, s: &SurveySettings) -> Markup {
    html! {
        h2 #settings { (cx.t("Inställningar", "Settings")) }
        form method="post" action={"/units/" (unit.code) "/surveys/settings"} {
            (cx.csrf_field())
            fieldset {
                legend { (cx.t("Skala för frågorna", "Scale of the questions")) }
                @for sc in Scale::ALL {
                    label { input type="radio" name="scale" value=(sc.as_str()) checked[sc == s.scale]; " " (sc.as_str()) }
                }
            }
            label for="reminder_days" { (cx.t("Påminnelse efter (dagar, 0 = ingen)", "Reminder after (days, 0 = none)")) }
            input #reminder_days type="number" name="reminder_days" min="0" max="60" value=(s.reminder_days);
            label for="valid_days" { (cx.t("Enkäten är öppen (dagar)", "The survey is open (days)")) }
            input #valid_days type="number" name="valid_days" min="1" max="365" value=(s.valid_days);
            label for="min_group" {
                (cx.t("Minsta grupp som handläggare ser (svar)", "Smallest group officers see (answers)"))
                span.hint { (cx.t("Färre svar än så visas inte för handläggare.", "Fewer answers than this are not shown to officers.")) }
            }
            input #min_group type="number" name="min_group" min="1" max="100" value=(s.min_group);
            fieldset {
                legend { (cx.t("Urval per kanal: 1 av hur många lösta ärenden får enkäten (0 = ingen, 1 = alla)", "Sample per channel: one in how many resolved cases gets the survey (0 = none, 1 = all)")) }
                @for c in Channel::ALL {
                    @let id = format!("sample_{}", c.as_str());
                    label for=(id) { (channel_label(cx, c)) }
                    input id=(id) type="number" name=(id) min="0" max="1000" value=(s.sample_every(c));
                }
            }
            button type="submit" { (cx.t("Spara inställningar", "Save settings")) }
        }
    }
}
