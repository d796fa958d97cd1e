//! Satisfaction surveys after a case, on every channel (docs/surveys.md): the scale a unit asks
//! on and how an answer maps to the 0–100 index, which resolved cases are asked (sampling),
//! when a survey expires and when its one reminder is due, and the figures — index, response
//! rate, the seed's three dimensions and comments per group — with the rule that keeps small
//! groups anonymous to agents.

use serde::{Deserialize, Serialize};

use crate::case::Channel;
use crate::CaseId;

mod figures;
pub use figures::{
    figures, week_label, week_of, BadPeriod, CommentView, FigureSums, Group, GroupFigures,
    GroupSums, Period, RawComment, SurveyFigures, Viewer,
};

/// The scale the survey's questions are answered on.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scale {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    #[serde(rename = "1-5")]
    OneToFive,
    /// 0 (not at all satisfied) to 10 (fully satisfied).
    #[serde(rename = "0-10")]
    ZeroToTen,
}

impl Scale {
    pub const ALL: [Scale; 2] = [Scale::OneToFive, Scale::ZeroToTen];

    pub fn as_str(self) -> &'static str {
        match self {
            Scale::OneToFive => "1-5",
            Scale::ZeroToTen => "0-10",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The lowest and highest answer.
    pub fn bounds(self) -> (i64, i64) {
        match self {
            Scale::OneToFive => (1, 5),
            Scale::ZeroToTen => (0, 10),
        }
    }

    /// Every answer, lowest first.
    pub fn values(self) -> std::ops::RangeInclusive<i64> {
        let (lo, hi) = self.bounds();
        lo..=hi
    }

    /// An answer on this scale as the 0–100 index: a straight line from the lowest answer (0)
    /// to the highest (100). On 1–5: 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100; on 0–10: ×10.
    /// `None` for a value off the scale.
    pub fn to_index(self, value: i64) -> Option<i64> {
        let (lo, hi) = self.bounds();
        (lo..=hi)
            .contains(&value)
            .then(|| (value - lo) * 100 / (hi - lo))
    }
}

/// An answer counts as positive — satisfied, for a dimension "agrees" — from this index up: 4
/// and 5 on the 1–5 scale, 6 to 10 on the 0–10 scale. The same line as the report's share of
/// satisfied customers.
pub const POSITIVE_FROM: i64 = crate::followup::SATISFIED_FROM;

/// The seed's dimensions, asked after the main question, each optional and on the same scale.
/// Reported as the share of positive answers, as the interim report does ("engagemang 82 %").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Engagemang: the officer cared about the errand.
    Engagement,
    /// Allmän nöjdhet: satisfied with the unit in general, beyond this case.
    GeneralSatisfaction,
    /// Uppklarning: the errand was resolved.
    Resolution,
}

impl Dimension {
    pub const ALL: [Dimension; 3] = [
        Dimension::Engagement,
        Dimension::GeneralSatisfaction,
        Dimension::Resolution,
    ];

    /// The name of its form field, API field and column.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Engagement => "engagement",
            Dimension::GeneralSatisfaction => "general_satisfaction",
            Dimension::Resolution => "resolution",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Dimension::Engagement => 0,
            Dimension::GeneralSatisfaction => 1,
            Dimension::Resolution => 2,
        }
    }
}

/// How a survey reached its respondent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// A link in the mail that says the case is resolved (or, resolved at once, the survey mail).
    Mail,
    /// Shown in the chat when it ended.
    Chat,
    /// Shown on the citizen's follow page.
    Follow,
    /// Shown to the signed-in requester on the case page.
    Page,
    /// A link an agent sent or read out from the case page ("Skicka enkät").
    Link,
    /// Answered through the API.
    Api,
}

