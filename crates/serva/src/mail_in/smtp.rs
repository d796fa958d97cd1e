//! Serva's own SMTP listener (`serve --smtp-listen ADDR`), for a relay or MX to hand mail for
//! the units' mailboxes to. The protocol's commands and the DATA dot-unstuffing are parsed by
//! `smtp-proto`; this is the session loop around it. A mail is answered 250 only after its case
//! or reply is committed, so a mail the sender was told was taken survives a crash.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serva_app::mail_in::{Envelope, MailRefused};
use serva_app::App;
use serva_domain::mail::{MailChannel, Outcome, MAX_MAIL_BYTES};
use serva_domain::UnitId;
use smtp_proto::request::receiver::{DataReceiver, DummyDataReceiver, RequestReceiver};
use smtp_proto::{Error as ProtoError, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Sessions served at once; more wait for the listener's backlog and then get 421.
const MAX_SESSIONS: usize = 64;
/// A client silent this long is dropped (RFC 5321 suggests at least 5 minutes).
const IDLE: Duration = Duration::from_secs(300);
/// Recipients per mail.
const MAX_RECIPIENTS: usize = 20;
/// Commands the listener does not understand before it hangs up.
const MAX_ERRORS: u32 = 10;

/// Binds `addr` and serves SMTP in the background.
pub async fn spawn(
    addr: &str,
    app: App,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr} for SMTP"))?;
    let local = listener.local_addr()?;
    Ok((local, tokio::spawn(serve(listener, app))))
}

/// Accepts SMTP sessions on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, app: App) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_SESSIONS));
    let hostname = hostname();
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "SMTP accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Replies are gathered and written once per batch of commands (see `Session::flush`);
        // without Nagle's delay the last of them leaves at once.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(%peer, error = %e, "SMTP: TCP_NODELAY not set");
        }
        let app = app.clone();
        let hostname = hostname.clone();
        match slots.clone().try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(async move {
                    let mut s = Session::new(stream, peer, app, hostname);
                    if let Err(e) = s.run().await {
                        tracing::debug!(%peer, error = %e, "SMTP session ended");
                    }
                    drop(permit);
                });
            }
            Err(_) => {
                tokio::spawn(async move {
                    let mut stream = stream;
                    let _ = stream
                        .write_all(b"421 4.3.2 Too many connections, try again later\r\n")
                        .await;
                });
            }
        }
    }
}

