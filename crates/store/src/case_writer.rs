//! Group commit for new cases. Creating a case is the one write that arrives in bursts (a
//! contact centre registers thousands a day, imports and integrations post them in parallel),
//! and each durable commit costs a flush to disk. New cases therefore queue for one writer
//! task, which takes everything waiting, writes it in one transaction and commits once; every
//! caller is answered only after that commit, so an acknowledged case is on disk.
//!
//! If anything in a batch fails, the batch is rolled back and written again with a savepoint
//! around each case, so a bad case fails alone and never takes its neighbours with it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serva_domain::case::CaseStatus;
use serva_domain::contact::Contact;
use serva_domain::UserId;
use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{mpsc, oneshot};

use crate::bulk::{
    add_to_rollups, insert_rows, pause_rollups, resume_rollups, AuditRow, CaseRow, EventRow,
};
use crate::cases::{case_search_text, NewCase};
use crate::{Backend, StoreError, StoreResult};

/// At most this many cases share one commit.
const MAX_BATCH: usize = 512;

/// A new case with what was looked up before it queued.
pub(crate) struct CreateJob {
    pub actor: Option<UserId>,
    pub case: NewCase,
    pub service_id: i64,
    pub service_code: String,
    pub unit_id: i64,
    /// The actor took the contact live: assigned to them, first response at creation.
    pub taken: bool,
    /// A contact to make with the case (see `cases::CaseExtras::new_contact`).
    pub new_contact: Option<serva_domain::contact::NewContact>,
    /// A received mail's Message-ID and intake log row, written with the case.
    pub mail: Option<Box<crate::mail_in::MailRecord>>,
    pub reply: oneshot::Sender<StoreResult<Written>>,
}

/// A case the writer committed: its id, and the intake log row of the mail that made it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Written {
    pub case: i64,
    pub mail_log: Option<i64>,
}

/// What the writer has done: cases written and commits made (for /metrics).
#[derive(Debug, Default)]
pub(crate) struct WriterStats {
    pub cases: AtomicU64,
    pub commits: AtomicU64,
}

/// Starts the writer task; it ends when the last sender is dropped.
pub(crate) fn spawn(
    write: AnyPool,
    backend: Backend,
    stats: Arc<WriterStats>,
    outbox: crate::outbox::SharedHub,
) -> mpsc::Sender<CreateJob> {
    let (tx, rx) = mpsc::channel::<CreateJob>(4 * MAX_BATCH);
    // SQLite has one writer connection; PostgreSQL overlaps one batch's inserts with the
    // previous batch's commit.
    let writers = match backend {
        Backend::Sqlite => 1,
        Backend::Postgres => 2,
    };
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    for _ in 0..writers {
        let (rx, write, stats) = (rx.clone(), write.clone(), stats.clone());
        let outbox = outbox.clone();
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            loop {
                {
                    let mut rx = rx.lock().await;
                    let Some(first) = rx.recv().await else { break };
                    batch.push(first);
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                }
                write_batch(&write, backend, &mut batch, &stats, &outbox).await;
            }
        });
    }
    tx
}

async fn write_batch(
    pool: &AnyPool,
    backend: Backend,
    batch: &mut Vec<CreateJob>,
    stats: &WriterStats,
    outbox: &crate::outbox::OutboxHub,
) {
    let mut results = match write_together(pool, backend, batch, false, outbox).await {
        Ok(results) => results,
        // Something failed: again, each case behind a savepoint of its own, still one commit.
        Err(_) => match write_together(pool, backend, batch, true, outbox).await {
            Ok(results) => results,
            Err(e) => {
                let msg = e.to_string();
                batch
                    .iter()
                    .map(|_| Err(StoreError::Db(sqlx::Error::Protocol(msg.clone()))))
                    .collect()
            }
        },
    };
    let ok = results.iter().filter(|r| r.is_ok()).count() as u64;
    if ok > 0 {
        stats.commits.fetch_add(1, Ordering::Relaxed);
        stats.cases.fetch_add(ok, Ordering::Relaxed);
    }
    for (job, result) in batch.drain(..).zip(results.drain(..)) {
        let _ = job.reply.send(result);
    }
}

/// The rows one new case adds: the case, its events, its audit entry.
#[derive(Default)]
struct CaseRows {
    cases: Vec<CaseRow>,
    events: Vec<EventRow>,
    audits: Vec<AuditRow>,
}

impl CaseRows {
    fn append(&mut self, mut other: CaseRows) {
        self.cases.append(&mut other.cases);
        self.events.append(&mut other.events);
        self.audits.append(&mut other.audits);
    }
}

