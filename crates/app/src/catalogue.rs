//! The service catalogue: what the portal and the API show, and its management by the units'
//! managers and the administrators.

use serva_domain::access::Principal;
use serva_domain::catalogue::{NewService, Service};
use serva_domain::event::Event;
use serva_domain::org::{Unit, UnitKind};
use serva_domain::UnitId;
use serva_store::catalogue::ServiceFilter;
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// The catalogue's filters: free text (empty means any), a category and a provider unit's
/// code (none means any; a code that names no unit matches nothing).
#[derive(Debug, Clone, Default)]
pub struct CatalogueQuery {
    pub text: String,
    pub category: Option<String>,
    pub unit: Option<String>,
}

/// What the portal shows: the matching services and the choices of its filters.
#[derive(Debug, Clone)]
pub struct Portal {
    pub services: Vec<Service>,
    pub categories: Vec<String>,
    /// The units that offer at least one service, by name.
    pub providers: Vec<Unit>,
}

impl App {
    /// The services open for orders that match `q` (an unknown unit matches nothing).
    pub async fn open_services(&self, q: &CatalogueQuery) -> AppResult<Vec<Service>> {
        let db = self.db();
        let unit = match q.unit.as_deref() {
            None => None,
            Some(code) => match db.unit_by_code(code).await {
                Ok(u) => Some(u.id),
                Err(StoreError::NotFound(_)) => return Ok(vec![]),
                Err(e) => return Err(e.into()),
            },
        };
        let text = q.text.trim();
        let filter = ServiceFilter {
            unit,
            category: q.category.clone(),
            query: (!text.is_empty()).then(|| serva_domain::search::fold(text)),
            include_inactive: false,
        };
        let services = db.services(&filter).await?;
        // A unit that has ended (or not begun) sells nothing today.
        let today = serva_domain::time::today();
        let units = db.units().await?;
        let open = |id| units.iter().any(|u| u.id == id && u.valid_on(today));
        Ok(services.into_iter().filter(|s| open(s.unit_id)).collect())
    }

    /// The portal: services matching `q`, the categories and the providers.
    pub async fn portal(&self, q: &CatalogueQuery) -> AppResult<Portal> {
        let db = self.db();
        let services = self.open_services(q).await?;
        let categories = db.categories().await?;
        let all = db.services(&ServiceFilter::default()).await?;
        let today = serva_domain::time::today();
        let mut providers: Vec<Unit> = db
            .units()
            .await?
            .into_iter()
            .filter(|u| all.iter().any(|s| s.unit_id == u.id) && u.valid_on(today))
            .collect();
        providers.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Portal {
            services,
            categories,
            providers,
        })
    }

    /// A service by code as `p` may see it: open for orders, or any of the units they manage.
    /// Also whether `p` may order it.
    pub async fn service_for(&self, p: &Principal, code: &str) -> AppResult<(Service, bool)> {
        let svc = self.db().service_by_code(code).await?;
        if !svc.active && !p.can_manage_catalogue(svc.unit_id) {
            return Err(AppError::NotFound("service"));
        }
        let can_order = p.can_order_from(svc.unit_id);
        // Internal fields are the provider's to answer; a customer's order form has none.
        let mut svc = svc;
        if !p.is_provider_of(svc.unit_id) {
            svc.form.retain(|f| !f.internal);
        }
        Ok((svc, can_order))
    }

    /// A service open for orders (the API shows no other).
    pub async fn open_service(&self, code: &str) -> AppResult<Service> {
        let svc = self.db().service_by_code(code).await?;
        if !svc.active {
            return Err(AppError::NotFound("service"));
        }
        Ok(svc)
    }

    /// The provider units whose catalogue `p` manages; "not found" when none.
    pub async fn managed_units(&self, p: &Principal) -> AppResult<Vec<Unit>> {
        let units: Vec<Unit> = self
            .db()
            .units()
            .await?
            .into_iter()
            .filter(|u| u.kind.is_provider() && p.can_manage_catalogue(u.id))
            .collect();
        if units.is_empty() {
            return Err(AppError::NotFound("catalogue"));
        }
        Ok(units)
    }

    /// Every service, open or not, of the units `p` manages.
    pub async fn managed_services(&self, p: &Principal) -> AppResult<Vec<Service>> {
        self.managed_units(p).await?;
        Ok(self
            .db()
            .services(&ServiceFilter {
                include_inactive: true,
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|s| p.can_manage_catalogue(s.unit_id))
            .collect())
    }

    /// A service `p` manages, for editing.
    pub async fn managed_service(&self, p: &Principal, code: &str) -> AppResult<Service> {
        let svc = self.db().service_by_code(code).await?;
        if !p.can_manage_catalogue(svc.unit_id) {
            return Err(AppError::NotFound("service"));
        }
        Ok(svc)
    }

    /// Publishes a new service, or changes the one with code `editing`. `p` must manage both
    /// the unit it belongs to now and the unit it is moved to.
    pub async fn save_service(
        &self,
        p: &Principal,
        editing: Option<&str>,
        new: &NewService,
    ) -> AppResult<Service> {
        if !p.can_manage_catalogue(new.unit) || !self.is_provider(new.unit).await? {
            return Err(AppError::forbidden(
                "choose a provider unit whose catalogue you manage",
            ));
        }
        let saved = match editing {
            Some(code) => {
                let before = self.managed_service(p, code).await?;
                self.db().update_service(p.user, before.id, new).await?
            }
            None => self.db().create_service(p.user, new).await?,
        };
        self.events().publish(Event::ServiceChanged {
            service: saved.id,
            unit: saved.unit_id,
        });
        Ok(saved)
    }

    async fn is_provider(&self, unit: UnitId) -> AppResult<bool> {
        Ok(match self.db().unit(unit).await {
            Ok(u) => matches!(u.kind, UnitKind::Administration | UnitKind::Unit),
            Err(StoreError::NotFound(_)) => false,
            Err(e) => return Err(e.into()),
        })
    }
}
