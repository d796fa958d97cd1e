//! Carrying the report's texts and events of one date over to a new date, in one transaction.

use serva_domain::followup::entries::{EventEntry, NarrativeEntry};
use serva_domain::{UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::followup::parse_date;
use crate::{Db, StoreResult};

impl Db {
    /// The dates an administration has texts or events for, newest first.
    pub async fn followup_text_dates(&self, org: UnitId) -> StoreResult<Vec<String>> {
        let dates: Vec<String> = sqlx::query_scalar(
            "SELECT through FROM narratives WHERE org_unit_id = $1 \
             UNION SELECT through FROM report_events WHERE org_unit_id = $1 ORDER BY 1 DESC",
        )
        .bind(org.0)
        .fetch_all(&self.read)
        .await?;
        Ok(dates)
    }

    /// Copies `texts` (as drafts) and `events` to the date `to`. The caller has left out what
    /// `to` already has; nothing there is written over (a text's section is unique per date).
    pub async fn carry_over(
        &self,
        actor: Option<UserId>,
        org: UnitId,
        to: &str,
        texts: &[NarrativeEntry],
        events: &[EventEntry],
    ) -> StoreResult<()> {
        parse_date(to)?;
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        for t in texts {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO narratives (org_unit_id, through, section, title, body, status, author_id, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7) RETURNING id",
            )
            .bind(org.0)
            .bind(to)
            .bind(&t.section)
            .bind(&t.title)
            .bind(&t.body)
            .bind(actor.map(|a| a.0))
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .map_err(|e| crate::StoreError::on_unique(e, "text"))?;
            sqlx::query("INSERT INTO narrative_history (narrative_id, at, actor_id, status, body) VALUES ($1, $2, $3, 'draft', $4)")
                .bind(id)
                .bind(now)
                .bind(actor.map(|a| a.0))
                .bind(&t.body)
                .execute(tx.conn())
                .await?;
        }
        for e in events {
            sqlx::query(
                "INSERT INTO report_events (org_unit_id, through, decision, body, position) \
                 VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM report_events))",
            )
            .bind(org.0)
            .bind(to)
            .bind(i64::from(e.decision))
            .bind(&e.body)
            .execute(tx.conn())
            .await?;
        }
        tx.commit(
            Change::new(Action::Create, Entity::Unit(org)).after(serde_json::json!({
                "carried_over_to": to,
                "texts": texts.iter().map(|t| &t.section).collect::<Vec<_>>(),
                "events": events.len(),
            })),
        )
        .await?;
        Ok(())
    }
}
