//! "Ladda ner: CSV · XLSX" under a case list: the list as it is filtered, every matching case
//! rather than the page shown.

use maud::{html, Markup};

use crate::widgets::urlencode;
use crate::Ctx;

/// Links to `base?<filters>&format=csv|xlsx`.
pub fn download_links(cx: &Ctx, base: &str, params: &[(&str, String)]) -> Markup {
    let href = |format: &str| {
        let mut q: Vec<String> = params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        q.push(format!("format={format}"));
        format!("{base}?{}", q.join("&"))
    };
    html! {
        p.downloads {
            (cx.t("Ladda ner listan (alla ärenden som matchar):", "Download the list (every matching case):")) " "
            a href=(href("csv")) { "CSV" } " · "
            a href=(href("xlsx")) { "XLSX" }
        }
    }
}
