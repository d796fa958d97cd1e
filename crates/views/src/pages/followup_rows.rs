//! Follow-up rows in forms: each kind's list with links to change and delete, the form that
//! creates or changes a row (its fields are the import's columns), and the question asked
//! before a delete. Values are shown and filled in the Swedish way (`1,5`, `16 015`).

use std::collections::BTreeMap;

use maud::{html, Markup};
use serva_domain::followup::rows::RowFields;

use crate::layout::page;
use crate::widgets::{option, urlencode};
use crate::Ctx;

/// What a field takes.
#[derive(Clone, Copy, PartialEq)]
pub enum Input {
    Text,
    Long,
    Kronor,
    Number,
    Year,
    Date,
    Period,
    Unit,
    Indicator,
    Choice(&'static [(&'static str, &'static str, &'static str)]),
}

pub struct Field {
    pub col: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
    pub input: Input,
    pub required: bool,
}

const fn fd(
    col: &'static str,
    sv: &'static str,
    en: &'static str,
    input: Input,
    required: bool,
) -> Field {
    Field {
        col,
        sv,
        en,
        input,
        required,
    }
}

const GENDERS: &[(&str, &str, &str)] = &[
    ("T", "Totalt", "Total"),
    ("K", "Kvinnor", "Women"),
    ("M", "Män", "Men"),
];
const DIRECTIONS: &[(&str, &str, &str)] = &[
    ("higher", "Högre är bättre", "Higher is better"),
    ("lower", "Lägre är bättre", "Lower is better"),
    ("band", "Inom ett intervall", "Within a band"),
];
const PERIOD_TYPES: &[(&str, &str, &str)] = &[
    ("year", "År", "Year"),
    ("tertial", "Tertial", "Tertial"),
    ("month", "Månad", "Month"),
    ("week", "Vecka", "Week"),
];
const AREAS: &[(&str, &str, &str)] = &[
    ("economy", "Ekonomi", "Economy"),
    ("operations", "Verksamhet", "Operations"),
    ("staff", "Medarbetare", "Staff"),
];
const METRICS: &[(&str, &str, &str)] = &[
    ("employees", "Antal anställda", "Employees"),
    ("sick_leave", "Sjukfrånvaro, %", "Sick leave, %"),
    (
        "external_turnover",
        "Extern personalomsättning, %",
        "External turnover, %",
    ),
    ("full_time_share", "Andel heltider, %", "Full-time share, %"),
];
const STATUSES: &[(&str, &str, &str)] = &[
    ("not_started", "Ej påbörjad", "Not started"),
    ("actions_taken", "Åtgärder vidtagna", "Actions taken"),
    ("done", "Genomförd", "Done"),
    ("not_applicable", "Inte tillämplig", "Not applicable"),
];
const YES_NO: &[(&str, &str, &str)] = &[("false", "Nej", "No"), ("true", "Ja", "Yes")];

