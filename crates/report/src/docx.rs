//! The report as a Word document (Office Open XML, transitional), written by hand: a handful
//! of small XML parts in a zip. Real heading styles (so Word's navigation pane and a screen
//! reader see the structure), real tables with a repeated header row and a caption, real
//! bullet lists, and Swedish as the document language.
//!
//! Charts are PNG images rasterised from the same SVG as the other formats (`raster`), with
//! the chart's title and figures as the image's alternative text and its caption above it. A
//! table of contents (a TOC field over the heading styles) follows the cover; Word fills in its
//! page numbers when the document is opened (`updateFields`).

use std::fmt::Write as _;
use std::io::Write as _;

use serva_domain::report::InterimReport;

use crate::chart::Chart;
use crate::document::{self, Block, Cell, Item, ParaStyle, Run, Table};
use crate::raster;
use crate::xml::escape;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const A_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const PIC_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// A4 with 2 cm side margins: the width tables are laid out in, in twentieths of a point.
const TEXT_WIDTH: u32 = 11906 - 2 * 1134;

/// A chart's image in the package: its part name and bytes.
struct Image {
    name: String,
    png: Vec<u8>,
}

pub fn docx(report: &InterimReport) -> Result<Vec<u8>, String> {
    let title = document::title(report);
    let mut images = Vec::new();
    let document = body(&document::blocks(report), &mut images)?;
    let parts: Vec<(String, Vec<u8>)> = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(&title, &report.meta.org_name)),
        ("docProps/app.xml", APP.to_string()),
        ("word/_rels/document.xml.rels", document_rels(&images)),
        ("word/document.xml", document),
        ("word/styles.xml", STYLES.to_string()),
        ("word/numbering.xml", NUMBERING.to_string()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/footer1.xml", FOOTER.to_string()),
    ]
    .into_iter()
    .map(|(n, x)| (n.to_string(), x.into_bytes()))
    .chain(
        images
            .into_iter()
            .map(|i| (format!("word/{}", i.name), i.png)),
    )
    .collect();
    // A fixed timestamp, so the same report gives the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
            .expect("writing a zip into memory cannot fail");
    }
    Ok(zip
        .finish()
        .expect("writing a zip into memory cannot fail")
        .into_inner())
}

/// The document's relationships: its fixed parts, then one per chart image (`rIdImg1`, …).
fn document_rels(images: &[Image]) -> String {
    let mut x = DOCUMENT_RELS.replace("</Relationships>", "");
    for (i, img) in images.iter().enumerate() {
        let _ = write!(
            x,
            r#"<Relationship Id="rIdImg{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{}"/>"#,
            i + 1,
            img.name
        );
    }
    x.push_str("</Relationships>");
    x
}

