//! The SLA clocks, derived from a case's history so they can always be explained and
//! recomputed, and counted in the working time of the providing unit's calendar.
//!
//! - **First response** runs from creation to the first reply the customer sees (or the
//!   case's resolution, if that comes first), and never pauses.
//! - **Next response** starts when the customer writes after the first response and stops at
//!   the provider's next reply (or when the case is resolved); each time is its own clock.
//! - **Resolution** runs while the case is with the provider, pauses while it waits for the
//!   customer or a third party, and stops when the case is resolved or closed; a reopened
//!   case runs on from where it stopped.
//!
//! A clock is met when it stops at or before its due time: the instant when its target of
//! working time has passed. Running past it is a breach, recorded at the due time.

use serde::Serialize;

use crate::calendar::{WorkingTime, MINUTE_MS};
use crate::case::CaseStatus;

/// A service's targets, in minutes of working time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ServiceLevel {
    pub first_response_minutes: Option<i64>,
    pub next_response_minutes: Option<i64>,
    pub resolution_minutes: Option<i64>,
}

impl ServiceLevel {
    pub fn is_empty(&self) -> bool {
        self.first_response_minutes.is_none()
            && self.next_response_minutes.is_none()
            && self.resolution_minutes.is_none()
    }
}

/// One entry of the status history: at `at` (ms since epoch, UTC) the case went to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub at: i64,
    pub to: CaseStatus,
}

/// A message the other side sees (not an internal note): when, and from which side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub at: i64,
    pub from_provider: bool,
}

/// Where a clock stands. Times are working time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SlaState {
    /// Stopped within target.
    Met { elapsed_ms: i64 },
    /// Past its due time, stopped or still running.
    Breached {
        elapsed_ms: i64,
        over_ms: i64,
        running: bool,
    },
    /// Running, with time left; due at `due_at` if it keeps running.
    Running { remaining_ms: i64, due_at: i64 },
    /// Waiting on the customer or a third party.
    Paused { remaining_ms: i64 },
}

impl SlaState {
    pub fn is_breached(&self) -> bool {
        matches!(self, SlaState::Breached { .. })
    }
}

/// Which clock.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    FirstResponse,
    NextResponse,
    Resolution,
}

impl ClockKind {
    pub const ALL: [ClockKind; 3] = [
        ClockKind::FirstResponse,
        ClockKind::NextResponse,
        ClockKind::Resolution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::FirstResponse => "first_response",
            ClockKind::NextResponse => "next_response",
            ClockKind::Resolution => "resolution",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What happened to a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "mark", rename_all = "snake_case")]
pub enum Mark {
    /// The clock started; due then if it keeps running (none if the calendar never opens).
    Started { due_at: Option<i64> },
    /// Paused while the case waits for someone (`WaitingCustomer` or `WaitingThirdParty`).
    Paused {
        waiting_for: CaseStatus,
        remaining_ms: i64,
    },
    /// Running again, after a pause or because a resolved case was reopened.
    Resumed { due_at: Option<i64>, reopened: bool },
    /// The due time passed with the clock running.
    Breached { due_at: i64 },
    /// Stopped: the reply came, or the case was resolved.
    Stopped { in_time: bool, elapsed_ms: i64 },
}

/// One line of a case's SLA timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub at: i64,
    pub clock: ClockKind,
    #[serde(flatten)]
    pub mark: Mark,
}

/// A breach as it is recorded and counted: which clock, and when it was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Breach {
    pub clock: ClockKind,
    pub due_at: i64,
}

/// What is stored on the case, so queues sort and filter without the history: each clock's
/// due time, the earliest due time and warning time of the clocks running, whether the
/// resolution clock is paused and whether any clock has been breached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SlaDue {
    pub first_response_due: Option<i64>,
    /// While a next-response clock runs.
    pub next_response_due: Option<i64>,
    /// While the resolution clock runs, or when it stopped; none while paused.
    pub resolution_due: Option<i64>,
    /// The earliest due time of the clocks running now (past, for one running late).
    pub due_at: Option<i64>,
    /// The earliest due time of the clocks running now that have not been breached yet:
    /// when the next breach will happen unless someone acts (what the breach sweep watches).
    pub watch_at: Option<i64>,
    /// When the first running clock reaches its warning share.
    pub warn_at: Option<i64>,
    pub paused: bool,
    pub breached: bool,
    /// The service has at least one target.
    pub has_targets: bool,
}

