//! Price lists: the prices valid on a day, a service's history and a price change from a day,
//! drafts of a coming list (compared with today's, their effect on each customer, published in
//! one transaction). Controllers and administrators price every service; a unit's manager
//! prices their own units' services. To anyone else the lists do not exist.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};

use serva_domain::access::Principal;
use serva_domain::billing::price_list::{change_price, price_on, PriceEntry, PriceProblem};
use serva_domain::billing::simulator::{
    customer_costs, extrapolate, months_begun, Comparison, CustomerCost, CustomerVolume,
};
use serva_domain::catalogue::{PriceModel, Service};
use serva_domain::UnitId;
use serva_store::catalogue::ServiceFilter;
use serva_store::price_lists::{
    NewPriceList, PriceChanges, PriceHistoryRow, PriceListHead, PriceListRow,
};

use crate::{App, AppError, AppResult};

/// May this person price the services `unit` delivers?
pub fn may_price(p: &Principal, unit: UnitId) -> bool {
    p.can_bill() || p.manages.contains(&unit)
}

fn sees_prices(p: &Principal) -> AppResult<()> {
    if p.can_bill() || !p.manages.is_empty() {
        Ok(())
    } else {
        Err(AppError::NotFound("price list"))
    }
}

/// A service with the price that applies on the day asked for.
#[derive(Debug, Clone)]
pub struct PricedService {
    pub service: Service,
    /// None: the service has no price that day.
    pub price: Option<PriceEntry>,
}

/// A service's page: the service, its price entries and the price that applies today.
#[derive(Debug, Clone)]
pub struct PriceHistory {
    pub service: Service,
    pub entries: Vec<PriceHistoryRow>,
    pub today: Option<PriceEntry>,
}

/// A draft as its page shows it.
#[derive(Debug, Clone)]
pub struct DraftView {
    pub head: PriceListHead,
    pub rows: Vec<PriceListRow>,
    /// Each row against the price valid today.
    pub comparison: Vec<Comparison>,
    /// This year's volumes (extrapolated) of each customer at today's prices and the draft's.
    pub customers: Vec<CustomerCost>,
    /// Service code → name.
    pub names: BTreeMap<String, String>,
}

/// The volumes of a year so far, extrapolated to the full year (`simulator::extrapolate`).
#[derive(Debug, Clone)]
pub struct YearVolumes {
    /// (provider, customer's volume of a service).
    pub rows: Vec<(String, CustomerVolume)>,
    /// The last day counted, and the months begun by it.
    pub as_of: NaiveDate,
    pub months: u32,
}

impl App {
    /// Every service this person may price, by provider and code.
    pub(crate) async fn priceable_services(&self, p: &Principal) -> AppResult<Vec<Service>> {
        let mut s = self
            .db()
            .services(&ServiceFilter {
                include_inactive: true,
                ..Default::default()
            })
            .await?;
        s.retain(|s| may_price(p, s.unit_id));
        s.sort_by(|a, b| (&a.unit_name, &a.code).cmp(&(&b.unit_name, &b.code)));
        Ok(s)
    }

    /// The services (of `unit`, when given) with the price valid on `day`.
    pub async fn prices_on(
        &self,
        p: &Principal,
        day: NaiveDate,
        unit: Option<&str>,
    ) -> AppResult<Vec<PricedService>> {
        sees_prices(p)?;
        let prices = self.effective_prices().await?;
        Ok(self
            .priceable_services(p)
            .await?
            .into_iter()
            .filter(|s| unit.is_none_or(|u| s.unit_code == u))
            .map(|s| PricedService {
                price: price_on(&prices, &s.code, day).cloned(),
                service: s,
            })
            .collect())
    }

    async fn priceable(&self, p: &Principal, code: &str) -> AppResult<Service> {
        sees_prices(p)?;
        self.priceable_services(p)
            .await?
            .into_iter()
            .find(|s| s.code == code)
            .ok_or(AppError::NotFound("service"))
    }

    /// A service's price history.
    pub async fn price_history(&self, p: &Principal, code: &str) -> AppResult<PriceHistory> {
        let service = self.priceable(p, code).await?;
        let prices = self.effective_prices().await?;
        Ok(PriceHistory {
            entries: self.db().price_history(code).await?,
            today: price_on(&prices, code, serva_domain::time::today()).cloned(),
            service,
        })
    }

    /// A new price of a service from `from`: the price before it ends the day before. The
    /// inner error lists what is wrong with it (nothing is written then).
    pub async fn change_price(
        &self,
        p: &Principal,
        code: &str,
        model: PriceModel,
        price_ore: i64,
        from: NaiveDate,
    ) -> AppResult<Result<(), Vec<PriceProblem>>> {
        self.priceable(p, code).await?;
        let new = PriceEntry {
            service: code.to_string(),
            model,
            price_ore,
            valid_from: from,
            valid_to: None,
        };
        let changes = match plan(self.db().price_entries().await?, vec![new]) {
            Ok(c) => c,
            Err(problems) => return Ok(Err(problems)),
        };
        self.db().save_price_changes(p.user, &changes, None).await?;
        Ok(Ok(()))
    }

