//! Subscriptions and their periods: a customer's quantity of a per-unit-month or
//! subscription service from a day, changed from a day (the running period ends the day
//! before), and the month's pro-rata volumes for a run.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serva_domain::billing::money::Milli;
use serva_domain::billing::run::{Source, Volume};
use serva_domain::billing::subscription::{month_quantity, Change as Plan, Period, Subscription};
use serva_domain::catalogue::PriceModel;
use serva_domain::time::{day_date, day_number};
use serva_domain::UserId;

use crate::audit::{Action, Change, Entity};
use crate::billing::{month_days, Billable, LineIds};
use crate::{Db, StoreError, StoreResult};

/// Which subscriptions to list; empty is any.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionFilter {
    pub customer: Option<i64>,
    pub service: Option<i64>,
    pub provider: Option<i64>,
    pub id: Option<i64>,
}

type HeadRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);
type PeriodRow = (i64, i64, i64, i64, Option<i64>, Option<i64>);

/// A period active in a month: id, quantity, days, provider, customer, service ids and codes.
type ActiveRow = (
    i64,
    i64,
    i64,
    Option<i64>,
    i64,
    i64,
    i64,
    String,
    String,
    String,
);

impl Db {
    /// Subscriptions with their periods, by customer and service.
    pub async fn subscriptions(&self, f: &SubscriptionFilter) -> StoreResult<Vec<Subscription>> {
        let heads: Vec<HeadRow> = sqlx::query_as(
            "SELECT b.id, cu.code, cu.name, s.code, s.name, s.price_model, pu.code, pu.name, pu.id \
             FROM subscriptions b \
             JOIN units cu ON cu.id = b.customer_unit_id \
             JOIN services s ON s.id = b.service_id \
             JOIN units pu ON pu.id = s.unit_id \
             WHERE ($1 IS NULL OR b.customer_unit_id = $1) AND ($2 IS NULL OR b.service_id = $2) \
               AND ($3 IS NULL OR s.unit_id = $3) AND ($4 IS NULL OR b.id = $4) \
             ORDER BY cu.code, s.code",
        )
        .bind(f.customer)
        .bind(f.service)
        .bind(f.provider)
        .bind(f.id)
        .fetch_all(&self.read)
        .await?;
        let periods: Vec<PeriodRow> = sqlx::query_as(
            "SELECT p.subscription_id, p.id, p.quantity_milli, p.valid_from, p.valid_to, p.case_id \
             FROM subscription_periods p JOIN subscriptions b ON b.id = p.subscription_id \
             JOIN services s ON s.id = b.service_id \
             WHERE ($1 IS NULL OR b.customer_unit_id = $1) AND ($2 IS NULL OR b.service_id = $2) \
               AND ($3 IS NULL OR s.unit_id = $3) AND ($4 IS NULL OR b.id = $4) \
             ORDER BY p.subscription_id, p.valid_from",
        )
        .bind(f.customer)
        .bind(f.service)
        .bind(f.provider)
        .bind(f.id)
        .fetch_all(&self.read)
        .await?;
        let mut by_sub: BTreeMap<i64, Vec<Period>> = BTreeMap::new();
        for (sub, id, q, from, to, case_id) in periods {
            by_sub.entry(sub).or_default().push(Period {
                id,
                quantity: Milli(q),
                valid_from: day_date(from),
                valid_to: to.map(day_date),
                case_id,
            });
        }
        heads
            .into_iter()
            .map(
                |(
                    id,
                    customer,
                    customer_name,
                    service,
                    service_name,
                    model,
                    provider,
                    provider_name,
                    provider_id,
                )| {
                    Ok(Subscription {
                        id,
                        customer,
                        customer_name,
                        service,
                        service_name,
                        model: PriceModel::parse(&model)
                            .ok_or_else(|| StoreError::Corrupt(format!("price model {model:?}")))?,
                        provider,
                        provider_name,
                        provider_id,
                        periods: by_sub.remove(&id).unwrap_or_default(),
                    })
                },
            )
            .collect()
    }

