use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Before any file is made: the database, its journals and backups are the owner's alone.
    serva::process::restrict_new_files();
    // Before any connection is taken: one open file per chat socket and event stream.
    serva::process::raise_open_files_limit();
    // Structured logs: JSON lines when SERVA_LOG_FORMAT=json, readable text otherwise.
    let filter =
        EnvFilter::try_from_env("SERVA_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    if std::env::var("SERVA_LOG_FORMAT").as_deref() == Ok("json") {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    } else {
        // Colours only on a terminal: a log file or a pipe gets plain text, which people and
        // tools can search.
        use std::io::IsTerminal;
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .init();
    }
    serva::process::log_panics();
    serva::cli::run(serva::cli::Cli::parse()).await
}
