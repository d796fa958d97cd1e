//! The interim report as a flat list of blocks (headings, paragraphs, lists, tables, charts),
//! in the report's section order and wording. HTML, PDF and DOCX all render this list, so the
//! formats cannot drift apart in content; each format only decides how a block looks.
//!
//! One module per part of the report: [`summary`] (the overview tables of the first section),
//! [`operations`], [`finance`] (and investments), [`followup`] (goals, assignments, internal
//! control) and [`indicators`].

mod finance;
mod followup;
mod handoffs;
mod indicators;
mod operations;
mod summary;
mod unit_results;

use serva_domain::followup::{Assessment, ControlResult, TrafficLight};
use serva_domain::report::{Check, InterimReport, Narrative, Severity};

use crate::chart::Chart;
use crate::labels::long_date;

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

    /// The HTML class of the tone (see `report.css`).
    pub fn class(self) -> &'static str {
        match self {
            Tone::Green => "green",
            Tone::Yellow => "yellow",
            Tone::Red => "red",
            Tone::Grey => "grey",
        }
    }

    fn of_assessment(a: Assessment) -> Tone {
        match a {
            Assessment::Met => Tone::Green,
            Assessment::PartlyMet => Tone::Yellow,
            Assessment::NotMet => Tone::Red,
            Assessment::NotAssessed => Tone::Grey,
        }
    }

    fn of_light(l: TrafficLight) -> Tone {
        match l {
            TrafficLight::Green => Tone::Green,
            TrafficLight::Yellow => Tone::Yellow,
            TrafficLight::Red => Tone::Red,
            TrafficLight::Grey => Tone::Grey,
        }
    }

    fn of_control(c: Option<ControlResult>) -> Tone {
        match c {
            Some(ControlResult::Satisfactory) => Tone::Green,
            Some(ControlResult::PartlySatisfactory) => Tone::Yellow,
            Some(ControlResult::Unsatisfactory) => Tone::Red,
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
    /// The colour the item stands for (a legend); a format that shows colours shows it.
    pub tone: Option<Tone>,
}

impl From<Vec<Run>> for Item {
    fn from(runs: Vec<Run>) -> Item {
        Item {
            runs,
            sub: vec![],
            tone: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaStyle {
    Body,
    /// Footnotes under a table.
    Note,
    /// Greyed description under a heading.
    Meta,
    /// The closing notes on signs and rounding, after every section.
    Closing,
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
    /// In the header column: a row under the one before (a gender under its total).
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
    /// Column headings; an empty one heads a column of row names ("Mått").
    pub head: Vec<String>,
    /// The column whose cells name their rows (row headers), if any.
    pub header_column: Option<usize>,
    pub body: Vec<Vec<Cell>>,
    pub foot: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The first page: a kicker above the title, and lines below it.
    Cover {
        kicker: String,
        title: String,
        lines: Vec<String>,
    },
    /// Level 1 starts a section (h2 in the HTML, named by `id`), level 2 a part of one (h3).
    Heading {
        level: u8,
        text: String,
        id: Option<&'static str>,
    },
    Para {
        style: ParaStyle,
        runs: Vec<Run>,
    },
    List(Vec<Item>),
    Table(Table),
    Chart(Chart),
}

/// "Delårsrapport Verksamhetsstöd och service 31 augusti 2019": the document's title.
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
    let status = if r.is_approved() {
        let at = m
            .approved_at
            .as_deref()
            .map(serva_domain::time::local_date_of_iso)
            .unwrap_or_default();
        let by = m
            .approved_by
            .as_deref()
            .map(|b| format!(" av {b}"))
            .unwrap_or_default();
        format!("Fastställd {at}{by}")
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

    d.section("s-uppdrag", "Förvaltningens uppdrag");
    d.section_text(r, "uppdrag", false);
    d.section_text(r, "bedomning", true);
    d.section_text(r, "samlad_analys", true);
    summary::summary(&mut d, r);

    d.section("s-handelser", "Viktiga beslut och händelser");
    for (decision, heading) in [(true, "Beslut"), (false, "Händelser")] {
        let items: Vec<Item> = r
            .events
            .iter()
            .filter(|e| e.decision == decision)
            .map(|e| event_item(&e.body))
            .collect();
        if !items.is_empty() {
            d.heading(heading);
            d.push(Block::List(items));
        }
    }
    operations::operations(&mut d, r);
    handoffs::handoffs(&mut d, r);

    d.section("s-ekonomi", "Ekonomi");
    d.section_text(r, "ekonomi_analys", true);
    finance::finance(&mut d, r);
    d.section_text(r, "ekonomi_enheter", true);
    finance::investments(&mut d, r);
    d.section_text(r, "investeringar_analys", true);
    unit_results::unit_results(&mut d, r);

    followup::goals(&mut d, r);
    if !r.assignments.is_empty() {
        followup::assignments(&mut d, r);
    }

    d.section("s-namnd", "Uppföljning av nämndens verksamhet");
    for s in [
        "lokalforsorjning",
        "investeringsplan",
        "upphandlingsplan",
        "internkontroll",
    ] {
        d.section_text(r, s, true);
    }
    if !r.internal_control.is_empty() {
        followup::controls(&mut d, r);
    }
    for s in ["kompetensforsorjning", "objektsplan"] {
        d.section_text(r, s, true);
    }

    if !r.indicators.is_empty() {
        indicators::indicators(&mut d, r);
    }

    d.para(ParaStyle::Closing, vec![Run::text(&m.sign_convention)]);
    d.para(ParaStyle::Closing, vec![Run::text(&m.rounding)]);
    d.0
}

#[derive(Default)]
struct Doc(Vec<Block>);

impl Doc {
    fn push(&mut self, b: Block) {
        self.0.push(b);
    }

    /// A section's heading.
    fn section(&mut self, id: &'static str, text: &str) {
        self.push(Block::Heading {
            level: 1,
            text: text.to_string(),
            id: Some(id),
        });
    }

    /// A heading inside a section.
    fn heading(&mut self, text: &str) {
        self.push(Block::Heading {
            level: 2,
            text: text.to_string(),
            id: None,
        });
    }

    fn para(&mut self, style: ParaStyle, runs: Vec<Run>) {
        self.push(Block::Para { style, runs });
    }

    fn table(&mut self, t: Table) {
        self.push(Block::Table(t));
    }

    fn chart(&mut self, c: Option<Chart>) {
        if let Some(c) = c {
            self.push(Block::Chart(c));
        }
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
            self.heading(&t.title);
        }
        if t.status != serva_domain::followup::NarrativeStatus::Approved {
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
        tone: None,
    }
}

fn checks(d: &mut Doc, cs: &[Check]) {
    d.section("s-kontroll", "Kontroll före godkännande");
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
