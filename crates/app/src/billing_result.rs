//! Each unit's result from the billing: revenue from its locked charges, costs from the
//! ledger's imported outcome, against the zero-result budget. Controllers and administrators
//! see every unit; a unit's managers see the units they manage; nobody else sees any.

use std::collections::BTreeSet;

use chrono::Datelike;
use serva_domain::access::Principal;
use serva_domain::billing::result::{unit_result, unit_results, UnitResult};
use serva_domain::report::unit_results::{unit_result_rows, UnitResultRow};

use crate::{App, AppError, AppResult};

/// The years a result can be asked for.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

fn check_year(year: i32) -> AppResult<()> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "year {year} must be between {} and {}",
            YEARS.start(),
            YEARS.end()
        )))
    }
}

impl App {
    async fn result_inputs(
        &self,
        year: i32,
    ) -> AppResult<(
        Vec<serva_domain::billing::result::ChargedRevenue>,
        Vec<serva_domain::billing::result::LedgerMonth>,
        BTreeSet<u32>,
    )> {
        let db = self.db();
        Ok((
            db.charged_revenue(year).await?,
            db.ledger_months(year).await?,
            db.locked_months(year).await?.into_iter().collect(),
        ))
    }

    /// The year the result page opens on: the latest locked run's, else this year.
    pub async fn unit_result_year(&self, p: &Principal) -> AppResult<i32> {
        if !p.sees_unit_results() {
            return Err(AppError::NotFound("unit results"));
        }
        let latest = self.db().latest_run_month().await?;
        Ok(latest
            .and_then(|m| m.get(..4).and_then(|y| y.parse().ok()))
            .unwrap_or_else(|| serva_domain::time::today().year()))
    }

    /// The year's result of every unit the person may see that has charges or ledger outcome.
    pub async fn unit_results(&self, p: &Principal, year: i32) -> AppResult<Vec<UnitResult>> {
        if !p.sees_unit_results() {
            return Err(AppError::NotFound("unit results"));
        }
        check_year(year)?;
        let (charges, ledger, locked) = self.result_inputs(year).await?;
        let units = self.db().units().await?;
        Ok(unit_results(&charges, &ledger, &locked)
            .into_iter()
            .filter(|r| {
                units
                    .iter()
                    .any(|u| u.code == r.unit && p.can_see_unit_result(u.id))
            })
            .collect())
    }

    /// Every service's name by its code (also the inactive ones: they may have been charged).
    pub async fn service_names(&self) -> AppResult<std::collections::HashMap<String, String>> {
        Ok(self
            .db()
            .services(&serva_store::catalogue::ServiceFilter {
                include_inactive: true,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect())
    }

    /// One unit's result for the year, month by month and per service.
    pub async fn unit_result(&self, p: &Principal, year: i32, unit: &str) -> AppResult<UnitResult> {
        let u = match self.db().unit_by_code(unit).await {
            Ok(u) => u,
            Err(serva_store::StoreError::NotFound(_)) => return Err(AppError::NotFound("unit")),
            Err(e) => return Err(e.into()),
        };
        if !p.can_see_unit_result(u.id) {
            return Err(AppError::NotFound("unit"));
        }
        check_year(year)?;
        let (charges, ledger, locked) = self.result_inputs(year).await?;
        Ok(unit_result(&u.code, &charges, &ledger, &locked))
    }

    /// The interim report's "Enheternas resultat från debiteringen": the report's provider
    /// units, in the report's order, through the report date. The report's reader has been
    /// checked already.
    pub(crate) async fn report_unit_results(
        &self,
        units: &[serva_domain::report::ReportUnit],
        providers: &[serva_domain::UnitId],
        q: &serva_domain::report::ReportParams,
    ) -> AppResult<Vec<UnitResultRow>> {
        let (charges, ledger, locked) = self.result_inputs(q.year).await?;
        if locked.is_empty() {
            return Ok(Vec::new());
        }
        let results = unit_results(&charges, &ledger, &locked);
        let named: Vec<(String, String)> = providers
            .iter()
            .filter_map(|id| units.iter().find(|u| u.id == *id))
            .map(|u| (u.code.clone(), u.name.clone()))
            .collect();
        let through_month = if q.through.year() == q.year {
            q.through.month()
        } else {
            12
        };
        Ok(unit_result_rows(&named, &results, through_month))
    }
}
