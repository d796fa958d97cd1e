//! The interim report as documents: HTML, PDF and DOCX, and the JSON of the model itself.
//!
//! This crate owns every rendering of the report and the heavy dependencies of the printable
//! formats (typst for typesetting, zip for Office Open XML), so no other crate compiles them.
//! All formats render the [`serva_domain::report::InterimReport`] model alone, through one
//! list of blocks (the `document` module) and one set of charts (the `chart` module); an
//! approved report, stored as that model, renders the same documents forever.
//!
//! Accessibility is part of the format, not an extra: the HTML has landmarks, table headers
//! and captions, and charts as described SVG images; the PDF is tagged and exported as
//! PDF/UA-1 (headings, tables with header rows, charts with alternative text, Swedish as the
//! language); the DOCX uses Word's own heading styles, table header rows and captions.

mod chart;
mod document;
mod docx;
pub mod html;
use serva_domain::report_text as labels;
pub mod billing_sheet;
pub mod case_sheet;
mod pdf;
pub mod price_sheet;
mod raster;
pub mod sheet;
mod xml;

use serva_domain::report::InterimReport;

/// A format the interim report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Html,
    Pdf,
    Docx,
}

impl ReportFormat {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "json" => Ok(ReportFormat::Json),
            "html" => Ok(ReportFormat::Html),
            "pdf" => Ok(ReportFormat::Pdf),
            "docx" => Ok(ReportFormat::Docx),
            other => Err(format!(
                "unknown format {other:?}; use json, html, pdf or docx"
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Html => "html",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Docx => "docx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Json => "application/json",
            ReportFormat::Html => "text/html; charset=utf-8",
            ReportFormat::Pdf => "application/pdf",
            ReportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// The report's bytes in `format`. An error here is ours (the model could not be typeset),
/// never the caller's. Typesetting a PDF takes a while: call this off async workers.
pub fn render(report: &InterimReport, format: ReportFormat) -> Result<Vec<u8>, String> {
    match format {
        ReportFormat::Json => Ok(serde_json::to_vec_pretty(report).expect("the report serialises")),
        ReportFormat::Html => Ok(html::document(report).into_bytes()),
        ReportFormat::Pdf => pdf(report),
        ReportFormat::Docx => docx(report),
    }
}

/// The report as a Word document (.docx). Fails only if a chart cannot be drawn, which is a
/// bug here, not a fault in the report.
pub fn docx(report: &InterimReport) -> Result<Vec<u8>, String> {
    docx::docx(report)
}

/// The report as a tagged PDF (PDF/UA-1). Fails only if typst rejects the generated
/// document, which is a bug here, not a fault in the report.
pub fn pdf(report: &InterimReport) -> Result<Vec<u8>, String> {
    pdf::pdf(report)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Read;

    use serde_json::json;
    use serva_domain::report::InterimReport;

    /// A small report: one unit, one goal, one indicator split by gender, one control, one
    /// narrative full of characters that mean something in XML or typst.
    pub(crate) fn sample() -> InterimReport {
        let row = |name: &str, forecast: i64| {
            json!({
                "code": "KL", "name": name, "outcome_ytd": 2787, "outcome_ytd_prev": 647,
                "change": 2140, "forecast": forecast, "budget": 0, "deviation": forecast,
                "actual_prev_year": -1050
            })
        };
        let flow = json!({"forecast": 252928, "budget": 263577, "deviation": 10648, "actual_prev_year": 219200});
        serde_json::from_value(json!({
            "meta": {
                "org": "VSS", "org_name": "Verksamhetsstöd och service", "year": 2019,
                "through": "2019-08-31", "status": "draft",
                "sign_convention": "Belopp i tkr.", "rounding": "Avrundat en gång."
            },
            "finance": {
                "units": [row("Kontakt Linköping", 16015)],
                "unallocated": null,
                "total": row("Summa", 16015),
                "costs": flow, "revenues": flow
            },
            "investments": {
                "projects": [{"unit": "LKDATA", "project": "IT-utrustning", "spent": 33100, "income": 0,
                    "forecast_spent": 47960, "forecast_income": 0, "forecast_net": 47960, "frame": 37900,
                    "deviation": -10060}],
                "total": {"unit": "", "project": "Summa investeringar", "spent": 33100, "income": 0,
                    "forecast_spent": 47960, "forecast_income": 0, "forecast_net": 47960, "frame": 37900,
                    "deviation": -10060}
            },
            "goals": [{"area": "economy", "municipal_goal": "En välskött kommun", "name": "Kostnadseffektiv verksamhet",
                "description": "Optimera nyttan", "assessment": "partly_met", "analysis": "Bra & bättre."}],
            "indicators": [
                {"code": "SJUK", "name": "Total sjukfrånvaro", "goal": "Goda arbetsplatser", "measure": "%",
                 "gender": "T", "values": {"2018": 4.0, "2019-08": 2.5}, "target": 3.5, "status": "green",
                 "kolada_id": null},
                {"code": "SJUK", "name": "Total sjukfrånvaro", "goal": "Goda arbetsplatser", "measure": "%",
                 "gender": "M", "values": {"2018": null, "2019-08": null}, "target": 1.3, "status": "grey",
                 "suppressed": ["2018", "2019-08"], "kolada_id": null}
            ],
            "staff": [],
            "assignments": [{"common": true, "text": "Digitalisering", "status": "actions_taken", "comment": "Pågår."}],
            "internal_control": [{"unit": "EKS", "name": "Leverantörsändringar", "risk": "Fel", "method": "Stickprov",
                "frequency": "Månadsvis", "owner": "Enhetschef", "result": null, "findings": "Inget.",
                "actions": "", "carries_over": false}],
            "operations": [],
            "narratives": [{"section": "uppdrag", "title": "Förvaltningens uppdrag", "status": "draft",
                "body": "Mål #1: *viktigt* <b> & [x] $5 @ref \\ \"citat\" `kod` ~ _x_\n// ingen kommentar\n\n– punkt ett\n– punkt två"}],
            "events": [{"decision": true, "body": "Beslut om nya stabsfunktioner:\n– Kommunikatör om 50 %"}],
            "checks": [{"severity": "warning", "code": "control_without_result",
                "message": "Kontrollmomentet Leverantörsändringar (EKS) saknar resultat."}],
            "handoffs": [{"from": "Kontakt Linköping", "to": "LKDATA", "handoffs": 1204, "hand_backs": 31}]
        }))
        .expect("the sample report deserialises")
    }

    fn part(docx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the docx"))
            .read_to_string(&mut text)
            .expect("UTF-8");
        text
    }

    #[test]
    fn docx_is_a_word_document_with_the_report() {
        let r = sample();
        let bytes = crate::docx(&r).expect("a docx");
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("a zip");
        let names: Vec<String> = (0..zip.len())
            .map(|i| {
                zip.by_index(i)
                    .expect("an entry")
                    .name()
                    .expect("a UTF-8 name")
                    .to_string()
            })
            .collect();
        assert_eq!(
            names[0], "[Content_Types].xml",
            "the content types come first"
        );
        for name in names.iter().filter(|n| !n.ends_with(".png")) {
            crate::xml::check_well_formed(&part(&bytes, name))
                .unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
        }
        let doc = part(&bytes, "word/document.xml");
        assert!(doc.contains(">Delårsrapport<"));
        assert!(
            doc.contains("16\u{a0}015"),
            "amounts in Swedish digit groups"
        );
        assert!(doc.contains(r#"<w:pStyle w:val="Heading1"/>"#));
        assert!(doc.contains(r#"<w:pStyle w:val="Heading2"/>"#));
        assert!(doc.contains("<w:tblHeader/>"));
        assert!(doc.contains("&lt;b&gt; &amp; [x]"), "text is escaped");
        assert!(doc.contains("Positiv utveckling") || doc.contains("Uppfylls per helår"));
        assert!(doc.contains("Ej kontrollerad"));
        assert!(
            doc.contains(">Överlämningar mellan enheter<")
                && doc.contains(">Varav tillbakalämnade<")
        );
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains(r#"<w:lang w:val="sv-SE""#));
        assert!(styles.contains(r#"w:styleId="Heading1"><w:name w:val="heading 1"/>"#));
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains(
            "<dc:title>Delårsrapport Verksamhetsstöd och service 31 augusti 2019</dc:title>"
        ));
        // The charts are PNG images in the package, each related to the document, drawn in
        // it with its figures as alternative text.
        let images: Vec<&String> = names.iter().filter(|n| n.ends_with(".png")).collect();
        assert_eq!(
            images,
            ["word/media/chart1.png"],
            "the sample has one chart"
        );
        let mut png = Vec::new();
        zip.by_name("word/media/chart1.png")
            .expect("the chart")
            .read_to_end(&mut png)
            .expect("bytes");
        assert!(png.starts_with(b"\x89PNG"));
        let rels = part(&bytes, "word/_rels/document.xml.rels");
        assert!(rels.contains(r#"Id="rIdImg1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart1.png""#));
        assert!(part(&bytes, "[Content_Types].xml")
            .contains(r#"<Default Extension="png" ContentType="image/png"/>"#));
        assert!(doc.contains(r#"<a:blip r:embed="rIdImg1"/>"#));
        assert!(doc.contains(
            r#"descr="Stapeldiagram, resultat per verksamhet: Kontakt Linköping: prognos 16"#
        ));
        // A table of contents after the cover: a TOC field over the headings, updated on opening.
        assert!(doc.contains(
            r#"<w:instrText xml:space="preserve"> TOC \o "1-2" \h \z \u </w:instrText>"#
        ));
        assert!(doc.contains(
            r#"<w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t xml:space="preserve">Innehåll</w:t>"#
        ));
        assert!(doc.contains(r#"<w:pStyle w:val="TOC1"/></w:pPr><w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/>"#));
        assert_eq!(
            doc.matches(r#"w:fldCharType="begin""#).count(),
            doc.matches(r#"w:fldCharType="end""#).count()
        );
        assert!(part(&bytes, "word/settings.xml").contains(r#"<w:updateFields w:val="true"/>"#));
        assert!(styles.contains(r#"w:styleId="TOC1"><w:name w:val="toc 1"/>"#));
        assert_eq!(
            bytes,
            crate::docx(&r).expect("a docx"),
            "the same report gives the same bytes"
        );
    }

    #[test]
    fn html_is_one_accessible_document() {
        let r = sample();
        let doc = String::from_utf8(crate::render(&r, crate::ReportFormat::Html).unwrap()).unwrap();
        assert!(doc.starts_with("<!DOCTYPE html><html lang=\"sv\">"));
        assert!(doc
            .contains("<title>Delårsrapport Verksamhetsstöd och service 31 augusti 2019</title>"));
        assert!(doc.contains("<h1>Verksamhetsstöd och service</h1>"));
        // Sections are regions named by their headings.
        assert!(
            doc.contains(r#"<section aria-labelledby="s-ekonomi"><h2 id="s-ekonomi">Ekonomi</h2>"#)
        );
        // Tables: a caption, column headers, row headers, a named column of row names.
        assert!(doc.contains("<caption>Ekonomi, belopp tkr</caption>"));
        assert!(doc.contains(r#"<th scope="col"><span class="visually-hidden">Mått</span></th>"#));
        assert!(doc.contains(r#"<th scope="row">Nettoresultat</th><td class="num">16"#));
        assert!(doc.contains(r#"<tr class="sub"><td></td><th scope="row">Män</th>"#));
        // A chart is an image with a title and the figures as its description.
        assert!(doc.contains(r#"<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-result-t chart-result-d""#));
        assert!(doc.contains("<desc id=\"chart-result-d\">Stapeldiagram, resultat per verksamhet: Kontakt Linköping: prognos 16 015 tkr"));
        // Colours come with words; the legend shows them.
        assert!(doc.contains(
            r#"<ul class="legend"><li><span class="badge green">Uppfylls per helår</span>"#
        ));
        assert!(doc.contains(r#"<span class="badge yellow">Delvis uppfyllt</span>"#));
        // What users wrote is text, never markup.
        assert!(doc.contains("Mål #1: *viktigt* &lt;b&gt; &amp; [x]"));
        assert!(!doc.contains("<b>"));
        assert!(doc.contains("<footer><p>Belopp i tkr.</p><p>Avrundat en gång.</p></footer>"));
        // Hand-offs per unit pair, in Swedish digit groups.
        assert!(doc.contains(
            "<caption>Ärenden överlämnade till en annan enhet, 1 januari–31 augusti 2019</caption>"
        ));
        assert!(doc
            .contains(r#"<th scope="row">Kontakt Linköping</th><td>LKDATA</td><td class="num">1"#));
        assert!(doc.contains("1\u{a0}204") || doc.contains("1 204") || doc.contains("1&nbsp;204"));
        let body = crate::html::body(&r);
        assert!(body.starts_with("<header><p class=\"kicker\">Delårsrapport</p>"));
        assert!(
            doc.contains(&body),
            "the page inside Serva shows the same content"
        );
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    #[test]
    fn pdf_is_tagged_and_titled() {
        let r = sample();
        let bytes = crate::pdf(&r).expect("the report typesets");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(contains(&bytes, "/StructTreeRoot"), "tagged");
        assert!(
            contains(&bytes, "<pdfuaid:part>1</pdfuaid:part>"),
            "PDF/UA-1"
        );
        // The XMP metadata carries the title as UTF-8.
        assert!(contains(
            &bytes,
            "Delårsrapport Verksamhetsstöd och service 31 augusti 2019"
        ));
        assert!(
            contains(&bytes, "/Alt"),
            "the chart has an alternative text"
        );
        assert_eq!(
            bytes,
            crate::pdf(&r).expect("typesets"),
            "the same report gives the same bytes"
        );
    }
}
