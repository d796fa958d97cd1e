//! `serva bench`'s open-connections figure: many chat WebSockets and server-sent event streams
//! held open on one node at once, as a contact centre's browsers hold them all day (each chat
//! with its customer's and its agent's socket; queue pages and wall boards with their
//! streams). While they are held, the server's memory is read, and events are sent that must
//! still reach them: a new case, which every stream of the unit is told of, and a message in
//! a sample of the chats, which both its sockets must get.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch, Semaphore};

use crate::bench_chat::{self, Person};
use crate::bench_server::Node;

/// The unit whose queue and wall board the streams follow (the chats are its too).
const UNIT: &str = "KL";
/// How long the bench waits for everything to open, and for an event to arrive.
const PATIENCE: Duration = Duration::from_secs(60);

/// What was held and what it cost.
pub struct Held {
    pub sockets: usize,
    pub streams: usize,
    /// Seconds to open them all.
    pub open_seconds: f64,
    /// The streams a new case of the unit reached, and the time until the last had it.
    pub streams_reached: usize,
    pub streams_ms: f64,
    /// The sockets of the sampled chats, and how many of them a message reached.
    pub sampled: usize,
    pub sampled_reached: usize,
    /// From the first of the sample's messages being sent until the last socket had its.
    pub sampled_ms: f64,
    pub rss_before_kib: u64,
    /// RSS with everything open and idle, and the highest while opening and sending.
    pub rss_held_kib: u64,
    pub rss_peak_kib: u64,
}

/// What the holders report.
enum Arrived {
    Stream(usize, Instant),
    Socket(usize, Instant),
}

