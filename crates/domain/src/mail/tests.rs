use super::*;
use crate::CaseId;

fn mail(headers: &str, body: &str) -> Vec<u8> {
    format!("{headers}\r\n\r\n{body}").into_bytes()
}

const PLAIN: &str = "From: =?utf-8?q?=C3=85sa_=C3=96berg?= <Asa.Oberg@Example.org>\r\n\
        To: kontakt@vss.example\r\n\
        Subject: =?utf-8?q?L=C3=B6nespecifikation_saknas?=\r\n\
        Message-ID: <abc@example.org>\r\n\
        Content-Type: text/plain; charset=utf-8";

#[test]
fn a_plain_mail_is_read() {
    let m = parse(&mail(
        PLAIN,
        "Hej!\r\nJag saknar min lönespecifikation.\r\n",
    ))
    .unwrap();
    assert_eq!(m.from_address, "asa.oberg@example.org");
    assert_eq!(m.from_name.as_deref(), Some("Åsa Öberg"));
    assert_eq!(m.subject, "Lönespecifikation saknas");
    assert_eq!(m.message_id.as_deref(), Some("abc@example.org"));
    assert!(m.text.contains("Jag saknar min lönespecifikation."));
    assert_eq!(m.html, None);
    assert!(m.attachments.is_empty());
    assert_eq!(classify(&m, Known::default()), Verdict::Person);
}

#[test]
fn html_is_sanitised_and_read_as_text() {
    let raw = mail(
        "From: a@example.org\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8",
        "<p onclick=\"evil()\">Hej <b>världen</b></p><script>alert(1)</script>",
    );
    let m = parse(&raw).unwrap();
    let html = m.html.unwrap();
    assert!(html.contains("<b>världen</b>"), "{html}");
    assert!(
        !html.contains("script") && !html.contains("onclick"),
        "{html}"
    );
    assert!(
        m.text.contains("Hej") && m.text.contains("världen"),
        "{}",
        m.text
    );
    assert!(!m.text.contains("alert"), "{}", m.text);
}

#[test]
fn attachments_are_kept() {
    let raw = mail(
        "From: a@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=\"b1\"",
        "--b1\r\nContent-Type: text/plain\r\n\r\nSe bilaga.\r\n\
             --b1\r\nContent-Type: application/pdf\r\n\
             Content-Disposition: attachment; filename=\"../../kvitto.pdf\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n",
    );
    let m = parse(&raw).unwrap();
    assert_eq!(m.text.trim(), "Se bilaga.");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].filename, "kvitto.pdf");
    assert_eq!(m.attachments[0].content_type, "application/pdf");
    assert_eq!(m.attachments[0].bytes, b"%PDF-1.4\n");
}

#[test]
fn malformed_mail_is_refused_with_a_reason() {
    assert_eq!(parse(b""), Err(BadMail::Empty));
    assert_eq!(
        parse(b"this is not a mail\r\n\r\nbody"),
        Err(BadMail::BadHeaderLine(1))
    );
    assert_eq!(
        parse(b"Subject: x\r\nno colon here\r\n\r\nbody"),
        Err(BadMail::BadHeaderLine(2))
    );
    assert_eq!(parse(b"Subject: x\r\n\r\nbody"), Err(BadMail::NoSender));
    assert!(matches!(
        parse(b"From: nobody\r\nSubject: x\r\n\r\nbody"),
        Err(BadMail::BadSender(_) | BadMail::NoSender)
    ));
    assert_eq!(
        parse(b"From: a@example.org\r\nContent-Type: multipart/mixed\r\n\r\nbody"),
        Err(BadMail::NoBoundary)
    );
    let big = vec![b'a'; MAX_MAIL_BYTES + 1];
    assert_eq!(parse(&big), Err(BadMail::TooLarge(MAX_MAIL_BYTES + 1)));
}

#[test]
fn reply_ids_are_collected_newest_first() {
    let m = parse(&mail(
        "From: a@example.org\r\nSubject: Re: x\r\nIn-Reply-To: <two@serva>\r\n\
             References: <one@serva> <two@serva>",
        "ok",
    ))
    .unwrap();
    assert_eq!(m.replies_to, vec!["two@serva", "one@serva"]);
}