fn hostname() -> String {
    std::env::var("SERVA_SMTP_HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| "serva".into())
}

enum Mode {
    Command,
    Data(DataReceiver),
    /// The mail grew past the limit: the rest is read and thrown away, then 552.
    Discard(DummyDataReceiver),
}

struct Session {
    stream: TcpStream,
    peer: SocketAddr,
    app: App,
    hostname: String,
    greeted: bool,
    mail_from: Option<String>,
    rcpts: Vec<(String, UnitId)>,
    data: Vec<u8>,
    /// Bytes of the mail read so far, also those thrown away.
    data_len: usize,
    errors: u32,
    /// Replies not yet written: a pipelining client (RFC 2920) sends MAIL, RCPT and DATA at
    /// once and gets their replies in one write, not three small ones each waiting for the
    /// other side's acknowledgement.
    out: Vec<u8>,
}

/// An SMTP reply.
struct Reply(String);

fn reply(code: u16, text: &str) -> Reply {
    // Replies are one line; the text is the sender's to read, so nothing may break the line.
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(400)
        .collect();
    Reply(format!("{code} {text}\r\n"))
}

impl Session {
    fn new(stream: TcpStream, peer: SocketAddr, app: App, hostname: String) -> Session {
        Session {
            stream,
            peer,
            app,
            hostname,
            greeted: false,
            mail_from: None,
            rcpts: Vec::new(),
            data: Vec::new(),
            data_len: 0,
            errors: 0,
            out: Vec::new(),
        }
    }

    /// Queues a reply; [`Session::flush`] writes it.
    fn send(&mut self, r: Reply) {
        self.out.extend_from_slice(r.0.as_bytes());
    }

    /// Writes the queued replies: once everything read so far is answered, and before the
    /// session ends.
    async fn flush(&mut self) -> std::io::Result<()> {
        if !self.out.is_empty() {
            self.stream.write_all(&self.out).await?;
            self.out.clear();
        }
        Ok(())
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.rcpts.clear();
        self.data = Vec::new();
        self.data_len = 0;
    }

    async fn run(&mut self) -> anyhow::Result<()> {
        let greeting = format!("220 {} Serva ESMTP\r\n", self.hostname);
        self.stream.write_all(greeting.as_bytes()).await?;
        let r = self.serve_commands().await;
        // What was answered before the session ended (QUIT, too many errors) still goes out.
        let flushed = self.flush().await;
        r?;
        Ok(flushed?)
    }

    async fn serve_commands(&mut self) -> anyhow::Result<()> {
        let mut receiver = RequestReceiver::default();
        let mut mode = Mode::Command;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match tokio::time::timeout(IDLE, self.stream.read(&mut buf)).await {
                Ok(r) => r?,
                Err(_) => {
                    self.send(reply(421, "4.4.2 Idle too long, closing"));
                    return Ok(());
                }
            };
            if n == 0 {
                return Ok(());
            }
            let mut bytes = buf[..n].iter();
            loop {
                match &mut mode {
                    Mode::Data(data) => {
                        let done = data.ingest(&mut bytes, &mut self.data);
                        if done {
                            self.data_len = self.data.len();
                            mode = Mode::Command;
                            let r = self.take_mail().await;
                            self.send(r);
                            self.reset();
                            continue;
                        }
                        if self.data.len() > MAX_MAIL_BYTES {
                            self.data_len = self.data.len();
                            self.data = Vec::new();
                            mode = Mode::Discard(DummyDataReceiver::new_data(data));
                        }
                        break;
                    }
                    Mode::Discard(dummy) => {
                        let before = bytes.len();
                        let done = dummy.ingest(&mut bytes);
                        self.data_len += before - bytes.len();
                        if done {
                            mode = Mode::Command;
                            let r = self.too_large(self.data_len).await;
                            self.send(r);
                            self.reset();
                            continue;
                        }
                        break;
                    }
                    Mode::Command => {}
                }
                let request = match receiver.ingest(&mut bytes) {
                    Ok(r) => r.into_owned(),
                    Err(ProtoError::NeedsMoreData { .. }) => break,
                    Err(e) => {
                        self.errors += 1;
                        self.send(protocol_error(&e));
                        if self.errors >= MAX_ERRORS {
                            self.send(reply(421, "4.7.0 Too many errors, closing"));
                            return Ok(());
                        }
                        continue;
                    }
                };
                match self.command(request).await {
                    Step::Reply(r) => self.send(r),
                    Step::Data => {
                        self.send(reply(354, "Start mail input; end with <CRLF>.<CRLF>"));
                        self.data = Vec::new();
                        self.data_len = 0;
                        mode = Mode::Data(DataReceiver::new());
                    }
                    Step::Quit => {
                        let bye = format!("221 2.0.0 {} closing\r\n", self.hostname);
                        self.out.extend_from_slice(bye.as_bytes());
                        return Ok(());
                    }
                }
            }
            // Everything read so far is answered: the replies go out together.
            self.flush().await?;
        }
    }

    async fn command(&mut self, request: Request<String>) -> Step {
        match request {
            Request::Ehlo { host } => {
                self.greeted = true;
                self.reset();
                Step::Reply(Reply(format!(
                    "250-{} greets {host}\r\n250-SIZE {MAX_MAIL_BYTES}\r\n250-8BITMIME\r\n\
                     250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n",
                    self.hostname
                )))
            }
            Request::Helo { host } => {
                self.greeted = true;
                self.reset();
                Step::Reply(Reply(format!("250 {} greets {host}\r\n", self.hostname)))
            }
            Request::Lhlo { .. } => Step::Reply(reply(500, "5.5.1 This is SMTP, not LMTP")),
            Request::Mail { from } => {
                if !self.greeted {
                    return Step::Reply(reply(503, "5.5.1 Say EHLO first"));
                }
                if self.mail_from.is_some() {
                    return Step::Reply(reply(
                        503,
                        "5.5.1 A mail is already under way; RSET first",
                    ));
                }
                if from.size > MAX_MAIL_BYTES {
                    let r = format!(
                        "5.3.4 The mail is larger than the {} bytes Serva takes",
                        MAX_MAIL_BYTES
                    );
                    self.log_refused(None, &from.address, "", from.size, &r)
                        .await;
                    return Step::Reply(reply(552, &r));
                }
                self.mail_from = Some(from.address);
                Step::Reply(reply(250, "2.1.0 Sender OK"))
            }
            Request::Rcpt { to } => {
                let Some(from) = self.mail_from.clone() else {
                    return Step::Reply(reply(503, "5.5.1 MAIL FROM first"));
                };
                if self.rcpts.len() >= MAX_RECIPIENTS {
                    return Step::Reply(reply(452, "4.5.3 Too many recipients"));
                }
                match self.app.unit_by_mail_address(&to.address).await {
                    Ok(Some(unit)) => {
                        if !self.rcpts.iter().any(|(_, u)| *u == unit) {
                            self.rcpts.push((to.address, unit));
                        }
                        Step::Reply(reply(250, "2.1.5 Recipient OK"))
                    }
                    Ok(None) => {
                        let r = format!("5.1.1 <{}>: no such mailbox here", to.address);
                        self.log_refused(None, &from, &to.address, 0, &r).await;
                        Step::Reply(reply(550, &r))
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "looking up a mailbox address");
                        Step::Reply(reply(451, "4.3.0 Temporary failure, try again later"))
                    }
                }
            }
            Request::Data => {
                if self.mail_from.is_none() {
                    Step::Reply(reply(503, "5.5.1 MAIL FROM first"))
                } else if self.rcpts.is_empty() {
                    Step::Reply(reply(554, "5.5.1 No valid recipients"))
                } else {
                    Step::Data
                }
            }
            Request::Bdat { .. } => Step::Reply(reply(502, "5.5.1 BDAT is not offered; use DATA")),
            Request::Rset => {
                self.reset();
                Step::Reply(reply(250, "2.0.0 OK"))
            }
            Request::Noop { .. } => Step::Reply(reply(250, "2.0.0 OK")),
            Request::Quit => Step::Quit,
            Request::Vrfy { .. } => Step::Reply(reply(252, "2.5.0 Cannot verify; send the mail")),
            Request::StartTls => Step::Reply(reply(
                502,
                "5.5.1 STARTTLS is not offered; put a relay with TLS in front of Serva",
            )),
            Request::Auth { .. } => Step::Reply(reply(502, "5.5.1 AUTH is not offered")),
            Request::Help { .. } => Step::Reply(reply(214, "2.0.0 See docs/channels/email-in.md")),
            other => Step::Reply(reply(
                502,
                &format!("5.5.1 {} is not offered", other.name()),
            )),
        }
    }

    /// Takes the mail in for each recipient unit; the reply reports the first refusal, if any.
    async fn take_mail(&mut self) -> Reply {
        let mail_from = self.mail_from.clone().unwrap_or_default();
        let mut taken = Vec::new();
        for (rcpt, unit) in self.rcpts.clone() {
            let env = Envelope {
                channel: MailChannel::Smtp,
                mail_from: mail_from.clone(),
                rcpt_to: rcpt,
                unit,
            };
            match self.app.receive_mail(&env, &self.data).await {
                Ok(r) => taken.push(r),
                Err(MailRefused::Unreadable(e)) => {
                    return reply(550, &format!("5.6.0 The mail cannot be read: {e}"));
                }
                Err(MailRefused::NoService(why)) => {
                    return reply(451, &format!("4.3.0 Not taken in for now: {why}"));
                }
                Err(MailRefused::Failed(e)) => {
                    tracing::error!(peer = %self.peer, error = %e, "taking a mail in failed");
                    return reply(451, "4.3.0 Temporary failure, try again later");
                }
            }
        }
        let said: Vec<String> = taken
            .iter()
            .map(|r| match (&r.case, r.outcome) {
                (Some(c), Outcome::Case) => format!("case {}", c.number()),
                (Some(c), Outcome::Reply) => format!("reply to case {}", c.number()),
                (Some(c), Outcome::Duplicate) => format!("already case {}", c.number()),
                (_, o) => o.as_str().replace('_', " "),
            })
            .collect();
        reply(250, &format!("2.0.0 OK: {}", said.join(", ")))
    }

    async fn too_large(&mut self, size: usize) -> Reply {
        let r = format!(
            "5.3.4 The mail is larger than the {} bytes Serva takes",
            MAX_MAIL_BYTES
        );
        let from = self.mail_from.clone().unwrap_or_default();
        for (rcpt, unit) in self.rcpts.clone() {
            self.log_refused(Some(unit), &from, &rcpt, size, &r).await;
        }
        reply(552, &r)
    }

    async fn log_refused(
        &self,
        unit: Option<UnitId>,
        from: &str,
        to: &str,
        size: usize,
        reason: &str,
    ) {
        if let Err(e) = self
            .app
            .log_refused_mail(MailChannel::Smtp, unit, from, to, size, reason)
            .await
        {
            tracing::error!(error = %e, "writing the mail intake log");
        }
    }
}

enum Step {
    Reply(Reply),
    Data,
    Quit,
}

fn protocol_error(e: &ProtoError) -> Reply {
    match e {
        ProtoError::UnknownCommand => reply(500, "5.5.1 Unknown command"),
        ProtoError::InvalidSenderAddress => reply(501, "5.1.7 The sender address is not valid"),
        ProtoError::InvalidRecipientAddress => {
            reply(501, "5.1.3 The recipient address is not valid")
        }
        ProtoError::SyntaxError { syntax } => reply(501, &format!("5.5.4 Syntax: {syntax}")),
        ProtoError::InvalidParameter { param } => {
            reply(501, &format!("5.5.4 Invalid parameter {param}"))
        }
        ProtoError::UnsupportedParameter { param } => {
            reply(504, &format!("5.5.4 Unsupported parameter {param}"))
        }
        ProtoError::ResponseTooLong => reply(500, "5.5.2 Line too long"),
        ProtoError::NeedsMoreData { .. } | ProtoError::InvalidResponse { .. } => {
            reply(500, "5.5.2 Syntax error")
        }
    }
}
