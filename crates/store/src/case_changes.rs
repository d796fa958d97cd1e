//! Work on a case: status, assignment, replies and notes. Each change is one audited
//! transaction and an entry in the case's history.

use serva_domain::case::{Case, CaseEventKind, CaseStatus, Message};
use serva_domain::notify::CaseChangeForMail;
use serva_domain::{CaseId, UserId};
use sqlx::{Any, Transaction};

use crate::audit::{Action, Change, Entity};
use crate::rows::MessageRow;
use crate::{Db, StoreError, StoreResult};

pub(crate) async fn event(
    tx: &mut Transaction<'_, Any>,
    case: i64,
    at: i64,
    actor: Option<UserId>,
    kind: CaseEventKind,
    from: Option<&str>,
    to: Option<&str>,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO case_events (case_id, at, actor_id, kind, from_value, to_value) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(case)
        .bind(at)
        .bind(actor.map(|a| a.0))
        .bind(kind.as_str())
        .bind(from)
        .bind(to)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes a status change checked already (`from` → `to`) in `tx`: the case row, its history
/// entry, its SLA clocks and the mail it causes; the caller records the audit row. Fails with
/// a conflict when the case no longer has status `from`. Whether a mail was queued (ring the
/// outbox after the commit).
pub(crate) async fn write_status(
    tx: &mut crate::audit::AuditedTx,
    db: &Db,
    id: CaseId,
    from: CaseStatus,
    resolved_before: Option<i64>,
    to: CaseStatus,
) -> StoreResult<bool> {
    let now = tx.now;
    let actor = tx.actor;
    let (resolved_at, closed_at) = match to {
        CaseStatus::Resolved => (resolved_before.or(Some(now)), None),
        CaseStatus::Closed => (resolved_before.or(Some(now)), Some(now)),
        _ => (None, None),
    };
    // The roll-ups count a closing on the Stockholm day stored with it.
    let closed_day = closed_at.map(serva_domain::time::local_day);
    let n = sqlx::query(
        "UPDATE cases SET status = $1, resolved_at = $2, closed_at = $3, closed_day = $4, updated_at = $5 WHERE id = $6 AND status = $7",
    )
    .bind(to.as_str())
    .bind(resolved_at)
    .bind(closed_at)
    .bind(closed_day)
    .bind(now)
    .bind(id.0)
    .bind(from.as_str())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict(
            "the case was changed by someone else; reload it".into(),
        ));
    }
    event(
        tx.tx(),
        id.0,
        now,
        actor,
        CaseEventKind::Status,
        Some(from.as_str()),
        Some(to.as_str()),
    )
    .await?;
    crate::sla::refresh(tx.tx(), db.backend(), id, now).await?;
    let mailed = crate::outbox::queue_case_mail(
        tx.tx(),
        &db.outbox,
        id,
        CaseChangeForMail::Status { from, to },
        None,
        actor,
        now,
    )
    .await?;
    Ok(mailed.is_some())
}

impl Db {
    /// Changes the status; fails with a conflict if someone else changed it first.
    pub async fn set_status(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        to: CaseStatus,
    ) -> StoreResult<Case> {
        let before = self.case(id).await?;
        let from = before.status;
        from.transition(to)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut tx = self.begin_audited(actor).await?;
        let mailed = write_status(&mut tx, self, id, from, before.resolved_at, to).await?;
        tx.commit(
            Change::new(Action::SetStatus, Entity::Case(id))
                .before(serde_json::json!({ "status": from }))
                .after(serde_json::json!({ "status": to })),
        )
        .await?;
        if mailed {
            self.outbox.ring();
        }
        self.case(id).await
    }

    pub async fn assign(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        to: Option<UserId>,
    ) -> StoreResult<Case> {
        let before = self.case(id).await?;
        if before.assignee_id == to {
            return Ok(before);
        }
        let mut tx = self.begin_audited(actor).await?;
        write_assignee(&mut tx, id, before.assignee_id, to).await?;
        tx.commit(assign_change(id, before.assignee_id, to)).await?;
        self.case(id).await
    }

    /// Assigns every case of `ids` to `to`, in one transaction: each one audited and entered
    /// in its history as a single assignment is. All of them must be in `unit`'s queue when
    /// the change is made (a hand-off meanwhile refuses the whole change); a case assigned to
    /// `to` already is left as it is. The cases that changed, with who had them before.
    pub async fn assign_many(
        &self,
        actor: Option<UserId>,
        unit: serva_domain::UnitId,
        ids: &[CaseId],
        to: UserId,
    ) -> StoreResult<Vec<(CaseId, Option<UserId>)>> {
        let edit = crate::case_bulk::BulkEdit {
            assignee: Some(to),
            status: None,
        };
        Ok(self.change_many(actor, unit, ids, edit).await?.assigned)
    }

