//! Follow-up rules: tkr rounding, goal assessments, indicator traffic lights, phone-queue
//! service level, and the statuses of assignments and internal control.

use serde::{Deserialize, Serialize};

pub mod entries;
pub mod rows;

/// Öre to whole tkr, rounded half away from zero. The report rounds each figure once, from
/// öre, so a difference is rounded from the exact difference, not from two rounded figures
/// (which is why a row may differ by 1 from the sum of its rounded parts).
pub fn tkr(ore: i64) -> i64 {
    let q = ore / 100_000;
    let r = ore % 100_000;
    if r.abs() * 2 >= 100_000 {
        q + r.signum()
    } else {
        q
    }
}

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $( #[serde(rename = $s)] $variant ),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

str_enum!(
    /// Målområde.
    GoalArea { Economy = "economy", Operations = "operations", Staff = "staff" }
);

str_enum!(
    /// How far a goal is met (uppfyllt, delvis uppfyllt, ej uppfyllt, ej bedömd).
    Assessment { Met = "met", PartlyMet = "partly_met", NotMet = "not_met", NotAssessed = "not_assessed" }
);

str_enum!(
    /// Status of a strategic assignment.
    AssignmentStatus { NotStarted = "not_started", ActionsTaken = "actions_taken", Done = "done", NotApplicable = "not_applicable" }
);

str_enum!(
    /// Result of an internal-control point.
    ControlResult { Satisfactory = "satisfactory", PartlySatisfactory = "partly_satisfactory", Unsatisfactory = "unsatisfactory" }
);

str_enum!(
    /// Totalt, kvinnor, män.
    Gender { Total = "T", Women = "K", Men = "M" }
);

str_enum!(
    /// Which way is better for an indicator.
    Direction { Higher = "higher", Lower = "lower", Band = "band" }
);

str_enum!(
    /// A staff figure of the report, in the report's order.
    StaffMetric { Employees = "employees", SickLeave = "sick_leave", ExternalTurnover = "external_turnover", FullTimeShare = "full_time_share" }
);

str_enum!(
    /// Narrative workflow: written, handed in, approved.
    NarrativeStatus { Draft = "draft", Submitted = "submitted", Approved = "approved" }
);

impl NarrativeStatus {
    /// Draft → submitted → approved; an approved or submitted text can go back to draft.
    pub fn can_become(self, to: NarrativeStatus) -> bool {
        use NarrativeStatus::*;
        matches!(
            (self, to),
            (Draft, Submitted) | (Submitted, Approved) | (Submitted, Draft) | (Approved, Draft)
        )
    }
}

/// The colour of an indicator in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrafficLight {
    /// The goal is met for the year.
    Green,
    /// Positive trend: the goal is partly met.
    Yellow,
    /// Negative trend: the goal is not expected to be met.
    Red,
    /// Not assessed: no value, no target, or nothing to compare with.
    Grey,
}

/// What the traffic-light rule needs of one indicator row.
#[derive(Debug, Clone, Copy)]
pub struct IndicatorReading {
    pub direction: Direction,
    pub band: Option<(f64, f64)>,
    pub latest: Option<f64>,
    pub previous: Option<f64>,
    pub target: Option<f64>,
}

/// The rule, in order: no latest value → grey; target met → green; no target → grey;
/// moving towards the target since the previous period → yellow; otherwise (worse, unchanged,
/// or nothing to compare with) → red, except that with no previous value it is grey.
pub fn traffic_light(r: &IndicatorReading) -> TrafficLight {
    let Some(latest) = r.latest else {
        return TrafficLight::Grey;
    };
    let met = match (r.direction, r.target, r.band) {
        (Direction::Band, _, Some((lo, hi))) => Some(latest >= lo && latest <= hi),
        (Direction::Higher, Some(t), _) => Some(latest >= t),
        (Direction::Lower, Some(t), _) => Some(latest <= t),
        _ => None,
    };
    match met {
        None => TrafficLight::Grey,
        Some(true) => TrafficLight::Green,
        Some(false) => {
            let Some(prev) = r.previous else {
                return TrafficLight::Grey;
            };
            let better = match r.direction {
                Direction::Higher => latest > prev,
                Direction::Lower => latest < prev,
                Direction::Band => {
                    let (lo, hi) = r.band.unwrap_or((f64::MIN, f64::MAX));
                    let dist = |x: f64| {
                        if x < lo {
                            lo - x
                        } else if x > hi {
                            x - hi
                        } else {
                            0.0
                        }
                    };
                    dist(latest) < dist(prev)
                }
            };
            if better {
                TrafficLight::Yellow
            } else {
                TrafficLight::Red
            }
        }
    }
}

