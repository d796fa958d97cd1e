//! Showback: a customer manager sees what their department bought — per service and locked
//! month, the charge lines behind each amount — and the department's open cases beside it.
//! Only their own department's (and its sub-units'): anyone else gets nothing.

use serva_domain::access::Principal;
use serva_domain::UnitId;
use serva_store::billing::month_days;
use serva_store::showback::{ChargeSum, OpenCount, ShowbackLine};

use crate::{App, AppError, AppResult};

/// A department's purchases and open cases.
#[derive(Debug, Clone)]
pub struct Showback {
    /// Per locked month and service, the newest month first.
    pub charges: Vec<ChargeSum>,
    pub open: Vec<OpenCount>,
}

/// The customer units whose charges `p` sees: those they oversee as customer manager.
fn departments(p: &Principal) -> AppResult<Vec<UnitId>> {
    if p.oversees.is_empty() {
        return Err(AppError::NotFound("showback"));
    }
    let mut units: Vec<UnitId> = p.oversees.iter().copied().collect();
    units.sort_unstable();
    Ok(units)
}

impl App {
    /// The department's charges per month and service, and its open cases per service.
    pub async fn showback(&self, p: &Principal) -> AppResult<Showback> {
        let units = departments(p)?;
        let db = self.db();
        Ok(Showback {
            charges: db.customer_charges(&units).await?,
            open: db.customer_open_per_service(&units).await?,
        })
    }

    /// The charge lines behind one amount: the department's lines of `service` in the locked
    /// run of `month`.
    pub async fn showback_lines(
        &self,
        p: &Principal,
        month: &str,
        service: &str,
    ) -> AppResult<Vec<ShowbackLine>> {
        let units = departments(p)?;
        month_days(month).ok_or_else(|| {
            AppError::BadRequest(format!("month {month:?} must be written YYYY-MM"))
        })?;
        Ok(self
            .db()
            .customer_charge_lines(&units, month, service)
            .await?)
    }
}
