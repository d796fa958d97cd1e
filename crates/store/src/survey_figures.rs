//! The survey figures' sums: the surveys sent by a set of units in a period, summed per unit,
//! service, channel, agent and week, and their comments (docs/surveys.md). The figures
//! themselves are the domain's (`serva_domain::survey::figures`).

use serva_domain::case::CaseNumber;
use serva_domain::survey::{week_label, FigureSums, Group, GroupSums, RawComment, POSITIVE_FROM};
use serva_domain::{CaseId, UnitId, UserId};
use sqlx::Row;

use crate::surveys::corrupt;
use crate::{Db, StoreResult};

impl Db {
    /// The sums of the surveys sent by `units` from `from` to `to` (ms, UTC), per unit,
    /// service, channel, agent and week, and their comments (newest first, at most
    /// `comment_limit`).
    pub async fn survey_figure_sums(
        &self,
        units: &[UnitId],
        from: i64,
        to: i64,
        comment_limit: i64,
    ) -> StoreResult<FigureSums> {
        if units.is_empty() {
            return Ok(FigureSums::default());
        }
        let list: Vec<String> = (0..units.len()).map(|i| format!("${}", i + 3)).collect();
        let within = format!(
            "i.unit_id IN ({}) AND i.sent_at >= $1 AND i.sent_at < $2",
            list.join(", ")
        );
        let by_unit = self
            .survey_groups(
                "un.code",
                "un.name",
                "JOIN units un ON un.id = i.unit_id",
                "un.code, un.name",
                &within,
                units,
                from,
                to,
            )
            .await?;
        let by_service = self
            .survey_groups(
                "sv.code",
                "sv.name",
                "JOIN services sv ON sv.id = i.service_id",
                "sv.code, sv.name",
                &within,
                units,
                from,
                to,
            )
            .await?;
        let by_channel = self
            .survey_groups(
                "i.channel",
                "i.channel",
                "",
                "i.channel",
                &within,
                units,
                from,
                to,
            )
            .await?;
        let by_agent = self
            .survey_groups(
                "COALESCE(CAST(i.agent_id AS TEXT), '')",
                "COALESCE(u.display_name, '')",
                "LEFT JOIN users u ON u.id = i.agent_id",
                "i.agent_id, u.display_name",
                &within,
                units,
                from,
                to,
            )
            .await?;
        let mut by_week = self
            .survey_groups(
                "CAST(i.sent_week AS TEXT)",
                "CAST(i.sent_week AS TEXT)",
                "",
                "i.sent_week",
                &within,
                units,
                from,
                to,
            )
            .await?;
        for g in &mut by_week {
            let monday: i64 = g.key.parse().map_err(|_| corrupt("survey week", &g.key))?;
            g.label = week_label(monday);
        }
        by_week.sort_by_key(|a| a.key.parse::<i64>().ok());
        let sql = format!(
            "SELECT i.case_id, c.created_at, i.agent_id, u.display_name, sv.name AS service_name, i.channel, \
             i.sent_week, s.score, s.comment, s.answered_at \
             FROM survey_invitations i JOIN case_surveys s ON s.case_id = i.case_id \
             JOIN cases c ON c.id = i.case_id JOIN services sv ON sv.id = i.service_id \
             LEFT JOIN users u ON u.id = i.agent_id \
             WHERE {within} AND s.comment IS NOT NULL ORDER BY s.answered_at DESC, i.case_id DESC LIMIT {comment_limit}"
        );
        let mut q = sqlx::query(&sql).bind(from).bind(to);
        for u in units {
            q = q.bind(u.0);
        }
        let mut comments = Vec::new();
        for r in q.fetch_all(&self.read).await? {
            let case = CaseId(r.try_get("case_id")?);
            let created_at: i64 = r.try_get("created_at")?;
            comments.push(RawComment {
                case: CaseNumber {
                    year: chrono::Datelike::year(&serva_domain::time::to_local(created_at)),
                    id: case,
                },
                agent: r.try_get::<Option<i64>, _>("agent_id")?.map(UserId),
                agent_name: r.try_get("display_name")?,
                service_name: r.try_get("service_name")?,
                channel: r.try_get("channel")?,
                week: r.try_get("sent_week")?,
                score: r.try_get("score")?,
                text: r.try_get("comment")?,
                answered_at: r.try_get("answered_at")?,
            });
        }
        Ok(FigureSums {
            by_unit,
            by_service,
            by_channel,
            by_agent,
            by_week,
            comments,
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn survey_groups(
        &self,
        key: &str,
        label: &str,
        join: &str,
        group: &str,
        within: &str,
        units: &[UnitId],
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<Group>> {
        let dim = |col: &str| {
            format!(
                "CAST(COALESCE(SUM(CASE WHEN s.{col} >= {POSITIVE_FROM} THEN 1 ELSE 0 END), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN s.{col} IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT)"
            )
        };
        let sql = format!(
            "SELECT {key} AS k, {label} AS l, COUNT(*), \
             CAST(COALESCE(SUM(CASE WHEN s.case_id IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(s.score), 0) AS BIGINT), {}, {}, {}, \
             CAST(COALESCE(SUM(CASE WHEN s.comment IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) \
             FROM survey_invitations i LEFT JOIN case_surveys s ON s.case_id = i.case_id {join} \
             WHERE {within} GROUP BY {group} ORDER BY {group}",
            dim("engagement"),
            dim("general_satisfaction"),
            dim("resolution"),
        );
        let mut q = sqlx::query(&sql).bind(from).bind(to);
        for u in units {
            q = q.bind(u.0);
        }
        let mut out = Vec::new();
        for r in q.fetch_all(&self.read).await? {
            let n = |i: usize| r.try_get::<i64, _>(i);
            out.push(Group {
                key: r.try_get("k")?,
                label: r.try_get("l")?,
                sums: GroupSums {
                    sent: n(2)?,
                    answered: n(3)?,
                    score_sum: n(4)?,
                    dimensions: [(n(5)?, n(6)?), (n(7)?, n(8)?), (n(9)?, n(10)?)],
                    comments: n(11)?,
                },
            });
        }
        Ok(out)
    }
}
