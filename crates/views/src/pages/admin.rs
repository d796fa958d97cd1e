//! Administration: the organisation, people and roles, the audit log.

use std::collections::HashMap;

use maud::{html, Markup};
use serva_domain::org::Unit;
use serva_domain::org::UnitKind;
use serva_domain::role::{Grant, RoleKind, TargetGroup};
use serva_domain::user::User;

use crate::layout::{notice, page};
use crate::widgets::{option, role_label, target_group_label};
use crate::Ctx;

pub fn admin_index(cx: &Ctx) -> Markup {
    page(
        cx,
        cx.t("Administration", "Administration"),
        html! {
            ul {
                li { a href="/admin/units" { (cx.t("Organisation", "Organisation")) } }
                li { a href="/admin/users" { (cx.t("Användare och roller", "Users and roles")) } }
                li { a href="/admin/tokens" { (cx.t("API-nycklar", "API tokens")) } }
                li { a href="/admin/queues" { (cx.t("Telefonköer", "Phone queues")) } }
                li { a href="/admin/calendars" { (cx.t("Öppettider och helgdagar", "Opening hours and holidays")) } }
                li { a href="/admin/audit" { (cx.t("Granskningslogg", "Audit log")) } }
                li { a href="/admin/sign-in-pauses" { (cx.t("Spärrade inloggningar", "Paused sign-ins")) } }
                li { a href="/admin/outbox" { (cx.t("Utgående e-post", "Outgoing mail")) } }
                li { a href="/admin/mail" { (cx.t("E-post in", "E-mail in")) } }
            }
        },
    )
}

pub fn unit_kind_label(cx: &Ctx, k: UnitKind) -> &'static str {
    match k {
        UnitKind::Municipality => cx.t("Kommun", "Municipality"),
        UnitKind::Department => cx.t("Förvaltning", "Department"),
        UnitKind::Company => cx.t("Bolag", "Company"),
        UnitKind::Administration => cx.t("Serviceförvaltning", "Provider administration"),
        UnitKind::Unit => cx.t("Verksamhet", "Unit"),
    }
}

