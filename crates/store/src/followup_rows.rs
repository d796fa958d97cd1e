//! The follow-up's own rows written one at a time — by an import (every row of a file in one
//! transaction) or by a form (create, change, delete) — and read back as form fields (in
//! `followup_row_fields`).
//! Checking is the domain's (`followup::rows::check_row`); here rows are written and found.

use serva_domain::followup::rows::FollowupRow;
use serva_domain::UserId;

use crate::audit::{Action, AuditedTx, Change, Entity};
use crate::{Db, StoreError, StoreResult};

/// Writes a checked row, replacing the row with the same natural key (unit and year for a
/// budget, unit, year and project for an investment, the code for an indicator, …), as an
/// import does. `source` marks an indicator value's origin (`import` or `manual`).
pub(crate) async fn write_row(
    tx: &mut AuditedTx,
    actor: Option<UserId>,
    row: &FollowupRow,
    source: &str,
) -> StoreResult<()> {
    let now = tx.now;
    match row {
        FollowupRow::Budget {
            unit,
            year,
            revenue,
            cost,
            note,
        } => {
            sqlx::query(
                "INSERT INTO fin_budget (unit_id, year, revenue, cost, note) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (unit_id, year) DO UPDATE SET revenue = excluded.revenue, cost = excluded.cost, note = excluded.note",
            )
            .bind(unit).bind(year).bind(revenue).bind(cost).bind(note)
            .execute(tx.conn()).await?;
        }
        FollowupRow::Forecast {
            unit,
            year,
            through,
            revenue,
            cost,
        } => {
            sqlx::query(
                "INSERT INTO fin_forecast (unit_id, year, made_on, revenue, cost, comment, author_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL, $6, $7) \
                 ON CONFLICT (unit_id, year, made_on) DO UPDATE SET revenue = excluded.revenue, cost = excluded.cost, \
                 author_id = excluded.author_id, created_at = excluded.created_at",
            )
            .bind(unit).bind(year).bind(through).bind(revenue).bind(cost)
            .bind(actor.map(|a| a.0)).bind(now)
            .execute(tx.conn()).await?;
        }
        FollowupRow::Investment {
            unit,
            year,
            project,
            v,
        } => {
            sqlx::query(
                "INSERT INTO investments (unit_id, year, project, frame, spent, income, forecast_spent, forecast_income) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (unit_id, year, project) DO UPDATE SET \
                 frame = excluded.frame, spent = excluded.spent, income = excluded.income, \
                 forecast_spent = excluded.forecast_spent, forecast_income = excluded.forecast_income",
            )
            .bind(unit).bind(year).bind(project)
            .bind(v[0]).bind(v[1]).bind(v[2]).bind(v[3]).bind(v[4])
            .execute(tx.conn()).await?;
        }
        FollowupRow::Indicator {
            code,
            unit,
            name,
            measure,
            direction,
            goal,
            extra,
        } => {
            sqlx::query(
                "INSERT INTO indicators (org_unit_id, goal_id, code, name, measure, direction, band_low, band_high, \
                 period_type, kolada_id, min_group_size, computed_from, position) \
                 VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS DOUBLE PRECISION), CAST($8 AS DOUBLE PRECISION), $9, $10, $11, $12, \
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM indicators)) \
                 ON CONFLICT (code) DO UPDATE SET org_unit_id = excluded.org_unit_id, goal_id = excluded.goal_id, \
                 name = excluded.name, measure = excluded.measure, direction = excluded.direction, band_low = excluded.band_low, \
                 band_high = excluded.band_high, period_type = excluded.period_type, kolada_id = excluded.kolada_id, \
                 min_group_size = excluded.min_group_size, computed_from = excluded.computed_from",
            )
            .bind(unit).bind(goal).bind(code).bind(name).bind(measure).bind(direction)
            // As text: the Any driver cannot bind a NULL float for PostgreSQL.
            .bind(extra.band.map(|b| b.0.to_string()))
            .bind(extra.band.map(|b| b.1.to_string()))
            .bind(&extra.period_type).bind(&extra.kolada_id).bind(extra.min_group_size).bind(&extra.computed_from)
            .execute(tx.conn()).await?;
        }
        FollowupRow::Value {
            indicator,
            period,
            gender,
            value,
            target,
        } => {
            sqlx::query(
                "INSERT INTO indicator_values (indicator_id, period, gender, value, target, source) \
                 VALUES ($1, $2, $3, CAST($4 AS DOUBLE PRECISION), CAST($5 AS DOUBLE PRECISION), $6) \
                 ON CONFLICT (indicator_id, period, gender) DO UPDATE SET value = excluded.value, target = excluded.target, source = excluded.source",
            )
            .bind(indicator).bind(period).bind(gender)
            .bind(value.map(|v| v.to_string())).bind(target.map(|v| v.to_string()))
            .bind(source)
            .execute(tx.conn()).await?;
        }
        FollowupRow::Goal {
            year,
            unit,
            area,
            municipal,
            name,
            description,
        } => {
            // Goals are matched on unit, year and name.
            let n = sqlx::query(
                "UPDATE goals SET area = $1, municipal_goal = $2, description = $3 \
                 WHERE org_unit_id = $4 AND year = $5 AND name = $6",
            )
            .bind(area)
            .bind(municipal)
            .bind(description)
            .bind(unit)
            .bind(year)
            .bind(name)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if n == 0 {
                sqlx::query(
                    "INSERT INTO goals (org_unit_id, year, area, municipal_goal, name, description, position) \
                     VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(position), 0) + 1 FROM goals))",
                )
                .bind(unit).bind(year).bind(area).bind(municipal).bind(name).bind(description)
                .execute(tx.conn()).await?;
            }
        }
        FollowupRow::Staff {
            unit,
            period,
            gender,
            metric,
            value,
            target,
        } => {
            sqlx::query(
                "INSERT INTO staff_figures (org_unit_id, period, gender, metric, value, target) \
                 VALUES ($1, $2, $3, $4, CAST($5 AS DOUBLE PRECISION), CAST($6 AS DOUBLE PRECISION)) \
                 ON CONFLICT (org_unit_id, period, gender, metric) DO UPDATE SET value = excluded.value, target = excluded.target",
            )
            .bind(unit).bind(period).bind(gender).bind(metric)
            .bind(value.to_string()).bind(target.map(|t| t.to_string()))
            .execute(tx.conn()).await?;
        }
        FollowupRow::Assignment {
            year,
            unit,
            common,
            text,
            status,
            comment,
        } => {
            let n = sqlx::query(
                "UPDATE strategic_assignments SET common = $1, status = $2, comment = $3 \
                 WHERE org_unit_id = $4 AND year = $5 AND body = $6",
            )
            .bind(i64::from(*common))
            .bind(status)
            .bind(comment)
            .bind(unit)
            .bind(year)
            .bind(text)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if n == 0 {
                sqlx::query(
                    "INSERT INTO strategic_assignments (org_unit_id, year, common, body, status, comment, position) \
                     VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(position), 0) + 1 FROM strategic_assignments))",
                )
                .bind(unit).bind(year).bind(i64::from(*common)).bind(text).bind(status).bind(comment)
                .execute(tx.conn()).await?;
            }
        }
        FollowupRow::Control {
            year,
            unit,
            name,
            risk,
            method,
            frequency,
            owner,
        } => {
            let n = sqlx::query(
                "UPDATE control_points SET risk = $1, method = $2, frequency = $3, owner = $4 \
                 WHERE unit_id = $5 AND year = $6 AND name = $7",
            )
            .bind(risk)
            .bind(method)
            .bind(frequency)
            .bind(owner)
            .bind(unit)
            .bind(year)
            .bind(name)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if n == 0 {
                sqlx::query(
                    "INSERT INTO control_points (unit_id, year, name, risk, method, frequency, owner) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(unit).bind(year).bind(name).bind(risk).bind(method).bind(frequency).bind(owner)
                .execute(tx.conn()).await?;
            }
        }
    }
    Ok(())
}

/// The key a stored row of `row`'s kind would have, and the SQL that finds it: a row's
/// natural key (what an import matches on) names it.
fn natural_key(row: &FollowupRow) -> (&'static str, Vec<String>) {
    match row {
        FollowupRow::Budget { unit, year, .. } => ("SELECT CAST(unit_id AS TEXT) || ':' || CAST(year AS TEXT) FROM fin_budget WHERE unit_id = CAST($1 AS BIGINT) AND year = CAST($2 AS BIGINT)", vec![unit.to_string(), year.to_string()]),
        FollowupRow::Forecast { unit, year, through, .. } => ("SELECT CAST(id AS TEXT) FROM fin_forecast WHERE unit_id = CAST($1 AS BIGINT) AND year = CAST($2 AS BIGINT) AND made_on = $3", vec![unit.to_string(), year.to_string(), through.clone()]),
        FollowupRow::Investment { unit, year, project, .. } => ("SELECT CAST(id AS TEXT) FROM investments WHERE unit_id = CAST($1 AS BIGINT) AND year = CAST($2 AS BIGINT) AND project = $3", vec![unit.to_string(), year.to_string(), project.clone()]),
        FollowupRow::Indicator { code, .. } => ("SELECT CAST(id AS TEXT) FROM indicators WHERE code = $1", vec![code.clone()]),
        FollowupRow::Value { indicator, period, gender, .. } => ("SELECT CAST(indicator_id AS TEXT) || ':' || period || ':' || gender FROM indicator_values WHERE indicator_id = CAST($1 AS BIGINT) AND period = $2 AND gender = $3", vec![indicator.to_string(), period.clone(), gender.clone()]),
        FollowupRow::Goal { unit, year, name, .. } => ("SELECT CAST(id AS TEXT) FROM goals WHERE org_unit_id = CAST($1 AS BIGINT) AND year = CAST($2 AS BIGINT) AND name = $3", vec![unit.to_string(), year.to_string(), name.clone()]),
        FollowupRow::Staff { unit, period, gender, metric, .. } => ("SELECT CAST(org_unit_id AS TEXT) || ':' || period || ':' || gender || ':' || metric FROM staff_figures WHERE org_unit_id = CAST($1 AS BIGINT) AND period = $2 AND gender = $3 AND metric = $4", vec![unit.to_string(), period.clone(), gender.clone(), metric.clone()]),
        FollowupRow::Assignment { unit, year, text, .. } => ("SELECT CAST(id AS TEXT) FROM strategic_assignments WHERE org_unit_id = CAST($1 AS BIGINT) AND year = CAST($2 AS BIGINT) AND body = $3", vec![unit.to_string(), year.to_string(), text.clone()]),
        FollowupRow::Control { unit, year, name, .. } => ("SELECT CAST(id AS TEXT) FROM control_points WHERE unit_id = CAST($1 AS BIGINT) AND year = CAST($2 AS BIGINT) AND name = $3", vec![unit.to_string(), year.to_string(), name.clone()]),
    }
}

pub(crate) fn id_of(key: &str) -> StoreResult<i64> {
    key.parse().map_err(|_| StoreError::NotFound("row"))
}

/// A composite key's parts: `unit:year`, `indicator:period:gender`, `unit:period:gender:metric`.
pub(crate) fn parts(key: &str, n: usize) -> StoreResult<Vec<&str>> {
    let p: Vec<&str> = key.splitn(n, ':').collect();
    if p.len() == n && p[0].parse::<i64>().is_ok() {
        Ok(p)
    } else {
        Err(StoreError::NotFound("row"))
    }
}

fn entity(kind: &str, key: &str, unit: i64) -> Entity {
    let id = key.parse::<i64>().unwrap_or(0);
    match kind {
        "goals" => Entity::Goal(id),
        "assignments" => Entity::Assignment(id),
        "controls" => Entity::ControlPoint(id),
        "indicators" => Entity::Indicator(id),
        "indicator_values" => Entity::Indicator(unit),
        _ => Entity::Unit(serva_domain::UnitId(unit)),
    }
}

impl Db {
    /// The key of the stored row with `row`'s natural key, if any.
    async fn key_of(&self, row: &FollowupRow) -> StoreResult<Option<String>> {
        let (sql, binds) = natural_key(row);
        let mut q = sqlx::query_scalar::<_, String>(sql);
        for b in binds {
            q = q.bind(b);
        }
        Ok(q.fetch_optional(&self.read).await?)
    }

    /// Creates a row (`key` None) or changes the row named by `key`. A row whose natural key
    /// another row already has is refused, never written over: `Conflict` with that row's key.
    pub async fn save_followup_row(
        &self,
        actor: Option<UserId>,
        kind: &str,
        key: Option<&str>,
        row: &FollowupRow,
    ) -> StoreResult<String> {
        let before = match key {
            Some(k) => Some(self.followup_row(kind, k).await?),
            None => None,
        };
        if let Some(other) = self.key_of(row).await? {
            if key != Some(other.as_str()) {
                return Err(StoreError::Conflict(other));
            }
        }
        let mut tx = self.begin_audited(actor).await?;
        let by_id = key.and_then(|k| k.parse::<i64>().ok());
        match (row, by_id) {
            // Rows with an id keep it (and what refers to them) when their names change.
            (
                FollowupRow::Forecast {
                    unit,
                    year,
                    through,
                    revenue,
                    cost,
                },
                Some(id),
            ) => {
                sqlx::query("UPDATE fin_forecast SET unit_id = $1, year = $2, made_on = $3, revenue = $4, cost = $5, author_id = $6, created_at = $7 WHERE id = $8")
                    .bind(unit).bind(year).bind(through).bind(revenue).bind(cost).bind(actor.map(|a| a.0)).bind(tx.now).bind(id)
                    .execute(tx.conn()).await?;
            }
            (
                FollowupRow::Investment {
                    unit,
                    year,
                    project,
                    v,
                },
                Some(id),
            ) => {
                sqlx::query("UPDATE investments SET unit_id = $1, year = $2, project = $3, frame = $4, spent = $5, income = $6, forecast_spent = $7, forecast_income = $8 WHERE id = $9")
                    .bind(unit).bind(year).bind(project).bind(v[0]).bind(v[1]).bind(v[2]).bind(v[3]).bind(v[4]).bind(id)
                    .execute(tx.conn()).await?;
            }
            (
                FollowupRow::Indicator {
                    code,
                    unit,
                    name,
                    measure,
                    direction,
                    goal,
                    extra,
                },
                Some(id),
            ) => {
                sqlx::query("UPDATE indicators SET org_unit_id = $1, goal_id = $2, code = $3, name = $4, measure = $5, direction = $6, \
                             band_low = CAST($7 AS DOUBLE PRECISION), band_high = CAST($8 AS DOUBLE PRECISION), period_type = $9, kolada_id = $10, \
                             min_group_size = $11, computed_from = $12 WHERE id = $13")
                    .bind(unit).bind(goal).bind(code).bind(name).bind(measure).bind(direction)
                    .bind(extra.band.map(|b| b.0.to_string())).bind(extra.band.map(|b| b.1.to_string()))
                    .bind(&extra.period_type).bind(&extra.kolada_id).bind(extra.min_group_size).bind(&extra.computed_from).bind(id)
                    .execute(tx.conn()).await?;
            }
            (
                FollowupRow::Goal {
                    year,
                    unit,
                    area,
                    municipal,
                    name,
                    description,
                },
                Some(id),
            ) => {
                sqlx::query("UPDATE goals SET org_unit_id = $1, year = $2, area = $3, municipal_goal = $4, name = $5, description = $6 WHERE id = $7")
                    .bind(unit).bind(year).bind(area).bind(municipal).bind(name).bind(description).bind(id)
                    .execute(tx.conn()).await?;
            }
            (
                FollowupRow::Assignment {
                    year,
                    unit,
                    common,
                    text,
                    status,
                    comment,
                },
                Some(id),
            ) => {
                sqlx::query("UPDATE strategic_assignments SET org_unit_id = $1, year = $2, common = $3, body = $4, status = $5, comment = $6 WHERE id = $7")
                    .bind(unit).bind(year).bind(i64::from(*common)).bind(text).bind(status).bind(comment).bind(id)
                    .execute(tx.conn()).await?;
            }
            (
                FollowupRow::Control {
                    year,
                    unit,
                    name,
                    risk,
                    method,
                    frequency,
                    owner,
                },
                Some(id),
            ) => {
                sqlx::query("UPDATE control_points SET unit_id = $1, year = $2, name = $3, risk = $4, method = $5, frequency = $6, owner = $7 WHERE id = $8")
                    .bind(unit).bind(year).bind(name).bind(risk).bind(method).bind(frequency).bind(owner).bind(id)
                    .execute(tx.conn()).await?;
            }
            // Rows named by their natural key: the old one goes, the new one is written.
            (row, _) => {
                if let Some(k) = key {
                    delete_in(&mut tx, kind, k).await?;
                }
                write_row(&mut tx, actor, row, "manual").await?;
            }
        }
        let saved = match by_id {
            Some(id) => id.to_string(),
            None => String::new(),
        };
        let unit = row.unit().or(before.as_ref().map(|b| b.unit)).unwrap_or(0);
        let action = if key.is_some() {
            Action::Update
        } else {
            Action::Create
        };
        tx.commit(
            Change::new(action, entity(kind, key.unwrap_or(&saved), unit))
                .before(
                    before
                        .as_ref()
                        .map(|b| serde_json::json!({ "kind": kind, "fields": b.fields }))
                        .as_ref(),
                )
                .after(serde_json::json!({ "kind": kind, "row": format!("{row:?}") })),
        )
        .await?;
        match by_id {
            Some(id) => Ok(id.to_string()),
            None => Ok(self.key_of(row).await?.unwrap_or_default()),
        }
    }

    /// Deletes a row; a goal's assessments go with it (its indicators stay, without a goal),
    /// as do an indicator's values and a control point's results.
    pub async fn delete_followup_row(
        &self,
        actor: Option<UserId>,
        kind: &str,
        key: &str,
    ) -> StoreResult<()> {
        let before = self.followup_row(kind, key).await?;
        let mut tx = self.begin_audited(actor).await?;
        delete_in(&mut tx, kind, key).await?;
        tx.commit(
            Change::new(Action::Delete, entity(kind, key, before.unit))
                .before(serde_json::json!({ "kind": kind, "fields": before.fields })),
        )
        .await?;
        Ok(())
    }
}

async fn delete_in(tx: &mut AuditedTx, kind: &str, key: &str) -> StoreResult<()> {
    let by_id: &[&str] = match kind {
        "forecast" => &["DELETE FROM fin_forecast WHERE id = $1"],
        "investments" => &["DELETE FROM investments WHERE id = $1"],
        "indicators" => &[
            "DELETE FROM indicator_values WHERE indicator_id = $1",
            "DELETE FROM indicators WHERE id = $1",
        ],
        "goals" => &[
            "DELETE FROM goal_assessments WHERE goal_id = $1",
            "UPDATE indicators SET goal_id = NULL WHERE goal_id = $1",
            "DELETE FROM goals WHERE id = $1",
        ],
        "assignments" => &["DELETE FROM strategic_assignments WHERE id = $1"],
        "controls" => &[
            "DELETE FROM control_results WHERE control_id = $1",
            "DELETE FROM control_points WHERE id = $1",
        ],
        _ => &[],
    };
    if !by_id.is_empty() {
        let id = id_of(key)?;
        for sql in by_id {
            sqlx::query(sql).bind(id).execute(tx.conn()).await?;
        }
        return Ok(());
    }
    match kind {
        "budget" => {
            let p = parts(key, 2)?;
            sqlx::query("DELETE FROM fin_budget WHERE unit_id = CAST($1 AS BIGINT) AND year = CAST($2 AS BIGINT)")
                .bind(p[0]).bind(p[1]).execute(tx.conn()).await?;
        }
        "indicator_values" => {
            let p = parts(key, 3)?;
            sqlx::query("DELETE FROM indicator_values WHERE indicator_id = CAST($1 AS BIGINT) AND period = $2 AND gender = $3")
                .bind(p[0]).bind(p[1]).bind(p[2]).execute(tx.conn()).await?;
        }
        "staff" => {
            let p = parts(key, 4)?;
            sqlx::query("DELETE FROM staff_figures WHERE org_unit_id = CAST($1 AS BIGINT) AND period = $2 AND gender = $3 AND metric = $4")
                .bind(p[0]).bind(p[1]).bind(p[2]).bind(p[3]).execute(tx.conn()).await?;
        }
        _ => return Err(StoreError::NotFound("kind")),
    }
    Ok(())
}
