//! The servers `serva bench` measures: `serva serve` started as child processes of the bench
//! (one, or two on one PostgreSQL for the chat figure), and their memory read from `/proc`.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// Where a bench server keeps its data.
#[derive(Clone)]
pub enum Store {
    /// A PostgreSQL (or SQLite) URL, `--database`.
    Url(String),
    /// A data folder with the SQLite file, `--data`.
    Dir(std::path::PathBuf),
}

/// A `serva serve` process, killed when dropped.
pub struct Node {
    child: tokio::process::Child,
    pub pid: u32,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The SMTP listener's port, when it has one.
    pub smtp_port: Option<u16>,
}

/// A port free on 127.0.0.1 now (the server binds it a moment later).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Starts `serva serve` on `store` and waits until it answers `/readyz`; `smtp` also starts
/// its SMTP listener.
pub async fn start(store: &Store, smtp: bool) -> anyhow::Result<Node> {
    let port = free_port()?;
    let mut cmd = tokio::process::Command::new(std::env::current_exe()?);
    match store {
        Store::Url(u) => cmd.arg("--database").arg(u),
        Store::Dir(d) => cmd.arg("--data").arg(d),
    };
    cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")]);
    let smtp_port = if smtp {
        let p = free_port()?;
        cmd.args(["--smtp-listen", &format!("127.0.0.1:{p}")]);
        Some(p)
    } else {
        None
    };
    let child = cmd
        .env("SERVA_LOG", "error")
        .kill_on_drop(true)
        .spawn()
        .context("starting the server")?;
    let node = Node {
        pid: child.id().unwrap_or(0),
        child,
        base: format!("http://127.0.0.1:{port}"),
        smtp_port,
    };
    let probe = reqwest::Client::new();
    let ready = Instant::now();
    while !probe
        .get(format!("{}/readyz", node.base))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        if ready.elapsed() > Duration::from_secs(30) {
            bail!("the server did not start");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(node)
}

impl Node {
    /// The server's resident memory now, KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        rss_kib(self.pid)
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// The resident memory of process `pid`, KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
