//! The counts behind the manager's overview (docs/overview.md), each one grouped in SQL over
//! the indexed columns it needs: a unit's open cases through `cases_queue`, the clocks that
//! stopped in a span through `cases_first_response` and `cases_resolved`, breaches through
//! `case_sla_breaches_unit` or `case_sla_breaches_due`, a department's open cases through
//! `cases_customer_active`. SQLite is told which index to use where its planner, without
//! statistics, would rather read a unit's whole history by `cases_unit_id`.

use serva_domain::case::{Case, CaseStatus};
use serva_domain::overview::{AgeBucket, OpenCount, ProviderServiceCount, SlaPeriodCounts, Totals};
use serva_domain::sla::ClockKind;
use serva_domain::{CaseId, ServiceId, UnitId, UserId};
use sqlx::Row;

use crate::cases::{near_target_sql, past_target_sql, CASE_COLUMNS_SQL, CASE_JOINS};
use crate::rows::CaseRow;
use crate::{Backend, Db, StoreError, StoreResult};

pub(crate) const ACTIVE: &str =
    "c.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')";

/// Whose cases: a provider unit's queue, or the cases ordered by some customer units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverviewScope<'a> {
    Unit(UnitId),
    Customers(&'a [UnitId]),
}

impl OverviewScope<'_> {
    /// The condition on `cases c`. Only integers are put into the text.
    fn cases(&self) -> String {
        match self {
            OverviewScope::Unit(u) => format!("c.unit_id = {}", u.0),
            OverviewScope::Customers(units) => {
                format!("c.customer_unit_id IN ({})", id_list(units))
            }
        }
    }
}

