//! The agent's queues.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serva_app::ListParams;
use serva_views::pages::cases::QueueFilters;
use serva_views::pages::queues::{queue_page, queues_page};

use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

pub async fn overview(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let queues = st.app.queues(&auth.s.principal).await?;
    Ok(queues_page(&auth.cx, &queues).into_response())
}

pub async fn queue(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let params = ListParams::from_pairs(&q);
    let v = st.app.queue(&auth.s.principal, &code, &params).await?;
    let qf = QueueFilters {
        agents: &v.agents,
        services: &v.services,
    };
    Ok(queue_page(&auth.cx, &v.unit, &v.page, &params, &qf).into_response())
}
