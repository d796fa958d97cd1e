//! Attachments: files on a case, kept in the database with the case (one backup, one
//! transaction), read in two steps — the list without the bytes, the bytes of one file.

use serva_domain::attachment::{check, Attachment, BadAttachment};
use serva_domain::{AttachmentId, CaseId, MessageId, UserId};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

struct AttachmentRow(Attachment);

impl<'r> FromRow<'r, AnyRow> for AttachmentRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(AttachmentRow(Attachment {
            id: AttachmentId(r.try_get("id")?),
            case_id: CaseId(r.try_get("case_id")?),
            message_id: r.try_get::<Option<i64>, _>("message_id")?.map(MessageId),
            filename: r.try_get("filename")?,
            content_type: r.try_get("content_type")?,
            size: r.try_get("size")?,
            sha256: r.try_get("sha256")?,
            created_at: r.try_get("created_at")?,
        }))
    }
}

const COLUMNS: &str =
    "SELECT id, case_id, message_id, filename, content_type, size, sha256, created_at FROM attachments";

impl From<BadAttachment> for StoreError {
    fn from(e: BadAttachment) -> Self {
        StoreError::Invalid(e.to_string())
    }
}

impl Db {
    /// Keeps a file on `case` (and on one of its messages), after checking its name, size
    /// and content (`serva_domain::attachment::check`). The message must be the case's.
    pub async fn add_attachment(
        &self,
        actor: Option<UserId>,
        case: CaseId,
        message: Option<MessageId>,
        filename: &str,
        bytes: &[u8],
    ) -> StoreResult<Attachment> {
        let file = check(filename, bytes)?;
        let sha: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        if let Some(m) = message {
            let owner: Option<i64> =
                sqlx::query_scalar("SELECT case_id FROM case_messages WHERE id = $1")
                    .bind(m.0)
                    .fetch_optional(tx.conn())
                    .await?;
            if owner != Some(case.0) {
                return Err(StoreError::Invalid(
                    "the message is not one of the case's".into(),
                ));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (case_id, message_id, filename, content_type, size, sha256, data, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(case.0)
        .bind(message.map(|m| m.0))
        .bind(&file.filename)
        .bind(file.content_type)
        .bind(bytes.len() as i64)
        .bind(&sha)
        .bind(bytes)
        .bind(actor.map(|a| a.0))
        .bind(now)
        .fetch_one(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "attachment"))?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(case.0)
            .execute(tx.conn())
            .await?;
        tx.commit(
            Change::new(Action::Create, Entity::Attachment(id)).after(serde_json::json!({
                "case_id": case, "message_id": message, "filename": file.filename,
                "content_type": file.content_type, "size": bytes.len(), "sha256": sha,
            })),
        )
        .await?;
        self.attachment(AttachmentId(id)).await
    }

    pub async fn attachment(&self, id: AttachmentId) -> StoreResult<Attachment> {
        sqlx::query_as::<_, AttachmentRow>(&format!("{COLUMNS} WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.0)
            .ok_or(StoreError::NotFound("attachment"))
    }

    /// The files of a case, oldest first, without their bytes.
    pub async fn attachments(&self, case: CaseId) -> StoreResult<Vec<Attachment>> {
        Ok(
            sqlx::query_as::<_, AttachmentRow>(&format!(
                "{COLUMNS} WHERE case_id = $1 ORDER BY id"
            ))
            .bind(case.0)
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect(),
        )
    }

    /// One file's bytes.
    pub async fn attachment_bytes(&self, id: AttachmentId) -> StoreResult<Vec<u8>> {
        sqlx::query_scalar::<_, Vec<u8>>("SELECT data FROM attachments WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound("attachment"))
    }
}
