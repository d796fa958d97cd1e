//! Surveys (docs/surveys.md): a unit's settings, the survey sent about a resolved case (one per
//! case, sampled by the unit's rule), the links that open it without signing in, the answer
//! (once), the one reminder, and the sums the figures are made of.
//!
//! A survey is sent in the transaction of what sends it: the resolution's mail
//! (`outbox::queue_case_mail`), the agent's link, the chat or follow page that shows it.

use serva_domain::case::{CaseNumber, CaseStatus, Channel};
use serva_domain::notify::{MailKind, SurveyLink};
use serva_domain::survey::{
    is_sampled, week_of, Answer, CaseSurvey, Invitation, LinkedSurvey, RawAnswer, Scale,
    SentSurvey, StoredAnswer, SurveySettings, SurveyStatus, Via,
};
use serva_domain::{CaseId, UnitId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

/// The survey's page, for a link's token.
pub fn link_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/survey/{token}")
}

/// A survey sent (now or before) and still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Offered {
    pub expires_at: i64,
    /// When its reminder is due if it is mailed now (none when reminders are off, or when one
    /// is due or sent already).
    pub remind_at: Option<i64>,
}

pub(crate) fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("{what}: unknown value {v:?}"))
}

fn scale_of(s: &str) -> StoreResult<Scale> {
    Scale::parse(s).ok_or_else(|| corrupt("survey scale", s))
}

const SETTINGS_COLUMNS: &str = "scale, reminder_days, valid_days, min_group, sample_web, sample_chat, sample_phone, sample_email, sample_visit";

fn settings_of(r: &AnyRow) -> StoreResult<SurveySettings> {
    let scale: String = r.try_get("scale")?;
    let mut s = SurveySettings {
        scale: scale_of(&scale)?,
        reminder_days: r.try_get("reminder_days")?,
        valid_days: r.try_get("valid_days")?,
        min_group: r.try_get("min_group")?,
        ..SurveySettings::default()
    };
    for c in Channel::ALL {
        s.set_sample_every(c, r.try_get(format!("sample_{}", c.as_str()).as_str())?);
    }
    Ok(s)
}

async fn settings_in(conn: &mut sqlx::AnyConnection, unit: UnitId) -> StoreResult<SurveySettings> {
    let sql = format!("SELECT {SETTINGS_COLUMNS} FROM survey_settings WHERE unit_id = $1");
    match sqlx::query(&sql)
        .bind(unit.0)
        .fetch_optional(&mut *conn)
        .await?
    {
        Some(r) => settings_of(&r),
        None => Ok(SurveySettings::default()),
    }
}

/// A sent survey as `offer_in` reads it: closing time, answered, reminder due and sent, unit.
type SentRow = (i64, Option<i64>, Option<i64>, Option<i64>, i64);

