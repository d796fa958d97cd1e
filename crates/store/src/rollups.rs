//! Checking the case roll-ups (kept by triggers, see migrations 0005 and 0006) against the
//! cases themselves (each counted at the unit that first took it, migration 0014). The report
//! reads the roll-ups; this proves they say what the cases say,
//! and that each case stores the Stockholm days of its own times.

use std::collections::{BTreeMap, BTreeSet};

use serva_domain::time::local_day;

use crate::{Db, StoreResult};

/// (unit, day, channel, target group) → (cases, first-contact resolutions)
type DayKey = (i64, i64, String, String);
/// (unit, day created, day closed) → closed
type CloseKey = (i64, i64, i64);

impl Db {
    /// Every difference between the roll-ups and a count of the cases, as readable lines;
    /// empty when they agree. Reads every case, so it is for checks, not for pages.
    pub async fn case_rollup_mismatches(&self) -> StoreResult<Vec<String>> {
        type Raw = (
            i64,
            i64,
            i64,
            String,
            Option<String>,
            i64,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let raw: Vec<Raw> = sqlx::query_as(
            "SELECT id, COALESCE(origin_unit_id, unit_id), created_at, channel, target_group, first_contact_resolution, closed_at, \
             CAST(created_day AS BIGINT), CAST(closed_day AS BIGINT) FROM cases ORDER BY id",
        )
        .fetch_all(&self.read)
        .await?;
        let mut out = Vec::new();
        let mut days: BTreeMap<DayKey, (i64, i64)> = BTreeMap::new();
        let mut closes: BTreeMap<CloseKey, i64> = BTreeMap::new();
        for (id, unit, created, channel, group, fcr, closed, created_day, closed_day) in raw {
            let day = local_day(created);
            let closed_on = closed.map(local_day);
            if (created_day, closed_day) != (Some(day), closed_on) {
                out.push(format!(
                    "case {id}: stores days {:?}, its times fall on {:?}",
                    (created_day, closed_day),
                    (Some(day), closed_on)
                ));
            }
            let e = days
                .entry((unit, day, channel, group.unwrap_or_default()))
                .or_default();
            e.0 += 1;
            e.1 += fcr;
            if let Some(c) = closed_on {
                *closes.entry((unit, day, c)).or_default() += 1;
            }
        }
        let stored_days: Vec<(i64, i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT CAST(unit_id AS BIGINT), CAST(day AS BIGINT), channel, target_group, CAST(cases AS BIGINT), \
             CAST(first_contact AS BIGINT) FROM case_day_counts WHERE cases <> 0 OR first_contact <> 0",
        )
        .fetch_all(&self.read)
        .await?;
        let stored_closes: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT CAST(unit_id AS BIGINT), CAST(created_day AS BIGINT), CAST(closed_day AS BIGINT), \
             CAST(closed AS BIGINT) FROM case_close_counts WHERE closed <> 0",
        )
        .fetch_all(&self.read)
        .await?;
        let stored_days: BTreeMap<DayKey, (i64, i64)> = stored_days
            .into_iter()
            .map(|(u, d, c, g, n, f)| ((u, d, c, g), (n, f)))
            .collect();
        let stored_closes: BTreeMap<CloseKey, i64> = stored_closes
            .into_iter()
            .map(|(u, c, d, n)| ((u, c, d), n))
            .collect();
        let day_keys: BTreeSet<&DayKey> = days.keys().chain(stored_days.keys()).collect();
        for k in day_keys {
            let (want, have) = (days.get(k), stored_days.get(k));
            if want != have {
                out.push(format!(
                    "day counts {k:?}: cases say {want:?}, roll-up says {have:?}"
                ));
            }
        }
        let close_keys: BTreeSet<&CloseKey> = closes.keys().chain(stored_closes.keys()).collect();
        for k in close_keys {
            let (want, have) = (closes.get(k), stored_closes.get(k));
            if want != have {
                out.push(format!(
                    "closings {k:?}: cases say {want:?}, roll-up says {have:?}"
                ));
            }
        }
        Ok(out)
    }
}
