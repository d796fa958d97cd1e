//! Case lists: "my cases", a queue, and the API's search, from the filters people type.

use serva_domain::access::{Principal, Visibility};
use serva_domain::case::{CasePage, CaseStatus, Channel, QueueCounts};
use serva_domain::catalogue::Service;
pub use serva_domain::listing::ListParams;
use serva_domain::org::Unit;
use serva_domain::user::User;
use serva_domain::{UnitId, UserId};
use serva_store::cases::{AssigneeFilter, CaseFilter, CaseSort, SlaFilter, StatusFilter};
use serva_store::catalogue::ServiceFilter;
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// Which list: what the person may see anywhere, their own cases, or one queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListScope {
    /// Everything the person may see (the API's `GET /cases`).
    Visible,
    /// "My cases": the person's orders and, for a customer manager, the department's cases.
    Own,
    /// The cases assigned to the person, among those they may see.
    Assigned,
    /// One provider unit's queue.
    Queue(UnitId),
}

/// One queue's page: the unit, its cases, and the choices of its filters.
#[derive(Debug, Clone)]
pub struct QueueView {
    pub unit: Unit,
    pub page: CasePage,
    pub agents: Vec<User>,
    pub services: Vec<Service>,
}

/// The filter of `params`; an unknown value is refused rather than ignored.
fn parse_filter(
    p: &Principal,
    params: &ListParams,
    visibility: Visibility,
) -> AppResult<CaseFilter> {
    let bad = AppError::bad_request;
    let mut f = CaseFilter::new(visibility);
    f.query = (!params.q.is_empty()).then(|| params.q.clone());
    f.status = match params.status.as_str() {
        "" => None,
        "active" => Some(StatusFilter::Active),
        s => Some(StatusFilter::Is(
            CaseStatus::parse(s).ok_or_else(|| bad(format!("unknown status {s:?}")))?,
        )),
    };
    f.sort = match params.sort.as_str() {
        "" => CaseSort::Newest,
        s => CaseSort::parse(s).ok_or_else(|| bad(format!("unknown sort {s:?}")))?,
    };
    let now = serva_domain::time::now_ms();
    f.sla = match params.sla.as_str() {
        "" => None,
        "near_breach" => Some(SlaFilter::NearBreach { now }),
        "breached" => Some(SlaFilter::Breached { now }),
        s => {
            return Err(bad(format!(
                "unknown sla {s:?}; use near_breach or breached"
            )))
        }
    };
    f.assignee = match params.assignee.as_str() {
        "" => None,
        "none" => Some(AssigneeFilter::Unassigned),
        "me" => Some(AssigneeFilter::User(p.user.unwrap_or(UserId(0)))),
        id => Some(AssigneeFilter::User(UserId(
            id.parse::<i64>()
                .ok()
                .filter(|&i| i > 0)
                .ok_or_else(|| bad(format!("unknown assignee {id:?}")))?,
        ))),
    };
    f.channel = match params.channel.as_str() {
        "" => None,
        c => Some(Channel::parse(c).ok_or_else(|| bad(format!("unknown channel {c:?}")))?),
    };
    f.page = match params.page.as_str() {
        "" => 1,
        n => n
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| bad(format!("bad page {n:?}")))?,
    };
    if let Some(pp) = &params.per_page {
        f.per_page = pp
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| bad(format!("per_page must be 1–200, got {pp:?}")))?;
    }
    Ok(f)
}

