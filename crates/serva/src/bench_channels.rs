//! `serva bench`'s channel figures (issue 9), each printed with its budget: mail taken in over
//! SMTP, chat messages between two nodes, and many live connections held by one node.

use anyhow::Context;

use crate::bench_chat::Person;
use crate::bench_connections::Held;
use crate::bench_server::{self, Node, Store};

/// Mails sent for the SMTP figure, over this many connections.
const MAILS: usize = 2_000;
const SMTP_CONNECTIONS: usize = 8;
/// Chat messages each way for the delivery figure.
const CHAT_EACH_WAY: usize = 200;
/// Connections held for the connections figure.
const SOCKETS: usize = 500;
const STREAMS: usize = 500;

/// The budgets of issue 9.
const SMTP_BUDGET: f64 = 200.0;
const CHAT_P99_BUDGET_MS: f64 = 50.0;
const RSS_BUDGET_BYTES: u64 = 150_000_000;

/// The figures measured (`None`: left out by `--only`).
pub struct Figures {
    smtp: Option<f64>,
    /// Nodes the chat ran between, and its latencies (ms, sorted).
    chat: Option<(usize, Vec<f64>)>,
    held: Option<Held>,
}

/// Measures the channel figures `wanted` names on `node` (and, for the chat on PostgreSQL, a
/// second node on `store`).
pub async fn figures(
    node: &Node,
    store: &Store,
    backend: &str,
    customer: &Person,
    agent: &Person,
    api_token: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> anyhow::Result<Figures> {
    let smtp = if wanted("SMTP intake") {
        let port = node
            .smtp_port
            .context("the bench server has no SMTP port")?;
        Some(
            crate::bench_mail::smtp_intake(("127.0.0.1", port), MAILS, SMTP_CONNECTIONS)
                .await
                .context("SMTP intake")?,
        )
    } else {
        None
    };
    let chat = if wanted("chat delivery") {
        Some(if backend == "PostgreSQL" {
            let other = bench_server::start(store, false).await?;
            let ms = crate::bench_chat::delivery(
                &node.base,
                &other.base,
                customer,
                agent,
                CHAT_EACH_WAY,
            )
            .await
            .context("chat delivery");
            other.stop().await;
            (2, ms?)
        } else {
            let ms =
                crate::bench_chat::delivery(&node.base, &node.base, customer, agent, CHAT_EACH_WAY)
                    .await
                    .context("chat delivery")?;
            (1, ms)
        })
    } else {
        None
    };
    let held = if wanted("open connections") {
        Some(
            crate::bench_connections::hold(node, customer, agent, api_token, SOCKETS, STREAMS)
                .await
                .context("open connections")?,
        )
    } else {
        None
    };
    Ok(Figures { smtp, chat, held })
}

fn met(ok: bool) -> &'static str {
    if ok {
        "yes"
    } else {
        "**no**"
    }
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

impl Figures {
    pub fn print(&self, backend: &str) {
        if self.smtp.is_none() && self.chat.is_none() && self.held.is_none() {
            return;
        }
        println!();
        println!("| channel figure (issue 9) | measured | budget | met? |");
        println!("| --- | --- | --- | --- |");
        if let Some(rate) = self.smtp {
            let (budget, verdict) = if backend == "SQLite" {
                (
                    format!("≥ {SMTP_BUDGET:.0} mails/s"),
                    met(rate >= SMTP_BUDGET),
                )
            } else {
                (
                    format!("≥ {SMTP_BUDGET:.0} mails/s on SQLite"),
                    "not measured (PostgreSQL)",
                )
            };
            println!(
                "| SMTP intake into cases ({MAILS} mails, {SMTP_CONNECTIONS} connections) | {rate:.0} mails/s | {budget} | {verdict} |"
            );
        }
        if let Some((nodes, ms)) = &self.chat {
            let p50 = crate::bench::percentile(ms, 0.5);
            let p99 = crate::bench::percentile(ms, 0.99);
            let max = ms.last().copied().unwrap_or(f64::NAN);
            let what = if *nodes == 2 {
                format!(
                    "chat delivery, customer on node A, agent on node B ({} messages each way)",
                    ms.len() / 2
                )
            } else {
                format!(
                    "chat delivery, ONE node ({} messages each way; the two-node figure needs PostgreSQL: `serva bench --database postgres://…`)",
                    ms.len() / 2
                )
            };
            println!(
                "| {what} | p99 {p99:.2} ms (p50 {p50:.2}, max {max:.2}) | p99 ≤ {CHAT_P99_BUDGET_MS:.0} ms between two nodes | {} |",
                if *nodes == 2 {
                    met(p99 <= CHAT_P99_BUDGET_MS)
                } else {
                    "not measured (one node)"
                }
            );
        }
        if let Some(h) = &self.held {
            let n = h.sockets + h.streams;
            let per = (h.rss_held_kib.saturating_sub(h.rss_before_kib)) as f64 / n as f64;
            let reached = h.streams_reached == h.streams && h.sampled_reached == h.sampled;
            println!(
                "| {n} open connections ({} chat WebSockets, {} SSE streams), opened in {:.1} s | RSS {} held, {} peak ({} before; {per:.0} KiB per connection); a new case reached {}/{} streams in {:.0} ms, a chat message {}/{} sampled sockets in {:.0} ms | ≤ 150 MB RSS | {} |",
                h.sockets,
                h.streams,
                h.open_seconds,
                mib(h.rss_held_kib),
                mib(h.rss_peak_kib),
                mib(h.rss_before_kib),
                h.streams_reached,
                h.streams,
                h.streams_ms,
                h.sampled_reached,
                h.sampled,
                h.sampled_ms,
                met(reached && h.rss_peak_kib * 1024 <= RSS_BUDGET_BYTES)
            );
        }
        println!();
    }
}
