//! The counts behind a unit's dashboard (docs/overview.md) that the overview's queries do not
//! already give: cases per day and channel from the roll-ups (a few rows per day, however many
//! cases), and the open cases older than given times from `cases_open_workload`. The service
//! level per week is `sla_period_counts` over the weeks, the satisfaction the survey figures'.

use serva_domain::UnitId;
use sqlx::Row;

use crate::overview::{count_if, ACTIVE};
use crate::{Db, StoreResult};

impl Db {
    /// The cases that came in to `unit` per Stockholm day and channel, days `from` (included)
    /// to `to` (excluded), counted at the unit that first took each case as the interim
    /// report counts them.
    pub async fn cases_per_day(
        &self,
        unit: UnitId,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<(i64, String, i64)>> {
        Ok(sqlx::query_as::<_, (i64, String, i64)>(
            "SELECT CAST(day AS BIGINT), channel, CAST(SUM(cases) AS BIGINT) FROM case_day_counts \
             WHERE unit_id = $1 AND day >= $2 AND day < $3 GROUP BY day, channel",
        )
        .bind(unit.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await?)
    }

    /// `unit`'s open cases now: how many in all, and how many came in before each of
    /// `before` (ms, UTC), read from the open cases' index alone.
    pub async fn open_before(
        &self,
        unit: UnitId,
        before: [i64; 3],
    ) -> StoreResult<(i64, [i64; 3])> {
        let sql = format!(
            "SELECT COUNT(*), {}, {}, {} FROM cases c{hint} WHERE c.unit_id = $1 AND {ACTIVE}",
            count_if(&format!("c.created_at < {}", before[0])),
            count_if(&format!("c.created_at < {}", before[1])),
            count_if(&format!("c.created_at < {}", before[2])),
            hint = self.use_index("cases_open_workload"),
        );
        let r = sqlx::query(&sql).bind(unit.0).fetch_one(&self.read).await?;
        Ok((r.try_get(0)?, [r.try_get(1)?, r.try_get(2)?, r.try_get(3)?]))
    }
}
