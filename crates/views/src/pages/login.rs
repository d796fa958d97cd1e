use maud::{html, Markup};

use crate::layout::{notice, page};
use crate::widgets::urlencode;
use crate::Ctx;

/// The login page. `sso` is the identity provider's name when single sign-on is configured:
/// its link comes first, and works without JavaScript like the rest.
pub fn login_page(
    cx: &Ctx,
    next: &str,
    error: Option<&str>,
    username: &str,
    sso: Option<&str>,
) -> Markup {
    page(
        cx,
        cx.t("Logga in", "Log in"),
        html! {
            @if let Some(e) = error { (notice(false, e)) }
            @if let Some(name) = sso {
                p.sso {
                    a.button href=(format!("/login/sso?next={}", urlencode(next))) {
                        (cx.t("Logga in med", "Sign in with")) " " (name)
                    }
                }
                p { (cx.t("eller med användarnamn och lösenord:", "or with a username and password:")) }
            }
            form method="post" action="/login" {
                (cx.csrf_field())
                input type="hidden" name="next" value=(next);
                label for="username" { (cx.t("Användarnamn", "Username")) }
                input #username type="text" name="username" value=(username) autocomplete="username" required autofocus[sso.is_none()];
                label for="password" { (cx.t("Lösenord", "Password")) }
                input #password type="password" name="password" autocomplete="current-password" required;
                div { button type="submit" { (cx.t("Logga in", "Log in")) } }
            }
            p.public-contact {
                (cx.t("Är du invånare? ", "A resident? "))
                a href="/kontakt" { (cx.t("Kontakta kommunen utan att logga in", "Contact the municipality without logging in")) }
                " · "
                a href="/chat" { (cx.t("Chatta med oss", "Chat with us")) }
            }
        },
    )
}
