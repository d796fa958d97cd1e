//! A phone queue's service level, for the unit's agents and manager.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serva_views::pages::phone::phone_level_page;

use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

/// `GET /queues/{code}/phone`.
pub async fn service_level(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let now = serva_domain::time::now_ms();
    let (unit, level) = st
        .app
        .phone_service_level(&auth.s.principal, &code, now)
        .await?;
    Ok(phone_level_page(&auth.cx, &unit, &level).into_response())
}
