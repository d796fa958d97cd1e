//! Surveys on every channel (docs/surveys.md): answering by a link without signing in, in a
//! chat that ended, on the follow page and on the requester's case page; the agent's "send
//! the survey" for a call or a visit; a unit's settings; the figures per unit, service,
//! channel, agent and week with small groups withheld from agents; and the reminder job.

use serva_domain::access::Principal;
use serva_domain::case::Case;
use serva_domain::chat::{ChatId, ChatSide, ChatState};
use serva_domain::event::Event;
use serva_domain::org::Unit;
use serva_domain::survey::{
    figures, Answer, LinkedSurvey, Period, RawAnswer, SentSurvey, SurveyFigures, SurveyPanel,
    SurveySettings, SurveyStatus, Via, Viewer,
};
use serva_domain::{CaseId, UnitId};
use serva_store::StoreError;

use crate::chat::ChatParty;
use crate::{App, AppError, AppResult};

/// Comments shown at most on the figures page.
pub const COMMENTS_SHOWN: i64 = 200;
/// Reminders sent at most per round of the job.
const REMINDERS_PER_ROUND: i64 = 200;

/// A unit's survey figures over a period, as one person may see them.
#[derive(Debug, Clone)]
pub struct UnitSurveys {
    pub unit: Unit,
    pub period: Period,
    pub figures: SurveyFigures,
    pub settings: SurveySettings,
    /// Whether the person may change the settings.
    pub can_set: bool,
}

/// The survey shown on a page to the case's customer (an ended chat, the follow page).
#[derive(Debug, Clone)]
pub struct ShownSurvey {
    pub scale: serva_domain::survey::Scale,
    pub status: SurveyStatus,
}

impl App {
    /// The survey a link opens; "not found" for a link that never existed.
    pub async fn survey_by_link(&self, token: &str) -> AppResult<LinkedSurvey> {
        let now = serva_domain::time::now_ms();
        Ok(self.db().survey_by_token(token, now).await?)
    }

    /// The answer given through a survey's link (no sign-in: the link is the key).
    pub async fn answer_by_link(&self, token: &str, raw: &RawAnswer) -> AppResult<Answer> {
        let s = self.survey_by_link(token).await?;
        self.record_answer(s.case, raw, Via::Link, None).await
    }

    async fn record_answer(
        &self,
        case: CaseId,
        raw: &RawAnswer,
        via: Via,
        p: Option<&Principal>,
    ) -> AppResult<Answer> {
        let unit = self.db().case(case).await?.unit_id;
        let answer = self
            .db()
            .answer_survey(p.and_then(|p| p.user), case, raw, via)
            .await?;
        self.events().publish(Event::SurveyAnswered { case, unit });
        Ok(answer)
    }

    /// The survey on a citizen's follow page: sent now if the case is resolved and asked.
    pub async fn follow_survey(&self, follow_token: &str) -> AppResult<Option<ShownSurvey>> {
        let case = self.followed_case(follow_token).await?.case;
        self.shown_survey(&case, Via::Follow).await
    }

    /// The answer given on the follow page.
    pub async fn answer_on_follow(&self, follow_token: &str, raw: &RawAnswer) -> AppResult<Answer> {
        let case = self.followed_case(follow_token).await?.case;
        self.record_answer(case.id, raw, Via::Follow, None).await
    }

    /// The survey shown on a page to the case's customer: sent now if the case is asked.
    async fn shown_survey(&self, case: &Case, via: Via) -> AppResult<Option<ShownSurvey>> {
        if case.status.is_active() {
            return Ok(None);
        }
        let known = self.db().case_survey(case.id).await?;
        if known.answer.is_some() {
            return Ok(Some(ShownSurvey {
                scale: known
                    .invitation
                    .map_or(serva_domain::survey::Scale::OneToFive, |i| i.scale),
                status: SurveyStatus::Answered,
            }));
        }
        let now = serva_domain::time::now_ms();
        Ok(self
            .db()
            .offer_survey(case.id, via)
            .await?
            .map(|i| ShownSurvey {
                scale: i.scale,
                status: i.status(now),
            }))
    }

