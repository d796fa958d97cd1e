use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::StoreResult;

/// Which database is behind the pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database. On SQLite, writes go through a single connection so writers queue in the
/// process instead of failing with SQLITE_BUSY, while reads use a pool of their own (WAL mode
/// lets them run beside the writer). On PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) read: AnyPool,
    pub(crate) write: AnyPool,
    backend: Backend,
    /// New cases queue here for group commit (see `case_writer`).
    pub(crate) case_writer: tokio::sync::mpsc::Sender<crate::case_writer::CreateJob>,
    writer_stats: std::sync::Arc<crate::case_writer::WriterStats>,
    pub(crate) principals: std::sync::Arc<crate::principals::PrincipalCache>,
    events: crate::events::EventBus,
    /// Mail settings and the delivery worker's bell (see `outbox`).
    pub(crate) outbox: crate::outbox::SharedHub,
}

/// SQLite page cache of the writer connection, KiB (readers have 8 MB each).
const WRITER_CACHE_KIB: u32 = 16_000;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to `url`: `sqlite:PATH` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> StoreResult<Db> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        if url.starts_with("sqlite:") {
            let url = if url.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            };
            if let Some(file) = crate::files::sqlite_file(&url) {
                crate::files::make_database_private(&file).map_err(|e| io_error(&file, e))?;
            }
            let opts = AnyConnectOptions::from_str(&url)?;
            // synchronous=FULL: an acknowledged write survives power loss, not only a crash.
            // A read-only file (a backup being checked) keeps its journal mode.
            let setup: std::sync::Arc<str> = if url.contains("mode=ro") {
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;".into()
            } else {
                format!(
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; \
                     PRAGMA busy_timeout=10000; PRAGMA cache_size=-{WRITER_CACHE_KIB};"
                )
                .into()
            };
            let write = AnyPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |c, _| {
                    let setup = setup.clone();
                    Box::pin(async move { c.execute(&*setup).await.map(|_| ()) })
                })
                .connect_with(opts.clone())
                .await?;
            // Page caches are per connection: 6 readers × 8 MB plus the writer's 16 MB keep
            // the server's memory bounded however large the database grows (the operating
            // system's file cache holds the rest).
            let read = AnyPoolOptions::new()
                .max_connections(6)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |c, _| {
                    Box::pin(async move {
                        c.execute("PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA cache_size=-8000;")
                            .await
                            .map(|_| ())
                    })
                })
                .connect_with(opts)
                .await?;
            let stats = std::sync::Arc::new(crate::case_writer::WriterStats::default());
            let outbox = crate::outbox::SharedHub::default();
            Ok(Db {
                case_writer: crate::case_writer::spawn(
                    write.clone(),
                    Backend::Sqlite,
                    stats.clone(),
                    outbox.clone(),
                ),
                outbox,
                writer_stats: stats,
                principals: std::sync::Arc::default(),
                events: crate::events::EventBus::local(),
                read,
                write,
                backend: Backend::Sqlite,
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await?;
            let stats = std::sync::Arc::new(crate::case_writer::WriterStats::default());
            let outbox = crate::outbox::SharedHub::default();
            Ok(Db {
                case_writer: crate::case_writer::spawn(
                    pool.clone(),
                    Backend::Postgres,
                    stats.clone(),
                    outbox.clone(),
                ),
                outbox,
                writer_stats: stats,
                principals: std::sync::Arc::default(),
                events: crate::events::EventBus::postgres(pool.clone(), url),
                read: pool.clone(),
                write: pool,
                backend: Backend::Postgres,
            })
        } else {
            Err(crate::StoreError::Invalid(format!(
                "database URL must start with sqlite: or postgres:// (got {:?})",
                url.split(':').next().unwrap_or("")
            )))
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The event bus: in-process on SQLite, across nodes through PostgreSQL on PostgreSQL.
    pub fn events(&self) -> &crate::events::EventBus {
        &self.events
    }

    /// Brings the schema up to date. Safe to run from several nodes at once on PostgreSQL
    /// (sqlx takes an advisory lock).
    pub async fn migrate(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.write).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.write).await?,
        }
        Ok(())
    }

    /// A cheap query proving the database answers (for /readyz).
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.events.close().await;
        self.write.close().await;
        self.read.close().await;
    }

    /// New cases written and the commits they took (group commit; for /metrics).
    pub fn case_commit_stats(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering;
        (
            self.writer_stats.cases.load(Ordering::Relaxed),
            self.writer_stats.commits.load(Ordering::Relaxed),
        )
    }

    /// Pool figures for /metrics: (connections, idle) of the read pool.
    pub fn pool_stats(&self) -> (u32, usize) {
        (self.read.size(), self.read.num_idle())
    }
}

impl Db {
    /// An online, consistent copy of an SQLite database to `path` (`VACUUM INTO`): readers and
    /// the writer go on while it runs. PostgreSQL is backed up with its own tools (pg_dump).
    pub async fn backup_sqlite(&self, path: &std::path::Path) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(crate::StoreError::Invalid(
                "PostgreSQL is backed up with pg_dump (see docs/operations.md), not with serva backup".into(),
            ));
        }
        if path.exists() {
            return Err(crate::StoreError::Invalid(format!(
                "{} exists already; choose a new file",
                path.display()
            )));
        }
        // VACUUM INTO writes into an empty file as it finds it, so the copy keeps the mode
        // given here: the owner's alone, like the database it copies.
        crate::files::create_private_file(path).map_err(|e| io_error(path, e))?;
        let copied = sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(&self.read)
            .await;
        if let Err(e) = copied {
            let _ = std::fs::remove_file(path);
            return Err(e.into());
        }
        Ok(())
    }

    /// SQLite's own check of the whole database file: `ok` or what is wrong.
    pub async fn integrity_check(&self) -> StoreResult<String> {
        match self.backend {
            Backend::Sqlite => {
                let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
                    .fetch_all(&self.read)
                    .await?;
                Ok(rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("; "))
            }
            Backend::Postgres => Ok("ok".into()),
        }
    }

    /// Rows per table, for comparing a restored copy with its original.
    pub async fn table_counts(&self) -> StoreResult<Vec<(String, i64)>> {
        let mut out = Vec::new();
        for t in [
            "units",
            "users",
            "grants",
            "services",
            "cases",
            "case_events",
            "case_messages",
            "audit_log",
            "fin_outcome",
            "fin_budget",
            "fin_forecast",
            "investments",
            "goals",
            "indicators",
            "indicator_values",
            "calls",
            "case_surveys",
            "survey_settings",
            "survey_invitations",
            "survey_tokens",
            "narratives",
            "reports",
        ] {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {t}"))
                .fetch_one(&self.read)
                .await?;
            out.push((t.to_string(), n));
        }
        Ok(out)
    }
}

/// A file operation that failed, naming the file.
fn io_error(path: &std::path::Path, e: std::io::Error) -> crate::StoreError {
    crate::StoreError::Db(sqlx::Error::Io(std::io::Error::new(
        e.kind(),
        format!("{}: {e}", path.display()),
    )))
}
