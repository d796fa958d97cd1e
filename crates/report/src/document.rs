//! The interim report as a flat list of blocks (headings, paragraphs, lists, tables, charts),
//! in the section order and wording of the HTML report. PDF and DOCX both render this list,
//! so the two documents cannot drift apart in content; each format only decides how a block
//! looks.

use serva_domain::format;
use serva_domain::report::{
    Check, FinanceRow, InterimReport, InvestmentRow, Narrative, OperationsRow, Severity,
};

use crate::chart;
use crate::labels::*;

/// A colour that always comes with a word: it only highlights what the cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Green,
    Yellow,
    Red,
    Grey,
}

impl Tone {
    /// A light fill behind black text (contrast stays above 4.5:1).
    pub fn fill(self) -> &'static str {
        match self {
            Tone::Green => "D5ECD6",
            Tone::Yellow => "FCEFC0",
            Tone::Red => "F7D2D2",
            Tone::Grey => "E4E4E4",
        }
    }

    fn of_assessment(a: &str) -> Tone {
        match a {
            "met" => Tone::Green,
            "partly_met" => Tone::Yellow,
            "not_met" => Tone::Red,
            _ => Tone::Grey,
        }
    }

    fn of_light(l: serva_domain::followup::TrafficLight) -> Tone {
        use serva_domain::followup::TrafficLight::*;
        match l {
            Green => Tone::Green,
            Yellow => Tone::Yellow,
            Red => Tone::Red,
            Grey => Tone::Grey,
        }
    }

    fn of_control(c: Option<serva_domain::followup::ControlResult>) -> Tone {
        use serva_domain::followup::ControlResult::*;
        match c {
            Some(Satisfactory) => Tone::Green,
            Some(PartlySatisfactory) => Tone::Yellow,
            Some(Unsatisfactory) => Tone::Red,
            None => Tone::Grey,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Run {
    pub fn text(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }
    fn bold(text: impl Into<String>) -> Run {
        Run {
            bold: true,
            ..Run::text(text)
        }
    }
    fn italic(text: impl Into<String>) -> Run {
        Run {
            italic: true,
            ..Run::text(text)
        }
    }
}

/// A list item, with items of its own one level down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub runs: Vec<Run>,
    pub sub: Vec<Vec<Run>>,
}

impl From<Vec<Run>> for Item {
    fn from(runs: Vec<Run>) -> Item {
        Item { runs, sub: vec![] }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaStyle {
    Body,
    /// Footnotes under a table, and the closing notes on signs and rounding.
    Note,
    /// Greyed description under a heading.
    Meta,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Relative width.
    pub width: u16,
    pub numeric: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub tone: Option<Tone>,
    pub italic: bool,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            tone: None,
            italic: false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// A table with one header row (repeated on every page) and its sum rows at the foot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<Column>,
    pub head: Vec<String>,
    pub body: Vec<Vec<Cell>>,
    pub foot: Vec<Vec<Cell>>,
}

/// A chart as SVG, with the alternative text that says what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub svg: String,
    pub alt: String,
    pub caption: String,
    /// The figures in words, for a format that does not draw the chart; `None` when the
    /// tables beside the chart already hold them.
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The first page: a kicker above the title, and lines below it.
    Cover {
        kicker: String,
        title: String,
        lines: Vec<String>,
    },
    /// Level 1 is a section (h2 in the HTML), level 2 a part of one (h3).
    Heading {
        level: u8,
        text: String,
    },
    Para {
        style: ParaStyle,
        runs: Vec<Run>,
    },
    List(Vec<Item>),
    Table(Table),
    Chart(Chart),
}

/// "Delårsrapport Verksamhetsstöd och service 31 augusti 2019", as the HTML's title.
pub fn title(r: &InterimReport) -> String {
    format!(
        "Delårsrapport {} {}",
        r.meta.org_name,
        long_date(&r.meta.through)
    )
}

/// The report, block by block.
pub fn blocks(r: &InterimReport) -> Vec<Block> {
    let mut d = Doc::default();
    let m = &r.meta;
    let status = if m.status == "approved" {
        let at = m
            .approved_at
            .as_deref()
            .map(|a| a.get(..10).unwrap_or(a))
            .unwrap_or("");
        let by = m
            .approved_by
            .as_deref()
            .map(|b| format!(" av {b}"))
            .unwrap_or_default();
        format!("Godkänd {at}{by}")
    } else {
        "Utkast – beräknad från aktuella data".to_string()
    };
    d.push(Block::Cover {
        kicker: "Delårsrapport".into(),
        title: m.org_name.clone(),
        lines: vec![format!("Per {}", long_date(&m.through)), status],
    });
    if !r.checks.is_empty() {
        checks(&mut d, &r.checks);
    }

    d.heading(1, "Förvaltningens uppdrag");
    d.section_text(r, "uppdrag", false);
    d.section_text(r, "bedomning", true);
    d.section_text(r, "samlad_analys", true);
    summary(&mut d, r);

    d.heading(1, "Viktiga beslut och händelser");
    for (decision, heading) in [(true, "Beslut"), (false, "Händelser")] {
        let items: Vec<Item> = r
            .events
            .iter()
            .filter(|e| e.decision == decision)
            .map(|e| event_item(&e.body))
            .collect();
        if !items.is_empty() {
            d.heading(2, heading);
            d.push(Block::List(items));
        }
    }
    operations(&mut d, r);

    d.heading(1, "Ekonomi");
    d.section_text(r, "ekonomi_analys", true);
    finance(&mut d, r);
    d.section_text(r, "ekonomi_enheter", true);
    investments(&mut d, r);
    d.section_text(r, "investeringar_analys", true);

    d.heading(1, "Uppföljning av mål och inriktning");
    for g in &r.goals {
        d.heading(2, &format!("{}; {}", area_label(&g.area), g.name));
        if !g.description.is_empty() {
            d.para(ParaStyle::Meta, vec![Run::text(&g.description)]);
        }
        d.paragraphs(&g.analysis);
        d.para(
            ParaStyle::Body,
            vec![
                Run::bold("Bedömning: "),
                Run::text(assessment_label(&g.assessment)),
            ],
        );
    }

    if !r.assignments.is_empty() {
        assignments(&mut d, r);
    }

    d.heading(1, "Uppföljning av nämndens verksamhet");
    for s in [
        "lokalforsorjning",
        "investeringsplan",
        "upphandlingsplan",
        "internkontroll",
    ] {
        d.section_text(r, s, true);
    }
    if !r.internal_control.is_empty() {
        controls(&mut d, r);
    }
    for s in ["kompetensforsorjning", "objektsplan"] {
        d.section_text(r, s, true);
    }

    if !r.indicators.is_empty() {
        indicators(&mut d, r);
    }

    d.para(ParaStyle::Note, vec![Run::text(&m.sign_convention)]);
    d.para(ParaStyle::Note, vec![Run::text(&m.rounding)]);
    d.0
}

#[derive(Default)]
struct Doc(Vec<Block>);

impl Doc {
    fn push(&mut self, b: Block) {
        self.0.push(b);
    }

    fn heading(&mut self, level: u8, text: &str) {
        self.push(Block::Heading {
            level,
            text: text.to_string(),
        });
    }

    fn para(&mut self, style: ParaStyle, runs: Vec<Run>) {
        self.push(Block::Para { style, runs });
    }

    fn table(&mut self, t: Table) {
        self.push(Block::Table(t));
    }

    /// Narrative text: paragraphs split on blank lines; lines starting with "– " are a list.
    fn paragraphs(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n");
        for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            let lines: Vec<&str> = p.lines().map(str::trim).collect();
            let is_item = |l: &&str| l.starts_with("– ");
            let item = |l: &&str| Item::from(vec![Run::text(l.trim_start_matches("– "))]);
            if lines.iter().all(is_item) {
                self.push(Block::List(lines.iter().map(item).collect()));
            } else if lines.len() > 1 && lines[1..].iter().all(is_item) {
                self.para(ParaStyle::Body, vec![Run::text(lines[0])]);
                self.push(Block::List(lines[1..].iter().map(item).collect()));
            } else {
                self.para(ParaStyle::Body, vec![Run::text(lines.join(" "))]);
            }
        }
    }

    fn section_text(&mut self, r: &InterimReport, section: &str, heading: bool) {
        let Some(t) = narrative(r, section) else {
            return;
        };
        if heading {
            self.heading(2, &t.title);
        }
        if t.status != "approved" {
            self.para(
                ParaStyle::Body,
                vec![Run::italic("Utkast – texten är inte godkänd.")],
            );
        }
        self.paragraphs(&t.body);
    }
}

fn narrative<'a>(r: &'a InterimReport, section: &str) -> Option<&'a Narrative> {
    r.narratives.iter().find(|n| n.section == section)
}