    /// Adds a reply or an internal note. A provider's first reply starts the first-response
    /// record; a customer's reply to a case waiting for them puts it back in the queue.
    pub async fn add_message(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        body: &str,
        internal: bool,
        from_provider: bool,
    ) -> StoreResult<Message> {
        Ok(self
            .write_message(actor, id, body, internal, from_provider, None)
            .await?
            .0)
    }

    /// `add_message` for a customer's reply by mail: the mail's Message-ID and intake log row
    /// (`mail`) are written in the message's own transaction. The message, and the log row's id.
    pub async fn add_mail_reply(
        &self,
        id: CaseId,
        body: &str,
        mail: &crate::mail_in::MailRecord,
    ) -> StoreResult<(Message, i64)> {
        let (m, log) = self
            .write_message(None, id, body, false, false, Some(mail))
            .await?;
        Ok((m, log.ok_or(StoreError::NotFound("mail intake log row"))?))
    }

    async fn write_message(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        body: &str,
        internal: bool,
        from_provider: bool,
        mail: Option<&crate::mail_in::MailRecord>,
    ) -> StoreResult<(Message, Option<i64>)> {
        let before = self.case(id).await?;
        let mut tx = self.begin_audited(actor).await?;
        let (mid, mailed) =
            write_message_in(&mut tx, self, &before, body, internal, from_provider).await?;
        let mail_log = match mail {
            Some(rec) => Some(crate::mail_in::insert_mail_record(tx.conn(), id, rec).await?),
            None => None,
        };
        tx.commit(message_change(id, mid, internal, body)).await?;
        if mailed {
            self.outbox.ring();
        }
        Ok((self.message(mid).await?, mail_log))
    }

    async fn message(&self, mid: i64) -> StoreResult<Message> {
        let m = sqlx::query_as::<_, MessageRow>(
            "SELECT m.id, m.case_id, m.author_id, u.display_name AS author_name, m.internal, m.body, m.created_at \
             FROM case_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1",
        )
        .bind(mid)
        .fetch_one(&self.read)
        .await?;
        Ok(m.0)
    }

    /// Works a case in one step, in one transaction: a reply or note (`work.message`), then
    /// the assignee and the status, each audited and entered in the history as if made alone.
    /// The status is checked against what the message left (a provider's message changes
    /// none); setting what is there already is no change. The case after, and the message.
    pub async fn work_case(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        work: &CaseWork<'_>,
    ) -> StoreResult<(Case, Option<Message>)> {
        let before = self.case(id).await?;
        let mut tx = self.begin_audited(actor).await?;
        let mut changes = Vec::new();
        let mut mailed = false;
        let mut mid = None;
        let mut status_now = before.status;
        if let Some((body, internal)) = work.message {
            let (m, mail) = write_message_in(&mut tx, self, &before, body, internal, true).await?;
            mailed |= mail;
            mid = Some(m);
            status_now = before.status.after_message(true, internal);
            changes.push(message_change(id, m, internal, body));
        }
        if let Some(to) = work.assignee {
            if to != before.assignee_id {
                write_assignee(&mut tx, id, before.assignee_id, to).await?;
                changes.push(assign_change(id, before.assignee_id, to));
            }
        }
        if let Some(to) = work.status.filter(|to| *to != status_now) {
            status_now
                .transition(to)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            mailed |= write_status(&mut tx, self, id, status_now, before.resolved_at, to).await?;
            changes.push(
                Change::new(Action::SetStatus, Entity::Case(id))
                    .before(serde_json::json!({ "status": status_now }))
                    .after(serde_json::json!({ "status": to })),
            );
        }
        let Some(last) = changes.pop() else {
            return Ok((before, None));
        };
        for c in &changes {
            tx.record(c).await?;
        }
        tx.commit(last).await?;
        if mailed {
            self.outbox.ring();
        }
        let m = match mid {
            Some(m) => Some(self.message(m).await?),
            None => None,
        };
        Ok((self.case(id).await?, m))
    }
}

/// What one submit of the case page does: any of a message (its text, and whether it is an
/// internal note), a new assignee (`Some(None)` unassigns) and a new status.
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseWork<'a> {
    pub message: Option<(&'a str, bool)>,
    pub assignee: Option<Option<UserId>>,
    pub status: Option<CaseStatus>,
}

fn message_change(id: CaseId, mid: i64, internal: bool, body: &str) -> Change {
    let action = if internal {
        Action::AddNote
    } else {
        Action::AddMessage
    };
    Change::new(action, Entity::Case(id))
        .after(serde_json::json!({ "message_id": mid, "internal": internal, "body": body }))
}