    /// Every draft and published list this person may see.
    pub async fn price_lists(&self, p: &Principal) -> AppResult<Vec<PriceListHead>> {
        sees_prices(p)?;
        let units = self.db().units().await?;
        let mut lists = self.db().price_lists().await?;
        lists.retain(|l| may_see_list(p, l, &units));
        Ok(lists)
    }

    async fn list_of(
        &self,
        p: &Principal,
        id: i64,
    ) -> AppResult<(PriceListHead, Vec<PriceListRow>)> {
        sees_prices(p)?;
        let units = self.db().units().await?;
        match self.db().price_list(id).await? {
            Some((head, rows)) if may_see_list(p, &head, &units) => Ok((head, rows)),
            _ => Err(AppError::NotFound("price list")),
        }
    }

    /// A new draft for `year` (from 1 January, or from `from`), of `unit`'s services or (for
    /// controllers and administrators) of every service. Its rows start from the prices valid
    /// on its first day, or today's when a service has none then.
    pub async fn create_price_draft(
        &self,
        p: &Principal,
        year: i32,
        from: Option<NaiveDate>,
        unit: Option<&str>,
    ) -> AppResult<i64> {
        sees_prices(p)?;
        let valid_from = match from {
            Some(d) => d,
            None => NaiveDate::from_ymd_opt(year, 1, 1)
                .ok_or_else(|| AppError::Invalid(format!("no such year: {year}")))?,
        };
        if valid_from.year() != year {
            return Err(AppError::Invalid(format!(
                "the first day {valid_from} is not in {year}"
            )));
        }
        let prices = self.effective_prices().await?;
        let today = serva_domain::time::today();
        let services = self.draft_services(p, unit).await?;
        let rows: Vec<PriceListRow> = services
            .iter()
            .filter_map(|s| {
                let e = price_on(&prices, &s.code, valid_from)
                    .or_else(|| price_on(&prices, &s.code, today))?;
                Some(PriceListRow {
                    service: s.code.clone(),
                    model: e.model,
                    price_ore: e.price_ore,
                })
            })
            .collect();
        self.save_draft(p, year, valid_from, unit, &rows).await
    }

    /// The services a draft of `unit` (or of every unit) covers, refused when the person may
    /// not price them all.
    async fn draft_services(&self, p: &Principal, unit: Option<&str>) -> AppResult<Vec<Service>> {
        match unit {
            None if !p.can_bill() => Err(AppError::Forbidden(
                "a list of every service is for controllers; choose your unit".into(),
            )),
            None => self.priceable_services(p).await,
            Some(code) => {
                let u = self
                    .db()
                    .unit_by_code(code)
                    .await
                    .map_err(|_| AppError::NotFound("unit"))?;
                if !may_price(p, u.id) {
                    return Err(AppError::NotFound("unit"));
                }
                let mut s = self.priceable_services(p).await?;
                s.retain(|s| s.unit_id == u.id);
                Ok(s)
            }
        }
    }

    /// Saves a draft with the rows given (the simulator's prices, or a list's).
    pub(crate) async fn save_draft(
        &self,
        p: &Principal,
        year: i32,
        valid_from: NaiveDate,
        unit: Option<&str>,
        rows: &[PriceListRow],
    ) -> AppResult<i64> {
        let unit_id = match unit {
            Some(code) => Some(self.db().unit_by_code(code).await?.id),
            None => None,
        };
        let name = match unit {
            Some(u) => format!("Prislista {year} {u}"),
            None => format!("Prislista {year}"),
        };
        Ok(self
            .db()
            .create_price_list(
                p.user,
                &NewPriceList {
                    year,
                    valid_from,
                    unit: unit_id,
                    name,
                },
                rows,
            )
            .await?)
    }

    /// A draft compared with today's prices, and what it does to each customer's cost.
    pub async fn price_draft(&self, p: &Principal, id: i64) -> AppResult<DraftView> {
        let (head, rows) = self.list_of(p, id).await?;
        let prices = self.effective_prices().await?;
        let today = serva_domain::time::today();
        let now: BTreeMap<String, i64> = rows
            .iter()
            .filter_map(|r| {
                price_on(&prices, &r.service, today).map(|e| (r.service.clone(), e.price_ore))
            })
            .collect();
        let comparison = rows
            .iter()
            .map(|r| Comparison {
                service: r.service.clone(),
                now_ore: now.get(&r.service).copied(),
                draft_ore: r.price_ore,
            })
            .collect();
        let draft: BTreeMap<String, i64> = rows
            .iter()
            .map(|r| (r.service.clone(), r.price_ore))
            .collect();
        let volumes = self
            .year_volumes(head.unit.as_deref(), today.year())
            .await?;
        let mine: Vec<CustomerVolume> = volumes
            .rows
            .into_iter()
            .map(|(_, v)| v)
            .filter(|v| draft.contains_key(&v.service))
            .collect();
        let names = self
            .priceable_services(p)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
        Ok(DraftView {
            customers: customer_costs(&mine, &now, &draft),
            head,
            rows,
            comparison,
            names,
        })
    }