/// A value kept out of the report when the group behind it is too small to stay anonymous.
pub fn suppressed(group_size: Option<i64>, min_group_size: i64) -> bool {
    min_group_size > 0 && group_size.is_some_and(|n| n < min_group_size)
}

/// A phone queue's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QueueRule {
    pub answer_within_seconds: i64,
    pub abandon_grace_seconds: i64,
    pub target_percent: f64,
}

impl Default for QueueRule {
    fn default() -> Self {
        QueueRule {
            answer_within_seconds: 120,
            abandon_grace_seconds: 5,
            target_percent: 80.0,
        }
    }
}

/// One call: how long the caller waited and whether it was answered.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    pub wait_seconds: i64,
    pub answered: bool,
}

/// Phone-queue figures over a set of calls.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct CallStats {
    /// Calls offered, not counting those abandoned within the grace period.
    pub offered: i64,
    pub answered: i64,
    pub answered_in_time: i64,
    pub abandoned: i64,
    /// Answered within the threshold ÷ offered, percent.
    pub service_level: Option<f64>,
    /// Abandoned (after the grace period) ÷ offered, percent.
    pub abandon_rate: Option<f64>,
    /// Mean wait of answered calls, seconds.
    pub mean_wait: Option<f64>,
}

pub fn call_stats(calls: impl IntoIterator<Item = Call>, rule: &QueueRule) -> CallStats {
    let mut c = CallCounts::default();
    for call in calls {
        c.add(call, rule);
    }
    c.stats()
}

/// The sums behind `CallStats`, which can be added up call by call or counted by a database
/// (answered within `answer_within_seconds`; unanswered only after `abandon_grace_seconds`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallCounts {
    pub answered: i64,
    pub answered_in_time: i64,
    /// Unanswered after the grace period.
    pub abandoned: i64,
    /// Seconds waited by the answered calls.
    pub answered_wait_sum: i64,
}

impl CallCounts {
    pub fn add(&mut self, c: Call, rule: &QueueRule) {
        if c.answered {
            self.answered += 1;
            self.answered_wait_sum += c.wait_seconds;
            if c.wait_seconds <= rule.answer_within_seconds {
                self.answered_in_time += 1;
            }
        } else if c.wait_seconds > rule.abandon_grace_seconds {
            self.abandoned += 1;
        }
    }

    pub fn merge(&mut self, o: CallCounts) {
        self.answered += o.answered;
        self.answered_in_time += o.answered_in_time;
        self.abandoned += o.abandoned;
        self.answered_wait_sum += o.answered_wait_sum;
    }

    pub fn stats(&self) -> CallStats {
        let offered = self.answered + self.abandoned;
        CallStats {
            offered,
            answered: self.answered,
            answered_in_time: self.answered_in_time,
            abandoned: self.abandoned,
            service_level: (offered > 0)
                .then(|| 100.0 * self.answered_in_time as f64 / offered as f64),
            abandon_rate: (offered > 0).then(|| 100.0 * self.abandoned as f64 / offered as f64),
            mean_wait: (self.answered > 0)
                .then(|| self.answered_wait_sum as f64 / self.answered as f64),
        }
    }
}

