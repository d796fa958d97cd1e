//! SLA due times on cases. The clocks are worked out in Rust (`serva_domain::sla::clocks`)
//! from each case's history, its service's targets and its unit's calendar, and stored on
//! the case (`sla_*` columns) so queues sort and filter by them without the history. They
//! are worked out again, in one batch, whenever a case changes (in the change's own
//! transaction), a calendar or a target changes, or a due time passes (the sweep records the
//! breach). Breaches are kept in `case_sla_breaches` for counting.

use std::collections::{BTreeMap, HashMap};

use serva_domain::calendar::{BusinessCalendar, CalendarSettings, WorkingTime};
use serva_domain::case::CaseStatus;
use serva_domain::sla::{
    clocks, Breach, CaseFacts, ClockKind, Clocks, Reply, ServiceLevel, StatusChange,
};
use serva_domain::{CaseId, ServiceId, UnitId};
use sqlx::{Any, AnyConnection, Transaction};

use crate::bulk::{insert_new_rows, BreachRow};
use crate::{Backend, Db, StoreError, StoreResult};

/// Which cases to work out again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlaScope {
    /// One case, whatever its status.
    Case(CaseId),
    /// These cases, whatever their status (new cases in the writer's batch).
    Ids(Vec<i64>),
    /// A unit's open cases (its calendar changed).
    Unit(UnitId),
    /// A service's open cases (its targets changed).
    Service(ServiceId),
    /// Open cases not worked out yet (after an upgrade, a bulk load or an interrupted change).
    Stale,
    /// Open cases with a clock whose due time has passed unrecorded (the breach sweep).
    Due(i64),
    /// Every open case.
    AllOpen,
    /// Every case, open or not (after loading a history).
    All,
}

const ACTIVE: &str = "c.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')";

impl SlaScope {
    /// The condition on `cases c`. Only integers are put into the text.
    fn condition(&self) -> String {
        match self {
            SlaScope::Case(id) => format!("c.id = {}", id.0),
            SlaScope::Ids(ids) if ids.is_empty() => "1 = 0".into(),
            SlaScope::Ids(ids) => format!("c.id IN ({})", id_list(ids)),
            SlaScope::Unit(u) => format!("c.unit_id = {} AND {ACTIVE}", u.0),
            SlaScope::Service(s) => format!("c.service_id = {} AND {ACTIVE}", s.0),
            SlaScope::Stale => format!("c.sla_version = 0 AND {ACTIVE}"),
            SlaScope::Due(now) => format!("c.sla_watch_at < {now}"),
            SlaScope::AllOpen => ACTIVE.into(),
            SlaScope::All => "1 = 1".into(),
        }
    }
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// What a recomputation did: cases worked out, and breaches recorded for the first time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recomputed {
    pub cases: usize,
    pub new_breaches: Vec<NewBreach>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewBreach {
    pub case: CaseId,
    pub unit: UnitId,
    pub clock: ClockKind,
    pub due_at: i64,
}

/// Marks the cases of `scope` as not worked out, in the transaction that changes what their
/// clocks depend on: if the recomputation after it never runs, the next start does it.
pub(crate) async fn mark_stale(conn: &mut AnyConnection, scope: SlaScope) -> StoreResult<()> {
    sqlx::query(&format!(
        "UPDATE cases SET sla_version = 0 WHERE id IN (SELECT c.id FROM cases c WHERE {})",
        scope.condition()
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// A case as the clocks read it.
struct CaseClockRow {
    id: i64,
    unit: i64,
    service: i64,
    created_at: i64,
    updated_at: i64,
    first_response_at: Option<i64>,
}

/// The status history and replies of `ids`, in order, keyed by case.
type Histories = (HashMap<i64, Vec<StatusChange>>, HashMap<i64, Vec<Reply>>);

async fn histories(conn: &mut AnyConnection, ids: &[i64]) -> StoreResult<Histories> {
    let mut changes: HashMap<i64, Vec<StatusChange>> = HashMap::with_capacity(ids.len());
    let mut replies: HashMap<i64, Vec<Reply>> = HashMap::new();
    for chunk in ids.chunks(2_000) {
        let list = id_list(chunk);
        // Statuses as their place in `CaseStatus::ALL` (-1: not a status), so a hundred
        // thousand histories are read without a string each.
        let status_index = CaseStatus::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| format!("WHEN '{}' THEN {i}", s.as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT e.case_id, e.at, CASE e.to_value {status_index} ELSE -1 END FROM case_events e \
             WHERE e.case_id IN ({list}) AND e.kind IN ('created', 'status') ORDER BY e.case_id, e.id"
        ))
        .fetch_all(&mut *conn)
        .await?;
        for (case, at, to) in rows {
            let to = usize::try_from(to)
                .ok()
                .and_then(|i| CaseStatus::ALL.get(i).copied())
                .ok_or_else(|| {
                    StoreError::Corrupt(format!("case {case}: a history entry with no status"))
                })?;
            changes
                .entry(case)
                .or_default()
                .push(StatusChange { at, to });
        }
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT m.case_id, m.created_at, m.from_provider FROM case_messages m \
             WHERE m.case_id IN ({list}) AND m.internal = 0 ORDER BY m.case_id, m.id"
        ))
        .fetch_all(&mut *conn)
        .await?;
        for (case, at, from_provider) in rows {
            replies.entry(case).or_default().push(Reply {
                at,
                from_provider: from_provider == 1,
            });
        }
    }
    Ok((changes, replies))
}

/// A service's id and its three targets in minutes.
type TargetRow = (i64, Option<i64>, Option<i64>, Option<i64>);

/// The targets of `services`.
async fn levels(
    conn: &mut AnyConnection,
    services: &[i64],
) -> StoreResult<HashMap<i64, ServiceLevel>> {
    let rows: Vec<TargetRow> = sqlx::query_as(&format!(
        "SELECT id, first_response_minutes, next_response_minutes, resolution_minutes FROM services \
         WHERE id IN ({})",
        id_list(services)
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, f, n, r)| {
            (
                id,
                ServiceLevel {
                    first_response_minutes: f,
                    next_response_minutes: n,
                    resolution_minutes: r,
                },
            )
        })
        .collect())
}

