//! Fetching mail from the units' IMAP mailboxes: a task of `serve` that polls each configured
//! mailbox every few seconds, takes unseen messages in through the same use case as the SMTP
//! listener, and marks them \Seen. Each message taken in is recorded by (mailbox, UIDVALIDITY,
//! UID), so a crash between taking it in and marking it never makes a case twice; with several
//! app nodes on one database, a lease row lets one node at a time poll a mailbox.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use futures_util::TryStreamExt;
use serva_app::mail_in::{Envelope, MailRefused};
use serva_app::App;
use serva_domain::mail::{ImapMailbox, ImapTls, MailChannel, PasswordSource, MAX_MAIL_BYTES};
use serva_domain::UnitId;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// How long a connection, a login or one command may take.
const NETWORK_TIMEOUT: Duration = Duration::from_secs(60);
/// Messages taken in per mailbox and poll; the rest wait for the next poll.
const PER_POLL: usize = 200;

/// Starts polling every `every`; the task runs until dropped.
pub fn spawn(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    // Who holds a lease: this process, unique across nodes and restarts.
    let holder = format!(
        "{}-{}-{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "node".into()),
        std::process::id(),
        serva_domain::time::now_ms()
    );
    tokio::spawn(async move {
        loop {
            poll_all(&app, &holder, every).await;
            tokio::time::sleep(every).await;
        }
    })
}

/// Polls every configured mailbox once (those whose lease this node holds or can take).
pub async fn poll_all(app: &App, holder: &str, every: Duration) {
    let mailboxes = match app.imap_mailboxes().await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "reading the IMAP mailboxes");
            return;
        }
    };
    // The lease outlives one poll and its pause, so the node that has it keeps it while alive;
    // when it stops, another takes over after the lease runs out.
    let ttl = i64::try_from((every * 3 + NETWORK_TIMEOUT * 2).as_millis()).unwrap_or(i64::MAX);
    for (unit, mbox) in mailboxes {
        let now = serva_domain::time::now_ms();
        match app.db().take_imap_lease(unit, holder, now, ttl).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::error!(error = %e, "taking the IMAP lease");
                continue;
            }
        }
        let result = poll_mailbox(app, unit, &mbox).await;
        let error = result.as_ref().err().map(|e| format!("{e:#}"));
        if let Some(e) = &error {
            tracing::warn!(mailbox = %mbox.key(), error = %e, "IMAP poll failed");
        }
        if let Err(e) = app
            .db()
            .record_imap_poll(unit, serva_domain::time::now_ms(), error.as_deref())
            .await
        {
            tracing::error!(error = %e, "recording an IMAP poll");
        }
    }
}

/// Reads the password from where the settings say: an environment variable or a file.
fn password(source: &PasswordSource) -> anyhow::Result<String> {
    let p = match source {
        PasswordSource::Env(name) => std::env::var(name).with_context(|| {
            format!("the environment variable {name} holding the IMAP password is not set")
        })?,
        PasswordSource::File(path) => std::fs::read_to_string(path)
            .with_context(|| format!("reading the IMAP password from {path}"))?
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    if p.is_empty() {
        bail!(
            "the IMAP password ({} {}) is empty",
            source.kind(),
            source.value()
        );
    }
    Ok(p)
}

/// Polls one mailbox: connects as its settings say and takes its unseen messages in.
pub async fn poll_mailbox(app: &App, unit: UnitId, mbox: &ImapMailbox) -> anyhow::Result<usize> {
    let password = password(&mbox.password)?;
    let tcp = tokio::time::timeout(
        NETWORK_TIMEOUT,
        TcpStream::connect((mbox.host.as_str(), mbox.port)),
    )
    .await
    .with_context(|| format!("connecting to {}:{} timed out", mbox.host, mbox.port))?
    .with_context(|| format!("connecting to {}:{}", mbox.host, mbox.port))?;
    match mbox.tls {
        ImapTls::None => {
            let mut client = async_imap::Client::new(tcp);
            greeting(&mut client).await?;
            take_in(app, unit, mbox, client, &password).await
        }
        ImapTls::Tls => {
            let tls = tls_connect(&mbox.host, tcp).await?;
            let mut client = async_imap::Client::new(tls);
            greeting(&mut client).await?;
            take_in(app, unit, mbox, client, &password).await
        }
        ImapTls::StartTls => {
            let mut client = async_imap::Client::new(tcp);
            greeting(&mut client).await?;
            timed(client.run_command_and_check_ok("STARTTLS", None))
                .await?
                .context("STARTTLS")?;
            let tls = tls_connect(&mbox.host, client.into_inner()).await?;
            let client = async_imap::Client::new(tls);
            take_in(app, unit, mbox, client, &password).await
        }
    }
}

async fn timed<F: std::future::Future>(f: F) -> anyhow::Result<F::Output> {
    tokio::time::timeout(NETWORK_TIMEOUT, f)
        .await
        .context("the IMAP server did not answer in time")
}

async fn greeting<S>(client: &mut async_imap::Client<S>) -> anyhow::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    match timed(client.read_response()).await?? {
        Some(_) => Ok(()),
        None => bail!("the IMAP server closed the connection before its greeting"),
    }
}