    /// New prices (and models) for a draft's rows; a published list is read-only.
    pub async fn set_price_draft_rows(
        &self,
        p: &Principal,
        id: i64,
        rows: &[PriceListRow],
    ) -> AppResult<()> {
        let (head, old) = self.list_of(p, id).await?;
        if head.published_at.is_some() {
            return Err(AppError::Conflict(
                "the price list is published and cannot change".into(),
            ));
        }
        if let Some(r) = rows
            .iter()
            .find(|r| !old.iter().any(|o| o.service == r.service))
        {
            return Err(AppError::Invalid(format!(
                "{} is not in the price list",
                r.service
            )));
        }
        if let Some(r) = rows.iter().find(|r| r.price_ore < 0) {
            return Err(AppError::Invalid(format!(
                "{}: a price cannot be negative",
                r.service
            )));
        }
        Ok(self.db().set_price_list_rows(p.user, id, rows).await?)
    }

    /// Publishes a draft: a price entry from its first day for every service whose price or
    /// model differs from the one then valid, in one transaction. A clash (a price already
    /// starting that day) is listed and nothing is written.
    pub async fn publish_price_draft(
        &self,
        p: &Principal,
        id: i64,
    ) -> AppResult<Result<(), Vec<PriceProblem>>> {
        let (head, rows) = self.list_of(p, id).await?;
        if head.published_at.is_some() {
            return Err(AppError::Conflict(
                "the price list is published already".into(),
            ));
        }
        let prices = self.effective_prices().await?;
        let new: Vec<PriceEntry> = rows
            .iter()
            .filter(|r| {
                price_on(&prices, &r.service, head.valid_from)
                    .is_none_or(|e| e.price_ore != r.price_ore || e.model != r.model)
            })
            .map(|r| PriceEntry {
                service: r.service.clone(),
                model: r.model,
                price_ore: r.price_ore,
                valid_from: head.valid_from,
                valid_to: None,
            })
            .collect();
        let changes = match plan(self.db().price_entries().await?, new) {
            Ok(c) => c,
            Err(problems) => return Ok(Err(problems)),
        };
        self.db()
            .save_price_changes(p.user, &changes, Some(id))
            .await?;
        Ok(Ok(()))
    }

    /// A year's volumes so far per customer and service (of `provider`'s services, or of
    /// every provider's): what locked runs charged plus what is billable but not yet charged,
    /// through today (or the year's last day), extrapolated by the months begun.
    pub async fn year_volumes(&self, provider: Option<&str>, year: i32) -> AppResult<YearVolumes> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| AppError::Invalid(format!("no such year: {year}")))?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December");
        let as_of = serva_domain::time::today().min(last);
        let mut sum: BTreeMap<(String, String, String), i64> = BTreeMap::new();
        if as_of >= first {
            for (p, v) in self.db().charged_volumes(provider, first, as_of).await? {
                *sum.entry((p, v.customer, v.service)).or_default() += v.quantity.0;
            }
            for m in 1..=as_of.month() {
                let month = format!("{year:04}-{m:02}");
                for b in self.db().billable_volumes(&month).await? {
                    let v = b.volume;
                    if v.day > as_of || provider.is_some_and(|p| p != v.provider) {
                        continue;
                    }
                    *sum.entry((v.provider, v.customer, v.service)).or_default() += v.quantity.0;
                }
            }
        }
        let months = months_begun(as_of);
        Ok(YearVolumes {
            rows: sum
                .into_iter()
                .map(|((p, customer, service), q)| {
                    (
                        p,
                        CustomerVolume {
                            customer,
                            service,
                            quantity: extrapolate(serva_domain::billing::money::Milli(q), months),
                        },
                    )
                })
                .collect(),
            as_of,
            months,
        })
    }
}

/// Who sees a list: controllers and administrators every list; a unit's manager the lists of
/// the units they manage.
fn may_see_list(p: &Principal, l: &PriceListHead, units: &[serva_domain::org::Unit]) -> bool {
    match &l.unit {
        None => p.can_bill(),
        Some(code) => units
            .iter()
            .find(|u| &u.code == code)
            .is_some_and(|u| may_price(p, u.id)),
    }
}

/// The stored entries a set of new prices changes, checked by `change_price` one by one.
fn plan(before: Vec<PriceEntry>, new: Vec<PriceEntry>) -> Result<PriceChanges, Vec<PriceProblem>> {
    let mut after = before.clone();
    for n in new {
        change_price(&mut after, n)?;
    }
    let key = |e: &PriceEntry| (e.service.clone(), e.valid_from);
    let old: HashSet<_> = before.iter().map(key).collect();
    let mut changes = PriceChanges::default();
    for e in &after {
        if !old.contains(&key(e)) {
            changes.added.push(e.clone());
        } else if let Some(b) = before.iter().find(|b| key(b) == key(e)) {
            if b.valid_to != e.valid_to {
                changes
                    .ended
                    .push((e.service.clone(), e.valid_from, e.valid_to));
            }
        }
    }
    Ok(changes)
}
