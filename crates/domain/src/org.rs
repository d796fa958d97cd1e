//! The municipal group as a tree of organisational units.

use serde::{Deserialize, Serialize};

/// What kind of organisational unit a node of the tree is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// The municipality itself, the root of the group.
    Municipality,
    /// A customer department (förvaltning).
    Department,
    /// A municipal company (bolag).
    Company,
    /// A provider administration such as VSS.
    Administration,
    /// A unit inside an administration (Ekonomiservice, LKDATA, …): the providers of services.
    Unit,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::Municipality,
        UnitKind::Department,
        UnitKind::Company,
        UnitKind::Administration,
        UnitKind::Unit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Municipality => "municipality",
            UnitKind::Department => "department",
            UnitKind::Company => "company",
            UnitKind::Administration => "administration",
            UnitKind::Unit => "unit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Departments and companies are customers: they order services.
    pub fn is_customer(self) -> bool {
        matches!(self, UnitKind::Department | UnitKind::Company)
    }

    /// Administrations and their units provide services.
    pub fn is_provider(self) -> bool {
        matches!(self, UnitKind::Administration | UnitKind::Unit)
    }
}

/// A unit code: short, upper-case letters, digits, `-` and `_` (e.g. `LKDATA`, `UF`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitCode(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unit code must be 1–32 characters A–Z, 0–9, '-' or '_': {0:?}")]
pub struct BadUnitCode(pub String);

impl UnitCode {
    pub fn parse(s: &str) -> Result<Self, BadUnitCode> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.len() <= 32
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if ok {
            Ok(UnitCode(s.to_string()))
        } else {
            Err(BadUnitCode(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit to create or change, checked before it reaches the database.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<crate::UnitId>,
    pub erp_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub predecessor: Option<crate::UnitId>,
}

/// An organisational unit as it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: crate::UnitId,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<crate::UnitId>,
    /// The unit's code in the ledger (ansvar), which ties SIE rows to it.
    pub erp_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// The unit this one continues, whose figures it carries in comparisons.
    pub predecessor_id: Option<crate::UnitId>,
}

impl Unit {
    /// Whether the unit exists on `day`: on or after its `valid_from`, on or before its
    /// `valid_to` (each open when absent). An ended unit keeps its history but is no longer
    /// offered as a provider or a customer; one that starts later is not offered yet.
    pub fn valid_on(&self, day: chrono::NaiveDate) -> bool {
        let bound = |d: &Option<String>| d.as_deref().and_then(crate::time::parse_day);
        bound(&self.valid_from).is_none_or(|f| f <= day)
            && bound(&self.valid_to).is_none_or(|t| day <= t)
    }
}

/// A unit as the rules need it: its place in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitNode {
    pub id: crate::UnitId,
    pub parent: Option<crate::UnitId>,
}

/// All ids in the subtree rooted at `root` (itself included), given every unit of the tree.
pub fn subtree(units: &[UnitNode], root: crate::UnitId) -> Vec<crate::UnitId> {
    let mut out = vec![root];
    let mut seen = std::collections::HashSet::from([root]);
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        for u in units.iter().filter(|u| u.parent == Some(parent)) {
            // a cycle in bad data must not loop forever
            if seen.insert(u.id) {
                out.push(u.id);
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UnitId;

    #[test]
    fn codes_are_validated() {
        assert!(UnitCode::parse("LKDATA").is_ok());
        assert!(UnitCode::parse(" HR-DIREKT ").is_ok());
        assert!(UnitCode::parse("lkdata").is_err());
        assert!(UnitCode::parse("").is_err());
        assert!(UnitCode::parse("Å").is_err());
    }

    #[test]
    fn subtree_walks_descendants_and_survives_cycles() {
        let n = |id, parent: Option<i64>| UnitNode {
            id: UnitId(id),
            parent: parent.map(UnitId),
        };
        let units = vec![
            n(1, None),
            n(2, Some(1)),
            n(3, Some(2)),
            n(4, Some(1)),
            n(5, None),
        ];
        let mut s = subtree(&units, UnitId(2));
        s.sort();
        assert_eq!(s, vec![UnitId(2), UnitId(3)]);
        assert_eq!(subtree(&units, UnitId(1)).len(), 4);
        let cyclic = vec![n(1, Some(2)), n(2, Some(1))];
        assert!(subtree(&cyclic, UnitId(1)).len() <= 3);
    }

    #[test]
    fn a_unit_is_offered_only_while_it_exists() {
        let unit = |from: Option<&str>, to: Option<&str>| Unit {
            id: UnitId(1),
            code: "MBK".into(),
            name: "Medborgarkontoret".into(),
            kind: UnitKind::Unit,
            parent_id: None,
            erp_code: None,
            valid_from: from.map(str::to_string),
            valid_to: to.map(str::to_string),
            predecessor_id: None,
        };
        let day = |s| crate::time::parse_day(s).unwrap();
        let ended = unit(None, Some("2019-03-31"));
        assert!(ended.valid_on(day("2019-03-31")));
        assert!(!ended.valid_on(day("2019-04-01")));
        let later = unit(Some("2020-01-01"), None);
        assert!(!later.valid_on(day("2019-12-31")));
        assert!(later.valid_on(day("2020-01-01")));
        assert!(unit(None, None).valid_on(day("1999-01-01")));
    }
}
