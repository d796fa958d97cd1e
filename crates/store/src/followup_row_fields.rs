//! The follow-up's own rows read back as form fields: a kind's rows for a year, or one row by
//! its key, in the order the report lists them. Rows are written in `followup_rows`.

use std::collections::BTreeMap;

use serva_domain::followup::rows::{kronor_field, number_field, RowFields};

use crate::followup_rows::{id_of, parts};
use crate::{Db, StoreError, StoreResult};

fn f(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Runs `sql` with as many of `args` as it has placeholders (an empty trailing argument is
/// one a listing leaves out).
async fn fetch<R>(db: &Db, sql: &str, args: &[&String]) -> StoreResult<Vec<R>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut q = sqlx::query_as::<_, R>(sql);
    for (i, a) in args.iter().enumerate() {
        if sql.contains(&format!("${}", i + 1)) {
            q = q.bind(a.as_str());
        }
    }
    Ok(q.fetch_all(&db.read).await?)
}

fn opt_num(x: Option<f64>) -> String {
    x.map(number_field).unwrap_or_default()
}

impl Db {
    /// The rows of a kind for a year (indicators: all of them) belonging to `units`, as form
    /// fields, in the order the report lists them.
    pub async fn followup_rows(
        &self,
        kind: &str,
        units: &[i64],
        year: i32,
    ) -> StoreResult<Vec<RowFields>> {
        let mut rows = self.rows_of(kind, None, year).await?;
        rows.retain(|r| units.contains(&r.unit));
        Ok(rows)
    }

    /// One row by its key.
    pub async fn followup_row(&self, kind: &str, key: &str) -> StoreResult<RowFields> {
        self.rows_of(kind, Some(key), 0)
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound("row"))
    }

    async fn rows_of(
        &self,
        kind: &str,
        key: Option<&str>,
        year: i32,
    ) -> StoreResult<Vec<RowFields>> {
        let y = i64::from(year);
        let like = format!("{year}%");
        let row = |key: String, unit: i64, fields: BTreeMap<String, String>| RowFields {
            kind: kind.to_string(),
            key,
            unit,
            fields,
        };
        let out = match kind {
            "budget" => {
                let (w, a, b) = match key {
                    Some(k) => {
                        let p = parts(k, 2)?;
                        (
                            "b.unit_id = CAST($1 AS BIGINT) AND b.year = CAST($2 AS BIGINT)",
                            p[0].to_string(),
                            p[1].to_string(),
                        )
                    }
                    None => ("b.year = CAST($1 AS BIGINT)", y.to_string(), String::new()),
                };
                let sql = format!("SELECT b.unit_id, b.year, u.code, b.revenue, b.cost, b.note FROM fin_budget b JOIN units u ON u.id = b.unit_id WHERE {w} ORDER BY u.code");
                let rs: Vec<(i64, i64, String, i64, i64, Option<String>)> =
                    fetch(self, &sql, &[&a, &b]).await?;
                rs.into_iter()
                    .map(|(unit, year, code, rev, cost, note)| {
                        row(
                            format!("{unit}:{year}"),
                            unit,
                            f(&[
                                ("year", year.to_string()),
                                ("unit", code),
                                ("revenue", kronor_field(rev)),
                                ("cost", kronor_field(cost)),
                                ("note", note.unwrap_or_default()),
                            ]),
                        )
                    })
                    .collect()
            }
            "forecast" => {
                let (w, a) = match key {
                    Some(k) => ("f.id = CAST($1 AS BIGINT)", id_of(k)?.to_string()),
                    None => ("f.year = CAST($1 AS BIGINT)", y.to_string()),
                };
                let sql = format!("SELECT f.id, f.unit_id, f.year, f.made_on, u.code, f.revenue, f.cost FROM fin_forecast f JOIN units u ON u.id = f.unit_id WHERE {w} ORDER BY f.made_on, u.code");
                let rs: Vec<(i64, i64, i64, String, String, i64, i64)> =
                    fetch(self, &sql, &[&a]).await?;
                rs.into_iter()
                    .map(|(id, unit, year, made_on, code, rev, cost)| {
                        row(
                            id.to_string(),
                            unit,
                            f(&[
                                ("year", year.to_string()),
                                ("through", made_on),
                                ("unit", code),
                                ("revenue", kronor_field(rev)),
                                ("cost", kronor_field(cost)),
                            ]),
                        )
                    })
                    .collect()
            }
            "investments" => {
                let (w, a) = match key {
                    Some(k) => ("i.id = CAST($1 AS BIGINT)", id_of(k)?.to_string()),
                    None => ("i.year = CAST($1 AS BIGINT)", y.to_string()),
                };
                let sql = format!("SELECT i.id, i.unit_id, i.year, u.code, i.project, i.frame, i.spent, i.income, i.forecast_spent, i.forecast_income FROM investments i JOIN units u ON u.id = i.unit_id WHERE {w} ORDER BY u.code, i.project");
                type R = (i64, i64, i64, String, String, i64, i64, i64, i64, i64);
                let rs: Vec<R> = fetch(self, &sql, &[&a]).await?;
                rs.into_iter()
                    .map(|(id, unit, year, code, project, fr, sp, inc, fs, fi)| {
                        row(
                            id.to_string(),
                            unit,
                            f(&[
                                ("year", year.to_string()),
                                ("unit", code),
                                ("project", project),
                                ("frame", kronor_field(fr)),
                                ("spent", kronor_field(sp)),
                                ("income", kronor_field(inc)),
                                ("forecast_spent", kronor_field(fs)),
                                ("forecast_income", kronor_field(fi)),
                            ]),
                        )
                    })
                    .collect()
            }
            "indicators" => {
                let (w, a) = match key {
                    Some(k) => ("i.id = CAST($1 AS BIGINT)", id_of(k)?.to_string()),
                    None => ("1 = 1", String::new()),
                };
                let sql = format!("SELECT i.id, i.org_unit_id, u.code, i.code, i.name, i.measure, i.direction, g.name, i.band_low, i.band_high, i.period_type, i.kolada_id, i.min_group_size, i.computed_from \
                                   FROM indicators i JOIN units u ON u.id = i.org_unit_id LEFT JOIN goals g ON g.id = i.goal_id WHERE {w} ORDER BY i.position");
                type R = (
                    i64,
                    i64,
                    String,
                    String,
                    String,
                    String,
                    String,
                    Option<String>,
                    Option<f64>,
                    Option<f64>,
                    String,
                    Option<String>,
                    i64,
                    Option<String>,
                );
                let rs: Vec<R> = fetch(self, &sql, &[&a]).await?;
                rs.into_iter()
                    .map(
                        |(
                            id,
                            unit,
                            ucode,
                            code,
                            name,
                            measure,
                            direction,
                            goal,
                            lo,
                            hi,
                            pt,
                            kolada,
                            mgs,
                            cf,
                        )| {
                            row(
                                id.to_string(),
                                unit,
                                f(&[
                                    ("code", code),
                                    ("unit", ucode),
                                    ("name", name),
                                    ("measure", measure),
                                    ("direction", direction),
                                    ("goal", goal.unwrap_or_default()),
                                    ("band_low", opt_num(lo)),
                                    ("band_high", opt_num(hi)),
                                    ("period_type", pt),
                                    ("kolada_id", kolada.unwrap_or_default()),
                                    (
                                        "min_group_size",
                                        if mgs == 0 {
                                            String::new()
                                        } else {
                                            mgs.to_string()
                                        },
                                    ),
                                    ("computed_from", cf.unwrap_or_default()),
                                ]),
                            )
                        },
                    )
                    .collect()
            }
            "indicator_values" => {
                let (w, a, b, c) = match key {
                    Some(k) => {
                        let p = parts(k, 3)?;
                        ("v.indicator_id = CAST($1 AS BIGINT) AND v.period = $2 AND v.gender = $3", p[0].to_string(), p[1].to_string(), p[2].to_string())
                    }
                    None => (
                        "v.period LIKE $1",
                        like.clone(),
                        String::new(),
                        String::new(),
                    ),
                };
                let sql = format!("SELECT v.indicator_id, i.org_unit_id, i.code, u.code, v.period, v.gender, v.value, v.target FROM indicator_values v \
                                   JOIN indicators i ON i.id = v.indicator_id JOIN units u ON u.id = i.org_unit_id WHERE {w} ORDER BY i.position, v.period, v.gender");
                type R = (
                    i64,
                    i64,
                    String,
                    String,
                    String,
                    String,
                    Option<f64>,
                    Option<f64>,
                );
                let rs: Vec<R> = fetch(self, &sql, &[&a, &b, &c]).await?;
                rs.into_iter()
                    .map(|(ind, unit, code, ucode, period, gender, v, t)| {
                        row(
                            format!("{ind}:{period}:{gender}"),
                            unit,
                            f(&[
                                ("indicator", code),
                                ("unit", ucode),
                                ("period", period),
                                ("gender", gender),
                                ("value", opt_num(v)),
                                ("target", opt_num(t)),
                            ]),
                        )
                    })
                    .collect()
            }
            "goals" => {
                let (w, a) = match key {
                    Some(k) => ("g.id = CAST($1 AS BIGINT)", id_of(k)?.to_string()),
                    None => ("g.year = CAST($1 AS BIGINT)", y.to_string()),
                };
                let sql = format!("SELECT g.id, g.org_unit_id, g.year, u.code, g.area, g.municipal_goal, g.name, g.description FROM goals g JOIN units u ON u.id = g.org_unit_id WHERE {w} ORDER BY g.position");
                type R = (i64, i64, i64, String, String, String, String, String);
                let rs: Vec<R> = fetch(self, &sql, &[&a]).await?;
                rs.into_iter()
                    .map(
                        |(id, unit, year, code, area, municipal, name, description)| {
                            row(
                                id.to_string(),
                                unit,
                                f(&[
                                    ("year", year.to_string()),
                                    ("unit", code),
                                    ("area", area),
                                    ("municipal_goal", municipal),
                                    ("name", name),
                                    ("description", description),
                                ]),
                            )
                        },
                    )
                    .collect()
            }
            "staff" => {
                let (w, a, b, c, d) = match key {
                    Some(k) => {
                        let p = parts(k, 4)?;
                        ("s.org_unit_id = CAST($1 AS BIGINT) AND s.period = $2 AND s.gender = $3 AND s.metric = $4", p[0].to_string(), p[1].to_string(), p[2].to_string(), p[3].to_string())
                    }
                    None => (
                        "s.period LIKE $1",
                        like.clone(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ),
                };
                let sql = format!("SELECT s.org_unit_id, u.code, s.period, s.gender, s.metric, s.value, s.target FROM staff_figures s JOIN units u ON u.id = s.org_unit_id WHERE {w} ORDER BY s.period, s.metric, s.gender");
                type R = (i64, String, String, String, String, f64, Option<f64>);
                let rs: Vec<R> = fetch(self, &sql, &[&a, &b, &c, &d]).await?;
                rs.into_iter()
                    .map(|(unit, code, period, gender, metric, v, t)| {
                        row(
                            format!("{unit}:{period}:{gender}:{metric}"),
                            unit,
                            f(&[
                                ("period", period),
                                ("unit", code),
                                ("gender", gender),
                                ("metric", metric),
                                ("value", number_field(v)),
                                ("target", opt_num(t)),
                            ]),
                        )
                    })
                    .collect()
            }
            "assignments" => {
                let (w, a) = match key {
                    Some(k) => ("s.id = CAST($1 AS BIGINT)", id_of(k)?.to_string()),
                    None => ("s.year = CAST($1 AS BIGINT)", y.to_string()),
                };
                let sql = format!("SELECT s.id, s.org_unit_id, s.year, u.code, s.common, s.body, s.status, s.comment FROM strategic_assignments s JOIN units u ON u.id = s.org_unit_id WHERE {w} ORDER BY s.position");
                type R = (i64, i64, i64, String, i64, String, String, String);
                let rs: Vec<R> = fetch(self, &sql, &[&a]).await?;
                rs.into_iter()
                    .map(|(id, unit, year, code, common, body, status, comment)| {
                        row(
                            id.to_string(),
                            unit,
                            f(&[
                                ("year", year.to_string()),
                                ("unit", code),
                                ("common", (common != 0).to_string()),
                                ("text", body),
                                ("status", status),
                                ("comment", comment),
                            ]),
                        )
                    })
                    .collect()
            }
            "controls" => {
                let (w, a) = match key {
                    Some(k) => ("p.id = CAST($1 AS BIGINT)", id_of(k)?.to_string()),
                    None => ("p.year = CAST($1 AS BIGINT)", y.to_string()),
                };
                let sql = format!("SELECT p.id, p.unit_id, p.year, u.code, p.name, p.risk, p.method, p.frequency, p.owner FROM control_points p JOIN units u ON u.id = p.unit_id WHERE {w} ORDER BY p.id");
                type R = (
                    i64,
                    i64,
                    i64,
                    String,
                    String,
                    String,
                    String,
                    String,
                    String,
                );
                let rs: Vec<R> = fetch(self, &sql, &[&a]).await?;
                rs.into_iter()
                    .map(
                        |(id, unit, year, code, name, risk, method, frequency, owner)| {
                            row(
                                id.to_string(),
                                unit,
                                f(&[
                                    ("year", year.to_string()),
                                    ("unit", code),
                                    ("name", name),
                                    ("risk", risk),
                                    ("method", method),
                                    ("frequency", frequency),
                                    ("owner", owner),
                                ]),
                            )
                        },
                    )
                    .collect()
            }
            _ => return Err(StoreError::NotFound("kind")),
        };
        Ok(out)
    }
}