    /// The first locked month from `month` on: a subscription changed from a day in `month`
    /// would alter what that locked run charged.
    pub async fn locked_month_from(&self, month: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT month FROM billing_runs WHERE month >= $1 ORDER BY month LIMIT 1",
        )
        .bind(month)
        .fetch_optional(&self.read)
        .await?)
    }

    /// The subscription of a customer and service, when there is one.
    pub async fn subscription_of(
        &self,
        customer: i64,
        service: i64,
    ) -> StoreResult<Option<Subscription>> {
        Ok(self
            .subscriptions(&SubscriptionFilter {
                customer: Some(customer),
                service: Some(service),
                ..Default::default()
            })
            .await?
            .into_iter()
            .next())
    }

    /// Applies a planned change from `from`, in one transaction with its audit row; the
    /// subscription is made on its first change. Returns the subscription's id.
    pub async fn change_subscription(
        &self,
        actor: Option<UserId>,
        customer: i64,
        service: i64,
        from: NaiveDate,
        plan: &Plan,
        case_id: Option<i64>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM subscriptions WHERE customer_unit_id = $1 AND service_id = $2",
        )
        .bind(customer)
        .bind(service)
        .fetch_optional(tx.conn())
        .await?;
        let id = match existing {
            Some(id) => id,
            None => sqlx::query_scalar(
                "INSERT INTO subscriptions (customer_unit_id, service_id, created_at) \
                 VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(customer)
            .bind(service)
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "the subscription"))?,
        };
        if let Some((period, last)) = plan.end {
            sqlx::query(
                "UPDATE subscription_periods SET valid_to = $1, ended_case_id = $2 \
                 WHERE id = $3 AND subscription_id = $4",
            )
            .bind(day_number(last))
            .bind(case_id)
            .bind(period)
            .bind(id)
            .execute(tx.conn())
            .await?;
        }
        if let Some(q) = plan.start {
            sqlx::query(
                "INSERT INTO subscription_periods \
                 (subscription_id, quantity_milli, valid_from, case_id, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(q.0)
            .bind(day_number(from))
            .bind(case_id)
            .bind(now)
            .bind(actor.map(|a| a.0))
            .execute(tx.conn())
            .await?;
        }
        tx.commit(
            Change::new(Action::Update, Entity::Subscription(id)).after(serde_json::json!({
                "from": from.to_string(),
                "quantity_milli": plan.start.map_or(0, |q| q.0),
                "case": case_id,
            })),
        )
        .await?;
        Ok(id)
    }

    /// The month's subscription volumes not yet charged: each period active in the month,
    /// pro rata (`serva_domain::billing::subscription::month_quantity`), dated the month's
    /// last day (or the period's, when it ends before).
    pub async fn billable_subscriptions(&self, month: &str) -> StoreResult<Vec<Billable>> {
        let (first, last) = month_days(month)
            .ok_or_else(|| StoreError::Invalid(format!("month {month:?} must be YYYY-MM")))?;
        let rows: Vec<ActiveRow> =
            sqlx::query_as(
                "SELECT p.id, p.quantity_milli, p.valid_from, p.valid_to, \
                        s.unit_id, b.customer_unit_id, b.service_id, pu.code, cu.code, s.code \
                 FROM subscription_periods p \
                 JOIN subscriptions b ON b.id = p.subscription_id \
                 JOIN services s ON s.id = b.service_id \
                 JOIN units pu ON pu.id = s.unit_id \
                 JOIN units cu ON cu.id = b.customer_unit_id \
                 WHERE p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to >= $1) \
                   AND s.price_model IN ('per_unit_month', 'subscription') \
                   AND NOT EXISTS (SELECT 1 FROM charge_lines l WHERE l.source_kind = 'subscription' \
                                   AND l.source_id = p.id AND l.period = $3) \
                 ORDER BY p.id",
            )
            .bind(day_number(first))
            .bind(day_number(last))
            .bind(month)
            .fetch_all(&self.read)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(id, q, from, to, provider, customer, service, pcode, ccode, scode)| {
                    let period = Period {
                        id,
                        quantity: Milli(q),
                        valid_from: day_date(from),
                        valid_to: to.map(day_date),
                        case_id: None,
                    };
                    let quantity = month_quantity(&period, first, last)?;
                    // Priced on the period's last day in the month.
                    let day = period.valid_to.map_or(last, |t| t.min(last));
                    Some(Billable {
                        volume: Volume {
                            source: Source::Subscription(id),
                            provider: pcode,
                            customer: ccode,
                            service: scode,
                            day,
                            quantity,
                        },
                        ids: LineIds {
                            provider,
                            customer,
                            service,
                        },
                    })
                },
            )
            .collect())
    }
}
