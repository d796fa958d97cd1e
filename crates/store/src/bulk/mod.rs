//! Bulk loading in one transaction: the demo data and the benchmark's cases. Either everything
//! is stored or, if anything fails or the process dies, nothing is. The case writer (group
//! commit) writes its batches with the same statements.
//!
//! Rows go in as multi-row `INSERT`s (thousands of rows per statement) with explicit ids, so
//! related rows can refer to each other without a round trip per row.

use std::collections::BTreeMap;

use serva_domain::case::{CaseStatus, Channel};
use serva_domain::role::{Grant, TargetGroup};
use sqlx::{Any, Transaction};

use crate::{Backend, Db, StoreError, StoreResult};

/// Declares row structs: `pub struct Name in "table" { field: Type, … }`, optionally followed
/// by `computed { column = |row: &Name| value, … }` for columns worked out from the fields.
/// Every field is a column of that name, in that order; the struct gets [`Row`].
macro_rules! rows {
    ($(
        $(#[$meta:meta])*
        pub struct $name:ident in $table:literal {
            $($field:ident : $ty:ty),* $(,)?
        }
        $(computed { $($col:ident = $f:expr),* $(,)? })?
    )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $(pub $field: $ty,)*
        }

        impl $crate::bulk::Row for $name {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static [&'static str] =
                &[$(stringify!($field),)* $($(stringify!($col),)*)?];

            fn values<'a>(&'a self, out: &mut Vec<$crate::bulk::Val<'a>>) {
                $(out.push($crate::bulk::Column::val(&self.$field));)*
                $($({
                    let computed: fn(&$name) -> Option<i64> = $f;
                    out.push($crate::bulk::Val::Int(computed(self)));
                })*)?
            }
        }
    )*};
}

mod billing_rows;
mod rows;
pub use billing_rows::*;
pub use rows::*;

/// A row of a table: its columns, and its values in the same order.
pub trait Row {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    /// Appends one value per column of `COLUMNS`, in that order.
    fn values<'a>(&'a self, out: &mut Vec<Val<'a>>);
}

/// A value bound into a bulk statement, borrowed from its row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'a> {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<&'a str>),
}

/// What a field of a row may be: each gives the value of its column.
pub trait Column {
    fn val(&self) -> Val<'_>;
}

impl Column for i64 {
    fn val(&self) -> Val<'_> {
        Val::Int(Some(*self))
    }
}
impl Column for bool {
    fn val(&self) -> Val<'_> {
        Val::Int(Some(i64::from(*self)))
    }
}
impl Column for f64 {
    fn val(&self) -> Val<'_> {
        Val::Real(Some(*self))
    }
}
impl Column for &'static str {
    fn val(&self) -> Val<'_> {
        Val::Text(Some(*self))
    }
}
impl Column for Text {
    fn val(&self) -> Val<'_> {
        Val::Text(Some(self.as_ref()))
    }
}
impl Column for Channel {
    fn val(&self) -> Val<'_> {
        Val::Text(Some(self.as_str()))
    }
}
impl Column for CaseStatus {
    fn val(&self) -> Val<'_> {
        Val::Text(Some(self.as_str()))
    }
}
impl Column for TargetGroup {
    fn val(&self) -> Val<'_> {
        Val::Text(Some(self.as_str()))
    }
}
/// NULL when absent, of the column's type.
impl<T: Column + NullOf> Column for Option<T> {
    fn val(&self) -> Val<'_> {
        match self {
            Some(v) => v.val(),
            None => T::NULL,
        }
    }
}

/// The NULL of a column type.
pub trait NullOf {
    const NULL: Val<'static>;
}
impl NullOf for i64 {
    const NULL: Val<'static> = Val::Int(None);
}
impl NullOf for f64 {
    const NULL: Val<'static> = Val::Real(None);
}
impl NullOf for Text {
    const NULL: Val<'static> = Val::Text(None);
}
impl NullOf for &'static str {
    const NULL: Val<'static> = Val::Text(None);
}
impl NullOf for TargetGroup {
    const NULL: Val<'static> = Val::Text(None);
}

