//! A capture relay: a real SMTP listener on 127.0.0.1 that records every mail it accepts, as
//! an organisation's relay would take them from Serva. It can be told to refuse mail for good
//! (550), and started on a port chosen before (a relay that comes up after being down).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One mail as the relay took it.
#[derive(Debug, Clone)]
pub struct Captured {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent (dot-stuffing undone).
    pub raw: String,
}

impl Captured {
    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.raw.as_bytes())
            .expect("the relay got a parseable message")
    }

    /// A header's decoded text, or `None` when the mail does not have it.
    pub fn header(&self, name: &str) -> Option<String> {
        let m = self.parsed();
        let v = m.header(name)?;
        Some(match v {
            mail_parser::HeaderValue::Text(t) => t.to_string(),
            mail_parser::HeaderValue::TextList(l) => l.join(" "),
            mail_parser::HeaderValue::Address(a) => a
                .iter()
                .map(|a| format!("{} <{}>", a.name().unwrap_or(""), a.address().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(", "),
            other => format!("{other:?}"),
        })
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or("").to_string()
    }

    /// The Message-ID without its angle brackets.
    pub fn message_id(&self) -> String {
        self.parsed().message_id().unwrap_or("").to_string()
    }

    /// The plain-text body, decoded.
    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.to_string())
            .unwrap_or_default()
    }
}

#[derive(Default)]
struct Shared {
    mails: Mutex<Vec<Captured>>,
    refuse: AtomicBool,
}

/// A running capture relay; it stops when dropped.
pub struct CaptureRelay {
    pub port: u16,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for CaptureRelay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A port on 127.0.0.1 that nothing listens on now (a relay that is down).
pub async fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

impl CaptureRelay {
    pub async fn start() -> CaptureRelay {
        CaptureRelay::start_on(0).await
    }

    pub async fn start_on(port: u16) -> CaptureRelay {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the capture relay");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared::default());
        let s = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = session(stream, &s).await;
                });
            }
        });
        CaptureRelay { port, shared, task }
    }

    /// The URL to give Serva as `--smtp-relay`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// From now on, refuse every mail for good (550), or take them again.
    pub fn refuse(&self, yes: bool) {
        self.shared.refuse.store(yes, Ordering::SeqCst);
    }

    pub fn mails(&self) -> Vec<Captured> {
        self.shared.mails.lock().unwrap().clone()
    }

    /// Waits until at least `n` mails came (at most `secs` seconds) and returns them all.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Captured> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.mails();
            if got.len() >= n {
                return got;
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "the relay got {} mail(s) in {secs} s, expected {n}: {:#?}",
                    got.len(),
                    got.iter().map(|m| m.subject()).collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// One SMTP session (RFC 5321), just what a client sending mail needs.
async fn session(stream: tokio::net::TcpStream, s: &Shared) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write
        .write_all(b"220 capture.test ESMTP test relay\r\n")
        .await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if read.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-capture.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") {
            b"250 capture.test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            if s.refuse.load(Ordering::SeqCst) {
                b"550 5.7.1 Refused by the test relay\r\n"
            } else {
                from = address(&cmd[10..]);
                to.clear();
                b"250 2.1.0 OK\r\n"
            }
        } else if upper.starts_with("RCPT TO:") {
            to.push(address(&cmd[8..]));
            b"250 2.1.5 OK\r\n"
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut raw = String::new();
            loop {
                line.clear();
                if read.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                raw.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            s.mails.lock().unwrap().push(Captured {
                mail_from: from.clone(),
                rcpt_to: to.clone(),
                raw,
            });
            b"250 2.0.0 Queued\r\n"
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 5.5.2 Command not recognised\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// `<a@b> SIZE=…` → `a@b`.
fn address(s: &str) -> String {
    let s = s.trim();
    let s = s.split_whitespace().next().unwrap_or("");
    s.trim_start_matches('<').trim_end_matches('>').to_string()
}
