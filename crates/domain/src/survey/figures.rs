//! The survey figures: periods and weeks, the sums per group, and the figures — index,
//! response rate, dimensions and comments — with the rule that keeps small groups anonymous
//! to agents.

use serde::Serialize;

use crate::UserId;

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
    /// Per [`Dimension`](super::Dimension): (positive answers, answers).
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