fn push_json(out: &mut String, v: &Val<'_>) {
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
fn json_objects(columns: &[&str], values: &[Val<'_>]) -> String {
    let mut out = String::with_capacity(values.len() / columns.len() * 384);
    out.push('[');
    for (i, row) in values.chunks(columns.len()).enumerate() {
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

/// The values of `rows`, row after row.
fn values_of<R: Row>(rows: &[R]) -> Vec<Val<'_>> {
    let mut values = Vec::with_capacity(rows.len() * R::COLUMNS.len());
    for r in rows {
        r.values(&mut values);
    }
    values
}

/// Inserts `rows` inside `tx`, as few statements as the databases allow.
pub(crate) async fn insert_rows<R: Row>(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    rows: &[R],
) -> StoreResult<()> {
    insert_with(tx, backend, rows, "").await
}

/// Inserts `rows`, leaving out those whose key is already there: for facts that two
/// transactions may record at once (two nodes' SLA sweeps seeing the same breach), where the
/// second one's row is the same fact and must not fail its transaction.
pub(crate) async fn insert_new_rows<R: Row>(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    rows: &[R],
) -> StoreResult<()> {
    insert_with(tx, backend, rows, " ON CONFLICT DO NOTHING").await
}

async fn insert_with<R: Row>(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    rows: &[R],
    on_conflict: &str,
) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values = values_of(rows);
    debug_assert_eq!(values.len(), rows.len() * R::COLUMNS.len());
    // SQLite binds anonymous parameters by position, cheaply, up to 32 000 a statement.
    // PostgreSQL gets one JSON document per 5 000 rows and fills the rows from it, except
    // where real numbers must arrive bit for bit through bound parameters.
    let has_real = values.iter().any(|v| matches!(v, Val::Real(Some(_))));
    if has_real || backend == Backend::Sqlite {
        return insert_bound(tx, backend, R::TABLE, R::COLUMNS, &values, on_conflict).await;
    }
    let table = R::TABLE;
    let cols = R::COLUMNS.join(", ");
    let sql = format!(
        "INSERT INTO {table} ({cols}) SELECT {cols} FROM json_populate_recordset(NULL::{table}, CAST($1 AS json)){on_conflict}"
    );
    for chunk in values.chunks(5_000 * R::COLUMNS.len()) {
        sqlx::query(&sql)
            .bind(json_objects(R::COLUMNS, chunk))
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
/// paused for bulk loads): counted here, written as one upsert per group, on the same days
/// the cases store (`CaseRow::created_day`, `CaseRow::closed_day`).
pub(crate) async fn add_to_rollups(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    rows: &[CaseRow],
) -> StoreResult<()> {
    let mut days: BTreeMap<(i64, i64, &'static str, &'static str), (i64, i64)> = BTreeMap::new();
    let mut closes: BTreeMap<(i64, i64, i64), i64> = BTreeMap::new();
    for r in rows {
        let day = r.created_day();
        let e = days
            .entry((
                r.unit_id,
                day,
                r.channel.as_str(),
                r.target_group.map_or("", TargetGroup::as_str),
            ))
            .or_default();
        e.0 += 1;
        e.1 += i64::from(r.first_contact_resolution);
        if let Some(closed) = r.closed_day() {
            *closes.entry((r.unit_id, day, closed)).or_default() += 1;
        }
    }
    let day_rows: Vec<DayCountRow> = days
        .into_iter()
        .map(
            |((unit_id, day, channel, target_group), (cases, first_contact))| DayCountRow {
                unit_id,
                day,
                channel,
                target_group,
                cases,
                first_contact,
            },
        )
        .collect();
    let close_rows: Vec<CloseCountRow> = closes
        .into_iter()
        .map(
            |((unit_id, created_day, closed_day), closed)| CloseCountRow {
                unit_id,
                created_day,
                closed_day,
                closed,
            },
        )
        .collect();
    upsert_add(tx, backend, 4, &day_rows).await?;
    upsert_add(tx, backend, 3, &close_rows).await
}

/// Inserts counting rows whose first `keys` columns are the key, adding the other columns to
/// the counts of rows already there.
async fn upsert_add<R: Row>(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    keys: usize,
    rows: &[R],
) -> StoreResult<()> {
    let (table, (keys, adds)) = (R::TABLE, R::COLUMNS.split_at(keys));
    let on_conflict = format!(
        " ON CONFLICT ({}) DO UPDATE SET {}",
        keys.join(", "),
        adds.iter()
            .map(|a| format!("{a} = {table}.{a} + excluded.{a}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let values = values_of(rows);
    insert_bound(tx, backend, table, R::COLUMNS, &values, &on_conflict).await
}

/// Rows (their `values`, row after row) as bound parameters, as few statements as each
/// database allows; `on_conflict` ends each statement (empty for a plain insert).
async fn insert_bound(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table: &'static str,
    columns: &[&str],
    values: &[Val<'_>],
    on_conflict: &str,
) -> StoreResult<()> {
    // SQLite: anonymous `?` parameters are bound by position; numbered ones make sqlx look
    // each name up, which grows with the square of the count. At most 32 766 per statement.
    let per_stmt = match backend {
        Backend::Sqlite => 32_000 / columns.len(),
        Backend::Postgres => 1_000 / columns.len(),
    }
    .max(1);
    for chunk in values.chunks(per_stmt * columns.len()) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        for (n, _) in chunk.iter().enumerate() {
            let j = n % columns.len();
            if j == 0 {
                sql.push_str(if n == 0 { "(" } else { "), (" });
            } else {
                sql.push_str(", ");
            }
            if backend == Backend::Sqlite {
                sql.push('?');
            } else {
                sql.push_str(&format!("${}", n + 1));
            }
        }
        sql.push(')');
        sql.push_str(on_conflict);
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = match *v {
                Val::Int(i) => q.bind(i),
                Val::Real(r) => q.bind(r),
                Val::Text(t) => q.bind(t),
            };
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

impl Db {
    pub async fn begin_bulk(&self) -> StoreResult<Bulk> {
        let mut tx = self.write.begin().await?;
        // The load counts its cases into the roll-ups itself (see `Bulk::cases`).
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
    /// Inserts rows, as few statements as the databases allow. Cases go through
    /// [`Bulk::cases`], which counts them into the roll-ups.
    pub async fn insert<R: Row>(&mut self, rows: &[R]) -> StoreResult<()> {
        if R::TABLE == CaseRow::TABLE {
            return Err(StoreError::Invalid(
                "cases are loaded with Bulk::cases, which counts them into the roll-ups".into(),
            ));
        }
        self.insert_any(rows).await
    }

    /// Inserts cases and counts them into the daily roll-ups.
    pub async fn cases(&mut self, rows: &[CaseRow]) -> StoreResult<()> {
        self.insert_any(rows).await?;
        add_to_rollups(&mut self.tx, self.backend, rows).await
    }

    async fn insert_any<R: Row>(&mut self, rows: &[R]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let table = R::TABLE;
        if R::COLUMNS.first() == Some(&"id") && !self.touched.contains(&table) {
            self.touched.push(table);
        }
        match self.rows.iter_mut().find(|(t, _)| *t == table) {
            Some((_, n)) => *n += rows.len(),
            None => self.rows.push((table, rows.len())),
        }
        insert_rows(&mut self.tx, self.backend, rows).await
    }

    /// Grants of a user created in this load.
    pub async fn grants(&mut self, user: i64, grants: &[Grant]) -> StoreResult<()> {
        let rows: Vec<GrantRow> = grants
            .iter()
            .map(|g| GrantRow {
                user_id: user,
                role: g.role.as_str().into(),
                unit_id: g.unit.map(|u| u.0),
                target_group: g.target_group.map(|t| t.as_str().into()),
            })
            .collect();
        self.insert(&rows).await
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