/// A kind's fields, in the order of the form.
pub fn fields(kind: &str) -> &'static [Field] {
    use Input::*;
    match kind {
        "budget" => {
            const F: &[Field] = &[
                fd("year", "År", "Year", Year, true),
                fd("unit", "Enhet", "Unit", Unit, true),
                fd("revenue", "Intäkter, kr", "Revenue, kr", Kronor, true),
                fd("cost", "Kostnader, kr", "Cost, kr", Kronor, true),
                fd("note", "Anteckning", "Note", Text, false),
            ];
            F
        }
        "forecast" => {
            const F: &[Field] = &[
                fd("year", "År", "Year", Year, true),
                fd("through", "Gjord per datum", "Made on", Date, true),
                fd("unit", "Enhet", "Unit", Unit, true),
                fd("revenue", "Intäkter, kr", "Revenue, kr", Kronor, true),
                fd("cost", "Kostnader, kr", "Cost, kr", Kronor, true),
            ];
            F
        }
        "investments" => {
            const F: &[Field] = &[
                fd("year", "År", "Year", Year, true),
                fd("unit", "Enhet", "Unit", Unit, true),
                fd("project", "Projekt", "Project", Text, true),
                fd("frame", "Ram, kr", "Frame, kr", Kronor, true),
                fd("spent", "Utgifter, kr", "Spent, kr", Kronor, true),
                fd("income", "Inkomster, kr", "Income, kr", Kronor, true),
                fd(
                    "forecast_spent",
                    "Prognos utgifter, kr",
                    "Forecast spent, kr",
                    Kronor,
                    true,
                ),
                fd(
                    "forecast_income",
                    "Prognos inkomster, kr",
                    "Forecast income, kr",
                    Kronor,
                    true,
                ),
            ];
            F
        }
        "indicators" => {
            const F: &[Field] = &[
                fd("code", "Kod", "Code", Text, true),
                fd("unit", "Förvaltning", "Administration", Unit, true),
                fd("name", "Namn", "Name", Text, true),
                fd("measure", "Mått", "Measure", Text, false),
                fd(
                    "direction",
                    "Riktning",
                    "Direction",
                    Choice(DIRECTIONS),
                    true,
                ),
                fd("goal", "Mål (namn)", "Goal (name)", Text, false),
                fd("band_low", "Intervall, lägst", "Band, low", Number, false),
                fd("band_high", "Intervall, högst", "Band, high", Number, false),
                fd(
                    "period_type",
                    "Periodtyp",
                    "Period type",
                    Choice(PERIOD_TYPES),
                    false,
                ),
                fd("kolada_id", "Kolada-id", "Kolada id", Text, false),
                fd(
                    "min_group_size",
                    "Minsta gruppstorlek",
                    "Minimum group size",
                    Text,
                    false,
                ),
                fd(
                    "computed_from",
                    "Räknas fram ur (mått:ENHET)",
                    "Computed from (measure:UNIT)",
                    Text,
                    false,
                ),
            ];
            F
        }
        "indicator_values" => {
            const F: &[Field] = &[
                fd("indicator", "Indikator", "Indicator", Indicator, true),
                fd("period", "Period", "Period", Period, true),
                fd("gender", "Kön", "Gender", Choice(GENDERS), true),
                fd("value", "Värde", "Value", Number, false),
                fd("target", "Målvärde", "Target", Number, false),
            ];
            F
        }
        "goals" => {
            const F: &[Field] = &[
                fd("year", "År", "Year", Year, true),
                fd("unit", "Förvaltning", "Administration", Unit, true),
                fd("area", "Målområde", "Area", Choice(AREAS), true),
                fd(
                    "municipal_goal",
                    "Kommunfullmäktiges mål",
                    "Municipal goal",
                    Text,
                    false,
                ),
                fd("name", "Namn", "Name", Text, true),
                fd("description", "Beskrivning", "Description", Long, false),
            ];
            F
        }
        "staff" => {
            const F: &[Field] = &[
                fd("period", "Period", "Period", Period, true),
                fd("unit", "Enhet", "Unit", Unit, true),
                fd("gender", "Kön", "Gender", Choice(GENDERS), true),
                fd("metric", "Nyckeltal", "Metric", Choice(METRICS), true),
                fd("value", "Värde", "Value", Number, true),
                fd("target", "Målvärde", "Target", Number, false),
            ];
            F
        }
        "assignments" => {
            const F: &[Field] = &[
                fd("year", "År", "Year", Year, true),
                fd("unit", "Förvaltning", "Administration", Unit, true),
                fd(
                    "common",
                    "Gemensamt uppdrag",
                    "Common assignment",
                    Choice(YES_NO),
                    true,
                ),
                fd("text", "Uppdrag", "Assignment", Long, true),
                fd("status", "Status", "Status", Choice(STATUSES), true),
                fd("comment", "Kommentar", "Comment", Long, false),
            ];
            F
        }
        "controls" => {
            const F: &[Field] = &[
                fd("year", "År", "Year", Year, true),
                fd("unit", "Enhet", "Unit", Unit, true),
                fd("name", "Kontrollpunkt", "Control point", Text, true),
                fd("risk", "Risk", "Risk", Text, false),
                fd("method", "Metod", "Method", Text, false),
                fd("frequency", "Frekvens", "Frequency", Text, false),
                fd("owner", "Ansvarig", "Owner", Text, false),
            ];
            F
        }
        _ => &[],
    }
}