/// The table of contents: a TOC field over headings 1–2 with hyperlinks, its result the
/// headings themselves until Word updates it with page numbers.
fn contents(x: &mut String, blocks: &[Block]) {
    para(x, Some("TOCHeading"), &[Run::text("Innehåll")]);
    let headings: Vec<(u8, &str)> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, text, .. } => Some((*level, text.as_str())),
            _ => None,
        })
        .collect();
    let field = r#"<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-2" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>"#;
    if headings.is_empty() {
        let _ = write!(
            x,
            r#"<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{field}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#
        );
        return;
    }
    let last = headings.len() - 1;
    for (i, (level, text)) in headings.iter().enumerate() {
        let style = if *level <= 1 { "TOC1" } else { "TOC2" };
        let _ = write!(x, r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#);
        if i == 0 {
            x.push_str(field);
        }
        let _ = write!(
            x,
            r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
            escape(text)
        );
        if i == last {
            x.push_str(r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#);
        }
        x.push_str("</w:p>");
    }
}

/// A chart as an inline picture the width of the text, its caption above it (as tables have
/// theirs), its title and figures as the picture's alternative text.
fn chart(x: &mut String, c: &Chart, images: &mut Vec<Image>) -> Result<(), String> {
    let n = images.len() + 1;
    images.push(Image {
        name: format!("media/chart{n}.png"),
        png: raster::png(c, 2.0)?,
    });
    para(x, Some("Caption"), &[Run::text(&c.caption)]);
    // EMU: 635 per twentieth of a point.
    let cx = u64::from(TEXT_WIDTH) * 635;
    let cy = cx * u64::try_from(c.height.max(1)).unwrap_or(1)
        / u64::try_from(c.width.max(1)).unwrap_or(1);
    let (title, alt) = (escape(&c.title), escape(&c.alt));
    let _ = write!(
        x,
        r#"<w:p><w:pPr><w:spacing w:after="240"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="Diagram {n}" title="{title}" descr="{alt}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A_NS}" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{PIC_NS}"><pic:pic xmlns:pic="{PIC_NS}"><pic:nvPicPr><pic:cNvPr id="{n}" name="chart{n}.png" descr="{alt}"/><pic:cNvPicPr><a:picLocks noChangeAspect="1"/></pic:cNvPicPr></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    );
    Ok(())
}

fn core(title: &str, author: &str) -> String {
    format!(
        r#"{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>sv-SE</dc:language></cp:coreProperties>"#,
        escape(title),
        escape(author)
    )
}

fn body(blocks: &[Block], images: &mut Vec<Image>) -> Result<String, String> {
    let mut x = format!(
        r#"{DECL}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}"><w:body>"#
    );
    for b in blocks {
        match b {
            Block::Cover {
                kicker,
                title,
                lines,
            } => {
                para(&mut x, Some("Subtitle"), &[Run::text(kicker)]);
                para(&mut x, Some("Title"), &[Run::text(title)]);
                for l in lines {
                    para(&mut x, Some("CoverLine"), &[Run::text(l)]);
                }
                x.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
                contents(&mut x, blocks);
                x.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
            }
            Block::Heading { level, text, .. } => {
                let style = if *level <= 1 { "Heading1" } else { "Heading2" };
                para(&mut x, Some(style), &[Run::text(text)]);
            }
            Block::Para { style, runs } => {
                let style = match style {
                    ParaStyle::Body => None,
                    ParaStyle::Note | ParaStyle::Closing => Some("Note"),
                    ParaStyle::Meta => Some("Meta"),
                };
                para(&mut x, style, runs);
            }
            Block::List(items) => list(&mut x, items),
            Block::Table(t) => table(&mut x, t),
            Block::Chart(c) => chart(&mut x, c, images)?,
        }
    }
    x.push_str(r#"<w:sectPr><w:footerReference w:type="default" r:id="rId4"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1247" w:right="1134" w:bottom="1247" w:left="1134" w:header="709" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#);
    Ok(x)
}

fn runs(x: &mut String, runs: &[Run]) {
    for r in runs.iter().filter(|r| !r.text.is_empty()) {
        x.push_str("<w:r>");
        if r.bold || r.italic {
            x.push_str("<w:rPr>");
            if r.bold {
                x.push_str("<w:b/>");
            }
            if r.italic {
                x.push_str("<w:i/>");
            }
            x.push_str("</w:rPr>");
        }
        let _ = write!(
            x,
            r#"<w:t xml:space="preserve">{}</w:t></w:r>"#,
            escape(&r.text)
        );
    }
}

fn para(x: &mut String, style: Option<&str>, content: &[Run]) {
    x.push_str("<w:p>");
    if let Some(s) = style {
        let _ = write!(x, r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#);
    }
    runs(x, content);
    x.push_str("</w:p>");
}

fn list(x: &mut String, items: &[Item]) {
    let item = |x: &mut String, level: u8, content: &[Run]| {
        let _ = write!(
            x,
            r#"<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>"#
        );
        runs(x, content);
        x.push_str("</w:p>");
    };
    for i in items {
        item(x, 0, &i.runs);
        for s in &i.sub {
            item(x, 1, s);
        }
    }
}

fn table(x: &mut String, t: &Table) {
    // The caption is both a visible paragraph kept with the table and the table's own
    // alternative-text title (tblCaption), which is what Word's accessibility checker reads.
    para(x, Some("Caption"), &[Run::text(&t.caption)]);
    let total: u32 = t
        .columns
        .iter()
        .map(|c| u32::from(c.width))
        .sum::<u32>()
        .max(1);
    let widths: Vec<u32> = t
        .columns
        .iter()
        .map(|c| TEXT_WIDTH * u32::from(c.width) / total)
        .collect();
    let _ = write!(
        x,
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="ServaTable"/><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/><w:tblCaption w:val="{}"/></w:tblPr><w:tblGrid>"#,
        escape(&t.caption)
    );
    for w in &widths {
        let _ = write!(x, r#"<w:gridCol w:w="{w}"/>"#);
    }
    x.push_str("</w:tblGrid>");
    x.push_str(r#"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"#);
    for (i, h) in t.head.iter().enumerate() {
        cell(x, t, &widths, i, &Cell::from(h.as_str()), CellKind::Head);
    }
    x.push_str("</w:tr>");
    for (rows, kind) in [(&t.body, CellKind::Body), (&t.foot, CellKind::Foot)] {
        for (r, row) in rows.iter().enumerate() {
            x.push_str(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#);
            for (i, c) in row.iter().enumerate() {
                let kind = if kind == CellKind::Foot && r == 0 {
                    CellKind::FirstFoot
                } else {
                    kind
                };
                cell(x, t, &widths, i, c, kind);
            }
            x.push_str("</w:tr>");
        }
    }
    x.push_str("</w:tbl>");
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CellKind {
    Head,
    Body,
    /// The first sum row gets a rule above it.
    FirstFoot,
    Foot,
}

fn cell(x: &mut String, t: &Table, widths: &[u32], i: usize, c: &Cell, kind: CellKind) {
    let width = widths.get(i).copied().unwrap_or(0);
    let _ = write!(x, r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#);
    if kind == CellKind::FirstFoot {
        x.push_str(r#"<w:tcBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="1B1B1B"/></w:tcBorders>"#);
    }
    if let Some(tone) = c.tone {
        let _ = write!(
            x,
            r#"<w:shd w:val="clear" w:color="auto" w:fill="{}"/>"#,
            tone.fill()
        );
    }
    x.push_str(r#"</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>"#);
    if t.columns.get(i).is_some_and(|c| c.numeric) {
        x.push_str(r#"<w:jc w:val="right"/>"#);
    }
    x.push_str("</w:pPr>");
    let bold = kind != CellKind::Body;
    runs(
        x,
        &[Run {
            text: c.text.clone(),
            bold,
            italic: c.italic,
        }],
    );
    x.push_str("</w:p></w:tc>");
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Serva</Application></Properties>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:updateFields w:val="true"/><w:defaultTabStop w:val="1304"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="sv-SE"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>"#;

const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#;

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;

/// Calibri 11 pt body, Swedish; dark blue headings as in the HTML report. Built-in style
/// names ("heading 1", "caption", "List Paragraph") so Word treats them as its own.
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="sv-SE" w:eastAsia="sv-SE" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
    r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
    r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
    r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
    r#"<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/><w:pPr><w:spacing w:before="120" w:after="240"/></w:pPr><w:rPr><w:b/><w:color w:val="00457C"/><w:sz w:val="56"/><w:szCs w:val="56"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="0"/></w:pPr><w:rPr><w:color w:val="1B1B1B"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="CoverLine"><w:name w:val="Cover Line"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="480" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:color w:val="00457C"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="280" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:color w:val="1B1B1B"/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="240"/></w:pPr><w:rPr><w:b/><w:color w:val="00457C"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9628"/></w:tabs><w:spacing w:after="60"/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9628"/></w:tabs><w:spacing w:after="60"/><w:ind w:left="220"/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="35"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60"/></w:pPr><w:rPr><w:b/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/><w:qFormat/><w:pPr><w:spacing w:after="60"/><w:contextualSpacing/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="3D3D3D"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="Meta"><w:name w:val="Meta"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:i/><w:color w:val="3D3D3D"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#,
    r#"<w:style w:type="table" w:customStyle="1" w:styleId="ServaTable"><w:name w:val="Serva Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="C8C8C8"/></w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="1B1B1B"/></w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="E8EEF5"/><w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr></w:style>"#,
    r#"</w:styles>"#
);
