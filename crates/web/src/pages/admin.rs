//! Administration pages: organisation, users and roles, audit log. Administrators only;
//! to anyone else they do not exist.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_app::{AppError, NewPerson};
use serva_domain::case::CaseNumber;
use serva_domain::org::{NewUnit, UnitCode, UnitKind};
use serva_domain::role::{Grant, RoleKind, TargetGroup};
use serva_domain::time::{from_local, parse_day};
use serva_domain::user::{person_problems, PersonField, PersonProblem};
use serva_domain::UserId;
use serva_store::audit::AuditFilter;
use serva_store::user_search::PeopleFilter;
use serva_views::pages::admin::{admin_index, queues_page, unit_edit_page, units_page, user_page};
use serva_views::pages::admin_users::{users_page, PeopleQuery, PersonDraft, UserRow};
use serva_views::pages::audit::{audit_page, AuditQuery};
use serva_views::Ctx;

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

use super::parse_id;

fn admin_only(auth: &Auth) -> Result<(), PageError> {
    if auth.s.principal.administers() {
        Ok(())
    } else {
        Err(PageError::not_found())
    }
}

/// What an administrator's form shows when the change was refused; anything else is an error.
fn form_message(cx: &Ctx, e: AppError) -> Result<String, PageError> {
    match e {
        AppError::Refused(r) => Ok(serva_views::widgets::refusal(cx, r)),
        AppError::Conflict(m) | AppError::Invalid(m) | AppError::BadRequest(m) => Ok(m),
        other => Err(other.into()),
    }
}

pub async fn index(auth: Auth) -> Result<Response, PageError> {
    admin_only(&auth)?;
    Ok(admin_index(&auth.cx).into_response())
}

pub async fn units(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    admin_only(&auth)?;
    let units = st.app.units().await?;
    let ok = q
        .contains_key("ok")
        .then(|| auth.cx.t("Enheten är tillagd.", "The unit has been added."));
    Ok(units_page(&auth.cx, &units, ok, None).into_response())
}

/// A day as typed (`2019-8-1`, `20190801`) written the one way the database keeps it; text that
/// is no day is kept as typed, for the check to name.
fn iso_day(s: &str) -> String {
    serva_domain::time::parse_day(s)
        .map_or_else(|| s.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// Reads the unit form; the same for adding and changing.
async fn unit_from_form(st: &AppState, f: &FormPost) -> Result<NewUnit, AppError> {
    let code = UnitCode::parse(f.get("code")).map_err(|e| AppError::invalid(e.to_string()))?;
    let kind =
        UnitKind::parse(f.get("kind")).ok_or_else(|| AppError::invalid("unknown kind of unit"))?;
    Ok(NewUnit {
        code,
        name: f.get("name").to_string(),
        kind,
        parent: st.app.unit_ref(f.opt("parent")).await?,
        erp_code: f.opt("erp_code").map(str::to_string),
        valid_from: f.opt("valid_from").map(iso_day),
        valid_to: f.opt("valid_to").map(iso_day),
        predecessor: st.app.unit_ref(f.opt("predecessor")).await?,
    })
}

pub async fn edit_unit(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    admin_only(&auth)?;
    let unit = st.app.unit_by_code(&code).await?;
    let units = st.app.units().await?;
    Ok(unit_edit_page(&auth.cx, &unit, &units, None).into_response())
}

pub async fn update_unit(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let unit = st.app.unit_by_code(&code).await?;
    let result = match unit_from_form(&st, &f).await {
        Ok(new) => st.app.update_unit(&f.auth.s.principal, &code, &new).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/units?ok=1").into_response()),
        Err(e) => {
            let m = form_message(&f.auth.cx, e)?;
            let units = st.app.units().await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                unit_edit_page(&f.auth.cx, &unit, &units, Some(&m)),
            )
                .into_response())
        }
    }
}

pub async fn create_unit(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let result = match unit_from_form(&st, &f).await {
        Ok(new) => st.app.create_unit(&f.auth.s.principal, &new).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/units?ok=1").into_response()),
        Err(e) => {
            let m = form_message(&f.auth.cx, e)?;
            let units = st.app.units().await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                units_page(&f.auth.cx, &units, None, Some(&m)),
            )
                .into_response())
        }
    }
}

