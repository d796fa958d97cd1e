//! The locked runs as a list, and one by its id (the API names runs by id).

use crate::billing::BillingRun;
use crate::{Db, StoreResult};

type RunRow = (i64, String, i64, Option<String>, i64, i64);

fn run((id, month, locked_at, locked_by, lines, total_ore): RunRow) -> BillingRun {
    BillingRun {
        id,
        month,
        locked_at,
        locked_by,
        lines,
        total_ore,
    }
}

const RUN_SQL: &str = "SELECT r.id, r.month, r.locked_at, u.display_name, r.lines, r.total_ore \
     FROM billing_runs r LEFT JOIN users u ON u.id = r.locked_by";

impl Db {
    /// Every locked run, the newest month first.
    pub async fn locked_runs(&self) -> StoreResult<Vec<BillingRun>> {
        let rows: Vec<RunRow> = sqlx::query_as(&format!("{RUN_SQL} ORDER BY r.month DESC"))
            .fetch_all(&self.read)
            .await?;
        Ok(rows.into_iter().map(run).collect())
    }

    /// A locked run by its id.
    pub async fn billing_run_by_id(&self, id: i64) -> StoreResult<Option<BillingRun>> {
        let row: Option<RunRow> = sqlx::query_as(&format!("{RUN_SQL} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.map(run))
    }
}
