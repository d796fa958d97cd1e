//! The imported volume files' rows, read for the billing run of their day's month.

use serva_domain::billing::run::Source;
use serva_domain::time::day_number;

use crate::billing::{month_days, Billable};
use crate::{Db, StoreError, StoreResult};

impl Db {
    /// The month's imported rows not yet charged.
    pub async fn billable_imported(&self, month: &str) -> StoreResult<Vec<Billable>> {
        let (first, last) = month_days(month)
            .ok_or_else(|| StoreError::Invalid(format!("month {month:?} must be YYYY-MM")))?;
        let rows: Vec<crate::billing::BillableRow> = sqlx::query_as(
            "SELECT v.id, v.day, v.quantity_milli, s.unit_id, v.customer_unit_id, v.service_id, \
                    pu.code, cu.code, s.code \
             FROM volume_rows v \
             JOIN services s ON s.id = v.service_id \
             JOIN units pu ON pu.id = s.unit_id \
             JOIN units cu ON cu.id = v.customer_unit_id \
             WHERE v.day BETWEEN $1 AND $2 \
               AND NOT EXISTS (SELECT 1 FROM charge_lines l \
                               WHERE l.source_kind = 'imported' AND l.source_id = v.id) \
             ORDER BY v.id",
        )
        .bind(day_number(first))
        .bind(day_number(last))
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| Billable::from_row(Source::Imported, row))
            .collect())
    }
}