/// The rows of `job`'s case, whose contact is `made` when it was made with it.
fn rows_of(job: &CreateJob, id: i64, now: i64, made: Option<&Contact>) -> CaseRows {
    let c = &job.case;
    let contact = c.contact.as_ref().or(made);
    let status = if c.resolve_now {
        CaseStatus::Closed
    } else {
        CaseStatus::New
    };
    let done_at = c.resolve_now.then_some(now);
    let actor = job.actor.map(|a| a.0);
    // Resolved at once or taken live, the contact was answered by the one who registered it.
    let answered = c.resolve_now || (job.taken && actor.is_some());
    let case = CaseRow {
        id,
        service_id: job.service_id,
        unit_id: job.unit_id,
        customer_unit_id: c.customer_unit.map(|u| u.0),
        requester_id: c.requester.map(|u| u.0),
        requester_name: c.requester_name.clone().map(Into::into),
        target_group: c.target_group,
        channel: c.channel,
        status,
        subject: c.subject.clone().into(),
        description: c.description.clone().into(),
        form_data: serde_json::to_string(&c.answers)
            .expect("answers serialise")
            .into(),
        assignee_id: if answered { actor } else { None },
        first_contact_resolution: c.resolve_now,
        created_at: now,
        updated_at: now,
        first_response_at: answered.then_some(now),
        resolved_at: done_at,
        closed_at: done_at,
        search_text: case_search_text(&c.subject, &c.description, &c.answers, contact).into(),
        contact_id: contact.map(|k| k.id.0),
    };
    let mut events = vec![EventRow {
        case_id: id,
        at: now,
        actor_id: actor,
        kind: "created",
        from_value: None,
        to_value: Some(CaseStatus::New.as_str().into()),
    }];
    if answered && !c.resolve_now {
        // Open and someone's from the start: the history says whose.
        events.push(EventRow {
            case_id: id,
            at: now,
            actor_id: actor,
            kind: "assigned",
            from_value: None,
            to_value: actor.map(|a| a.to_string().into()),
        });
    }
    if c.resolve_now {
        events.push(EventRow {
            case_id: id,
            at: now,
            actor_id: actor,
            kind: "status",
            from_value: Some(CaseStatus::New.as_str().into()),
            to_value: Some(CaseStatus::Closed.as_str().into()),
        });
    }
    let after = serde_json::json!({
        "service": job.service_code, "channel": c.channel, "status": status, "subject": c.subject,
        "customer_unit_id": c.customer_unit, "requester_id": c.requester,
        "contact_id": contact.map(|k| k.id),
        "assignee_id": if answered { actor } else { None },
    });
    let audit = AuditRow {
        at: now,
        actor_id: actor,
        action: "create",
        entity: "case",
        entity_id: id.to_string().into(),
        before_json: None,
        after_json: Some(after.to_string().into()),
    };
    CaseRows {
        cases: vec![case],
        events,
        audits: vec![audit],
    }
}

async fn insert_cases(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    rows: &CaseRows,
) -> StoreResult<()> {
    insert_rows(tx, backend, &rows.cases)
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => StoreError::on_unique(e, "case"),
            e => e,
        })?;
    insert_rows(tx, backend, &rows.events).await?;
    insert_rows(tx, backend, &rows.audits).await?;
    // Counted once per batch rather than by the row trigger (paused for this transaction),
    // last, so the roll-up rows (which every batch of the day touches) stay locked only from
    // here to the commit; keys go in sorted order, so two writers never wait on each other
    // in a circle.
    add_to_rollups(tx, backend, &rows.cases).await
}