/// A survey score counts as satisfied from this value up (on the 0–100 scale).
pub const SATISFIED_FROM: i64 = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tkr_rounds_half_away_from_zero() {
        assert_eq!(tkr(1_064_820_000), 10_648); // 10 648,2 tkr
        assert_eq!(tkr(50_000), 1);
        assert_eq!(tkr(49_999), 0);
        assert_eq!(tkr(-50_000), -1);
        assert_eq!(tkr(-49_999), 0);
        assert_eq!(tkr(0), 0);
    }

    fn reading(
        direction: Direction,
        latest: Option<f64>,
        previous: Option<f64>,
        target: Option<f64>,
    ) -> IndicatorReading {
        IndicatorReading {
            direction,
            band: None,
            latest,
            previous,
            target,
        }
    }

    #[test]
    fn traffic_lights_follow_the_documented_rule() {
        use Direction::*;
        use TrafficLight::*;
        // Sick leave 2,5 % against a target of at most 3,5 %: met.
        assert_eq!(
            traffic_light(&reading(Lower, Some(2.5), Some(4.0), Some(3.5))),
            Green
        );
        // HME 78 → target 80, up from 73: positive trend.
        assert_eq!(
            traffic_light(&reading(Higher, Some(78.0), Some(73.0), Some(80.0))),
            Yellow
        );
        // Managers' sick leave 1,8 % against 1,3 %, up from 0,39: negative trend.
        assert_eq!(
            traffic_light(&reading(Lower, Some(1.8), Some(0.39), Some(1.3))),
            Red
        );
        assert_eq!(
            traffic_light(&reading(Lower, None, Some(1.0), Some(1.0))),
            Grey
        );
        assert_eq!(
            traffic_light(&reading(Lower, Some(1.0), Some(2.0), None)),
            Grey
        );
        assert_eq!(
            traffic_light(&reading(Higher, Some(70.0), None, Some(80.0))),
            Grey
        );
        assert_eq!(
            traffic_light(&reading(Higher, Some(70.0), Some(70.0), Some(80.0))),
            Red
        );
        let band = IndicatorReading {
            direction: Band,
            band: Some((1.0, 2.0)),
            latest: Some(2.5),
            previous: Some(3.0),
            target: None,
        };
        assert_eq!(traffic_light(&band), Yellow);
        assert_eq!(
            traffic_light(&IndicatorReading {
                latest: Some(1.5),
                ..band
            }),
            Green
        );
    }

    #[test]
    fn service_level_leaves_out_quick_hang_ups() {
        let rule = QueueRule::default();
        let calls = [
            Call {
                wait_seconds: 30,
                answered: true,
            },
            Call {
                wait_seconds: 120,
                answered: true,
            },
            Call {
                wait_seconds: 121,
                answered: true,
            },
            Call {
                wait_seconds: 3,
                answered: false,
            }, // within 5 s: not offered
            Call {
                wait_seconds: 5,
                answered: false,
            }, // exactly 5 s: not offered
            Call {
                wait_seconds: 200,
                answered: false,
            }, // abandoned
        ];
        let s = call_stats(calls, &rule);
        assert_eq!(
            (s.offered, s.answered, s.answered_in_time, s.abandoned),
            (4, 3, 2, 1)
        );
        assert_eq!(s.service_level, Some(50.0));
        assert_eq!(s.abandon_rate, Some(25.0));
        assert_eq!(s.mean_wait, Some(90.333_333_333_333_33));
        assert_eq!(call_stats([], &rule).service_level, None);
    }

    #[test]
    fn suppression_and_workflow() {
        assert!(suppressed(Some(3), 5));
        assert!(!suppressed(Some(5), 5));
        assert!(!suppressed(None, 5));
        assert!(!suppressed(Some(1), 0));
        use NarrativeStatus::*;
        assert!(Draft.can_become(Submitted) && Submitted.can_become(Approved));
        assert!(!Draft.can_become(Approved) && !Approved.can_become(Submitted));
        for g in Gender::ALL {
            assert_eq!(Gender::parse(g.as_str()), Some(*g));
        }
    }
}
