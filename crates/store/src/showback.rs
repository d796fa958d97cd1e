//! Showback: what a customer department bought, read from the locked runs' charge lines, and
//! its open cases per service beside it. Always for a given set of customer units: the app
//! layer decides whose.

use serva_domain::billing::money::Milli;
use serva_domain::billing::run::Source;
use serva_domain::time::day_date;
use serva_domain::UnitId;
use sqlx::Row;

use crate::{Db, StoreError, StoreResult};

/// A department's purchase of one service in one locked month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeSum {
    pub month: String,
    pub service: String,
    pub service_name: String,
    pub quantity: Milli,
    pub amount_ore: i64,
    pub lines: i64,
}

/// One charge line as the department sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowbackLine {
    pub id: i64,
    pub day: chrono::NaiveDate,
    pub customer: String,
    pub source: Source,
    /// The case's number, when the line charges a case.
    pub case_number: Option<serva_domain::case::CaseNumber>,
    pub quantity: Milli,
    pub price_ore: i64,
    pub amount_ore: i64,
}

/// A department's open cases of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCount {
    pub service: String,
    pub service_name: String,
    pub open: i64,
}

fn id_list(ids: &[UnitId]) -> String {
    if ids.is_empty() {
        "NULL".to_string()
    } else {
        ids.iter()
            .map(|u| u.0.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl Db {
    /// The customers' charges per locked month and service, the newest month first.
    pub async fn customer_charges(&self, customers: &[UnitId]) -> StoreResult<Vec<ChargeSum>> {
        let rows = sqlx::query(&format!(
            "SELECT r.month, s.code, s.name, CAST(SUM(l.quantity_milli) AS BIGINT), \
                    CAST(SUM(l.amount_ore) AS BIGINT), COUNT(*) \
             FROM charge_lines l \
             JOIN billing_runs r ON r.id = l.run_id \
             JOIN services s ON s.id = l.service_id \
             WHERE l.customer_unit_id IN ({}) \
             GROUP BY r.month, s.code, s.name \
             ORDER BY r.month DESC, s.code",
            id_list(customers)
        ))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ChargeSum {
                    month: r.try_get(0)?,
                    service: r.try_get(1)?,
                    service_name: r.try_get(2)?,
                    quantity: Milli(r.try_get(3)?),
                    amount_ore: r.try_get(4)?,
                    lines: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// The customers' charge lines of one service in one locked month, by day.
    pub async fn customer_charge_lines(
        &self,
        customers: &[UnitId],
        month: &str,
        service: &str,
    ) -> StoreResult<Vec<ShowbackLine>> {
        let rows = sqlx::query(&format!(
            "SELECT l.id, l.day, cu.code, l.source_kind, l.source_id, l.quantity_milli, \
                    l.price_ore, l.amount_ore, c.created_at \
             FROM charge_lines l \
             LEFT JOIN cases c ON l.source_kind = 'case' AND c.id = l.source_id \
             JOIN billing_runs r ON r.id = l.run_id \
             JOIN services s ON s.id = l.service_id \
             JOIN units cu ON cu.id = l.customer_unit_id \
             WHERE l.customer_unit_id IN ({}) AND r.month = $1 AND s.code = $2 \
             ORDER BY l.day, l.id",
            id_list(customers)
        ))
        .bind(month)
        .bind(service)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(3)?;
                let case_number = r.try_get::<Option<i64>, _>(8)?.map(|at| {
                    use chrono::Datelike;
                    serva_domain::case::CaseNumber {
                        year: serva_domain::time::to_local(at).year(),
                        id: serva_domain::CaseId(r.try_get(4).unwrap_or_default()),
                    }
                });
                Ok(ShowbackLine {
                    case_number,
                    id: r.try_get(0)?,
                    day: day_date(r.try_get(1)?),
                    customer: r.try_get(2)?,
                    source: Source::parse(&kind, r.try_get(4)?)
                        .ok_or_else(|| StoreError::Corrupt(format!("charge source {kind:?}")))?,
                    quantity: Milli(r.try_get(5)?),
                    price_ore: r.try_get(6)?,
                    amount_ore: r.try_get(7)?,
                })
            })
            .collect()
    }

    /// The customers' open cases per service.
    pub async fn customer_open_per_service(
        &self,
        customers: &[UnitId],
    ) -> StoreResult<Vec<OpenCount>> {
        let rows = sqlx::query(&format!(
            "SELECT s.code, s.name, COUNT(*) FROM cases c JOIN services s ON s.id = c.service_id \
             WHERE c.customer_unit_id IN ({}) \
               AND c.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party') \
             GROUP BY s.code, s.name ORDER BY s.code",
            id_list(customers)
        ))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenCount {
                    service: r.try_get(0)?,
                    service_name: r.try_get(1)?,
                    open: r.try_get(2)?,
                })
            })
            .collect()
    }
}