impl Via {
    pub const ALL: [Via; 6] = [
        Via::Mail,
        Via::Chat,
        Via::Follow,
        Via::Page,
        Via::Link,
        Via::Api,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Via::Mail => "mail",
            Via::Chat => "chat",
            Via::Follow => "follow",
            Via::Page => "page",
            Via::Link => "link",
            Via::Api => "api",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Sampling: `0` asks nobody, `1` every resolved case, `n` one case in `n`.
pub const SAMPLE_MAX: i64 = 1_000;

/// A provider unit's survey settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySettings {
    pub scale: Scale,
    /// Days after sending that the one reminder goes, by mail; 0 sends none.
    pub reminder_days: i64,
    /// Days a survey can be answered after it was sent.
    pub valid_days: i64,
    /// The fewest answers a group needs before agents see its figures and comments.
    pub min_group: i64,
    /// One case in `n` per channel, in the order of [`Channel::ALL`].
    pub sample_every: [i64; 5],
}

impl Default for SurveySettings {
    /// Every resolved case is asked on the 1–5 scale, reminded once after 5 days, open for
    /// 30 days; agents see groups of 5 answers or more.
    fn default() -> Self {
        SurveySettings {
            scale: Scale::OneToFive,
            reminder_days: 5,
            valid_days: 30,
            min_group: 5,
            sample_every: [1; 5],
        }
    }
}

/// What is wrong with settings someone entered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadSettings {
    #[error("the reminder must go after 0–60 days (0: no reminder)")]
    ReminderDays,
    #[error("a survey must be open for 1–365 days")]
    ValidDays,
    #[error("the reminder must go before the survey closes")]
    ReminderAfterClose,
    #[error("the smallest group shown must be 1–100 answers")]
    MinGroup,
    #[error("sampling for {0} must be 0 (never), 1 (every case) or one in 2–1000")]
    Sampling(&'static str),
}

fn channel_index(c: Channel) -> usize {
    Channel::ALL
        .iter()
        .position(|x| *x == c)
        .expect("every channel is in ALL")
}

impl SurveySettings {
    pub fn sample_every(&self, channel: Channel) -> i64 {
        self.sample_every[channel_index(channel)]
    }

    pub fn set_sample_every(&mut self, channel: Channel, every: i64) {
        self.sample_every[channel_index(channel)] = every;
    }

    pub fn check(&self) -> Result<(), BadSettings> {
        if !(0..=60).contains(&self.reminder_days) {
            return Err(BadSettings::ReminderDays);
        }
        if !(1..=365).contains(&self.valid_days) {
            return Err(BadSettings::ValidDays);
        }
        if self.reminder_days >= self.valid_days {
            return Err(BadSettings::ReminderAfterClose);
        }
        if !(1..=100).contains(&self.min_group) {
            return Err(BadSettings::MinGroup);
        }
        for c in Channel::ALL {
            if !(0..=SAMPLE_MAX).contains(&self.sample_every(c)) {
                return Err(BadSettings::Sampling(c.as_str()));
            }
        }
        Ok(())
    }

    /// When a survey sent at `sent_at` closes.
    pub fn expires_at(&self, sent_at: i64) -> i64 {
        sent_at + self.valid_days * DAY_MS
    }

    /// When the reminder of a survey mailed at `sent_at` is due; `None` without reminders.
    pub fn remind_at(&self, sent_at: i64) -> Option<i64> {
        (self.reminder_days > 0).then(|| sent_at + self.reminder_days * DAY_MS)
    }
}

const DAY_MS: i64 = 86_400_000;

/// Whether the resolved case `case` is asked when its channel samples one case in `every`.
///
/// Decided by the case number alone, so the same case always gets the same answer (on every
/// node, after a restart, in a test) and nobody can pick whom to ask. The number is mixed
/// first (SplitMix64's finaliser): numbers handed out in a pattern — every second one to the
/// phone, say — would otherwise fall in or out of the sample together.
pub fn is_sampled(case: CaseId, every: i64) -> bool {
    match every {
        i64::MIN..=0 => false,
        1 => true,
        n => mix(case.0 as u64).is_multiple_of(n as u64),
    }
}

fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The longest comment kept.
pub const COMMENT_MAX: usize = 2_000;

/// An answer as the respondent gave it, on the survey's scale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAnswer {
    pub answer: Option<i64>,
    /// Per [`Dimension`], in its order.
    pub dimensions: [Option<i64>; 3],
    pub comment: Option<String>,
}

