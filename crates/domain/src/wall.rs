//! A unit's wall board: what the team should see at a glance — chats waiting and how long,
//! today's cases in and out, today's chat and phone service levels, and cases near or past
//! their target.

use serde::Serialize;

use crate::case::Case;
use crate::chat::Chat;
use crate::phone::PhoneServiceLevel;

/// A chat answered within this long counts as answered in time (the chat service level).
pub const CHAT_ANSWER_TARGET_MS: i64 = 60_000;

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
    /// Active cases with a clock past its warning share or its due time (see
    /// `Case::sla`), the earliest due first.
    pub at_risk: Vec<Case>,
    /// Breaches whose due time fell today (Stockholm day).
    pub breaches_today: i64,
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
