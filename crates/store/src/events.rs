//! The event bus. After each write the application layer publishes a small typed
//! [`Event`]; everything subscribed on this node gets it at once through an in-process
//! broadcast. On PostgreSQL the same events cross to every other `serve` process on the same
//! database through `NOTIFY serva_events`: a publisher task batches what is published into as
//! few notifications as fit (PostgreSQL's payload limit is 8 000 bytes), and a listener task
//! (started by the first subscriber) rebroadcasts what other nodes sent. Each node skips its own
//! notifications, which it has delivered locally already.
//!
//! Delivery is at most once and only to subscribers that are listening: the bus tells open
//! pages and workers that something changed, it is not a queue of work. A listener that loses
//! its connection reconnects by itself; events sent meanwhile are missed, and subscribers get
//! [`Event::Missed`] so that a reader that must not miss anything re-reads the data.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serva_domain::event::Event;
use sqlx::AnyPool;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;

/// The PostgreSQL channel the nodes talk on.
pub const CHANNEL: &str = "serva_events";
/// Room left under PostgreSQL's 8 000-byte payload limit.
const MAX_PAYLOAD: usize = 7_500;
/// Events a slow subscriber may fall behind before it misses some (it is told it lagged).
const BACKLOG: usize = 4_096;
/// Events waiting to be sent to the other nodes before new ones are dropped (and counted):
/// a stalled database must not make the bus eat the server's memory.
const OUTBOX: usize = 16_384;

/// What travels in one notification: the sending node and a batch of events.
#[derive(Serialize, Deserialize)]
struct Envelope {
    node: u64,
    events: Vec<Event>,
}

#[derive(Clone)]
pub struct EventBus {
    inner: Arc<Inner>,
}

struct Inner {
    local: broadcast::Sender<Event>,
    /// This process's id, to skip its own notifications.
    node: u64,
    /// PostgreSQL only: events waiting to be sent to the other nodes, and the task sending
    /// them (taken by [`EventBus::close`], which waits until they are sent).
    outbox: Mutex<Option<mpsc::Sender<Event>>>,
    publisher: Mutex<Option<JoinHandle<()>>>,
    /// Events not sent to the other nodes because the outbox was full.
    dropped: AtomicU64,
    /// PostgreSQL only: where the listener connects, and whether it runs.
    listen_url: Option<String>,
    /// Whether the listener was started, and whether it listens now (LISTEN has run and the
    /// connection holds).
    started: Mutex<bool>,
    listening: watch::Sender<bool>,
    /// Dropped with the bus or taken by [`EventBus::close`]: tells the listener to stop.
    alive_tx: Mutex<Option<watch::Sender<()>>>,
    alive: watch::Receiver<()>,
}

impl std::fmt::Debug for EventBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBus")
            .field("node", &self.inner.node)
            .field("crosses_nodes", &self.inner.listen_url.is_some())
            .finish()
    }
}

impl EventBus {
    /// A bus within this process only (SQLite: there is one node).
    pub(crate) fn local() -> EventBus {
        EventBus::new(None)
    }

    /// A bus that also crosses to the other nodes on the PostgreSQL database at `url`.
    pub(crate) fn postgres(pool: AnyPool, url: &str) -> EventBus {
        let bus = EventBus::new(Some(url.to_string()));
        let (tx, rx) = mpsc::channel(OUTBOX);
        let task = tokio::spawn(publish_loop(pool, rx, bus.inner.node));
        *bus.inner.outbox.lock().expect("not poisoned") = Some(tx);
        *bus.inner.publisher.lock().expect("not poisoned") = Some(task);
        bus
    }

    fn new(listen_url: Option<String>) -> EventBus {
        let (local, _) = broadcast::channel(BACKLOG);
        let mut id = [0u8; 8];
        // Two nodes with one id would skip each other's events; the id only needs to differ.
        getrandom::fill(&mut id).expect("the operating system gives random bytes");
        let (alive_tx, alive_rx) = watch::channel(());
        EventBus {
            inner: Arc::new(Inner {
                local,
                node: u64::from_le_bytes(id),
                outbox: Mutex::new(None),
                publisher: Mutex::new(None),
                dropped: AtomicU64::new(0),
                listen_url,
                started: Mutex::new(false),
                listening: watch::Sender::new(false),
                alive_tx: Mutex::new(Some(alive_tx)),
                alive: alive_rx,
            }),
        }
    }

    /// Tells every subscriber, here and on the other nodes, that `event` happened.
    pub fn publish(&self, event: Event) {
        if let Some(outbox) = self.inner.outbox.lock().expect("not poisoned").as_ref() {
            if outbox.try_send(event.clone()).is_err() {
                let n = self.inner.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_power_of_two() {
                    tracing::warn!(
                        dropped = n,
                        "events not sent to the other nodes: the outbox is full"
                    );
                }
            }
        }
        // No subscriber is not an error.
        let _ = self.inner.local.send(event);
    }