/// A case's SLA state in one word, as queues show and filter it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaFlag {
    /// The service has no targets.
    None,
    /// Every clock stopped in time, or nothing is running and nothing was late.
    Met,
    /// A clock is running with time to spare.
    Running,
    /// A clock has passed its warning share.
    NearBreach,
    /// A clock is past its due time, or was.
    Breached,
    /// The resolution clock is paused and nothing else runs.
    Paused,
}

impl SlaFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            SlaFlag::None => "none",
            SlaFlag::Met => "met",
            SlaFlag::Running => "running",
            SlaFlag::NearBreach => "near_breach",
            SlaFlag::Breached => "breached",
            SlaFlag::Paused => "paused",
        }
    }
}

impl SlaDue {
    /// The state at `now`: a running clock past its due time is breached even before the
    /// sweep records it.
    pub fn flag(&self, now: i64) -> SlaFlag {
        if !self.has_targets {
            return SlaFlag::None;
        }
        if self.breached || self.due_at.is_some_and(|d| d < now) {
            SlaFlag::Breached
        } else if self.warn_at.is_some_and(|w| w <= now) {
            SlaFlag::NearBreach
        } else if self.due_at.is_some() {
            SlaFlag::Running
        } else if self.paused {
            SlaFlag::Paused
        } else {
            SlaFlag::Met
        }
    }
}

/// What the clocks read from a case.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts<'a> {
    pub created_at: i64,
    /// The first reply the customer saw (or the call or chat that answered them).
    pub first_response_at: Option<i64>,
    /// In time order, starting with the creation (status `New`).
    pub history: &'a [StatusChange],
    /// Messages the customer sees, in time order.
    pub replies: &'a [Reply],
}

/// Every clock of a case, its timeline, its breaches and what to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clocks {
    pub first_response: Option<SlaState>,
    pub next_response: Option<SlaState>,
    pub resolution: Option<SlaState>,
    pub timeline: Vec<TimelineEntry>,
    /// Breaches whose due time has passed, in time order.
    pub breaches: Vec<Breach>,
    pub due: SlaDue,
}

/// One clock being run through a case's history.
struct Clock<'a> {
    kind: ClockKind,
    time: &'a dyn WorkingTime,
    target: i64,
    warn: i64,
    /// Working time counted in finished stretches.
    elapsed: i64,
    /// Running since.
    since: Option<i64>,
    /// Due time of the current (or last) running stretch.
    due: Option<i64>,
    breached: Option<i64>,
    stopped: bool,
    paused: bool,
}

impl<'a> Clock<'a> {
    fn new(kind: ClockKind, time: &'a dyn WorkingTime, minutes: i64, warn_percent: u8) -> Self {
        let target = minutes.max(0) * MINUTE_MS;
        Clock {
            kind,
            time,
            target,
            warn: target * i64::from(warn_percent) / 100,
            elapsed: 0,
            since: None,
            due: None,
            breached: None,
            stopped: false,
            paused: false,
        }
    }

    fn mark(&self, tl: &mut Vec<TimelineEntry>, at: i64, mark: Mark) {
        tl.push(TimelineEntry {
            at,
            clock: self.kind,
            mark,
        });
    }

    fn run(&mut self, at: i64, tl: &mut Vec<TimelineEntry>, resumed: Option<bool>) {
        if self.since.is_some() {
            return;
        }
        self.since = Some(at);
        self.stopped = false;
        self.paused = false;
        self.due = self.time.add(at, (self.target - self.elapsed).max(0));
        let mark = match resumed {
            None => Mark::Started { due_at: self.due },
            Some(reopened) => Mark::Resumed {
                due_at: self.due,
                reopened,
            },
        };
        self.mark(tl, at, mark);
    }

    /// Ends a running stretch at `at`, recording a breach if the due time passed in it.
    fn halt(&mut self, at: i64, tl: &mut Vec<TimelineEntry>) {
        let Some(since) = self.since.take() else {
            return;
        };
        self.note_breach(at, tl);
        self.elapsed += self.time.between(since, at);
    }

    fn note_breach(&mut self, until: i64, tl: &mut Vec<TimelineEntry>) {
        if let Some(due) = self.due.filter(|&d| d < until) {
            if self.breached.is_none() {
                self.breached = Some(due);
                self.mark(tl, due, Mark::Breached { due_at: due });
            }
        }
    }