/// One event as one list item; its lines starting with "– " are items of its own.
fn event_item(body: &str) -> Item {
    let body = body.replace("\r\n", "\n");
    let (subs, text): (Vec<&str>, Vec<&str>) = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .partition(|l| l.starts_with("– "));
    Item {
        runs: vec![Run::text(text.join(" "))],
        sub: subs
            .iter()
            .map(|l| vec![Run::text(l.trim_start_matches("– "))])
            .collect(),
    }
}

fn checks(d: &mut Doc, cs: &[Check]) {
    d.heading(1, "Kontroll före godkännande");
    d.push(Block::List(
        cs.iter()
            .map(|c| {
                let prefix = match c.severity {
                    Severity::Error => "Motsägelse: ",
                    Severity::Warning => "Saknas: ",
                    Severity::Info => "Observera: ",
                };
                Item::from(vec![Run::bold(prefix), Run::text(&c.message)])
            })
            .collect(),
    ));
}

fn cols(spec: &[(u16, bool)]) -> Vec<Column> {
    spec.iter()
        .map(|&(width, numeric)| Column { width, numeric })
        .collect()
}

fn row<const N: usize>(cells: [String; N]) -> Vec<Cell> {
    cells.into_iter().map(Cell::from).collect()
}

fn summary(d: &mut Doc, r: &InterimReport) {
    let f = &r.finance;
    let t = &f.total;
    let i = &r.investments.total;
    let year = r.meta.year;
    let through_month = r
        .meta
        .through
        .get(5..7)
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(12);
    let period = |y: i32| format!("{} {y}", capitalise(month_name(through_month)));
    d.table(Table {
        caption: "Ekonomi, belopp tkr".into(),
        columns: cols(&[(3, false), (2, true), (2, true), (2, true)]),
        head: vec![
            String::new(),
            "Prognos helår".into(),
            format!("Budget {year}"),
            "Avvikelse".into(),
        ],
        body: vec![
            row([
                "Nettoresultat".into(),
                opt(t.forecast),
                opt(t.budget),
                opt(t.deviation),
            ]),
            row([
                "varav kostnader".into(),
                n(f.costs.forecast),
                n(f.costs.budget),
                n(f.costs.deviation),
            ]),
            row([
                "varav intäkter".into(),
                n(f.revenues.forecast),
                n(f.revenues.budget),
                n(f.revenues.deviation),
            ]),
            row([
                "Investeringar, netto".into(),
                n(i.forecast_net),
                n(i.frame),
                n(i.deviation),
            ]),
        ],
        foot: vec![],
    });
    d.table(Table {
        caption: "Måluppfyllelse: nämndmål".into(),
        columns: cols(&[(2, false), (4, false), (2, false)]),
        head: vec!["Målområde".into(), "Nämndmål".into(), "Bedömning".into()],
        body: r
            .goals
            .iter()
            .map(|g| {
                vec![
                    area_label(&g.area).into(),
                    g.name.clone().into(),
                    Cell {
                        text: assessment_label(&g.assessment).into(),
                        tone: Some(Tone::of_assessment(&g.assessment)),
                        italic: false,
                    },
                ]
            })
            .collect(),
        foot: vec![],
    });
    if let Some(kl) = r.operations.iter().find(|o| o.code == "KL") {
        d.table(Table {
            caption: "Basuppdrag".into(),
            columns: cols(&[(3, false), (2, true), (2, true), (2, true)]),
            head: vec![
                String::new(),
                format!("Prognos {year}"),
                period(year),
                period(year - 1),
            ],
            body: vec![row([
                format!("Ärenden {}", kl.name),
                opt(kl.cases_forecast_year),
                n(kl.cases),
                if kl.cases_prev_year > 0 {
                    n(kl.cases_prev_year)
                } else {
                    "–".into()
                },
            ])],
            foot: vec![],
        });
    }
    if !r.staff.is_empty() {
        let p_now = format!("{year}-{through_month:02}");
        let p_prev = format!("{}-{through_month:02}", year - 1);
        let total = |metric: &str| {
            r.staff
                .iter()
                .find(|s| s.metric == metric && s.gender == "T")
        };
        let value = |metric: &str, p: &str| {
            total(metric)
                .and_then(|s| s.values.get(p).copied())
                .map_or("–".into(), dec)
        };
        d.table(Table {
            caption: "Personal".into(),
            columns: cols(&[(4, false), (2, true), (2, true), (2, true)]),
            head: vec![
                String::new(),
                period(year),
                period(year - 1),
                "Målvärde helår".into(),
            ],
            body: ["employees", "sick_leave", "external_turnover"]
                .iter()
                .map(|metric| {
                    row([
                        metric_label(metric).into(),
                        value(metric, &p_now),
                        value(metric, &p_prev),
                        total(metric).and_then(|s| s.target).map_or("–".into(), dec),
                    ])
                })
                .collect(),
            foot: vec![],
        });
    }
}