/// The clocks of one case from what was read.
fn clocks_of(
    c: &CaseClockRow,
    changes: &[StatusChange],
    replies: &[Reply],
    level: &ServiceLevel,
    time: &dyn WorkingTime,
    warn_percent: u8,
    now: i64,
) -> Clocks {
    // A history loaded without its creation entry (an old import) starts when the case was
    // created, as every history written by Serva does.
    let with_creation;
    let history = if changes.first().map(|h| h.to) == Some(CaseStatus::New) {
        changes
    } else {
        with_creation = std::iter::once(StatusChange {
            at: c.created_at,
            to: CaseStatus::New,
        })
        .chain(changes.iter().copied())
        .collect::<Vec<_>>();
        &with_creation
    };
    let facts = CaseFacts {
        created_at: c.created_at,
        first_response_at: c.first_response_at,
        history,
        replies,
    };
    clocks(&facts, level, time, warn_percent, now)
}

/// Works out the clocks of the cases of `scope` at `now` and stores them, in `tx`.
pub(crate) async fn recompute(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    scope: &SlaScope,
    now: i64,
) -> StoreResult<Recomputed> {
    let rows: Vec<(i64, i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT c.id, c.unit_id, c.service_id, c.created_at, c.updated_at, c.first_response_at \
         FROM cases c WHERE {}",
        scope.condition()
    ))
    .fetch_all(&mut **tx)
    .await?;
    // Unordered, so each scope's own index serves it (an ORDER BY id would walk the table).
    let mut rows = rows;
    rows.sort_unstable_by_key(|r| r.0);
    if rows.is_empty() {
        return Ok(Recomputed::default());
    }
    let cases: Vec<CaseClockRow> = rows
        .into_iter()
        .map(
            |(id, unit, service, created_at, updated_at, first_response_at)| CaseClockRow {
                id,
                unit,
                service,
                created_at,
                updated_at,
                first_response_at,
            },
        )
        .collect();
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let mut services: Vec<i64> = cases.iter().map(|c| c.service).collect();
    services.sort_unstable();
    services.dedup();
    let levels = levels(&mut *tx, &services).await?;
    let mut units: Vec<i64> = cases.iter().map(|c| c.unit).collect();
    units.sort_unstable();
    units.dedup();
    let settings = crate::calendars::load(&mut *tx, &units).await?;
    let (changes, replies) = histories(&mut *tx, &ids).await?;

    // Many cases of a unit share its open intervals, counted once over the span they need.
    let today = serva_domain::time::to_local(now).date();
    let mut times: HashMap<i64, (Box<dyn WorkingTime + Send + Sync>, u8)> = HashMap::new();
    for &u in &units {
        let s: &CalendarSettings = &settings[&u];
        let calendar: BusinessCalendar = s.calendar();
        let time: Box<dyn WorkingTime + Send + Sync> = if cases.len() >= 50 {
            let earliest = cases
                .iter()
                .filter(|c| c.unit == u)
                .map(|c| c.created_at)
                .min()
                .unwrap_or(now);
            let from = serva_domain::time::to_local(earliest).date() - chrono::Days::new(1);
            // At most thirty years back: an older case counts through the calendar itself.
            let from = from.max(today - chrono::Days::new(30 * 366));
            Box::new(calendar.open_time(from, today + chrono::Days::new(400)))
        } else {
            Box::new(calendar)
        };
        times.insert(u, (time, s.warn_percent));
    }

    let none = ServiceLevel::default();
    let mut computed: Vec<(&CaseClockRow, Clocks)> = Vec::with_capacity(cases.len());
    for c in &cases {
        let (time, warn) = &times[&c.unit];
        let clocks = clocks_of(
            c,
            changes.get(&c.id).map_or(&[][..], Vec::as_slice),
            replies.get(&c.id).map_or(&[][..], Vec::as_slice),
            levels.get(&c.service).unwrap_or(&none),
            time.as_ref(),
            *warn,
            now,
        );
        computed.push((c, clocks));
    }

    let updated = store_due(tx, backend, &computed).await?;
    let new_breaches = sync_breaches(tx, backend, &computed, &updated, now).await?;
    Ok(Recomputed {
        cases: updated.len(),
        new_breaches,
    })
}

