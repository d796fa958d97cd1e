//! A unit's reply templates, and when each person last opened a case.

use serva_domain::reply_template::{ReplyTemplate, TemplateInput};
use serva_domain::{CaseId, UnitId, UserId};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

struct TemplateRow(ReplyTemplate);

impl<'r> FromRow<'r, AnyRow> for TemplateRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(TemplateRow(ReplyTemplate {
            id: r.try_get("id")?,
            unit_id: UnitId(r.try_get("unit_id")?),
            name: r.try_get("name")?,
            body: r.try_get("body")?,
            updated_at: r.try_get("updated_at")?,
        }))
    }
}

const COLUMNS: &str = "id, unit_id, name, body, updated_at";

impl Db {
    /// A unit's reply templates by name.
    pub async fn reply_templates(&self, unit: UnitId) -> StoreResult<Vec<ReplyTemplate>> {
        let rows = sqlx::query_as::<_, TemplateRow>(&format!(
            "SELECT {COLUMNS} FROM reply_templates WHERE unit_id = $1 ORDER BY name, id"
        ))
        .bind(unit.0)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn reply_template(&self, id: i64) -> StoreResult<ReplyTemplate> {
        sqlx::query_as::<_, TemplateRow>(&format!(
            "SELECT {COLUMNS} FROM reply_templates WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .map(|r| r.0)
        .ok_or(StoreError::NotFound("reply template"))
    }

    /// Creates a template (`id: None`) or changes one of `unit`'s; a name is used once a unit.
    pub async fn save_reply_template(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        id: Option<i64>,
        t: &TemplateInput,
    ) -> StoreResult<ReplyTemplate> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let saved: i64 = match id {
            None => sqlx::query_scalar(
                "INSERT INTO reply_templates (unit_id, name, body, updated_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(unit.0)
            .bind(&t.name)
            .bind(&t.body)
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "a template with that name"))?,
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE reply_templates SET name = $1, body = $2, updated_at = $3 WHERE id = $4 AND unit_id = $5",
                )
                .bind(&t.name)
                .bind(&t.body)
                .bind(now)
                .bind(id)
                .bind(unit.0)
                .execute(tx.conn())
                .await
                .map_err(|e| StoreError::on_unique(e, "a template with that name"))?
                .rows_affected();
                if n == 0 {
                    return Err(StoreError::NotFound("reply template"));
                }
                id
            }
        };
        let action = if id.is_some() {
            Action::Update
        } else {
            Action::Create
        };
        tx.commit(
            Change::new(action, Entity::ReplyTemplate(saved))
                .after(serde_json::json!({ "unit_id": unit.0, "name": t.name, "body": t.body })),
        )
        .await?;
        self.reply_template(saved).await
    }

    pub async fn delete_reply_template(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        id: i64,
    ) -> StoreResult<()> {
        let before = self.reply_template(id).await?;
        if before.unit_id != unit {
            return Err(StoreError::NotFound("reply template"));
        }
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query("DELETE FROM reply_templates WHERE id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::Delete, Entity::ReplyTemplate(id)).before(
                serde_json::json!({ "unit_id": unit.0, "name": before.name, "body": before.body }),
            ),
        )
        .await
    }

    /// When `user` last opened case `id`, if ever.
    pub async fn case_seen_at(&self, id: CaseId, user: UserId) -> StoreResult<Option<i64>> {
        Ok(
            sqlx::query_scalar(
                "SELECT seen_at FROM case_views WHERE case_id = $1 AND user_id = $2",
            )
            .bind(id.0)
            .bind(user.0)
            .fetch_optional(&self.read)
            .await?,
        )
    }

    /// Notes that `user` opened case `id` at `at`. Not audited: reading changes nothing.
    pub async fn mark_case_seen(&self, id: CaseId, user: UserId, at: i64) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO case_views (case_id, user_id, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (case_id, user_id) DO UPDATE SET seen_at = excluded.seen_at",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(at)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Of `cases`, those with a reply from the provider that `user` has not seen: newer than
    /// their last opening of the case, or any if they never opened it.
    pub async fn unseen_provider_replies(
        &self,
        user: UserId,
        cases: &[CaseId],
    ) -> StoreResult<Vec<CaseId>> {
        let mut unseen = Vec::new();
        // A page of a list at a time (at most a hundred cases): one small indexed read each.
        for c in cases {
            let newer: Option<i64> = sqlx::query_scalar(
                "SELECT m.id FROM case_messages m WHERE m.case_id = $1 AND m.internal = 0 \
                 AND m.from_provider = 1 AND m.created_at > COALESCE( \
                 (SELECT v.seen_at FROM case_views v WHERE v.case_id = $1 AND v.user_id = $2), -1) \
                 LIMIT 1",
            )
            .bind(c.0)
            .bind(user.0)
            .fetch_optional(&self.read)
            .await?;
            if newer.is_some() {
                unseen.push(*c);
            }
        }
        Ok(unseen)
    }

    /// The next case to work in `unit`'s queue after `current` in the queue's order (newest
    /// first): the next older case not resolved or closed, else the newest such case.
    pub async fn next_in_queue(
        &self,
        unit: UnitId,
        current: CaseId,
    ) -> StoreResult<Option<CaseId>> {
        let c = self.case(current).await?;
        let older: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM cases WHERE unit_id = $1 AND status NOT IN ('resolved', 'closed') \
             AND id <> $2 AND (created_at < $3 OR (created_at = $3 AND id < $2)) \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(unit.0)
        .bind(current.0)
        .bind(c.created_at)
        .fetch_optional(&self.read)
        .await?;
        let next = match older {
            Some(id) => Some(id),
            None => sqlx::query_scalar(
                "SELECT id FROM cases WHERE unit_id = $1 AND status NOT IN ('resolved', 'closed') \
                 AND id <> $2 ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(unit.0)
            .bind(current.0)
            .fetch_optional(&self.read)
            .await?,
        };
        Ok(next.map(CaseId))
    }
}
