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
    let case_keys: [(&str, &str, &str); 3] = [
        (
            "r",
            cx.t("Skriv ett svar", "Write a reply"),
            cx.t(
                "Flyttar fokus till meddelandefältet.",
                "Moves focus to the message field.",
            ),
        ),
        (
            "n",
            cx.t("Nästa ärende i kön", "Next case in the queue"),
            cx.t(
                "Öppnar nästa ärende att arbeta i kön du kom från (som länken Nästa ärende).",
                "Opens the next case to work in the queue you came from (like the Next case link).",
            ),
        ),
        (
            "u",
            cx.t("Tillbaka till kön", "Back to the queue"),
            cx.t(
                "Öppnar kön du kom från (som länken Tillbaka till kön).",
                "Opens the queue you came from (like the Back to the queue link).",
            ),
        ),
    ];
    page(
        cx,
        cx.t("Kortkommandon", "Keyboard shortcuts"),
        html! {
            p {
                (cx.t(
                    "I en kös ärendelista och på ärendesidan finns kortkommandon. De behövs aldrig: allt nås också med Tab och Enter, och sidorna fungerar utan JavaScript. Tangenterna verkar inte när du skriver i ett fält eller håller ned Ctrl, Alt eller Cmd.",
                    "A queue's case list and the case page have keyboard shortcuts. They are never needed: everything is reachable with Tab and Enter too, and the pages work without JavaScript. The keys do nothing while you type in a field or hold Ctrl, Alt or Cmd.",
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
            h2 { (cx.t("På ett ärende", "On a case")) }
            p {
                (cx.t(
                    "På ärendesidan för handläggare finns fler kortkommandon. Med JavaScript fyller knappen Använd mall i mallens text direkt, och knappen Skicka säger vilken status som sätts.",
                    "The agent's case page has more shortcuts. With JavaScript the Use template button fills the template's text in at once, and the Send button says which status it sets.",
                ))
            }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Kortkommandon på ett ärende", "Shortcuts on a case")) {
                table {
                    caption { (cx.t("Kortkommandon på ärendesidan", "Shortcuts on the case page")) }
                    thead { tr {
                        th scope="col" { (cx.t("Tangent", "Key")) }
                        th scope="col" { (cx.t("Gör", "Does")) }
                        th scope="col" { (cx.t("Hur", "How")) }
                    } }
                    tbody {
                        @for (key, what, how) in case_keys {
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