    fn pause(&mut self, at: i64, waiting_for: CaseStatus, tl: &mut Vec<TimelineEntry>) {
        self.halt(at, tl);
        self.paused = true;
        self.stopped = false;
        let remaining_ms = (self.target - self.elapsed).max(0);
        self.mark(
            tl,
            at,
            Mark::Paused {
                waiting_for,
                remaining_ms,
            },
        );
    }

    fn stop(&mut self, at: i64, tl: &mut Vec<TimelineEntry>) {
        if self.since.is_none() && (self.stopped || !self.paused) {
            return;
        }
        self.halt(at, tl);
        self.stopped = true;
        self.paused = false;
        let mark = Mark::Stopped {
            in_time: self.breached.is_none(),
            elapsed_ms: self.elapsed,
        };
        self.mark(tl, at, mark);
    }

    /// The state at `now`, recording a breach of a clock still running.
    fn finish(&mut self, now: i64, tl: &mut Vec<TimelineEntry>) -> SlaState {
        let running = self.since.is_some();
        if running {
            self.note_breach(now, tl);
        }
        let elapsed = self.elapsed + self.since.map_or(0, |s| self.time.between(s, now));
        if self.breached.is_some() {
            SlaState::Breached {
                elapsed_ms: elapsed,
                over_ms: (elapsed - self.target).max(0),
                running,
            }
        } else if running {
            SlaState::Running {
                remaining_ms: (self.target - elapsed).max(0),
                due_at: self.due.unwrap_or(i64::MAX),
            }
        } else if self.paused {
            SlaState::Paused {
                remaining_ms: (self.target - elapsed).max(0),
            }
        } else {
            SlaState::Met {
                elapsed_ms: elapsed,
            }
        }
    }

    /// When a running clock reaches its warning share.
    fn warn_at(&self) -> Option<i64> {
        let since = self.since?;
        if self.elapsed >= self.warn {
            Some(since)
        } else {
            self.time.add(since, self.warn - self.elapsed)
        }
    }

    /// A running clock's due and warning times, and whether it is past due already.
    fn running(&self) -> Option<Running> {
        self.since.map(|_| Running {
            due: self.due,
            warn: self.warn_at(),
            late: self.breached.is_some(),
        })
    }
}

#[derive(Debug, Clone, Copy)]
struct Running {
    due: Option<i64>,
    warn: Option<i64>,
    late: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Paused(CaseStatus),
    Stopped,
}

fn phase(s: CaseStatus) -> Phase {
    if !s.is_active() {
        Phase::Stopped
    } else if s.pauses_sla() {
        Phase::Paused(s)
    } else {
        Phase::Running
    }
}

