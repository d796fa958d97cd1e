//! Approved reports, frozen: once approved, a report date of an administration is that
//! stored document forever, whatever changes in the data later.

use serva_domain::report::InterimReport;
use serva_domain::{UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

impl Db {
    /// The approved interim report of `org` for `year` and `through`, if there is one.
    pub async fn approved_report(
        &self,
        org: UnitId,
        year: i32,
        through: &str,
    ) -> StoreResult<Option<InterimReport>> {
        let frozen: Option<(String,)> = sqlx::query_as(
            "SELECT body_json FROM reports WHERE org_unit_id = $1 AND kind = 'interim' AND year = $2 AND through = $3",
        )
        .bind(org.0)
        .bind(i64::from(year))
        .bind(through)
        .fetch_optional(&self.read)
        .await?;
        frozen
            .map(|(json,)| {
                serde_json::from_str(&json).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "the approved report of {through} cannot be read: {e}"
                    ))
                })
            })
            .transpose()
    }

    /// Stores an approved report, approved by `actor` at `at` (ms): from now on the date's
    /// report is this document. A second approval of the same date is a conflict.
    pub async fn save_approved_report(
        &self,
        actor: UserId,
        org: UnitId,
        at: i64,
        report: &InterimReport,
    ) -> StoreResult<()> {
        let m = &report.meta;
        let json = serde_json::to_string(report).expect("the report serialises");
        let mut tx = self.begin_audited(Some(actor)).await?;
        sqlx::query(
            "INSERT INTO reports (org_unit_id, kind, year, through, approved_by, approved_at, body_json) \
             VALUES ($1, 'interim', $2, $3, $4, $5, $6)",
        )
        .bind(org.0)
        .bind(i64::from(m.year))
        .bind(&m.through)
        .bind(actor.0)
        .bind(at)
        .bind(&json)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "an approved report for that date"))?;
        tx.commit(
            Change::new(
                Action::Approve,
                Entity::InterimReport(format!("{}/{}/{}", m.org, m.year, m.through)),
            )
            .after(serde_json::json!({ "checks": report.checks.len() })),
        )
        .await?;
        Ok(())
    }
}
