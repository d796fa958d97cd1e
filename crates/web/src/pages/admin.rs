//! Administration pages: organisation, users and roles, audit log. Administrators only;
//! to anyone else they do not exist.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::org::{UnitCode, UnitKind};
use serva_domain::role::{Grant, RoleKind, TargetGroup};
use serva_store::audit::AuditFilter;
use serva_store::org::NewUnit;
use serva_store::users::NewUser;
use serva_store::{Db, StoreError};
use serva_views::pages::admin::{
    admin_index, audit_page, queues_page, unit_edit_page, units_page, user_page, users_page,
    UserRow,
};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

use super::parse_id;

fn admin_only(auth: &Auth) -> Result<(), PageError> {
    if auth.s.principal.admin {
        Ok(())
    } else {
        Err(PageError::not_found())
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
    let units = st.db.units().await?;
    let ok = q
        .contains_key("ok")
        .then(|| auth.cx.t("Enheten är tillagd.", "The unit has been added."));
    Ok(units_page(&auth.cx, &units, ok, None).into_response())
}

async fn unit_ref(db: &Db, code: Option<&str>) -> Result<Option<serva_domain::UnitId>, String> {
    match code {
        None => Ok(None),
        Some(c) => match db.unit_by_code(c).await {
            Ok(u) => Ok(Some(u.uid())),
            Err(_) => Err(format!("unknown unit {c:?}")),
        },
    }
}

/// Reads the unit form; the same for adding and changing.
async fn unit_from_form(st: &AppState, f: &FormPost) -> Result<NewUnit, String> {
    let code = UnitCode::parse(f.get("code")).map_err(|e| e.to_string())?;
    let kind = UnitKind::parse(f.get("kind")).ok_or("unknown kind of unit")?;
    Ok(NewUnit {
        code,
        name: f.get("name").to_string(),
        kind,
        parent: unit_ref(&st.db, f.opt("parent")).await?,
        erp_code: f.opt("erp_code").map(str::to_string),
        valid_from: f.opt("valid_from").map(str::to_string),
        valid_to: f.opt("valid_to").map(str::to_string),
        predecessor: unit_ref(&st.db, f.opt("predecessor")).await?,
    })
}

fn store_message(e: StoreError) -> String {
    match e {
        StoreError::Conflict(m) | StoreError::Invalid(m) => m,
        other => other.to_string(),
    }
}

pub async fn edit_unit(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    admin_only(&auth)?;
    let unit = st.db.unit_by_code(&code).await?;
    let units = st.db.units().await?;
    Ok(unit_edit_page(&auth.cx, &unit, &units, None).into_response())
}

pub async fn update_unit(
    State(st): State<AppState>,
    Path(code): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let unit = st.db.unit_by_code(&code).await?;
    let result = match unit_from_form(&st, &f).await {
        Ok(new) => st
            .db
            .update_unit(Some(f.auth.s.user.uid()), unit.uid(), &new)
            .await
            .map(|_| ())
            .map_err(store_message),
        Err(m) => Err(m),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin/units?ok=1").into_response()),
        Err(m) => {
            let units = st.db.units().await?;
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
        Ok(new) => st
            .db
            .create_unit(Some(f.auth.s.user.uid()), &new)
            .await
            .map(|_| ())
            .map_err(store_message),
        Err(m) => Err(m),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin/units?ok=1").into_response()),
        Err(m) => {
            let units = st.db.units().await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                units_page(&f.auth.cx, &units, None, Some(&m)),
            )
                .into_response())
        }
    }
}

async fn user_rows(db: &Db) -> Result<Vec<(serva_store::users::User, Vec<Grant>)>, StoreError> {
    let mut rows = Vec::new();
    for u in db.users().await? {
        let g = db.grants_of(u.uid()).await?;
        rows.push((u, g));
    }
    Ok(rows)
}

async fn render_users(
    st: &AppState,
    auth: &Auth,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let rows = user_rows(&st.db).await?;
    let view: Vec<UserRow> = rows
        .iter()
        .map(|(u, g)| UserRow {
            user: u,
            grants: g.clone(),
        })
        .collect();
    let units = st.db.units().await?;
    Ok((status, users_page(&auth.cx, &view, &units, ok, error)).into_response())
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
    render_users(&st, &auth, StatusCode::OK, ok, None).await
}

