//! Reports as files: the formats the interim report is written in.

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
/// never the caller's.
pub fn render_report(report: &InterimReport, format: ReportFormat) -> Result<Vec<u8>, String> {
    match format {
        ReportFormat::Json => Ok(serde_json::to_vec_pretty(report).expect("the report serialises")),
        ReportFormat::Html => Ok(serva_views::report::interim_html(report)
            .into_string()
            .into_bytes()),
        ReportFormat::Pdf => serva_report::pdf(report),
        ReportFormat::Docx => Ok(serva_report::docx(report)),
    }
}
