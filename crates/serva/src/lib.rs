//! Serva as a program: configuration, the server's start and stop, the demo, and the
//! commands of the `serva` binary.

pub mod bench;
pub mod cli;
pub mod demo;
pub mod sso;

use std::net::SocketAddr;

use anyhow::Context;
use serva_store::Db;
use tokio::net::TcpListener;

pub use serva_web::Config;

/// Where the data lives: an SQLite file in a data folder, or a PostgreSQL URL.
pub fn database_url(data: &std::path::Path, database: Option<&str>) -> anyhow::Result<String> {
    match database {
        Some(url) => Ok(url.to_string()),
        None => {
            std::fs::create_dir_all(data)
                .with_context(|| format!("creating the data folder {}", data.display()))?;
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
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Serves on an already bound listener until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    db: Db,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = serva_web::router(db, config);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
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
            super::redact("sqlite:data/serva.db"),
            "sqlite:data/serva.db"
        );
    }
}