impl App {
    /// A page of the cases in `scope` that match `params`.
    pub async fn list_cases(
        &self,
        p: &Principal,
        scope: ListScope,
        params: &ListParams,
    ) -> AppResult<CasePage> {
        let db = self.db();
        let visibility = match scope {
            ListScope::Visible => p.visibility(),
            ListScope::Own => p.own_cases(),
            ListScope::Assigned if p.user.is_none() => return Err(AppError::NotFound("cases")),
            ListScope::Assigned => p.visibility(),
            ListScope::Queue(unit) => {
                if !p.can_see_queue(unit) {
                    return Err(AppError::NotFound("queue"));
                }
                Visibility::All
            }
        };
        let mut f = parse_filter(p, params, visibility)?;
        if scope == ListScope::Assigned {
            f.assignee = p.user.map(AssigneeFilter::User);
        }
        // "My cases" lists the person's own orders; it has no unit filter.
        if scope == ListScope::Own {
            // Showback links a department's open cases of one service here.
            if !params.service.is_empty() {
                f.service = Some(match db.service_by_code(&params.service).await {
                    Ok(s) => s.id,
                    Err(StoreError::NotFound(_)) => {
                        return Err(AppError::bad_request(format!(
                            "unknown service {:?}",
                            params.service
                        )))
                    }
                    Err(e) => return Err(e.into()),
                });
            }
            let mut page = db.list_cases(&f).await?;
            // Each person on the customer's side has their own "new reply" marker: a reply
            // from the provider newer than their last look at the case.
            self.hide_internal(p, &mut page.cases).await?;
            if let Some(u) = p.user {
                let mine: Vec<_> = page
                    .cases
                    .iter()
                    .filter(|c| !p.can_work_case(&c.scope()))
                    .map(|c| c.id)
                    .collect();
                let unseen = db.unseen_provider_replies(u, &mine).await?;
                for c in &mut page.cases {
                    if mine.contains(&c.id) {
                        c.unread_by_customer = unseen.contains(&c.id);
                    }
                }
            }
            return Ok(page);
        }
        match (scope, &params.unit) {
            (ListScope::Queue(unit), _) => f.unit = Some(unit),
            (_, Some(code)) => {
                f.unit = Some(match db.unit_by_code(code).await {
                    Ok(u) => u.id,
                    Err(StoreError::NotFound(_)) => {
                        return Err(AppError::bad_request(format!("unknown unit {code:?}")))
                    }
                    Err(e) => return Err(e.into()),
                })
            }
            (_, None) => {}
        }
        if !params.service.is_empty() {
            let svc = match db.service_by_code(&params.service).await {
                Ok(s) => Some(s),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e.into()),
            };
            // In a queue, only the queue's own services are choices.
            let svc = svc
                .filter(|s| !matches!(scope, ListScope::Queue(u) if s.unit_id != u))
                .ok_or_else(|| {
                    AppError::bad_request(format!("unknown service {:?}", params.service))
                })?;
            f.service = Some(svc.id);
        }
        let mut page = db.list_cases(&f).await?;
        self.hide_internal(p, &mut page.cases).await?;
        Ok(page)
    }

    /// Takes out of `cases` what the customer's side may not see (`case::for_customer`),
    /// for the cases `p` does not work.
    pub(crate) async fn hide_internal(
        &self,
        p: &Principal,
        cases: &mut [serva_domain::case::Case],
    ) -> AppResult<()> {
        let mut forms: std::collections::HashMap<_, Vec<serva_domain::catalogue::FormField>> =
            std::collections::HashMap::new();
        for c in cases.iter_mut() {
            if p.can_work_case(&c.scope()) {
                continue;
            }
            let form = match forms.entry(c.service_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(self.db().service(c.service_id).await?.form)
                }
            };
            *c = serva_domain::case::for_customer(c.clone(), form);
        }
        Ok(())
    }

    /// The queues `p` works, with their counts of open, unassigned and own cases.
    pub async fn queues(&self, p: &Principal) -> AppResult<Vec<(Unit, QueueCounts)>> {
        let db = self.db();
        if !p.is_agent() {
            return Err(AppError::NotFound("queues"));
        }
        let services = db
            .services(&ServiceFilter {
                include_inactive: true,
                ..Default::default()
            })
            .await?;
        let mut out = Vec::new();
        for unit in db.units().await? {
            if p.can_see_queue(unit.id) && services.iter().any(|s| s.unit_id == unit.id) {
                let counts = db
                    .queue_counts(
                        unit.id,
                        p.user.unwrap_or(UserId(0)),
                        serva_domain::time::now_ms(),
                    )
                    .await?;
                out.push((unit, counts));
            }
        }
        Ok(out)
    }

    /// One queue by its unit's code, with a page of its cases.
    pub async fn queue(
        &self,
        p: &Principal,
        code: &str,
        params: &ListParams,
    ) -> AppResult<QueueView> {
        let db = self.db();
        let unit = match db.unit_by_code(code).await {
            Ok(u) if p.can_see_queue(u.id) => u,
            Ok(_) | Err(StoreError::NotFound(_)) => return Err(AppError::NotFound("queue")),
            Err(e) => return Err(e.into()),
        };
        let services = db
            .services(&ServiceFilter {
                unit: Some(unit.id),
                include_inactive: true,
                ..Default::default()
            })
            .await?;
        let page = self
            .list_cases(p, ListScope::Queue(unit.id), params)
            .await?;
        let agents = db.agents_of(unit.id).await?;
        Ok(QueueView {
            unit,
            page,
            agents,
            services,
        })
    }
}