/// People per page of the list.
const PEOPLE_PAGE: i64 = 50;

async fn render_users(
    st: &AppState,
    auth: &Auth,
    status: StatusCode,
    query: &PeopleQuery,
    ok: Option<&str>,
    draft: &PersonDraft,
) -> Result<Response, PageError> {
    let units = st.app.units().await?;
    let unit = match query.unit.as_str() {
        "" => None,
        code => Some(
            units
                .iter()
                .find(|u| u.code == code)
                .map(|u| u.id)
                .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "unknown unit"))?,
        ),
    };
    let role = match query.role.as_str() {
        "" => None,
        r => Some(
            RoleKind::parse(r)
                .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "unknown role"))?,
        ),
    };
    let filter = PeopleFilter {
        text: Some(query.q.clone()).filter(|q| !q.trim().is_empty()),
        unit,
        role,
        active: match query.state.as_str() {
            "active" => Some(true),
            "inactive" => Some(false),
            _ => None,
        },
        offset: (query.page - 1) * PEOPLE_PAGE,
        limit: PEOPLE_PAGE,
    };
    let mut rows = st.app.find_people(&auth.s.principal, &filter).await?;
    let has_next = rows.len() as i64 > PEOPLE_PAGE;
    rows.truncate(PEOPLE_PAGE as usize);
    let view: Vec<UserRow> = rows
        .iter()
        .map(|(u, g)| UserRow {
            user: u,
            grants: g.clone(),
        })
        .collect();
    Ok((
        status,
        users_page(&auth.cx, &view, &units, query, has_next, ok, draft),
    )
        .into_response())
}

fn people_query(q: &HashMap<String, String>) -> PeopleQuery {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    PeopleQuery {
        q: get("q"),
        unit: get("unit"),
        role: get("role"),
        state: get("state"),
        page: q
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1),
    }
}

pub async fn users(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    admin_only(&auth)?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx
            .t("Användaren är tillagd.", "The user has been added.")
    });
    render_users(
        &st,
        &auth,
        StatusCode::OK,
        &people_query(&q),
        ok,
        &PersonDraft::default(),
    )
    .await
}

/// A grant from the role fields of a form (`role`, `role_unit`, `target_group`).
async fn grant_from_form(st: &AppState, f: &FormPost) -> Result<Grant, AppError> {
    let role = RoleKind::parse(f.get("role")).ok_or_else(|| AppError::invalid("unknown role"))?;
    let unit = st.app.unit_ref(f.opt("role_unit")).await?;
    let tg = match f.opt("target_group") {
        Some(t) => {
            Some(TargetGroup::parse(t).ok_or_else(|| AppError::invalid("unknown target group"))?)
        }
        None => None,
    };
    Grant::new(role, unit, tg).map_err(|e| AppError::invalid(e.to_string()))
}

pub async fn create_user(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let mut draft = PersonDraft {
        username: f.get("username").trim().to_string(),
        display_name: f.get("display_name").to_string(),
        email: f.get("email").trim().to_string(),
        home_unit: f.get("home_unit").to_string(),
        role: f.get("role").to_string(),
        role_unit: f.get("role_unit").to_string(),
        target_group: f.get("target_group").to_string(),
        problems: person_problems(
            f.get("username"),
            f.get("display_name"),
            f.opt("email"),
            f.get("password"),
            serva_app::MIN_PASSWORD,
        ),
        other: None,
    };
    if draft.problems.is_empty() {
        let result: Result<(), AppError> = async {
            let grants = match f.opt("role") {
                Some(_) => vec![grant_from_form(&st, &f).await?],
                None => vec![],
            };
            let person = NewPerson {
                username: f.get("username").to_string(),
                display_name: f.get("display_name").to_string(),
                email: f.opt("email").map(str::to_string),
                password: f.get("password").to_string(),
                home_unit: st.app.unit_ref(f.opt("home_unit")).await?,
                grants,
            };
            st.app
                .add_person(&f.auth.s.principal, &person)
                .await
                .map(|_| ())
        }
        .await;
        match result {
            Ok(()) => return Ok(Redirect::to("/admin/users?ok=1").into_response()),
            // The one rule only the database can check: the username is free.
            Err(AppError::Conflict(_)) => draft
                .problems
                .push((PersonField::Username, PersonProblem::UsernameTaken)),
            Err(e) => draft.other = Some(form_message(&f.auth.cx, e)?),
        }
    }
    render_users(
        &st,
        &f.auth,
        StatusCode::UNPROCESSABLE_ENTITY,
        &PeopleQuery {
            page: 1,
            ..PeopleQuery::default()
        },
        None,
        &draft,
    )
    .await
}

