//! Hand-offs between units: how many cases each unit passed to another over the period, and
//! how many of those came back. Each side is named as the report names it: a unit inside the
//! administration by its report row (a sub-unit, or a predecessor, is counted in the row that
//! carries it), a unit outside it by its own name. A hand-off between two units of one row is
//! not between rows and is left out.

use std::collections::BTreeMap;

use super::facts::ReportUnit;
use super::model::HandoffRow;
use super::org::groups;
use crate::handoff::HandoffPair;
use crate::UnitId;

/// The report's table of hand-offs, most first (then by the units' names).
pub fn handoff_rows(pairs: &[HandoffPair], units: &[ReportUnit], org: UnitId) -> Vec<HandoffRow> {
    let groups = groups(units, org);
    let row_of = |id: UnitId, own_name: &str| -> (bool, String) {
        match groups.iter().find(|g| g.members.contains(&id)) {
            Some(g) => (true, g.unit.name.clone()),
            None => (false, own_name.to_string()),
        }
    };
    let mut sums: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for p in pairs {
        let (from_inside, from) = row_of(p.from_unit, &p.from_unit_name);
        let (to_inside, to) = row_of(p.to_unit, &p.to_unit_name);
        if !(from_inside || to_inside) || (from_inside && to_inside && from == to) {
            continue;
        }
        let s = sums.entry((from, to)).or_default();
        s.0 += p.handoffs;
        s.1 += p.hand_backs;
    }
    let mut rows: Vec<HandoffRow> = sums
        .into_iter()
        .map(|((from, to), (handoffs, hand_backs))| HandoffRow {
            from,
            to,
            handoffs,
            hand_backs,
        })
        .collect();
    // Stable: equal counts stay in the names' order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.handoffs));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::org::tests::vss;

    fn pair(from: i64, from_name: &str, to: i64, to_name: &str, n: i64, back: i64) -> HandoffPair {
        HandoffPair {
            from_unit: UnitId(from),
            from_unit_name: from_name.into(),
            to_unit: UnitId(to),
            to_unit_name: to_name.into(),
            handoffs: n,
            hand_backs: back,
        }
    }

    #[test]
    fn sides_are_named_by_their_report_row_and_pairs_within_a_row_left_out() {
        let units = vss();
        let name = |id: i64| {
            units
                .iter()
                .find(|u| u.id == UnitId(id))
                .unwrap()
                .name
                .clone()
        };
        let pairs = [
            // Medborgarkontoret (4) is reported inside Kontakt (3); LKDATA drift (6) inside LKDATA (5).
            pair(4, &name(4), 6, &name(6), 2, 0),
            pair(3, &name(3), 5, &name(5), 3, 1),
            // Within LKDATA: not between rows.
            pair(5, &name(5), 6, &name(6), 7, 0),
            // To a unit outside the administration: its own name.
            pair(5, &name(5), 99, "Räddningstjänsten", 1, 0),
            // Neither side is the administration's: not its report.
            pair(98, "Någon annan", 99, "Räddningstjänsten", 4, 0),
            pair(5, &name(5), 3, &name(3), 1, 1),
        ];
        let rows = handoff_rows(&pairs, &units, UnitId(1));
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str(), r.handoffs, r.hand_backs))
            .collect();
        let (kontakt, lkdata) = (name(3), name(5));
        assert_eq!(
            got,
            vec![
                (kontakt.as_str(), lkdata.as_str(), 5, 1),
                (lkdata.as_str(), kontakt.as_str(), 1, 1),
                (lkdata.as_str(), "Räddningstjänsten", 1, 0),
            ]
        );
    }

    #[test]
    fn no_hand_offs_no_rows() {
        assert!(handoff_rows(&[], &vss(), UnitId(1)).is_empty());
    }
}
