//! Live queues: server-sent event streams that tell an open queue page or wall board that
//! something of its unit changed, and the wall board itself.
//!
//! A stream carries small notices, not data: `event: changed` with the kind of event, on every
//! event of the unit from any node (and after a lost connection between nodes, when events may
//! have been missed). `/static/live.js` then reads the page again and swaps the changed part;
//! without JavaScript the pages are plain pages with a refresh link.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};
use serva_domain::event::Event;
use serva_domain::UnitId;
use serva_views::pages::chat::wall_page;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use crate::auth::Auth;
use crate::error::PageError;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/queues/{code}/events", get(queue_events))
        .route("/wall/{code}", get(wall))
        .route("/wall/{code}/events", get(wall_events))
}

/// The name an event goes by in a notice.
fn kind(e: &Event) -> &'static str {
    match e {
        Event::CaseCreated { .. } => "case_created",
        Event::CaseChanged { .. } => "case_changed",
        Event::MessageAdded { .. } => "message_added",
        Event::CaseHandedOff { .. } => "case_handed_off",
        Event::SurveyAnswered { .. } => "survey_answered",
        Event::ServiceChanged { .. } => "service_changed",
        Event::CalendarChanged { .. } => "calendar_changed",
        Event::SlaBreached { .. } => "sla_breached",
        Event::ChatOpened { .. } => "chat_opened",
        Event::ChatMessage { .. } => "chat_message",
        Event::ChatTaken { .. } => "chat_taken",
        Event::ChatEnded { .. } => "chat_ended",
        Event::Imported { .. } => "imported",
        Event::CallsRecorded { .. } => "calls_recorded",
        Event::Missed => "missed",
    }
}

/// Notices of `unit`'s events: first `ready` (the stream listens from now on), then `changed`
/// for each event of the unit. Chat lines are left out: a queue or a board does not show them.
fn notices(rx: Receiver<Event>, unit: UnitId) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    let ready = stream::once(async { Ok(SseEvent::default().event("ready").data("{}")) });
    let changes = stream::unfold(rx, move |mut rx| async move {
        loop {
            let notice = match rx.recv().await {
                Ok(Event::ChatMessage { .. }) => continue,
                Ok(e) if e.unit() == Some(unit) => kind(&e),
                // The queue a case left changes too.
                Ok(e @ Event::CaseHandedOff { from, .. }) if from == unit => kind(&e),
                // A calls file may hold any queue's calls.
                Ok(Event::Imported { kind: k, .. }) if k == "calls" => "imported",
                Ok(Event::Missed) | Err(RecvError::Lagged(_)) => "missed",
                Ok(_) => continue,
                Err(RecvError::Closed) => return None,
            };
            let data = serde_json::json!({ "kind": notice }).to_string();
            return Some((Ok(SseEvent::default().event("changed").data(data)), rx));
        }
    });
    stream::StreamExt::chain(ready, changes)
}

async fn stream_for(
    st: &AppState,
    auth: &Auth,
    code: &str,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, PageError> {
    let unit = st.app.worked_unit(&auth.s.principal, code).await?;
    let rx = st.app.events().subscribe();
    // On PostgreSQL, wait until this node hears the others, so `ready` means it.
    st.app.events().ready().await;
    Ok(Sse::new(notices(rx, unit.id))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Notices for a queue page (`/queues/{code}` and its chat queue).
async fn queue_events(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    Ok(stream_for(&st, &auth, &code).await?.into_response())
}

/// Notices for the wall board.
async fn wall_events(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    Ok(stream_for(&st, &auth, &code).await?.into_response())
}

async fn wall(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let (unit, board) = st.app.wall_board(&auth.s.principal, &code).await?;
    Ok(wall_page(&auth.cx, &unit, &board).into_response())
}
