//! Follow-up rows by form: budget, forecasts, investments, indicators and their values,
//! goals, staff figures, strategic assignments and control points of one administration,
//! listed, created, changed and deleted by those who write its follow-up. A form's fields are
//! an import row's columns, checked by the same rule (`followup::rows::check_row`).

use serva_domain::access::Principal;
use serva_domain::followup::rows::{check_row, Resolve, RowFields, ROW_KINDS};
use serva_domain::import::Record;
use serva_domain::report::ReportParams;
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// The administration's units (code, name) and the rows of a kind for the follow-up's year.
#[derive(Debug, Clone)]
pub struct RowList {
    pub units: Vec<(String, String)>,
    /// Indicators of the administration: code, name.
    pub indicators: Vec<(String, String)>,
    pub rows: Vec<RowFields>,
}

/// Why a form's row was not saved: a field's value, or another row with the same names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowRefusal {
    Field { column: String, message: String },
    Exists { key: String },
}

/// Codes resolved within one administration.
struct OrgNames {
    units: Vec<(String, i64)>,
    indicators: Vec<(String, i64, i64)>,
    goals: Vec<(i64, i64, String)>,
}

impl Resolve for OrgNames {
    fn unit(&self, code: &str) -> Option<i64> {
        self.units.iter().find(|u| u.0 == code).map(|u| u.1)
    }
    fn indicator(&self, code: &str) -> Option<(i64, i64)> {
        self.indicators
            .iter()
            .find(|i| i.0 == code)
            .map(|i| (i.1, i.2))
    }
    fn goal(&self, org: i64, name: &str) -> Option<i64> {
        self.goals
            .iter()
            .find(|g| g.1 == org && g.2 == name)
            .map(|g| g.0)
    }
}

fn kind_of(kind: &str) -> AppResult<&'static str> {
    ROW_KINDS
        .iter()
        .copied()
        .find(|k| *k == kind)
        .ok_or(AppError::NotFound("kind"))
}

impl App {
    /// The ids of the administration's units (itself included) this person writes for.
    async fn row_scope(&self, p: &Principal, q: &ReportParams) -> AppResult<Vec<i64>> {
        let org = self.writable_org(p, &q.org).await?;
        let nodes = self.db.unit_nodes().await?;
        Ok(serva_domain::org::subtree(&nodes, org.id)
            .into_iter()
            .map(|u| u.0)
            .collect())
    }

    pub async fn followup_rows(
        &self,
        p: &Principal,
        q: &ReportParams,
        kind: &str,
    ) -> AppResult<RowList> {
        let kind = kind_of(kind)?;
        let scope = self.row_scope(p, q).await?;
        let units = self
            .db
            .units()
            .await?
            .into_iter()
            .filter(|u| scope.contains(&u.id.0))
            .map(|u| (u.code, u.name))
            .collect();
        let indicators = self
            .db
            .followup_rows("indicators", &scope, q.year)
            .await?
            .into_iter()
            .map(|r| (r.get("code").to_string(), r.get("name").to_string()))
            .collect();
        let rows = self.db.followup_rows(kind, &scope, q.year).await?;
        Ok(RowList {
            units,
            indicators,
            rows,
        })
    }

    /// One row of the administration, by key; another administration's answers "not found".
    pub async fn followup_row(
        &self,
        p: &Principal,
        q: &ReportParams,
        kind: &str,
        key: &str,
    ) -> AppResult<RowFields> {
        let kind = kind_of(kind)?;
        let scope = self.row_scope(p, q).await?;
        let row = self.db.followup_row(kind, key).await?;
        if !scope.contains(&row.unit) {
            return Err(AppError::NotFound("row"));
        }
        Ok(row)
    }

    /// Creates (`key` None) or changes a row from a form's fields, named as the import's
    /// columns. Dates may be typed `2019-8-31` or `20190831`; numbers `1,5` or `16 015`.
    pub async fn save_followup_row(
        &self,
        p: &Principal,
        q: &ReportParams,
        kind: &str,
        key: Option<&str>,
        fields: &[(String, String)],
    ) -> AppResult<Result<String, RowRefusal>> {
        let kind = kind_of(kind)?;
        if let Some(k) = key {
            self.followup_row(p, q, kind, k).await?;
        }
        let scope = self.row_scope(p, q).await?;
        let names = OrgNames {
            units: self
                .db
                .units()
                .await?
                .into_iter()
                .filter(|u| scope.contains(&u.id.0))
                .map(|u| (u.code, u.id.0))
                .collect(),
            indicators: self
                .db
                .followup_rows("indicators", &scope, q.year)
                .await?
                .into_iter()
                .filter_map(|r| Some((r.get("code").to_string(), r.key.parse().ok()?, r.unit)))
                .collect(),
            goals: self
                .db
                .followup_rows("goals", &scope, q.year)
                .await?
                .into_iter()
                .filter_map(|r| Some((r.key.parse().ok()?, r.unit, r.get("name").to_string())))
                .collect(),
        };
        let fields: Vec<(&str, String)> = fields
            .iter()
            .map(|(k, v)| {
                let v = v.trim();
                // A date as the person typed it, read as ÅÅÅÅ-MM-DD whatever their locale.
                let v = match (k.as_str(), serva_domain::time::parse_day(v)) {
                    ("through", Some(d)) => d.format("%Y-%m-%d").to_string(),
                    _ => v.to_string(),
                };
                (k.as_str(), v)
            })
            .collect();
        let mut fields = fields;
        // An indicator value's form names the indicator only; its administration follows.
        if kind == "indicator_values" && !fields.iter().any(|(k, _)| *k == "unit") {
            let code = fields
                .iter()
                .find(|(k, _)| *k == "indicator")
                .map(|(_, v)| v.as_str());
            let org = code.and_then(|c| names.indicator(c)).map(|(_, org)| org);
            let unit = org
                .and_then(|o| names.units.iter().find(|u| u.1 == o))
                .map(|u| u.0.clone());
            fields.push(("unit", unit.unwrap_or_default()));
        }
        let record = Record::from_fields(0, fields.iter().map(|(k, v)| (*k, v.as_str())));
        let row = match check_row(kind, &record, &names).expect("a follow-up kind") {
            Ok(row) => row,
            Err(e) => {
                return Ok(Err(RowRefusal::Field {
                    column: e.column.unwrap_or_default(),
                    message: e.message,
                }))
            }
        };
        match self.db.save_followup_row(p.user, kind, key, &row).await {
            Ok(key) => Ok(Ok(key)),
            Err(StoreError::Conflict(other)) => Ok(Err(RowRefusal::Exists { key: other })),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete_followup_row(
        &self,
        p: &Principal,
        q: &ReportParams,
        kind: &str,
        key: &str,
    ) -> AppResult<()> {
        let kind = kind_of(kind)?;
        self.followup_row(p, q, kind, key).await?;
        self.db.delete_followup_row(p.user, kind, key).await?;
        Ok(())
    }
}