pub async fn audit(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    admin_only(&auth)?;
    let before = match q.get("before") {
        None => None,
        Some(b) => Some(
            b.parse::<i64>()
                .map_err(|_| PageError::new(StatusCode::BAD_REQUEST, "bad 'before'"))?,
        ),
    };
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut query = AuditQuery {
        who: get("who"),
        case: get("case"),
        from: get("from"),
        to: get("to"),
        problem: None,
    };
    let cx = &auth.cx;
    let mut filter = AuditFilter {
        entity: q.get("entity").cloned(),
        entity_id: q.get("entity_id").cloned(),
        before_id: before,
        limit: 50,
        ..AuditFilter::default()
    };
    if !query.who.is_empty() {
        match st
            .app
            .person_by_username(&auth.s.principal, &query.who)
            .await
        {
            Ok(u) => filter.actor = Some(u.id),
            Err(AppError::NotFound(_)) => {
                query.problem = Some(format!(
                    "{} {:?}.",
                    cx.t("Det finns ingen användare", "There is no user"),
                    query.who
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !query.case.is_empty() {
        let id = CaseNumber::parse(&query.case)
            .map(|n| n.id.0)
            .or_else(|| query.case.parse::<i64>().ok().filter(|i| *i > 0));
        match id {
            Some(id) => {
                filter.entity = Some("case".into());
                filter.entity_id = Some(id.to_string());
            }
            None => {
                query.problem = Some(
                    cx.t(
                        "Skriv ärendenumret som 2026-0000123.",
                        "Write the case number as 2026-0000123.",
                    )
                    .into(),
                )
            }
        }
    }
    for (text, start, slot) in [
        (&query.from, true, &mut filter.from_at),
        (&query.to, false, &mut filter.until_at),
    ] {
        if text.is_empty() {
            continue;
        }
        match parse_day(text) {
            // From the start of the first day to the end of the last, in Stockholm.
            Some(d) => {
                let day = if start { d } else { d.succ_opt().unwrap_or(d) };
                *slot = Some(from_local(day.and_hms_opt(0, 0, 0).expect("midnight")));
            }
            None => {
                query.problem = Some(format!(
                    "{} {text:?} {}",
                    cx.t("Datumet", "The date"),
                    cx.t("ska skrivas ÅÅÅÅ-MM-DD.", "must be written YYYY-MM-DD.")
                ))
            }
        }
    }
    let (entries, names) = if query.problem.is_some() {
        (Vec::new(), HashMap::new())
    } else {
        let entries = st.app.audit_log(&auth.s.principal, &filter).await?;
        let names = st
            .app
            .user_names(&auth.s.principal, &mentioned_people(&entries))
            .await?;
        (entries, names)
    };
    let next = (entries.len() == 50)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let status = if query.problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, audit_page(cx, &entries, &names, &query, next)).into_response())
}

/// The people an audit page names: who acted, whom a user entry is about, and the people in
/// its data (an assignee before and after).
fn mentioned_people(entries: &[serva_domain::user::AuditEntry]) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for e in entries {
        ids.extend(e.actor_id.map(|a| a.0));
        if e.entity == "user" {
            ids.extend(e.entity_id.parse::<i64>().ok());
        }
        for json in [&e.before_json, &e.after_json].into_iter().flatten() {
            if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(json) {
                for (k, v) in m {
                    if k.ends_with("_id") && k != "unit_id" && k != "home_unit_id" {
                        ids.extend(v.as_i64());
                    }
                }
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

async fn render_user(
    st: &AppState,
    auth: &Auth,
    id: i64,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let (user, grants) = st.app.person(&auth.s.principal, UserId(id)).await?;
    let units = st.app.units().await?;
    Ok((
        status,
        user_page(&auth.cx, &user, &grants, &units, ok, error),
    )
        .into_response())
}

fn user_id(id: &str) -> Result<i64, PageError> {
    parse_id(id).ok_or_else(PageError::not_found)
}

pub async fn user(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    admin_only(&auth)?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx
            .t("Ändringen är sparad.", "The change has been saved.")
    });
    render_user(&st, &auth, user_id(&id)?, StatusCode::OK, ok, None).await
}

/// The person an administrator's form is about; "not found" for anyone else, or an unknown id.
async fn target(st: &AppState, f: &FormPost, id: &str) -> Result<UserId, PageError> {
    let id = UserId(user_id(id)?);
    st.app.person(&f.auth.s.principal, id).await?;
    Ok(id)
}

async fn after_change(
    st: &AppState,
    f: &FormPost,
    id: UserId,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}?ok=1")).into_response()),
        Err(e) => {
            let m = form_message(&f.auth.cx, e)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_user(st, &f.auth, id.0, status, None, Some(&m)).await
        }
    }
}

pub async fn update_user(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = target(&st, &f, &id).await?;
    let result = async {
        let home = st.app.unit_ref(f.opt("home_unit")).await?;
        let active = f.get("active") == "true";
        let (name, email) = (f.get("display_name"), f.opt("email"));
        let p = &f.auth.s.principal;
        st.app
            .update_person(p, id, name, email, home, active)
            .await
            .map(|_| ())
    }
    .await;
    after_change(&st, &f, id, result).await
}

pub async fn add_grant(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = target(&st, &f, &id).await?;
    let result = match grant_from_form(&st, &f).await {
        Ok(grant) => st.app.add_grant(&f.auth.s.principal, id, grant).await,
        Err(e) => Err(e),
    };
    after_change(&st, &f, id, result).await
}

pub async fn remove_grant(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = target(&st, &f, &id).await?;
    let result = match f.get("index").parse::<usize>() {
        Ok(i) => st.app.remove_grant(&f.auth.s.principal, id, i).await,
        Err(_) => Err(AppError::Refused(serva_domain::refusal::Refusal::RoleGone)),
    };
    after_change(&st, &f, id, result).await
}

pub async fn set_password(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    let id = target(&st, &f, &id).await?;
    let p = &f.auth.s.principal;
    let result = st.app.set_password(p, id, f.get("password")).await;
    after_change(&st, &f, id, result).await
}

async fn render_queues(
    st: &AppState,
    auth: &Auth,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let rows = st.app.queue_rules(&auth.s.principal).await?;
    Ok((status, queues_page(&auth.cx, &rows, ok, error)).into_response())
}

pub async fn queues(
    State(st): State<AppState>,
    auth: Auth,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    admin_only(&auth)?;
    let ok = q.contains_key("ok").then(|| {
        auth.cx
            .t("Inställningen är sparad.", "The setting has been saved.")
    });
    render_queues(&st, &auth, StatusCode::OK, ok, None).await
}

pub async fn set_queue(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    st.app.unit_by_code(&code).await?;
    let rule = (|| {
        Some(serva_domain::followup::QueueRule {
            answer_within_seconds: f.get("answer_within_seconds").trim().parse().ok()?,
            abandon_grace_seconds: f.get("abandon_grace_seconds").trim().parse().ok()?,
            target_percent: serva_domain::catalogue::parse_number(f.get("target_percent"))?,
        })
    })();
    let result = match rule {
        Some(r) => match st.app.set_queue_rule(&f.auth.s.principal, &code, &r).await {
            Ok(()) => Ok(()),
            Err(e) => Err(form_message(&f.auth.cx, e)?),
        },
        None => Err(f
            .auth
            .cx
            .t(
                "Ange hela sekunder och ett mål i procent.",
                "Enter whole seconds and a target in percent.",
            )
            .to_string()),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin/queues?ok=1").into_response()),
        Err(m) => {
            render_queues(
                &st,
                &f.auth,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&m),
            )
            .await
        }
    }
}
