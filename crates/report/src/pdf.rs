//! The report as a tagged PDF, typeset by typst used as a library.
//!
//! The report's blocks become one typst source in which every piece of text is a typst
//! string literal (so nothing a user wrote can be read as markup), compiled in a world that
//! has that one file, the fonts bundled in the binary and a fixed date: no file system, no
//! network, no packages, and the same report always gives the same bytes. Export asks for
//! PDF/UA-1, so typst refuses to write a PDF that breaks its accessibility rules (a chart
//! without alternative text, a document without title or language).

use std::fmt::Write as _;
use std::sync::LazyLock;

use serva_domain::report::InterimReport;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::document::{self, Block, Cell, Item, ParaStyle, Run, Table};

pub fn pdf(report: &InterimReport) -> Result<Vec<u8>, String> {
    let world = ReportWorld::new(markup(report), &report.meta.through);
    let doc = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| world.describe(&errors))?;
    let options = PdfOptions {
        // A stable document identifier: the same report is the same document.
        ident: Smart::Custom(format!(
            "serva-interim-{}-{}",
            report.meta.org, report.meta.through
        )),
        creator: Smart::Custom(Some("Serva".into())),
        standards: PdfStandards::new(&[PdfStandard::Ua_1])
            .map_err(|e| format!("PDF standards: {}", e.message()))?,
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|errors| world.describe(&errors))
}

// ---- the typst source ----

/// A typst string literal: the only way text enters the source, so `#`, `*`, `[`, `$`, `@`,
/// `//` and the like stay text.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs as one typst content expression.
fn content(runs: &[Run]) -> String {
    let run = |r: &Run| {
        let mut e = lit(&r.text);
        if r.italic {
            e = format!("emph({e})");
        }
        if r.bold {
            e = format!("strong({e})");
        }
        e
    };
    match runs {
        [] => "[]".to_string(),
        [one] => run(one),
        many => many.iter().map(run).collect::<Vec<_>>().join(" + "),
    }
}

const PREAMBLE: &str = r##"#set page(paper: "a4", margin: (x: 2cm, top: 2.4cm, bottom: 2.4cm))
#set text(lang: "sv", region: "SE", font: "Libertinus Serif", size: 10.5pt)
#set par(leading: 0.6em, spacing: 0.95em)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 16pt, fill: rgb("#00457c"))
#show heading.where(level: 1): set block(above: 1.8em, below: 0.9em)
#show heading.where(level: 2): set text(size: 12.5pt)
#show heading.where(level: 2): set block(above: 1.4em, below: 0.7em)
#set figure(numbering: none, gap: 0.6em)
#show figure: set align(left)
#show figure: set block(above: 1.5em, below: 1.5em)
#show figure.caption: set align(left)
#show figure.where(kind: table): set block(breakable: true)
#show figure.caption: set text(size: 9pt)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.caption.where(position: top): set text(size: 9.5pt, weight: "bold")
#show figure.caption.where(position: top): set block(sticky: true)
#set table(
  inset: (x: 4pt, y: 3.5pt),
  stroke: (x, y) => if y == 0 { (bottom: 0.8pt + luma(30)) } else { (bottom: 0.4pt + luma(190)) },
  fill: (x, y) => if y == 0 { rgb("#e8eef5") },
)
#show table: set text(size: 8.5pt, number-width: "tabular")
#show table: set par(justify: false)
#show table: set text(hyphenate: true)
#show table.cell.where(y: 0): set text(weight: "bold")
#set list(indent: 0.4em)
"##;

fn markup(r: &InterimReport) -> String {
    let doc_title = document::title(r);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "#set document(title: {}, author: ({},))",
        lit(&doc_title),
        lit(&r.meta.org_name)
    );
    t.push_str(PREAMBLE);
    let mut numbered = false;
    for b in document::blocks(r) {
        match &b {
            Block::Cover {
                kicker,
                title,
                lines,
            } => {
                let _ = writeln!(t, "#v(4cm)\n#par(text(size: 16pt, {}))", lit(kicker));
                let _ = writeln!(
                    t,
                    "#title(text(size: 28pt, fill: rgb(\"#00457c\"), {}))",
                    lit(title)
                );
                for l in lines {
                    let _ = writeln!(t, "#par(text(size: 13pt, {}))", lit(l));
                }
                t.push_str("#v(2cm)\n#outline(title: \"Innehåll\", depth: 1)\n");
            }
            _ if !numbered => {
                // A new page: from here on with page numbers and a running header, both of
                // which typst marks as artifacts.
                numbered = true;
                let _ = writeln!(
                    t,
                    "#set page(numbering: \"1\", header: align(right, text(size: 8pt, fill: luma(80), {})))",
                    lit(&doc_title)
                );
                block(&mut t, &b);
            }
            _ => block(&mut t, &b),
        }
    }
    t
}

