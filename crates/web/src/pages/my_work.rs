//! "Mitt arbete": the start page of someone who works queues.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serva_domain::start_page::StartPage;
use serva_views::pages::my_work::{my_work_page, MyWorkView};

use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

/// `GET /work`: the person's open assigned cases and their queues' unassigned ones. Someone
/// who works no queue is sent to their own start page.
pub async fn page(State(st): State<AppState>, auth: Auth) -> Result<Response, PageError> {
    let p = &auth.s.principal;
    if !p.is_agent() {
        return Ok(Redirect::to(StartPage::of(p).path()).into_response());
    }
    let w = st.app.my_work(p).await?;
    Ok(my_work_page(
        &auth.cx,
        &MyWorkView {
            assigned: &w.assigned,
            unassigned: &w.unassigned,
            queues: &w.queues,
        },
    )
    .into_response())
}