    /// Every event published from now on, on this node or (PostgreSQL) any other. When the
    /// connection to the other nodes was lost, [`Event::Missed`] says that events may have
    /// been missed meanwhile.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        let rx = self.inner.local.subscribe();
        if let Some(url) = &self.inner.listen_url {
            let mut started = self.inner.started.lock().expect("not poisoned");
            if !*started {
                *started = true;
                tokio::spawn(listen_loop(
                    url.clone(),
                    self.inner.local.clone(),
                    self.inner.listening.clone(),
                    self.inner.alive.clone(),
                    self.inner.node,
                ));
            }
        }
        rx
    }

    /// Waits until this node listens to the other nodes (PostgreSQL), so that what they publish
    /// from now on arrives; at once on SQLite. For tests and tools that must not miss the first
    /// event after subscribing.
    pub async fn ready(&self) {
        if self.inner.listen_url.is_none() {
            return;
        }
        drop(self.subscribe());
        let mut rx = self.inner.listening.subscribe();
        // The sender lives as long as the bus, so this ends when the listener listens.
        let _ = rx.wait_for(|listening| *listening).await;
    }

    /// Events that could not be sent to the other nodes (the outbox was full).
    pub fn dropped(&self) -> u64 {
        self.inner.dropped.load(Ordering::Relaxed)
    }

    /// Sends what is still waiting to the other nodes (at most a few seconds), then stops
    /// sending and listening; called when the database is closed, so that a command's last
    /// events arrive.
    pub async fn close(&self) {
        drop(self.inner.alive_tx.lock().expect("not poisoned").take());
        let outbox = self.inner.outbox.lock().expect("not poisoned").take();
        drop(outbox);
        let task = self.inner.publisher.lock().expect("not poisoned").take();
        if let Some(task) = task {
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                tracing::warn!("events still waiting for the other nodes were not sent");
            }
        }
    }
}

/// Sends what is published to the other nodes, as few notifications as the payload limit allows.
async fn publish_loop(pool: AnyPool, mut rx: mpsc::Receiver<Event>, node: u64) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while let Ok(e) = rx.try_recv() {
            batch.push(e);
            if batch.len() >= 64 {
                break;
            }
        }
        for payload in payloads(node, batch) {
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(&payload)
                .execute(&pool)
                .await
            {
                // The other nodes miss this batch; this node's own subscribers have it.
                tracing::warn!(error = %e, "could not tell the other nodes about an event");
            }
        }
    }
}

/// Envelopes of `events`, each under the payload limit (an event too large alone is dropped).
fn payloads(node: u64, events: Vec<Event>) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<Event> = Vec::new();
    let encode = |events: &[Event]| {
        serde_json::to_string(&Envelope {
            node,
            events: events.to_vec(),
        })
        .expect("events serialise")
    };
    for e in events {
        current.push(e);
        if encode(&current).len() > MAX_PAYLOAD {
            let last = current.pop().expect("just pushed");
            if !current.is_empty() {
                out.push(encode(&current));
            }
            current = vec![last];
            if encode(&current).len() > MAX_PAYLOAD {
                tracing::warn!("an event is too large to send to the other nodes");
                current.clear();
            }
        }
    }
    if !current.is_empty() {
        out.push(encode(&current));
    }
    out
}

/// Listens for the other nodes' events and rebroadcasts them here, until the bus is dropped.
/// When the connection is lost it connects and listens again; once it listens, subscribers get
/// [`Event::Missed`]: what was sent meanwhile is gone, and from then on nothing is missed.
async fn listen_loop(
    url: String,
    local: broadcast::Sender<Event>,
    listening: watch::Sender<bool>,
    mut alive: watch::Receiver<()>,
    node: u64,
) {
    let mut first = true;
    loop {
        let mut listener = loop {
            tokio::select! {
                _ = alive.changed() => return,
                l = connect(&url) => match l {
                    Ok(l) => break l,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for other nodes' events; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                },
            }
        };
        listening.send_replace(true);
        if !std::mem::take(&mut first) {
            let _ = local.send(Event::Missed);
        }
        loop {
            // `try_recv` says when the connection is lost (`recv` would hide it).
            let n = tokio::select! {
                _ = alive.changed() => return,
                n = listener.try_recv() => n,
            };
            match n {
                Ok(Some(n)) => match serde_json::from_str::<Envelope>(n.payload()) {
                    Ok(env) if env.node == node => {}
                    Ok(env) => {
                        for e in env.events {
                            let _ = local.send(e);
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "an unreadable event from another node"),
                },
                Ok(None) => {
                    tracing::warn!("lost the connection for other nodes' events; reconnecting");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "lost the connection for other nodes' events; reconnecting");
                    break;
                }
            }
        }
        listening.send_replace(false);
    }
}

async fn connect(url: &str) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let mut l = sqlx::postgres::PgListener::connect(url).await?;
    l.listen(CHANNEL).await?;
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serva_domain::{CaseId, UnitId};

    #[test]
    fn batches_fit_the_payload_limit() {
        let many: Vec<Event> = (0..1_000)
            .map(|i| Event::CaseCreated {
                case: CaseId(i),
                unit: UnitId(1),
            })
            .collect();
        let out = payloads(7, many);
        assert!(out.len() > 1);
        let mut n = 0;
        for p in &out {
            assert!(p.len() <= MAX_PAYLOAD);
            let env: Envelope = serde_json::from_str(p).unwrap();
            assert_eq!(env.node, 7);
            n += env.events.len();
        }
        assert_eq!(n, 1_000);
        let huge = Event::Imported {
            kind: "x".repeat(10_000),
            rows: 1,
        };
        assert!(payloads(7, vec![huge]).is_empty());
    }
}