/// Writes `jobs` in one transaction with one commit. Without savepoints, any failure fails
/// the whole call; with them, each case stands alone and the answer says which were written.
async fn write_together(
    pool: &AnyPool,
    backend: Backend,
    jobs: &[CreateJob],
    savepoints: bool,
    outbox: &crate::outbox::OutboxHub,
) -> StoreResult<Vec<StoreResult<Written>>> {
    let mut tx = pool.begin().await?;
    pause_rollups(&mut tx, backend).await?;
    let ids = case_ids(&mut tx, backend, jobs.len()).await?;
    let now = serva_domain::time::now_ms();
    let mut results = Vec::with_capacity(jobs.len());
    let mut mailed = false;
    if savepoints {
        for (&id, job) in ids.iter().zip(jobs) {
            sqlx::query("SAVEPOINT new_case").execute(&mut *tx).await?;
            let written = match contact_of(&mut tx, job, now).await {
                Ok((made, audit)) => {
                    let mut r = rows_of(job, id, now, made.as_ref());
                    r.audits.extend(audit);
                    match insert_cases(&mut tx, backend, &r).await {
                        Ok(()) => match due_times(&mut tx, backend, vec![id], now).await {
                            Ok(()) => with_case(&mut tx, outbox, job, id, now).await,
                            Err(e) => Err(e),
                        },
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            match written {
                Ok((m, w)) => {
                    sqlx::query("RELEASE SAVEPOINT new_case")
                        .execute(&mut *tx)
                        .await?;
                    mailed |= m;
                    results.push(Ok(w));
                }
                Err(e) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT new_case")
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("RELEASE SAVEPOINT new_case")
                        .execute(&mut *tx)
                        .await?;
                    results.push(Err(e));
                }
            }
        }
    } else {
        let mut all = CaseRows::default();
        for (&id, job) in ids.iter().zip(jobs) {
            let (made, audit) = contact_of(&mut tx, job, now).await?;
            all.append(rows_of(job, id, now, made.as_ref()));
            all.audits.extend(audit);
        }
        insert_cases(&mut tx, backend, &all).await?;
        due_times(&mut tx, backend, ids.clone(), now).await?;
        for (job, &id) in jobs.iter().zip(&ids) {
            let (m, w) = with_case(&mut tx, outbox, job, id, now).await?;
            mailed |= m;
            results.push(Ok(w));
        }
    }
    resume_rollups(&mut tx, backend).await?;
    tx.commit().await?;
    if mailed {
        outbox.ring();
    }
    Ok(results)
}

/// The new cases' SLA clocks, started in their own transaction so a queue sorts them by due
/// time from the moment they are there.
async fn due_times(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    ids: Vec<i64>,
    now: i64,
) -> StoreResult<()> {
    crate::sla::recompute(tx, backend, &crate::sla::SlaScope::Ids(ids), now).await?;
    Ok(())
}

/// The contact `job` makes with its case, if any, and its audit row.
async fn contact_of(
    tx: &mut Transaction<'static, Any>,
    job: &CreateJob,
    now: i64,
) -> StoreResult<(Option<Contact>, Option<AuditRow>)> {
    match &job.new_contact {
        Some(c) => {
            let (contact, audit) = crate::contacts::make_contact_in(tx, c, now).await?;
            Ok((Some(contact), audit))
        }
        None => Ok((None, None)),
    }
}

/// What a new case writes beside its own rows: the mail that made it (Message-ID, intake
/// log) and the receipt to its customer. Whether a mail was queued, and what was written.
async fn with_case(
    tx: &mut Transaction<'static, Any>,
    outbox: &crate::outbox::OutboxHub,
    job: &CreateJob,
    id: i64,
    now: i64,
) -> StoreResult<(bool, Written)> {
    let mailed = queue_receipt(tx, outbox, job, id, now).await?.is_some();
    // After the receipt, so the case's thread of Message-IDs reads as it did when the mail's
    // was recorded after the case's commit: the receipt, then the customer's mail, which an
    // agent's answer then replies to.
    let mail_log = match &job.mail {
        Some(rec) => {
            Some(crate::mail_in::insert_mail_record(tx, serva_domain::CaseId(id), rec).await?)
        }
        None => None,
    };
    Ok((mailed, Written { case: id, mail_log }))
}

/// The receipt a new case sends its customer, in the case's own transaction (`outbox`).
async fn queue_receipt(
    tx: &mut Transaction<'static, Any>,
    outbox: &crate::outbox::OutboxHub,
    job: &CreateJob,
    id: i64,
    now: i64,
) -> StoreResult<Option<i64>> {
    let change = serva_domain::notify::CaseChangeForMail::Created {
        resolved_at_once: job.case.resolve_now,
    };
    crate::outbox::queue_case_mail(
        tx,
        outbox,
        serva_domain::CaseId(id),
        change,
        None,
        job.actor,
        now,
    )
    .await
}

/// Fresh case ids: from the identity sequence on PostgreSQL (safe with several nodes); on
/// SQLite the one write connection holds the write lock for the whole transaction, so the
/// next ids after the largest are free.
async fn case_ids(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    n: usize,
) -> StoreResult<Vec<i64>> {
    match backend {
        Backend::Postgres => {
            let mut ids: Vec<i64> = sqlx::query_scalar(
                "SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, $1)",
            )
            .bind(n as i64)
            .fetch_all(&mut **tx)
            .await?;
            ids.sort_unstable();
            Ok(ids)
        }
        Backend::Sqlite => {
            let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM cases")
                .fetch_one(&mut **tx)
                .await?;
            let first = max.unwrap_or(0) + 1;
            Ok((first..first + n as i64).collect())
        }
    }
}
