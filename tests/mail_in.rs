//! E-mail in: mail sent with a real SMTP client (lettre, and Python's smtplib as the acceptance
//! check does) to Serva's SMTP listener, and fetched from a real Dovecot over IMAP, becomes
//! cases and replies; machines' mail, loops, floods, oversized and unreadable mail do not.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::Value;
use serva_domain::mail::Outcome;
use serva_domain::CaseId;
use serva_store::mail_in::Direction;

use crate::dual;
use crate::harness::{App, Backend};

pub(crate) const KONTAKT: &str = "kontakt@linkoping.example";

/// A running SMTP listener of `app`.
pub(crate) struct Smtp {
    port: u16,
    _task: tokio::task::JoinHandle<()>,
}

pub(crate) async fn smtp(app: &App) -> Smtp {
    let (addr, task) =
        serva::mail_in::smtp::spawn("127.0.0.1:0", serva_app::App::new(app.db.clone()))
            .await
            .expect("start the SMTP listener");
    Smtp {
        port: addr.port(),
        _task: task,
    }
}

impl Smtp {
    fn client(&self) -> AsyncSmtpTransport<Tokio1Executor> {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(self.port)
            .timeout(Some(Duration::from_secs(60)))
            .build()
    }

    /// Sends `raw` from `from` (None: the null sender of a bounce) to `to`: the reply's code
    /// and text.
    pub(crate) async fn send(&self, from: Option<&str>, to: &str, raw: &[u8]) -> (u16, String) {
        let env =
            Envelope::new(from.map(|f| f.parse().unwrap()), vec![to.parse().unwrap()]).unwrap();
        match self.client().send_raw(&env, raw).await {
            Ok(r) => (
                r.code().to_string().parse().unwrap(),
                r.message().collect::<Vec<_>>().join(" "),
            ),
            Err(e) => (
                e.status()
                    .map(|c| c.to_string().parse().unwrap())
                    .unwrap_or_else(|| panic!("no SMTP status in {e:?}")),
                e.to_string(),
            ),
        }
    }
}