/// A checked answer: on the scale, and as the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub scale: Scale,
    /// The main question's answer on the scale.
    pub answer: i64,
    /// The main question on the 0–100 index.
    pub score: i64,
    /// Per [`Dimension`], on the 0–100 index.
    pub dimensions: [Option<i64>; 3],
    pub comment: Option<String>,
}

/// What is wrong with an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadAnswer {
    #[error("answer the question: how satisfied are you with the help you got?")]
    Missing,
    #[error("{0} must be {1}–{2}")]
    OffScale(&'static str, i64, i64),
    #[error("the comment is longer than 2 000 characters")]
    CommentTooLong,
}

impl RawAnswer {
    /// Checks the answer against `scale`: the main question is needed, the dimensions and the
    /// comment are not; an empty comment is none.
    pub fn check(&self, scale: Scale) -> Result<Answer, BadAnswer> {
        let (lo, hi) = scale.bounds();
        let answer = self.answer.ok_or(BadAnswer::Missing)?;
        let score = scale
            .to_index(answer)
            .ok_or(BadAnswer::OffScale("answer", lo, hi))?;
        let mut dimensions = [None; 3];
        for d in Dimension::ALL {
            if let Some(v) = self.dimensions[d.index()] {
                dimensions[d.index()] = Some(scale.to_index(v).ok_or(BadAnswer::OffScale(
                    d.as_str(),
                    lo,
                    hi,
                ))?);
            }
        }
        let comment = self
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > COMMENT_MAX) {
            return Err(BadAnswer::CommentTooLong);
        }
        Ok(Answer {
            scale,
            answer,
            score,
            dimensions,
            comment: comment.map(str::to_string),
        })
    }
}

/// Where a survey is, as whoever holds its link finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyStatus {
    /// Waiting for an answer until `expires_at`.
    Open {
        expires_at: i64,
    },
    Answered,
    Expired,
}

impl SurveyStatus {
    pub fn of(answered: bool, expires_at: i64, now: i64) -> SurveyStatus {
        if answered {
            SurveyStatus::Answered
        } else if now >= expires_at {
            SurveyStatus::Expired
        } else {
            SurveyStatus::Open { expires_at }
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, SurveyStatus::Open { .. })
    }
}

/// A survey sent about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub scale: Scale,
    pub via: Via,
    pub sent_at: i64,
    pub expires_at: i64,
    pub remind_at: Option<i64>,
    pub reminded_at: Option<i64>,
    pub answered_at: Option<i64>,
}

impl Invitation {
    pub fn status(&self, now: i64) -> SurveyStatus {
        SurveyStatus::of(self.answered_at.is_some(), self.expires_at, now)
    }
}

/// The answer kept for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The main question on the 0–100 index.
    pub score: i64,
    /// On its scale (none for an answer given on the index directly, before scales).
    pub scale: Option<Scale>,
    pub answer: Option<i64>,
    /// Per dimension, on the 0–100 index.
    pub dimensions: [Option<i64>; 3],
    pub comment: Option<String>,
    pub answered_at: i64,
}

/// A case's survey: what was sent and what was answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseSurvey {
    pub invitation: Option<Invitation>,
    pub answer: Option<StoredAnswer>,
}

/// A survey opened by its link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedSurvey {
    pub case: CaseId,
    pub number: crate::case::CaseNumber,
    pub subject: String,
    pub unit_name: String,
    pub scale: Scale,
    pub status: SurveyStatus,
}

/// A survey an agent sent from the case page: its link, and where it was mailed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentSurvey {
    pub url: String,
    pub expires_at: i64,
    pub mailed_to: Option<String>,
}

/// What the case page shows about its survey, as one person may see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyPanel {
    /// The requester may answer now, on this scale.
    pub answer_on: Option<Scale>,
    /// The survey as sent.
    pub sent: Option<Invitation>,
    /// The answer itself: for the requester and the unit's managers, never for its agents.
    pub answer: Option<StoredAnswer>,
    pub answered: bool,
    /// The provider's side may send the survey's link ("Skicka enkät").
    pub can_send: bool,
}

#[cfg(test)]
mod tests;
