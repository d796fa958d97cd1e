//! Time recorded on cases: written, changed and removed by the person who recorded it until
//! a locked billing run charges it; read per case, and per month for a run (entries on cases
//! of per-hour services bought by a unit).

use chrono::NaiveDate;
use serva_domain::billing::hours::TimeEntry;
use serva_domain::billing::money::Milli;
use serva_domain::billing::run::Source;
use serva_domain::time::{day_date, day_number};
use serva_domain::{CaseId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::billing::{month_days, Billable};
use crate::{Db, StoreError, StoreResult};

type EntryRow = (i64, i64, i64, String, i64, i64, String, i64);

const SELECT: &str = "SELECT t.id, t.case_id, t.user_id, u.display_name, t.day, t.hours_milli, t.note, \
       CASE WHEN EXISTS (SELECT 1 FROM charge_lines l WHERE l.source_kind = 'time' AND l.source_id = t.id) \
            THEN 1 ELSE 0 END \
     FROM time_entries t JOIN users u ON u.id = t.user_id";

fn entry((id, case_id, user_id, user_name, day, hours, note, charged): EntryRow) -> TimeEntry {
    TimeEntry {
        id,
        case_id,
        user_id,
        user_name,
        day: day_date(day),
        hours: Milli(hours),
        note,
        charged: charged != 0,
    }
}

/// What a time entry says, as written.
#[derive(Debug, Clone)]
pub struct TimeInput {
    pub day: NaiveDate,
    pub hours: Milli,
    pub note: String,
}

impl Db {
    /// A case's time entries, by day and when they were made.
    pub async fn time_entries_of_case(&self, case: CaseId) -> StoreResult<Vec<TimeEntry>> {
        let rows: Vec<EntryRow> = sqlx::query_as(&format!(
            "{SELECT} WHERE t.case_id = $1 ORDER BY t.day, t.id"
        ))
        .bind(case.0)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(entry).collect())
    }

    pub async fn time_entry(&self, id: i64) -> StoreResult<Option<TimeEntry>> {
        let row: Option<EntryRow> = sqlx::query_as(&format!("{SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.map(entry))
    }

    /// The hours a person has recorded on a day, every case together, besides `except`.
    pub async fn hours_of_day(
        &self,
        user: UserId,
        day: NaiveDate,
        except: Option<i64>,
    ) -> StoreResult<Milli> {
        let sum: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(hours_milli) AS BIGINT) FROM time_entries \
             WHERE user_id = $1 AND day = $2 AND id <> $3",
        )
        .bind(user.0)
        .bind(day_number(day))
        .bind(except.unwrap_or(0))
        .fetch_one(&self.read)
        .await?;
        Ok(Milli(sum.unwrap_or(0)))
    }

    pub async fn add_time_entry(
        &self,
        user: UserId,
        case: CaseId,
        t: &TimeInput,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_audited(Some(user)).await?;
        let now = tx.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO time_entries (case_id, user_id, day, hours_milli, note, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(case.0)
        .bind(user.0)
        .bind(day_number(t.day))
        .bind(t.hours.0)
        .bind(&t.note)
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        tx.commit(
            Change::new(Action::Create, Entity::TimeEntry(id)).after(serde_json::json!({
                "case": case.0, "day": t.day.to_string(), "hours_milli": t.hours.0, "note": t.note
            })),
        )
        .await?;
        Ok(id)
    }

    /// Changes an entry not yet charged; a charged one is refused (a conflict).
    pub async fn update_time_entry(
        &self,
        user: UserId,
        before: &TimeEntry,
        t: &TimeInput,
    ) -> StoreResult<()> {
        let mut tx = self.begin_audited(Some(user)).await?;
        let now = tx.now;
        let done = sqlx::query(
            "UPDATE time_entries SET day = $1, hours_milli = $2, note = $3, updated_at = $4 \
             WHERE id = $5 AND NOT EXISTS (SELECT 1 FROM charge_lines l \
                 WHERE l.source_kind = 'time' AND l.source_id = time_entries.id)",
        )
        .bind(day_number(t.day))
        .bind(t.hours.0)
        .bind(&t.note)
        .bind(now)
        .bind(before.id)
        .execute(tx.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(charged());
        }
        tx.commit(
            Change::new(Action::Update, Entity::TimeEntry(before.id))
                .before(serde_json::json!({
                    "day": before.day.to_string(), "hours_milli": before.hours.0, "note": before.note
                }))
                .after(serde_json::json!({
                    "day": t.day.to_string(), "hours_milli": t.hours.0, "note": t.note
                })),
        )
        .await
    }

    pub async fn delete_time_entry(&self, user: UserId, before: &TimeEntry) -> StoreResult<()> {
        let mut tx = self.begin_audited(Some(user)).await?;
        let done = sqlx::query(
            "DELETE FROM time_entries WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM charge_lines l \
                 WHERE l.source_kind = 'time' AND l.source_id = time_entries.id)",
        )
        .bind(before.id)
        .execute(tx.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(charged());
        }
        tx.commit(
            Change::new(Action::Delete, Entity::TimeEntry(before.id)).before(serde_json::json!({
                "case": before.case_id, "day": before.day.to_string(),
                "hours_milli": before.hours.0, "note": before.note
            })),
        )
        .await
    }

    /// The month's time not yet charged: entries of the month (by their day) on cases of
    /// per-hour services whose customer is a unit.
    pub async fn billable_time(&self, month: &str) -> StoreResult<Vec<Billable>> {
        let (first, last) = month_days(month)
            .ok_or_else(|| StoreError::Invalid(format!("month {month:?} must be YYYY-MM")))?;
        let rows: Vec<crate::billing::BillableRow> = sqlx::query_as(
            "SELECT t.id, t.day, t.hours_milli, c.unit_id, c.customer_unit_id, c.service_id, \
                    pu.code, cu.code, s.code \
             FROM time_entries t \
             JOIN cases c ON c.id = t.case_id \
             JOIN services s ON s.id = c.service_id \
             JOIN units pu ON pu.id = c.unit_id \
             JOIN units cu ON cu.id = c.customer_unit_id \
             WHERE t.day BETWEEN $1 AND $2 AND s.price_model = 'per_hour' \
               AND NOT EXISTS (SELECT 1 FROM charge_lines l \
                               WHERE l.source_kind = 'time' AND l.source_id = t.id) \
             ORDER BY t.id",
        )
        .bind(day_number(first))
        .bind(day_number(last))
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| Billable::from_row(Source::Time, row))
            .collect())
    }
}

fn charged() -> StoreError {
    StoreError::Conflict(
        "the time entry is charged in a locked billing run and can no longer change".into(),
    )
}
