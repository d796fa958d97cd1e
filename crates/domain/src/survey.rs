//! Satisfaction surveys after a case, on every channel (docs/surveys.md): the scale a unit asks
//! on and how an answer maps to the 0–100 index, which resolved cases are asked (sampling),
//! when a survey expires and when its one reminder is due, and the figures — index, response
//! rate, the seed's three dimensions and comments per group — with the rule that keeps small
//! groups anonymous to agents.

use serde::{Deserialize, Serialize};

use crate::case::Channel;
use crate::{CaseId, UserId};

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

/// "2026-V23": the ISO week of the Monday `monday` (days since 1970-01-01, Stockholm).
pub fn week_label(monday: i64) -> String {
    use chrono::Datelike;
    let iso = crate::time::day_date(monday).iso_week();
    format!("{}-V{:02}", iso.year(), iso.week())
}

/// The Monday on or before the Stockholm day of `ms` (days since 1970-01-01).
pub fn week_of(ms: i64) -> i64 {
    let day = crate::time::local_day(ms);
    // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
    day - (day + 3).rem_euclid(7)
}

/// The days whose sent surveys the figures count: `from` to `to`, both included, by the
/// Stockholm calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

/// What is wrong with a period someone asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadPeriod {
    #[error("{0} must be a date, YYYY-MM-DD")]
    NotADate(&'static str),
    #[error("from must be on or before to")]
    Backwards,
    #[error("a period is at most 3 years")]
    TooLong,
}

impl Period {
    /// The period asked for: `from` and `to` as `YYYY-MM-DD`; without them, 1 January of
    /// `today`'s year to `today`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: chrono::NaiveDate,
    ) -> Result<Period, BadPeriod> {
        use chrono::Datelike;
        let date = |s: Option<&str>, what| match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => crate::time::parse_day(s)
                .map(Some)
                .ok_or(BadPeriod::NotADate(what)),
        };
        let to = date(to, "to")?.unwrap_or(today);
        let from = date(from, "from")?.unwrap_or_else(|| {
            chrono::NaiveDate::from_ymd_opt(to.year(), 1, 1).expect("1 January")
        });
        if from > to {
            return Err(BadPeriod::Backwards);
        }
        if (to - from).num_days() > 3 * 366 {
            return Err(BadPeriod::TooLong);
        }
        Ok(Period { from, to })
    }

    /// Milliseconds (UTC) of local midnight starting `from` and ending `to`.
    pub fn bounds(&self) -> (i64, i64) {
        let midnight = |d: chrono::NaiveDate| {
            crate::time::from_local(d.and_hms_opt(0, 0, 0).expect("midnight exists"))
        };
        (
            midnight(self.from),
            midnight(self.to.succ_opt().unwrap_or(self.to)),
        )
    }
}

/// Surveys of one group, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupSums {
    pub sent: i64,
    pub answered: i64,
    /// The main question's index summed over the answers.
    pub score_sum: i64,
    /// Per [`Dimension`]: (positive answers, answers).
    pub dimensions: [(i64, i64); 3],
    pub comments: i64,
}

impl GroupSums {
    pub fn add(&mut self, o: &GroupSums) {
        self.sent += o.sent;
        self.answered += o.answered;
        self.score_sum += o.score_sum;
        for (a, b) in self.dimensions.iter_mut().zip(o.dimensions) {
            a.0 += b.0;
            a.1 += b.1;
        }
        self.comments += o.comments;
    }
}

/// One group's figures as a person sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupFigures {
    /// What the group is: a unit's or service's code, a channel, a user id, a week (`2026-V23`).
    pub key: String,
    pub label: String,
    pub sent: i64,
    pub answered: i64,
    /// Answered of sent, in percent.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub response_rate: Option<f64>,
    /// The mean of the main question on the 0–100 index.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub index: Option<f64>,
    /// Share of positive answers per dimension, in percent.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub engagement: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub general_satisfaction: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub resolution: Option<f64>,
    pub comments: i64,
    /// Fewer answers than the smallest group shown: the index, dimensions and comments are
    /// withheld from agents.
    pub withheld: bool,
}

fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// Who looks at the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The unit's manager, a controller or an administrator: every figure and comment, with
    /// its case and agent.
    Manager,
    /// An agent of the unit: groups of fewer than the smallest group withheld, only their own
    /// row among the agents, comments without case or agent, and only from agents' groups
    /// large enough.
    Agent(UserId),
}

impl GroupSums {
    /// The group's figures; `withhold` hides what a small group would give away.
    pub fn figures(&self, key: String, label: String, withhold: bool) -> GroupFigures {
        let d = |i: usize| {
            if withhold {
                None
            } else {
                pct(self.dimensions[i].0, self.dimensions[i].1)
            }
        };
        GroupFigures {
            key,
            label,
            sent: self.sent,
            answered: self.answered,
            response_rate: pct(self.answered, self.sent),
            index: if withhold || self.answered == 0 {
                None
            } else {
                Some(self.score_sum as f64 / self.answered as f64)
            },
            engagement: d(0),
            general_satisfaction: d(1),
            resolution: d(2),
            comments: if withhold { 0 } else { self.comments },
            withheld: withhold,
        }
    }
}

/// A group as the store sums it: its key, its label and its sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    pub label: String,
    pub sums: GroupSums,
}

/// A comment as the store reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawComment {
    pub case: crate::case::CaseNumber,
    pub agent: Option<UserId>,
    pub agent_name: Option<String>,
    pub service_name: String,
    pub channel: String,
    /// The Monday of the week the survey was sent.
    pub week: i64,
    pub score: i64,
    pub text: String,
    pub answered_at: i64,
}

/// A comment as a person sees it: without its case and agent for agents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentView {
    /// The case number, for managers only.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub case: Option<String>,
    /// The agent's name, for managers only.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub agent: Option<String>,
    pub service: String,
    pub channel: String,
    pub week: String,
    /// The main question on the 0–100 index.
    pub index: i64,
    pub text: String,
}

/// Everything the store reads for the figures of a unit and period.
#[derive(Debug, Clone, Default)]
pub struct FigureSums {
    pub by_unit: Vec<Group>,
    pub by_service: Vec<Group>,
    pub by_channel: Vec<Group>,
    /// Keyed by the agent's user id ("" for surveys of cases nobody was assigned).
    pub by_agent: Vec<Group>,
    /// Keyed by the Monday's day number; labelled by the store with [`week_label`].
    pub by_week: Vec<Group>,
    /// Newest first.
    pub comments: Vec<RawComment>,
}

/// The figures of a unit's surveys over a period, as one person may see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyFigures {
    pub total: GroupFigures,
    pub by_unit: Vec<GroupFigures>,
    pub by_service: Vec<GroupFigures>,
    pub by_channel: Vec<GroupFigures>,
    pub by_agent: Vec<GroupFigures>,
    pub by_week: Vec<GroupFigures>,
    pub comments: Vec<CommentView>,
    pub min_group: i64,
    /// Whether the figures are a manager's (everything) or an agent's (small groups withheld).
    pub full: bool,
}