/// The organisation as an indented tree, with a form to add a unit.
pub fn units_page(cx: &Ctx, units: &[Unit], ok: Option<&str>, error: Option<&str>) -> Markup {
    let by_id: HashMap<serva_domain::UnitId, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let mut rows: Vec<(usize, &Unit)> = Vec::new();
    fn walk<'a>(
        units: &'a [Unit],
        parent: Option<serva_domain::UnitId>,
        depth: usize,
        rows: &mut Vec<(usize, &'a Unit)>,
    ) {
        for u in units.iter().filter(|u| u.parent_id == parent) {
            rows.push((depth, u));
            if depth < 20 {
                walk(units, Some(u.id), depth + 1, rows);
            }
        }
    }
    walk(units, None, 0, &mut rows);
    page(
        cx,
        cx.t("Organisation", "Organisation"),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(m) = error { (notice(false, m)) }
            div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Enheter", "Units")) {
                table {
                    caption.visually-hidden { (cx.t("Organisationsträd", "Organisation tree")) }
                    thead { tr {
                        th scope="col" { (cx.t("Namn", "Name")) }
                        th scope="col" { (cx.t("Kod", "Code")) }
                        th scope="col" { (cx.t("Typ", "Kind")) }
                        th scope="col" { (cx.t("Ansvar (ERP)", "ERP code")) }
                        th scope="col" { (cx.t("Giltig", "Valid")) }
                        th scope="col" { (cx.t("Föregångare", "Predecessor")) }
                    } }
                    tbody {
                        @for (depth, u) in &rows {
                            tr {
                                th scope="row" style={"padding-left:" (0.6 + 1.5 * *depth as f32) "rem"} { a href={"/admin/units/" (u.code) "/edit"} { (u.name) } }
                                td { (u.code) }
                                td { (unit_kind_label(cx, u.kind)) }
                                td { (u.erp_code.as_deref().unwrap_or("")) }
                                td { (u.valid_from.as_deref().unwrap_or("")) " – " (u.valid_to.as_deref().unwrap_or("")) }
                                td { (u.predecessor_id.and_then(|p| by_id.get(&p)).map(|p| p.name.as_str()).unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            h2 { (cx.t("Lägg till enhet", "Add a unit")) }
            (unit_form(cx, "/admin/units", None, units))
        },
    )
}

/// One person: details, roles, password.
pub fn user_page(
    cx: &Ctx,
    user: &User,
    grants: &[Grant],
    units: &[Unit],
    ok: Option<&str>,
    error: Option<&str>,
) -> Markup {
    let unit_name = |id: Option<serva_domain::UnitId>| {
        id.and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let home = user
        .home_unit_id
        .and_then(|h| units.iter().find(|u| u.id == h))
        .map(|u| u.code.clone())
        .unwrap_or_default();
    let base = format!("/admin/users/{}", user.id);
    page(
        cx,
        &format!("{} ({})", user.display_name, user.username),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(m) = error { (notice(false, m)) }
            h2 { (cx.t("Uppgifter", "Details")) }
            form method="post" action=(base) {
                (cx.csrf_field())
                label for="display_name" { (cx.t("Namn", "Name")) }
                input #display_name type="text" name="display_name" value=(user.display_name) required;
                label for="email" { (cx.t("E-post", "E-mail")) }
                input #email type="email" name="email" value=(user.email.as_deref().unwrap_or(""));
                label for="home_unit" { (cx.t("Tillhör enhet", "Belongs to unit")) }
                select #home_unit name="home_unit" {
                    (option("", "–", &home))
                    @for u in units { (option(&u.code, &u.name, &home)) }
                }
                label { input type="checkbox" name="active" value="true" checked[user.active]; " " (cx.t("Kontot är aktivt", "The account is active")) span.hint { (cx.t("att stänga av kontot avslutar personens inloggningar och återkallar alla API-nycklar", "deactivating the account ends the person's sessions and revokes all API tokens")) } }
                div { button type="submit" { (cx.t("Spara uppgifter", "Save details")) } }
            }
            h2 { (cx.t("Roller", "Roles")) }
            @if grants.is_empty() { p { (cx.t("Inga roller.", "No roles.")) } }
            ul {
                @for (i, g) in grants.iter().enumerate() {
                    li {
                        (role_label(cx, g.role))
                        @if g.unit.is_some() { ", " (unit_name(g.unit)) }
                        @if let Some(t) = g.target_group { " (" (target_group_label(cx, t)) ")" }
                        " "
                        form.inline method="post" action={(base) "/grants/remove"} {
                            (cx.csrf_field())
                            input type="hidden" name="index" value=(i);
                            button.secondary type="submit" { (cx.t("Ta bort", "Remove")) span.visually-hidden { " " (role_label(cx, g.role)) " " (unit_name(g.unit)) } }
                        }
                    }
                }
            }
            form method="post" action={(base) "/grants"} {
                (cx.csrf_field())
                fieldset {
                    legend { (cx.t("Lägg till roll", "Add a role")) }
                    (grant_fields(cx, units, ["", "", ""]))
                    div { button type="submit" { (cx.t("Lägg till roll", "Add role")) } }
                }
            }
            h2 { (cx.t("API-nycklar", "API tokens")) }
            p { a href={"/admin/tokens?user=" (user.id)} { (cx.t("Personens API-nycklar", "The person's API tokens")) } }
            h2 { (cx.t("Nytt lösenord", "New password")) }
            form method="post" action={(base) "/password"} {
                (cx.csrf_field())
                label for="password" { (cx.t("Lösenord", "Password")) span.hint { (cx.t("minst 8 tecken; personens inloggningar avslutas och alla API-nycklar återkallas", "at least 8 characters; the person's sessions end and all API tokens are revoked")) } }
                input #password type="password" name="password" required autocomplete="new-password";
                div { button type="submit" { (cx.t("Byt lösenord", "Change password")) } }
            }
        },
    )
}

/// The form to change a unit.
pub fn unit_edit_page(cx: &Ctx, unit: &Unit, units: &[Unit], error: Option<&str>) -> Markup {
    page(
        cx,
        &format!("{} {}", cx.t("Ändra", "Edit"), unit.name),
        html! {
            @if let Some(m) = error { (notice(false, m)) }
            (unit_form(cx, &format!("/admin/units/{}", unit.code), Some(unit), units))
        },
    )
}

/// The fields of a unit, empty for a new one or filled from `current`.
fn unit_form(cx: &Ctx, action: &str, current: Option<&Unit>, units: &[Unit]) -> Markup {
    let code_of = |id: Option<serva_domain::UnitId>| {
        id.and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| u.code.clone())
            .unwrap_or_default()
    };
    let text = |f: fn(&Unit) -> Option<&str>| current.and_then(f).unwrap_or("").to_string();
    let parent = code_of(current.and_then(|u| u.parent_id));
    let predecessor = code_of(current.and_then(|u| u.predecessor_id));
    let kind = current.map_or("unit", |u| u.kind.as_str());
    let others = || {
        units
            .iter()
            .filter(move |u| current.is_none_or(|c| c.id != u.id))
    };
    html! {
        form method="post" action=(action) {
            (cx.csrf_field())
            label for="code" { (cx.t("Kod", "Code")) span.hint { "A–Z, 0–9, - _" } }
            input #code type="text" name="code" value=(text(|u| Some(u.code.as_str()))) required;
            label for="name" { (cx.t("Namn", "Name")) }
            input #name type="text" name="name" value=(text(|u| Some(u.name.as_str()))) required;
            label for="kind" { (cx.t("Typ", "Kind")) }
            select #kind name="kind" { @for k in UnitKind::ALL { (option(k.as_str(), unit_kind_label(cx, k), kind)) } }
            label for="parent" { (cx.t("Överordnad", "Parent")) }
            select #parent name="parent" {
                (option("", "–", &parent))
                @for u in others() { (option(&u.code, &u.name, &parent)) }
            }
            label for="erp_code" { (cx.t("Ansvar (ERP-kod)", "ERP code")) }
            input #erp_code type="text" name="erp_code" value=(text(|u| u.erp_code.as_deref()));
            label for="valid_from" { (cx.t("Giltig från", "Valid from")) span.hint { "ÅÅÅÅ-MM-DD" } }
            input #valid_from type="text" autocomplete="off" spellcheck="false" size="10" name="valid_from" value=(text(|u| u.valid_from.as_deref()));
            label for="valid_to" { (cx.t("Giltig till", "Valid to")) }
            input #valid_to type="text" autocomplete="off" spellcheck="false" size="10" name="valid_to" value=(text(|u| u.valid_to.as_deref()));
            label for="predecessor" { (cx.t("Föregångare", "Predecessor")) }
            select #predecessor name="predecessor" {
                (option("", "–", &predecessor))
                @for u in others() { (option(&u.code, &u.name, &predecessor)) }
            }
            div { button type="submit" { (if current.is_some() { cx.t("Spara", "Save") } else { cx.t("Lägg till", "Add") }) } }
        }
    }
}

/// Role, unit and target group: the fields of one grant.
/// The role fields, with what was chosen (`role`, `role_unit`, `target_group`) kept.
pub(crate) fn grant_fields(cx: &Ctx, units: &[Unit], chosen: [&str; 3]) -> Markup {
    let [role, role_unit, target_group] = chosen;
    html! {
        label for="role" { (cx.t("Roll", "Role")) }
        select #role name="role" {
            (option("", "–", role))
            @for r in RoleKind::ALL { (option(r.as_str(), role_label(cx, r), role)) }
        }
        label for="role_unit" { (cx.t("På enhet", "On unit")) span.hint { (cx.t("gäller även underliggande enheter; inte för administratör och controller", "covers units below too; not for administrator and controller")) } }
        select #role_unit name="role_unit" {
            (option("", "–", role_unit))
            @for u in units { (option(&u.code, &u.name, role_unit)) }
        }
        label for="target_group" { (cx.t("Målgrupp (kunder)", "Target group (customers)")) }
        select #target_group name="target_group" {
            (option("", "–", target_group))
            @for t in TargetGroup::ALL { (option(t.as_str(), target_group_label(cx, t), target_group)) }
        }
    }
}

