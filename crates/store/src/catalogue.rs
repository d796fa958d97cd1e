//! The service catalogue.

use serva_domain::catalogue::{check_fields, NewService, Service};
use serva_domain::{ServiceId, UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::rows::ServiceRow;
use crate::{Db, StoreError, StoreResult};

#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    pub unit: Option<UnitId>,
    pub category: Option<String>,
    /// Folded search text; matched against code, name, description and category.
    pub query: Option<String>,
    pub include_inactive: bool,
}

const SERVICE_SELECT: &str = "SELECT s.id, s.unit_id, u.code AS unit_code, u.name AS unit_name, s.code, s.name, \
     s.description, s.category, s.price_model, s.price_ore, s.first_response_minutes, s.next_response_minutes, \
     s.resolution_minutes, s.form, s.active FROM services s JOIN units u ON u.id = s.unit_id";

fn search_text(s: &NewService) -> String {
    serva_domain::search::fold(&format!(
        "{} {} {} {}",
        s.code.as_str(),
        s.name,
        s.description,
        s.category
    ))
}

fn check(s: &NewService) -> StoreResult<()> {
    if s.name.trim().is_empty() || s.name.chars().count() > 200 {
        return Err(StoreError::Invalid(
            "a service needs a name of at most 200 characters".into(),
        ));
    }
    if s.category.trim().is_empty() {
        return Err(StoreError::Invalid("a service needs a category".into()));
    }
    if s.price_ore < 0 {
        return Err(StoreError::Invalid("a price cannot be negative".into()));
    }
    for m in [
        s.level.first_response_minutes,
        s.level.next_response_minutes,
        s.level.resolution_minutes,
    ]
    .into_iter()
    .flatten()
    {
        // Up to a year of working time; more is a typing mistake.
        if !(1..=525_600).contains(&m) {
            return Err(StoreError::Invalid(
                "service-level times must be 1–525 600 minutes".into(),
            ));
        }
    }
    check_fields(&s.fields).map_err(StoreError::Invalid)
}

impl Db {
    pub async fn services(&self, f: &ServiceFilter) -> StoreResult<Vec<Service>> {
        let pattern = f
            .query
            .as_ref()
            .map(|q| format!("%{}%", serva_domain::search::like_escape(q)));
        Ok(sqlx::query_as::<_, ServiceRow>(&format!(
            "{SERVICE_SELECT} WHERE ($1 IS NULL OR s.unit_id = $1) AND ($2 IS NULL OR s.category = $2) \
             AND ($3 IS NULL OR s.search_text LIKE $3 ESCAPE '\\') AND ($4 = 1 OR s.active = 1) \
             ORDER BY u.name, s.category, s.name"
        ))
        .bind(f.unit.map(|u| u.0))
        .bind(f.category.clone())
        .bind(pattern)
        .bind(i64::from(f.include_inactive))
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
    }

    pub async fn service(&self, id: ServiceId) -> StoreResult<Service> {
        sqlx::query_as::<_, ServiceRow>(&format!("{SERVICE_SELECT} WHERE s.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.0)
            .ok_or(StoreError::NotFound("service"))
    }

    pub async fn service_by_code(&self, code: &str) -> StoreResult<Service> {
        sqlx::query_as::<_, ServiceRow>(&format!("{SERVICE_SELECT} WHERE s.code = $1"))
            .bind(code)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.0)
            .ok_or(StoreError::NotFound("service"))
    }

    pub async fn categories(&self) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT category FROM services WHERE active = 1 ORDER BY category",
        )
        .fetch_all(&self.read)
        .await?)
    }

    pub async fn create_service(
        &self,
        actor: Option<UserId>,
        s: &NewService,
    ) -> StoreResult<Service> {
        self.save_service(actor, None, s).await
    }

    pub async fn update_service(
        &self,
        actor: Option<UserId>,
        id: ServiceId,
        s: &NewService,
    ) -> StoreResult<Service> {
        self.save_service(actor, Some(id), s).await
    }

    /// Adds a service (`id` none) or changes one, with its audit row.
    async fn save_service(
        &self,
        actor: Option<UserId>,
        id: Option<ServiceId>,
        s: &NewService,
    ) -> StoreResult<Service> {
        check(s)?;
        let before = match id {
            Some(id) => Some(self.service(id).await?),
            None => None,
        };
        let clash = |e| StoreError::on_unique(e, &format!("service {}", s.code.as_str()));
        let mut tx = self.begin_audited(actor).await?;
        let form = serde_json::to_string(&s.fields).expect("fields serialise");
        let search = search_text(s);
        let sql = match id {
            None => {
                "INSERT INTO services (unit_id, code, name, description, category, price_model, price_ore, \
                 first_response_minutes, resolution_minutes, form, active, search_text, next_response_minutes) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id"
            }
            Some(_) => {
                "UPDATE services SET unit_id = $1, code = $2, name = $3, description = $4, category = $5, \
                 price_model = $6, price_ore = $7, first_response_minutes = $8, resolution_minutes = $9, \
                 form = $10, active = $11, search_text = $12, next_response_minutes = $13 WHERE id = $14 RETURNING id"
            }
        };
        let mut q = sqlx::query_scalar(sql)
            .bind(s.unit.0)
            .bind(s.code.as_str())
            .bind(s.name.trim())
            .bind(s.description.trim())
            .bind(s.category.trim())
            .bind(s.price_model.as_str())
            .bind(s.price_ore)
            .bind(s.level.first_response_minutes)
            .bind(s.level.resolution_minutes)
            .bind(form)
            .bind(i64::from(s.active))
            .bind(search)
            .bind(s.level.next_response_minutes);
        if let Some(id) = id {
            q = q.bind(id.0);
        }
        let id: i64 = q.fetch_one(tx.conn()).await.map_err(clash)?;
        let after = sqlx::query_as::<_, ServiceRow>(&format!("{SERVICE_SELECT} WHERE s.id = $1"))
            .bind(id)
            .fetch_one(tx.conn())
            .await?
            .0;
        // New targets (or another providing unit) move the due times of its open cases.
        let clocks_move = before.as_ref().is_some_and(|b| {
            b.service_level() != after.service_level() || b.unit_id != after.unit_id
        });
        if clocks_move {
            crate::sla::mark_stale(tx.conn(), crate::sla::SlaScope::Service(ServiceId(id))).await?;
        }
        let change = match &before {
            None => Change::new(Action::Create, Entity::Service(ServiceId(id))),
            Some(b) => Change::new(Action::Update, Entity::Service(ServiceId(id))).before(b),
        };
        tx.commit(change.after(&after)).await?;
        if clocks_move {
            self.recompute_sla(
                crate::sla::SlaScope::Service(ServiceId(id)),
                serva_domain::time::now_ms(),
            )
            .await?;
        }
        Ok(after)
    }
}
