//! The agent's queues.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serva_store::cases::Visibility;
use serva_store::catalogue::ServiceFilter;
use serva_store::StoreError;
use serva_views::pages::cases::QueueFilters;
use serva_views::pages::queues::{queue_page, queues_page, QueueSummary};

use super::cases::list_filter;
use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

pub async fn overview(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    if !p.is_agent() {
        return Err(PageError::not_found());
    }
    let services = st
        .db
        .services(&ServiceFilter {
            include_inactive: true,
            ..Default::default()
        })
        .await?;
    let mut queues = Vec::new();
    for unit in st.db.units().await? {
        if p.can_see_queue(unit.uid()) && services.iter().any(|s| s.unit_id == unit.id) {
            let (active, unassigned, mine) =
                st.db.queue_counts(unit.uid(), auth.s.user.uid()).await?;
            queues.push(QueueSummary {
                unit,
                active,
                unassigned,
                mine,
            });
        }
    }
    Ok(queues_page(&auth.cx, &queues).into_response())
}

pub async fn queue(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let unit = match st.db.unit_by_code(&code).await {
        Ok(u) if auth.s.principal.can_see_queue(u.uid()) => u,
        Ok(_) | Err(StoreError::NotFound(_)) => return Err(PageError::not_found()),
        Err(e) => return Err(e.into()),
    };
    let services = st
        .db
        .services(&ServiceFilter {
            unit: Some(unit.uid()),
            include_inactive: true,
            ..Default::default()
        })
        .await?;
    let (mut filter, lq) = list_filter(&auth.s, &q, Visibility::All)
        .map_err(|m| PageError::new(StatusCode::BAD_REQUEST, m))?;
    filter.unit = Some(unit.uid());
    if !lq.service.is_empty() {
        let svc = services
            .iter()
            .find(|s| s.code == lq.service)
            .ok_or_else(|| {
                PageError::new(
                    StatusCode::BAD_REQUEST,
                    format!("unknown service {:?}", lq.service),
                )
            })?;
        filter.service = Some(svc.sid());
    }
    let page = st.db.list_cases(&filter).await?;
    let agents = st.db.agents_of(unit.uid()).await?;
    let qf = QueueFilters {
        agents: &agents,
        services: &services,
    };
    Ok(queue_page(&auth.cx, &unit, &page, &lq, &qf).into_response())
}