/// A kind's name: (plural heading, singular).
pub fn kind_label(cx: &Ctx, kind: &str) -> (&'static str, &'static str) {
    let (p, s) = match kind {
        "budget" => (cx.t("Budget", "Budget"), cx.t("budgetrad", "budget row")),
        "forecast" => (
            cx.t("Alla prognoser under året", "All forecasts of the year"),
            cx.t("prognos", "forecast"),
        ),
        "investments" => (
            cx.t("Investeringar", "Investments"),
            cx.t("investering", "investment"),
        ),
        "indicators" => (
            cx.t("Indikatorer", "Indicators"),
            cx.t("indikator", "indicator"),
        ),
        "indicator_values" => (
            cx.t("Indikatorvärden", "Indicator values"),
            cx.t("indikatorvärde", "indicator value"),
        ),
        "goals" => (cx.t("Mål", "Goals"), cx.t("mål", "goal")),
        "staff" => (
            cx.t("Personalnyckeltal", "Staff figures"),
            cx.t("personalnyckeltal", "staff figure"),
        ),
        "assignments" => (
            cx.t("Strategiska uppdrag", "Strategic assignments"),
            cx.t("uppdrag", "assignment"),
        ),
        "controls" => (
            cx.t("Kontrollpunkter", "Control points"),
            cx.t("kontrollpunkt", "control point"),
        ),
        _ => ("", ""),
    };
    (p, s)
}

/// The follow-up section a kind is listed in.
pub fn section_of(kind: &str) -> &'static str {
    match kind {
        "budget" => "budget",
        "forecast" => "forecasts",
        "investments" => "investments",
        "indicators" | "indicator_values" => "indicators",
        "goals" => "goals",
        "staff" => "staff",
        "assignments" => "assignments",
        _ => "control",
    }
}

/// The anchor of a row in its list.
pub fn row_anchor(kind: &str, key: &str) -> String {
    let slug: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("rad-{kind}-{slug}")
}

/// A field's value in a list: a choice by its label.
fn shown(cx: &Ctx, f: &Field, v: &str) -> String {
    match f.input {
        Input::Choice(opts) => opts
            .iter()
            .find(|o| o.0 == v)
            .map_or(v.to_string(), |o| cx.t(o.1, o.2).to_string()),
        _ => v.to_string(),
    }
}

/// What a person is told about a field whose value was refused: the rule for its input, in
/// their language; the import's own words where the rule is particular (English pages).
pub fn field_message(cx: &Ctx, f: &Field, value: &str, message: &str) -> String {
    if value.is_empty() && f.required {
        return format!(
            "{} {}.",
            cx.t("Fyll i", "Fill in"),
            cx.t(f.sv, f.en).to_lowercase()
        );
    }
    let sv = match (f.col, f.input) {
        ("through", _) => "Skriv ett datum i året som ÅÅÅÅ-MM-DD, till exempel 2019-08-31.",
        ("band_low", _) => "Ett intervall behöver både lägsta och högsta värde, lägsta först.",
        ("goal", _) => "Förvaltningen har inget mål med det namnet det här året.",
        ("min_group_size", _) => "Skriv ett heltal från 0 till 1 000.",
        ("computed_from", _) => "Skriv mått:ENHET, till exempel service_level:KL.",
        ("code", _) => "Koden används redan eller är ogiltig.",
        (_, Input::Kronor) => "Skriv ett belopp i kronor, till exempel 16 015 eller 1 234,50.",
        (_, Input::Number) => "Skriv ett tal, till exempel 1,5 eller 16 015.",
        (_, Input::Year) => "Skriv ett år mellan 1990 och 2100, till exempel 2019.",
        (_, Input::Date) => "Skriv ett datum som ÅÅÅÅ-MM-DD.",
        (_, Input::Period) => "Skriv en period: 2019, 2019-08, 2019-W35 eller 2019-08-31.",
        (_, Input::Unit) => "Välj en enhet i förvaltningen.",
        (_, Input::Indicator) => "Välj en av förvaltningens indikatorer.",
        (_, Input::Choice(_)) => "Välj ett av alternativen.",
        _ => "Värdet kan inte användas.",
    };
    cx.t(sv, message).to_string()
}

/// Options for the unit and indicator fields.
pub struct Choices<'a> {
    pub units: &'a [(String, String)],
    pub indicators: &'a [(String, String)],
}