/// Opens `sockets` chat WebSockets (half as many chats, each with the customer's and the
/// agent's socket) and `streams` event streams (queue pages and wall boards, alternately)
/// on `node`, holds them, and sends events through them.
pub async fn hold(
    node: &Node,
    customer: &Person,
    agent: &Person,
    api_token: &str,
    sockets: usize,
    streams: usize,
) -> anyhow::Result<Held> {
    let rss_before_kib = node.rss_kib().unwrap_or(0);
    let peak = Arc::new(AtomicU64::new(rss_before_kib));
    let sampler = {
        let (peak, pid) = (peak.clone(), node.pid);
        tokio::spawn(async move {
            loop {
                if let Some(kib) = crate::bench_server::rss_kib(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let result = hold_all(node, customer, agent, api_token, sockets, streams, &peak).await;
    sampler.abort();
    let mut held = result?;
    held.rss_before_kib = rss_before_kib;
    held.rss_peak_kib = peak.load(Ordering::Relaxed).max(held.rss_held_kib);
    Ok(held)
}

async fn hold_all(
    node: &Node,
    customer: &Person,
    agent: &Person,
    api_token: &str,
    sockets: usize,
    streams: usize,
    peak: &AtomicU64,
) -> anyhow::Result<Held> {
    let base = node.base.as_str();
    let http = bench_chat::http()?;
    let started = Instant::now();
    // The chats, opened a few at a time (each makes a case).
    let opening = Arc::new(Semaphore::new(8));
    let mut opened = Vec::new();
    for i in 0..sockets.div_ceil(2) {
        let (http, base, customer, opening) = (
            http.clone(),
            base.to_string(),
            customer.clone(),
            opening.clone(),
        );
        opened.push(tokio::spawn(async move {
            let _slot = opening.acquire().await?;
            bench_chat::open_chat(
                &http,
                &base,
                &customer,
                &format!("Bänktest: uppkoppling {i}"),
            )
            .await
        }));
    }
    let mut chats = Vec::new();
    for o in opened {
        chats.push(o.await.context("opening a chat")??);
    }

    let (stop_tx, stop) = watch::channel(false);
    let (arrived_tx, mut arrived) = mpsc::unbounded_channel::<Arrived>();
    let (ready_tx, mut ready) = mpsc::unbounded_channel::<anyhow::Result<()>>();
    for k in 0..sockets {
        let chat = chats[k / 2];
        let cookie = if k % 2 == 0 {
            customer.cookie.clone()
        } else {
            agent.cookie.clone()
        };
        let (base, stop, arrived, ready, opening) = (
            base.to_string(),
            stop.clone(),
            arrived_tx.clone(),
            ready_tx.clone(),
            opening.clone(),
        );
        tokio::spawn(async move {
            let ws = {
                let _slot = opening.acquire().await;
                bench_chat::socket(&base, chat, &cookie).await
            };
            let ws = match ws {
                Ok(ws) => ws,
                Err(e) => return drop(ready.send(Err(e))),
            };
            let _ = ready.send(Ok(()));
            hold_socket(ws, k, stop, arrived).await;
        });
    }
    for k in 0..streams {
        let page = if k % 2 == 0 { "queues" } else { "wall" };
        let url = format!("{base}/{page}/{UNIT}/events");
        let (http, cookie, stop, arrived, ready, opening) = (
            http.clone(),
            agent.cookie.clone(),
            stop.clone(),
            arrived_tx.clone(),
            ready_tx.clone(),
            opening.clone(),
        );
        tokio::spawn(async move {
            let r = {
                let _slot = opening.acquire().await;
                open_stream(&http, &url, &cookie).await
            };
            match r {
                Ok(r) => hold_stream(r, k, stop, arrived, ready).await,
                Err(e) => drop(ready.send(Err(e))),
            }
        });
    }
    drop((arrived_tx, ready_tx));
    for _ in 0..sockets + streams {
        match tokio::time::timeout(PATIENCE, ready.recv()).await {
            Ok(Some(Ok(()))) => {}
            Ok(Some(Err(e))) => return Err(e.context("opening a connection")),
            Ok(None) => bail!("a connection closed while the others opened"),
            Err(_) => bail!("the connections did not all open within a minute"),
        }
    }
    let open_seconds = started.elapsed().as_secs_f64();

    // Idle for a moment, everything open: what holding them costs.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_held_kib = node.rss_kib().unwrap_or(0);
    peak.fetch_max(rss_held_kib, Ordering::Relaxed);

    // A new case of the unit: every stream is told.
    let sent = Instant::now();
    let r = http
        .post(format!("{base}/api/v1/cases"))
        .bearer_auth(api_token)
        .json(&serde_json::json!({ "service": "KL-FRAGA", "subject": "Bänktest: händelse", "description": "Når den alla strömmar?", "channel": "phone" }))
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("creating a case answered {}", r.status());
    }
    let mut told = std::collections::HashSet::new();
    let mut last = sent;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while told.len() < streams {
        match tokio::time::timeout_at(deadline, arrived.recv()).await {
            Ok(Some(Arrived::Stream(k, at))) => {
                if told.insert(k) {
                    last = last.max(at);
                }
            }
            Ok(Some(Arrived::Socket(..))) => {}
            Ok(None) | Err(_) => break,
        }
    }
    let streams_ms = last.duration_since(sent).as_secs_f64() * 1000.0;

    // A message in every 25th chat: both its sockets hear it.
    let sample: Vec<usize> = (0..chats.len()).step_by(25).collect();
    let posted = Instant::now();
    for &c in &sample {
        let id = chats[c];
        bench_chat::post_message(
            &http,
            base,
            customer,
            id,
            &format!("bench-{c}"),
            "Hör ni mig?",
        )
        .await?;
    }
    let mut reached = std::collections::HashSet::new();
    let mut last_socket = posted;
    let expected: std::collections::HashSet<usize> = sample
        .iter()
        .flat_map(|&c| [2 * c, 2 * c + 1])
        .filter(|&k| k < sockets)
        .collect();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while reached.len() < expected.len() {
        match tokio::time::timeout_at(deadline, arrived.recv()).await {
            Ok(Some(Arrived::Socket(k, at))) if expected.contains(&k) => {
                if reached.insert(k) {
                    last_socket = last_socket.max(at);
                }
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    let _ = stop_tx.send(true);
    for id in chats {
        let _ = bench_chat::end_chat(&http, base, agent, id).await;
    }
    Ok(Held {
        sockets,
        streams,
        open_seconds,
        streams_reached: told.len(),
        streams_ms,
        sampled: expected.len(),
        sampled_reached: reached.len(),
        sampled_ms: last_socket.duration_since(posted).as_secs_f64() * 1000.0,
        rss_before_kib: 0,
        rss_held_kib,
        rss_peak_kib: 0,
    })
}

/// Holds socket `k` until told to stop, reporting the messages that reach it.
async fn hold_socket(
    ws: bench_chat::Ws,
    k: usize,
    mut stop: watch::Receiver<bool>,
    arrived: mpsc::UnboundedSender<Arrived>,
) {
    let (_w, mut r) = ws.split();
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            m = r.next() => match m {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) => {
                    if t.contains("\"type\":\"message\"") {
                        let _ = arrived.send(Arrived::Socket(k, Instant::now()));
                    }
                }
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}

async fn open_stream(
    http: &reqwest::Client,
    url: &str,
    cookie: &str,
) -> anyhow::Result<reqwest::Response> {
    let r = http
        .get(url)
        .header("cookie", cookie)
        .header("accept", "text/event-stream")
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    if !r.status().is_success() {
        bail!("GET {url} answered {}", r.status());
    }
    Ok(r)
}

/// Holds an event stream until told to stop: says when it is ready (its `ready` event) and
/// reports each `changed` notice.
async fn hold_stream(
    mut r: reqwest::Response,
    k: usize,
    mut stop: watch::Receiver<bool>,
    arrived: mpsc::UnboundedSender<Arrived>,
    ready: mpsc::UnboundedSender<anyhow::Result<()>>,
) {
    let mut is_ready = false;
    let mut text = String::new();
    loop {
        let chunk = tokio::select! {
            _ = stop.changed() => return,
            c = r.chunk() => c,
        };
        let Ok(Some(chunk)) = chunk else {
            if !is_ready {
                let _ = ready.send(Err(anyhow::anyhow!("an event stream ended")));
            }
            return;
        };
        text.push_str(&String::from_utf8_lossy(&chunk));
        // Whole events end with a blank line.
        while let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            if event.contains("event: ready") && !is_ready {
                is_ready = true;
                let _ = ready.send(Ok(()));
            } else if event.contains("event: changed") {
                let _ = arrived.send(Arrived::Stream(k, Instant::now()));
            }
        }
    }
}
