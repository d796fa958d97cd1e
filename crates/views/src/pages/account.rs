//! The person's own account: language, sessions and API tokens.

use maud::{html, Markup};
use serva_domain::user::ApiToken;

use super::tokens::{token_fields, tokens_table, TokenForm};
use crate::layout::{notice, page};
use crate::widgets::option;
use crate::Ctx;

/// What the account page shows.
pub struct AccountView<'a> {
    pub locale: &'a str,
    pub tokens: &'a [ApiToken],
    /// A token just made: shown this once.
    pub new_token: Option<&'a str>,
    pub ok: Option<&'a str>,
    /// The new-token form, with why it was refused if it was.
    pub form: TokenForm,
    pub now: i64,
}

pub fn account_page(cx: &Ctx, v: &AccountView<'_>) -> Markup {
    let rows: Vec<_> = v.tokens.iter().map(|t| (None, t)).collect();
    page(
        cx,
        cx.t("Mitt konto", "My account"),
        html! {
            @if let Some(m) = v.ok { (notice(true, m)) }
            h2 { (cx.t("Språk", "Language")) }
            form method="post" action="/account/locale" {
                (cx.csrf_field())
                label for="locale" { (cx.t("Språk i Serva", "Language in Serva")) }
                select #locale name="locale" {
                    (option("", cx.t("Som webbläsaren", "As the browser"), v.locale))
                    (option("sv", "Svenska", v.locale))
                    (option("en", "English", v.locale))
                }
                div { button type="submit" { (cx.t("Spara", "Save")) } }
            }
            h2 { (cx.t("Inloggningar", "Sessions")) }
            p { a href="/account/sessions" { (cx.t("Se var du är inloggad, och logga ut överallt", "See where you are signed in, and sign out everywhere")) } }
            h2 #tokens { (cx.t("API-nycklar", "API tokens")) }
            p { (cx.t("En nyckel låter ett program använda Serva som du, men bara med de behörigheter du väljer. Skicka den som ", "A token lets a program use Serva as you, but only with the scopes you choose. Send it as ")) code { "Authorization: Bearer …" } ". " (cx.t("Nycklar går ut, och alla dina nycklar återkallas när ditt lösenord byts.", "Tokens expire, and all your tokens are revoked when your password is changed.")) }
            @if let Some(t) = v.new_token {
                div.notice.ok role="status" {
                    p { (cx.t("Din nya nyckel visas bara nu. Kopiera den:", "Your new token is shown only now. Copy it:")) }
                    p { code { (t) } }
                }
            }
            @if let Some((_, m)) = &v.form.error { (notice(false, m)) }
            form method="post" action="/account/tokens" {
                (cx.csrf_field())
                (token_fields(cx, &v.form))
                div { button type="submit" { (cx.t("Skapa nyckel", "Create token")) } }
            }
            @if !v.tokens.is_empty() {
                (tokens_table(
                    cx,
                    cx.t("Dina nycklar", "Your tokens"),
                    &rows,
                    v.now,
                    &|t| format!("/account/tokens/{}/revoke", t.id),
                    None,
                ))
            }
        },
    )
}
