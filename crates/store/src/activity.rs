//! What provider units did over a report's period, as the follow-up counts it: the daily
//! case roll-ups (kept by triggers, see migration 0005), cases closed, survey answers and the
//! surveys sent summed, and calls counted per UTC hour under each queue's own rule. Local
//! midnights fall on whole UTC hours, so the hours add up to local days and weeks exactly.

use serva_domain::followup::{CallCounts, QueueRule, SATISFIED_FROM};
use serva_domain::report::{ActivityPeriod, DayCount, HourCalls, SurveySums, UnitActivity};
use serva_domain::time::local_day;
use serva_domain::UnitId;

use crate::{Db, StoreResult};

impl Db {
    /// Each unit's activity over `period`, in the order asked.
    pub async fn unit_activity(
        &self,
        units: &[UnitId],
        period: &ActivityPeriod,
    ) -> StoreResult<Vec<UnitActivity>> {
        let mut out = Vec::with_capacity(units.len());
        for unit in units {
            out.push(self.activity_of(*unit, period).await?);
        }
        Ok(out)
    }

    async fn activity_of(&self, unit: UnitId, p: &ActivityPeriod) -> StoreResult<UnitActivity> {
        let (start_day, end_day) = (local_day(p.start), local_day(p.end));
        let days = sqlx::query_as::<_, (i64, String, String, i64, i64)>(
            "SELECT CAST(day AS BIGINT), channel, target_group, CAST(cases AS BIGINT), CAST(first_contact AS BIGINT) \
             FROM case_day_counts WHERE unit_id = $1 AND day >= $2 AND day < $3",
        )
        .bind(unit.0)
        .bind(start_day)
        .bind(end_day)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(|(day, channel, target_group, cases, first_contact)| DayCount {
            day,
            channel,
            target_group,
            cases,
            first_contact,
        })
        .collect();
        let (closed,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(closed), 0) AS BIGINT) FROM case_close_counts \
             WHERE unit_id = $1 AND created_day >= $2 AND created_day < $3 AND closed_day < $3",
        )
        .bind(unit.0)
        .bind(start_day)
        .bind(end_day)
        .fetch_one(&self.read)
        .await?;
        let (cases_prev_year,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM case_day_counts \
             WHERE unit_id = $1 AND day >= $2 AND day < $3",
        )
        .bind(unit.0)
        .bind(local_day(p.prev_start))
        .bind(local_day(p.prev_end))
        .fetch_one(&self.read)
        .await?;
        let (answers, score_sum, satisfied): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(s.score), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN s.score >= $4 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM case_surveys s JOIN cases c ON c.id = s.case_id \
             WHERE c.unit_id = $1 AND s.answered_at >= $2 AND s.answered_at < $3",
        )
        .bind(unit.0)
        .bind(p.start)
        .bind(p.end)
        .bind(SATISFIED_FROM)
        .fetch_one(&self.read)
        .await?;
        // The response rate counts the surveys Serva sent in the period (docs/surveys.md).
        let (sent, sent_answered): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) \
             FROM survey_invitations WHERE unit_id = $1 AND sent_at >= $2 AND sent_at < $3",
        )
        .bind(unit.0)
        .bind(p.start)
        .bind(p.end)
        .fetch_one(&self.read)
        .await?;
        let rule = self.queue_rule(unit.0).await?;
        let calls = self.calls_by_hour(unit, p.start, p.end, &rule).await?;
        Ok(UnitActivity {
            unit,
            days,
            closed,
            cases_prev_year,
            surveys: SurveySums {
                answers,
                score_sum,
                satisfied,
                sent,
                sent_answered,
            },
            rule,
            calls,
        })
    }

    /// A queue's calls from `start` to `end` (ms, UTC) counted per UTC hour under `rule`:
    /// the report's period, or the phone page's week.
    pub async fn calls_by_hour(
        &self,
        unit: UnitId,
        start: i64,
        end: i64,
        rule: &QueueRule,
    ) -> StoreResult<Vec<HourCalls>> {
        let calls = sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(
            "SELECT offered_at / 3600000, \
                    CAST(SUM(CASE WHEN answered = 1 THEN 1 ELSE 0 END) AS BIGINT), \
                    CAST(SUM(CASE WHEN answered = 1 AND wait_seconds <= $4 THEN 1 ELSE 0 END) AS BIGINT), \
                    CAST(SUM(CASE WHEN answered = 0 AND wait_seconds > $5 THEN 1 ELSE 0 END) AS BIGINT), \
                    CAST(SUM(CASE WHEN answered = 1 THEN wait_seconds ELSE 0 END) AS BIGINT) \
             FROM calls WHERE unit_id = $1 AND offered_at >= $2 AND offered_at < $3 \
             GROUP BY offered_at / 3600000",
        )
        .bind(unit.0)
        .bind(start)
        .bind(end)
        .bind(rule.answer_within_seconds)
        .bind(rule.abandon_grace_seconds)
        .fetch_all(&self.read)
        .await?
        .into_iter()
        .map(
            |(hour, answered, answered_in_time, abandoned, answered_wait_sum)| HourCalls {
                hour,
                counts: CallCounts {
                    answered,
                    answered_in_time,
                    abandoned,
                    answered_wait_sum,
                },
            },
        )
        .collect();
        Ok(calls)
    }

    /// A phone queue's settings, the defaults where none are stored.
    pub async fn queue_rule(&self, unit: i64) -> StoreResult<QueueRule> {
        let row: Option<(i64, i64, f64)> = sqlx::query_as(
            "SELECT answer_within_seconds, abandon_grace_seconds, target_percent FROM queue_settings WHERE unit_id = $1",
        )
        .bind(unit)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.map_or_else(QueueRule::default, |(a, g, t)| QueueRule {
            answer_within_seconds: a,
            abandon_grace_seconds: g,
            target_percent: t,
        }))
    }
}