fn id_list(ids: &[UnitId]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter()
        .map(|u| u.0.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// `SUM(CASE WHEN cond THEN 1 ELSE 0 END)`, never null.
pub(crate) fn count_if(cond: &str) -> String {
    format!("COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)")
}

impl Db {
    /// `INDEXED BY index` on SQLite (after a table and its alias), nothing on PostgreSQL.
    pub(crate) fn use_index(&self, index: &str) -> String {
        match self.backend() {
            Backend::Sqlite => format!(" INDEXED BY {index}"),
            Backend::Postgres => String::new(),
        }
    }

    /// A provider unit's open cases per assignee and status at `now`: how many, near and past
    /// their target, the oldest, and per age bucket.
    pub async fn open_counts(&self, unit: UnitId, now: i64) -> StoreResult<Vec<OpenCount>> {
        let ages: Vec<String> = AgeBucket::ALL
            .iter()
            .map(|b| {
                let (after, upto) = b.created_between(now);
                let lower = after.map_or(String::new(), |a| format!("c.created_at > {a} AND "));
                count_if(&format!("{lower}c.created_at <= {upto}"))
            })
            .collect();
        let sql = format!(
            "SELECT g.*, u.display_name FROM (SELECT c.assignee_id, c.status, COUNT(*) AS cases, {near} AS near, \
             {past} AS past, MIN(c.created_at) AS oldest, {ages} \
             FROM cases c WHERE c.unit_id = $1 AND {ACTIVE} GROUP BY c.assignee_id, c.status) g \
             LEFT JOIN users u ON u.id = g.assignee_id",
            near = count_if(&near_target_sql(now)),
            past = count_if(&past_target_sql(now)),
            ages = ages
                .iter()
                .enumerate()
                .map(|(i, a)| format!("{a} AS age{i}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        let rows = sqlx::query(&sql).bind(unit.0).fetch_all(&self.read).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let status: String = r.try_get("status")?;
            let mut ages = [0i64; 5];
            for (i, a) in ages.iter_mut().enumerate() {
                *a = r.try_get(format!("age{i}").as_str())?;
            }
            out.push(OpenCount {
                assignee: r.try_get::<Option<i64>, _>("assignee_id")?.map(UserId),
                assignee_name: r.try_get("display_name")?,
                status: CaseStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("case status {status:?}")))?,
                cases: r.try_get("cases")?,
                near_target: r.try_get("near")?,
                past_target: r.try_get("past")?,
                oldest_created_at: r.try_get("oldest")?,
                ages,
            });
        }
        Ok(out)
    }

    /// For each span (`from` included, `to` excluded; ms, UTC), the SLA clocks of `scope`'s
    /// cases that stopped in it without a breach, and the breaches whose due time fell in it.
    /// A first response stops at the first reply the customer saw, or — for a case resolved
    /// without one — at the resolution; a resolution at the case's (latest) resolution.
    pub async fn sla_period_counts(
        &self,
        scope: OverviewScope<'_>,
        spans: &[(i64, i64)],
    ) -> StoreResult<Vec<SlaPeriodCounts>> {
        let mut out = vec![SlaPeriodCounts::default(); spans.len()];
        let (Some(from), Some(to)) = (
            spans.iter().map(|s| s.0).min(),
            spans.iter().map(|s| s.1).max(),
        ) else {
            return Ok(out);
        };
        let within = |col: &str| -> String {
            spans
                .iter()
                .enumerate()
                .map(|(i, (a, b))| {
                    format!(
                        "{} AS n{i}",
                        count_if(&format!("{col} >= {a} AND {col} < {b}"))
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let unbreached = |clock: ClockKind| {
            format!(
                "NOT EXISTS (SELECT 1 FROM case_sla_breaches b WHERE b.case_id = c.id AND b.clock = '{}')",
                clock.as_str()
            )
        };
        let cases = scope.cases();
        let by_reply = format!(
            "SELECT {n} FROM cases c{hint} WHERE c.first_response_at IS NOT NULL AND c.first_response_at >= $1 \
             AND c.first_response_at < $2 AND {cases} AND c.sla_first_response_due IS NOT NULL AND {ok}",
            n = within("c.first_response_at"),
            hint = self.use_index("cases_first_response"),
            ok = unbreached(ClockKind::FirstResponse),
        );
        let resolved = |extra: &str, clock: ClockKind| {
            format!(
                "SELECT {n} FROM cases c{hint} WHERE c.resolved_at IS NOT NULL AND c.resolved_at >= $1 \
                 AND c.resolved_at < $2 AND {cases} AND {extra} AND {ok}",
                n = within("c.resolved_at"),
                hint = self.use_index("cases_resolved"),
                ok = unbreached(clock),
            )
        };
        let by_resolution = resolved(
            "c.first_response_at IS NULL AND c.sla_first_response_due IS NOT NULL",
            ClockKind::FirstResponse,
        );
        let resolutions = resolved("c.sla_resolution_due IS NOT NULL", ClockKind::Resolution);
        for (sql, first_response) in [
            (by_reply, true),
            (by_resolution, true),
            (resolutions, false),
        ] {
            let r = sqlx::query(&sql)
                .bind(from)
                .bind(to)
                .fetch_one(&self.read)
                .await?;
            for (i, c) in out.iter_mut().enumerate() {
                let n: i64 = r.try_get(i)?;
                if first_response {
                    c.first_response_met += n;
                } else {
                    c.resolution_met += n;
                }
            }
        }
        let breaches = match scope {
            OverviewScope::Unit(u) => format!(
                "SELECT b.clock, {n} FROM case_sla_breaches b WHERE b.unit_id = {u} AND b.due_at >= $1 \
                 AND b.due_at < $2 GROUP BY b.clock",
                n = within("b.due_at"),
                u = u.0,
            ),
            OverviewScope::Customers(_) => format!(
                "SELECT b.clock, {n} FROM case_sla_breaches b{hint} JOIN cases c ON c.id = b.case_id \
                 WHERE b.due_at >= $1 AND b.due_at < $2 AND {cases} GROUP BY b.clock",
                n = within("b.due_at"),
                hint = self.use_index("case_sla_breaches_due"),
            ),
        };
        for r in sqlx::query(&breaches)
            .bind(from)
            .bind(to)
            .fetch_all(&self.read)
            .await?
        {
            let clock: String = r.try_get(0)?;
            let k = ClockKind::ALL
                .iter()
                .position(|c| c.as_str() == clock)
                .ok_or_else(|| StoreError::Corrupt(format!("SLA clock {clock:?}")))?;
            for (i, c) in out.iter_mut().enumerate() {
                c.breaches[k] += r.try_get::<i64, _>(i + 1)?;
            }
        }
        Ok(out)
    }

    /// The cases of customer units `customers` per provider unit and service: open at `now`
    /// (near and past target among them), resolved in `month`, and the breaches due in it.
    pub async fn customer_counts(
        &self,
        customers: &[UnitId],
        now: i64,
        month: (i64, i64),
    ) -> StoreResult<Vec<ProviderServiceCount>> {
        let cases = OverviewScope::Customers(customers).cases();
        let names = "JOIN units pu ON pu.id = c.unit_id JOIN services s ON s.id = c.service_id";
        let keys = "c.unit_id, pu.code, pu.name, c.service_id, s.code, s.name";
        // Every count a BIGINT, as COUNT(*) is, so each column decodes alike on both databases.
        let zero = "CAST(0 AS BIGINT)";
        let open = format!(
            "SELECT {keys}, COUNT(*), {near}, {past}, {zero}, {zero} FROM cases c{hint} {names} \
             WHERE {cases} AND {ACTIVE} GROUP BY {keys}",
            near = count_if(&near_target_sql(now)),
            past = count_if(&past_target_sql(now)),
            hint = self.use_index("cases_customer_active"),
        );
        let closed = format!(
            "SELECT {keys}, {zero}, {zero}, {zero}, COUNT(*), {zero} FROM cases c{hint} {names} \
             WHERE c.resolved_at IS NOT NULL AND c.resolved_at >= $1 AND c.resolved_at < $2 AND {cases} \
             GROUP BY {keys}",
            hint = self.use_index("cases_resolved"),
        );
        let breaches = format!(
            "SELECT {keys}, {zero}, {zero}, {zero}, {zero}, COUNT(*) FROM case_sla_breaches b{hint} JOIN cases c ON c.id = b.case_id {names} \
             WHERE b.due_at >= $1 AND b.due_at < $2 AND {cases} GROUP BY {keys}",
            hint = self.use_index("case_sla_breaches_due"),
        );
        let mut out: Vec<ProviderServiceCount> = Vec::new();
        for (sql, spanned) in [(open, false), (closed, true), (breaches, true)] {
            let mut q = sqlx::query(&sql);
            if spanned {
                q = q.bind(month.0).bind(month.1);
            }
            for r in q.fetch_all(&self.read).await? {
                let unit = UnitId(r.try_get(0)?);
                let service = ServiceId(r.try_get(3)?);
                let counts = Totals {
                    open: r.try_get(6)?,
                    near_target: r.try_get(7)?,
                    past_target: r.try_get(8)?,
                    closed_this_month: r.try_get(9)?,
                    breaches_this_month: r.try_get(10)?,
                };
                match out
                    .iter_mut()
                    .find(|o| o.unit == unit && o.service == service)
                {
                    Some(o) => o.counts.add(&counts),
                    None => out.push(ProviderServiceCount {
                        unit,
                        unit_code: r.try_get(1)?,
                        unit_name: r.try_get(2)?,
                        service,
                        service_code: r.try_get(4)?,
                        service_name: r.try_get(5)?,
                        counts,
                    }),
                }
            }
        }
        Ok(out)
    }

    /// Open cases of customer units `customers`, the earliest due first: at most `limit`, and
    /// whether there are more.
    pub async fn customer_open_cases(
        &self,
        customers: &[UnitId],
        limit: i64,
    ) -> StoreResult<(Vec<Case>, bool)> {
        let sql = format!(
            "{CASE_COLUMNS_SQL} FROM cases c{hint} {CASE_JOINS} WHERE {cases} AND {ACTIVE} \
             ORDER BY COALESCE(c.sla_due_at, 9223372036854775807), c.id LIMIT {n}",
            hint = self.use_index("cases_customer_active"),
            cases = OverviewScope::Customers(customers).cases(),
            n = limit + 1,
        );
        let mut cases: Vec<Case> = sqlx::query_as::<_, CaseRow>(&sql)
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        let more = cases.len() as i64 > limit;
        cases.truncate(limit.max(0) as usize);
        Ok((cases, more))
    }

    /// Cases of customer units `customers` resolved or closed since `since`, the latest
    /// resolution first, at most `limit`.
    pub async fn customer_recent_cases(
        &self,
        customers: &[UnitId],
        since: i64,
        limit: i64,
    ) -> StoreResult<Vec<Case>> {
        let sql = format!(
            "{CASE_COLUMNS_SQL} FROM cases c{hint} {CASE_JOINS} WHERE c.resolved_at IS NOT NULL AND c.resolved_at >= $1 \
             AND {cases} ORDER BY c.resolved_at DESC, c.id DESC LIMIT {limit}",
            hint = self.use_index("cases_resolved"),
            cases = OverviewScope::Customers(customers).cases(),
        );
        Ok(sqlx::query_as::<_, CaseRow>(&sql)
            .bind(since)
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect())
    }

    /// The provider unit of each of `ids` that exists.
    pub async fn case_units(&self, ids: &[CaseId]) -> StoreResult<Vec<(CaseId, UnitId)>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let list = chunk
                .iter()
                .map(|c| c.0.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
                "SELECT id, unit_id FROM cases WHERE id IN ({list})"
            ))
            .fetch_all(&self.read)
            .await?;
            out.extend(rows.into_iter().map(|(c, u)| (CaseId(c), UnitId(u))));
        }
        Ok(out)
    }
}
