//! People among many: a filter by name, unit, role and state, a page at a time, and the form
//! that adds a person — which keeps what was typed and says what is wrong beside each field.

use maud::{html, Markup};
use serva_domain::org::Unit;
use serva_domain::role::{Grant, RoleKind};
use serva_domain::user::{PersonField, PersonProblem, User};

use super::admin::grant_fields;
use crate::layout::{notice, page};
use crate::widgets::{option, pager, role_label, target_group_label};
use crate::Ctx;

pub struct UserRow<'a> {
    pub user: &'a User,
    pub grants: Vec<Grant>,
}

/// The list's filter as it came in the query string (`q`, `unit`, `role`, `state`, `page`).
#[derive(Debug, Clone, Default)]
pub struct PeopleQuery {
    pub q: String,
    pub unit: String,
    pub role: String,
    /// `active`, `inactive` or empty for both.
    pub state: String,
    pub page: i64,
}

impl PeopleQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        [
            ("q", &self.q),
            ("unit", &self.unit),
            ("role", &self.role),
            ("state", &self.state),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }

    fn narrowed(&self) -> bool {
        !self.params().is_empty()
    }
}

/// What was typed into the add-a-person form, and what is wrong with it.
#[derive(Debug, Clone, Default)]
pub struct PersonDraft {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub home_unit: String,
    pub role: String,
    pub role_unit: String,
    pub target_group: String,
    pub problems: Vec<(PersonField, PersonProblem)>,
    /// A refusal that is about no one field (e.g. a role that needs a unit).
    pub other: Option<String>,
}

impl PersonDraft {
    fn problem(&self, f: PersonField) -> Option<PersonProblem> {
        self.problems.iter().find(|(g, _)| *g == f).map(|(_, p)| *p)
    }

    fn is_refused(&self) -> bool {
        !self.problems.is_empty() || self.other.is_some()
    }
}

fn problem_text(cx: &Ctx, p: PersonProblem) -> String {
    match p {
        PersonProblem::BadUsername => cx
            .t(
                "Användarnamnet ska vara 2–64 tecken: a–z, 0–9, punkt, bindestreck eller understreck.",
                "The username must be 2–64 characters: a–z, 0–9, dot, hyphen or underscore.",
            )
            .into(),
        PersonProblem::UsernameTaken => cx
            .t("Användarnamnet finns redan.", "The username is taken.")
            .into(),
        PersonProblem::NoName => cx.t("Skriv personens namn.", "Enter the person's name.").into(),
        PersonProblem::BadEmail => cx
            .t(
                "Skriv en e-postadress som namn@exempel.se, eller lämna fältet tomt.",
                "Enter an e-mail address like name@example.se, or leave the field empty.",
            )
            .into(),
        PersonProblem::PasswordTooShort { min } => match cx.lang {
            crate::Lang::Sv => format!("Lösenordet måste ha minst {min} tecken."),
            crate::Lang::En => format!("The password needs at least {min} characters."),
        },
    }
}

/// A text field of the person form, its problem beside it.
fn field(
    cx: &Ctx,
    draft: &PersonDraft,
    which: PersonField,
    (id, kind, label, hint): (&str, &str, &str, Option<&str>),
    value: &str,
) -> Markup {
    let err = draft.problem(which).map(|p| problem_text(cx, p));
    let err_id = format!("{id}-error");
    html! {
        label for=(id) { (label) @if let Some(h) = hint { span.hint { (h) } } }
        @if let Some(e) = &err { span.error-text id=(err_id) { (e) } }
        input id=(id) type=(kind) name=(id) value=(value)
            required[which != PersonField::Email]
            autocomplete=(match which { PersonField::Password => "new-password", PersonField::Email => "email", _ => "off" })
            aria-invalid=[err.as_ref().map(|_| "true")] aria-describedby=[err.as_ref().map(|_| err_id.as_str())];
    }
}