fn operations(d: &mut Doc, r: &InterimReport) {
    if r.operations.is_empty() {
        return;
    }
    d.heading(2, "Verksamhetsstatistik, beräknad ur ärenden och samtal");
    d.table(Table {
        caption: format!(
            "Ärenden och service per verksamhet, 1 januari–{}",
            long_date(&r.meta.through)
        ),
        columns: cols(&[
            (5, false),
            (3, true),
            (3, true),
            (3, true),
            (4, true),
            (3, true),
            (3, true),
            (3, true),
        ]),
        head: [
            "Verksamhet",
            "Ärenden",
            "Per vecka",
            "Löst vid första kontakt",
            "Svarsservice",
            "Kundnöjdhet (0–100)",
            "Nöjda kunder",
            "Svarsfrekvens enkät",
        ]
        .map(String::from)
        .to_vec(),
        body: r
            .operations
            .iter()
            .map(|o| {
                let service = match o.service_level_target {
                    Some(t) => format!("{} (mål {})", pct(o.service_level), format::percent(t, 0)),
                    None => pct(o.service_level),
                };
                row([
                    o.name.clone(),
                    n(o.cases),
                    o.cases_per_week.map_or("–".into(), |v| n(v.round() as i64)),
                    pct(o.first_contact_resolution),
                    service,
                    o.satisfaction.map_or("–".into(), |v| n(v.round() as i64)),
                    pct(o.satisfied_share),
                    pct(o.survey_response_rate),
                ])
            })
            .collect(),
        foot: vec![],
    });
    for o in r
        .operations
        .iter()
        .filter(|o| o.code == "KL" || o.code == "HRD")
    {
        if let Some(c) = chart::channels(o) {
            d.push(Block::Chart(c));
        }
        target_groups(d, o);
        if o.service_level.is_some() {
            if let Some(c) = chart::service_level(o) {
                d.push(Block::Chart(c));
            }
        }
    }
}

