//! The report's texts: written per administration, date and section, moved along
//! draft → submitted → approved, every step kept in their history and the audit log.

use serva_domain::followup::entries::{NarrativeEntry, NarrativeVersion};
use serva_domain::followup::NarrativeStatus;
use serva_domain::{UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::decode::known;
use crate::followup::parse_date;
use crate::{Db, StoreError, StoreResult};

type Row = (i64, String, String, String, String, Option<String>, i64);

fn entry(
    (id, section, title, body, status, author_name, updated_at): Row,
) -> StoreResult<NarrativeEntry> {
    Ok(NarrativeEntry {
        status: known(
            format_args!("narratives.status of text {id}"),
            &status,
            NarrativeStatus::parse,
        )?,
        id,
        section,
        title,
        body,
        author_name,
        updated_at,
    })
}

const SELECT: &str = "SELECT n.id, n.section, n.title, n.body, n.status, u.display_name AS author_name, n.updated_at \
     FROM narratives n LEFT JOIN users u ON u.id = n.author_id";

impl Db {
    pub async fn narratives(&self, org: UnitId, through: &str) -> StoreResult<Vec<NarrativeEntry>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT} WHERE n.org_unit_id = $1 AND n.through = $2 ORDER BY n.id"
        ))
        .bind(org.0)
        .bind(through)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter().map(entry).collect()
    }

    /// A text and the administration it belongs to.
    pub async fn narrative(&self, id: i64) -> StoreResult<(UnitId, NarrativeEntry)> {
        let org: Option<(i64,)> =
            sqlx::query_as("SELECT org_unit_id FROM narratives WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.read)
                .await?;
        let (org,) = org.ok_or(StoreError::NotFound("text"))?;
        let row: Row = sqlx::query_as(&format!("{SELECT} WHERE n.id = $1"))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        Ok((UnitId(org), entry(row)?))
    }

    /// Writes a report text, or starts one for a section; a change makes it a draft again.
    pub async fn save_narrative(
        &self,
        actor: Option<UserId>,
        org: UnitId,
        through: &str,
        section: &str,
        title: &str,
        body: &str,
    ) -> StoreResult<i64> {
        parse_date(through)?;
        let ok_section = !section.is_empty()
            && section.len() <= 40
            && section.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if !ok_section || title.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a text needs a section key (a–z, _) and a title".into(),
            ));
        }
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO narratives (org_unit_id, through, section, title, body, status, author_id, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7) ON CONFLICT (org_unit_id, through, section) DO UPDATE SET \
             title = excluded.title, body = excluded.body, status = 'draft', author_id = excluded.author_id, updated_at = excluded.updated_at \
             RETURNING id",
        )
        .bind(org.0)
        .bind(through)
        .bind(section)
        .bind(title.trim())
        .bind(body.trim())
        .bind(actor.map(|a| a.0))
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        sqlx::query("INSERT INTO narrative_history (narrative_id, at, actor_id, status, body) VALUES ($1, $2, $3, 'draft', $4)")
            .bind(id)
            .bind(now)
            .bind(actor.map(|a| a.0))
            .bind(body.trim())
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::Save, Entity::Narrative(id))
                .after(serde_json::json!({ "section": section, "body": body })),
        )
        .await?;
        Ok(id)
    }

    /// Moves a text along draft → submitted → approved (or back to draft), keeping the history.
    pub async fn set_narrative_status(
        &self,
        actor: Option<UserId>,
        id: i64,
        to: NarrativeStatus,
    ) -> StoreResult<()> {
        let (_, n) = self.narrative(id).await?;
        let from = n.status;
        if !from.can_become(to) {
            return Err(StoreError::Invalid(format!(
                "a {} text cannot become {}",
                from.as_str(),
                to.as_str()
            )));
        }
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let changed = sqlx::query(
            "UPDATE narratives SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict(
                "the text was changed by someone else; reload it".into(),
            ));
        }
        sqlx::query("INSERT INTO narrative_history (narrative_id, at, actor_id, status, body) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(now)
            .bind(actor.map(|a| a.0))
            .bind(to.as_str())
            .bind(&n.body)
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::SetStatus, Entity::Narrative(id))
                .before(serde_json::json!({ "status": from }))
                .after(serde_json::json!({ "status": to })),
        )
        .await?;
        Ok(())
    }

    /// The report date a text belongs to.
    pub async fn narrative_through(&self, id: i64) -> StoreResult<String> {
        let row: Option<(String,)> = sqlx::query_as("SELECT through FROM narratives WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| r.0).ok_or(StoreError::NotFound("text"))
    }

    /// A text's steps, newest first.
    pub async fn narrative_history(&self, id: i64) -> StoreResult<Vec<NarrativeVersion>> {
        let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
            "SELECT h.at, u.display_name AS actor_name, h.status, h.body FROM narrative_history h \
             LEFT JOIN users u ON u.id = h.actor_id WHERE h.narrative_id = $1 ORDER BY h.id DESC",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(at, actor_name, status, body)| {
                Ok(NarrativeVersion {
                    status: known(
                        format_args!("narrative_history.status of text {id}"),
                        &status,
                        NarrativeStatus::parse,
                    )?,
                    at,
                    actor_name,
                    body,
                })
            })
            .collect()
    }
}
