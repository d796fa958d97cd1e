//! Billing's storage: price entries, the month's billable volumes, locked runs and their
//! charge lines. A run is written in one transaction with its lines, or not at all; a source
//! already charged (the `charge_lines_once` index) is never charged again.

use std::collections::HashMap;

use chrono::NaiveDate;
use serva_domain::billing::money::Milli;
use serva_domain::billing::price_list::PriceEntry;
use serva_domain::billing::run::{ChargeLine, Source, Volume};
use serva_domain::catalogue::PriceModel;
use serva_domain::time::{day_date, day_number};
use serva_domain::UserId;

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

/// The ids a charge line is stored with, beside the codes the domain works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineIds {
    pub provider: i64,
    pub customer: i64,
    pub service: i64,
}

/// A volume to charge, with its ids.
#[derive(Debug, Clone)]
pub struct Billable {
    pub volume: Volume,
    pub ids: LineIds,
}

/// A locked run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingRun {
    pub id: i64,
    pub month: String,
    pub locked_at: i64,
    pub locked_by: Option<String>,
    pub lines: i64,
    pub total_ore: i64,
}

/// A closed case as read for a run: id, day, provider, customer and service ids and codes.
type VolumeRow = (i64, i64, i64, i64, i64, String, String, String);
/// A volume as its query reads it: source id, day, quantity in thousandths, the provider's,
/// customer's and service's ids, then their codes.
pub(crate) type BillableRow = (i64, i64, i64, i64, i64, i64, String, String, String);

impl Billable {
    /// The volume of a row read for a run, from the source its id names.
    pub(crate) fn from_row(source: fn(i64) -> Source, row: BillableRow) -> Billable {
        let (id, day, quantity, provider, customer, service, pcode, ccode, scode) = row;
        Billable {
            volume: Volume {
                source: source(id),
                provider: pcode,
                customer: ccode,
                service: scode,
                day: day_date(day),
                quantity: Milli(quantity),
            },
            ids: LineIds {
                provider,
                customer,
                service,
            },
        }
    }
}
/// A stored charge line: id, unit and service ids, source, day, quantity, price and amount.
type IdLineRow = (i64, i64, i64, i64, String, i64, i64, i64, i64, i64);

/// The first and last day of a month written `YYYY-MM`.
pub fn month_days(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next.pred_opt()?))
}

