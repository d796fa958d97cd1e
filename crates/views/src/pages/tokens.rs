//! API tokens: the person's own (on their account page) and everyone's, for administrators.

use maud::{html, Markup};
use serva_domain::token::{
    ApiToken, OwnedToken, TokenScope, TokenScopes, TokenState, DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
};
use serva_domain::user::User;

use crate::layout::{notice, page};
use crate::widgets::time;
use crate::Ctx;

/// A scope's name in the person's language.
pub fn scope_label(cx: &Ctx, s: TokenScope) -> &'static str {
    match s {
        TokenScope::Read => cx.t("Läsa", "Read"),
        TokenScope::Cases => cx.t("Ärenden", "Cases"),
        TokenScope::Imports => cx.t("Importer", "Imports"),
        TokenScope::Reports => cx.t("Rapporter", "Reports"),
    }
}

/// What a scope allows, in the person's language.
pub fn scope_hint(cx: &Ctx, s: TokenScope) -> &'static str {
    match s {
        TokenScope::Read => cx.t(
            "läsa ärenden, tjänster och enheter (alla GET utom delårsrapporten)",
            "read cases, services and units (every GET but the interim report)",
        ),
        TokenScope::Cases => cx.t(
            "skapa och ändra ärenden, skriva meddelanden, svara på enkäter",
            "create and change cases, write messages, answer surveys",
        ),
        TokenScope::Imports => cx.t("importera filer", "import files"),
        TokenScope::Reports => cx.t(
            "ta fram och godkänna delårsrapporten",
            "compute and approve the interim report",
        ),
    }
}