#[test]
fn machines_are_recognised() {
    let read = |h: &str| parse(&mail(&format!("From: a@example.org\r\n{h}"), "x")).unwrap();
    let k = Known::default();
    assert!(matches!(
        classify(&read("Subject: x\r\nAuto-Submitted: auto-replied"), k),
        Verdict::AutoReply(_)
    ));
    assert_eq!(
        classify(&read("Subject: x\r\nAuto-Submitted: no"), k),
        Verdict::Person
    );
    assert!(matches!(
        classify(&read("Subject: x\r\nPrecedence: bulk"), k),
        Verdict::AutoReply(_)
    ));
    assert!(matches!(
        classify(&read("Subject: x\r\nX-Autoreply: yes"), k),
        Verdict::AutoReply(_)
    ));
    assert!(matches!(
        classify(&read("Subject: Automatiskt svar: Semester"), k),
        Verdict::AutoReply(_)
    ));
    let dsn = parse(&mail(
        "From: MAILER-DAEMON@mx.example.org\r\nSubject: Undelivered\r\n\
             Content-Type: multipart/report; report-type=delivery-status; boundary=b",
        "--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b\r\n\
             Content-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--\r\n",
    ))
    .unwrap();
    assert!(dsn.signals.delivery_report);
    assert!(matches!(classify(&dsn, k), Verdict::Bounce(_)));
    let plain = read("Subject: hej");
    assert!(matches!(
        classify(
            &plain,
            Known {
                null_sender: true,
                ..k
            }
        ),
        Verdict::Bounce(_)
    ));
    // A loop wins over everything else: an auto-reply from ourselves is still a loop.
    let auto = read("Subject: x\r\nAuto-Submitted: auto-replied");
    assert!(matches!(
        classify(
            &auto,
            Known {
                our_message_id: true,
                ..k
            }
        ),
        Verdict::Loop(_)
    ));
    assert!(matches!(
        classify(
            &plain,
            Known {
                from_ourselves: true,
                ..k
            }
        ),
        Verdict::Loop(_)
    ));
}

#[test]
fn case_references_are_found_in_subjects() {
    let n = CaseNumber {
        year: 2026,
        id: CaseId(265_828),
    };
    assert_eq!(case_reference("SV: Lön [Ärende 2026-0265828]"), Some(n));
    assert_eq!(case_reference("Re: [case 2026-0265828] x"), Some(n));
    assert_eq!(case_reference("RE: [ÄRENDE 2026-265828]"), Some(n));
    assert_eq!(case_reference("[Fwd] [Case 2026-0265828]"), Some(n));
    assert_eq!(case_reference("Ärende 2026-0265828"), None);
    assert_eq!(case_reference("[Ärende 2026-x]"), None);
    assert_eq!(case_reference("[Order 2026-0265828]"), None);
    assert_eq!(case_reference("[Ärende 2026-0265828"), None);
}

#[test]
fn the_sender_rate_counts_within_its_window() {
    let r = SenderRate {
        max: 3,
        window_ms: 1000,
    };
    assert!(r.allows(0) && r.allows(2));
    assert!(!r.allows(3));
    assert_eq!(r.since(5000), 4000);
}

#[test]
fn quoted_text_is_left_out_of_replies() {
    let t = "Tack, nu fungerar det.\n\nDen 3 mars 2026 skrev Serva <kontakt@vss.example>:\n> Hej!\n> Prova igen.\n";
    assert_eq!(reply_text(t), "Tack, nu fungerar det.");
    let t = "Ok\n-----Original Message-----\nFrom: x\n";
    assert_eq!(reply_text(t), "Ok");
    assert_eq!(reply_text("> only quoted\n"), "> only quoted");
    // A ">" inside the text, with text after it, is kept.
    assert_eq!(reply_text("a\n> b\nc"), "a\n> b\nc");
}

#[test]
fn password_sources_are_names_not_passwords() {
    assert_eq!(
        PasswordSource::new("env", " SERVA_IMAP_KONTAKT "),
        Ok(PasswordSource::Env("SERVA_IMAP_KONTAKT".into()))
    );
    assert!(PasswordSource::new("env", "hunter2!").is_err());
    assert!(PasswordSource::new("env", "1ABC").is_err());
    assert!(PasswordSource::new("file", "relative/path").is_err());
    assert_eq!(
        PasswordSource::new("file", "/etc/serva/imap-kontakt").map(|p| p.kind()),
        Ok("file")
    );
    assert!(PasswordSource::new("clear", "x").is_err());
    assert_eq!(ImapTls::parse("starttls"), Some(ImapTls::StartTls));
    assert_eq!(ImapTls::Tls.default_port(), 993);
}

#[test]
fn addresses_and_ids_are_normalised() {
    assert_eq!(
        normalise_address(" <Kontakt@VSS.example> ").as_deref(),
        Some("kontakt@vss.example")
    );
    assert_eq!(normalise_address("no-at-sign"), None);
    assert_eq!(normalise_address("a b@example.org"), None);
    assert_eq!(normalise_message_id("<x@y>").as_deref(), Some("x@y"));
    assert_eq!(normalise_message_id("<>"), None);
    assert_eq!(safe_filename("C:\\temp\\..\\x.pdf"), "x.pdf");
    assert_eq!(safe_filename("..hidden"), "hidden");
    assert_eq!(truncate_chars("åäö", 2), ("åä".to_string(), true));
}
