//! Business calendars of provider units: the week's opening hours, public holidays on or off,
//! the warning share, and the unit's own days. A unit without a row has the default calendar
//! (`CalendarSettings::default`). Every change marks the unit's open cases for recomputation
//! in its own transaction and then recomputes them in one batch (see `sla`).

use std::collections::HashMap;

use serva_domain::calendar::{CalendarSettings, Hours, SpecialDay};
use serva_domain::UnitId;
use serva_domain::UserId;
use sqlx::AnyConnection;

use crate::audit::{Action, Change, Entity};
use crate::sla::{Recomputed, SlaScope};
use crate::{Db, StoreError, StoreResult};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn week_columns() -> String {
    DAYS.iter()
        .map(|d| format!("{d}_open, {d}_close"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Minutes read from the database into hours; anything out of range is an error, not a
/// default.
fn hours_of(open: Option<i64>, close: Option<i64>, what: &str) -> StoreResult<Option<Hours>> {
    match (open, close) {
        (None, None) => Ok(None),
        (Some(o), Some(c)) => {
            let minutes = |m: i64| u16::try_from(m).ok();
            match (minutes(o), minutes(c)) {
                (Some(o), Some(c)) => Hours::new(o, c)
                    .map(Some)
                    .map_err(|e| StoreError::Corrupt(format!("{what}: {e}"))),
                _ => Err(StoreError::Corrupt(format!("{what}: {o}–{c} minutes"))),
            }
        }
        _ => Err(StoreError::Corrupt(format!(
            "{what}: an opening time without a closing time"
        ))),
    }
}

/// A row of `unit_calendar_days`: unit, date, opening and closing minute, note.
type DayRow = (i64, String, Option<i64>, Option<i64>, String);

/// The calendars of `units` (the default for those without one).
pub(crate) async fn load(
    conn: &mut AnyConnection,
    units: &[i64],
) -> StoreResult<HashMap<i64, CalendarSettings>> {
    let mut out: HashMap<i64, CalendarSettings> = units
        .iter()
        .map(|&u| (u, CalendarSettings::default()))
        .collect();
    if units.is_empty() {
        return Ok(out);
    }
    let list = units
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let rows = sqlx::query(&format!(
        "SELECT unit_id, {}, public_holidays, warn_percent FROM unit_calendars WHERE unit_id IN ({list})",
        week_columns()
    ))
    .fetch_all(&mut *conn)
    .await?;
    use sqlx::Row;
    for r in rows {
        let unit: i64 = r.try_get("unit_id")?;
        let mut week = [None; 7];
        for (i, d) in DAYS.iter().enumerate() {
            week[i] = hours_of(
                r.try_get(format!("{d}_open").as_str())?,
                r.try_get(format!("{d}_close").as_str())?,
                &format!("unit {unit} {d}"),
            )?;
        }
        let warn: i64 = r.try_get("warn_percent")?;
        let holidays: i64 = r.try_get("public_holidays")?;
        let s = out.entry(unit).or_default();
        s.week = week;
        s.public_holidays = match holidays {
            0 => false,
            1 => true,
            n => return Err(StoreError::Corrupt(format!("unit {unit}: holidays {n}"))),
        };
        s.warn_percent = u8::try_from(warn)
            .ok()
            .filter(|w| (1..=99).contains(w))
            .ok_or_else(|| StoreError::Corrupt(format!("unit {unit}: warn share {warn}")))?;
    }
    let days: Vec<DayRow> = sqlx::query_as(&format!(
        "SELECT unit_id, day, open_minute, close_minute, note FROM unit_calendar_days \
         WHERE unit_id IN ({list}) ORDER BY unit_id, day"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (unit, day, open, close, note) in days {
        let what = format!("unit {unit} day {day}");
        let date = serva_domain::calendar::parse_date(&day)
            .map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))?;
        let hours = hours_of(open, close, &what)?;
        out.entry(unit)
            .or_default()
            .special_days
            .push(SpecialDay { date, hours, note });
    }
    Ok(out)
}

impl Db {
    /// A unit's calendar as an administrator edits it.
    pub async fn calendar_settings(&self, unit: UnitId) -> StoreResult<CalendarSettings> {
        let mut conn = self.read.acquire().await?;
        let mut all = load(&mut conn, &[unit.0]).await?;
        Ok(all.remove(&unit.0).unwrap_or_default())
    }

    /// The units that have a calendar of their own (the others have the default).
    pub async fn units_with_calendar(&self) -> StoreResult<Vec<UnitId>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT unit_id FROM unit_calendars UNION SELECT unit_id FROM unit_calendar_days",
        )
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(|r| UnitId(r.0)).collect())
    }

    /// Saves a unit's week, holidays and warning share, then recomputes its open cases.
    pub async fn save_calendar_week(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        s: &CalendarSettings,
    ) -> StoreResult<Recomputed> {
        s.check().map_err(|e| StoreError::Invalid(e.to_string()))?;
        let before = self.calendar_settings(unit).await?;
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let cols = week_columns();
        let params = (0..14).map(|i| format!("${}", i + 2)).collect::<Vec<_>>();
        let updates = DAYS
            .iter()
            .flat_map(|d| [format!("{d}_open"), format!("{d}_close")])
            .zip(&params)
            .map(|(c, p)| format!("{c} = {p}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO unit_calendars (unit_id, {cols}, public_holidays, warn_percent, updated_at) \
             VALUES ($1, {}, $16, $17, $18) ON CONFLICT (unit_id) DO UPDATE SET {updates}, \
             public_holidays = $16, warn_percent = $17, updated_at = $18",
            params.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(unit.0);
        for h in s.week {
            q = q
                .bind(h.map(|h| i64::from(h.open)))
                .bind(h.map(|h| i64::from(h.close)));
        }
        q.bind(i64::from(s.public_holidays))
            .bind(i64::from(s.warn_percent))
            .bind(now)
            .execute(tx.conn())
            .await?;
        crate::sla::mark_stale(tx.conn(), SlaScope::Unit(unit)).await?;
        tx.commit(
            Change::new(Action::Save, Entity::Unit(unit))
                .before(serde_json::json!({ "calendar": week_json(&before) }))
                .after(serde_json::json!({ "calendar": week_json(s) })),
        )
        .await?;
        self.recompute_sla(SlaScope::Unit(unit), serva_domain::time::now_ms())
            .await
    }

    /// Adds or changes one of the unit's own days, then recomputes its open cases.
    pub async fn set_calendar_day(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        day: &SpecialDay,
    ) -> StoreResult<Recomputed> {
        let count: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM unit_calendar_days WHERE unit_id = $1")
                .bind(unit.0)
                .fetch_one(&self.read)
                .await?;
        if count.0 >= serva_domain::calendar::SPECIAL_DAYS_MAX as i64 {
            return Err(StoreError::Invalid(
                serva_domain::calendar::BadHours::TooManyDays.to_string(),
            ));
        }
        let mut tx = self.begin_audited(actor).await?;
        let date = day.date.format("%Y-%m-%d").to_string();
        sqlx::query(
            "INSERT INTO unit_calendar_days (unit_id, day, open_minute, close_minute, note) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id, day) DO UPDATE SET \
             open_minute = $3, close_minute = $4, note = $5",
        )
        .bind(unit.0)
        .bind(&date)
        .bind(day.hours.map(|h| i64::from(h.open)))
        .bind(day.hours.map(|h| i64::from(h.close)))
        .bind(&day.note)
        .execute(tx.conn())
        .await?;
        crate::sla::mark_stale(tx.conn(), SlaScope::Unit(unit)).await?;
        tx.commit(
            Change::new(Action::Save, Entity::Unit(unit)).after(serde_json::json!({
                "calendar_day": date,
                "hours": day.hours.map(|h| h.text()),
                "note": day.note,
            })),
        )
        .await?;
        self.recompute_sla(SlaScope::Unit(unit), serva_domain::time::now_ms())
            .await
    }

    /// Removes one of the unit's own days (it follows the week and the holidays again).
    pub async fn remove_calendar_day(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        date: chrono::NaiveDate,
    ) -> StoreResult<Recomputed> {
        let date = date.format("%Y-%m-%d").to_string();
        let mut tx = self.begin_audited(actor).await?;
        let n = sqlx::query("DELETE FROM unit_calendar_days WHERE unit_id = $1 AND day = $2")
            .bind(unit.0)
            .bind(&date)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("calendar day"));
        }
        crate::sla::mark_stale(tx.conn(), SlaScope::Unit(unit)).await?;
        tx.commit(
            Change::new(Action::Delete, Entity::Unit(unit))
                .before(serde_json::json!({ "calendar_day": date })),
        )
        .await?;
        self.recompute_sla(SlaScope::Unit(unit), serva_domain::time::now_ms())
            .await
    }
}

fn week_json(s: &CalendarSettings) -> serde_json::Value {
    serde_json::json!({
        "week": s.week.iter().map(|h| h.map(|h| h.text())).collect::<Vec<_>>(),
        "public_holidays": s.public_holidays,
        "warn_percent": s.warn_percent,
    })
}
