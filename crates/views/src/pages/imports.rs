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
                    (notice(true, &match cx.lang {
                        crate::Lang::Sv => format!("{rows} rader importerades ({kind})."),
                        crate::Lang::En => format!("{rows} rows were imported ({kind})."),
                    }))
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
                    @for (k, _) in kinds { (option(k, k, "")) }
                    (option("sie", "sie (SIE 4)", ""))
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
                        @for (k, cols) in kinds { tr { th scope="row" { (k) } td { code { (cols.join(",")) } } } }
                        tr { th scope="row" { "sie" } td { (cx.t("SIE 4 (4E eller 4I), CP437 eller UTF-8; dimension 1 är enhetens ERP-kod", "SIE 4 (4E or 4I), CP437 or UTF-8; dimension 1 is the unit's ERP code")) } }
                    }
                }
            }
        },
    )
}