    /// The survey the customer of an ended chat sees (once the agent resolved its case).
    pub async fn chat_survey(
        &self,
        who: ChatParty<'_>,
        id: ChatId,
    ) -> AppResult<Option<ShownSurvey>> {
        let (chat, side) = self.chat_access(who, id).await?;
        if side != ChatSide::Customer || chat.state != ChatState::Ended {
            return Ok(None);
        }
        let case = self.db().case(chat.case_id).await?;
        self.shown_survey(&case, Via::Chat).await
    }

    /// The answer given in an ended chat by its customer.
    pub async fn answer_in_chat(
        &self,
        who: ChatParty<'_>,
        id: ChatId,
        raw: &RawAnswer,
    ) -> AppResult<Answer> {
        let (chat, side) = self.chat_access(who, id).await?;
        if side != ChatSide::Customer {
            return Err(AppError::forbidden(
                "only the chat's customer answers its survey",
            ));
        }
        if chat.state != ChatState::Ended {
            return Err(AppError::invalid("the chat has not ended"));
        }
        let p = match who {
            ChatParty::Person(p) => Some(p),
            ChatParty::Visitor(_) => None,
        };
        self.record_answer(chat.case_id, raw, Via::Chat, p).await
    }

    /// The requester answers the survey of their resolved case (the case page, the API).
    pub async fn answer_survey(
        &self,
        p: &Principal,
        id: CaseId,
        raw: &RawAnswer,
        via: Via,
    ) -> AppResult<Answer> {
        let case = self.visible_case(p, id).await?;
        if case.requester_id.is_none() || case.requester_id != p.user {
            return Err(AppError::forbidden("only the requester answers the survey"));
        }
        if case.status.is_active() {
            return Err(AppError::invalid("the case is not resolved yet"));
        }
        self.record_answer(id, raw, via, Some(p)).await
    }

    /// What the case page shows about the survey for `p`. The requester of a resolved case
    /// that is asked gets the survey — sent now, through `offer`, if it was not (the page sends
    /// it; the API only says it may be answered). The provider's side sees whether it went and
    /// was answered, and may send its link; the answer itself only the requester and the
    /// unit's managers.
    pub async fn survey_panel(
        &self,
        p: &Principal,
        case: &Case,
        offer: Option<Via>,
    ) -> AppResult<SurveyPanel> {
        let db = self.db();
        let scope = case.scope();
        let now = serva_domain::time::now_ms();
        let requester = case.requester_id.is_some() && case.requester_id == p.user;
        let resolved = !case.status.is_active();
        let mut known = db.case_survey(case.id).await?;
        let answered = known.answer.is_some();
        if let (true, false, None, Some(via)) = (requester, answered, &known.invitation, offer) {
            known.invitation = db.offer_survey(case.id, via).await?;
        }
        // Not sent yet: whether the unit's sampling asks this case, and on which scale.
        let unsent_scale = match &known.invitation {
            None if resolved && !answered => {
                let s = db.survey_settings(case.unit_id).await?;
                serva_domain::survey::is_sampled(case.id, s.sample_every(case.channel))
                    .then_some(s.scale)
            }
            _ => None,
        };
        let open = known
            .invitation
            .as_ref()
            .is_some_and(|i| i.status(now).is_open());
        let answer_on = if !requester || answered || !resolved {
            None
        } else if open {
            known.invitation.as_ref().map(|i| i.scale)
        } else {
            unsent_scale
        };
        Ok(SurveyPanel {
            answer_on,
            sent: if p.can_work_case(&scope) || requester {
                known.invitation.clone()
            } else {
                None
            },
            answer: if p.can_see_survey_answer(&scope) {
                known.answer.clone()
            } else {
                None
            },
            answered,
            can_send: p.can_work_case(&scope)
                && resolved
                && !answered
                && (open || unsent_scale.is_some()),
        })
    }

    /// An agent sends the survey of a resolved case they work: mailed to the case's contact
    /// or requester when there is an address, and its link shown to read out or pass on.
    pub async fn send_survey_link(&self, p: &Principal, id: CaseId) -> AppResult<SentSurvey> {
        let case = self.case_to_work(p, id).await?;
        if case.status.is_active() {
            return Err(AppError::invalid(
                "resolve the case first: the survey asks about help that was given",
            ));
        }
        match self.db().send_survey_link(p.user, id).await? {
            Some(s) => Ok(s),
            None => {
                let known = self.db().case_survey(id).await?;
                let now = serva_domain::time::now_ms();
                Err(match (&known.answer, &known.invitation) {
                    (Some(_), _) => AppError::Conflict("the survey is answered already".into()),
                    (None, Some(i)) if i.status(now) == SurveyStatus::Expired => {
                        AppError::invalid("the survey has closed")
                    }
                    _ => {
                        AppError::invalid("this case is not asked: the unit's sampling left it out")
                    }
                })
            }
        }
    }

