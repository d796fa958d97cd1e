//! Price lists' storage: a service's price history with who set each price, drafts of a
//! coming list and their rows, price changes and a draft's publishing (each in one
//! transaction, audited), and a year's charged volumes for the pricing simulator.

use chrono::NaiveDate;
use serva_domain::billing::money::Milli;
use serva_domain::billing::price_list::PriceEntry;
use serva_domain::billing::simulator::CustomerVolume;
use serva_domain::catalogue::PriceModel;
use serva_domain::time::{day_number, parse_day};
use serva_domain::{ServiceId, UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::{Db, StoreError, StoreResult};

pub use serva_domain::billing::price_draft::{PriceHistoryRow, PriceListHead, PriceListRow};

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewPriceList {
    pub year: i32,
    pub valid_from: NaiveDate,
    pub unit: Option<UnitId>,
    pub name: String,
}

/// What a price change does to the stored entries: entries that end earlier now (service,
/// start, new end) and entries added.
#[derive(Debug, Clone, Default)]
pub struct PriceChanges {
    pub ended: Vec<(String, NaiveDate, Option<NaiveDate>)>,
    pub added: Vec<PriceEntry>,
}

fn day(s: &str) -> StoreResult<NaiveDate> {
    parse_day(s).ok_or_else(|| StoreError::Corrupt(format!("price day {s:?}")))
}

fn model(s: &str) -> StoreResult<PriceModel> {
    PriceModel::parse(s).ok_or_else(|| StoreError::Corrupt(format!("price model {s:?}")))
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A price entry's model, price, days, when and by whom.
type HistoryRow = (String, i64, String, Option<String>, i64, Option<String>);

type HeadRow = (
    i64,
    i64,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
);

const HEAD_SELECT: &str = "SELECT l.id, l.year, l.valid_from, u.code, l.name, l.created_at, \
     cu.display_name, l.published_at, pu.display_name FROM price_lists l \
     LEFT JOIN units u ON u.id = l.unit_id \
     LEFT JOIN users cu ON cu.id = l.created_by \
     LEFT JOIN users pu ON pu.id = l.published_by";

fn head(r: HeadRow) -> StoreResult<PriceListHead> {
    let (id, year, from, unit, name, created_at, created_by, published_at, published_by) = r;
    Ok(PriceListHead {
        id,
        year: year as i32,
        valid_from: day(&from)?,
        unit,
        name,
        created_at,
        created_by,
        published_at,
        published_by,
    })
}

impl Db {
    /// Every price entry of a service, oldest first, with who set it.
    pub async fn price_history(&self, service: &str) -> StoreResult<Vec<PriceHistoryRow>> {
        let rows: Vec<HistoryRow> = sqlx::query_as(
            "SELECT p.model, p.price_ore, p.valid_from, p.valid_to, p.created_at, u.display_name \
                 FROM price_entries p JOIN services s ON s.id = p.service_id \
                 LEFT JOIN users u ON u.id = p.created_by \
                 WHERE s.code = $1 ORDER BY p.valid_from",
        )
        .bind(service)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(m, price_ore, from, to, created_at, created_by)| {
                Ok(PriceHistoryRow {
                    entry: PriceEntry {
                        service: service.to_string(),
                        model: model(&m)?,
                        price_ore,
                        valid_from: day(&from)?,
                        valid_to: to.as_deref().map(day).transpose()?,
                    },
                    created_at,
                    created_by,
                })
            })
            .collect()
    }

    /// Writes a checked price change (ended and added entries) in one transaction, audited per
    /// service; with `publish`, also marks that draft published (refused if it is already).
    pub async fn save_price_changes(
        &self,
        actor: Option<UserId>,
        changes: &PriceChanges,
        publish: Option<i64>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        for (service, from, to) in &changes.ended {
            sqlx::query(
                "UPDATE price_entries SET valid_to = $1 WHERE valid_from = $2 \
                 AND service_id = (SELECT id FROM services WHERE code = $3)",
            )
            .bind(to.map(ymd))
            .bind(ymd(*from))
            .bind(service)
            .execute(tx.conn())
            .await?;
        }
        let mut audit = Vec::new();
        for e in &changes.added {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO price_entries (service_id, model, price_ore, valid_from, valid_to, created_at, created_by) \
                 SELECT id, $1, $2, $3, $4, $5, $6 FROM services WHERE code = $7 RETURNING service_id",
            )
            .bind(e.model.as_str())
            .bind(e.price_ore)
            .bind(ymd(e.valid_from))
            .bind(e.valid_to.map(ymd))
            .bind(now)
            .bind(actor.map(|a| a.0))
            .bind(&e.service)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound("service"))?;
            audit.push(
                Change::new(Action::SetPrice, Entity::Service(ServiceId(id))).after(
                    serde_json::json!({
                        "model": e.model.as_str(), "price_ore": e.price_ore,
                        "valid_from": ymd(e.valid_from), "valid_to": e.valid_to.map(ymd),
                        "price_list": publish,
                    }),
                ),
            );
        }
        if let Some(list) = publish {
            let done = sqlx::query(
                "UPDATE price_lists SET published_at = $1, published_by = $2 \
                 WHERE id = $3 AND published_at IS NULL",
            )
            .bind(now)
            .bind(actor.map(|a| a.0))
            .bind(list)
            .execute(tx.conn())
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(
                    "the price list is published already".into(),
                ));
            }
            audit.push(
                Change::new(Action::Approve, Entity::PriceList(list))
                    .after(serde_json::json!({ "entries": changes.added.len() })),
            );
        }
        let Some(last) = audit.pop() else {
            return Err(StoreError::Invalid("no price to change".into()));
        };
        for c in &audit {
            tx.record(c).await?;
        }
        tx.commit(last).await
    }

    /// Creates a draft with its rows.
    pub async fn create_price_list(
        &self,
        actor: Option<UserId>,
        new: &NewPriceList,
        rows: &[PriceListRow],
    ) -> StoreResult<i64> {
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO price_lists (year, valid_from, unit_id, name, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(i64::from(new.year))
        .bind(ymd(new.valid_from))
        .bind(new.unit.map(|u| u.0))
        .bind(new.name.trim())
        .bind(now)
        .bind(actor.map(|a| a.0))
        .fetch_one(tx.conn())
        .await?;
        write_rows(&mut tx, id, rows).await?;
        tx.commit(
            Change::new(Action::Create, Entity::PriceList(id)).after(serde_json::json!({
                "year": new.year, "valid_from": ymd(new.valid_from), "rows": rows.len(),
            })),
        )
        .await?;
        Ok(id)
    }

    /// Replaces a draft's rows; a published list is refused.
    pub async fn set_price_list_rows(
        &self,
        actor: Option<UserId>,
        id: i64,
        rows: &[PriceListRow],
    ) -> StoreResult<()> {
        let mut tx = self.begin_audited(actor).await?;
        let published: Option<Option<i64>> =
            sqlx::query_scalar("SELECT published_at FROM price_lists WHERE id = $1")
                .bind(id)
                .fetch_optional(tx.conn())
                .await?;
        match published {
            None => return Err(StoreError::NotFound("price list")),
            Some(Some(_)) => {
                return Err(StoreError::Conflict(
                    "the price list is published and cannot change".into(),
                ))
            }
            Some(None) => {}
        }
        sqlx::query("DELETE FROM price_list_rows WHERE list_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        write_rows(&mut tx, id, rows).await?;
        tx.commit(
            Change::new(Action::Update, Entity::PriceList(id))
                .after(serde_json::json!({ "rows": rows.len() })),
        )
        .await
    }

    /// Every price list, newest first.
    pub async fn price_lists(&self) -> StoreResult<Vec<PriceListHead>> {
        let rows: Vec<HeadRow> = sqlx::query_as(&format!("{HEAD_SELECT} ORDER BY l.id DESC"))
            .fetch_all(&self.read)
            .await?;
        rows.into_iter().map(head).collect()
    }

    /// A price list and its rows, by service code.
    pub async fn price_list(
        &self,
        id: i64,
    ) -> StoreResult<Option<(PriceListHead, Vec<PriceListRow>)>> {
        let row: Option<HeadRow> = sqlx::query_as(&format!("{HEAD_SELECT} WHERE l.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT s.code, r.model, r.price_ore FROM price_list_rows r \
             JOIN services s ON s.id = r.service_id WHERE r.list_id = $1 ORDER BY s.code",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        let rows = rows
            .into_iter()
            .map(|(service, m, price_ore)| {
                Ok(PriceListRow {
                    service,
                    model: model(&m)?,
                    price_ore,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some((head(row)?, rows)))
    }

    /// What locked runs charged from `first` to `last`, per customer and service, of the
    /// services `provider` delivers (every provider's when absent).
    pub async fn charged_volumes(
        &self,
        provider: Option<&str>,
        first: NaiveDate,
        last: NaiveDate,
    ) -> StoreResult<Vec<(String, CustomerVolume)>> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT pu.code, cu.code, s.code, CAST(SUM(l.quantity_milli) AS BIGINT) FROM charge_lines l \
             JOIN units pu ON pu.id = l.provider_unit_id \
             JOIN units cu ON cu.id = l.customer_unit_id \
             JOIN services s ON s.id = l.service_id \
             WHERE l.day BETWEEN $1 AND $2 AND ($3 IS NULL OR pu.code = $3) \
             GROUP BY pu.code, cu.code, s.code ORDER BY cu.code, s.code",
        )
        .bind(day_number(first))
        .bind(day_number(last))
        .bind(provider)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(p, customer, service, q)| {
                (
                    p,
                    CustomerVolume {
                        customer,
                        service,
                        quantity: Milli(q),
                    },
                )
            })
            .collect())
    }
}

async fn write_rows(
    tx: &mut crate::audit::AuditedTx,
    id: i64,
    rows: &[PriceListRow],
) -> StoreResult<()> {
    for r in rows {
        let done = sqlx::query(
            "INSERT INTO price_list_rows (list_id, service_id, model, price_ore) \
             SELECT $1, id, $2, $3 FROM services WHERE code = $4",
        )
        .bind(id)
        .bind(r.model.as_str())
        .bind(r.price_ore)
        .bind(&r.service)
        .execute(tx.conn())
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Invalid(format!(
                "unknown service {}",
                r.service
            )));
        }
    }
    Ok(())
}
