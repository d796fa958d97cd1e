//! The report as HTML: a self-contained document (Swedish) to download, and its content for
//! the report page inside Serva. Both render the same blocks as the PDF and the DOCX.
//!
//! Accessibility: the document has a language and a title; each section is a `<section>`
//! labelled by its heading; tables have a caption, column headers (`scope="col"`) and, where a
//! column names the rows, row headers (`scope="row"`); a column of row names without a heading
//! gets one for screen readers; charts are inline SVG images (`role="img"`) labelled by a
//! `<title>` and described by a `<desc>` carrying their figures, in a figure with a caption;
//! colours always come with words.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use serva_domain::report::InterimReport;

use crate::document::{self, Block, Cell, Item, ParaStyle, Run, Table};

/// The report's stylesheet. Every rule is scoped to `.report`, so the report can sit inside
/// Serva's pages (served as `/static/report.css`).
pub const CSS: &str = include_str!("report.css");

/// What a column of row names without a heading is called for screen readers.
const ROW_NAMES: &str = "Mått";

/// The whole report as a document of its own.
pub fn document(r: &InterimReport) -> String {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (document::title(r)) }
                style { (PreEscaped(CSS)) }
            }
            body.report-doc {
                main.report { (content(r)) }
            }
        }
    }
    .into_string()
}

/// The report's content, for a page that supplies the document around it (inside an element
/// of class `report`, with `lang="sv"`).
pub fn body(r: &InterimReport) -> String {
    content(r).into_string()
}

/// The blocks of a section: from one level-1 heading to the next.
struct Section<'a> {
    id: String,
    title: &'a str,
    blocks: Vec<&'a Block>,
}

fn content(r: &InterimReport) -> Markup {
    let blocks = document::blocks(r);
    let mut before: Vec<&Block> = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut closing: Vec<&Block> = Vec::new();
    for b in &blocks {
        match b {
            Block::Heading { level: 1, text, id } => sections.push(Section {
                id: id.map_or_else(|| format!("s-{}", sections.len() + 1), str::to_string),
                title: text,
                blocks: vec![],
            }),
            Block::Para {
                style: ParaStyle::Closing,
                ..
            } => closing.push(b),
            _ => match sections.last_mut() {
                Some(s) => s.blocks.push(b),
                None => before.push(b),
            },
        }
    }
    html! {
        @for b in before { (block(b)) }
        @for s in &sections {
            section aria-labelledby=(s.id) {
                h2 id=(s.id) { (s.title) }
                @for b in &s.blocks { (block(b)) }
            }
        }
        @if !closing.is_empty() {
            footer { @for b in closing { (block(b)) } }
        }
    }
}

fn block(b: &Block) -> Markup {
    match b {
        Block::Cover {
            kicker,
            title,
            lines,
        } => html! {
            header {
                p.kicker { (kicker) }
                h1 { (title) }
                @for l in lines { p { (l) } }
            }
        },
        Block::Heading { level, text, .. } => html! {
            @if *level <= 1 { h2 { (text) } } @else { h3 { (text) } }
        },
        Block::Para { style, runs: rs } => match style {
            ParaStyle::Body | ParaStyle::Closing => html! { p { (runs(rs)) } },
            ParaStyle::Note => html! { p.note { (runs(rs)) } },
            ParaStyle::Meta => html! { p.meta { (runs(rs)) } },
        },
        Block::List(items) => list(items),
        Block::Table(t) => table(t),
        Block::Chart(c) => html! {
            figure {
                (PreEscaped(c.inline_svg()))
                figcaption { (c.caption) }
            }
        },
    }
}

fn runs(rs: &[Run]) -> Markup {
    html! {
        @for r in rs {
            @if r.bold && r.italic { strong { em { (r.text) } } }
            @else if r.bold { strong { (r.text) } }
            @else if r.italic { em { (r.text) } }
            @else { (r.text) }
        }
    }
}

/// A list; a legend (every item a colour) shows each colour as a badge with its meaning.
fn list(items: &[Item]) -> Markup {
    let legend = !items.is_empty() && items.iter().all(|i| i.tone.is_some());
    html! {
        ul class=[legend.then_some("legend")] {
            @for i in items {
                li {
                    @if let Some(t) = i.tone {
                        span class={"badge " (t.class())} { (runs(&i.runs)) }
                    } @else {
                        (runs(&i.runs))
                    }
                    @if !i.sub.is_empty() {
                        ul { @for s in &i.sub { li { (runs(s)) } } }
                    }
                }
            }
        }
    }
}

fn table(t: &Table) -> Markup {
    let numeric = |i: usize| t.columns.get(i).is_some_and(|c| c.numeric).then_some("num");
    // A wide table scrolls inside its own region, so the page reflows on a narrow screen; the
    // region is named by the caption and reachable by keyboard.
    html! {
        div.table-scroll role="region" aria-label=(t.caption) tabindex="0" {
        table {
            caption { (t.caption) }
            thead { tr {
                @for (i, h) in t.head.iter().enumerate() {
                    th scope="col" class=[numeric(i)] {
                        @if h.is_empty() { span.visually-hidden { (ROW_NAMES) } } @else { (h) }
                    }
                }
            } }
            tbody { @for r in &t.body { (row(t, r)) } }
            @if !t.foot.is_empty() {
                tfoot { @for r in &t.foot { (row(t, r)) } }
            }
        }
        }
    }
}

fn row(t: &Table, cells: &[Cell]) -> Markup {
    let numeric = |i: usize| t.columns.get(i).is_some_and(|c| c.numeric).then_some("num");
    // An italic row name is a row under the one before it (women and men under the total).
    let sub = t
        .header_column
        .and_then(|c| cells.get(c))
        .is_some_and(|c| c.italic);
    html! {
        tr class=[sub.then_some("sub")] {
            @for (i, c) in cells.iter().enumerate() {
                @if t.header_column == Some(i) {
                    th scope="row" class=[numeric(i)] { (cell(c)) }
                } @else {
                    td class=[numeric(i)] { (cell(c)) }
                }
            }
        }
    }
}

fn cell(c: &Cell) -> Markup {
    html! {
        @if let Some(t) = c.tone {
            span class={"badge " (t.class())} { (c.text) }
        } @else {
            (c.text)
        }
    }
}