/// A mail as a mail program writes it.
fn mail(from: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    let subject = format!("=?utf-8?b?{}?=", b64(subject.as_bytes()));
    format!(
        "From: {from}\r\nTo: {KONTAKT}\r\nSubject: {subject}\r\n{extra}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn b64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A word no other case has, so a search finds exactly the mail's case.
pub(crate) fn word(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{tag}{nanos}")
}

/// The cases a search finds, through the API as an administrator.
pub(crate) async fn search(app: &App, q: &str) -> Vec<Value> {
    let api = app.api("admin").await;
    let (status, body) = api
        .get(&format!("/api/v1/cases?q={}", urlencoding(q)))
        .await;
    assert_eq!(status, 200, "{body}");
    body["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("no case list in {body}"))
        .clone()
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The newest intake log row.
async fn last_log(app: &App) -> serva_domain::mail::LogEntry {
    app.db.mail_log(None, 1).await.unwrap().remove(0)
}

/// Cases in the database, all of them.
async fn cases(app: &App) -> i64 {
    let counts = app.db.table_counts().await.unwrap();
    counts.into_iter().find(|(t, _)| t == "cases").unwrap().1
}

pub(crate) fn id_of(case: &Value) -> CaseId {
    CaseId(
        case["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {case}")),
    )
}

dual!(a_mail_becomes_a_case_with_its_sender_as_contact, |app| {
    let s = smtp(&app).await;
    let w = word("lönefråga");
    let (code, text) = s
        .send(
            Some("asa.oberg@example.org"),
            KONTAKT,
            &mail(
                "=?utf-8?q?=C3=85sa_=C3=96berg?= <asa.oberg@example.org>",
                &format!("Min lönespecifikation {w} saknas"),
                "Message-ID: <first-1@example.org>\r\n",
                "Hej!\r\nJag har inte fått min lönespecifikation för mars.\r\nÅsa",
            ),
        )
        .await;
    assert_eq!(code, 250, "{text}");
    assert!(text.contains("case "), "{text}");
    let found = search(&app, &w).await;
    assert_eq!(found.len(), 1, "{found:?}");
    let c = &found[0];
    assert_eq!(c["channel"], "email", "{c}");
    assert_eq!(c["subject"], format!("Min lönespecifikation {w} saknas"));
    assert_eq!(c["unit"]["name"], "Kontakt Linköping", "{c}");
    assert_eq!(c["contact"]["email"], "asa.oberg@example.org", "{c}");
    assert_eq!(c["contact"]["name"], "Åsa Öberg", "{c}");
    let case = app.db.case(id_of(c)).await.unwrap();
    assert!(
        case.description.contains("lönespecifikation för mars"),
        "{}",
        case.description
    );
    let log = last_log(&app).await;
    assert_eq!(log.outcome, Outcome::Case);
    assert_eq!(log.case_id, Some(case.id));
    assert_eq!(log.message_id.as_deref(), Some("first-1@example.org"));

    // The relay sends the same mail again (it lost our 250): no second case.
    let (code, text) = s
        .send(
            Some("asa.oberg@example.org"),
            KONTAKT,
            &mail(
                "asa.oberg@example.org",
                &format!("Min lönespecifikation {w} saknas"),
                "Message-ID: <first-1@example.org>\r\n",
                "igen",
            ),
        )
        .await;
    assert_eq!(code, 250, "{text}");
    assert!(text.contains("already case"), "{text}");
    assert_eq!(search(&app, &w).await.len(), 1);
    assert_eq!(last_log(&app).await.outcome, Outcome::Duplicate);
});

dual!(replies_thread_by_case_number_and_by_in_reply_to, |app| {
    let s = smtp(&app).await;
    let w = word("tråd");
    let from = "bo.ek@example.org";
    s.send(
        Some(from),
        KONTAKT,
        &mail(
            from,
            &format!("Fråga {w}"),
            "Message-ID: <q1@example.org>\r\n",
            "Hur gör jag?",
        ),
    )
    .await;
    let c = search(&app, &w).await.remove(0);
    let case = app.db.case(id_of(&c)).await.unwrap();
    let number = case.number().to_string();

    // By the case number in the subject, as Serva's own mails carry it.
    let (code, text) = s
        .send(
            Some(from),
            KONTAKT,
            &mail(
                from,
                &format!("SV: Fråga [Ärende {number}]"),
                "Message-ID: <r1@example.org>\r\n",
                "Tack, det löste sig.\r\n\r\nDen 3 mars skrev Kontakt Linköping <kontakt@linkoping.example>:\r\n> Prova så här.\r\n",
            ),
        )
        .await;
    assert_eq!(code, 250, "{text}");
    assert!(text.contains("reply to case"), "{text}");
    let messages = app.db.messages(case.id, false).await.unwrap();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0].body, "Tack, det löste sig.");
    assert_eq!(search(&app, &w).await.len(), 1, "no new case");

    // By In-Reply-To: a mail Serva sent about the case (recorded by mail-out), answered
    // without the number in the subject.
    app.db
        .record_mail_message(case.id, "out-1@serva.example", Direction::Out, None)
        .await
        .unwrap();
    let (code, text) = s
        .send(Some(from), KONTAKT, &mail(from, "Re: ditt svar", "Message-ID: <r2@example.org>\r\nIn-Reply-To: <out-1@serva.example>\r\nReferences: <q1@example.org> <out-1@serva.example>\r\n", "En sak till."))
        .await;
    assert_eq!(code, 250, "{text}");
    assert_eq!(last_log(&app).await.outcome, Outcome::Reply);
    assert_eq!(app.db.messages(case.id, false).await.unwrap().len(), 2);

    // A resolved case is reopened by the customer's reply.
    let agent = app.api("admin").await;
    let (st, body) = agent
        .patch(
            &format!("/api/v1/cases/{}", case.id.0),
            &serde_json::json!({"status": "resolved"}),
        )
        .await;
    assert_eq!(st, 200, "{body}");
    s.send(
        Some(from),
        KONTAKT,
        &mail(
            from,
            &format!("Re: [Case {number}]"),
            "",
            "Det fungerar inte igen.",
        ),
    )
    .await;
    let after = app.db.case(case.id).await.unwrap();
    assert!(after.status.is_active(), "reopened: {:?}", after.status);
});

dual!(
    a_reference_to_another_persons_case_makes_a_new_case,
    |app| {
        let s = smtp(&app).await;
        let w = word("egen");
        s.send(
            Some("owner@example.org"),
            KONTAKT,
            &mail(
                "owner@example.org",
                &format!("Mitt ärende {w}"),
                "",
                "privat",
            ),
        )
        .await;
        let theirs = app
            .db
            .case(id_of(&search(&app, &w).await[0]))
            .await
            .unwrap();
        let w2 = word("forged");
        let (code, text) = s
            .send(
                Some("mallory@example.net"),
                KONTAKT,
                &mail(
                    "mallory@example.net",
                    &format!("Re: [Ärende {}] {w2}", theirs.number()),
                    "",
                    "Ändra adressen till min.",
                ),
            )
            .await;
        assert_eq!(code, 250, "{text}");
        assert!(
            app.db.messages(theirs.id, true).await.unwrap().is_empty(),
            "nothing added to their case"
        );
        let log = last_log(&app).await;
        assert_eq!(log.outcome, Outcome::Case);
        assert!(
            log.reason.contains("is not its contact or requester"),
            "{}",
            log.reason
        );
        let new = search(&app, &w2).await;
        assert_eq!(new.len(), 1);
        assert_ne!(id_of(&new[0]), theirs.id);

        // An unknown case number also makes a new case, and says so.
        let w3 = word("okänd");
        s.send(
            Some("x@example.org"),
            KONTAKT,
            &mail(
                "x@example.org",
                &format!("[Ärende 2026-9999999] {w3}"),
                "",
                "hej",
            ),
        )
        .await;
        let log = last_log(&app).await;
        assert_eq!(log.outcome, Outcome::Case);
        assert!(
            log.reason.contains("unknown case reference 2026-9999999"),
            "{}",
            log.reason
        );
    }
);

dual!(machines_mail_and_loops_are_logged_not_made_cases, |app| {
    let s = smtp(&app).await;
    let from = "someone@example.org";
    let w = word("äkta");
    s.send(Some(from), KONTAKT, &mail(from, &w, "", "x")).await;
    let some = id_of(&search(&app, &w).await[0]);
    let before = cases(&app).await;
    let machines = [
        (
            "Auto-Submitted: auto-replied\r\n",
            Some(from),
            from,
            Outcome::IgnoredAutoReply,
        ),
        (
            "Precedence: bulk\r\n",
            Some(from),
            from,
            Outcome::IgnoredAutoReply,
        ),
        (
            "X-Autoreply: yes\r\n",
            Some(from),
            from,
            Outcome::IgnoredAutoReply,
        ),
        (
            "",
            None,
            "MAILER-DAEMON@mx.example.org",
            Outcome::IgnoredBounce,
        ),
        ("", Some(KONTAKT), KONTAKT, Outcome::IgnoredLoop),
        (
            "X-Loop: kontakt@linkoping.example\r\n",
            Some(from),
            from,
            Outcome::IgnoredLoop,
        ),
    ];
    for (extra, envelope, header_from, outcome) in machines {
        let (code, text) = s
            .send(
                envelope,
                KONTAKT,
                &mail(header_from, "Frånvaro", extra, "Jag är borta."),
            )
            .await;
        assert_eq!(code, 250, "{extra}: {text}");
        let log = last_log(&app).await;
        assert_eq!(
            log.outcome, outcome,
            "{extra} {header_from}: {}",
            log.reason
        );
        assert!(!log.reason.is_empty());
    }
    // A delivery status notification from a server that sets none of those headers.
    let dsn = format!(
        "From: postmaster@mx.example.org\r\nTo: {KONTAKT}\r\nSubject: Undeliverable\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b\r\n\
         Content-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--\r\n"
    );
    s.send(Some("postmaster@mx.example.org"), KONTAKT, dsn.as_bytes())
        .await;
    assert_eq!(last_log(&app).await.outcome, Outcome::IgnoredBounce);
    // Serva's own mail come back: its Message-ID is one mail-out recorded.
    app.db
        .record_mail_message(some, "loop-1@serva.example", Direction::Out, None)
        .await
        .unwrap();
    s.send(
        Some(from),
        KONTAKT,
        &mail(from, "Hej", "Message-ID: <loop-1@serva.example>\r\n", "x"),
    )
    .await;
    assert_eq!(last_log(&app).await.outcome, Outcome::IgnoredLoop);
    assert_eq!(cases(&app).await, before, "no case was made");
});

dual!(a_sender_over_the_rate_is_logged_not_taken_in, |app| {
    let s = smtp(&app).await;
    let from = "flood@example.org";
    let rate = serva_domain::mail::SenderRate::default();
    for i in 0..rate.max {
        let (code, text) = s
            .send(
                Some(from),
                KONTAKT,
                &mail(from, &format!("Mail {i}"), "", "x"),
            )
            .await;
        assert_eq!(code, 250, "{text}");
        assert_eq!(last_log(&app).await.outcome, Outcome::Case, "mail {i}");
    }
    let before = cases(&app).await;
    let (code, _) = s
        .send(Some(from), KONTAKT, &mail(from, "En till", "", "x"))
        .await;
    assert_eq!(code, 250);
    let log = last_log(&app).await;
    assert_eq!(log.outcome, Outcome::IgnoredRate, "{}", log.reason);
    assert_eq!(cases(&app).await, before);
    // Another sender is not held back.
    s.send(
        Some("calm@example.org"),
        KONTAKT,
        &mail("calm@example.org", "Hej", "", "x"),
    )
    .await;
    assert_eq!(last_log(&app).await.outcome, Outcome::Case);
});

dual!(bad_mail_gets_a_5xx_and_nothing_accepted_is_lost, |app| {
    let s = smtp(&app).await;
    let w = word("kvar");
    s.send(
        Some("keep@example.org"),
        KONTAKT,
        &mail("keep@example.org", &format!("Före {w}"), "", "x"),
    )
    .await;
    let before = cases(&app).await;

    // Unknown recipient: refused at RCPT.
    let (code, text) = s
        .send(
            Some("a@example.org"),
            "nobody@linkoping.example",
            &mail("a@example.org", "x", "", "x"),
        )
        .await;
    assert_eq!(code, 550, "{text}");
    assert!(text.contains("no such mailbox"), "{text}");

    // Malformed: headers that are not headers.
    let (code, text) = s
        .send(
            Some("a@example.org"),
            KONTAKT,
            b"this is not a mail\r\nat all\r\n",
        )
        .await;
    assert_eq!(code, 550, "{text}");
    assert!(text.contains("header line 1"), "{text}");
    let log = last_log(&app).await;
    assert_eq!(log.outcome, Outcome::Refused);
    // No From address.
    let (code, text) = s
        .send(
            Some("a@example.org"),
            KONTAKT,
            b"Subject: x\r\n\r\nbody\r\n",
        )
        .await;
    assert_eq!(code, 550, "{text}");
    assert!(text.contains("no From"), "{text}");

    // 30 MB: read to the end, refused with 552, logged; the connection and the server go on.
    let mut big = mail("big@example.org", "Stor bilaga", "", "");
    big.extend(
        std::iter::repeat_n(
            b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n".as_slice(),
            30 * 1024 * 1024 / 38,
        )
        .flatten(),
    );
    let (code, text) = s.send(Some("big@example.org"), KONTAKT, &big).await;
    assert_eq!(code, 552, "{text}");
    let log = last_log(&app).await;
    assert_eq!(log.outcome, Outcome::Refused);
    assert!(log.size_bytes > 25 * 1024 * 1024, "{}", log.size_bytes);

    // Announced too large with SIZE: refused at MAIL FROM, before any data.
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", s.port))
        .await
        .unwrap();
    let (r, mut wr) = stream.into_split();
    let mut lines = BufReader::new(r).lines();
    let mut next = async || lines.next_line().await.unwrap().unwrap();
    assert!(next().await.starts_with("220"));
    wr.write_all(b"EHLO test\r\n").await.unwrap();
    loop {
        let l = next().await;
        if l.starts_with("250 ") {
            break;
        }
        assert!(l.starts_with("250-"), "{l}");
    }
    wr.write_all(b"MAIL FROM:<big@example.org> SIZE=31457280\r\n")
        .await
        .unwrap();
    let l = next().await;
    assert!(l.starts_with("552 5.3.4"), "{l}");
    wr.write_all(b"QUIT\r\n").await.unwrap();

    // What was taken before is all there, and mail is taken again.
    assert_eq!(cases(&app).await, before);
    assert_eq!(search(&app, &w).await.len(), 1);
    let w2 = word("efter");
    let (code, _) = s
        .send(
            Some("keep@example.org"),
            KONTAKT,
            &mail("keep@example.org", &format!("Efter {w2}"), "", "x"),
        )
        .await;
    assert_eq!(code, 250);
    assert_eq!(search(&app, &w2).await.len(), 1);
});

// RFC 2920: a relay sends MAIL, RCPT and DATA at once; their replies come back together, in
// one write, not one by one (each small write would wait for the relay's acknowledgement of
// the one before, some 40 ms on Linux).
dual!(pipelined_commands_are_answered_in_one_write, |app| {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = smtp(&app).await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", s.port))
        .await
        .unwrap();
    stream.set_nodelay(true).unwrap();
    let mut buf = vec![0u8; 4096];
    let mut read_once = async |stream: &mut tokio::net::TcpStream| {
        let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf))
            .await
            .expect("an answer within 30 s")
            .unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    assert!(read_once(&mut stream).await.starts_with("220"));
    stream.write_all(b"EHLO relay\r\n").await.unwrap();
    let ehlo = read_once(&mut stream).await;
    assert!(ehlo.contains("250 PIPELINING"), "{ehlo}");
    let w = word("pipelined");
    stream
        .write_all(
            format!("MAIL FROM:<p@example.org>\r\nRCPT TO:<{KONTAKT}>\r\nDATA\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let replies = read_once(&mut stream).await;
    let codes: Vec<&str> = replies.lines().map(|l| l.get(..3).unwrap_or(l)).collect();
    assert_eq!(codes, ["250", "250", "354"], "{replies}");
    stream
        .write_all(
            format!(
                "From: p@example.org\r\nTo: {KONTAKT}\r\nSubject: {w}\r\n\r\nHej.\r\n.\r\nQUIT\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut rest = String::new();
    stream.read_to_string(&mut rest).await.unwrap();
    let codes: Vec<&str> = rest.lines().map(|l| l.get(..3).unwrap_or(l)).collect();
    assert_eq!(codes, ["250", "221"], "{rest}");
    assert!(rest.contains("case "), "{rest}");
    assert_eq!(search(&app, &w).await.len(), 1);
});

dual!(html_mail_is_sanitised_and_read_as_text, |app| {
    let s = smtp(&app).await;
    let w = word("html");
    let raw = format!(
        "From: h@example.org\r\nTo: {KONTAKT}\r\nSubject: {w}\r\nMessage-ID: <h1@example.org>\r\n\
         Content-Type: text/html; charset=utf-8\r\n\r\n\
         <p>Hej, <b>bygglovet</b> gäller <a href=\"javascript:alert(1)\">här</a>.</p><script>steal()</script>\r\n"
    );
    let (code, text) = s.send(Some("h@example.org"), KONTAKT, raw.as_bytes()).await;
    assert_eq!(code, 250, "{text}");
    let case = app
        .db
        .case(id_of(&search(&app, &w).await[0]))
        .await
        .unwrap();
    assert!(
        case.description.contains("bygglovet"),
        "{}",
        case.description
    );
    assert!(!case.description.contains("steal"), "{}", case.description);
    let html = app.db.case_mail_html(case.id).await.unwrap();
    assert_eq!(html.len(), 1);
    assert!(
        html[0].html.contains("<b>bygglovet</b>"),
        "{}",
        html[0].html
    );
    assert!(
        !html[0].html.contains("script") && !html[0].html.contains("javascript"),
        "{}",
        html[0].html
    );
});

/// As the acceptance check does it: Python's smtplib, a Swedish subject, a plain text body.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_smtplib_mail_is_found_through_the_api() {
    let app = App::boot(Backend::Sqlite).await.unwrap();
    let s = smtp(&app).await;
    let w = word("räkning");
    let script = format!(
        r#"
import smtplib
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "Åsa Öberg <asa.oberg@example.org>"
m["To"] = "{KONTAKT}"
m["Subject"] = "Fråga om räkningen {w} för äldreomsorg"
m.set_content("Hej!\nJag undrar över min faktura.\nMvh Åsa")
with smtplib.SMTP("127.0.0.1", {port}) as s:
    s.send_message(m)
"#,
        port = s.port
    );
    let out = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(&script)
        .output()
        .await
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = search(&app, &w).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["channel"], "email");
    assert_eq!(found[0]["contact"]["name"], "Åsa Öberg");
}

/// A throw-away Dovecot on 127.0.0.1: its own configuration, passwords and Maildir in a temp
/// folder, stopped and removed when dropped.
struct Dovecot {
    port: u16,
    dir: std::path::PathBuf,
    child: std::process::Child,
}

impl Dovecot {
    /// `None` (with a notice) when Dovecot is not installed, except on CI, where it must be.
    async fn start(user: &str, password: &str) -> Option<Dovecot> {
        let binary = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(binary) = binary else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "dovecot is not installed (apt-get install dovecot-imapd); .ci/run installs it"
                );
            }
            eprintln!(
                "dovecot is not installed (apt-get install dovecot-imapd); IMAP test skipped"
            );
            return None;
        };
        let dir =
            std::env::temp_dir().join(format!("serva_dovecot_{}_{}", std::process::id(), word("")));
        std::fs::create_dir_all(dir.join("mail")).unwrap();
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        // Dovecot will not deliver mail as root: the mail belongs to `nobody` when the tests
        // run as root (as on CI), else to whoever runs them.
        let uid = nix_uid();
        let (uid, gid) = if uid == 0 { (65534, 65534) } else { (uid, uid) };
        if nix_uid() == 0 {
            std::process::Command::new("chown")
                .args([
                    "-R",
                    &format!("{uid}:{gid}"),
                    dir.join("mail").to_str().unwrap(),
                ])
                .status()
                .unwrap();
        }
        std::fs::write(dir.join("passwd"), format!("{user}:{{PLAIN}}{password}\n")).unwrap();
        let d = dir.display();
        let conf = format!(
            "base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n\
             instance_name = serva-test-{port}\nprotocols = imap\nlisten = 127.0.0.1\n\
             ssl = no\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             mail_location = maildir:{d}/mail/%u\nfirst_valid_uid = {uid}\nfirst_valid_gid = {gid}\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={d}/mail/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  \
             inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\nservice imap-login {{\n  chroot =\n}}\n"
        );
        std::fs::write(dir.join("dovecot.conf"), conf).unwrap();
        let child = std::process::Command::new(binary)
            .args(["-F", "-c"])
            .arg(dir.join("dovecot.conf"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start dovecot");
        let d = Dovecot { port, dir, child };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Some(d);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let log = std::fs::read_to_string(d.dir.join("dovecot.log")).unwrap_or_default();
        panic!("dovecot did not start on port {port} within 10 s:\n{log}");
    }

    async fn session(
        &self,
        user: &str,
        password: &str,
    ) -> async_imap::Session<tokio::net::TcpStream> {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap().unwrap();
        client
            .login(user, password)
            .await
            .map_err(|(e, _)| e)
            .unwrap()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The user id the tests run as.
fn nix_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(1000)
}

async fn unseen(s: &mut async_imap::Session<tokio::net::TcpStream>) -> usize {
    s.select("INBOX").await.unwrap();
    s.uid_search("UNSEEN").await.unwrap().len()
}

dual!(
    imap_mail_is_fetched_once_marked_read_and_polled_by_one_node,
    |app| {
        let Some(dovecot) = Dovecot::start("kontakt", "hemligt-lösen").await else {
            return;
        };
        let mut s = dovecot.session("kontakt", "hemligt-lösen").await;
        let w = word("imapfråga");
        let from = "Karin Lund <karin.lund@example.org>";
        s.append(
            "INBOX",
            None,
            None,
            mail(
                from,
                &format!("Parkeringstillstånd {w}"),
                "Return-Path: <karin.lund@example.org>\r\nMessage-ID: <imap-1@example.org>\r\n",
                "Hur ansöker jag?",
            ),
        )
        .await
        .unwrap();
        s.append(
            "INBOX",
            None,
            None,
            mail(
                "boss@example.org",
                "Frånvaro",
                "Auto-Submitted: auto-replied\r\n",
                "Borta",
            ),
        )
        .await
        .unwrap();
        s.append(
            "INBOX",
            None,
            None,
            b"garbage without headers\r\n\r\n".to_vec(),
        )
        .await
        .unwrap();
        assert_eq!(unseen(&mut s).await, 3);

        // The password is read from a file the settings name; it is never in the database.
        let pw = dovecot.dir.join("imap-password");
        std::fs::write(&pw, "hemligt-lösen\n").unwrap();
        let unit = app.db.unit_by_mail_address(KONTAKT).await.unwrap();
        let mbox = serva_domain::mail::ImapMailbox {
            host: "127.0.0.1".into(),
            port: dovecot.port,
            tls: serva_domain::mail::ImapTls::None,
            user: "kontakt".into(),
            folder: "INBOX".into(),
            password: serva_domain::mail::PasswordSource::File(pw.display().to_string()),
        };
        let sa = serva_app::App::new(app.db.clone());
        sa.save_mail_settings(
            &serva_domain::access::Principal::system(),
            unit,
            None,
            Some(&mbox),
        )
        .await
        .unwrap();
        let every = Duration::from_secs(60);
        serva::mail_in::imap::poll_all(&sa, "node-a", every).await;
        let settings = app.db.unit_mail_settings(unit).await.unwrap();
        assert_eq!(settings.last_error, None);
        assert!(settings.last_poll_at.is_some());

        let found = search(&app, &w).await;
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0]["channel"], "email");
        assert_eq!(found[0]["contact"]["email"], "karin.lund@example.org");
        let log = app.db.mail_log(None, 3).await.unwrap();
        let outcomes: Vec<_> = log
            .iter()
            .rev()
            .map(|l| (l.channel.as_str(), l.outcome))
            .collect();
        assert_eq!(
            outcomes,
            vec![
                ("imap", Outcome::Case),
                ("imap", Outcome::IgnoredAutoReply),
                ("imap", Outcome::Refused)
            ],
            "{log:?}"
        );
        assert_eq!(unseen(&mut s).await, 0, "fetched mail is marked read");

        // Someone marks them unread again (or the node crashed before marking them): fetching
        // again makes no second case.
        let before = cases(&app).await;
        s.select("INBOX").await.unwrap();
        use futures_util::TryStreamExt;
        s.uid_store("1:*", "-FLAGS (\\Seen)")
            .await
            .unwrap()
            .try_collect::<Vec<_>>()
            .await
            .unwrap();
        assert_eq!(unseen(&mut s).await, 3);
        serva::mail_in::imap::poll_all(&sa, "node-a", every).await;
        assert_eq!(cases(&app).await, before);
        assert_eq!(unseen(&mut s).await, 0);

        // A second node does not poll while the first holds the mailbox's lease.
        let w2 = word("tvånoder");
        s.append("INBOX", None, None, mail("b@example.org", &w2, "", "hej"))
            .await
            .unwrap();
        serva::mail_in::imap::poll_all(&sa, "node-b", every).await;
        assert!(
            search(&app, &w2).await.is_empty(),
            "node-b polled a mailbox node-a holds"
        );
        serva::mail_in::imap::poll_all(&sa, "node-a", every).await;
        assert_eq!(search(&app, &w2).await.len(), 1);

        // A wrong password is recorded for the administrator, not a crash.
        std::fs::write(&pw, "fel\n").unwrap();
        serva::mail_in::imap::poll_all(&sa, "node-a", every).await;
        let settings = app.db.unit_mail_settings(unit).await.unwrap();
        assert!(
            settings
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("signing in")),
            "{:?}",
            settings.last_error
        );
        let _ = s.logout().await;
    }
);

