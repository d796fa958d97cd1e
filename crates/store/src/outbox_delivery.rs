//! The outbox's delivery and administration: the delivery worker takes due mail with a lease
//! and marks it sent or failed (retried with backoff, at last kept as failed); the
//! administrators' page counts and lists the mail and queues a failed one again
//! (docs/channels/email-out.md). Mail is written in `outbox`.

use serva_domain::case::CaseNumber;
use serva_domain::notify::{AfterFailure, MailKind, OutboxMail, OutboxStatus, RetryPolicy};
use serva_domain::{CaseId, UserId};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::audit::{Action, Change, Entity};
use crate::rows::parsed;
use crate::{Backend, Db, StoreError, StoreResult};

/// A mail as the outbox stores it.
struct OutboxRow(OutboxMail);

impl<'r> FromRow<'r, AnyRow> for OutboxRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let auto: i64 = r.try_get("auto_submitted")?;
        let case_id = r.try_get::<Option<i64>, _>("case_id")?.map(CaseId);
        let case_created: Option<i64> = r.try_get("case_created_at")?;
        let attempts: i64 = r.try_get("attempts")?;
        Ok(OutboxRow(OutboxMail {
            id: r.try_get("id")?,
            case_id,
            case_number: case_id.zip(case_created).map(|(id, at)| CaseNumber {
                year: chrono::Datelike::year(&serva_domain::time::to_local(at)),
                id,
            }),
            kind: parsed(r, "kind", "mail kind", MailKind::parse)?,
            message_id: r.try_get("message_id")?,
            from_name: r.try_get("from_name")?,
            from_address: r.try_get("from_address")?,
            to_name: r.try_get("to_name")?,
            to_address: r.try_get("to_address")?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            in_reply_to: r.try_get("in_reply_to")?,
            references: r.try_get("references_ids")?,
            auto_submitted: match auto {
                0 => false,
                1 => true,
                n => {
                    return Err(sqlx::Error::ColumnDecode {
                        index: "auto_submitted".into(),
                        source: format!("{n} is not a boolean (0 or 1)").into(),
                    })
                }
            },
            status: parsed(r, "status", "outbox status", OutboxStatus::parse)?,
            attempts: u32::try_from(attempts).map_err(|_| sqlx::Error::ColumnDecode {
                index: "attempts".into(),
                source: format!("{attempts} is not a count of attempts").into(),
            })?,
            next_attempt_at: r.try_get("next_attempt_at")?,
            last_error: r.try_get("last_error")?,
            created_at: r.try_get("created_at")?,
            sent_at: r.try_get("sent_at")?,
        }))
    }
}

const COLUMNS: &str = "id, case_id, kind, message_id, from_name, from_address, to_name, to_address, \
     subject, body, in_reply_to, references_ids, auto_submitted, status, attempts, next_attempt_at, \
     last_error, created_at, sent_at, \
     (SELECT c.created_at FROM cases c WHERE c.id = outbox.case_id) AS case_created_at";

/// A mail taken for sending, with the lease that says this worker holds it.
#[derive(Debug, Clone)]
pub struct ClaimedMail {
    pub mail: OutboxMail,
    pub lease_token: String,
}

