//! Which units the report shows as rows: the administration's direct children, each carrying
//! its subtree and its predecessors (Medborgarkontoret inside Kontakt Linköping).

use std::collections::HashSet;

use super::facts::ReportUnit;
use crate::UnitId;

/// Predecessor chains longer than this are bad data (or a cycle) and are cut.
const MAX_CHAIN: usize = 20;

/// One row of the report: the unit it is named after, and every unit whose figures it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportGroup {
    pub unit: ReportUnit,
    pub members: Vec<UnitId>,
}

/// The rows of `org`'s report, by name (case-insensitive). A direct child that another direct
/// child succeeds is not a row of its own: it is reported inside its successor.
pub fn groups(units: &[ReportUnit], org: UnitId) -> Vec<ReportGroup> {
    let children = |id: UnitId| units.iter().filter(move |u| u.parent == Some(id));
    let subtree = |root: UnitId| {
        let mut out = vec![root];
        let mut i = 0;
        while i < out.len() {
            for c in children(out[i]) {
                if !out.contains(&c.id) {
                    out.push(c.id);
                }
            }
            i += 1;
        }
        out
    };
    let direct: Vec<&ReportUnit> = children(org).collect();
    let succeeded: HashSet<UnitId> = direct.iter().filter_map(|u| u.predecessor).collect();
    let mut groups = Vec::new();
    for u in direct.iter().filter(|u| !succeeded.contains(&u.id)) {
        let mut members = subtree(u.id);
        let mut pred = u.predecessor;
        let mut guard = 0;
        while let Some(p) = pred {
            if members.contains(&p) || guard > MAX_CHAIN {
                break;
            }
            members.extend(subtree(p));
            pred = units.iter().find(|x| x.id == p).and_then(|x| x.predecessor);
            guard += 1;
        }
        groups.push(ReportGroup {
            unit: (*u).clone(),
            members,
        });
    }
    groups.sort_by_key(|g| g.unit.name.to_lowercase());
    groups
}

/// Every unit whose cases and calls the report counts: the members of all rows.
pub fn provider_units(units: &[ReportUnit], org: UnitId) -> Vec<UnitId> {
    groups(units, org)
        .into_iter()
        .flat_map(|g| g.members)
        .collect()
}

/// Whether `candidate` is `of`'s predecessor, or its predecessor's, and so on.
pub fn is_predecessor_of(units: &[ReportUnit], candidate: UnitId, of: UnitId) -> bool {
    let predecessor = |id: UnitId| {
        units
            .iter()
            .find(|u| u.id == id)
            .and_then(|u| u.predecessor)
    };
    let mut cur = predecessor(of);
    let mut guard = 0;
    while let Some(p) = cur {
        if p == candidate {
            return true;
        }
        guard += 1;
        if guard > MAX_CHAIN {
            break;
        }
        cur = predecessor(p);
    }
    false
}

/// The names of the predecessors among a row's members, in member order.
pub fn predecessor_names(units: &[ReportUnit], group: &ReportGroup) -> Vec<String> {
    group
        .members
        .iter()
        .filter_map(|id| units.iter().find(|u| u.id == *id))
        .filter(|u| is_predecessor_of(units, u.id, group.unit.id))
        .map(|u| u.name.clone())
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn unit(id: i64, name: &str, parent: Option<i64>, pred: Option<i64>) -> ReportUnit {
        ReportUnit {
            id: UnitId(id),
            code: name.to_uppercase(),
            name: name.into(),
            parent: parent.map(UnitId),
            predecessor: pred.map(UnitId),
        }
    }

    /// VSS (1) ⊃ ledning (2), kontakt (3, succeeds 4), medborgarkontoret (4), lkdata (5 ⊃ drift 6).
    pub(crate) fn vss() -> Vec<ReportUnit> {
        vec![
            unit(1, "VSS", None, None),
            unit(2, "ledning", Some(1), None),
            unit(3, "Kontakt", Some(1), Some(4)),
            unit(4, "Medborgarkontoret", Some(1), None),
            unit(5, "LKDATA", Some(1), None),
            unit(6, "drift", Some(5), None),
        ]
    }

    #[test]
    fn rows_fold_subtrees_and_predecessors_and_sort_by_name() {
        let units = vss();
        let g = groups(&units, UnitId(1));
        let names: Vec<&str> = g.iter().map(|g| g.unit.name.as_str()).collect();
        assert_eq!(
            names,
            ["Kontakt", "ledning", "LKDATA"],
            "case-insensitive order"
        );
        assert_eq!(g[0].members, [UnitId(3), UnitId(4)]);
        assert_eq!(g[2].members, [UnitId(5), UnitId(6)]);
        assert_eq!(predecessor_names(&units, &g[0]), ["Medborgarkontoret"]);
        assert!(predecessor_names(&units, &g[2]).is_empty());
        let mut p = provider_units(&units, UnitId(1));
        p.sort();
        assert_eq!(p, [2, 3, 4, 5, 6].map(UnitId));
    }

    #[test]
    fn predecessor_chains_and_cycles_end() {
        let units = vec![
            unit(1, "a", None, Some(2)),
            unit(2, "b", None, Some(3)),
            unit(3, "c", None, Some(1)),
        ];
        assert!(is_predecessor_of(&units, UnitId(3), UnitId(1)));
        assert!(!is_predecessor_of(&units, UnitId(4), UnitId(1)));
        let tree = vec![
            unit(9, "org", None, None),
            unit(1, "a", Some(9), Some(2)),
            unit(2, "b", None, Some(1)),
        ];
        assert_eq!(groups(&tree, UnitId(9))[0].members, [UnitId(1), UnitId(2)]);
    }
}
