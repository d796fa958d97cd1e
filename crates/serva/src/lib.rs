//! Serva as a program: configuration, the server's start and stop, the demo, and the
//! commands of the `serva` binary.

pub mod bench;
pub mod bench_billing;
pub mod bench_channels;
pub mod bench_chat;
pub mod bench_connections;
pub mod bench_mail;
pub mod bench_server;
pub mod bench_sla;
pub mod billing_cli;
pub mod cli;
pub mod demo;
pub mod mail_in;
pub mod mail_out;
pub mod process;
pub mod sla_sweep;
pub mod sso;
pub mod survey_reminders;

use axum::serve::ListenerExt;
use std::net::SocketAddr;

use anyhow::Context;
use serva_store::Db;
use tokio::net::TcpListener;

pub use serva_web::{Config, MetricsToken};

/// Where the data lives: an SQLite file in a data folder, or a PostgreSQL URL.
pub fn database_url(data: &std::path::Path, database: Option<&str>) -> anyhow::Result<String> {
    match database {
        Some(url) => Ok(url.to_string()),
        None => {
            // The folder holds the database and its journals: its owner's alone (0700).
            let open_to_others = serva_store::files::create_private_dir(data)
                .with_context(|| format!("creating the data folder {}", data.display()))?;
            if open_to_others {
                tracing::warn!(
                    folder = %data.display(),
                    "the data folder is open to other users; `chmod 700` it"
                );
            }
            Ok(format!("sqlite:{}", data.join("serva.db").display()))
        }
    }
}

/// Connects and brings the schema up to date.
pub async fn open(url: &str) -> anyhow::Result<Db> {
    let db = Db::connect(url)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))?;
    db.migrate().await.context("migrating the database")?;
    Ok(db)
}

/// Hides a password in a database URL before it is printed.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((creds, host)) => match creds.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Serves on an already bound listener until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    db: Db,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with_metrics(listener, None, db, config, shutdown).await
}

/// Serves the application on `listener` and, when given, `/metrics` alone on `metrics` (a
/// listener of its own, reachable only where the operator binds it), until `shutdown`.
pub async fn serve_with_metrics(
    listener: TcpListener,
    metrics: Option<TcpListener>,
    db: Db,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // Links in mail point where people reach Serva: the public URL, or this listener.
    db.set_outbox_settings(serva_store::outbox::MailSettings {
        public_url: match &config.mail_out.public_url {
            Some(u) => u.clone(),
            None => format!("http://{}", listener.local_addr()?),
        },
        fallback_from: config.mail_out.mail_from.clone(),
    });
    // Delivery runs as long as the server does (dropped, and so stopped, with this future).
    let _delivery = mail_out::start(db.clone(), &config.mail_out)?;
    // So does the SLA sweep, which records breaches as due times pass.
    let _sweep = sla_sweep::start(db.clone());
    let _reminders = survey_reminders::start(db.clone(), config.survey_reminder_every);
    let routers = serva_web::routers(db, config);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let metrics = metrics.map(|l| {
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            axum::serve(l, routers.metrics)
                .with_graceful_shutdown(async move {
                    let _ = stopped.changed().await;
                })
                .await
        })
    });
    let shutdown = async move {
        shutdown.await;
        let _ = stop.send(true);
    };
    // Chat lines and live queue events are small writes that must leave at once: without
    // TCP_NODELAY each waits for the acknowledgement of the one before (Nagle's algorithm).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    axum::serve(
        listener,
        routers
            .app
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("serving HTTP")?;
    if let Some(m) = metrics {
        m.await
            .context("the metrics listener")?
            .context("serving metrics")?;
    }
    Ok(())
}

/// Binds `addr` (port 0 picks a free port) and serves in the background; for tests and tools.
pub async fn spawn(
    addr: &str,
    db: Db,
    config: Config,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    let handle = tokio::spawn(async move {
        if let Err(e) = serve(listener, db, config, std::future::pending()).await {
            tracing::error!(error = %e, "server stopped");
        }
    });
    Ok((local, handle))
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://h/db"), "postgres://h/db");
        assert_eq!(
            super::redact("postgres://åsa:lösen–ord@värd/db"),
            "postgres://åsa:***@värd/db"
        );
        assert_eq!(
            super::redact("sqlite:data/serva.db"),
            "sqlite:data/serva.db"
        );
    }
}