fn assign_change(id: CaseId, from: Option<UserId>, to: Option<UserId>) -> Change {
    Change::new(Action::Assign, Entity::Case(id))
        .before(serde_json::json!({ "assignee_id": from }))
        .after(serde_json::json!({ "assignee_id": to }))
}

/// Writes an assignment in `tx`: the case row and its history entry; the caller records the
/// audit row.
async fn write_assignee(
    tx: &mut crate::audit::AuditedTx,
    id: CaseId,
    from: Option<UserId>,
    to: Option<UserId>,
) -> StoreResult<()> {
    let now = tx.now;
    let actor = tx.actor;
    sqlx::query("UPDATE cases SET assignee_id = $1, updated_at = $2 WHERE id = $3")
        .bind(to.map(|u| u.0))
        .bind(now)
        .bind(id.0)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "assignee"))?;
    let from_s = from.map(|a| a.0.to_string());
    let to_s = to.map(|a| a.0.to_string());
    event(
        tx.tx(),
        id.0,
        now,
        actor,
        CaseEventKind::Assigned,
        from_s.as_deref(),
        to_s.as_deref(),
    )
    .await
}

/// Writes a reply or note on case `before` in `tx`: the message, its history entry, the
/// unread markers, the status a customer's reply brings back, the SLA clocks and the mail; the
/// caller records the audit row. The message's id, and whether a mail was queued.
async fn write_message_in(
    tx: &mut crate::audit::AuditedTx,
    db: &Db,
    before: &Case,
    body: &str,
    internal: bool,
    from_provider: bool,
) -> StoreResult<(i64, bool)> {
    let id = before.id;
    let actor = tx.actor;
    let now = tx.now;
    let mid: i64 = sqlx::query_scalar(
        "INSERT INTO case_messages (case_id, author_id, internal, body, created_at, from_provider) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id.0)
    .bind(actor.map(|a| a.0))
    .bind(i64::from(internal))
    .bind(body)
    .bind(now)
    .bind(i64::from(from_provider))
    .fetch_one(tx.conn())
    .await?;
    event(
        tx.tx(),
        id.0,
        now,
        actor,
        if internal {
            CaseEventKind::Note
        } else {
            CaseEventKind::Message
        },
        None,
        Some(&mid.to_string()),
    )
    .await?;
    let first_response =
        (!internal && from_provider && before.first_response_at.is_none()).then_some(now);
    // A reply the other side has not read yet: the customer's marks the case in the
    // provider's queue, the provider's in the customer's list.
    let (unread_provider, unread_customer) = match (internal, from_provider) {
        (true, _) => (None, None),
        (false, true) => (None, Some(1i64)),
        (false, false) => (Some(1i64), None),
    };
    sqlx::query(
        "UPDATE cases SET updated_at = $1, first_response_at = COALESCE(first_response_at, $2), \
         unread_by_provider = COALESCE($3, unread_by_provider), \
         unread_by_customer = COALESCE($4, unread_by_customer) WHERE id = $5",
    )
    .bind(now)
    .bind(first_response)
    .bind(unread_provider)
    .bind(unread_customer)
    .bind(id.0)
    .execute(tx.conn())
    .await?;
    let after = before.status.after_message(from_provider, internal);
    if after != before.status {
        // Back in the queue: a reopened case is no longer resolved or closed.
        sqlx::query(
            "UPDATE cases SET status = $1, resolved_at = NULL, closed_at = NULL, closed_day = NULL \
             WHERE id = $2",
        )
        .bind(after.as_str())
        .bind(id.0)
        .execute(tx.conn())
        .await?;
        event(
            tx.tx(),
            id.0,
            now,
            actor,
            CaseEventKind::Status,
            Some(before.status.as_str()),
            Some(after.as_str()),
        )
        .await?;
    }
    if !internal {
        crate::sla::refresh(tx.tx(), db.backend(), id, now).await?;
    }
    let mailed = crate::outbox::queue_case_mail(
        tx.tx(),
        &db.outbox,
        id,
        CaseChangeForMail::Message {
            internal,
            from_provider,
        },
        Some(body),
        actor,
        now,
    )
    .await?;
    Ok((mid, mailed.is_some()))
}

impl Db {
    /// Notes that one side has opened the case: its unread marker goes. Written only when a
    /// marker is set, so reading a case costs no write otherwise.
    pub async fn mark_case_read(&self, id: CaseId, by_provider: bool) -> StoreResult<()> {
        let sql = if by_provider {
            "UPDATE cases SET unread_by_provider = 0 WHERE id = $1 AND unread_by_provider = 1"
        } else {
            "UPDATE cases SET unread_by_customer = 0 WHERE id = $1 AND unread_by_customer = 1"
        };
        sqlx::query(sql).bind(id.0).execute(&self.write).await?;
        Ok(())
    }
}
