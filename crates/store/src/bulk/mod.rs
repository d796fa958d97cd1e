//! Bulk loading in one transaction: the demo data and the benchmark's cases. Either everything
//! is stored or, if anything fails or the process dies, nothing is. The case writer (group
//! commit) writes its batches with the same statements.
//!
//! Rows go in as multi-row `INSERT`s (thousands of rows per statement) with explicit ids, so
//! related rows can refer to each other without a round trip per row.

use serva_domain::role::Grant;
use sqlx::{Any, Transaction};

use crate::{Backend, Db, StoreError, StoreResult};

/// A value bound into a bulk statement.
#[derive(Debug, Clone)]
pub enum Val {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_string()))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(Some(v))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::Text(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Val::Text(v.map(str::to_string))
    }
}

fn push_json(out: &mut String, v: &Val) {
    match v {
        Val::Int(Some(i)) => out.push_str(&i.to_string()),
        Val::Text(Some(t)) => {
            out.push_str(&serde_json::to_string(t).expect("a string serialises"));
        }
        Val::Real(Some(r)) => out.push_str(&serde_json::to_string(r).expect("a number serialises")),
        Val::Int(None) | Val::Text(None) | Val::Real(None) => out.push_str("null"),
    }
}

/// `[{"column": v, …}, …]`: PostgreSQL fills the table's row type by name.
fn json_objects(columns: &[&str], rows: &[Vec<Val>]) -> String {
    let mut out = String::with_capacity(rows.len() * 384);
    out.push('[');
    for (i, row) in rows.iter().enumerate() {
        out.push_str(if i == 0 { "{" } else { ",{" });
        for (j, v) in row.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(columns[j]);
            out.push_str("\":");
            push_json(&mut out, v);
        }
        out.push('}');
    }
    out.push(']');
    out
}