pub async fn create_user(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let result: Result<(), String> = async {
        let password = f.get("password");
        if password.chars().count() < 8 {
            return Err(f
                .auth
                .cx
                .t(
                    "Lösenordet måste ha minst 8 tecken.",
                    "The password needs at least 8 characters.",
                )
                .to_string());
        }
        let mut grants = Vec::new();
        if let Some(role) = f.opt("role") {
            let role = RoleKind::parse(role).ok_or("unknown role")?;
            let unit = unit_ref(&st.db, f.opt("role_unit")).await?;
            let tg = match f.opt("target_group") {
                Some(t) => Some(TargetGroup::parse(t).ok_or("unknown target group")?),
                None => None,
            };
            grants.push(Grant::new(role, unit, tg).map_err(|e| e.to_string())?);
        }
        let hash = {
            let p = password.to_string();
            tokio::task::spawn_blocking(move || serva_store::secrets::hash_password(&p))
                .await
                .map_err(|e| e.to_string())?
        };
        let user = NewUser {
            username: f.get("username").trim().to_lowercase(),
            display_name: f.get("display_name").to_string(),
            email: f.opt("email").map(str::to_string),
            password_hash: Some(hash),
            locale: None,
            home_unit: unit_ref(&st.db, f.opt("home_unit")).await?,
        };
        st.db
            .create_user(Some(f.auth.s.user.uid()), &user, &grants)
            .await
            .map(|_| ())
            .map_err(|e| match e {
                StoreError::Conflict(m) | StoreError::Invalid(m) => m,
                other => other.to_string(),
            })
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/users?ok=1").into_response()),
        Err(m) => {
            render_users(
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
    let filter = AuditFilter {
        entity: q.get("entity").cloned(),
        entity_id: q.get("entity_id").cloned(),
        before_id: before,
        limit: 50,
    };
    let entries = st.db.audit_entries(&filter).await?;
    let next = (entries.len() == 50)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    Ok(audit_page(&auth.cx, &entries, next).into_response())
}

async fn render_user(
    st: &AppState,
    auth: &Auth,
    id: i64,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let user = st.db.user(serva_domain::UserId(id)).await?;
    let grants = st.db.grants_of(user.uid()).await?;
    let units = st.db.units().await?;
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

async fn after_change(
    st: &AppState,
    f: &FormPost,
    id: i64,
    result: Result<(), String>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}?ok=1")).into_response()),
        Err(m) => {
            render_user(
                st,
                &f.auth,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&m),
            )
            .await
        }
    }
}

pub async fn update_user(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let id = user_id(&id)?;
    let target = st.db.user(serva_domain::UserId(id)).await?;
    let active = f.get("active") == "true";
    let result = async {
        if !active && target.id == f.auth.s.user.id {
            return Err(f
                .auth
                .cx
                .t(
                    "Du kan inte stänga av ditt eget konto.",
                    "You cannot deactivate your own account.",
                )
                .to_string());
        }
        let home = unit_ref(&st.db, f.opt("home_unit")).await?;
        st.db
            .update_user(
                Some(f.auth.s.user.uid()),
                target.uid(),
                f.get("display_name"),
                f.opt("email"),
                home,
                active,
            )
            .await
            .map(|_| ())
            .map_err(store_message)
    }
    .await;
    after_change(&st, &f, id, result).await
}

pub async fn add_grant(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let id = user_id(&id)?;
    let user = st.db.user(serva_domain::UserId(id)).await?;
    let result = async {
        let role = RoleKind::parse(f.get("role")).ok_or("unknown role")?;
        let unit = unit_ref(&st.db, f.opt("role_unit")).await?;
        let tg = match f.opt("target_group") {
            Some(t) => Some(TargetGroup::parse(t).ok_or("unknown target group")?),
            None => None,
        };
        let grant = Grant::new(role, unit, tg).map_err(|e| e.to_string())?;
        let mut grants = st.db.grants_of(user.uid()).await.map_err(store_message)?;
        if grants.contains(&grant) {
            return Err(f
                .auth
                .cx
                .t(
                    "Personen har redan den rollen.",
                    "The person already has that role.",
                )
                .to_string());
        }
        grants.push(grant);
        st.db
            .set_grants(Some(f.auth.s.user.uid()), user.uid(), &grants)
            .await
            .map_err(store_message)
    }
    .await;
    after_change(&st, &f, id, result).await
}

pub async fn remove_grant(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let id = user_id(&id)?;
    let user = st.db.user(serva_domain::UserId(id)).await?;
    let mut grants = st.db.grants_of(user.uid()).await?;
    let index = f
        .get("index")
        .parse::<usize>()
        .ok()
        .filter(|&i| i < grants.len());
    let result = match index {
        None => Err(f
            .auth
            .cx
            .t(
                "Rollen finns inte längre; ladda om sidan.",
                "The role is gone; reload the page.",
            )
            .to_string()),
        Some(i) if user.id == f.auth.s.user.id && grants[i].role == RoleKind::Admin => Err(f
            .auth
            .cx
            .t(
                "Du kan inte ta bort din egen administratörsroll.",
                "You cannot remove your own administrator role.",
            )
            .to_string()),
        Some(i) => {
            grants.remove(i);
            st.db
                .set_grants(Some(f.auth.s.user.uid()), user.uid(), &grants)
                .await
                .map_err(store_message)
        }
    };
    after_change(&st, &f, id, result).await
}

pub async fn set_password(
    State(st): State<AppState>,
    Path(id): Path<String>,
    f: FormPost,
) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let id = user_id(&id)?;
    let user = st.db.user(serva_domain::UserId(id)).await?;
    let result = if f.get("password").chars().count() < 8 {
        Err(f
            .auth
            .cx
            .t(
                "Lösenordet måste ha minst 8 tecken.",
                "The password needs at least 8 characters.",
            )
            .to_string())
    } else {
        st.db
            .set_password(Some(f.auth.s.user.uid()), user.uid(), f.get("password"))
            .await
            .map_err(store_message)
    };
    after_change(&st, &f, id, result).await
}

async fn render_queues(
    st: &AppState,
    auth: &Auth,
    status: StatusCode,
    ok: Option<&str>,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let mut rows = Vec::new();
    for u in st
        .db
        .units()
        .await?
        .into_iter()
        .filter(|u| u.kind() == UnitKind::Unit)
    {
        let rule = st.db.queue_rule(u.id).await?;
        rows.push((u, rule));
    }
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
    let unit = st.db.unit_by_code(&code).await?;
    let rule = (|| {
        Some(serva_domain::followup::QueueRule {
            answer_within_seconds: f.get("answer_within_seconds").trim().parse().ok()?,
            abandon_grace_seconds: f.get("abandon_grace_seconds").trim().parse().ok()?,
            target_percent: serva_domain::catalogue::parse_number(f.get("target_percent"))?,
        })
    })();
    let result = match rule {
        Some(r) => st
            .app
            .set_queue_rule(&f.auth.s.principal, unit.uid(), &r)
            .await
            .map_err(|e| e.to_string()),
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
