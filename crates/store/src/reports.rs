//! Approved reports, frozen: once approved, a report date of an administration is that
//! stored document, whatever changes in the data later. A date approved again after its data
//! changed gets a new version; every version is kept and the newest is the date's report.

use serva_domain::report::{ApprovedVersion, InterimReport};
use serva_domain::{UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

fn frozen(json: &str, through: &str) -> StoreResult<InterimReport> {
    serde_json::from_str(json).map_err(|e| {
        StoreError::Corrupt(format!(
            "the approved report of {through} cannot be read: {e}"
        ))
    })
}

fn version(v: i64) -> StoreResult<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("report version {v}")))
}

impl Db {
    /// The newest approved version of the interim report of `org` for `year` and `through`,
    /// if the date was approved.
    pub async fn approved_report(
        &self,
        org: UnitId,
        year: i32,
        through: &str,
    ) -> StoreResult<Option<InterimReport>> {
        Ok(self
            .approved_versions_of(org, year, through)
            .await?
            .into_iter()
            .next()
            .map(|v| v.report))
    }

    /// Every approved version of one report date, the newest first.
    pub async fn approved_versions_of(
        &self,
        org: UnitId,
        year: i32,
        through: &str,
    ) -> StoreResult<Vec<ApprovedVersion>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT version, body_json FROM reports \
             WHERE org_unit_id = $1 AND kind = 'interim' AND year = $2 AND through = $3 \
             ORDER BY version DESC",
        )
        .bind(org.0)
        .bind(i64::from(year))
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(v, json)| {
                Ok(ApprovedVersion {
                    version: version(v)?,
                    report: frozen(&json, through)?,
                })
            })
            .collect()
    }

    /// Every approved version of every report date of `org`: the latest date first, within a
    /// date the newest version first.
    pub async fn approved_versions(&self, org: UnitId) -> StoreResult<Vec<ApprovedVersion>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT version, through, body_json FROM reports \
             WHERE org_unit_id = $1 AND kind = 'interim' \
             ORDER BY through DESC, version DESC",
        )
        .bind(org.0)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(v, through, json)| {
                Ok(ApprovedVersion {
                    version: version(v)?,
                    report: frozen(&json, &through)?,
                })
            })
            .collect()
    }

    /// The approved report dates of `org` in `year` on or after `from` (`YYYY-MM-DD`): the
    /// dates whose approved versions a change made on `from` does not reach.
    pub async fn approved_dates_from(
        &self,
        org: UnitId,
        year: i32,
        from: &str,
    ) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT through FROM reports \
             WHERE org_unit_id = $1 AND kind = 'interim' AND year = $2 AND through >= $3 \
             ORDER BY through",
        )
        .bind(org.0)
        .bind(i64::from(year))
        .bind(from)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(|(t,)| t).collect())
    }

    /// Stores an approved report, approved by `actor` at `at` (ms), as the next version of
    /// its date: from now on the date's report is this document. Returns its version number.
    pub async fn save_approved_report(
        &self,
        actor: UserId,
        org: UnitId,
        at: i64,
        report: &InterimReport,
    ) -> StoreResult<u32> {
        let m = &report.meta;
        let json = serde_json::to_string(report).expect("the report serialises");
        let mut tx = self.begin_audited(Some(actor)).await?;
        let (latest,): (Option<i64>,) = sqlx::query_as(
            "SELECT MAX(version) FROM reports \
             WHERE org_unit_id = $1 AND kind = 'interim' AND year = $2 AND through = $3",
        )
        .bind(org.0)
        .bind(i64::from(m.year))
        .bind(&m.through)
        .fetch_one(tx.conn())
        .await?;
        let next = latest.unwrap_or(0) + 1;
        // Two approvals at once both read the same latest version: the second is refused by
        // the unique key, not stored as a duplicate.
        sqlx::query(
            "INSERT INTO reports (org_unit_id, kind, year, through, version, approved_by, approved_at, body_json) \
             VALUES ($1, 'interim', $2, $3, $4, $5, $6, $7)",
        )
        .bind(org.0)
        .bind(i64::from(m.year))
        .bind(&m.through)
        .bind(next)
        .bind(actor.0)
        .bind(at)
        .bind(&json)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "that version of the approved report"))?;
        tx.commit(
            Change::new(
                Action::Approve,
                Entity::InterimReport(format!("{}/{}/{}", m.org, m.year, m.through)),
            )
            .after(serde_json::json!({ "checks": report.checks.len(), "version": next })),
        )
        .await?;
        version(next)
    }
}