fn block(t: &mut String, b: &Block) {
    match b {
        Block::Cover { .. } => {}
        Block::Heading { level, text, .. } => {
            let _ = writeln!(t, "#heading(level: {level}, {})\n", lit(text));
        }
        Block::Para { style, runs } => {
            let body = content(runs);
            let _ = match style {
                ParaStyle::Body => writeln!(t, "#par({body})\n"),
                ParaStyle::Note | ParaStyle::Closing => {
                    writeln!(t, "#par(text(size: 8.5pt, fill: luma(50), {body}))\n")
                }
                ParaStyle::Meta => writeln!(t, "#par(emph(text(fill: luma(50), {body})))\n"),
            };
        }
        Block::List(items) => list(t, items),
        Block::Table(table) => self::table(t, table),
        Block::Chart(c) => {
            let _ = writeln!(
                t,
                "#figure(image(bytes({}), format: \"svg\", width: 100%, alt: {}), caption: {})\n",
                lit(&c.svg()),
                lit(&c.alt),
                lit(&c.caption)
            );
        }
    }
}

fn list(t: &mut String, items: &[Item]) {
    t.push_str("#list(\n");
    for i in items {
        if i.sub.is_empty() {
            let _ = writeln!(t, "  {},", content(&i.runs));
        } else {
            let subs: Vec<String> = i.sub.iter().map(|s| content(s)).collect();
            let _ = writeln!(t, "  {} + list({}),", content(&i.runs), subs.join(", "));
        }
    }
    t.push_str(")\n\n");
}

fn cell(c: &Cell, bold: bool) -> String {
    let mut e = content(&[Run {
        text: c.text.clone(),
        bold,
        italic: c.italic,
    }]);
    if let Some(tone) = c.tone {
        e = format!("table.cell(fill: rgb(\"#{}\"), {e})", tone.fill());
    }
    e
}

fn table(t: &mut String, table: &Table) {
    let widths: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{}fr", c.width))
        .collect();
    let aligns: Vec<&str> = table
        .columns
        .iter()
        .map(|c| if c.numeric { "right" } else { "left" })
        .collect();
    let _ = writeln!(
        t,
        "#figure(caption: {}, table(\n  columns: ({},),\n  align: ({},),",
        lit(&table.caption),
        widths.join(", "),
        aligns.join(", ")
    );
    let head: Vec<String> = table.head.iter().map(|h| lit(h)).collect();
    let _ = writeln!(t, "  table.header(repeat: true, {}),", head.join(", "));
    for row in &table.body {
        let cells: Vec<String> = row.iter().map(|c| cell(c, false)).collect();
        let _ = writeln!(t, "  {},", cells.join(", "));
    }
    if !table.foot.is_empty() {
        t.push_str("  table.hline(stroke: 0.8pt + luma(30)),\n  table.footer(repeat: false,\n");
        for row in &table.foot {
            let cells: Vec<String> = row.iter().map(|c| cell(c, true)).collect();
            let _ = writeln!(t, "    {},", cells.join(", "));
        }
        t.push_str("  ),\n");
    }
    t.push_str("))\n\n");
}

// ---- the world ----

/// The bundled fonts, parsed once per process.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// One source file, the bundled fonts and a fixed date: nothing else exists.
struct ReportWorld {
    main: Source,
    today: Option<Datetime>,
}

impl ReportWorld {
    fn new(markup: String, through: &str) -> ReportWorld {
        ReportWorld {
            main: Source::detached(markup),
            today: date(through),
        }
    }

    /// Errors as text, each with the line of the generated source it points at.
    fn describe(&self, errors: &[SourceDiagnostic]) -> String {
        errors
            .iter()
            .map(|e| {
                let line = self
                    .range(e.span)
                    .and_then(|r| self.main.text().get(..r.start))
                    .map(|before| before.lines().count())
                    .map(|l| format!(" (line {l} of the generated source)"))
                    .unwrap_or_default();
                let hints: String = e.hints.iter().map(|h| format!("; hint: {}", h.v)).collect();
                format!("{}{line}{hints}", e.message)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// "2019-08-31" as a typst date.
fn date(iso: &str) -> Option<Datetime> {
    let mut parts = iso.splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.get(..2)?.parse().ok()?;
    Datetime::from_ymd(y, m, d)
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(lit(r#"a "b" \ #c"#), r#""a \"b\" \\ #c""#);
        assert_eq!(lit("x\u{7}y\n"), r#""x\u{7}y\n""#);
    }
}
