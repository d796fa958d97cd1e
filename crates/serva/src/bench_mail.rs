//! `serva bench`'s mail-in figure: mails sent over SMTP to the bench server's own listener
//! (`serve --smtp-listen`), each made into a case, per second. The client is a plain SMTP
//! dialogue over several connections at once, as a relay delivers; a mail counts only when it
//! is answered 250 with the case it made.

use std::time::Instant;

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Sends `mails` mails over `connections` connections; mails taken in per second.
pub async fn smtp_intake(
    addr: (&'static str, u16),
    mails: usize,
    connections: usize,
) -> anyhow::Result<f64> {
    let started = Instant::now();
    let per = mails.div_ceil(connections);
    let mut clients = Vec::new();
    for c in 0..connections {
        clients.push(tokio::spawn(async move {
            let stream = TcpStream::connect(addr).await?;
            // As relays do (Postfix sets it on its SMTP client's sockets).
            stream.set_nodelay(true)?;
            let (r, mut w) = stream.into_split();
            let mut r = BufReader::new(r);
            let mut line = String::new();
            async fn reply(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, line: &mut String) -> anyhow::Result<u16> {
                loop {
                    line.clear();
                    if r.read_line(line).await? == 0 {
                        bail!("the SMTP listener closed the connection");
                    }
                    if line.as_bytes().get(3) != Some(&b'-') {
                        return Ok(line.get(..3).unwrap_or("0").parse()?);
                    }
                }
            }
            reply(&mut r, &mut line).await?;
            w.write_all(b"EHLO bench\r\n").await?;
            reply(&mut r, &mut line).await?;
            for i in 0..per {
                // A sender of its own per mail: the per-sender rate would otherwise stop a
                // single sender after 30 mails, as it should.
                let from = format!("bench{c}x{i}@example.org");
                w.write_all(format!("MAIL FROM:<{from}>\r\nRCPT TO:<kontakt@linkoping.example>\r\nDATA\r\n").as_bytes()).await?;
                for _ in 0..3 {
                    let code = reply(&mut r, &mut line).await?;
                    if code != 250 && code != 354 {
                        bail!("SMTP answered {}", line.trim());
                    }
                }
                let mail = format!(
                    "From: Bench {c} <{from}>\r\nTo: kontakt@linkoping.example\r\n\
                     Subject: =?utf-8?q?Fr=C3=A5ga_{c}_{i}?=\r\nMessage-ID: <bench-{c}-{i}@example.org>\r\n\
                     Content-Type: text/plain; charset=utf-8\r\n\r\nHej! Fråga nummer {i}.\r\n.\r\n"
                );
                w.write_all(mail.as_bytes()).await?;
                if reply(&mut r, &mut line).await? != 250 || !line.contains("OK: case ") {
                    bail!("SMTP answered {}", line.trim());
                }
            }
            w.write_all(b"QUIT\r\n").await?;
            anyhow::Ok(per)
        }));
    }
    let mut sent = 0;
    for c in clients {
        sent += c.await.context("an SMTP client")??;
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(sent as f64 / seconds)
}