/// The survey of `case`, sent now if it was not: when the case is resolved or closed, not yet
/// answered, not closed, and — for a survey not sent before — asked by the unit's sampling.
/// `None` otherwise. Nothing is mailed here; see [`note_mailed`].
pub(crate) async fn offer_in(
    tx: &mut Transaction<'_, Any>,
    case: CaseId,
    via: Via,
    mailed: bool,
    now: i64,
) -> StoreResult<Option<Offered>> {
    let row: Option<(String, i64, i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT status, unit_id, service_id, channel, assignee_id FROM cases WHERE id = $1",
    )
    .bind(case.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((status, unit, service, channel, agent)) = row else {
        return Ok(None);
    };
    let status = CaseStatus::parse(&status).ok_or_else(|| corrupt("case status", &status))?;
    if status.is_active() {
        return Ok(None);
    }
    let existing: Option<SentRow> = sqlx::query_as(
        "SELECT expires_at, answered_at, remind_at, reminded_at, unit_id FROM survey_invitations WHERE case_id = $1",
    )
    .bind(case.0)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((expires_at, answered_at, remind_at, reminded_at, sent_unit)) = existing {
        if answered_at.is_some() || now >= expires_at {
            return Ok(None);
        }
        let settings = settings_in(tx, UnitId(sent_unit)).await?;
        let remind_at = (mailed && remind_at.is_none() && reminded_at.is_none())
            .then(|| settings.remind_at(now))
            .flatten()
            .filter(|at| *at < expires_at);
        return Ok(Some(Offered {
            expires_at,
            remind_at,
        }));
    }
    // An answer given before surveys were sent (an import, older data) stands.
    let answered_before: Option<i64> =
        sqlx::query_scalar("SELECT case_id FROM case_surveys WHERE case_id = $1")
            .bind(case.0)
            .fetch_optional(&mut **tx)
            .await?;
    if answered_before.is_some() {
        return Ok(None);
    }
    let channel_kind = Channel::parse(&channel).ok_or_else(|| corrupt("case channel", &channel))?;
    let settings = settings_in(tx, UnitId(unit)).await?;
    if !is_sampled(case, settings.sample_every(channel_kind)) {
        return Ok(None);
    }
    let expires_at = settings.expires_at(now);
    sqlx::query(
        "INSERT INTO survey_invitations (case_id, unit_id, service_id, channel, agent_id, scale, via, \
         sent_at, sent_week, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(case.0)
    .bind(unit)
    .bind(service)
    .bind(&channel)
    .bind(agent)
    .bind(settings.scale.as_str())
    .bind(via.as_str())
    .bind(now)
    .bind(week_of(now))
    .bind(expires_at)
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::on_unique(e, "a survey of this case"))?;
    Ok(Some(Offered {
        expires_at,
        remind_at: if mailed {
            settings.remind_at(now).filter(|at| *at < expires_at)
        } else {
            None
        },
    }))
}

/// The survey went by mail: its one reminder falls due (if the unit sends reminders).
pub(crate) async fn note_mailed(
    tx: &mut Transaction<'_, Any>,
    case: CaseId,
    o: &Offered,
    _now: i64,
) -> StoreResult<()> {
    if let Some(at) = o.remind_at {
        sqlx::query(
            "UPDATE survey_invitations SET remind_at = $1 \
             WHERE case_id = $2 AND remind_at IS NULL AND reminded_at IS NULL",
        )
        .bind(at)
        .bind(case.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A fresh link to the survey of `case`; only its SHA-256 is kept.
pub(crate) async fn issue_token(
    tx: &mut Transaction<'_, Any>,
    case: CaseId,
    now: i64,
) -> StoreResult<String> {
    let token = crate::secrets::random_token();
    sqlx::query("INSERT INTO survey_tokens (token_hash, case_id, created_at) VALUES ($1, $2, $3)")
        .bind(crate::secrets::sha256_hex(&token))
        .bind(case.0)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::on_unique(e, "survey link"))?;
    Ok(token)
}

fn invitation_of(r: &AnyRow) -> StoreResult<Invitation> {
    let scale: String = r.try_get("scale")?;
    let via: String = r.try_get("via")?;
    Ok(Invitation {
        scale: scale_of(&scale)?,
        via: Via::parse(&via).ok_or_else(|| corrupt("survey via", &via))?,
        sent_at: r.try_get("sent_at")?,
        expires_at: r.try_get("expires_at")?,
        remind_at: r.try_get("remind_at")?,
        reminded_at: r.try_get("reminded_at")?,
        answered_at: r.try_get("answered_at")?,
    })
}

const INVITATION_COLUMNS: &str =
    "scale, via, sent_at, expires_at, remind_at, reminded_at, answered_at";

impl Db {
    /// A unit's survey settings; the defaults for a unit that has none of its own.
    pub async fn survey_settings(&self, unit: UnitId) -> StoreResult<SurveySettings> {
        let mut conn = self.read.acquire().await?;
        settings_in(&mut conn, unit).await
    }

    /// Sets a unit's survey settings (checked first). Surveys already sent keep their scale,
    /// closing time and reminder.
    pub async fn set_survey_settings(
        &self,
        actor: Option<UserId>,
        unit: UnitId,
        s: &SurveySettings,
    ) -> StoreResult<()> {
        s.check().map_err(|e| StoreError::Invalid(e.to_string()))?;
        let before = self.survey_settings(unit).await?;
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        sqlx::query(
            "INSERT INTO survey_settings (unit_id, scale, reminder_days, valid_days, min_group, sample_web, \
             sample_chat, sample_phone, sample_email, sample_visit, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (unit_id) DO UPDATE SET scale = excluded.scale, reminder_days = excluded.reminder_days, \
             valid_days = excluded.valid_days, min_group = excluded.min_group, sample_web = excluded.sample_web, \
             sample_chat = excluded.sample_chat, sample_phone = excluded.sample_phone, \
             sample_email = excluded.sample_email, sample_visit = excluded.sample_visit, \
             updated_at = excluded.updated_at",
        )
        .bind(unit.0)
        .bind(s.scale.as_str())
        .bind(s.reminder_days)
        .bind(s.valid_days)
        .bind(s.min_group)
        .bind(s.sample_every(Channel::Web))
        .bind(s.sample_every(Channel::Chat))
        .bind(s.sample_every(Channel::Phone))
        .bind(s.sample_every(Channel::Email))
        .bind(s.sample_every(Channel::Visit))
        .bind(now)
        .execute(tx.conn())
        .await?;
        tx.commit(
            Change::new(Action::SetSurveySettings, Entity::Unit(unit))
                .before(before)
                .after(s),
        )
        .await
    }

    /// What was sent and answered about `case`.
    pub async fn case_survey(&self, case: CaseId) -> StoreResult<CaseSurvey> {
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM survey_invitations WHERE case_id = $1");
        let invitation = match sqlx::query(&sql)
            .bind(case.0)
            .fetch_optional(&self.read)
            .await?
        {
            Some(r) => Some(invitation_of(&r)?),
            None => None,
        };
        let answer = match sqlx::query(
            "SELECT score, scale, answer, engagement, general_satisfaction, resolution, comment, answered_at \
             FROM case_surveys WHERE case_id = $1",
        )
        .bind(case.0)
        .fetch_optional(&self.read)
        .await?
        {
            Some(r) => {
                let scale: Option<String> = r.try_get("scale")?;
                Some(StoredAnswer {
                    score: r.try_get("score")?,
                    scale: scale.as_deref().map(scale_of).transpose()?,
                    answer: r.try_get("answer")?,
                    dimensions: [
                        r.try_get("engagement")?,
                        r.try_get("general_satisfaction")?,
                        r.try_get("resolution")?,
                    ],
                    comment: r.try_get("comment")?,
                    answered_at: r.try_get("answered_at")?,
                })
            }
            None => None,
        };
        Ok(CaseSurvey { invitation, answer })
    }

    /// Sends the survey of `case` on a page that shows it (a chat that ended, the follow
    /// page, the requester's case page), if the case is asked; its scale and closing time.
    pub async fn offer_survey(&self, case: CaseId, via: Via) -> StoreResult<Option<Invitation>> {
        let known = self.case_survey(case).await?;
        if known.answer.is_some() {
            return Ok(None);
        }
        if known.invitation.is_none() {
            let mut tx = self.begin_audited(None).await?;
            let now = tx.now;
            if offer_in(tx.tx(), case, via, false, now).await?.is_none() {
                return Ok(None);
            }
            tx.commit(
                Change::new(Action::SendSurvey, Entity::Case(case))
                    .after(serde_json::json!({ "via": via })),
            )
            .await?;
        }
        Ok(self.case_survey(case).await?.invitation)
    }

    /// An agent sends the survey of a resolved case (a phone call, a visit): a fresh link,
    /// mailed to the case's contact or requester when there is an address. `None` when the
    /// case is not asked, is answered, or its survey has closed.
    pub async fn send_survey_link(
        &self,
        actor: Option<UserId>,
        case: CaseId,
    ) -> StoreResult<Option<SentSurvey>> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let Some(o) = offer_in(tx.tx(), case, Via::Link, true, now).await? else {
            return Ok(None);
        };
        let token = issue_token(tx.tx(), case, now).await?;
        let link = SurveyLink {
            url: link_url(&self.outbox_settings().public_url, &token),
            expires_at: o.expires_at,
        };
        let mailed = crate::outbox::queue_survey_mail(
            tx.tx(),
            &self.outbox,
            case,
            MailKind::Survey,
            &link,
            now,
        )
        .await?;
        if mailed.is_some() {
            note_mailed(tx.tx(), case, &o, now).await?;
        }
        let mailed_to = mailed.as_ref().map(|(_, a)| a.clone());
        tx.commit(
            Change::new(Action::SendSurvey, Entity::Case(case))
                .after(serde_json::json!({ "via": Via::Link, "mailed_to": mailed_to })),
        )
        .await?;
        if mailed.is_some() {
            self.outbox.ring();
        }
        Ok(Some(SentSurvey {
            url: link.url,
            expires_at: link.expires_at,
            mailed_to,
        }))
    }

    /// The survey a link opens; "not found" for a token that was never issued.
    pub async fn survey_by_token(&self, token: &str, now: i64) -> StoreResult<LinkedSurvey> {
        let row = sqlx::query(
            "SELECT i.case_id, i.scale, i.expires_at, i.answered_at, c.created_at, c.subject, un.name AS unit_name \
             FROM survey_tokens t JOIN survey_invitations i ON i.case_id = t.case_id \
             JOIN cases c ON c.id = i.case_id JOIN units un ON un.id = c.unit_id \
             WHERE t.token_hash = $1",
        )
        .bind(crate::secrets::sha256_hex(token))
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound("survey"))?;
        let case = CaseId(row.try_get("case_id")?);
        let created_at: i64 = row.try_get("created_at")?;
        let scale: String = row.try_get("scale")?;
        let answered_at: Option<i64> = row.try_get("answered_at")?;
        Ok(LinkedSurvey {
            case,
            number: CaseNumber {
                year: chrono::Datelike::year(&serva_domain::time::to_local(created_at)),
                id: case,
            },
            subject: row.try_get("subject")?,
            unit_name: row.try_get("unit_name")?,
            scale: scale_of(&scale)?,
            status: SurveyStatus::of(answered_at.is_some(), row.try_get("expires_at")?, now),
        })
    }

    /// Records the answer to the survey of `case`, once. A survey not sent yet is sent now if
    /// the case is asked (an answer through the API). Refused: a case not resolved or not
    /// asked, a closed survey (invalid), an answered one (conflict), an answer off the scale.
    pub async fn answer_survey(
        &self,
        actor: Option<UserId>,
        case: CaseId,
        raw: &RawAnswer,
        via: Via,
    ) -> StoreResult<Answer> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        offer_in(tx.tx(), case, via, false, now).await?;
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM survey_invitations WHERE case_id = $1");
        let invitation = match sqlx::query(&sql)
            .bind(case.0)
            .fetch_optional(tx.conn())
            .await?
        {
            Some(r) => invitation_of(&r)?,
            None => {
                let answered: Option<i64> =
                    sqlx::query_scalar("SELECT case_id FROM case_surveys WHERE case_id = $1")
                        .bind(case.0)
                        .fetch_optional(tx.conn())
                        .await?;
                return Err(if answered.is_some() {
                    StoreError::Conflict("the survey is answered already".into())
                } else {
                    StoreError::Invalid(
                        "this case has no survey: it is not resolved, or not asked".into(),
                    )
                });
            }
        };
        match invitation.status(now) {
            SurveyStatus::Answered => {
                return Err(StoreError::Conflict(
                    "the survey is answered already".into(),
                ))
            }
            SurveyStatus::Expired => {
                return Err(StoreError::Invalid("the survey has closed".into()))
            }
            SurveyStatus::Open { .. } => {}
        }
        let answer = raw
            .check(invitation.scale)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let n = sqlx::query(
            "UPDATE survey_invitations SET answered_at = $1 WHERE case_id = $2 AND answered_at IS NULL",
        )
        .bind(now)
        .bind(case.0)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(
                "the survey is answered already".into(),
            ));
        }
        sqlx::query(
            "INSERT INTO case_surveys (case_id, score, comment, answered_at, scale, answer, engagement, \
             general_satisfaction, resolution, via) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(case.0)
        .bind(answer.score)
        .bind(answer.comment.as_deref())
        .bind(now)
        .bind(answer.scale.as_str())
        .bind(answer.answer)
        .bind(answer.dimensions[0])
        .bind(answer.dimensions[1])
        .bind(answer.dimensions[2])
        .bind(via.as_str())
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "an answer to the survey"))?;
        tx.commit(
            Change::new(Action::AnswerSurvey, Entity::Case(case))
                .after(serde_json::json!({ "score": answer.score, "via": via })),
        )
        .await?;
        Ok(answer)
    }

    /// Surveys whose reminder is due at `now`, oldest due first.
    pub async fn due_survey_reminders(&self, now: i64, limit: i64) -> StoreResult<Vec<CaseId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT case_id FROM survey_invitations WHERE remind_at IS NOT NULL AND reminded_at IS NULL \
             AND answered_at IS NULL AND remind_at <= $1 AND expires_at > $1 ORDER BY remind_at, case_id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(ids.into_iter().map(CaseId).collect())
    }

    /// Sends the one reminder of the survey of `case` if it is due at `now` and nobody sent it
    /// first (several nodes may try: the reminder is marked in the transaction that writes its
    /// mail, so it goes once). The mail's id, when one was written.
    pub async fn send_survey_reminder(&self, case: CaseId, now: i64) -> StoreResult<Option<i64>> {
        let mut tx = self.begin_audited(None).await?;
        let n = sqlx::query(
            "UPDATE survey_invitations SET reminded_at = $1 WHERE case_id = $2 AND reminded_at IS NULL \
             AND answered_at IS NULL AND remind_at IS NOT NULL AND remind_at <= $1 AND expires_at > $1",
        )
        .bind(now)
        .bind(case.0)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Ok(None);
        }
        let expires_at: i64 =
            sqlx::query_scalar("SELECT expires_at FROM survey_invitations WHERE case_id = $1")
                .bind(case.0)
                .fetch_one(tx.conn())
                .await?;
        let token = issue_token(tx.tx(), case, now).await?;
        let link = SurveyLink {
            url: link_url(&self.outbox_settings().public_url, &token),
            expires_at,
        };
        let mailed = crate::outbox::queue_survey_mail(
            tx.tx(),
            &self.outbox,
            case,
            MailKind::SurveyReminder,
            &link,
            now,
        )
        .await?;
        // Marked as reminded even when nobody can be mailed any more: it is not tried again.
        tx.commit(
            Change::new(Action::SendSurvey, Entity::Case(case))
                .after(serde_json::json!({ "reminder": true, "mailed": mailed.is_some() })),
        )
        .await?;
        if mailed.is_some() {
            self.outbox.ring();
        }
        Ok(mailed.map(|(id, _)| id))
    }
}