    /// A provider unit `p` may see the survey figures of, by code; "not found" otherwise.
    async fn survey_unit(&self, p: &Principal, code: &str) -> AppResult<Unit> {
        match self.db().unit_by_code(code).await {
            Ok(u) if p.can_see_survey_figures(u.id) => Ok(u),
            // A code no unit can have (PostgreSQL refuses a NUL in text) names no unit either.
            Ok(_) | Err(StoreError::NotFound(_)) | Err(StoreError::Invalid(_)) => {
                Err(AppError::NotFound("unit"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A unit's survey figures (its own and its sub-units' surveys) over `period`.
    pub async fn unit_surveys(
        &self,
        p: &Principal,
        code: &str,
        period: Period,
    ) -> AppResult<UnitSurveys> {
        let unit = self.survey_unit(p, code).await?;
        let (figures, settings) = self
            .survey_figures_of(p, &unit, period, COMMENTS_SHOWN)
            .await?;
        Ok(UnitSurveys {
            figures,
            can_set: p.can_set_survey_settings(unit.id),
            unit,
            period,
            settings,
        })
    }

    /// The figures of `unit`'s surveys and its sub-units' over `period`, as `p` may see them
    /// (small groups withheld from agents), with at most `comments` comments; and the unit's
    /// settings. For someone already allowed to see the unit's figures (the surveys page, the
    /// manager's overview).
    pub(crate) async fn survey_figures_of(
        &self,
        p: &Principal,
        unit: &Unit,
        period: Period,
        comments: i64,
    ) -> AppResult<(SurveyFigures, SurveySettings)> {
        let db = self.db();
        let nodes = db.unit_nodes().await?;
        let mut units = vec![unit.id];
        let mut i = 0;
        while i < units.len() {
            let parent = units[i];
            units.extend(
                nodes
                    .iter()
                    .filter(|n| n.parent == Some(parent))
                    .map(|n| n.id),
            );
            i += 1;
        }
        let (from, to) = period.bounds();
        let sums = db.survey_figure_sums(&units, from, to, comments).await?;
        let settings = db.survey_settings(unit.id).await?;
        let viewer = if p.sees_all_survey_figures(unit.id) {
            Viewer::Manager
        } else {
            match p.user {
                Some(u) => Viewer::Agent(u),
                None => return Err(AppError::forbidden("sign in to see survey figures")),
            }
        };
        Ok((figures(&sums, settings.min_group, viewer), settings))
    }

    /// Sets a unit's survey settings.
    pub async fn set_survey_settings(
        &self,
        p: &Principal,
        code: &str,
        s: &SurveySettings,
    ) -> AppResult<Unit> {
        let unit = self.survey_unit(p, code).await?;
        if !p.can_set_survey_settings(unit.id) {
            return Err(AppError::forbidden(
                "only the unit's managers change its survey settings",
            ));
        }
        s.check().map_err(|e| AppError::invalid(e.to_string()))?;
        self.db().set_survey_settings(p.user, unit.id, s).await?;
        Ok(unit)
    }

    /// A unit's survey settings, for whoever may see its figures.
    pub async fn survey_settings_of(
        &self,
        p: &Principal,
        unit: UnitId,
    ) -> AppResult<SurveySettings> {
        if !p.can_see_survey_figures(unit) {
            return Err(AppError::NotFound("unit"));
        }
        Ok(self.db().survey_settings(unit).await?)
    }

    /// The reminder job's round at `now`: sends every reminder that is due (each once, even
    /// with several nodes running the job). Returns how many mails were written.
    pub async fn send_due_survey_reminders(&self, now: i64) -> AppResult<usize> {
        let mut sent = 0;
        loop {
            let due = self
                .db()
                .due_survey_reminders(now, REMINDERS_PER_ROUND)
                .await?;
            let n = due.len();
            for case in due {
                if self.db().send_survey_reminder(case, now).await?.is_some() {
                    sent += 1;
                }
            }
            if (n as i64) < REMINDERS_PER_ROUND {
                return Ok(sent);
            }
        }
    }
}
