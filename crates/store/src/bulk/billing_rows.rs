//! The billing volumes' rows for bulk loads (the demo's time entries and subscriptions), and
//! the cases a load reads back to hang them on.

use super::Text;
use crate::StoreResult;

rows! {
    /// Time recorded on a case (`day` is a day number).
    pub struct TimeEntryRow in "time_entries" {
        id: i64,
        case_id: i64,
        user_id: i64,
        day: i64,
        hours_milli: i64,
        note: Text,
        created_at: i64,
        updated_at: i64,
    }

    /// A customer's subscription of a service.
    pub struct SubscriptionRow in "subscriptions" {
        id: i64,
        customer_unit_id: i64,
        service_id: i64,
        created_at: i64,
    }

    /// A locked run's charge line (`Db::lock_run` writes them this way: one statement for
    /// thousands of lines).
    pub struct ChargeLineRow in "charge_lines" {
        run_id: i64,
        provider_unit_id: i64,
        customer_unit_id: i64,
        service_id: i64,
        source_kind: &'static str,
        source_id: i64,
        period: Text,
        day: i64,
        quantity_milli: i64,
        price_ore: i64,
        amount_ore: i64,
    }

    /// One quantity of a subscription from a day (to a day).
    pub struct SubscriptionPeriodRow in "subscription_periods" {
        id: i64,
        subscription_id: i64,
        quantity_milli: i64,
        valid_from: i64,
        valid_to: Option<i64>,
        case_id: Option<i64>,
        ended_case_id: Option<i64>,
        created_at: i64,
        created_by: Option<i64>,
    }
}

/// id, service, unit, customer, created, closed, assignee.
type CaseRead = (i64, i64, i64, i64, i64, Option<i64>, Option<i64>);

/// A case as a load reads it back.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    pub id: i64,
    pub service_id: i64,
    pub unit_id: i64,
    pub customer_unit_id: i64,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub assignee_id: Option<i64>,
}

impl super::Bulk {
    /// The cases loaded so far of `services` with a customer unit, created in `[from, to)`
    /// (ms), by id.
    pub async fn customer_cases_of(
        &mut self,
        services: &[i64],
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<LoadedCase>> {
        if services.is_empty() {
            return Ok(Vec::new());
        }
        let list = services
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let rows: Vec<CaseRead> = sqlx::query_as(&format!(
            "SELECT id, service_id, unit_id, customer_unit_id, created_at, closed_at, assignee_id \
             FROM cases WHERE service_id IN ({list}) AND customer_unit_id IS NOT NULL \
               AND created_at >= $1 AND created_at < $2 ORDER BY id"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *self.tx)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    service_id,
                    unit_id,
                    customer_unit_id,
                    created_at,
                    closed_at,
                    assignee_id,
                )| {
                    LoadedCase {
                        id,
                        service_id,
                        unit_id,
                        customer_unit_id,
                        created_at,
                        closed_at,
                        assignee_id,
                    }
                },
            )
            .collect())
    }
}
