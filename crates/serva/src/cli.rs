//! The `serva` command line.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use serva_app::{App, ImportRefused, NewPerson};
use serva_domain::access::Principal;
use serva_domain::role::{Grant, RoleKind, TargetGroup};
use serva_domain::token::{OwnedToken, TokenRequest, TokenScopes, TokenState};
use tokio::net::TcpListener;

use crate::{database_url, demo, open, Config};

#[derive(Parser, Debug)]
#[command(
    name = "serva",
    version,
    about = "Service desk, catalogue and follow-up for a municipality's shared services"
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// The data folder of the embedded SQLite database.
    #[arg(long, global = true, default_value = "data", env = "SERVA_DATA")]
    pub data: PathBuf,
    /// A PostgreSQL URL (postgres://…) to use instead of the embedded SQLite.
    #[arg(long, global = true, env = "SERVA_DATABASE_URL")]
    pub database: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "SERVA_LISTEN")]
    pub listen: String,
    /// Mark cookies Secure and send HSTS (set when served over HTTPS).
    #[arg(long, env = "SERVA_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Addresses of reverse proxies (e.g. HAProxy) whose X-Forwarded-For is believed, so
    /// sign-in limits count the real client; repeat or separate with commas.
    #[arg(long, env = "SERVA_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// Serve /metrics, without a token, on this address of its own too (e.g. 127.0.0.1:9090).
    #[arg(long, env = "SERVA_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// A file holding the bearer token /metrics asks for on the main address (or set the
    /// token itself in SERVA_METRICS_TOKEN). Without a token, /metrics answers 404 there.
    #[arg(long)]
    pub metrics_token_file: Option<PathBuf>,
    /// Minutes without a request after which a browser session ends (1–480; a session lasts
    /// 8 hours at most either way).
    #[arg(long, default_value_t = serva_domain::session::DEFAULT_IDLE_MINUTES,
          value_parser = clap::value_parser!(u32).range(1..=480), env = "SERVA_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: u32,
    /// Single sign-on through an OpenID Connect provider (docs/sso.md).
    #[command(flatten)]
    pub sso: crate::sso::SsoArgs,
    /// Mail to customers through an SMTP relay (docs/channels/email-out.md).
    #[command(flatten)]
    pub mail_out: crate::mail_out::MailOutArgs,
    /// E-mail in: the SMTP listener and the IMAP fetcher (docs/channels/email-in.md).
    #[command(flatten)]
    pub mail_in: crate::mail_in::MailInArgs,
    /// The service (code) a citizen's public contact form (/kontakt) makes its case in.
    #[arg(long, default_value = "KL-FRAGA", env = "SERVA_CITIZEN_SERVICE")]
    pub citizen_service: String,
    /// Minutes between two looks for survey reminders that are due (docs/surveys.md).
    #[arg(long, default_value_t = 10, env = "SERVA_SURVEY_REMINDER_MINUTES",
          value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub survey_reminder_minutes: u64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web application and API.
    Serve(ServeArgs),
    /// Load the VSS demo (once) into the data folder and serve it.
    Demo(ServeArgs),
    /// Create or update the database schema, then exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Write a report.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Measure: load N generated cases into a fresh database and time the real server over
    /// HTTP (see docs/performance.md). Uses --database if given, a temporary SQLite otherwise.
    Bench {
        #[arg(long, default_value_t = 1_000_000)]
        cases: usize,
        /// Seconds per measured row.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Run only the scenarios and figures whose name contains this, in any case (e.g.
        /// `create`, `search`, `smtp`, `chat`, `connections`).
        #[arg(long)]
        only: Option<String>,
        /// Measure a database an earlier `serva bench --database …` filled, without loading.
        #[arg(long)]
        reuse: bool,
    },
    /// Take an online, consistent copy of the SQLite database (PostgreSQL: use pg_dump).
    Backup {
        /// The new backup file.
        #[arg(long)]
        output: PathBuf,
    },
    /// Restore an SQLite backup into the data folder (stop the server first).
    Restore {
        /// The backup file.
        #[arg(long)]
        input: PathBuf,
        /// Replace an existing database in the data folder.
        #[arg(long)]
        force: bool,
    },
    /// Billing runs: preview, lock and export a month's charges (docs/billing.md).
    #[command(subcommand)]
    Billing(crate::billing_cli::BillingCommand),
    /// Import a file: units, budget, forecast, investments, calls, indicators, indicator_values,
    /// goals, staff, assignments, controls, volumes (CSV) or sie (SIE 4). See docs/import-formats.md.
    /// All or nothing.
    Import { kind: String, file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// The interim report (delårsrapport) of an administration.
    Interim {
        /// Code of the administration, e.g. VSS.
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: i32,
        /// The report date, YYYY-MM-DD.
        #[arg(long)]
        through: String,
        /// json, html, pdf or docx.
        #[arg(long, default_value = "json")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input (one line).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Code of the unit the person belongs to.
        #[arg(long)]
        home: Option<String>,
        /// A role: ROLE, ROLE:UNIT or customer:UNIT:TARGETGROUP (repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a personal API token for a user and print it.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// What the token may do: read, cases, imports, reports, separated by commas.
        #[arg(long, default_value = "read,cases,imports,reports")]
        scopes: String,
        /// Days until the token expires (1–365).
        #[arg(long, default_value_t = serva_domain::token::DEFAULT_LIFETIME_DAYS)]
        days: u32,
    },
    /// List a user's tokens (never their secrets).
    List {
        /// The user's username.
        user: String,
    },
    /// Revoke a token by its id (as `serva token list` shows it).
    Revoke { id: i64 },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = database_url(&cli.db.data, cli.db.database.as_deref())?;
    match cli.command {
        Command::Migrate => {
            open(&url).await?;
            println!("The database is up to date.");
        }
        Command::Serve(args) => {
            let db = open(&url).await?;
            serve_until_signal(db, &args).await?;
        }
        Command::Demo(args) => {
            let db = open(&url).await?;
            let started = std::time::Instant::now();
            println!("Loading the VSS demo (once; later starts reuse it) …");
            if demo::load(&db, demo::Scale::Full).await? {
                println!("Demo loaded in {:.1} s.", started.elapsed().as_secs_f64());
            } else {
                println!("The demo is already loaded.");
            }
            print_logins();
            print_mailboxes(&db).await?;
            serve_until_signal(db, &args).await?;
        }
        Command::User(UserCommand::Add {
            username,
            name,
            email,
            home,
            roles,
        }) => {
            let app = App::new(open(&url).await?);
            let mut grants = Vec::new();
            for r in &roles {
                grants.push(parse_grant(&app, r).await?);
            }
            let home = match home {
                Some(code) => Some(
                    app.unit_by_code(&code)
                        .await
                        .with_context(|| format!("unit {code}"))?
                        .id,
                ),
                None => None,
            };
            let person = NewPerson {
                username,
                display_name: name,
                email,
                password: read_password()?,
                home_unit: home,
                grants,
            };
            let u = app.add_person(&Principal::system(), &person).await?;
            println!("Added user {} (id {}).", u.username, u.id);
        }
        Command::Report(ReportCommand::Interim {
            org,
            year,
            through,
            format,
            output,
        }) => {
            let format = serva_report::ReportFormat::parse(&format).map_err(anyhow::Error::msg)?;
            let params = serva_domain::report::ReportParams::parse(
                Some(&org),
                Some(&year.to_string()),
                Some(&through),
            )
            .map_err(anyhow::Error::msg)?;
            let app = serva_app::App::new(open(&url).await?);
            let report = app.interim_report_unchecked(&params).await?;
            let bytes = serva_report::render(&report, format).map_err(anyhow::Error::msg)?;
            match output {
                Some(path) => std::fs::write(&path, bytes)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)?,
            }
        }
        Command::Billing(cmd) => {
            let app = App::new(open(&url).await?);
            crate::billing_cli::run(&app, cmd).await?;
        }
        Command::Import { kind, file } => {
            let app = App::new(open(&url).await?);
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            match app.import(&Principal::system(), &kind, &bytes).await {
                Ok(s) => {
                    println!(
                        "Imported {} {} row(s) from {}.",
                        s.rows,
                        s.kind,
                        file.display()
                    );
                    // The other nodes hear of the import before the command ends.
                    app.db().close().await;
                }
                Err(ImportRefused::Rejected(errors)) => {
                    for e in &errors {
                        eprintln!("{}: {e}", file.display());
                    }
                    bail!(
                        "nothing was imported: {} error(s) in {}",
                        errors.len(),
                        file.display()
                    );
                }
                Err(ImportRefused::Failed(e)) => return Err(e.into()),
            }
        }
        Command::Bench {
            cases,
            seconds,
            only,
            reuse,
        } => {
            crate::bench::bench(crate::bench::BenchArgs {
                cases,
                database: cli.db.database.clone(),
                seconds,
                only,
                reuse,
            })
            .await?;
        }
        Command::Backup { output } => {
            let db = open(&url).await?;
            db.backup_sqlite(&output).await?;
            let copy = serva_store::Db::connect(&format!("sqlite:{}", output.display())).await?;
            let check = copy.integrity_check().await?;
            if check != "ok" {
                bail!("the backup failed its integrity check: {check}");
            }
            println!("Backed up to {} (integrity check: ok).", output.display());
        }
        Command::Restore { input, force } => {
            if cli.db.database.is_some() {
                bail!(
                    "restore works on the SQLite data folder; restore PostgreSQL with pg_restore"
                );
            }
            let mut magic = [0u8; 16];
            let is_sqlite = std::fs::File::open(&input)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
                .is_ok_and(|()| &magic == b"SQLite format 3\0");
            if !is_sqlite {
                bail!("{} is not an SQLite database", input.display());
            }
            let copy = serva_store::Db::connect(&format!("sqlite:{}?mode=ro", input.display()))
                .await
                .with_context(|| format!("opening {}", input.display()))?;
            let check = copy.integrity_check().await?;
            copy.close().await;
            if check != "ok" {
                bail!("{} fails its integrity check: {check}", input.display());
            }
            let target = cli.db.data.join("serva.db");
            if target.exists() && !force {
                bail!(
                    "{} exists; stop the server and add --force to replace it",
                    target.display()
                );
            }
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(cli.db.data.join(format!("serva.db{suffix}")));
            }
            let tmp = cli.db.data.join("serva.db.restoring");
            std::fs::copy(&input, &tmp).with_context(|| format!("copying {}", input.display()))?;
            // A copy takes the backup's mode; the database is the owner's alone.
            serva_store::files::restrict(&tmp)
                .with_context(|| format!("making {} private", tmp.display()))?;
            std::fs::rename(&tmp, &target)?;
            println!("Restored {} into {}.", input.display(), target.display());
        }
        Command::Token(TokenCommand::Create {
            user,
            name,
            scopes,
            days,
        }) => {
            let scopes = TokenScopes::parse(&scopes).map_err(anyhow::Error::msg)?;
            let req = TokenRequest { name, scopes, days };
            let app = App::new(open(&url).await?);
            let token = app
                .create_token_for(&Principal::system(), &user, &req)
                .await
                .with_context(|| format!("user {user}"))?;
            println!("{token}");
        }
        Command::Token(TokenCommand::List { user }) => {
            let app = App::new(open(&url).await?);
            let tokens = app
                .tokens_of_user(&Principal::system(), &user)
                .await
                .with_context(|| format!("user {user}"))?;
            print!("{}", token_table(&tokens, serva_domain::time::now_ms()));
        }
        Command::Token(TokenCommand::Revoke { id }) => {
            let app = App::new(open(&url).await?);
            app.revoke_any_token(&Principal::system(), id)
                .await
                .with_context(|| format!("token {id} (revoked already, or no such token)"))?;
            println!("Revoked token {id}.");
        }
    }
    Ok(())
}

