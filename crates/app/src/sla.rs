//! Business calendars and SLA clocks: administrators edit a provider unit's calendar (each
//! change recomputes the due times of the unit's open cases in one batch), and the sweep
//! records breaches as due times pass.

use serva_domain::access::Principal;
use serva_domain::calendar::{CalendarSettings, SpecialDay};
use serva_domain::event::Event;
use serva_domain::org::Unit;
use serva_store::sla::{Recomputed, SlaScope};
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

impl App {
    /// A unit by code, for an administrator's calendar page.
    async fn calendar_unit(&self, p: &Principal, code: &str) -> AppResult<Unit> {
        if !p.administers() {
            return Err(AppError::NotFound("calendar"));
        }
        match self.db().unit_by_code(code).await {
            Ok(u) => Ok(u),
            Err(StoreError::NotFound(_)) => Err(AppError::NotFound("unit")),
            Err(e) => Err(e.into()),
        }
    }

    /// The provider units (those with services) with their calendars, for an administrator.
    pub async fn calendars(&self, p: &Principal) -> AppResult<Vec<(Unit, CalendarSettings)>> {
        if !p.administers() {
            return Err(AppError::NotFound("calendar"));
        }
        let db = self.db();
        let services = db
            .services(&serva_store::catalogue::ServiceFilter {
                include_inactive: true,
                ..Default::default()
            })
            .await?;
        let mut out = Vec::new();
        for unit in db.units().await? {
            if services.iter().any(|s| s.unit_id == unit.id) {
                let s = db.calendar_settings(unit.id).await?;
                out.push((unit, s));
            }
        }
        Ok(out)
    }

    /// A unit's calendar, for an administrator.
    pub async fn calendar(&self, p: &Principal, code: &str) -> AppResult<(Unit, CalendarSettings)> {
        let unit = self.calendar_unit(p, code).await?;
        let settings = self.db().calendar_settings(unit.id).await?;
        Ok((unit, settings))
    }

    /// Saves a unit's week, holidays and warning share; its open cases get new due times.
    pub async fn save_calendar_week(
        &self,
        p: &Principal,
        code: &str,
        s: &CalendarSettings,
    ) -> AppResult<Recomputed> {
        let unit = self.calendar_unit(p, code).await?;
        s.check().map_err(|e| AppError::invalid(e.to_string()))?;
        let done = self.db().save_calendar_week(p.user, unit.id, s).await?;
        self.after_recompute(unit, &done);
        Ok(done)
    }

    /// Adds or changes one of a unit's own days.
    pub async fn set_calendar_day(
        &self,
        p: &Principal,
        code: &str,
        day: &SpecialDay,
    ) -> AppResult<Recomputed> {
        let unit = self.calendar_unit(p, code).await?;
        let done = self.db().set_calendar_day(p.user, unit.id, day).await?;
        self.after_recompute(unit, &done);
        Ok(done)
    }

    /// Removes one of a unit's own days.
    pub async fn remove_calendar_day(
        &self,
        p: &Principal,
        code: &str,
        date: chrono::NaiveDate,
    ) -> AppResult<Recomputed> {
        let unit = self.calendar_unit(p, code).await?;
        let done = self.db().remove_calendar_day(p.user, unit.id, date).await?;
        self.after_recompute(unit, &done);
        Ok(done)
    }

    fn after_recompute(&self, unit: Unit, done: &Recomputed) {
        self.events()
            .publish(Event::CalendarChanged { unit: unit.id });
        self.announce(done);
    }

    /// Tells open pages of each breach recorded for the first time.
    fn announce(&self, done: &Recomputed) {
        for b in &done.new_breaches {
            self.events().publish(Event::SlaBreached {
                case: b.case,
                unit: b.unit,
                clock: b.clock,
            });
        }
    }

    /// Works out the clocks that need it at `now`: open cases not worked out yet (after an
    /// upgrade, a bulk load, an interrupted change) and those whose due time has passed
    /// unrecorded. Run at start and then every little while; returns the cases worked out.
    pub async fn sweep_sla(&self, now: i64) -> AppResult<usize> {
        let mut n = 0;
        for scope in [SlaScope::Stale, SlaScope::Due(now)] {
            let done = self.db().recompute_sla(scope, now).await?;
            n += done.cases;
            self.announce(&done);
        }
        Ok(n)
    }
}
