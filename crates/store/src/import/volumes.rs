//! The `volumes` import: rows of work done elsewhere (customer, service, day, quantity,
//! reference), each charged once in the billing run of its day's month. A row whose month is
//! locked already is refused: a locked run never changes.

use std::collections::{HashMap, HashSet};

use serva_domain::billing::money::Milli;
use serva_domain::import::{ImportError, Record};
use serva_domain::time::day_number;

use super::{ImportFailure, Row};
use crate::audit::AuditedTx;
use crate::Db;

/// What a volume row is checked against: the units, the services and the locked months.
pub(super) struct VolumeNames {
    units: HashMap<String, i64>,
    services: HashMap<String, i64>,
    locked: HashSet<String>,
}

impl Db {
    pub(super) async fn volume_names(&self) -> Result<VolumeNames, ImportFailure> {
        let units: Vec<(String, i64)> = sqlx::query_as("SELECT code, id FROM units")
            .fetch_all(&self.read)
            .await?;
        let services: Vec<(String, i64)> = sqlx::query_as("SELECT code, id FROM services")
            .fetch_all(&self.read)
            .await?;
        let locked: Vec<String> = sqlx::query_scalar("SELECT month FROM billing_runs")
            .fetch_all(&self.read)
            .await?;
        Ok(VolumeNames {
            units: units.into_iter().collect(),
            services: services.into_iter().collect(),
            locked: locked.into_iter().collect(),
        })
    }
}

pub(super) fn check_volume(r: &Record, n: &VolumeNames) -> Result<Row, ImportError> {
    let code = r.required("customer")?;
    let customer = *n
        .units
        .get(code)
        .ok_or_else(|| r.error("customer", format!("no unit has code {code:?}")))?;
    let code = r.required("service")?;
    let service = *n
        .services
        .get(code)
        .ok_or_else(|| r.error("service", format!("no service has code {code:?}")))?;
    let day = r.date("day")?;
    let month = day.format("%Y-%m").to_string();
    if n.locked.contains(&month) {
        return Err(r.error(
            "day",
            format!("the billing run of {month} is locked; a locked run never changes"),
        ));
    }
    let v = r.required("quantity")?;
    let quantity = Milli::parse(v).ok_or_else(|| {
        r.error(
            "quantity",
            format!("{v:?} is not a quantity (up to three decimals, e.g. 2,5)"),
        )
    })?;
    if quantity.0 <= 0 {
        return Err(r.error("quantity", "must be more than zero"));
    }
    Ok(Row::Volume {
        customer,
        service,
        day: day_number(day),
        quantity: quantity.0,
        reference: r.get("reference").to_string(),
    })
}

pub(super) async fn write_volume(
    tx: &mut AuditedTx,
    (customer, service, day, quantity, reference): (i64, i64, i64, i64, &str),
) -> Result<(), ImportFailure> {
    let (now, actor) = (tx.now, tx.actor.map(|a| a.0));
    sqlx::query(
        "INSERT INTO volume_rows (customer_unit_id, service_id, day, quantity_milli, reference, \
         imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(customer)
    .bind(service)
    .bind(day)
    .bind(quantity)
    .bind(reference)
    .bind(now)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(())
}
