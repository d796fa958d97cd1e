//! The person's own account: language and API tokens.

use maud::{html, Markup};
use serva_domain::user::ApiToken;

use crate::layout::{notice, page};
use crate::widgets::{option, time};
use crate::Ctx;

pub fn account_page(
    cx: &Ctx,
    locale: &str,
    tokens: &[ApiToken],
    new_token: Option<&str>,
    ok: Option<&str>,
) -> Markup {
    page(
        cx,
        cx.t("Mitt konto", "My account"),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            h2 { (cx.t("Språk", "Language")) }
            form method="post" action="/account/locale" {
                (cx.csrf_field())
                label for="locale" { (cx.t("Språk i Serva", "Language in Serva")) }
                select #locale name="locale" {
                    (option("", cx.t("Som webbläsaren", "As the browser"), locale))
                    (option("sv", "Svenska", locale))
                    (option("en", "English", locale))
                }
                div { button type="submit" { (cx.t("Spara", "Save")) } }
            }
            h2 { (cx.t("API-nycklar", "API tokens")) }
            p { (cx.t("En nyckel ger program samma behörighet som du har. Skicka den som ", "A token gives programs the access you have. Send it as ")) code { "Authorization: Bearer …" } "." }
            @if let Some(t) = new_token {
                div.notice.ok role="status" {
                    p { (cx.t("Din nya nyckel visas bara nu. Kopiera den:", "Your new token is shown only now. Copy it:")) }
                    p { code { (t) } }
                }
            }
            form method="post" action="/account/tokens" {
                (cx.csrf_field())
                label for="name" { (cx.t("Namn på nyckeln", "Name of the token")) }
                input #name type="text" name="name" required maxlength="100";
                div { button type="submit" { (cx.t("Skapa nyckel", "Create token")) } }
            }
            @if !tokens.is_empty() {
                table {
                    caption { (cx.t("Dina nycklar", "Your tokens")) }
                    thead { tr {
                        th scope="col" { (cx.t("Namn", "Name")) }
                        th scope="col" { (cx.t("Skapad", "Created")) }
                        th scope="col" { (cx.t("Status", "Status")) }
                    } }
                    tbody {
                        @for t in tokens {
                            tr {
                                td { (t.name) }
                                td { (time(t.created_at)) }
                                td {
                                    @if let Some(r) = t.revoked_at { (cx.t("Återkallad", "Revoked")) " " (time(r)) }
                                    @else {
                                        form.inline method="post" action={"/account/tokens/" (t.id) "/revoke"} {
                                            (cx.csrf_field())
                                            button.secondary type="submit" { (cx.t("Återkalla", "Revoke")) span.visually-hidden { " " (t.name) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