dual!(
    the_admin_page_lists_mailboxes_and_the_log_and_edits_imap_settings,
    |app| {
        let s = smtp(&app).await;
        let w = word("sidan");
        s.send(
            Some("p@example.org"),
            KONTAKT,
            &mail("p@example.org", &w, "", "x"),
        )
        .await;
        s.send(
            Some("p@example.org"),
            KONTAKT,
            &mail(
                "p@example.org",
                "Frånvaro",
                "Auto-Submitted: auto-replied\r\n",
                "x",
            ),
        )
        .await;

        let admin = app.login("admin").await;
        let (status, html) = admin.get("/admin/mail").await;
        assert_eq!(status, 200);
        assert!(html.contains(KONTAKT), "the unit's address is shown");
        assert!(html.contains(&w), "the log shows the mail");
        assert!(
            html.contains("Autosvar, ignorerat"),
            "and what became of it"
        );
        let (_, filtered) = admin.get("/admin/mail?outcome=ignored_auto_reply").await;
        assert!(!filtered.contains(&w) && filtered.contains("Autosvar, ignorerat"));

        // Something that looks like a password is refused as the password's source.
        let fields = [
            ("service", ""),
            ("imap", "1"),
            ("host", "imap.example.org"),
            ("tls", "tls"),
            ("port", ""),
            ("user", "kontakt"),
            ("folder", "INBOX"),
            ("password_from", "env"),
            ("password_source", "hunter2!"),
        ];
        let (status, html, _) = admin.post("/admin/mail/KL", &fields).await;
        assert_eq!(status, 422);
        assert!(html.contains("aldrig lösenordet självt"), "{html}");
        let mut good = fields;
        good[8] = ("password_source", "SERVA_IMAP_KONTAKT");
        let (status, _, location) = admin.post("/admin/mail/KL", &good).await;
        assert_eq!(status, 303);
        assert_eq!(location.as_deref(), Some("/admin/mail?saved=1"));
        let unit = app.db.unit_by_mail_address(KONTAKT).await.unwrap();
        let saved = app.db.unit_mail_settings(unit).await.unwrap().imap.unwrap();
        assert_eq!(saved.port, 993);
        assert_eq!(
            saved.password,
            serva_domain::mail::PasswordSource::Env("SERVA_IMAP_KONTAKT".into())
        );

        // Nobody else sees the page.
        let agent = app.login("handlaggare.kontakt").await;
        assert_eq!(agent.get("/admin/mail").await.0, 404);
        let (status, _, _) = agent.post("/admin/mail/KL", &good).await;
        assert_eq!(status, 404);
    }
);