/// The outbox's figures for the administrators' page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}
impl Db {
    /// Takes up to `limit` due mails for sending, each leased until `now + lease_ms` (attempts
    /// are counted here, so a worker that dies mid-send still used its attempt). On PostgreSQL
    /// `FOR UPDATE SKIP LOCKED` lets several nodes take mail at once without taking the same.
    pub async fn claim_outbox(
        &self,
        now: i64,
        limit: i64,
        lease_ms: i64,
    ) -> StoreResult<Vec<ClaimedMail>> {
        let token = crate::secrets::random_handle();
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET lease_until = $1, lease_token = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $3 \
             AND (lease_until IS NULL OR lease_until < $3) ORDER BY next_attempt_at, id LIMIT $4{lock}) \
             RETURNING {COLUMNS}"
        );
        let rows: Vec<OutboxRow> = sqlx::query_as(&sql)
            .bind(now + lease_ms)
            .bind(&token)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.write)
            .await?;
        let mut mails: Vec<ClaimedMail> = rows
            .into_iter()
            .map(|r| ClaimedMail {
                mail: r.0,
                lease_token: token.clone(),
            })
            .collect();
        mails.sort_by_key(|m| m.mail.id);
        Ok(mails)
    }

    /// The relay took the mail: it is sent, whoever holds its lease now (if the lease ran out
    /// while the relay was slow, another worker may have taken it; it was sent all the same).
    pub async fn mark_outbox_sent(&self, id: i64, now: i64) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL, lease_token = NULL, \
             last_error = NULL WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// An attempt failed: try again later, or give up, as `policy` says. Only the worker that
    /// holds the lease records it.
    pub async fn mark_outbox_failed(
        &self,
        claimed: &ClaimedMail,
        error: &str,
        permanent: bool,
        policy: &RetryPolicy,
        now: i64,
    ) -> StoreResult<AfterFailure> {
        let after = policy.after_failure(claimed.mail.attempts, permanent, now);
        let (status, next) = match after {
            AfterFailure::RetryAt(at) => (OutboxStatus::Pending, at),
            AfterFailure::GiveUp => (OutboxStatus::Failed, now),
        };
        let error: String = error.chars().take(2000).collect();
        sqlx::query(
            "UPDATE outbox SET status = $1, next_attempt_at = $2, last_error = $3, lease_until = NULL, \
             lease_token = NULL WHERE id = $4 AND lease_token = $5 AND status = 'pending'",
        )
        .bind(status.as_str())
        .bind(next)
        .bind(error)
        .bind(claimed.mail.id)
        .bind(&claimed.lease_token)
        .execute(&self.write)
        .await?;
        Ok(after)
    }

    /// When the next pending mail falls due (ms since the epoch), if any is pending.
    pub async fn next_outbox_due(&self) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > next_attempt_at \
             THEN lease_until ELSE next_attempt_at END) FROM outbox WHERE status = 'pending'",
        )
        .fetch_one(&self.read)
        .await?)
    }

    pub async fn outbox_counts(&self) -> StoreResult<OutboxCounts> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
                .fetch_all(&self.read)
                .await?;
        let mut c = OutboxCounts::default();
        for (status, n) in rows {
            match OutboxStatus::parse(&status) {
                Some(OutboxStatus::Pending) => c.pending = n,
                Some(OutboxStatus::Sent) => c.sent = n,
                Some(OutboxStatus::Failed) => c.failed = n,
                None => {
                    return Err(StoreError::Corrupt(format!(
                        "outbox.status: unknown value {status:?}"
                    )))
                }
            }
        }
        Ok(c)
    }

    /// Mail of the outbox, newest first: one page of `per_page` (and whether more follow),
    /// of one status or all, of one case or all.
    pub async fn outbox_page(
        &self,
        status: Option<OutboxStatus>,
        case: Option<CaseId>,
        page: i64,
        per_page: i64,
    ) -> StoreResult<(Vec<OutboxMail>, bool)> {
        let per_page = per_page.clamp(1, 200);
        let offset = (page.max(1) - 1) * per_page;
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE ($1 = '' OR status = $1) AND ($2 = 0 OR case_id = $2) \
             ORDER BY id DESC LIMIT $3 OFFSET $4"
        );
        let mut rows: Vec<OutboxMail> = sqlx::query_as::<_, OutboxRow>(&sql)
            .bind(status.map_or("", OutboxStatus::as_str))
            .bind(case.map_or(0, |c| c.0))
            .bind(per_page + 1)
            .bind(offset)
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        let more = rows.len() as i64 > per_page;
        rows.truncate(per_page as usize);
        Ok((rows, more))
    }

    pub async fn outbox_mail(&self, id: i64) -> StoreResult<OutboxMail> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = $1");
        sqlx::query_as::<_, OutboxRow>(&sql)
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.0)
            .ok_or(StoreError::NotFound("mail"))
    }

    /// Queues a failed mail again, as it was (the same Message-ID), with a fresh count of
    /// attempts. Audited: an administrator decided to send it.
    pub async fn requeue_outbox(&self, actor: Option<UserId>, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let n = sqlx::query(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL, \
             lease_token = NULL WHERE id = $2 AND status = 'failed'",
        )
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            let exists: Option<String> =
                sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1")
                    .bind(id)
                    .fetch_optional(tx.conn())
                    .await?;
            return Err(match exists {
                None => StoreError::NotFound("mail"),
                Some(s) => StoreError::Conflict(format!(
                    "only a failed mail can be sent again; this one is {s}"
                )),
            });
        }
        tx.commit(
            Change::new(Action::Update, Entity::OutboxMail(id))
                .before(serde_json::json!({ "status": "failed" }))
                .after(serde_json::json!({ "status": "pending" })),
        )
        .await?;
        self.outbox.ring();
        Ok(())
    }
}