/// A user's tokens as a table for the terminal, times in Stockholm time.
fn token_table(tokens: &[OwnedToken], now: i64) -> String {
    use serva_domain::time::format_datetime;
    let mut out = format!(
        "{:>6}  {:<24}  {:<27}  {:<16}  {:<16}  {:<16}  {}\n",
        "ID", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "STATE"
    );
    for o in tokens {
        let t = &o.token;
        let state = match t.state(now) {
            TokenState::Active => "active".to_string(),
            TokenState::Expired => "expired".to_string(),
            TokenState::Revoked => format!(
                "revoked {}",
                t.revoked_at.map(format_datetime).unwrap_or_default()
            ),
        };
        out.push_str(&format!(
            "{:>6}  {:<24}  {:<27}  {:<16}  {:<16}  {:<16}  {}\n",
            t.id,
            t.name,
            t.scopes.to_string().replace(' ', ","),
            format_datetime(t.created_at),
            format_datetime(t.expires_at),
            t.last_used_at
                .map(format_datetime)
                .unwrap_or_else(|| "never".into()),
            state
        ));
    }
    if tokens.is_empty() {
        out.push_str("(no tokens)\n");
    }
    out
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        line = rpassword::prompt_password("Password: ")?;
    } else {
        std::io::stdin().read_line(&mut line)?;
    }
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.chars().count() < 8 {
        bail!("the password needs at least 8 characters");
    }
    Ok(p)
}

