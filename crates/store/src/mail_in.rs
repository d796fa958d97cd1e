//! E-mail in: each provider unit's mail settings (the service new mail cases get, the IMAP
//! mailbox to fetch from), the Message-IDs of each case's mails, the intake log, and the record
//! of IMAP messages already taken in.

use serva_domain::mail::{
    ImapMailbox, ImapTls, LogEntry, MailChannel, Outcome, PasswordSource, UnitMailSettings,
};
use serva_domain::mail_html::ReceivedHtml;
use serva_domain::{CaseId, ServiceId, UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

/// One row for the intake log, before it is written.
#[derive(Debug, Clone)]
pub struct NewLogEntry<'a> {
    pub channel: MailChannel,
    pub unit_id: Option<UnitId>,
    pub mail_from: &'a str,
    pub rcpt_to: &'a str,
    pub message_id: Option<&'a str>,
    pub subject: &'a str,
    pub size_bytes: usize,
    pub outcome: Outcome,
    pub reason: &'a str,
    pub case_id: Option<CaseId>,
}

/// What a received mail leaves beside the case it makes or the message it adds, written in
/// that same transaction (one commit per mail, not three): its Message-ID, by which replies
/// thread and a retry is recognised, and its row in the intake log.
#[derive(Debug, Clone)]
pub struct MailRecord {
    pub channel: MailChannel,
    pub unit_id: Option<UnitId>,
    pub mail_from: String,
    pub rcpt_to: String,
    pub message_id: Option<String>,
    /// The mail's sanitised HTML part, kept with its Message-ID.
    pub html: Option<String>,
    pub subject: String,
    pub size_bytes: usize,
    /// `Case` or `Reply`.
    pub outcome: Outcome,
    pub reason: String,
}

impl MailRecord {
    fn log_entry(&self, case: CaseId) -> NewLogEntry<'_> {
        NewLogEntry {
            channel: self.channel,
            unit_id: self.unit_id,
            mail_from: &self.mail_from,
            rcpt_to: &self.rcpt_to,
            message_id: self.message_id.as_deref(),
            subject: &self.subject,
            size_bytes: self.size_bytes,
            outcome: self.outcome,
            reason: &self.reason,
            case_id: Some(case),
        }
    }
}

/// Writes `rec` for `case` in the caller's transaction; the intake log row's id.
pub(crate) async fn insert_mail_record(
    conn: &mut sqlx::AnyConnection,
    case: CaseId,
    rec: &MailRecord,
) -> StoreResult<i64> {
    match (&rec.message_id, &rec.html) {
        (Some(id), _) => {
            insert_message_id(&mut *conn, case, id, Direction::In, rec.html.as_deref()).await?
        }
        // A mail without a Message-ID (rare, but senders need not give one) still keeps its
        // formatting: under a made-up id no reply can name, since nothing was sent with it.
        (None, Some(html)) => {
            let id = format!(
                "no-message-id.{}.{}@serva.invalid",
                case.0,
                serva_domain::time::now_ms()
            );
            insert_message_id(&mut *conn, case, &id, Direction::In, Some(html)).await?
        }
        (None, None) => {}
    }
    insert_log(conn, &rec.log_entry(case)).await
}

