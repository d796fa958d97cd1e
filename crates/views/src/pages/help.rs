//! Help pages.

use maud::{html, Markup};

use crate::layout::page;
use crate::Ctx;

/// The keyboard shortcuts of a queue's list: what each key does, that none is needed, and a
/// switch to turn single keys off (WCAG 2.1.4).
pub fn keys_page(cx: &Ctx) -> Markup {
    let keys: [(&str, &str, &str); 4] = [
        (
            "j",
            cx.t("Nästa ärende i listan", "Next case in the list"),
            cx.t(
                "Flyttar fokus till nästa rad.",
                "Moves focus to the next row.",
            ),
        ),
        (
            "k",
            cx.t("Föregående ärende i listan", "Previous case in the list"),
            cx.t(
                "Flyttar fokus till raden före.",
                "Moves focus to the row before.",
            ),
        ),
        (
            "o",
            cx.t("Öppna ärendet", "Open the case"),
            cx.t(
                "Öppnar ärendet på raden i fokus (Enter gör detsamma).",
                "Opens the case of the focused row (Enter does the same).",
            ),
        ),
        (
            "/",
            cx.t("Sök", "Search"),
            cx.t(
                "Flyttar fokus till sökrutan.",
                "Moves focus to the search box.",
            ),
        ),
    ];
    page(
        cx,
        cx.t("Kortkommandon", "Keyboard shortcuts"),
        html! {
            p {
                (cx.t(
                    "I en kös ärendelista finns kortkommandon. De behövs aldrig: allt nås också med Tab och Enter, och sidorna fungerar utan JavaScript. Tangenterna verkar inte när du skriver i ett fält eller håller ned Ctrl, Alt eller Cmd.",
                    "A queue's case list has keyboard shortcuts. They are never needed: everything is reachable with Tab and Enter too, and the pages work without JavaScript. The keys do nothing while you type in a field or hold Ctrl, Alt or Cmd.",
                ))
            }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Kortkommandon", "Keyboard shortcuts")) {
                table {
                    caption { (cx.t("Kortkommandon i kölistan", "Shortcuts in the queue list")) }
                    thead { tr {
                        th scope="col" { (cx.t("Tangent", "Key")) }
                        th scope="col" { (cx.t("Gör", "Does")) }
                        th scope="col" { (cx.t("Hur", "How")) }
                    } }
                    tbody {
                        @for (key, what, how) in keys {
                            tr {
                                th scope="row" { kbd { (key) } }
                                td { (what) }
                                td { (how) }
                            }
                        }
                    }
                }
            }
            h2 { (cx.t("Stänga av", "Turning them off")) }
            p {
                (cx.t(
                    "Kortkommandona kräver JavaScript. Med knappen nedan stänger du av dem i den här webbläsaren, eller slår på dem igen.",
                    "The shortcuts need JavaScript. The button below turns them off in this browser, or on again.",
                ))
            }
            p #keys-state role="status"
                data-on=(cx.t("Kortkommandona är på.", "The shortcuts are on."))
                data-off=(cx.t("Kortkommandona är avstängda.", "The shortcuts are off.")) {}
            button #keys-toggle type="button" hidden aria-pressed="false" {
                (cx.t("Stäng av kortkommandon", "Turn shortcuts off"))
            }
            script src="/static/keys.js" defer {}
        },
    )
}