async fn parse_grant(app: &App, s: &str) -> anyhow::Result<Grant> {
    let mut parts = s.split(':');
    let role = parts.next().unwrap_or("");
    let role = RoleKind::parse(role).with_context(|| {
        format!("unknown role {role:?}; roles: admin, controller, unit_manager, agent, customer, customer_manager")
    })?;
    let unit = match parts.next() {
        Some(code) => Some(
            app.unit_by_code(code)
                .await
                .with_context(|| format!("unit {code}"))?
                .id,
        ),
        None => None,
    };
    let tg = match parts.next() {
        Some(t) => {
            Some(TargetGroup::parse(t).with_context(|| format!("unknown target group {t:?}"))?)
        }
        None => None,
    };
    Ok(Grant::new(role, unit, tg)?)
}

fn print_logins() {
    println!("Demo logins (password \"{}\"):", demo::PASSWORD);
    for u in demo::people::USERS {
        println!("  {:<22} {}", u.username, u.name);
    }
}

/// Each provider unit's mailbox: mail sent to it (through `--smtp-listen`) becomes a case.
async fn print_mailboxes(db: &serva_store::Db) -> anyhow::Result<()> {
    let boxes = db.mail_addresses().await?;
    if !boxes.is_empty() {
        println!("Mailboxes (mail to them becomes a case in the unit's queue):");
        for (_, code, name, address) in boxes {
            println!("  {address:<40} {name} ({code})");
        }
    }
    Ok(())
}