async fn tls_connect(
    host: &str,
    tcp: TcpStream,
) -> anyhow::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    static CONFIG: std::sync::OnceLock<Arc<tokio_rustls::rustls::ClientConfig>> =
        std::sync::OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let roots = tokio_rustls::rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        Arc::new(
            tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
                tokio_rustls::rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .expect("rustls has safe protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth(),
        )
    });
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.to_string())
        .with_context(|| format!("{host:?} is not a host name for TLS"))?;
    let connector = tokio_rustls::TlsConnector::from(config.clone());
    timed(connector.connect(name, tcp)).await?.with_context(|| {
        format!(
            "no TLS with {host}: the server does not answer in TLS on this port \
                 (993 is TLS; on 143 choose STARTTLS, or none on a trusted network)"
        )
    })
}

async fn take_in<S>(
    app: &App,
    unit: UnitId,
    mbox: &ImapMailbox,
    client: async_imap::Client<S>,
    password: &str,
) -> anyhow::Result<usize>
where
    S: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let mut session = timed(client.login(&mbox.user, password))
        .await?
        .map_err(|(e, _)| e)
        .with_context(|| format!("signing in to IMAP as {}", mbox.user))?;
    let selected = timed(session.select(&mbox.folder))
        .await?
        .with_context(|| format!("opening the folder {}", mbox.folder))?;
    let validity = selected
        .uid_validity
        .context("the IMAP server gave no UIDVALIDITY")?;
    let mut uids: Vec<u32> = timed(session.uid_search("UNSEEN"))
        .await?
        .context("searching for unseen mail")?
        .into_iter()
        .collect();
    uids.sort_unstable();
    let key = mbox.key();
    let rcpt = app
        .db()
        .unit_mail_address(unit)
        .await?
        .unwrap_or_else(|| mbox.user.clone());
    let mut taken = 0;
    for uid in uids.into_iter().take(PER_POLL) {
        if !app.db().imap_seen(&key, validity, uid).await? {
            let fetched: Vec<_> = timed(async {
                session
                    .uid_fetch(uid.to_string(), "(RFC822.SIZE BODY.PEEK[])")
                    .await?
                    .try_collect::<Vec<_>>()
                    .await
            })
            .await?
            .with_context(|| format!("fetching message UID {uid}"))?;
            let Some(msg) = fetched.iter().find(|f| f.uid == Some(uid)) else {
                // Expunged meanwhile.
                continue;
            };
            let size = msg.size.map_or(0, |s| s as usize);
            let log_id = if size > MAX_MAIL_BYTES {
                app.log_refused_mail(
                    MailChannel::Imap,
                    Some(unit),
                    "",
                    &rcpt,
                    size,
                    &format!("the mail is larger than the {MAX_MAIL_BYTES} bytes Serva takes; left in the mailbox, marked read"),
                )
                .await?;
                None
            } else {
                let raw = msg.body().unwrap_or_default();
                let env = Envelope {
                    channel: MailChannel::Imap,
                    mail_from: return_path(raw).unwrap_or_else(|| "unknown".into()),
                    rcpt_to: rcpt.clone(),
                    unit,
                };
                match app.receive_mail(&env, raw).await {
                    Ok(r) => Some(r.log_id),
                    // Logged by the use case; the message stays in the mailbox for a person.
                    Err(MailRefused::Unreadable(_)) => None,
                    // Left unseen: taken in once an administrator has chosen a service.
                    Err(MailRefused::NoService(why)) => bail!("mail not taken in: {why}"),
                    Err(MailRefused::Failed(e)) => return Err(e.into()),
                }
            };
            app.db().mark_imap_seen(&key, validity, uid, log_id).await?;
            taken += 1;
        }
        timed(async {
            session
                .uid_store(uid.to_string(), "+FLAGS (\\Seen)")
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await?
        .with_context(|| format!("marking message UID {uid} read"))?;
    }
    let _ = timed(session.logout()).await;
    Ok(taken)
}

/// The envelope sender the delivering server wrote as `Return-Path:` (`""` for `<>`, a bounce).
fn return_path(raw: &[u8]) -> Option<String> {
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n"))
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..head_end]);
    head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("return-path").then(|| {
            value
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim()
                .to_string()
        })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_return_path_is_the_envelope_sender() {
        assert_eq!(
            super::return_path(b"Return-Path: <a@example.org>\r\nFrom: b@x.se\r\n\r\nbody")
                .as_deref(),
            Some("a@example.org")
        );
        assert_eq!(
            super::return_path(b"Return-Path: <>\r\n\r\nReturn-Path: x").as_deref(),
            Some("")
        );
        assert_eq!(
            super::return_path(b"From: a@example.org\n\nReturn-Path: <x@y>"),
            None
        );
    }
}