async fn insert_message_id(
    conn: &mut sqlx::AnyConnection,
    case: CaseId,
    message_id: &str,
    direction: Direction,
    html: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO mail_messages (message_id, case_id, direction, html, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(message_id)
    .bind(case.0)
    .bind(direction.as_str())
    .bind(html)
    .bind(serva_domain::time::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_log(conn: &mut sqlx::AnyConnection, e: &NewLogEntry<'_>) -> StoreResult<i64> {
    // Long values are cut so a hostile header cannot bloat the log.
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO mail_intake_log (received_at, channel, unit_id, mail_from, rcpt_to, \
         message_id, subject, size_bytes, outcome, reason, case_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(serva_domain::time::now_ms())
    .bind(e.channel.as_str())
    .bind(e.unit_id.map(|u| u.0))
    .bind(cut(e.mail_from, 320))
    .bind(cut(e.rcpt_to, 320))
    .bind(e.message_id.map(|m| cut(m, 500)))
    .bind(cut(e.subject, 300))
    .bind(i64::try_from(e.size_bytes).unwrap_or(i64::MAX))
    .bind(e.outcome.as_str())
    .bind(cut(e.reason, 1000))
    .bind(e.case_id.map(|c| c.0))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Whose mail a Message-ID is: received ('in') or sent by Serva ('out').
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

type SettingsRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

const SETTINGS_SELECT: &str = "SELECT u.id, u.code, u.name, u.mail_address, s.service_id, \
     s.imap_host, s.imap_port, s.imap_tls, s.imap_user, s.imap_folder, s.imap_password_env, \
     s.imap_password_file, s.imap_last_poll_at, s.imap_last_error \
     FROM units u LEFT JOIN mail_unit_settings s ON s.unit_id = u.id";

fn settings_from_row(r: SettingsRow) -> StoreResult<UnitMailSettings> {
    let (id, code, name, address, service, host, port, tls, user, folder, env, file, polled, err) =
        r;
    let imap = match (host, user) {
        (Some(host), Some(user)) => {
            let tls_text = tls.unwrap_or_else(|| "tls".into());
            let tls = ImapTls::parse(&tls_text).ok_or_else(|| {
                StoreError::Corrupt(format!("mail_unit_settings.imap_tls {tls_text:?}"))
            })?;
            let password = match (env, file) {
                (Some(e), None) => PasswordSource::Env(e),
                (None, Some(f)) => PasswordSource::File(f),
                _ => {
                    return Err(StoreError::Corrupt(format!(
                    "mail_unit_settings of unit {id}: an IMAP mailbox without one password source"
                )))
                }
            };
            let port = port.unwrap_or(i64::from(tls.default_port()));
            Some(ImapMailbox {
                host,
                port: u16::try_from(port).map_err(|_| {
                    StoreError::Corrupt(format!("mail_unit_settings.imap_port {port}"))
                })?,
                tls,
                user,
                folder: folder.unwrap_or_else(|| "INBOX".into()),
                password,
            })
        }
        _ => None,
    };
    Ok(UnitMailSettings {
        unit_id: UnitId(id),
        unit_code: code,
        unit_name: name,
        mail_address: address,
        service_id: service.map(ServiceId),
        imap,
        last_poll_at: polled,
        last_error: err,
    })
}

type LogRow = (
    i64,
    i64,
    String,
    Option<i64>,
    String,
    String,
    Option<String>,
    String,
    i64,
    String,
    String,
    Option<i64>,
);

fn log_from_row(r: LogRow) -> StoreResult<LogEntry> {
    let (id, at, channel, unit, from, to, mid, subject, size, outcome, reason, case) = r;
    Ok(LogEntry {
        id,
        received_at: at,
        channel: MailChannel::parse(&channel)
            .ok_or_else(|| StoreError::Corrupt(format!("mail_intake_log.channel {channel:?}")))?,
        unit_id: unit.map(UnitId),
        mail_from: from,
        rcpt_to: to,
        message_id: mid,
        subject,
        size_bytes: size,
        outcome: Outcome::parse(&outcome)
            .ok_or_else(|| StoreError::Corrupt(format!("mail_intake_log.outcome {outcome:?}")))?,
        reason,
        case_id: case.map(CaseId),
    })
}

impl Db {
    /// The mail settings of every unit that has a mailbox address or settings, by code.
    pub async fn mail_settings(&self) -> StoreResult<Vec<UnitMailSettings>> {
        let sql = format!(
            "{SETTINGS_SELECT} WHERE u.mail_address IS NOT NULL OR s.unit_id IS NOT NULL ORDER BY u.code"
        );
        let rows: Vec<SettingsRow> = sqlx::query_as(&sql).fetch_all(&self.read).await?;
        rows.into_iter().map(settings_from_row).collect()
    }

    /// One unit's mail settings (defaults when none are saved).
    pub async fn unit_mail_settings(&self, unit: UnitId) -> StoreResult<UnitMailSettings> {
        let sql = format!("{SETTINGS_SELECT} WHERE u.id = $1");
        let row: Option<SettingsRow> = sqlx::query_as(&sql)
            .bind(unit.0)
            .fetch_optional(&self.read)
            .await?;
        settings_from_row(row.ok_or(StoreError::NotFound("unit"))?)
    }

    /// Saves a unit's mail service and IMAP mailbox (`None`: no fetching), audited.
    pub async fn save_mail_settings(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        service: Option<ServiceId>,
        imap: Option<&ImapMailbox>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let (env, file) = match imap.map(|m| &m.password) {
            Some(PasswordSource::Env(e)) => (Some(e.as_str()), None),
            Some(PasswordSource::File(f)) => (None, Some(f.as_str())),
            None => (None, None),
        };
        sqlx::query(
            "INSERT INTO mail_unit_settings (unit_id, service_id, imap_host, imap_port, imap_tls, \
             imap_user, imap_folder, imap_password_env, imap_password_file, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (unit_id) DO UPDATE SET service_id = $2, imap_host = $3, imap_port = $4, \
             imap_tls = $5, imap_user = $6, imap_folder = $7, imap_password_env = $8, \
             imap_password_file = $9, updated_at = $10, imap_last_error = NULL",
        )
        .bind(unit.0)
        .bind(service.map(|s| s.0))
        .bind(imap.map(|m| m.host.as_str()))
        .bind(imap.map(|m| i64::from(m.port)))
        .bind(imap.map_or("tls", |m| m.tls.as_str()))
        .bind(imap.map(|m| m.user.as_str()))
        .bind(imap.map_or("INBOX", |m| m.folder.as_str()))
        .bind(env)
        .bind(file)
        .bind(now)
        .execute(tx.conn())
        .await?;
        // The audit row names the password's source, never a password (none is known here).
        let after = serde_json::json!({
            "mail_service_id": service.map(|s| s.0),
            "imap": imap.map(|m| serde_json::json!({
                "host": m.host, "port": m.port, "tls": m.tls.as_str(), "user": m.user,
                "folder": m.folder, "password_from": m.password.kind(),
                "password_source": m.password.value(),
            })),
        });
        tx.commit(Change::new(Action::Update, Entity::Unit(unit)).after(after))
            .await
    }

    /// Writes a row of the intake log; its id.
    pub async fn log_mail(&self, e: &NewLogEntry<'_>) -> StoreResult<i64> {
        let mut conn = self.write.acquire().await?;
        insert_log(&mut conn, e).await
    }

    /// Replaces the reason of an intake log row (what became of a mail's attachments, which
    /// are kept after its case is committed).
    pub async fn set_mail_log_reason(&self, id: i64, reason: &str) -> StoreResult<()> {
        sqlx::query("UPDATE mail_intake_log SET reason = $1 WHERE id = $2")
            .bind(reason.chars().take(1000).collect::<String>())
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// The newest rows of the intake log, at most `limit`, optionally of one outcome.
    pub async fn mail_log(
        &self,
        outcome: Option<Outcome>,
        limit: i64,
    ) -> StoreResult<Vec<LogEntry>> {
        let rows: Vec<LogRow> = sqlx::query_as(
            "SELECT id, received_at, channel, unit_id, mail_from, rcpt_to, message_id, subject, \
             size_bytes, outcome, reason, case_id FROM mail_intake_log \
             WHERE ($1 = '' OR outcome = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(outcome.map_or("", Outcome::as_str))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter().map(log_from_row).collect()
    }

    /// Mails of `sender` taken in (as cases or replies) since `since`, for the sender rate.
    pub async fn mail_taken_from(&self, sender: &str, since: i64) -> StoreResult<u32> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_intake_log WHERE mail_from = $1 AND received_at >= $2 \
             AND outcome IN ('case', 'reply')",
        )
        .bind(sender)
        .bind(since)
        .fetch_one(&self.read)
        .await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Records a Message-ID of a case's mail; `html` is the received mail's sanitised HTML.
    /// (Mail-in writes its own in the transaction of the case or message, see [`MailRecord`].)
    pub async fn record_mail_message(
        &self,
        case: CaseId,
        message_id: &str,
        direction: Direction,
        html: Option<&str>,
    ) -> StoreResult<()> {
        let mut conn = self.write.acquire().await?;
        insert_message_id(&mut conn, case, message_id, direction, html).await
    }

    /// The case of the first of `ids` that is a known Message-ID (either direction).
    pub async fn case_of_message_ids(&self, ids: &[String]) -> StoreResult<Option<CaseId>> {
        for id in ids.iter().take(20) {
            let case: Option<i64> = sqlx::query_scalar(
                "SELECT case_id FROM mail_messages WHERE message_id = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
            if let Some(c) = case {
                return Ok(Some(CaseId(c)));
            }
        }
        Ok(None)
    }

    /// Whether `message_id` is one Serva gave a mail it sent.
    pub async fn is_our_message_id(&self, message_id: &str) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_messages WHERE message_id = $1 AND direction = 'out'",
        )
        .bind(message_id)
        .fetch_one(&self.read)
        .await?;
        Ok(n > 0)
    }

    /// The case a mail with this Message-ID already made or joined at `unit`, if any: the same
    /// mail again (a relay's retry, a fetch after a crash) must not make a second case.
    pub async fn mail_received_before(
        &self,
        unit: UnitId,
        message_id: &str,
    ) -> StoreResult<Option<CaseId>> {
        let case: Option<i64> = sqlx::query_scalar(
            "SELECT m.case_id FROM mail_messages m JOIN cases c ON c.id = m.case_id \
             WHERE m.message_id = $1 AND m.direction = 'in' AND c.unit_id = $2 LIMIT 1",
        )
        .bind(message_id)
        .bind(unit.0)
        .fetch_optional(&self.read)
        .await?;
        Ok(case.map(CaseId))
    }

    /// The received mail's sanitised HTML parts of a case, oldest first.
    pub async fn case_mail_html(&self, case: CaseId) -> StoreResult<Vec<ReceivedHtml>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT message_id, html, created_at FROM mail_messages \
             WHERE case_id = $1 AND direction = 'in' AND html IS NOT NULL ORDER BY id",
        )
        .bind(case.0)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(message_id, html, received_at)| ReceivedHtml {
                message_id,
                html,
                received_at,
            })
            .collect())
    }

    /// Whether the IMAP message (mailbox, UIDVALIDITY, UID) was taken in before.
    pub async fn imap_seen(&self, mailbox: &str, validity: u32, uid: u32) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM imap_seen WHERE mailbox = $1 AND uid_validity = $2 AND uid = $3",
        )
        .bind(mailbox)
        .bind(i64::from(validity))
        .bind(i64::from(uid))
        .fetch_one(&self.read)
        .await?;
        Ok(n > 0)
    }

    /// Records that the IMAP message was taken in (whatever its outcome).
    pub async fn mark_imap_seen(
        &self,
        mailbox: &str,
        validity: u32,
        uid: u32,
        log_id: Option<i64>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO imap_seen (mailbox, uid_validity, uid, log_id, fetched_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(mailbox)
        .bind(i64::from(validity))
        .bind(i64::from(uid))
        .bind(log_id)
        .bind(serva_domain::time::now_ms())
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Takes (or renews) the lease on a unit's mailbox for `holder` until `now + ttl_ms`; false
    /// when another node holds an unexpired lease. With several app nodes on one database, only
    /// the holder polls the mailbox.
    pub async fn take_imap_lease(
        &self,
        unit: UnitId,
        holder: &str,
        now: i64,
        ttl_ms: i64,
    ) -> StoreResult<bool> {
        let n = sqlx::query(
            "UPDATE mail_unit_settings SET imap_lease_holder = $1, imap_lease_until = $2 \
             WHERE unit_id = $3 AND (imap_lease_holder IS NULL OR imap_lease_holder = $1 \
             OR imap_lease_until IS NULL OR imap_lease_until < $4)",
        )
        .bind(holder)
        .bind(now + ttl_ms)
        .bind(unit.0)
        .bind(now)
        .execute(&self.write)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Records a poll of a unit's mailbox: when, and what went wrong (`None`: nothing).
    pub async fn record_imap_poll(
        &self,
        unit: UnitId,
        now: i64,
        error: Option<&str>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE mail_unit_settings SET imap_last_poll_at = $1, imap_last_error = $2 \
             WHERE unit_id = $3",
        )
        .bind(now)
        .bind(error.map(|e| e.chars().take(1000).collect::<String>()))
        .bind(unit.0)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