/// Applies the anonymity rule for `viewer` to the sums.
pub fn figures(sums: &FigureSums, min_group: i64, viewer: Viewer) -> SurveyFigures {
    let full = viewer == Viewer::Manager;
    let small = |g: &GroupSums| g.answered < min_group;
    let withhold = |g: &GroupSums| !full && small(g);
    let rows = |groups: &[Group]| -> Vec<GroupFigures> {
        groups
            .iter()
            .map(|g| {
                g.sums
                    .figures(g.key.clone(), g.label.clone(), withhold(&g.sums))
            })
            .collect()
    };
    let mut total = GroupSums::default();
    for g in &sums.by_unit {
        total.add(&g.sums);
    }
    let by_agent: Vec<GroupFigures> = match viewer {
        Viewer::Manager => rows(&sums.by_agent),
        // An agent sees their own row, and only once it is large enough.
        Viewer::Agent(me) => sums
            .by_agent
            .iter()
            .filter(|g| g.key == me.0.to_string() && !small(&g.sums))
            .map(|g| g.sums.figures(g.key.clone(), g.label.clone(), false))
            .collect(),
    };
    let agent_answers = |agent: Option<UserId>| -> i64 {
        let key = agent.map_or(String::new(), |a| a.0.to_string());
        sums.by_agent
            .iter()
            .find(|g| g.key == key)
            .map_or(0, |g| g.sums.answered)
    };
    let comments = sums
        .comments
        .iter()
        .filter(|c| full || (agent_answers(c.agent) >= min_group && !small(&total)))
        .map(|c| CommentView {
            case: full.then(|| c.case.to_string()),
            agent: if full { c.agent_name.clone() } else { None },
            service: c.service_name.clone(),
            channel: c.channel.clone(),
            week: week_label(c.week),
            index: c.score,
            text: c.text.clone(),
        })
        .collect();
    SurveyFigures {
        total: total.figures("total".into(), String::new(), withhold(&total)),
        by_unit: rows(&sums.by_unit),
        by_service: rows(&sums.by_service),
        by_channel: rows(&sums.by_channel),
        by_agent,
        by_week: rows(&sums.by_week),
        comments,
        min_group,
        full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::CaseNumber;

    #[test]
    fn scales_map_onto_the_index() {
        let five: Vec<i64> = Scale::OneToFive
            .values()
            .map(|v| Scale::OneToFive.to_index(v).unwrap())
            .collect();
        assert_eq!(five, [0, 25, 50, 75, 100]);
        let ten: Vec<i64> = Scale::ZeroToTen
            .values()
            .map(|v| Scale::ZeroToTen.to_index(v).unwrap())
            .collect();
        assert_eq!(ten, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
        assert_eq!(Scale::OneToFive.to_index(0), None);
        assert_eq!(Scale::OneToFive.to_index(6), None);
        assert_eq!(Scale::ZeroToTen.to_index(-1), None);
        assert_eq!(Scale::ZeroToTen.to_index(11), None);
        for s in Scale::ALL {
            assert_eq!(Scale::parse(s.as_str()), Some(s));
        }
        // Positive from 4 of 5 and from 6 of 10.
        assert!(Scale::OneToFive.to_index(4).unwrap() >= POSITIVE_FROM);
        assert!(Scale::OneToFive.to_index(3).unwrap() < POSITIVE_FROM);
        assert!(Scale::ZeroToTen.to_index(6).unwrap() >= POSITIVE_FROM);
        assert!(Scale::ZeroToTen.to_index(5).unwrap() < POSITIVE_FROM);
    }

    #[test]
    fn answers_are_checked_on_their_scale() {
        let raw = RawAnswer {
            answer: Some(4),
            dimensions: [Some(5), None, Some(1)],
            comment: Some("  Snabbt och vänligt.  ".into()),
        };
        let a = raw.check(Scale::OneToFive).unwrap();
        assert_eq!(
            (a.answer, a.score, a.dimensions),
            (4, 75, [Some(100), None, Some(0)])
        );
        assert_eq!(a.comment.as_deref(), Some("Snabbt och vänligt."));
        assert_eq!(
            RawAnswer::default().check(Scale::OneToFive),
            Err(BadAnswer::Missing)
        );
        let off = RawAnswer {
            answer: Some(7),
            ..Default::default()
        };
        assert_eq!(
            off.check(Scale::OneToFive),
            Err(BadAnswer::OffScale("answer", 1, 5))
        );
        assert_eq!(off.check(Scale::ZeroToTen).unwrap().score, 70);
        let dim = RawAnswer {
            answer: Some(3),
            dimensions: [None, Some(0), None],
            comment: Some("   ".into()),
        };
        assert_eq!(
            dim.check(Scale::OneToFive),
            Err(BadAnswer::OffScale("general_satisfaction", 1, 5))
        );
        assert_eq!(dim.check(Scale::ZeroToTen).unwrap().comment, None);
        let long = RawAnswer {
            answer: Some(3),
            comment: Some("ä".repeat(COMMENT_MAX + 1)),
            ..Default::default()
        };
        assert_eq!(long.check(Scale::OneToFive), Err(BadAnswer::CommentTooLong));
    }

    #[test]
    fn sampling_is_deterministic_and_near_its_rate() {
        assert!((1..100).all(|i| is_sampled(CaseId(i), 1)));
        assert!((1..100).all(|i| !is_sampled(CaseId(i), 0)));
        let picked: Vec<i64> = (1..=4_000).filter(|&i| is_sampled(CaseId(i), 4)).collect();
        assert!(
            (900..=1_100).contains(&picked.len()),
            "about one in four: {}",
            picked.len()
        );
        let again: Vec<i64> = (1..=4_000).filter(|&i| is_sampled(CaseId(i), 4)).collect();
        assert_eq!(picked, again);
        // Every second number (one channel of two alternating) is still sampled one in four.
        let even = (1..=4_000)
            .filter(|&i| is_sampled(CaseId(2 * i), 4))
            .count();
        assert!((900..=1_100).contains(&even), "{even}");
    }

    #[test]
    fn settings_are_checked() {
        let ok = SurveySettings::default();
        assert_eq!(ok.check(), Ok(()));
        let mut s = ok;
        s.reminder_days = 30;
        assert_eq!(s.check(), Err(BadSettings::ReminderAfterClose));
        let mut s = ok;
        s.min_group = 0;
        assert_eq!(s.check(), Err(BadSettings::MinGroup));
        let mut s = ok;
        s.set_sample_every(Channel::Phone, 1_001);
        assert_eq!(s.check(), Err(BadSettings::Sampling("phone")));
        s.set_sample_every(Channel::Phone, 4);
        assert_eq!(s.sample_every(Channel::Phone), 4);
        assert_eq!(s.sample_every(Channel::Web), 1);
        assert_eq!(ok.remind_at(0), Some(5 * DAY_MS));
        assert_eq!(ok.expires_at(0), 30 * DAY_MS);
        let mut none = ok;
        none.reminder_days = 0;
        assert_eq!(none.check(), Ok(()));
        assert_eq!(none.remind_at(0), None);
    }

    #[test]
    fn weeks_start_on_monday_in_stockholm() {
        use chrono::NaiveDate;
        let at = |y, m, d, h| {
            crate::time::from_local(
                NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(h, 0, 0)
                    .unwrap(),
            )
        };
        // Sunday 2026-06-07 23:00 and Monday 2026-06-01 00:00 are in week 23.
        let monday = crate::time::day_number(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        assert_eq!(week_of(at(2026, 6, 7, 23)), monday);
        assert_eq!(week_of(at(2026, 6, 1, 0)), monday);
        assert_eq!(week_of(at(2026, 6, 8, 0)), monday + 7);
        assert_eq!(week_label(monday), "2026-V23");
        // The week of 1 January 2027 (a Friday) is 2026's week 53.
        assert_eq!(week_label(week_of(at(2027, 1, 1, 12))), "2026-V53");
    }

    #[test]
    fn periods() {
        use chrono::NaiveDate;
        let today = NaiveDate::from_ymd_opt(2026, 6, 22).unwrap();
        let p = Period::parse(None, None, today).unwrap();
        assert_eq!(p.from, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(p.to, today);
        let (a, b) = p.bounds();
        assert_eq!(crate::time::format_datetime(a), "2026-01-01 00:00");
        assert_eq!(crate::time::format_datetime(b), "2026-06-23 00:00");
        assert_eq!(
            Period::parse(Some("2026-02-30"), None, today),
            Err(BadPeriod::NotADate("from"))
        );
        assert_eq!(
            Period::parse(Some("2026-07-01"), Some("2026-06-01"), today),
            Err(BadPeriod::Backwards)
        );
        assert_eq!(
            Period::parse(Some("2019-01-01"), None, today),
            Err(BadPeriod::TooLong)
        );
        assert_eq!(
            Period::parse(Some(""), Some("2025-12-31"), today)
                .unwrap()
                .from,
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
        );
    }

    fn sums(sent: i64, answered: i64, score_sum: i64) -> GroupSums {
        GroupSums {
            sent,
            answered,
            score_sum,
            dimensions: [(answered, answered), (0, answered), (0, 0)],
            comments: answered.min(1),
        }
    }

    #[test]
    fn figures_and_anonymity() {
        let g = |key: &str, s| Group {
            key: key.into(),
            label: key.into(),
            sums: s,
        };
        let comment = |agent: i64, text: &str| RawComment {
            case: CaseNumber {
                year: 2026,
                id: CaseId(agent * 10),
            },
            agent: Some(UserId(agent)),
            agent_name: Some(format!("Agent {agent}")),
            service_name: "Frågor".into(),
            channel: "phone".into(),
            week: 20_605,
            score: 75,
            text: text.into(),
            answered_at: 0,
        };
        let s = FigureSums {
            by_unit: vec![g("KL", sums(20, 8, 600))],
            by_service: vec![g("KL-FRAGA", sums(20, 8, 600))],
            by_channel: vec![g("phone", sums(12, 6, 450)), g("chat", sums(8, 2, 150))],
            by_agent: vec![g("7", sums(12, 6, 450)), g("9", sums(8, 2, 150))],
            by_week: vec![g("20605", sums(20, 8, 600))],
            comments: vec![comment(7, "Bra"), comment(9, "Dåligt")],
        };
        let m = figures(&s, 5, Viewer::Manager);
        assert!(m.full);
        assert_eq!(
            (m.total.sent, m.total.answered, m.total.index),
            (20, 8, Some(75.0))
        );
        assert_eq!(m.total.response_rate, Some(40.0));
        assert_eq!(m.total.engagement, Some(100.0));
        assert_eq!(m.total.general_satisfaction, Some(0.0));
        assert_eq!(m.total.resolution, None);
        assert_eq!(m.by_agent.len(), 2);
        assert!(!m.by_agent[1].withheld && m.by_agent[1].index == Some(75.0));
        assert_eq!(m.comments.len(), 2);
        assert_eq!(m.comments[0].case.as_deref(), Some("2026-0000070"));
        assert_eq!(m.comments[1].agent.as_deref(), Some("Agent 9"));

        // Agent 7 has 6 answers: their own row, comments without case or agent; agent 9's
        // comment (2 answers) is withheld, and so is the chat channel's index.
        let a = figures(&s, 5, Viewer::Agent(UserId(7)));
        assert!(!a.full);
        assert_eq!(a.total.index, Some(75.0));
        assert_eq!(a.by_agent.len(), 1);
        assert_eq!(a.by_agent[0].key, "7");
        let chat = a.by_channel.iter().find(|c| c.key == "chat").unwrap();
        assert!(chat.withheld && chat.index.is_none() && chat.engagement.is_none());
        assert_eq!((chat.sent, chat.answered), (8, 2));
        assert_eq!(a.comments.len(), 1);
        assert_eq!(
            (
                &a.comments[0].case,
                &a.comments[0].agent,
                a.comments[0].text.as_str()
            ),
            (&None, &None, "Bra")
        );
        // Agent 9 sees no row of their own and no comments about them.
        let b = figures(&s, 5, Viewer::Agent(UserId(9)));
        assert!(b.by_agent.is_empty());
        assert_eq!(b.comments.len(), 1);
        // With a smallest group of 10, the agent sees no index at all.
        let c = figures(&s, 10, Viewer::Agent(UserId(7)));
        assert!(c.total.withheld && c.total.index.is_none());
        assert!(c.comments.is_empty() && c.by_agent.is_empty());
    }
}
