//! Subscriptions: controllers and administrators see and change all of them; a unit manager
//! those of their units' services; the provider's staff change one from an order case.

use chrono::NaiveDate;
use serva_domain::access::Principal;
use serva_domain::billing::money::Milli;
use serva_domain::billing::subscription::{plan_change, Subscription, SubscriptionProblem};
use serva_domain::catalogue::{PriceModel, Service};
use serva_domain::{CaseId, ServiceId, UnitId};
use serva_store::subscriptions::SubscriptionFilter;

use crate::{App, AppError, AppResult};

/// Why a subscription was not changed.
#[derive(Debug)]
pub enum SubscriptionRefused {
    Problem(SubscriptionProblem),
    /// The change's month is billed and locked already.
    MonthLocked(String),
    Other(AppError),
}

impl From<AppError> for SubscriptionRefused {
    fn from(e: AppError) -> Self {
        SubscriptionRefused::Other(e)
    }
}

impl From<serva_store::StoreError> for SubscriptionRefused {
    fn from(e: serva_store::StoreError) -> Self {
        SubscriptionRefused::Other(e.into())
    }
}

impl std::fmt::Display for SubscriptionRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubscriptionRefused::Problem(p) => write!(f, "{p}"),
            SubscriptionRefused::MonthLocked(m) => write!(
                f,
                "the billing run of {m} is locked; a change must start in a later month"
            ),
            SubscriptionRefused::Other(e) => write!(f, "{e}"),
        }
    }
}

/// The subscription an order case changes.
#[derive(Debug, Clone)]
pub struct CaseSubscription {
    pub current: Option<Subscription>,
}

/// Whether the person sees the subscriptions page: controllers, administrators, managers.
pub fn sees_subscriptions(p: &Principal) -> bool {
    p.can_bill() || !p.manages.is_empty()
}

fn may_change(p: &Principal, provider: UnitId) -> bool {
    p.can_bill() || p.manages.contains(&provider)
}

/// A service that is priced per unit and month or as a subscription.
pub fn subscribed(model: PriceModel) -> bool {
    matches!(model, PriceModel::PerUnitMonth | PriceModel::Subscription)
}

impl App {
    /// The subscriptions the person may see, filtered.
    pub async fn subscriptions(
        &self,
        p: &Principal,
        filter: &SubscriptionFilter,
    ) -> AppResult<Vec<Subscription>> {
        if !sees_subscriptions(p) {
            return Err(AppError::NotFound("subscriptions"));
        }
        let all = self.db().subscriptions(filter).await?;
        Ok(all
            .into_iter()
            .filter(|s| may_change(p, UnitId(s.provider_id)))
            .collect())
    }

    /// The services whose subscriptions the person may change.
    pub async fn subscription_services(&self, p: &Principal) -> AppResult<Vec<Service>> {
        if !sees_subscriptions(p) {
            return Err(AppError::NotFound("subscriptions"));
        }
        let services = self
            .db()
            .services(&serva_store::catalogue::ServiceFilter {
                include_inactive: true,
                ..Default::default()
            })
            .await?;
        Ok(services
            .into_iter()
            .filter(|s| subscribed(s.price_model) && may_change(p, s.unit_id))
            .collect())
    }

    /// Changes (starts, changes, ends) a customer's subscription of a service from a day.
    pub async fn change_subscription(
        &self,
        p: &Principal,
        customer: UnitId,
        service: ServiceId,
        from: NaiveDate,
        quantity: Milli,
    ) -> Result<i64, SubscriptionRefused> {
        if !sees_subscriptions(p) {
            return Err(AppError::NotFound("subscriptions").into());
        }
        let s = self.db().service(service).await?;
        if !may_change(p, s.unit_id) {
            return Err(AppError::forbidden(
                "only controllers and the providing unit's managers change its subscriptions",
            )
            .into());
        }
        self.apply_subscription(p, customer, &s, from, quantity, None)
            .await
    }

    /// Changes the subscription an order case is about: the case's customer and service, by
    /// the provider's staff; the change names the case.
    pub async fn change_subscription_from_case(
        &self,
        p: &Principal,
        case: CaseId,
        from: NaiveDate,
        quantity: Milli,
    ) -> Result<i64, SubscriptionRefused> {
        let c = self.case_to_work(p, case).await?;
        let customer = c
            .customer_unit_id
            .ok_or_else(|| AppError::invalid("the case has no customer unit to subscribe"))?;
        let s = self.db().service(c.service_id).await?;
        self.apply_subscription(p, customer, &s, from, quantity, Some(case.0))
            .await
    }

    /// What "Ändra abonnemang" on an order case shows: `None` when the case's service is not
    /// subscribed or the case has no customer unit; else the customer's current subscription
    /// of the service, if any.
    pub async fn case_subscription(
        &self,
        p: &Principal,
        case: CaseId,
    ) -> AppResult<Option<CaseSubscription>> {
        let c = self.case_to_work(p, case).await?;
        let Some(customer) = c.customer_unit_id else {
            return Ok(None);
        };
        let s = self.db().service(c.service_id).await?;
        if !subscribed(s.price_model) {
            return Ok(None);
        }
        Ok(Some(CaseSubscription {
            current: self
                .db()
                .subscription_of(customer.0, c.service_id.0)
                .await?,
        }))
    }

    async fn apply_subscription(
        &self,
        p: &Principal,
        customer: UnitId,
        s: &Service,
        from: NaiveDate,
        quantity: Milli,
        case: Option<i64>,
    ) -> Result<i64, SubscriptionRefused> {
        let db = self.db();
        db.unit(customer).await?;
        // A change reaches every month from its day on: none of them may be locked.
        let month = from.format("%Y-%m").to_string();
        if let Some(locked) = db.locked_month_from(&month).await? {
            return Err(SubscriptionRefused::MonthLocked(locked));
        }
        let current = db.subscription_of(customer.0, s.id.0).await?;
        let periods = current.map(|c| c.periods).unwrap_or_default();
        let plan = plan_change(s.price_model, &periods, from, quantity)
            .map_err(SubscriptionRefused::Problem)?;
        Ok(db
            .change_subscription(p.user, customer.0, s.id.0, from, &plan, case)
            .await?)
    }
}
