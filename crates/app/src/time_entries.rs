//! Time recorded on cases: the provider's staff (agents, unit managers; administrators)
//! record, change and remove their own time until a locked billing run charges it. Customers
//! never see it.

use chrono::NaiveDate;
use serva_domain::access::Principal;
use serva_domain::billing::hours::{check_day, check_entry, HoursProblem, TimeEntry};
use serva_domain::billing::money::Milli;
use serva_domain::CaseId;
use serva_store::time_entries::TimeInput;

use crate::{App, AppError, AppResult};

/// The longest note on a time entry, in characters.
pub const NOTE_MAX: usize = 500;

/// Why time was not recorded.
#[derive(Debug)]
pub enum TimeRefused {
    /// The hours (or the person's day) are wrong.
    Hours(HoursProblem),
    /// The note is too long.
    NoteTooLong,
    /// The day's month is billed and locked already.
    MonthLocked(String),
    Other(AppError),
}

impl From<AppError> for TimeRefused {
    fn from(e: AppError) -> Self {
        TimeRefused::Other(e)
    }
}

impl From<serva_store::StoreError> for TimeRefused {
    fn from(e: serva_store::StoreError) -> Self {
        TimeRefused::Other(e.into())
    }
}

impl std::fmt::Display for TimeRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimeRefused::Hours(h) => write!(f, "{h}"),
            TimeRefused::NoteTooLong => write!(f, "the note is longer than {NOTE_MAX} characters"),
            TimeRefused::MonthLocked(m) => write!(
                f,
                "the billing run of {m} is locked; time cannot be recorded in it"
            ),
            TimeRefused::Other(e) => write!(f, "{e}"),
        }
    }
}

impl App {
    /// A case's time entries, for the provider's side only.
    pub async fn case_time(&self, p: &Principal, case: CaseId) -> AppResult<Vec<TimeEntry>> {
        self.case_to_work(p, case).await?;
        Ok(self.db().time_entries_of_case(case).await?)
    }

    async fn check_time(
        &self,
        p: &Principal,
        day: NaiveDate,
        hours: Milli,
        note: &str,
        except: Option<i64>,
    ) -> Result<(), TimeRefused> {
        let user = p
            .user
            .ok_or_else(|| AppError::forbidden("time is recorded by a person"))?;
        check_entry(hours).map_err(TimeRefused::Hours)?;
        if note.chars().count() > NOTE_MAX {
            return Err(TimeRefused::NoteTooLong);
        }
        let month = day.format("%Y-%m").to_string();
        if self.db().billing_run(&month).await?.is_some() {
            return Err(TimeRefused::MonthLocked(month));
        }
        let others = self.db().hours_of_day(user, day, except).await?;
        check_day(others, hours).map_err(TimeRefused::Hours)
    }

    /// Records time on a case; returns the entry's id.
    pub async fn record_time(
        &self,
        p: &Principal,
        case: CaseId,
        day: NaiveDate,
        hours: Milli,
        note: &str,
    ) -> Result<i64, TimeRefused> {
        self.case_to_work(p, case).await?;
        let note = note.trim();
        self.check_time(p, day, hours, note, None).await?;
        let input = TimeInput {
            day,
            hours,
            note: note.to_string(),
        };
        let user = p.user.expect("checked");
        Ok(self.db().add_time_entry(user, case, &input).await?)
    }

    /// One's own entry on the case, still open to change.
    async fn own_entry(&self, p: &Principal, case: CaseId, id: i64) -> AppResult<TimeEntry> {
        self.case_to_work(p, case).await?;
        let e = self
            .db()
            .time_entry(id)
            .await?
            .filter(|e| e.case_id == case.0)
            .ok_or(AppError::NotFound("time entry"))?;
        if p.user.map(|u| u.0) != Some(e.user_id) {
            return Err(AppError::forbidden(
                "only the person who recorded the time can change it",
            ));
        }
        if e.charged {
            return Err(AppError::Conflict(
                "the time entry is charged in a locked billing run and can no longer change".into(),
            ));
        }
        Ok(e)
    }

    pub async fn change_time(
        &self,
        p: &Principal,
        case: CaseId,
        id: i64,
        day: NaiveDate,
        hours: Milli,
        note: &str,
    ) -> Result<(), TimeRefused> {
        let before = self.own_entry(p, case, id).await?;
        let note = note.trim();
        self.check_time(p, day, hours, note, Some(id)).await?;
        let input = TimeInput {
            day,
            hours,
            note: note.to_string(),
        };
        let user = p.user.expect("checked");
        Ok(self.db().update_time_entry(user, &before, &input).await?)
    }

    pub async fn delete_time(&self, p: &Principal, case: CaseId, id: i64) -> AppResult<()> {
        let before = self.own_entry(p, case, id).await?;
        let user = p.user.expect("own entry");
        Ok(self.db().delete_time_entry(user, &before).await?)
    }
}
