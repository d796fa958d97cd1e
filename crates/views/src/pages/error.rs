use maud::{html, Markup};

use crate::layout::page;
use crate::Ctx;

/// An error page: what happened and where to go from here.
pub fn error_page(cx: &Ctx, status: u16, message: &str) -> Markup {
    let title = match status {
        404 => cx.t("Sidan finns inte", "Page not found"),
        403 => cx.t("Åtkomst nekad", "Access denied"),
        409 => cx.t("Ändrat av någon annan", "Changed by someone else"),
        413 => cx.t("För mycket data", "Too much data"),
        400..=499 => cx.t("Något stämmer inte", "Something is not right"),
        _ => cx.t("Ett fel uppstod", "An error occurred"),
    };
    page(
        cx,
        title,
        html! {
            div.notice.error role="alert" { p { (message) } }
            p { a href="/" { (cx.t("Till startsidan", "To the start page")) } }
        },
    )
}
