//! Uploading import files.

use maud::{html, Markup};

use crate::layout::{notice, page};
use crate::widgets::option;
use crate::Ctx;

pub struct ImportOutcome<'a> {
    pub rows: Option<(String, usize)>,
    /// (line, column, message)
    pub errors: &'a [(usize, Option<String>, String)],
}

pub fn imports_page(
    cx: &Ctx,
    kinds: &[(&str, &[&str])],
    outcome: Option<&ImportOutcome>,
) -> Markup {
    page(
        cx,
        cx.t("Importera", "Import"),
        html! {
            @if let Some(o) = outcome {
                @if let Some((kind, rows)) = &o.rows {
                    (notice(true, &format!("{} {} ({}).",
                        cx.count(*rows as i64, ("rad", "rader"), ("row", "rows")),
                        cx.t("importerades", "imported"),
                        kind_label(cx, kind))))
                }
                @if !o.errors.is_empty() {
                    div.notice.error role="alert" {
                        p { (cx.t("Inget importerades. Rätta filen och försök igen:", "Nothing was imported. Correct the file and try again:")) }
                        ul {
                            @for (line, column, message) in o.errors {
                                li { (cx.t("Rad", "Line")) " " (line) @if let Some(c) = column { ", " (cx.t("kolumn", "column")) " " (c) } ": " (message) }
                            }
                        }
                    }
                }
            }
            form method="post" action="/imports" enctype="multipart/form-data" {
                (cx.csrf_field())
                label for="kind" { (cx.t("Vad filen innehåller", "What the file holds")) }
                select #kind name="kind" {
                    @for (k, _) in kinds { (option(k, &format!("{} ({k})", kind_label(cx, k)), "")) }
                    (option("sie", &format!("{} (sie)", kind_label(cx, "sie")), ""))
                }
                label for="file" { (cx.t("Fil", "File")) span.hint { (cx.t("UTF-8 CSV med rubrikrad (komma eller semikolon), eller en SIE 4-fil", "UTF-8 CSV with a header row (comma or semicolon), or an SIE 4 file")) } }
                input #file type="file" name="file" required;
                div { button type="submit" { (cx.t("Importera", "Import")) } }
            }
            h2 { (cx.t("Format", "Formats")) }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Format", "Formats")) {
                table {
                    caption.visually-hidden { (cx.t("Kolumner per filtyp", "Columns per kind")) }
                    thead { tr { th scope="col" { (cx.t("Typ", "Kind")) } th scope="col" { (cx.t("Kolumner", "Columns")) } } }
                    tbody {
                        @for (k, cols) in kinds { tr { th scope="row" { (kind_label(cx, k)) " " code { (k) } } td { code { (cols.join(",")) } } } }
                        tr { th scope="row" { (kind_label(cx, "sie")) " " code { "sie" } } td { (cx.t("SIE 4 (4E eller 4I), CP437 eller UTF-8; dimension 1 är enhetens ERP-kod", "SIE 4 (4E or 4I), CP437 or UTF-8; dimension 1 is the unit's ERP code")) } }
                    }
                }
            }
        },
    )
}

/// What a kind of file holds, in the person's language; the kind's own name (`forecast`) stays
/// what the file's form field and the command line use.
fn kind_label<'a>(cx: &Ctx, kind: &'a str) -> &'a str {
    let (sv, en) = match kind {
        "units" => ("Organisation", "Organisation"),
        "budget" => ("Budget", "Budget"),
        "forecast" => ("Prognos", "Forecast"),
        "investments" => ("Investeringar", "Investments"),
        "calls" => ("Samtal", "Calls"),
        "indicators" => ("Indikatorer", "Indicators"),
        "indicator_values" => ("Indikatorvärden", "Indicator values"),
        "goals" => ("Mål", "Goals"),
        "staff" => ("Personal", "Staff"),
        "assignments" => ("Uppdrag", "Assignments"),
        "controls" => ("Kontrollpunkter", "Control points"),
        "sie" => ("Bokföring, SIE 4", "Ledger, SIE 4"),
        "volumes" => ("Volymer att debitera", "Volumes to charge"),
        _ => return kind,
    };
    cx.t(sv, en)
}
