//! The organisation tree.

use serva_domain::org::{NewUnit, Unit, UnitNode};
use serva_domain::{UnitId, UserId};

use crate::audit::{Action, Change, Entity};
use crate::rows::UnitRow;
use crate::{Db, StoreError, StoreResult};

const UNIT_COLUMNS: &str =
    "id, code, name, kind, parent_id, erp_code, valid_from, valid_to, predecessor_id";

impl Db {
    pub async fn units(&self) -> StoreResult<Vec<Unit>> {
        Ok(
            sqlx::query_as::<_, UnitRow>(&format!(
                "SELECT {UNIT_COLUMNS} FROM units ORDER BY name"
            ))
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect(),
        )
    }

    pub async fn unit(&self, id: UnitId) -> StoreResult<Unit> {
        sqlx::query_as::<_, UnitRow>(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.0)
            .ok_or(StoreError::NotFound("unit"))
    }

    pub async fn unit_by_code(&self, code: &str) -> StoreResult<Unit> {
        sqlx::query_as::<_, UnitRow>(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE code = $1"))
            .bind(code)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.0)
            .ok_or(StoreError::NotFound("unit"))
    }

    /// The tree as the access rules need it.
    pub async fn unit_nodes(&self) -> StoreResult<Vec<UnitNode>> {
        let rows: Vec<(i64, Option<i64>)> = sqlx::query_as("SELECT id, parent_id FROM units")
            .fetch_all(&self.read)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, p)| UnitNode {
                id: UnitId(id),
                parent: p.map(UnitId),
            })
            .collect())
    }

    pub async fn create_unit(&self, actor: Option<UserId>, u: &NewUnit) -> StoreResult<Unit> {
        self.save_unit(actor, None, u).await
    }

    pub async fn update_unit(
        &self,
        actor: Option<UserId>,
        id: UnitId,
        u: &NewUnit,
    ) -> StoreResult<Unit> {
        if u.parent == Some(id) {
            return Err(StoreError::Invalid(
                "a unit cannot be its own parent".into(),
            ));
        }
        let nodes = self.unit_nodes().await?;
        if let Some(p) = u.parent {
            if serva_domain::org::subtree(&nodes, id).contains(&p) {
                return Err(StoreError::Invalid(
                    "a unit cannot be placed under its own descendant".into(),
                ));
            }
        }
        self.save_unit(actor, Some(id), u).await
    }

    /// Adds a unit (`id` none) or changes one, with its audit row.
    async fn save_unit(
        &self,
        actor: Option<UserId>,
        id: Option<UnitId>,
        u: &NewUnit,
    ) -> StoreResult<Unit> {
        check_dates(u)?;
        let before = match id {
            Some(id) => Some(self.unit(id).await?),
            None => None,
        };
        let sql = match id {
            None => {
                "INSERT INTO units (code, name, kind, parent_id, erp_code, valid_from, valid_to, predecessor_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
            }
            Some(_) => {
                "UPDATE units SET code = $1, name = $2, kind = $3, parent_id = $4, erp_code = $5, \
                 valid_from = $6, valid_to = $7, predecessor_id = $8 WHERE id = $9 RETURNING id"
            }
        };
        let mut tx = self.begin_audited(actor).await?;
        let mut q = sqlx::query_scalar(sql)
            .bind(u.code.as_str())
            .bind(u.name.trim())
            .bind(u.kind.as_str())
            .bind(u.parent.map(|p| p.0))
            .bind(u.erp_code.clone())
            .bind(u.valid_from.clone())
            .bind(u.valid_to.clone())
            .bind(u.predecessor.map(|p| p.0));
        if let Some(id) = id {
            q = q.bind(id.0);
        }
        let id: i64 = q
            .fetch_one(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, &format!("unit {}", u.code.as_str())))?;
        let after = sqlx::query_as::<_, UnitRow>(&format!(
            "SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(tx.conn())
        .await?
        .0;
        let change = match &before {
            None => Change::new(Action::Create, Entity::Unit(UnitId(id))),
            Some(b) => Change::new(Action::Update, Entity::Unit(UnitId(id))).before(b),
        };
        tx.commit(change.after(&after)).await?;
        self.principals.invalidate();
        Ok(after)
    }
}

fn check_dates(u: &NewUnit) -> StoreResult<()> {
    for d in [&u.valid_from, &u.valid_to].into_iter().flatten() {
        if !is_iso_date(d) {
            return Err(StoreError::Invalid(format!(
                "date {d:?} must be written YYYY-MM-DD"
            )));
        }
    }
    if let (Some(f), Some(t)) = (&u.valid_from, &u.valid_to) {
        if t < f {
            return Err(StoreError::Invalid("valid_to is before valid_from".into()));
        }
    }
    if u.name.trim().is_empty() {
        return Err(StoreError::Invalid("a unit needs a name".into()));
    }
    Ok(())
}

fn is_iso_date(s: &str) -> bool {
    // `get`, not a slice: the text is someone's, and a byte index may fall inside a character.
    let part = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    s.len() == 10
        && s.get(4..5) == Some("-")
        && s.get(7..8) == Some("-")
        && matches!((part(0..4), part(5..7), part(8..10)),
            (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
}
