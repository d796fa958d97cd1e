//! Files on cases: who may add them, list them and download them. The same rules as for the
//! case's messages: whoever may reply may attach; a file on an internal note is seen only by
//! the provider's side.

use std::collections::HashSet;

use serva_domain::access::Principal;
use serva_domain::attachment::Attachment;
use serva_domain::{AttachmentId, CaseId, MessageId};

use crate::{App, AppError, AppResult};

impl App {
    /// Attaches a file to a case `p` may reply to, optionally to one of its messages that `p`
    /// may see.
    pub async fn attach(
        &self,
        p: &Principal,
        case: CaseId,
        message: Option<MessageId>,
        filename: &str,
        bytes: &[u8],
    ) -> AppResult<Attachment> {
        let c = self.visible_case(p, case).await?;
        if !p.can_reply_case(&c.scope()) {
            return Err(AppError::forbidden("you may not add files to this case"));
        }
        if let Some(m) = message {
            if !self.visible_messages(p, &c).await?.contains(&m) {
                return Err(AppError::NotFound("message"));
            }
        }
        Ok(self
            .db()
            .add_attachment(p.user, case, message, filename, bytes)
            .await?)
    }

    /// The files of a case `p` may see, without their bytes.
    pub async fn case_attachments(
        &self,
        p: &Principal,
        case: CaseId,
    ) -> AppResult<Vec<Attachment>> {
        let c = self.visible_case(p, case).await?;
        let all = self.db().attachments(case).await?;
        if p.can_see_internal_notes(&c.scope()) {
            return Ok(all);
        }
        let seen = self.visible_messages(p, &c).await?;
        Ok(all
            .into_iter()
            .filter(|a| a.message_id.is_none_or(|m| seen.contains(&m)))
            .collect())
    }

    /// One file of a case with its bytes, if `p` may see it; otherwise "not found".
    pub async fn attachment_download(
        &self,
        p: &Principal,
        case: CaseId,
        id: AttachmentId,
    ) -> AppResult<(Attachment, Vec<u8>)> {
        let a = self
            .case_attachments(p, case)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(AppError::NotFound("attachment"))?;
        let bytes = self.db().attachment_bytes(id).await?;
        Ok((a, bytes))
    }

    async fn visible_messages(
        &self,
        p: &Principal,
        c: &serva_domain::case::Case,
    ) -> AppResult<HashSet<MessageId>> {
        let internal = p.can_see_internal_notes(&c.scope());
        Ok(self
            .db()
            .messages(c.id, internal)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect())
    }
}