pub fn users_page(
    cx: &Ctx,
    users: &[UserRow],
    units: &[Unit],
    query: &PeopleQuery,
    has_next: bool,
    ok: Option<&str>,
    draft: &PersonDraft,
) -> Markup {
    let unit_name = |id: Option<serva_domain::UnitId>| {
        id.and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let shown = users.len() as i64;
    page(
        cx,
        cx.t("Användare och roller", "Users and roles"),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            @if draft.is_refused() {
                div.notice.error role="alert" {
                    p { (cx.t("Personen lades inte till. Rätta det som står vid fälten nedan.", "The person was not added. Correct what is said at the fields below.")) }
                    @if let Some(m) = &draft.other { p { (m) } }
                    p { a href="#ny-person" { (cx.t("Till formuläret", "To the form")) } }
                }
            }
            form.filters method="get" action="/admin/users" role="search" aria-label=(cx.t("Sök användare", "Find users")) {
                    div {
                        label for="q" { (cx.t("Namn, användarnamn eller e-post", "Name, username or e-mail")) }
                        input #q type="search" name="q" value=(query.q);
                    }
                    div {
                        label for="unit" { (cx.t("Enhet", "Unit")) }
                        select #unit name="unit" {
                            (option("", cx.t("Alla", "All"), &query.unit))
                            @for u in units { (option(&u.code, &u.name, &query.unit)) }
                        }
                    }
                    div {
                        label for="role-filter" { (cx.t("Roll", "Role")) }
                        select #role-filter name="role" {
                            (option("", cx.t("Alla", "All"), &query.role))
                            @for r in RoleKind::ALL { (option(r.as_str(), role_label(cx, r), &query.role)) }
                        }
                    }
                    div {
                        label for="state" { (cx.t("Konto", "Account")) }
                        select #state name="state" {
                            (option("", cx.t("Alla", "All"), &query.state))
                            (option("active", cx.t("Aktiva", "Active"), &query.state))
                            (option("inactive", cx.t("Avstängda", "Deactivated"), &query.state))
                        }
                    }
                div {
                    button type="submit" { (cx.t("Sök", "Search")) }
                    @if query.narrowed() { " " a href="/admin/users" { (cx.t("Visa alla", "Show all")) } }
                }
            }
            p role="status" {
                @if shown == 0 { (cx.t("Ingen användare matchar.", "No user matches.")) }
                @else if query.page > 1 || has_next {
                    (cx.t("Sida", "Page")) " " (query.page) ": " (cx.count(shown, ("användare", "användare"), ("user", "users")))
                } @else { (cx.count(shown, ("användare", "användare"), ("user", "users"))) }
            }
            @if shown > 0 {
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Användare", "Users")) {
                    table {
                        caption.visually-hidden { (cx.t("Användare", "Users")) }
                        thead { tr {
                            th scope="col" { (cx.t("Användarnamn", "Username")) }
                            th scope="col" { (cx.t("Namn", "Name")) }
                            th scope="col" { (cx.t("Tillhör", "Belongs to")) }
                            th scope="col" { (cx.t("Roller", "Roles")) }
                        } }
                        tbody {
                            @for r in users {
                                tr {
                                    th scope="row" {
                                        a href={"/admin/users/" (r.user.id)} { (r.user.username) }
                                        @if !r.user.active { " " span.badge { (cx.t("avstängd", "deactivated")) } }
                                    }
                                    td { (r.user.display_name) }
                                    td { (unit_name(r.user.home_unit_id)) }
                                    td {
                                        ul style="margin:0;padding-left:1rem" {
                                            @for g in &r.grants {
                                                li {
                                                    (role_label(cx, g.role))
                                                    @if g.unit.is_some() { ", " (unit_name(g.unit)) }
                                                    @if let Some(t) = g.target_group { " (" (target_group_label(cx, t)) ")" }
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
            (pager(cx, "/admin/users", &query.params(), query.page, has_next))
            h2 #ny-person { (cx.t("Lägg till användare", "Add a user")) }
            form method="post" action="/admin/users#ny-person" novalidate {
                (cx.csrf_field())
                (field(cx, draft, PersonField::Username, ("username", "text", cx.t("Användarnamn", "Username"), Some("a–z, 0–9, . - _")), &draft.username))
                (field(cx, draft, PersonField::DisplayName, ("display_name", "text", cx.t("Namn", "Name"), None), &draft.display_name))
                (field(cx, draft, PersonField::Email, ("email", "email", cx.t("E-post", "E-mail"), Some(cx.t("frivillig", "optional"))), &draft.email))
                (field(cx, draft, PersonField::Password, ("password", "password", cx.t("Lösenord", "Password"), Some(cx.t("minst 8 tecken", "at least 8 characters"))), ""))
                label for="home_unit" { (cx.t("Tillhör enhet", "Belongs to unit")) }
                select #home_unit name="home_unit" {
                    (option("", "–", &draft.home_unit))
                    @for u in units { (option(&u.code, &u.name, &draft.home_unit)) }
                }
                fieldset {
                    legend { (cx.t("Roll", "Role")) }
                    (grant_fields(cx, units, [&draft.role, &draft.role_unit, &draft.target_group]))
                }
                div { button type="submit" { (cx.t("Lägg till", "Add")) } }
            }
        },
    )
}