fn target_groups(d: &mut Doc, o: &OperationsRow) {
    if !o.target_groups.keys().any(|k| k != "citizen") {
        return;
    }
    let groups = o
        .target_groups
        .iter()
        .filter(|(_, v)| **v > 0.0)
        .map(|(k, v)| {
            format!(
                "{} {}",
                format::percent(*v, 0),
                group_label(k).to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    d.para(
        ParaStyle::Body,
        vec![Run::text(format!("{} används av: {groups}.", o.name))],
    );
}

fn finance_cells(name: String, row: &FinanceRow) -> Vec<Cell> {
    self::row([
        name,
        opt(row.forecast),
        opt(row.budget),
        opt(row.deviation),
        n(row.actual_prev_year),
    ])
}

fn finance(d: &mut Doc, r: &InterimReport) {
    let f = &r.finance;
    let year = r.meta.year;
    let prev_through = r
        .meta
        .through
        .replacen(&year.to_string(), &(year - 1).to_string(), 1);
    let outcome = |name: String, u: &FinanceRow| {
        row([name, n(u.outcome_ytd), n(u.outcome_ytd_prev), n(u.change)])
    };
    let mut body: Vec<Vec<Cell>> = f
        .units
        .iter()
        .map(|u| {
            let mark = if u.predecessors.is_empty() { "" } else { "*" };
            outcome(format!("{}{mark}", u.name), u)
        })
        .collect();
    if let Some(u) = &f.unallocated {
        if u.outcome_ytd != 0 || u.outcome_ytd_prev != 0 {
            body.push(outcome(u.name.clone(), u));
        }
    }
    d.table(Table {
        caption: format!(
            "Resultat {}, driftsammandrag netto tkr",
            long_date(&r.meta.through)
        ),
        columns: cols(&[(4, false), (2, true), (2, true), (2, true)]),
        head: vec![
            "Verksamhet".into(),
            format!("Redovisning {}", short_date(&r.meta.through)),
            format!("Redovisning {}", short_date(&prev_through)),
            "Förändring".into(),
        ],
        body,
        foot: vec![outcome("Summa".into(), &f.total)],
    });
    if let Some(c) = chart::results(r) {
        d.push(Block::Chart(c));
    }

    let mut body: Vec<Vec<Cell>> = f
        .units
        .iter()
        .map(|u| {
            let mark = if u.note.is_some() { "**" } else { "" };
            finance_cells(format!("{}{mark}", u.name), u)
        })
        .collect();
    if let Some(u) = &f.unallocated {
        body.push(finance_cells(u.name.clone(), u));
    }
    let flow = |name: &str, x: &serva_domain::report::FlowRow| {
        row([
            name.to_string(),
            n(x.forecast),
            n(x.budget),
            n(x.deviation),
            n(x.actual_prev_year),
        ])
    };
    d.table(Table {
        caption: format!("Prognos resultat {year}, driftsammandrag netto tkr"),
        columns: cols(&[(4, false), (2, true), (2, true), (2, true), (2, true)]),
        head: vec![
            "Verksamhet".into(),
            "Prognos helår".into(),
            format!("Budget {year}"),
            "Avvikelse".into(),
            format!("Bokslut {}", year - 1),
        ],
        body,
        foot: vec![
            finance_cells("Summa nettoresultat, tkr".into(), &f.total),
            flow("varav kostnader", &f.costs),
            flow("varav intäkter", &f.revenues),
        ],
    });
    for u in f.units.iter().filter(|u| !u.predecessors.is_empty()) {
        d.para(
            ParaStyle::Note,
            vec![Run::text(format!(
                "* Raden {} omfattar även {}, som ingår i {}.",
                u.name,
                u.predecessors.join(", "),
                u.name
            ))],
        );
    }
    for note in f.units.iter().filter_map(|u| u.note.as_deref()) {
        d.para(ParaStyle::Note, vec![Run::text(format!("** {note}"))]);
    }
}

fn investments(d: &mut Doc, r: &InterimReport) {
    let inv = &r.investments;
    if inv.projects.is_empty() {
        return;
    }
    let through = short_date(&r.meta.through);
    let cells = |name: String, i: &InvestmentRow| {
        row([
            name,
            n(i.spent),
            n(i.income),
            n(i.forecast_spent),
            n(i.forecast_income),
            n(i.forecast_net),
            n(i.frame),
            n(i.deviation),
        ])
    };
    d.table(Table {
        caption: "Investeringar, belopp tkr".into(),
        columns: cols(&[
            (5, false),
            (3, true),
            (3, true),
            (3, true),
            (3, true),
            (3, true),
            (3, true),
            (3, true),
        ]),
        head: vec![
            "Projekt".into(),
            format!("Utgifter {through}"),
            format!("Inkomster {through}"),
            "Prognos utgifter".into(),
            "Prognos inkomster".into(),
            "Prognos netto".into(),
            "Investeringsram".into(),
            "Avvikelse".into(),
        ],
        body: inv
            .projects
            .iter()
            .map(|p| cells(format!("{}: {}", p.unit, p.project), p))
            .collect(),
        foot: vec![cells("Summa investeringar".into(), &inv.total)],
    });
}

fn assignments(d: &mut Doc, r: &InterimReport) {
    d.heading(1, "Strategiska utvecklingsuppdrag");
    d.section_text(r, "strategiska_uppdrag_intro", false);
    for common in [true, false] {
        let body: Vec<Vec<Cell>> = r
            .assignments
            .iter()
            .filter(|a| a.common == common)
            .map(|a| {
                row([
                    a.text.clone(),
                    assignment_status(a.status).into(),
                    a.comment.clone(),
                ])
            })
            .collect();
        if body.is_empty() {
            continue;
        }
        d.table(Table {
            caption: if common {
                "Kommungemensamma strategiska utvecklingsuppdrag"
            } else {
                "Tillkommande strategiska utvecklingsuppdrag"
            }
            .into(),
            columns: cols(&[(4, false), (2, false), (4, false)]),
            head: vec!["Uppdrag".into(), "Status".into(), "Kommentar".into()],
            body,
            foot: vec![],
        });
    }
}

fn controls(d: &mut Doc, r: &InterimReport) {
    d.table(Table {
        caption: "Internkontrollplan: resultat".into(),
        columns: cols(&[(2, false), (4, false), (3, false), (6, false), (2, false)]),
        head: [
            "Verksamhet",
            "Kontrollmoment",
            "Resultat",
            "Iakttagelser och åtgärder",
            "Kvarstår",
        ]
        .map(String::from)
        .to_vec(),
        body: r
            .internal_control
            .iter()
            .map(|c| {
                let found = if c.actions.is_empty() {
                    c.findings.clone()
                } else {
                    format!("{} {}", c.findings, c.actions).trim().to_string()
                };
                vec![
                    c.unit.clone().into(),
                    format!("{} ({}, {})", c.name, c.frequency, c.owner).into(),
                    Cell {
                        text: control_result(c.result).into(),
                        tone: Some(Tone::of_control(c.result)),
                        italic: false,
                    },
                    found.into(),
                    (if c.carries_over { "Ja" } else { "Nej" }).into(),
                ]
            })
            .collect(),
        foot: vec![],
    });
}

fn indicators(d: &mut Doc, r: &InterimReport) {
    use serva_domain::followup::TrafficLight;
    let mut periods: Vec<&String> = r.indicators.iter().flat_map(|i| i.values.keys()).collect();
    periods.sort();
    periods.dedup();
    let label = |p: &str| match (p.get(..4), p.get(5..7)) {
        (Some(y), Some(m)) if p.len() == 7 => {
            let month = month_name(m.parse().unwrap_or(1));
            format!("{} {y}", capitalise(month.get(..3).unwrap_or(month)))
        }
        _ => p.to_string(),
    };
    d.heading(1, "Bilaga: Uppföljning av nämndindikatorer");
    d.section_text(r, "indikatorer_intro", false);
    d.push(Block::List(
        [
            TrafficLight::Green,
            TrafficLight::Yellow,
            TrafficLight::Red,
            TrafficLight::Grey,
        ]
        .iter()
        .map(|l| Item::from(vec![Run::text(light_label(*l))]))
        .collect(),
    ));
    // Period columns wide enough for "Aug 2019", the target for "Målvärde".
    let mut columns = cols(&[(8, false), (10, false)]);
    columns.extend(cols(&[(5, true)]).into_iter().cycle().take(periods.len()));
    columns.extend(cols(&[(6, true), (8, false)]));
    let mut head = vec!["Nämndmål".to_string(), "Indikator".to_string()];
    head.extend(periods.iter().map(|p| label(p)));
    head.extend(["Målvärde".to_string(), "Bedömning".to_string()]);
    let mut any_hidden = false;
    let body = r
        .indicators
        .iter()
        .map(|i| {
            let total = i.gender == "T";
            let mut cells: Vec<Cell> = vec![
                if total {
                    i.goal.clone().unwrap_or_default().into()
                } else {
                    "".into()
                },
                if total {
                    format!("{} ({})", i.name, i.measure).into()
                } else {
                    Cell {
                        text: gender_label(&i.gender).into(),
                        tone: None,
                        italic: true,
                    }
                },
            ];
            for p in &periods {
                cells.push(
                    match i.values.get(*p) {
                        Some(Some(v)) => dec(*v),
                        Some(None) if i.suppressed.contains(p) => {
                            any_hidden = true;
                            "*".into()
                        }
                        _ => "–".into(),
                    }
                    .into(),
                );
            }
            cells.push(i.target.map_or("–".into(), dec).into());
            cells.push(Cell {
                text: light_label(i.status).into(),
                tone: Some(Tone::of_light(i.status)),
                italic: false,
            });
            cells
        })
        .collect();
    d.table(Table {
        caption: "Nämndindikatorer, könsuppdelade där det är möjligt".into(),
        columns,
        head,
        body,
        foot: vec![],
    });
    if any_hidden {
        d.para(ParaStyle::Note, vec![Run::text("* Dolt: för liten grupp.")]);
    }
}