/// Runs every clock the service has a target for through the case's history, up to `now`.
/// `warn_percent` is the share of a target after which a running clock warns.
pub fn clocks(
    facts: &CaseFacts<'_>,
    level: &ServiceLevel,
    time: &dyn WorkingTime,
    warn_percent: u8,
    now: i64,
) -> Clocks {
    let mut tl = Vec::new();
    let mut breaches = Vec::new();
    // The first response: the first reply, or the resolution if it came first.
    let resolved_first = facts
        .history
        .iter()
        .find(|c| !c.to.is_active())
        .map(|c| c.at);
    let answered = match (facts.first_response_at, resolved_first) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };

    let first_response = level.first_response_minutes.map(|m| {
        let mut c = Clock::new(ClockKind::FirstResponse, time, m, warn_percent);
        c.run(facts.created_at, &mut tl, None);
        if let Some(at) = answered.filter(|&a| a <= now) {
            c.stop(at.max(facts.created_at), &mut tl);
        }
        let state = c.finish(now, &mut tl);
        (c.due, c.running(), c.breached, state)
    });

    let resolution = level.resolution_minutes.map(|m| {
        let mut c = Clock::new(ClockKind::Resolution, time, m, warn_percent);
        let mut before: Option<Phase> = None;
        for ch in facts.history.iter().filter(|c| c.at <= now) {
            let next = phase(ch.to);
            match (before, next) {
                (a, b) if a == Some(b) => {}
                (None, Phase::Running) => c.run(ch.at, &mut tl, None),
                (None, Phase::Paused(w)) => {
                    c.run(ch.at, &mut tl, None);
                    c.pause(ch.at, w, &mut tl);
                }
                (None, Phase::Stopped) => {
                    c.run(ch.at, &mut tl, None);
                    c.stop(ch.at, &mut tl);
                }
                (Some(Phase::Stopped), Phase::Running) => c.run(ch.at, &mut tl, Some(true)),
                (Some(_), Phase::Running) => c.run(ch.at, &mut tl, Some(false)),
                (Some(_), Phase::Paused(w)) => c.pause(ch.at, w, &mut tl),
                (Some(_), Phase::Stopped) => c.stop(ch.at, &mut tl),
            }
            before = Some(next);
        }
        let state = c.finish(now, &mut tl);
        let due = if c.paused { None } else { c.due };
        (due, c.running(), c.breached, c.paused, state)
    });

    // Next responses: each customer message after the first response, while none is
    // pending, starts one; the provider's next reply, or the case's resolution, stops it.
    let mut next_response = None;
    if let Some(m) = level.next_response_minutes {
        #[derive(Clone, Copy)]
        enum Step {
            Customer,
            Provider,
            Resolved,
        }
        let mut steps: Vec<(i64, u8, Step)> = facts
            .replies
            .iter()
            .map(|r| {
                if r.from_provider {
                    (r.at, 1, Step::Provider)
                } else {
                    (r.at, 0, Step::Customer)
                }
            })
            .chain(
                facts
                    .history
                    .iter()
                    .filter(|c| !c.to.is_active())
                    .map(|c| (c.at, 2, Step::Resolved)),
            )
            .filter(|(at, _, _)| *at <= now)
            .collect();
        steps.sort_by_key(|(at, order, _)| (*at, *order));
        let mut current: Option<Clock> = None;
        for (at, _, step) in steps {
            let pending = current.as_ref().is_some_and(|c| c.since.is_some());
            match step {
                Step::Customer if !pending && answered.is_some_and(|a| a <= at) => {
                    if let Some(mut done) = current.take() {
                        done.finish(now, &mut tl);
                        breaches.extend(done.breached.map(|due_at| Breach {
                            clock: ClockKind::NextResponse,
                            due_at,
                        }));
                    }
                    let mut c = Clock::new(ClockKind::NextResponse, time, m, warn_percent);
                    c.run(at, &mut tl, None);
                    current = Some(c);
                }
                Step::Provider | Step::Resolved if pending => {
                    if let Some(c) = current.as_mut() {
                        c.stop(at, &mut tl);
                    }
                }
                _ => {}
            }
        }
        if let Some(mut c) = current {
            let state = c.finish(now, &mut tl);
            breaches.extend(c.breached.map(|due_at| Breach {
                clock: ClockKind::NextResponse,
                due_at,
            }));
            next_response = Some((c.running(), state));
        }
    }

    let mut due = SlaDue {
        has_targets: !level.is_empty(),
        ..SlaDue::default()
    };
    let mut running: Vec<Running> = Vec::new();
    let first_response = first_response.map(|(d, run, breached, state)| {
        due.first_response_due = d;
        running.extend(run);
        breaches.extend(breached.map(|due_at| Breach {
            clock: ClockKind::FirstResponse,
            due_at,
        }));
        state
    });
    let resolution = resolution.map(|(d, run, breached, paused, state)| {
        due.resolution_due = d;
        due.paused = paused;
        running.extend(run);
        breaches.extend(breached.map(|due_at| Breach {
            clock: ClockKind::Resolution,
            due_at,
        }));
        state
    });
    let next_response = next_response.map(|(run, state): (Option<Running>, _)| {
        due.next_response_due = run.and_then(|r| r.due);
        running.extend(run);
        state
    });
    due.due_at = running.iter().filter_map(|r| r.due).min();
    due.watch_at = running
        .iter()
        .filter(|r| !r.late)
        .filter_map(|r| r.due)
        .min();
    due.warn_at = running
        .iter()
        .filter(|r| !r.late && r.due.is_some())
        .filter_map(|r| r.warn)
        .min();
    breaches.sort();
    due.breached = !breaches.is_empty();
    // In time order; at the same instant, in the order they happened.
    tl.sort_by_key(|e| e.at);
    Clocks {
        first_response,
        next_response,
        resolution,
        timeline: tl,
        breaches,
        due,
    }
}

#[cfg(test)]
mod tests;