/// Writes the due times; a case changed since it was read is left to that change (which
/// works its clocks out itself). Returns the cases written.
async fn store_due(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    computed: &[(&CaseClockRow, Clocks)],
) -> StoreResult<Vec<i64>> {
    const COLS: usize = 10;
    let per_stmt = match backend {
        Backend::Sqlite => 32_000 / COLS,
        Backend::Postgres => 60_000 / COLS,
    };
    let mut updated = Vec::with_capacity(computed.len());
    for chunk in computed.chunks(per_stmt) {
        let mut values = String::with_capacity(chunk.len() * COLS * 6);
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            values.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..COLS {
                if j > 0 {
                    values.push_str(", ");
                }
                n += 1;
                match backend {
                    Backend::Sqlite => values.push('?'),
                    Backend::Postgres => values.push_str(&format!("${n}")),
                }
            }
            values.push(')');
        }
        let sql = format!(
            "UPDATE cases SET sla_first_response_due = v.column3, sla_next_response_due = v.column4, \
             sla_resolution_due = v.column5, sla_due_at = v.column6, sla_watch_at = v.column7, \
             sla_warn_at = v.column8, sla_paused = v.column9, sla_breached = v.column10, sla_version = 1 \
             FROM (VALUES {values}) AS v WHERE cases.id = v.column1 AND cases.updated_at = v.column2 \
             RETURNING cases.id"
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for (c, k) in chunk {
            let d = &k.due;
            q = q
                .bind(c.id)
                .bind(c.updated_at)
                .bind(d.first_response_due)
                .bind(d.next_response_due)
                .bind(d.resolution_due)
                .bind(d.due_at)
                .bind(d.watch_at)
                .bind(d.warn_at)
                .bind(i64::from(d.paused))
                .bind(i64::from(d.breached));
        }
        updated.extend(q.fetch_all(&mut **tx).await?);
    }
    Ok(updated)
}