/// The metrics token: from `--metrics-token-file`, or `SERVA_METRICS_TOKEN`; one of them.
fn metrics_token(args: &ServeArgs) -> anyhow::Result<Option<crate::MetricsToken>> {
    let from_env = std::env::var("SERVA_METRICS_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    let token = match (&args.metrics_token_file, from_env) {
        (Some(_), Some(_)) => {
            bail!("give the metrics token once: --metrics-token-file or SERVA_METRICS_TOKEN")
        }
        (Some(path), None) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("reading the metrics token from {}", path.display()))?,
        ),
        (None, env) => env,
    };
    token
        .map(|t| crate::MetricsToken::new(&t).map_err(anyhow::Error::msg))
        .transpose()
}

async fn serve_until_signal(db: serva_store::Db, args: &ServeArgs) -> anyhow::Result<()> {
    let config = Config {
        secure_cookies: args.secure_cookies,
        metrics_token: metrics_token(args)?,
        trusted_proxies: args.trusted_proxy.clone(),
        session_idle: std::time::Duration::from_secs(60 * u64::from(args.session_idle_minutes)),
        sso: crate::sso::configure(&args.sso, &db).await?,
        mail_out: crate::mail_out::configure(&args.mail_out)?,
        citizen_service: args.citizen_service.clone(),
        survey_reminder_every: std::time::Duration::from_secs(60 * args.survey_reminder_minutes),
        ..Config::default()
    };
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    let addr = listener.local_addr()?;
    let metrics = match &args.metrics_listen {
        Some(a) => Some(
            TcpListener::bind(a)
                .await
                .with_context(|| format!("binding {a} for metrics"))?,
        ),
        None => None,
    };
    let mail_in = crate::mail_in::start(&db, &args.mail_in).await?;
    println!("Serva is running on http://{addr}/  (Ctrl-C stops it)");
    if let Some(smtp) = mail_in.smtp {
        println!("Mail in: SMTP on {smtp}");
    }
    if let Some(m) = &metrics {
        println!("Metrics: http://{}/metrics", m.local_addr()?);
    }
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("signal handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down");
    };
    crate::serve_with_metrics(listener, metrics, db.clone(), config, shutdown).await?;
    db.close().await;
    Ok(())
}
