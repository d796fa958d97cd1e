//! The SLA clock, derived from a case's history so it can always be explained and recomputed.
//!
//! The resolution clock runs while the case is with the provider, pauses while it waits for the
//! customer or a third party, and stops when the case is resolved or closed (a reopened case
//! runs on from where it stopped). The first-response clock runs from creation to the first
//! reply the customer sees, and never pauses.

use serde::Serialize;

use crate::case::CaseStatus;

/// A service level: minutes to first response and to resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ServiceLevel {
    pub first_response_minutes: Option<i64>,
    pub resolution_minutes: Option<i64>,
}

/// One entry of the status history: at `at` (ms since epoch, UTC) the case went to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub at: i64,
    pub to: CaseStatus,
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SlaState {
    /// Stopped within target.
    Met { elapsed_ms: i64 },
    /// Past target, stopped or still running.
    Breached {
        elapsed_ms: i64,
        over_ms: i64,
        running: bool,
    },
    /// Running, with time left; `due_at` if it keeps running.
    Running { remaining_ms: i64, due_at: i64 },
    /// Waiting on the customer or a third party.
    Paused { remaining_ms: i64 },
}

impl SlaState {
    pub fn is_breached(&self) -> bool {
        matches!(self, SlaState::Breached { .. })
    }
}

const MINUTE: i64 = 60_000;

/// The resolution clock. `history` must start with the creation (status `New`) and be in time order.
pub fn resolution_clock(history: &[StatusChange], target_minutes: i64, now: i64) -> SlaState {
    let target = target_minutes * MINUTE;
    let mut elapsed = 0i64;
    for (i, change) in history.iter().enumerate() {
        let end = history
            .get(i + 1)
            .map_or(now, |next| next.at)
            .max(change.at);
        if runs(change.to) {
            elapsed += end - change.at;
        }
    }
    let last = history.last().map_or(CaseStatus::New, |c| c.to);
    let stopped = !last.is_active();
    if elapsed > target {
        return SlaState::Breached {
            elapsed_ms: elapsed,
            over_ms: elapsed - target,
            running: runs(last),
        };
    }
    if stopped {
        SlaState::Met {
            elapsed_ms: elapsed,
        }
    } else if last.pauses_sla() {
        SlaState::Paused {
            remaining_ms: target - elapsed,
        }
    } else {
        SlaState::Running {
            remaining_ms: target - elapsed,
            due_at: now + (target - elapsed),
        }
    }
}

/// The first-response clock: from `created_at` to `first_response_at` (or now).
pub fn response_clock(
    created_at: i64,
    first_response_at: Option<i64>,
    target_minutes: i64,
    now: i64,
) -> SlaState {
    let target = target_minutes * MINUTE;
    let end = first_response_at.unwrap_or(now).max(created_at);
    let elapsed = end - created_at;
    match (first_response_at, elapsed > target) {
        (_, true) => SlaState::Breached {
            elapsed_ms: elapsed,
            over_ms: elapsed - target,
            running: first_response_at.is_none(),
        },
        (Some(_), false) => SlaState::Met {
            elapsed_ms: elapsed,
        },
        (None, false) => SlaState::Running {
            remaining_ms: target - elapsed,
            due_at: created_at + target,
        },
    }
}

fn runs(s: CaseStatus) -> bool {
    s.is_active() && !s.pauses_sla()
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    fn h(v: &[(i64, CaseStatus)]) -> Vec<StatusChange> {
        v.iter()
            .map(|&(m, to)| StatusChange { at: m * MINUTE, to })
            .collect()
    }

    #[test]
    fn running_clock_has_a_due_time() {
        let s = resolution_clock(&h(&[(0, New), (10, Open)]), 60, 30 * MINUTE);
        assert_eq!(
            s,
            SlaState::Running {
                remaining_ms: 30 * MINUTE,
                due_at: 60 * MINUTE
            }
        );
    }

    #[test]
    fn waiting_pauses_the_clock() {
        let hist = h(&[
            (0, New),
            (20, WaitingCustomer),
            (500, Open),
            (520, Resolved),
        ]);
        assert_eq!(
            resolution_clock(&hist, 60, 10_000 * MINUTE),
            SlaState::Met {
                elapsed_ms: 40 * MINUTE
            }
        );
        let paused = resolution_clock(&hist[..2], 60, 400 * MINUTE);
        assert_eq!(
            paused,
            SlaState::Paused {
                remaining_ms: 40 * MINUTE
            }
        );
    }

    #[test]
    fn breach_is_reported_while_running_and_after() {
        let hist = h(&[(0, New)]);
        assert_eq!(
            resolution_clock(&hist, 60, 90 * MINUTE),
            SlaState::Breached {
                elapsed_ms: 90 * MINUTE,
                over_ms: 30 * MINUTE,
                running: true
            }
        );
        let waiting = h(&[(0, New), (90, WaitingCustomer)]);
        assert_eq!(
            resolution_clock(&waiting, 60, 500 * MINUTE),
            SlaState::Breached {
                elapsed_ms: 90 * MINUTE,
                over_ms: 30 * MINUTE,
                running: false
            }
        );
        let done = h(&[(0, New), (90, Closed)]);
        assert!(resolution_clock(&done, 60, 1_000 * MINUTE).is_breached());
    }

    #[test]
    fn reopened_case_runs_on() {
        let hist = h(&[(0, New), (10, Resolved), (100, Open)]);
        assert_eq!(
            resolution_clock(&hist, 60, 120 * MINUTE),
            SlaState::Running {
                remaining_ms: 30 * MINUTE,
                due_at: 150 * MINUTE
            }
        );
    }

    #[test]
    fn first_response() {
        assert_eq!(
            response_clock(0, Some(5 * MINUTE), 10, 99 * MINUTE),
            SlaState::Met {
                elapsed_ms: 5 * MINUTE
            }
        );
        assert!(response_clock(0, None, 10, 11 * MINUTE).is_breached());
        assert_eq!(
            response_clock(0, None, 10, 4 * MINUTE),
            SlaState::Running {
                remaining_ms: 6 * MINUTE,
                due_at: 10 * MINUTE
            }
        );
    }
}