fn scopes_text(cx: &Ctx, scopes: TokenScopes) -> String {
    scopes
        .iter()
        .map(|s| scope_label(cx, s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The field of the new-token form a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenField {
    Name,
    Scopes,
    Days,
}

/// The new-token form's values: blank, or as sent when it was refused, with the refusal.
#[derive(Debug, Clone)]
pub struct TokenForm {
    pub name: String,
    pub scopes: TokenScopes,
    pub days: String,
    pub error: Option<(TokenField, String)>,
}

impl Default for TokenForm {
    fn default() -> Self {
        TokenForm {
            name: String::new(),
            scopes: TokenScopes::of(&[TokenScope::Read]),
            days: DEFAULT_LIFETIME_DAYS.to_string(),
            error: None,
        }
    }
}

impl TokenForm {
    fn error_on(&self, field: TokenField) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The fields of the new-token form (inside the caller's `<form>`), a refusal shown next to
/// the field it is about.
pub fn token_fields(cx: &Ctx, f: &TokenForm) -> Markup {
    let (name_err, scopes_err, days_err) = (
        f.error_on(TokenField::Name),
        f.error_on(TokenField::Scopes),
        f.error_on(TokenField::Days),
    );
    html! {
        label for="name" { (cx.t("Namn på nyckeln", "Name of the token")) span.hint { (cx.t("vad den används till", "what it is for")) } }
        @if let Some(e) = name_err { span.error-text #name-error { (e) } }
        input #name type="text" name="name" required maxlength="100" value=(f.name)
            aria-invalid=[name_err.map(|_| "true")] aria-describedby=[name_err.map(|_| "name-error")];
        fieldset aria-invalid=[scopes_err.map(|_| "true")] aria-describedby=[scopes_err.map(|_| "scopes-error")] {
            legend { (cx.t("Behörigheter", "Scopes")) }
            @if let Some(e) = scopes_err { span.error-text #scopes-error { (e) } }
            p.hint { (cx.t("Nyckeln får bara göra det du kryssar i, och aldrig mer än du själv får.", "The token may only do what you tick, and never more than you may yourself.")) }
            @for s in TokenScope::ALL {
                div {
                    label {
                        input type="checkbox" name={"scope_" (s.as_str())} value="on" checked[f.scopes.contains(s)];
                        " " strong { (scope_label(cx, s)) } " – " (scope_hint(cx, s))
                    }
                }
            }
        }
        label for="days" { (cx.t("Giltig i antal dagar", "Valid for days")) span.hint { "1–" (MAX_LIFETIME_DAYS) } }
        @if let Some(e) = days_err { span.error-text #days-error { (e) } }
        input #days type="number" name="days" min="1" max=(MAX_LIFETIME_DAYS) required value=(f.days)
            aria-invalid=[days_err.map(|_| "true")] aria-describedby=[days_err.map(|_| "days-error")];
    }
}

/// A token's state, and for a working one when it expires.
fn state_cell(cx: &Ctx, t: &ApiToken, now: i64) -> Markup {
    html! {
        @match t.state(now) {
            TokenState::Active => { (cx.t("Gäller", "Active")) }
            TokenState::Expired => { strong { (cx.t("Har gått ut", "Expired")) } }
            TokenState::Revoked => { (cx.t("Återkallad", "Revoked")) " " @if let Some(r) = t.revoked_at { (time(r)) } }
        }
    }
}

/// A table of tokens. `owners` adds a column with each token's owner; `revoke_action` gives
/// the form target of a token's revoke button, and `back` a hidden field it carries.
pub fn tokens_table(
    cx: &Ctx,
    caption: &str,
    rows: &[(Option<&OwnedToken>, &ApiToken)],
    now: i64,
    revoke_action: &dyn Fn(&ApiToken) -> String,
    back: Option<&str>,
) -> Markup {
    let owners = rows.iter().any(|(o, _)| o.is_some());
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(cx.t("API-nycklar", "API tokens")) {
            table {
                caption { (caption) }
                thead { tr {
                    @if owners { th scope="col" { (cx.t("Person", "Person")) } }
                    th scope="col" { (cx.t("Namn", "Name")) }
                    th scope="col" { (cx.t("Behörigheter", "Scopes")) }
                    th scope="col" { (cx.t("Skapad", "Created")) }
                    th scope="col" { (cx.t("Går ut", "Expires")) }
                    th scope="col" { (cx.t("Senast använd", "Last used")) }
                    th scope="col" { (cx.t("Status", "Status")) }
                    th scope="col" { span.visually-hidden { (cx.t("Åtgärd", "Action")) } }
                } }
                tbody {
                    @for (owner, t) in rows {
                        tr {
                            @if let Some(o) = owner {
                                td { a href={"/admin/tokens?user=" (o.user_id)} { (o.display_name) } " (" (o.username) ")" }
                            } @else if owners { td {} }
                            th scope="row" { (t.name) }
                            td { (scopes_text(cx, t.scopes)) }
                            td { (time(t.created_at)) }
                            td { (time(t.expires_at)) }
                            td {
                                @if let Some(u) = t.last_used_at { (time(u)) }
                                @else { (cx.t("Aldrig", "Never")) }
                            }
                            td { (state_cell(cx, t, now)) }
                            td {
                                @if t.revoked_at.is_none() {
                                    form.inline method="post" action=(revoke_action(t)) {
                                        (cx.csrf_field())
                                        @if let Some(b) = back { input type="hidden" name="back" value=(b); }
                                        button.secondary type="submit" { (cx.t("Återkalla", "Revoke")) span.visually-hidden { " " (t.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Administrators' page of tokens: everyone's working tokens, or every token of one person.
pub fn admin_tokens_page(
    cx: &Ctx,
    person: Option<&User>,
    tokens: &[OwnedToken],
    now: i64,
    ok: Option<&str>,
) -> Markup {
    let title = match person {
        Some(u) => format!(
            "{} – {} ({})",
            cx.t("API-nycklar", "API tokens"),
            u.display_name,
            u.username
        ),
        None => cx.t("API-nycklar", "API tokens").to_string(),
    };
    let rows: Vec<(Option<&OwnedToken>, &ApiToken)> = tokens
        .iter()
        .map(|o| (person.is_none().then_some(o), &o.token))
        .collect();
    let back = person.map(|u| u.id.0.to_string());
    page(
        cx,
        &title,
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            @match person {
                Some(u) => {
                    p { (cx.t("Alla nycklar personen har skapat, även återkallade och utgångna. Nyckelns hemlighet visas aldrig.", "Every token the person has made, revoked and expired ones too. A token's secret is never shown.")) }
                    p { a href={"/admin/users/" (u.id)} { (cx.t("Till personen", "To the person")) } " · " a href="/admin/tokens" { (cx.t("Allas giltiga nycklar", "Everyone's working tokens")) } }
                }
                None => {
                    p { (cx.t("Alla nycklar som gäller just nu. Välj en person för att se alla dennes nycklar. Nyckelns hemlighet visas aldrig.", "Every token that works now. Choose a person to see all their tokens. A token's secret is never shown.")) }
                }
            }
            @if tokens.is_empty() {
                p { (cx.t("Inga nycklar.", "No tokens.")) }
            } @else {
                (tokens_table(
                    cx,
                    cx.t("Nycklar", "Tokens"),
                    &rows,
                    now,
                    &|t| format!("/admin/tokens/{}/revoke", t.id),
                    back.as_deref(),
                ))
            }
        },
    )
}
