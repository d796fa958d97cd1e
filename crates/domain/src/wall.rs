//! A unit's wall board: what the team should see at a glance — chats waiting and how long,
//! today's cases in and out, today's chat and phone service levels, and cases near or past
//! their target.

use std::collections::HashMap;

use serde::Serialize;

use crate::case::Case;
use crate::chat::Chat;
use crate::phone::PhoneServiceLevel;
use crate::sla::{resolution_clock, SlaState, StatusChange};
use crate::CaseId;

/// A chat answered within this long counts as answered in time (the chat service level).
pub const CHAT_ANSWER_TARGET_MS: i64 = 60_000;
/// A running clock with at most this share of its target left is "near" the target.
pub const NEAR_SHARE: f64 = 0.25;

/// Everything the wall board shows.
#[derive(Debug, Clone, Serialize)]
pub struct WallBoard {
    /// Waiting chats, longest wait first.
    pub waiting: Vec<Chat>,
    /// Chats an agent is in now.
    pub active: Vec<Chat>,
    /// Cases that came in today (Stockholm day), and cases resolved today.
    pub created_today: i64,
    pub resolved_today: i64,
    /// Chats taken today, and those taken within [`CHAT_ANSWER_TARGET_MS`].
    pub chats_taken_today: i64,
    pub chats_in_time_today: i64,
    /// The phone queue's calls and service level today and this week, under its rule (the
    /// figures of `/queues/{code}/phone`).
    pub phone: PhoneServiceLevel,
    /// Active cases near or past their resolution target, most urgent first.
    pub at_risk: Vec<(Case, SlaState)>,
    /// When the board was read (ms since the epoch).
    pub at: i64,
}

impl WallBoard {
    /// Today's chat service level, as a share (none when no chat was taken today).
    pub fn chat_service_level(&self) -> Option<f64> {
        (self.chats_taken_today > 0)
            .then(|| self.chats_in_time_today as f64 / self.chats_taken_today as f64)
    }
}

/// Whether a resolution clock is near or past its target: breached, or running or paused
/// with at most [`NEAR_SHARE`] of `target_minutes` left.
pub fn near_or_past(state: &SlaState, target_minutes: i64) -> bool {
    let target = (target_minutes * 60_000) as f64;
    match state {
        SlaState::Breached { running, .. } => *running,
        SlaState::Running { remaining_ms, .. } | SlaState::Paused { remaining_ms } => {
            (*remaining_ms as f64) <= target * NEAR_SHARE
        }
        SlaState::Met { .. } => false,
    }
}

/// The cases of `cases` (each with its resolution target in minutes) whose clock at `now` is
/// near or past the target, most urgent first. `histories` holds each case's status changes in
/// time order; a case without any (it came in after they were read) is left for the next read.
pub fn at_risk(
    cases: Vec<(Case, i64)>,
    histories: &HashMap<CaseId, Vec<StatusChange>>,
    now: i64,
) -> Vec<(Case, SlaState)> {
    let mut out: Vec<(Case, SlaState)> = cases
        .into_iter()
        .filter_map(|(case, target)| {
            let changes = histories.get(&case.id)?;
            let state = resolution_clock(changes, target, now);
            near_or_past(&state, target).then_some((case, state))
        })
        .collect();
    out.sort_by_key(|(_, s)| urgency(s));
    out
}

/// How urgent a clock is, for sorting: the time left (negative when past).
pub fn urgency(state: &SlaState) -> i64 {
    match state {
        SlaState::Breached { over_ms, .. } => -over_ms,
        SlaState::Running { remaining_ms, .. } | SlaState::Paused { remaining_ms } => *remaining_ms,
        SlaState::Met { .. } => i64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_means_the_last_quarter_or_past() {
        let running = |left| SlaState::Running {
            remaining_ms: left,
            due_at: 0,
        };
        // A 60-minute target: 15 minutes left is near, 16 is not.
        assert!(near_or_past(&running(15 * 60_000), 60));
        assert!(!near_or_past(&running(16 * 60_000), 60));
        assert!(near_or_past(
            &SlaState::Breached {
                elapsed_ms: 1,
                over_ms: 1,
                running: true
            },
            60
        ));
        // Past but stopped (resolved late) is history, not something to act on.
        assert!(!near_or_past(
            &SlaState::Breached {
                elapsed_ms: 1,
                over_ms: 1,
                running: false
            },
            60
        ));
        assert!(!near_or_past(&SlaState::Met { elapsed_ms: 1 }, 60));
        assert!(
            urgency(&SlaState::Breached {
                elapsed_ms: 1,
                over_ms: 5,
                running: true
            }) < urgency(&running(1))
        );
    }
}
