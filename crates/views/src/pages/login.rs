use maud::{html, Markup};

use crate::layout::{notice, page};
use crate::Ctx;

pub fn login_page(cx: &Ctx, next: &str, error: Option<&str>, username: &str) -> Markup {
    page(
        cx,
        cx.t("Logga in", "Log in"),
        html! {
            @if let Some(e) = error { (notice(false, e)) }
            form method="post" action="/login" {
                (cx.csrf_field())
                input type="hidden" name="next" value=(next);
                label for="username" { (cx.t("Användarnamn", "Username")) }
                input #username type="text" name="username" value=(username) autocomplete="username" required autofocus;
                label for="password" { (cx.t("Lösenord", "Password")) }
                input #password type="password" name="password" autocomplete="current-password" required;
                div { button type="submit" { (cx.t("Logga in", "Log in")) } }
            }
        },
    )
}