impl Db {
    /// Every price entry, by service code and start.
    pub async fn price_entries(&self) -> StoreResult<Vec<PriceEntry>> {
        let rows: Vec<(String, String, i64, String, Option<String>)> = sqlx::query_as(
            "SELECT s.code, p.model, p.price_ore, p.valid_from, p.valid_to \
             FROM price_entries p JOIN services s ON s.id = p.service_id \
             ORDER BY s.code, p.valid_from",
        )
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(service, model, price_ore, from, to)| {
                let day = |s: &str| {
                    serva_domain::time::parse_day(s)
                        .ok_or_else(|| StoreError::Corrupt(format!("price entry day {s:?}")))
                };
                Ok(PriceEntry {
                    model: PriceModel::parse(&model)
                        .ok_or_else(|| StoreError::Corrupt(format!("price model {model:?}")))?,
                    valid_from: day(&from)?,
                    valid_to: to.as_deref().map(day).transpose()?,
                    service,
                    price_ore,
                })
            })
            .collect()
    }

    /// The catalogue's prices, as the entries that apply until a price list says otherwise.
    pub async fn catalogue_prices(&self) -> StoreResult<Vec<PriceEntry>> {
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT code, price_model, price_ore FROM services ORDER BY code")
                .fetch_all(&self.read)
                .await?;
        let start = serva_domain::billing::price_list::catalogue_start();
        rows.into_iter()
            .map(|(service, model, price_ore)| {
                Ok(PriceEntry {
                    model: PriceModel::parse(&model)
                        .ok_or_else(|| StoreError::Corrupt(format!("price model {model:?}")))?,
                    service,
                    price_ore,
                    valid_from: start,
                    valid_to: None,
                })
            })
            .collect()
    }

    /// The month's volumes not yet charged: cases of per-case services closed in the month
    /// that have a customer unit (a citizen's case is nobody's purchase).
    pub async fn billable_volumes(&self, month: &str) -> StoreResult<Vec<Billable>> {
        let (first, last) = month_days(month)
            .ok_or_else(|| StoreError::Invalid(format!("month {month:?} must be YYYY-MM")))?;
        let rows: Vec<VolumeRow> = sqlx::query_as(
            "SELECT c.id, c.closed_day, c.unit_id, c.customer_unit_id, c.service_id, \
                    pu.code, cu.code, s.code \
             FROM cases c \
             JOIN services s ON s.id = c.service_id \
             JOIN units pu ON pu.id = c.unit_id \
             JOIN units cu ON cu.id = c.customer_unit_id \
             WHERE c.closed_day BETWEEN $1 AND $2 AND c.customer_unit_id IS NOT NULL \
               AND s.price_model = 'per_case' \
               AND NOT EXISTS (SELECT 1 FROM charge_lines l \
                               WHERE l.source_kind = 'case' AND l.source_id = c.id AND l.period = '') \
             ORDER BY c.id",
        )
        .bind(day_number(first))
        .bind(day_number(last))
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, day, provider, customer, service, pcode, ccode, scode)| {
                    Billable::from_row(
                        Source::Case,
                        (
                            id,
                            day,
                            Milli::ONE.0,
                            provider,
                            customer,
                            service,
                            pcode,
                            ccode,
                            scode,
                        ),
                    )
                },
            )
            .collect())
    }

    /// Locks the month's run with its lines, in one transaction. A month has one run.
    pub async fn lock_run(
        &self,
        actor: Option<UserId>,
        month: &str,
        lines: &[(LineIds, ChargeLine)],
    ) -> StoreResult<BillingRun> {
        let total: i64 = lines.iter().map(|(_, l)| l.amount_ore).sum();
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let run_id: i64 = sqlx::query_scalar(
            "INSERT INTO billing_runs (month, locked_at, locked_by, lines, total_ore) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(month)
        .bind(now)
        .bind(actor.map(|a| a.0))
        .bind(lines.len() as i64)
        .bind(total)
        .fetch_one(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, &format!("the billing run of {month}")))?;
        // The lines go in as a bulk load's rows do: SQLite binds them by position, many
        // thousands a statement; PostgreSQL fills them from one JSON document per 5 000.
        let rows: Vec<crate::bulk::ChargeLineRow> = lines
            .iter()
            .map(|(ids, l)| {
                let v = &l.volume;
                crate::bulk::ChargeLineRow {
                    run_id,
                    provider_unit_id: ids.provider,
                    customer_unit_id: ids.customer,
                    service_id: ids.service,
                    source_kind: v.source.kind(),
                    source_id: v.source.id(),
                    period: crate::billing_corrections::line_period(month, l).into(),
                    day: day_number(v.day),
                    quantity_milli: v.quantity.0,
                    price_ore: l.price_ore,
                    amount_ore: l.amount_ore,
                }
            })
            .collect();
        crate::bulk::insert_rows(&mut tx.tx, self.backend(), &rows)
            .await
            .map_err(|e| match e {
                StoreError::Db(e) => {
                    StoreError::on_unique(e, "a charge for a source already charged")
                }
                other => other,
            })?;
        tx.commit(
            Change::new(Action::Lock, Entity::BillingRun(month.to_string()))
                .after(serde_json::json!({ "lines": lines.len(), "total_ore": total })),
        )
        .await?;
        self.billing_run(month)
            .await?
            .ok_or(StoreError::NotFound("billing run"))
    }

    /// The locked run of a month, if there is one.
    pub async fn billing_run(&self, month: &str) -> StoreResult<Option<BillingRun>> {
        let row: Option<(i64, String, i64, Option<String>, i64, i64)> = sqlx::query_as(
            "SELECT r.id, r.month, r.locked_at, u.display_name, r.lines, r.total_ore \
             FROM billing_runs r LEFT JOIN users u ON u.id = r.locked_by WHERE r.month = $1",
        )
        .bind(month)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.map(
            |(id, month, locked_at, locked_by, lines, total_ore)| BillingRun {
                id,
                month,
                locked_at,
                locked_by,
                lines,
                total_ore,
            },
        ))
    }

    /// A run's lines, by customer, service and source. The lines are read by their ids and
    /// given their codes from the (small) units and services tables here: joining and sorting
    /// by code in the database cost several times the read itself on a large run.
    pub async fn run_lines(&self, run_id: i64) -> StoreResult<Vec<ChargeLine>> {
        let units: HashMap<i64, String> = sqlx::query_as("SELECT id, code FROM units")
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .collect();
        let services: HashMap<i64, String> = sqlx::query_as("SELECT id, code FROM services")
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .collect();
        let rows: Vec<IdLineRow> = sqlx::query_as(
            "SELECT l.id, l.provider_unit_id, l.customer_unit_id, l.service_id, l.source_kind, \
                    l.source_id, l.day, l.quantity_milli, l.price_ore, l.amount_ore \
             FROM charge_lines l WHERE l.run_id = $1",
        )
        .bind(run_id)
        .fetch_all(&self.read)
        .await?;
        let code = |map: &HashMap<i64, String>, id: i64, what: &str| {
            map.get(&id)
                .cloned()
                .ok_or_else(|| StoreError::Corrupt(format!("charge line's {what} {id}")))
        };
        let mut lines = rows
            .into_iter()
            .map(
                |(
                    id,
                    provider,
                    customer,
                    service,
                    kind,
                    source_id,
                    day,
                    q,
                    price_ore,
                    amount_ore,
                )| {
                    Ok((
                        id,
                        ChargeLine {
                            volume: Volume {
                                source: Source::parse(&kind, source_id).ok_or_else(|| {
                                    StoreError::Corrupt(format!("charge source {kind:?}"))
                                })?,
                                provider: code(&units, provider, "unit")?,
                                customer: code(&units, customer, "unit")?,
                                service: code(&services, service, "service")?,
                                day: day_date(day),
                                quantity: Milli(q),
                            },
                            price_ore,
                            amount_ore,
                        },
                    ))
                },
            )
            .collect::<StoreResult<Vec<(i64, ChargeLine)>>>()?;
        lines.sort_unstable_by(|(a, x), (b, y)| {
            (&x.volume.customer, &x.volume.service, a).cmp(&(
                &y.volume.customer,
                &y.volume.service,
                b,
            ))
        });
        Ok(lines.into_iter().map(|(_, l)| l).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_its_first_and_last_day() {
        let d = |s| serva_domain::time::parse_day(s).unwrap();
        assert_eq!(
            month_days("2019-08"),
            Some((d("2019-08-01"), d("2019-08-31")))
        );
        assert_eq!(
            month_days("2020-02"),
            Some((d("2020-02-01"), d("2020-02-29")))
        );
        assert_eq!(
            month_days("2019-12"),
            Some((d("2019-12-01"), d("2019-12-31")))
        );
        for bad in ["2019-13", "2019-8", "19-08", "2019/08", ""] {
            assert_eq!(month_days(bad), None, "{bad}");
        }
    }
}
