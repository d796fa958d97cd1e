//! Reports as files: the formats the interim report is written in.

use serva_domain::report::InterimReport;

/// The report in `format` (json or html): content type and bytes.
pub fn render_report(
    report: &InterimReport,
    format: &str,
) -> Result<(&'static str, Vec<u8>), String> {
    match format {
        "json" => Ok((
            "application/json",
            serde_json::to_vec_pretty(report).expect("the report serialises"),
        )),
        "html" => Ok((
            "text/html; charset=utf-8",
            serva_views::report::interim_html(report)
                .into_string()
                .into_bytes(),
        )),
        other => Err(format!("unknown format {other:?}; use json or html")),
    }
}