/// Makes the recorded breaches of the cases written match their clocks: new ones are recorded
/// now (and returned), ones a change has undone go, the rest keep when they were recorded.
async fn sync_breaches(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    computed: &[(&CaseClockRow, Clocks)],
    updated: &[i64],
    now: i64,
) -> StoreResult<Vec<NewBreach>> {
    let mut written: Vec<i64> = updated.to_vec();
    written.sort_unstable();
    let mut recorded: HashMap<i64, BTreeMap<Breach, i64>> = HashMap::new();
    for chunk in written.chunks(2_000) {
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT case_id, clock, due_at, recorded_at FROM case_sla_breaches WHERE case_id IN ({})",
            id_list(chunk)
        ))
        .fetch_all(&mut **tx)
        .await?;
        for (case, clock, due_at, at) in rows {
            let clock = ClockKind::parse(&clock).ok_or_else(|| {
                StoreError::Corrupt(format!("case {case}: breach of clock {clock:?}"))
            })?;
            recorded
                .entry(case)
                .or_default()
                .insert(Breach { clock, due_at }, at);
        }
    }
    let mut redo: Vec<i64> = Vec::new();
    let mut rows: Vec<BreachRow> = Vec::new();
    let mut fresh = Vec::new();
    for (c, k) in computed {
        if written.binary_search(&c.id).is_err() {
            continue;
        }
        let before = recorded.remove(&c.id).unwrap_or_default();
        let same =
            before.len() == k.breaches.len() && k.breaches.iter().all(|b| before.contains_key(b));
        if same {
            continue;
        }
        if !before.is_empty() {
            redo.push(c.id);
        }
        for b in &k.breaches {
            let at = before.get(b).copied().unwrap_or_else(|| {
                fresh.push(NewBreach {
                    case: CaseId(c.id),
                    unit: UnitId(c.unit),
                    clock: b.clock,
                    due_at: b.due_at,
                });
                now
            });
            rows.push(BreachRow {
                case_id: c.id,
                clock: b.clock.as_str(),
                due_at: b.due_at,
                unit_id: c.unit,
                recorded_at: at,
            });
        }
    }
    for chunk in redo.chunks(2_000) {
        sqlx::query(&format!(
            "DELETE FROM case_sla_breaches WHERE case_id IN ({})",
            id_list(chunk)
        ))
        .execute(&mut **tx)
        .await?;
    }
    insert_new_rows(tx, backend, &rows).await?;
    Ok(fresh)
}

impl Db {
    /// Works out the clocks of the cases of `scope` at `now` and stores them, in one batch.
    pub async fn recompute_sla(&self, scope: SlaScope, now: i64) -> StoreResult<Recomputed> {
        let mut tx = self.write.begin().await?;
        let done = recompute(&mut tx, self.backend(), &scope, now).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// One case's clocks with their timeline, worked out now for its page.
    pub async fn case_clocks(&self, id: CaseId, now: i64) -> StoreResult<Clocks> {
        let mut conn = self.read.acquire().await?;
        let row: Option<(i64, i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, unit_id, service_id, created_at, updated_at, first_response_at FROM cases WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((id, unit, service, created_at, updated_at, first_response_at)) = row else {
            return Err(StoreError::NotFound("case"));
        };
        let c = CaseClockRow {
            id,
            unit,
            service,
            created_at,
            updated_at,
            first_response_at,
        };
        let levels = levels(&mut conn, &[service]).await?;
        let settings = crate::calendars::load(&mut conn, &[unit]).await?;
        let (changes, replies) = histories(&mut conn, &[id]).await?;
        let s = &settings[&unit];
        Ok(clocks_of(
            &c,
            changes.get(&id).map_or(&[][..], Vec::as_slice),
            replies.get(&id).map_or(&[][..], Vec::as_slice),
            levels.get(&service).unwrap_or(&ServiceLevel::default()),
            &s.calendar(),
            s.warn_percent,
            now,
        ))
    }

    /// A unit's open cases near or past a due time, and the breaches whose due time falls in
    /// `[from, to)`: (near, past, breaches).
    pub async fn sla_counts(
        &self,
        unit: UnitId,
        now: i64,
        from: i64,
        to: i64,
    ) -> StoreResult<(i64, i64, i64)> {
        let (near, past): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COALESCE(SUM(CASE WHEN c.sla_breached = 0 AND c.sla_watch_at >= $2 AND c.sla_warn_at <= $2 THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN c.sla_breached = 1 OR c.sla_due_at < $2 THEN 1 ELSE 0 END), 0) \
             FROM cases c WHERE c.unit_id = $1 AND {ACTIVE}"
        ))
        .bind(unit.0)
        .bind(now)
        .fetch_one(&self.read)
        .await?;
        let (breaches,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM case_sla_breaches WHERE unit_id = $1 AND due_at >= $2 AND due_at < $3",
        )
        .bind(unit.0)
        .bind(from)
        .bind(to)
        .fetch_one(&self.read)
        .await?;
        Ok((near, past, breaches))
    }
}

/// Works out one case's clocks again in the transaction that changed it.
pub(crate) async fn refresh(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    id: CaseId,
    now: i64,
) -> StoreResult<()> {
    recompute(tx, backend, &SlaScope::Case(id), now).await?;
    Ok(())
}