/// Inserts rows of `columns` into `table` inside `tx`, as few statements as the databases allow.
pub(crate) async fn insert_rows(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table: &'static str,
    columns: &[&str],
    rows: &[Vec<Val>],
) -> StoreResult<()> {
    for row in rows {
        if row.len() != columns.len() {
            return Err(StoreError::Invalid(format!(
                "row has {} values for {} columns",
                row.len(),
                columns.len()
            )));
        }
    }
    // SQLite binds anonymous parameters by position, cheaply, up to 32 000 a statement.
    // PostgreSQL gets one JSON document per 5 000 rows and fills the rows from it, except
    // where real numbers must arrive bit for bit through bound parameters.
    let has_real = rows
        .iter()
        .any(|r| r.iter().any(|v| matches!(v, Val::Real(Some(_)))));
    if has_real || backend == Backend::Sqlite {
        return insert_bound(tx, backend, table, columns, rows, "").await;
    }
    let cols = columns.join(", ");
    let sql = format!(
        "INSERT INTO {table} ({cols}) SELECT {cols} FROM json_populate_recordset(NULL::{table}, CAST($1 AS json))"
    );
    for chunk in rows.chunks(5_000) {
        sqlx::query(&sql)
            .bind(json_objects(columns, chunk))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Pauses the roll-up triggers on new cases for this transaction only: whoever calls this
/// counts its cases with `add_to_rollups` and calls `resume_rollups` before committing.
pub(crate) async fn pause_rollups(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
) -> StoreResult<()> {
    let sql = match backend {
        Backend::Sqlite => "INSERT INTO rollup_paused (id) VALUES (1)",
        Backend::Postgres => "SELECT set_config('serva.rollups_paused', 'on', true)",
    };
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}

/// Ends `pause_rollups` (on PostgreSQL the setting ends with the transaction anyway).
pub(crate) async fn resume_rollups(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
) -> StoreResult<()> {
    if backend == Backend::Sqlite {
        sqlx::query("DELETE FROM rollup_paused")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Adds bulk-loaded cases to the daily roll-ups (the triggers that do it row by row are
/// paused for bulk loads): counted here, written as one upsert per group.
pub(crate) async fn add_to_rollups(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    columns: &[&str],
    rows: &[Vec<Val>],
) -> StoreResult<()> {
    use serva_domain::time::local_day;
    use std::collections::BTreeMap;
    let col = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .ok_or_else(|| StoreError::Invalid(format!("a bulk load of cases must give {name}")))
    };
    let (unit, created, channel, group, fcr, closed) = (
        col("unit_id")?,
        col("created_at")?,
        col("channel")?,
        col("target_group")?,
        col("first_contact_resolution")?,
        col("closed_at")?,
    );
    let int = |v: &Val| match v {
        Val::Int(i) => *i,
        _ => None,
    };
    let text = |v: &Val| match v {
        Val::Text(t) => t.clone(),
        _ => None,
    };
    let mut days: BTreeMap<(i64, i64, String, String), (i64, i64)> = BTreeMap::new();
    let mut closes: BTreeMap<(i64, i64, i64), i64> = BTreeMap::new();
    for r in rows {
        let (Some(u), Some(at)) = (int(&r[unit]), int(&r[created])) else {
            return Err(StoreError::Invalid("a case needs a unit and a time".into()));
        };
        let day = local_day(at);
        let e = days
            .entry((
                u,
                day,
                text(&r[channel]).unwrap_or_default(),
                text(&r[group]).unwrap_or_default(),
            ))
            .or_default();
        e.0 += 1;
        e.1 += int(&r[fcr]).unwrap_or(0);
        if let Some(c) = int(&r[closed]) {
            *closes.entry((u, day, local_day(c))).or_default() += 1;
        }
    }
    let day_rows: Vec<Vec<Val>> = days
        .into_iter()
        .map(|((u, d, ch, g), (n, f))| {
            vec![u.into(), d.into(), ch.into(), g.into(), n.into(), f.into()]
        })
        .collect();
    let close_rows: Vec<Vec<Val>> = closes
        .into_iter()
        .map(|((u, c, d), n)| vec![u.into(), c.into(), d.into(), n.into()])
        .collect();
    upsert_add(
        tx,
        backend,
        "case_day_counts",
        &["unit_id", "day", "channel", "target_group"],
        &["cases", "first_contact"],
        &day_rows,
    )
    .await?;
    upsert_add(
        tx,
        backend,
        "case_close_counts",
        &["unit_id", "created_day", "closed_day"],
        &["closed"],
        &close_rows,
    )
    .await
}

/// Inserts counting rows (`keys` then `adds`), adding to the counts of rows already there.
async fn upsert_add(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table: &'static str,
    keys: &[&str],
    adds: &[&str],
    rows: &[Vec<Val>],
) -> StoreResult<()> {
    let columns: Vec<&str> = keys.iter().chain(adds).copied().collect();
    let on_conflict = format!(
        " ON CONFLICT ({}) DO UPDATE SET {}",
        keys.join(", "),
        adds.iter()
            .map(|a| format!("{a} = {table}.{a} + excluded.{a}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    insert_bound(tx, backend, table, &columns, rows, &on_conflict).await
}

/// Rows as bound parameters, as few statements as each database allows; `on_conflict` ends
/// each statement (empty for a plain insert).
async fn insert_bound(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table: &'static str,
    columns: &[&str],
    rows: &[Vec<Val>],
    on_conflict: &str,
) -> StoreResult<()> {
    // SQLite: anonymous `?` parameters are bound by position; numbered ones make sqlx look
    // each name up, which grows with the square of the count. At most 32 766 per statement.
    let per_stmt = match backend {
        Backend::Sqlite => 32_000 / columns.len(),
        Backend::Postgres => 1_000 / columns.len(),
    }
    .max(1);
    for chunk in rows.chunks(per_stmt) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                n += 1;
                if j > 0 {
                    sql.push_str(", ");
                }
                if backend == Backend::Sqlite {
                    sql.push('?');
                } else {
                    sql.push_str(&format!("${n}"));
                }
            }
            sql.push(')');
        }
        sql.push_str(on_conflict);
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Val::Int(i) => q.bind(*i),
                    Val::Real(r) => q.bind(*r),
                    Val::Text(t) => q.bind(t.as_deref()),
                };
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// An open bulk load.
pub struct Bulk {
    pool: sqlx::AnyPool,
    principals: std::sync::Arc<crate::principals::PrincipalCache>,
    tx: Transaction<'static, Any>,
    backend: Backend,
    /// Tables given explicit ids, whose PostgreSQL identity sequences must be moved past them.
    touched: Vec<&'static str>,
    /// Rows inserted per table, so large loads can refresh the planner's statistics.
    rows: Vec<(&'static str, usize)>,
}

/// The tables a bulk load may fill, with their columns in insert order.
pub const CASE_COLUMNS: &[&str] = &[
    "id",
    "service_id",
    "unit_id",
    "customer_unit_id",
    "requester_id",
    "requester_name",
    "target_group",
    "channel",
    "status",
    "subject",
    "description",
    "form_data",
    "assignee_id",
    "first_contact_resolution",
    "created_at",
    "updated_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "search_text",
];
pub const EVENT_COLUMNS: &[&str] = &[
    "case_id",
    "at",
    "actor_id",
    "kind",
    "from_value",
    "to_value",
];
pub const MESSAGE_COLUMNS: &[&str] = &["case_id", "author_id", "internal", "body", "created_at"];

impl Db {
    pub async fn begin_bulk(&self) -> StoreResult<Bulk> {
        let mut tx = self.write.begin().await?;
        // The load counts its cases into the roll-ups itself (see `Bulk::insert`).
        pause_rollups(&mut tx, self.backend()).await?;
        Ok(Bulk {
            pool: self.write.clone(),
            principals: self.principals.clone(),
            tx,
            backend: self.backend(),
            touched: Vec::new(),
            rows: Vec::new(),
        })
    }

    /// The next free id of a table (bulk loads give ids themselves).
    pub async fn next_id(&self, table: &'static str) -> StoreResult<i64> {
        let (max,): (Option<i64>,) = sqlx::query_as(&format!("SELECT MAX(id) FROM {table}"))
            .fetch_one(&self.read)
            .await?;
        Ok(max.unwrap_or(0) + 1)
    }
}

impl Bulk {
    /// Inserts rows of `columns` into `table`, as few statements as the databases allow.
    pub async fn insert(
        &mut self,
        table: &'static str,
        columns: &[&str],
        rows: &[Vec<Val>],
    ) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if columns.first() == Some(&"id") && !self.touched.contains(&table) {
            self.touched.push(table);
        }
        match self.rows.iter_mut().find(|(t, _)| *t == table) {
            Some((_, n)) => *n += rows.len(),
            None => self.rows.push((table, rows.len())),
        }
        insert_rows(&mut self.tx, self.backend, table, columns, rows).await?;
        if table == "cases" {
            add_to_rollups(&mut self.tx, self.backend, columns, rows).await?;
        }
        Ok(())
    }

    /// Grants of a user created in this load.
    pub async fn grants(&mut self, user: i64, grants: &[Grant]) -> StoreResult<()> {
        let rows: Vec<Vec<Val>> = grants
            .iter()
            .map(|g| {
                vec![
                    user.into(),
                    g.role.as_str().into(),
                    g.unit.map(|u| u.0).into(),
                    g.target_group.map(|t| t.as_str()).into(),
                ]
            })
            .collect();
        self.insert(
            "grants",
            &["user_id", "role", "unit_id", "target_group"],
            &rows,
        )
        .await
    }

    /// Records the load in the audit log.
    pub async fn audit(&mut self, change: &crate::audit::Change) -> StoreResult<()> {
        crate::audit::insert(&mut self.tx, serva_domain::time::now_ms(), None, change).await
    }

    /// Commits the load; on PostgreSQL, moves identity sequences past the ids given.
    pub async fn commit(mut self) -> StoreResult<()> {
        if self.backend == Backend::Postgres {
            for table in &self.touched {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                ))
                .execute(&mut *self.tx)
                .await?;
            }
        }
        resume_rollups(&mut self.tx, self.backend).await?;
        let pool = self.pool.clone();
        self.tx.commit().await?;

        self.principals.invalidate();
        // PostgreSQL plans from statistics that autovacuum refreshes only later; a large load
        // would leave the queue and search queries planned for the empty tables until then.
        if self.backend == Backend::Postgres {
            for (table, n) in &self.rows {
                if *n >= 10_000 {
                    sqlx::query(&format!("ANALYZE {table}"))
                        .execute(&pool)
                        .await?;
                }
            }
        }
        Ok(())
    }
}