/// A kind's rows as a table with links to change and delete each, and a link to add one.
pub fn rows_table(cx: &Ctx, qs: &str, kind: &str, rows: &[RowFields]) -> Markup {
    let (plural, singular) = kind_label(cx, kind);
    let fs = fields(kind);
    let base = format!("/followup/rows/{kind}");
    html! {
        section aria-labelledby={"h-" (kind)} {
            h2 id={"h-" (kind)} { (plural) }
            @if rows.is_empty() {
                p { (cx.t("Inga rader ännu för året.", "No rows yet for the year.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(plural) {
                    table {
                        caption.visually-hidden { (plural) }
                        thead { tr {
                            @for f in fs { th scope="col" { (cx.t(f.sv, f.en)) } }
                            th scope="col" { span.visually-hidden { (cx.t("Åtgärder", "Actions")) } }
                        } }
                        tbody {
                            @for r in rows {
                                tr id=(row_anchor(kind, &r.key)) {
                                    @for f in fs {
                                        @let v = shown(cx, f, r.get(f.col));
                                        @if matches!(f.input, Input::Kronor | Input::Number) { td.num { (v) } } @else { td { (v) } }
                                    }
                                    td {
                                        a href={(base) "/edit?" (qs) "&key=" (urlencode(&r.key))} { (cx.t("Ändra", "Change")) span.visually-hidden { " " (singular) " " (summary(r)) } }
                                        " "
                                        a href={(base) "/delete?" (qs) "&key=" (urlencode(&r.key))} { (cx.t("Ta bort", "Delete")) span.visually-hidden { " " (singular) " " (summary(r)) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p { a href={(base) "/new?" (qs)} { (cx.t("Lägg till ", "Add ")) (singular) } }
        }
    }
}

/// A row said in a few words: its unit, name, period.
pub fn summary(r: &RowFields) -> String {
    [
        "unit",
        "indicator",
        "year",
        "period",
        "through",
        "gender",
        "metric",
        "project",
        "name",
        "code",
    ]
    .iter()
    .map(|c| r.get(c))
    .filter(|v| !v.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// What the form shows: the values typed (or stored), and a refused field with its message.
pub struct RowForm<'a> {
    pub kind: &'a str,
    pub key: Option<&'a str>,
    pub values: &'a BTreeMap<String, String>,
    pub error: Option<(&'a str, String)>,
    /// Another row has the same names: its key.
    pub exists: Option<&'a str>,
}

pub fn row_form_page(
    cx: &Ctx,
    qs: &str,
    hidden: Markup,
    form: &RowForm,
    choices: &Choices,
) -> Markup {
    let (_, singular) = kind_label(cx, form.kind);
    let section = section_of(form.kind);
    let title = if form.key.is_some() {
        format!("{} {}", cx.t("Ändra", "Change"), singular)
    } else {
        format!("{} {}", cx.t("Lägg till", "Add"), singular)
    };
    let fs = fields(form.kind);
    let err_col = form.error.as_ref().map(|e| e.0);
    html! {
        (page(cx, &title, html! {
            p { a href={"/followup/" (section) "?" (qs)} { (cx.t("Tillbaka utan att spara", "Back without saving")) } }
            @if let Some((col, m)) = &form.error {
                @let label = fs.iter().find(|f| f.col == *col).map_or(*col, |f| cx.t(f.sv, f.en));
                div.notice.error role="alert" {
                    p { (cx.t("Raden sparades inte. ", "The row was not saved. ")) a href={"#f-" (col)} { (label) } ": " (m) }
                }
            }
            @if let Some(other) = form.exists {
                div.notice.error role="alert" {
                    p { (cx.t("Det finns redan en rad med samma namn och period; den skrivs inte över. ", "A row with the same names and period exists already; it is not overwritten. "))
                        a href={"/followup/rows/" (form.kind) "/edit?" (qs) "&key=" (urlencode(other))} { (cx.t("Ändra den raden", "Change that row")) } }
                }
            }
            form method="post" action={"/followup/rows/" (form.kind)} novalidate {
                (cx.csrf_field()) (hidden)
                @if let Some(k) = form.key { input type="hidden" name="key" value=(k); }
                @for f in fs {
                    @let v = form.values.get(f.col).map_or("", String::as_str);
                    @let id = format!("f-{}", f.col);
                    @let bad = err_col == Some(f.col);
                    @let described = if bad { Some(format!("{id}-error")) } else if matches!(f.input, Input::Date | Input::Period) { Some(format!("{id}-hint")) } else { None };
                    div.field {
                        label for=(id) {
                            (cx.t(f.sv, f.en))
                            @if !f.required { span.hint { " " (cx.t("(frivilligt)", "(optional)")) } }
                        }
                        @match f.input {
                            Input::Date => { span.hint id={(id) "-hint"} { (cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")) } }
                            Input::Period => { span.hint id={(id) "-hint"} { (cx.t("2019, 2019-08, 2019-W35 eller 2019-08-31", "2019, 2019-08, 2019-W35 or 2019-08-31")) } }
                            _ => {}
                        }
                        @if bad { @if let Some((_, m)) = &form.error { p.field-error id={(id) "-error"} { strong { (cx.t("Fel: ", "Error: ")) } (m) } } }
                        @match f.input {
                            Input::Long => { textarea id=(id) name=(f.col) rows="3" aria-invalid=[bad.then_some("true")] aria-describedby=[described.as_deref()] { (v) } }
                            Input::Unit => {
                                select id=(id) name=(f.col) aria-invalid=[bad.then_some("true")] aria-describedby=[described.as_deref()] {
                                    (option("", cx.t("Välj enhet", "Choose a unit"), v))
                                    @for (code, name) in choices.units { (option(code, &format!("{name} ({code})"), v)) }
                                }
                            }
                            Input::Indicator => {
                                select id=(id) name=(f.col) aria-invalid=[bad.then_some("true")] aria-describedby=[described.as_deref()] {
                                    (option("", cx.t("Välj indikator", "Choose an indicator"), v))
                                    @for (code, name) in choices.indicators { (option(code, name, v)) }
                                }
                            }
                            Input::Choice(opts) => {
                                select id=(id) name=(f.col) aria-invalid=[bad.then_some("true")] aria-describedby=[described.as_deref()] {
                                    @if !f.required { (option("", "–", v)) }
                                    @for o in opts { (option(o.0, cx.t(o.1, o.2), v)) }
                                }
                            }
                            Input::Date => {
                                input id=(id) name=(f.col) type="text" inputmode="numeric" autocomplete="off" placeholder="ÅÅÅÅ-MM-DD" value=(v)
                                    aria-invalid=[bad.then_some("true")] aria-describedby=[described.as_deref()];
                            }
                            Input::Kronor | Input::Number | Input::Year => {
                                input id=(id) name=(f.col) type="text" inputmode=(if f.input == Input::Year { "numeric" } else { "decimal" }) autocomplete="off" value=(v)
                                    aria-invalid=[bad.then_some("true")] aria-describedby=[described.as_deref()];
                            }
                            _ => {
                                input id=(id) name=(f.col) type="text" value=(v) aria-invalid=[bad.then_some("true")] aria-describedby=[described.as_deref()];
                            }
                        }
                    }
                }
                div { button type="submit" { (cx.t("Spara", "Save")) } }
            }
        }))
    }
}

/// The question before a delete: what goes, and what goes with it.
pub fn delete_page(cx: &Ctx, qs: &str, hidden: Markup, row: &RowFields) -> Markup {
    let kind = row.kind.as_str();
    let (_, singular) = kind_label(cx, kind);
    let title = format!("{} {}?", cx.t("Ta bort", "Delete"), singular);
    let also = match kind {
        "goals" => Some(cx.t("Målets bedömningar tas bort med det; indikatorer som hör till målet blir kvar utan mål.", "The goal's assessments go with it; indicators of the goal stay, without a goal.")),
        "indicators" => Some(cx.t("Alla indikatorns värden tas bort med den.", "All the indicator's values go with it.")),
        "controls" => Some(cx.t("Kontrollpunktens resultat tas bort med den.", "The control point's results go with it.")),
        _ => None,
    };
    let fs = fields(kind);
    page(
        cx,
        &title,
        html! {
            dl {
                @for f in fs {
                    @let v = shown(cx, f, row.get(f.col));
                    @if !v.is_empty() { dt { (cx.t(f.sv, f.en)) } dd { (v) } }
                }
            }
            @if let Some(a) = also { p { (a) } }
            form method="post" action={"/followup/rows/" (kind) "/delete"} {
                (cx.csrf_field()) (hidden)
                input type="hidden" name="key" value=(row.key);
                button type="submit" { (cx.t("Ja, ta bort", "Yes, delete")) }
                " "
                a href={"/followup/" (section_of(kind)) "?" (qs) "#" (row_anchor(kind, &row.key))} { (cx.t("Nej, behåll", "No, keep it")) }
            }
        },
    )
}
