//! Administration pages: organisation, users and roles, audit log. Administrators only;
//! to anyone else they do not exist.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::org::{UnitCode, UnitKind};
use serva_domain::role::{Grant, RoleKind, TargetGroup};
use serva_store::audit::AuditFilter;
use serva_store::org::NewUnit;
use serva_store::users::NewUser;
use serva_store::{Db, StoreError};
use serva_views::pages::admin::{admin_index, audit_page, units_page, users_page, UserRow};

use crate::auth::Auth;
use crate::error::PageError;
use crate::forms::FormPost;
use crate::AppState;

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

pub async fn create_unit(State(st): State<AppState>, f: FormPost) -> Result<Response, PageError> {
    admin_only(&f.auth)?;
    let result: Result<(), String> = async {
        let code = UnitCode::parse(f.get("code")).map_err(|e| e.to_string())?;
        let kind = UnitKind::parse(f.get("kind")).ok_or("unknown kind of unit")?;
        let unit = NewUnit {
            code,
            name: f.get("name").to_string(),
            kind,
            parent: unit_ref(&st.db, f.opt("parent")).await?,
            erp_code: f.opt("erp_code").map(str::to_string),
            valid_from: f.opt("valid_from").map(str::to_string),
            valid_to: f.opt("valid_to").map(str::to_string),
            predecessor: unit_ref(&st.db, f.opt("predecessor")).await?,
        };
        st.db
            .create_unit(Some(f.auth.s.user.uid()), &unit)
            .await
            .map(|_| ())
            .map_err(|e| match e {
                StoreError::Conflict(m) | StoreError::Invalid(m) => m,
                other => other.to_string(),
            })
    }
    .await;
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
