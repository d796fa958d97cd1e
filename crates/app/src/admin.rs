//! Administration: the organisation, people and their roles, the queues' phone rules and the
//! audit log. Administrators only; to anyone else these do not exist.

use serva_domain::access::Principal;
use serva_domain::followup::QueueRule;
use serva_domain::org::{NewUnit, Unit, UnitKind};
use serva_domain::refusal::Refusal;
use serva_domain::role::{Grant, RoleKind};
use serva_domain::user::{AuditEntry, User};
use serva_domain::{UnitId, UserId};
use serva_store::audit::AuditFilter;
use serva_store::users::NewUser;
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// The shortest password Serva accepts from an administrator or the command line.
pub const MIN_PASSWORD: usize = 8;

/// A person to add: their details, a password and their first roles.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password: String,
    pub home_unit: Option<UnitId>,
    pub grants: Vec<Grant>,
}

fn admin_only(p: &Principal, what: &'static str) -> AppResult<()> {
    if p.administers() {
        Ok(())
    } else {
        Err(AppError::NotFound(what))
    }
}

fn check_password(password: &str) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::Refused(Refusal::PasswordTooShort {
            min: MIN_PASSWORD,
        }));
    }
    Ok(())
}

impl App {
    /// A unit by code, for a form that names one: unknown is the caller's mistake.
    pub async fn unit_ref(&self, code: Option<&str>) -> AppResult<Option<UnitId>> {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => Ok(None),
            Some(c) => match self.db().unit_by_code(c).await {
                Ok(u) => Ok(Some(u.id)),
                Err(StoreError::NotFound(_)) => {
                    Err(AppError::invalid(format!("unknown unit {c:?}")))
                }
                Err(e) => Err(e.into()),
            },
        }
    }

    /// Every unit of the organisation, by name (anyone signed in may read the tree).
    pub async fn units(&self) -> AppResult<Vec<Unit>> {
        Ok(self.db().units().await?)
    }

    pub async fn unit_by_code(&self, code: &str) -> AppResult<Unit> {
        Ok(self.db().unit_by_code(code).await?)
    }

    pub async fn create_unit(&self, p: &Principal, u: &NewUnit) -> AppResult<Unit> {
        admin_only(p, "unit")?;
        Ok(self.db().create_unit(p.user, u).await?)
    }

    pub async fn update_unit(&self, p: &Principal, code: &str, u: &NewUnit) -> AppResult<Unit> {
        admin_only(p, "unit")?;
        let unit = self.db().unit_by_code(code).await?;
        Ok(self.db().update_unit(p.user, unit.id, u).await?)
    }

    /// Every person with their roles.
    pub async fn people(&self, p: &Principal) -> AppResult<Vec<(User, Vec<Grant>)>> {
        admin_only(p, "users")?;
        let db = self.db();
        let mut rows = Vec::new();
        for u in db.users().await? {
            let g = db.grants_of(u.id).await?;
            rows.push((u, g));
        }
        Ok(rows)
    }

    /// People matching a filter, a page at a time (one more than the limit: a next page exists).
    pub async fn find_people(
        &self,
        p: &Principal,
        f: &serva_store::user_search::PeopleFilter,
    ) -> AppResult<Vec<(User, Vec<Grant>)>> {
        admin_only(p, "users")?;
        Ok(self.db().find_people(f).await?)
    }

    /// A person by username, for a filter that names one.
    pub async fn person_by_username(&self, p: &Principal, username: &str) -> AppResult<User> {
        admin_only(p, "user")?;
        Ok(self
            .db()
            .user_by_username(&username.trim().to_lowercase())
            .await?)
    }

    /// The names of the people an audit page mentions.
    pub async fn user_names(
        &self,
        p: &Principal,
        ids: &[i64],
    ) -> AppResult<std::collections::HashMap<i64, String>> {
        admin_only(p, "users")?;
        Ok(self.db().user_names(ids).await?)
    }

    /// One person with their roles.
    pub async fn person(&self, p: &Principal, id: UserId) -> AppResult<(User, Vec<Grant>)> {
        admin_only(p, "user")?;
        let user = self.db().user(id).await?;
        let grants = self.db().grants_of(id).await?;
        Ok((user, grants))
    }

    /// Adds a person: the password is hashed here, off the async workers.
    pub async fn add_person(&self, p: &Principal, n: &NewPerson) -> AppResult<User> {
        admin_only(p, "users")?;
        check_password(&n.password)?;
        let hash = serva_store::secrets::hash_password_bounded(n.password.clone()).await;
        let user = NewUser {
            username: n.username.trim().to_lowercase(),
            display_name: n.display_name.clone(),
            email: n.email.clone(),
            password_hash: Some(hash),
            locale: None,
            home_unit: n.home_unit,
        };
        Ok(self.db().create_user(p.user, &user, &n.grants).await?)
    }

    /// Changes a person's details. Nobody deactivates their own account.
    pub async fn update_person(
        &self,
        p: &Principal,
        id: UserId,
        display_name: &str,
        email: Option<&str>,
        home_unit: Option<UnitId>,
        active: bool,
    ) -> AppResult<User> {
        admin_only(p, "user")?;
        if !active && p.user == Some(id) {
            return Err(AppError::Refused(Refusal::OwnAccountDeactivated));
        }
        Ok(self
            .db()
            .update_user(p.user, id, display_name, email, home_unit, active)
            .await?)
    }

    /// Gives a person one more role.
    pub async fn add_grant(&self, p: &Principal, id: UserId, grant: Grant) -> AppResult<()> {
        admin_only(p, "user")?;
        let mut grants = self.db().grants_of(id).await?;
        if grants.contains(&grant) {
            return Err(AppError::Refused(Refusal::RoleHeldAlready));
        }
        grants.push(grant);
        Ok(self.db().set_grants(p.user, id, &grants).await?)
    }

    /// Takes away the person's role at `index` (as listed). Nobody removes their own
    /// administrator role.
    pub async fn remove_grant(&self, p: &Principal, id: UserId, index: usize) -> AppResult<()> {
        admin_only(p, "user")?;
        let mut grants = self.db().grants_of(id).await?;
        if index >= grants.len() {
            return Err(AppError::Refused(Refusal::RoleGone));
        }
        if p.user == Some(id) && grants[index].role == RoleKind::Admin {
            return Err(AppError::Refused(Refusal::OwnAdminRoleRemoved));
        }
        grants.remove(index);
        Ok(self.db().set_grants(p.user, id, &grants).await?)
    }

    /// Sets a person's password; their sessions end.
    pub async fn set_password(&self, p: &Principal, id: UserId, password: &str) -> AppResult<()> {
        admin_only(p, "user")?;
        check_password(password)?;
        if self.db().has_provider_identity(id).await? {
            return Err(AppError::Refused(Refusal::PasswordOffForSso));
        }
        Ok(self.db().set_password(p.user, id, password).await?)
    }

    /// The audit log, newest first.
    pub async fn audit_log(&self, p: &Principal, f: &AuditFilter) -> AppResult<Vec<AuditEntry>> {
        admin_only(p, "audit log")?;
        Ok(self.db().audit_entries(f).await?)
    }

    /// The provider units with their phone queue's rule.
    pub async fn queue_rules(&self, p: &Principal) -> AppResult<Vec<(Unit, QueueRule)>> {
        admin_only(p, "queues")?;
        let mut rows = Vec::new();
        for u in self
            .db()
            .units()
            .await?
            .into_iter()
            .filter(|u| u.kind == UnitKind::Unit)
        {
            let rule = self.db().queue_rule(u.id.0).await?;
            rows.push((u, rule));
        }
        Ok(rows)
    }

    /// Changes a phone queue's rule (answer time, abandon grace, target).
    pub async fn set_queue_rule(
        &self,
        p: &Principal,
        code: &str,
        rule: &QueueRule,
    ) -> AppResult<()> {
        admin_only(p, "queues")?;
        let unit = self.db().unit_by_code(code).await?;
        Ok(self.db().set_queue_rule(p.user, unit.id, rule).await?)
    }
}
