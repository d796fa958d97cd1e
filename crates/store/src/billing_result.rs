//! What a unit's result is made of, read for a year: the locked runs' revenue per providing
//! unit, service and run month, and the ledger's outcome per unit and month (`fin_outcome`,
//! written by the SIE import). The arithmetic is `serva_domain::billing::result`'s.

use serva_domain::billing::result::{ChargedRevenue, LedgerMonth};

use crate::{Db, StoreError, StoreResult};

/// The month number of a run month written `YYYY-MM`.
fn month_number(month: &str) -> StoreResult<u32> {
    month
        .get(5..7)
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| StoreError::Corrupt(format!("billing run month {month:?}")))
}

impl Db {
    /// The month of the latest locked run, if any.
    pub async fn latest_run_month(&self) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT MAX(month) FROM billing_runs")
            .fetch_one(&self.read)
            .await?)
    }

    /// The year's locked runs' months (1–12).
    pub async fn locked_months(&self, year: i32) -> StoreResult<Vec<u32>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT month FROM billing_runs WHERE month >= $1 AND month <= $2 ORDER BY month",
        )
        .bind(format!("{year:04}-01"))
        .bind(format!("{year:04}-12"))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(|m| month_number(m)).collect()
    }

    /// The year's charged revenue per providing unit, service and run month.
    pub async fn charged_revenue(&self, year: i32) -> StoreResult<Vec<ChargedRevenue>> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT pu.code, s.code, r.month, CAST(SUM(l.amount_ore) AS BIGINT) \
             FROM charge_lines l \
             JOIN billing_runs r ON r.id = l.run_id \
             JOIN units pu ON pu.id = l.provider_unit_id \
             JOIN services s ON s.id = l.service_id \
             WHERE r.month >= $1 AND r.month <= $2 \
             GROUP BY pu.code, s.code, r.month \
             ORDER BY pu.code, s.code, r.month",
        )
        .bind(format!("{year:04}-01"))
        .bind(format!("{year:04}-12"))
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(unit, service, month, amount_ore)| {
                Ok(ChargedRevenue {
                    month: month_number(&month)?,
                    unit,
                    service,
                    amount_ore,
                })
            })
            .collect()
    }

    /// The ledger's outcome of the year per unit and month, in öre.
    pub async fn ledger_months(&self, year: i32) -> StoreResult<Vec<LedgerMonth>> {
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT u.code, o.month, o.revenue, o.cost FROM fin_outcome o \
             JOIN units u ON u.id = o.unit_id WHERE o.year = $1 ORDER BY u.code, o.month",
        )
        .bind(i64::from(year))
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(unit, month, revenue_ore, cost_ore)| {
                Ok(LedgerMonth {
                    month: u32::try_from(month)
                        .map_err(|_| StoreError::Corrupt(format!("fin_outcome.month {month}")))?,
                    unit,
                    revenue_ore,
                    cost_ore,
                })
            })
            .collect()
    }
}