dual!(
    attachments_are_kept_with_the_case_and_refused_kinds_are_logged,
    |app| {
        let s = smtp(&app).await;
        let w = word("bilaga");
        let raw = format!(
        "From: a@example.org\r\nTo: {KONTAKT}\r\nSubject: {w}\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKvittot bifogas.\r\n\
         --b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"kvitto.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7YKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK\r\n\
         --b1\r\nContent-Type: application/x-msdownload\r\nContent-Disposition: attachment; filename=\"faktura.exe\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--b1--\r\n"
    );
        let (code, text) = s.send(Some("a@example.org"), KONTAKT, raw.as_bytes()).await;
        assert_eq!(code, 250, "{text}");
        let case = id_of(&search(&app, &w).await[0]);
        let files = app.db.attachments(case).await.unwrap();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].filename, "kvitto.pdf");
        let log = last_log(&app).await;
        assert_eq!(log.outcome, Outcome::Case);
        assert!(
            log.reason.contains("\"faktura.exe\" not kept"),
            "{}",
            log.reason
        );
        assert!(
            log.reason.contains("1 attachment(s) kept"),
            "{}",
            log.reason
        );
    }
);

/// The whole e-mail conversation, as issue 9's "done" describes it: a mail to the listener
/// becomes a case and gets a receipt, the agent's reply reaches the relay, and the customer's
/// answer to that reply (only In-Reply-To, no number in the subject) threads back into the case
/// and reopens it once resolved.
async fn mail_conversation(backend: Backend) {
    let Some(relay_app) = ({
        let relay = crate::smtp_capture::CaptureRelay::start().await;
        let url = relay.url();
        App::boot_with(backend, move |_| serva::Config {
            mail_out: serva_app::outbox::MailOutConfig {
                smtp_relay: Some(url),
                mail_from: "serva@linkoping.example".into(),
                retry: serva_domain::notify::RetryPolicy {
                    first_delay_ms: 150,
                    max_delay_ms: 600,
                    max_attempts: 100,
                },
                smtp_timeout: Duration::from_secs(5),
                ..Default::default()
            },
            ..serva::Config::default()
        })
        .await
        .map(|app| (app, relay))
    }) else {
        eprintln!("PostgreSQL not configured (TEST_DATABASE_URL); skipped");
        return;
    };
    let (app, relay) = relay_app;
    let s = smtp(&app).await;
    let w = word("samtal");
    let from = "asa.oberg@example.org";
    let (code, text) = s
        .send(
            Some(from),
            KONTAKT,
            &mail(
                &format!("Åsa Öberg <{from}>"),
                &format!("Soptunnan {w}"),
                "Message-ID: <fraga-1@example.org>\r\n",
                "Hej! Soptunnan har inte tömts.",
            ),
        )
        .await;
    assert_eq!(code, 250, "{text}");
    let c = search(&app, &w).await.remove(0);
    assert_eq!(c["channel"], "email");
    assert_eq!(c["contact"]["email"], from);
    let id = id_of(&c);
    let number = c["number"].as_str().unwrap().to_string();

    // The receipt goes to the sender, from the unit's mailbox, with the number.
    let got = relay.wait_for(1, 20).await;
    assert_eq!(got[0].rcpt_to, vec![from.to_string()]);
    assert!(got[0].subject().contains(&number), "{}", got[0].subject());
    assert!(got[0].header("From").unwrap().contains(KONTAKT));

    // The agent answers; the answer reaches the relay.
    let agent = app.api("handlaggare.kontakt").await;
    let (st, _) = agent
        .post(
            &format!("/api/v1/cases/{}/messages", id.0),
            &serde_json::json!({ "body": "Vi skickar en bil i morgon.", "internal": false }),
        )
        .await;
    assert_eq!(st, 201);
    let got = relay.wait_for(2, 20).await;
    let reply = &got[1];
    assert!(reply.text().contains("Vi skickar en bil i morgon."));
    assert_eq!(
        reply.header("In-Reply-To").as_deref(),
        Some("fraga-1@example.org"),
        "the answer threads under the customer's own mail"
    );
    let answer_id = reply.message_id();

    // The agent resolves; the customer answers the agent's mail from their mail program.
    agent
        .patch(
            &format!("/api/v1/cases/{}", id.0),
            &serde_json::json!({ "status": "resolved" }),
        )
        .await;
    let (code, text) = s
        .send(
            Some(from),
            KONTAKT,
            &mail(
                from,
                "Re: Soptunnan",
                &format!("Message-ID: <svar-2@example.org>\r\nIn-Reply-To: <{answer_id}>\r\nReferences: <fraga-1@example.org> <{answer_id}>\r\n"),
                "Bilen kom inte.",
            ),
        )
        .await;
    assert_eq!(code, 250, "{text}");
    let case = app.db.case(id).await.unwrap();
    assert_eq!(case.status, serva_domain::case::CaseStatus::Open);
    assert!(case.unread_by_provider);
    let bodies: Vec<String> = app
        .db
        .messages(id, false)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(
        bodies,
        vec!["Vi skickar en bil i morgon.", "Bilen kom inte."],
        "one case, one thread"
    );
    assert_eq!(search(&app, &w).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_conversation_sqlite() {
    mail_conversation(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_conversation_postgres() {
    mail_conversation(Backend::Postgres).await;
}

// Mails from one new sender that arrive at the same moment (and so may share one commit) make
// one contact, created once and audited once; each mail's case has its Message-ID and its
// intake log row, written in the case's own transaction.
dual!(
    simultaneous_mails_from_a_new_sender_make_one_contact,
    |app| {
        let s = smtp(&app).await;
        let w = word("samtidigt");
        let from = "ny.avsandare@example.org";
        let raws: Vec<Vec<u8>> = (0..6)
            .map(|i| {
                mail(
                    &format!("Ny Avsändare <{from}>"),
                    &format!("Fråga {i} {w}"),
                    &format!("Message-ID: <samtidigt-{i}-{w}@example.org>\r\n"),
                    "Hej!",
                )
            })
            .collect();
        let sent =
            futures_util::future::join_all(raws.iter().map(|raw| s.send(Some(from), KONTAKT, raw)))
                .await;
        for (code, text) in &sent {
            assert_eq!(*code, 250, "{text}");
        }
        let found = search(&app, &w).await;
        assert_eq!(found.len(), 6, "{found:?}");
        let contacts: std::collections::BTreeSet<i64> = found
            .iter()
            .map(|c| {
                c["contact"]["id"]
                    .as_i64()
                    .unwrap_or_else(|| panic!("no contact in {c}"))
            })
            .collect();
        assert_eq!(
            contacts.len(),
            1,
            "one contact for one address: {contacts:?}"
        );
        let contact = *contacts.iter().next().unwrap();
        let audits = app
            .db
            .audit_entries(&serva_store::audit::AuditFilter {
                entity: Some("contact".into()),
                entity_id: Some(contact.to_string()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            audits.iter().filter(|a| a.action == "create").count(),
            1,
            "{audits:?}"
        );
        let log = app.db.mail_log(Some(Outcome::Case), 200).await.unwrap();
        for c in &found {
            let id = id_of(c);
            let mine: Vec<_> = log.iter().filter(|l| l.case_id == Some(id)).collect();
            assert_eq!(mine.len(), 1, "one log row for case {id:?}: {mine:?}");
            let mid = mine[0]
                .message_id
                .clone()
                .expect("the log row has the Message-ID");
            assert_eq!(
                app.db
                    .mail_received_before(mine[0].unit_id.unwrap(), &mid)
                    .await
                    .unwrap(),
                Some(id),
                "the Message-ID is recorded with its case"
            );
            assert_eq!(mine[0].reason, "new case");
        }
    }
);
