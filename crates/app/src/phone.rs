//! The phone channel: call records from the telephony platform, and a queue's service level.

use std::collections::HashMap;

use serva_domain::access::Principal;
use serva_domain::event::Event;
use serva_domain::import::{ImportError, Record};
use serva_domain::org::Unit;
use serva_domain::phone::{check_call, service_level, week_and_day_bounds, PhoneServiceLevel};
use serva_domain::UnitId;
use serva_store::calls_live::{CallWritten, NewCall};

use crate::{App, AppError, AppResult};

/// One call as the platform posts it: the columns of the `calls` import, as text.
#[derive(Debug, Clone, Default)]
pub struct CallInput {
    pub call_id: String,
    pub unit: String,
    pub offered_at: String,
    pub wait_seconds: String,
    pub answered: String,
}

/// Why posted calls were refused: every problem, by the call's position (from 0); nothing
/// of the post was stored.
#[derive(Debug)]
pub enum CallsRefused {
    Invalid(Vec<ImportError>),
    Failed(AppError),
}

impl From<AppError> for CallsRefused {
    fn from(e: AppError) -> Self {
        CallsRefused::Failed(e)
    }
}

/// The most calls one post may carry; a day's calls of a busy queue fit easily.
pub const CALLS_PER_POST_MAX: usize = 1_000;

impl App {
    /// Stores call records from the telephony platform: each checked as a row of the `calls`
    /// import is, all or nothing, idempotent on `call_id`.
    pub async fn record_calls(
        &self,
        p: &Principal,
        calls: &[CallInput],
    ) -> Result<Vec<CallWritten>, CallsRefused> {
        if !p.may_import("calls") {
            return Err(AppError::forbidden("you may not record calls").into());
        }
        if calls.is_empty() {
            return Err(AppError::bad_request("no calls: send one call or a list of calls").into());
        }
        if calls.len() > CALLS_PER_POST_MAX {
            return Err(AppError::bad_request(format!(
                "{} calls in one post; send at most {CALLS_PER_POST_MAX}",
                calls.len()
            ))
            .into());
        }
        let units: HashMap<String, (UnitId, bool)> = self
            .db()
            .units()
            .await
            .map_err(AppError::from)?
            .into_iter()
            .map(|u| (u.code.as_str().to_string(), (u.id, u.kind.is_provider())))
            .collect();
        let mut errors = Vec::new();
        let mut checked = Vec::with_capacity(calls.len());
        for (i, c) in calls.iter().enumerate() {
            let r = Record::from_fields(
                i,
                [
                    ("call_id", c.call_id.as_str()),
                    ("unit", c.unit.as_str()),
                    ("offered_at", c.offered_at.as_str()),
                    ("wait_seconds", c.wait_seconds.as_str()),
                    ("answered", c.answered.as_str()),
                ],
            );
            let call = match check_call(&r) {
                Ok(call) => call,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            match units.get(&call.unit) {
                Some(&(unit, true)) => checked.push(NewCall {
                    unit,
                    call_ref: call.call_ref,
                    offered_at: call.offered_at,
                    wait_seconds: call.wait_seconds,
                    answered: call.answered,
                }),
                Some(&(_, false)) => errors.push(r.error(
                    "unit",
                    format!("unit {:?} is not a provider unit with a queue", call.unit),
                )),
                None => errors.push(r.error("unit", format!("no unit has code {:?}", call.unit))),
            }
        }
        if !errors.is_empty() {
            return Err(CallsRefused::Invalid(errors));
        }
        let written = self
            .db()
            .record_calls(p.user, &checked)
            .await
            .map_err(AppError::from)?;
        // Each queue whose figures moved hears of it (its wall board reads them again), and
        // only that queue: the platform posts all day.
        let mut per_unit: std::collections::BTreeMap<UnitId, usize> = Default::default();
        for w in &written {
            if let CallWritten::Created(c) = w {
                *per_unit.entry(c.unit).or_default() += 1;
            }
        }
        for (unit, calls) in per_unit {
            self.events().publish(Event::CallsRecorded { unit, calls });
        }
        Ok(written)
    }

    /// A phone queue's service level today, this week and per hour today, at `now` (ms, UTC):
    /// for the unit's agents and managers. The wall board and the queue's phone page show it.
    pub async fn phone_service_level(
        &self,
        p: &Principal,
        unit_code: &str,
        now: i64,
    ) -> AppResult<(Unit, PhoneServiceLevel)> {
        let unit = match self.db().unit_by_code(unit_code).await {
            Ok(u) => u,
            Err(serva_store::StoreError::NotFound(_)) => return Err(AppError::NotFound("queue")),
            Err(e) => return Err(e.into()),
        };
        if !(p.can_see_queue(unit.id) || p.can_manage_catalogue(unit.id))
            || !unit.kind.is_provider()
        {
            return Err(AppError::NotFound("queue"));
        }
        let level = self.unit_phone_level(&unit, now).await?;
        Ok((unit, level))
    }

    /// The service level of `unit`'s phone queue at `now`, for someone already allowed to see
    /// it (the phone page above, the wall board).
    pub(crate) async fn unit_phone_level(
        &self,
        unit: &Unit,
        now: i64,
    ) -> AppResult<PhoneServiceLevel> {
        let rule = self.db().queue_rule(unit.id.0).await?;
        let (week_start, _, day_end) = week_and_day_bounds(now);
        let hours = self
            .db()
            .calls_by_hour(unit.id, week_start, day_end, &rule)
            .await?;
        Ok(service_level(
            now,
            rule,
            hours.into_iter().map(|h| (h.hour, h.counts)),
        ))
    }
}