/// Phone queues' service-level rules: threshold, grace period for quick hang-ups, target.
pub fn queues_page(
    cx: &Ctx,
    rows: &[(Unit, serva_domain::followup::QueueRule)],
    ok: Option<&str>,
    error: Option<&str>,
) -> Markup {
    page(
        cx,
        cx.t("Telefonköer", "Phone queues"),
        html! {
            @if let Some(m) = ok { (notice(true, m)) }
            @if let Some(m) = error { (notice(false, m)) }
            p { (cx.t(
                "Svarsservice = samtal besvarade inom tröskeln ÷ erbjudna samtal. Samtal som läggs på inom karenstiden räknas inte som erbjudna.",
                "Service level = calls answered within the threshold ÷ calls offered. Calls abandoned within the grace period are not counted as offered."
            )) }
            @for (u, r) in rows {
                form method="post" action={"/admin/queues/" (u.code)} {
                    (cx.csrf_field())
                    fieldset {
                        legend { (u.name) }
                        label for={"a-" (u.code)} { (cx.t("Besvarat inom (sekunder)", "Answered within (seconds)")) }
                        input id={"a-" (u.code)} type="number" name="answer_within_seconds" min="1" max="3600" value=(r.answer_within_seconds) required;
                        label for={"g-" (u.code)} { (cx.t("Karenstid för avhopp (sekunder)", "Grace period for hang-ups (seconds)")) }
                        input id={"g-" (u.code)} type="number" name="abandon_grace_seconds" min="0" max="600" value=(r.abandon_grace_seconds) required;
                        label for={"t-" (u.code)} { (cx.t("Mål (procent)", "Target (percent)")) }
                        input id={"t-" (u.code)} type="text" inputmode="decimal" name="target_percent" value=(serva_domain::format::decimal(r.target_percent, 1).replace(serva_domain::format::GROUP, "")) required;
                        div { button type="submit" { (cx.t("Spara", "Save")) span.visually-hidden { " " (u.name) } } }
                    }
                }
            }
        },
    )
}
