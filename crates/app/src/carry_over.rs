//! Carrying the report's texts and events over from one report date to a new one: a plan
//! shown first (what is copied, what the new date has already and keeps), then the copy.

use serva_domain::access::Principal;
use serva_domain::followup::entries::{CarryOverPlan, OrgRef};

use crate::{App, AppError, AppResult};

fn day(s: &str) -> AppResult<String> {
    serva_domain::time::parse_day(s)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .ok_or_else(|| AppError::Invalid(format!("{s:?} is not a date ÅÅÅÅ-MM-DD")))
}

impl App {
    /// The dates the administration has texts or events for, newest first.
    pub async fn text_dates(&self, p: &Principal, org: &str) -> AppResult<Vec<String>> {
        let org = self.writable_org(p, org).await?;
        Ok(self.db.followup_text_dates(org.id).await?)
    }

    /// What a carry-over from `from` to `to` would copy. A text whose section `to` has, and
    /// an event with the same text, are not copied: nothing is written over.
    pub async fn carry_over_plan(
        &self,
        p: &Principal,
        org: &str,
        from: &str,
        to: &str,
    ) -> AppResult<CarryOverPlan> {
        let org = self.writable_org(p, org).await?;
        let (from, to) = (day(from)?, day(to)?);
        if from == to {
            return Err(AppError::Invalid("the dates are the same".into()));
        }
        let db = &self.db;
        let have = db.narratives(org.id, &to).await?;
        let have_events = db.event_entries(org.id, &to).await?;
        let texts = db
            .narratives(org.id, &from)
            .await?
            .into_iter()
            .map(|t| {
                let exists = have.iter().any(|h| h.section == t.section);
                (t, exists)
            })
            .collect();
        let events = db
            .event_entries(org.id, &from)
            .await?
            .into_iter()
            .map(|e| {
                let exists = have_events.iter().any(|h| h.body == e.body);
                (e, exists)
            })
            .collect();
        Ok(CarryOverPlan {
            org: OrgRef {
                id: org.id,
                code: org.code,
                name: org.name,
            },
            from,
            to,
            texts,
            events,
        })
    }

    /// Copies what the plan says; returns the plan carried out.
    pub async fn carry_over(
        &self,
        p: &Principal,
        org: &str,
        from: &str,
        to: &str,
    ) -> AppResult<CarryOverPlan> {
        let plan = self.carry_over_plan(p, org, from, to).await?;
        let texts: Vec<_> = plan
            .texts
            .iter()
            .filter(|t| !t.1)
            .map(|t| t.0.clone())
            .collect();
        let events: Vec<_> = plan
            .events
            .iter()
            .filter(|e| !e.1)
            .map(|e| e.0.clone())
            .collect();
        self.db
            .carry_over(p.user, plan.org.id, &plan.to, &texts, &events)
            .await?;
        Ok(plan)
    }
}
