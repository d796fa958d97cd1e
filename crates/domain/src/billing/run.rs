//! A billing run: the month's volumes priced into charge lines, and the preview per customer
//! and service. Each volume is priced by the price valid on its own day, so a price changed
//! mid-month charges the days before and after at their own prices.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::money::{amount_ore, Milli};
use super::price_list::{price_on, PriceEntry};

/// Where a charge comes from; a charge line always names its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A case closed in the month (per-case services).
    Case(i64),
    /// Time recorded on a case (per-hour services).
    Time(i64),
    /// A subscription's quantity for the month.
    Subscription(i64),
    /// A row of a volume file for work done elsewhere.
    Imported(i64),
    /// A correction of an earlier, locked charge line: a new line, never an edit.
    Correction(i64),
}

impl Source {
    pub fn kind(self) -> &'static str {
        match self {
            Source::Case(_) => "case",
            Source::Time(_) => "time",
            Source::Subscription(_) => "subscription",
            Source::Imported(_) => "imported",
            Source::Correction(_) => "correction",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Source::Case(i)
            | Source::Time(i)
            | Source::Subscription(i)
            | Source::Imported(i)
            | Source::Correction(i) => i,
        }
    }

    pub fn parse(kind: &str, id: i64) -> Option<Source> {
        Some(match kind {
            "case" => Source::Case(id),
            "time" => Source::Time(id),
            "subscription" => Source::Subscription(id),
            "imported" => Source::Imported(id),
            "correction" => Source::Correction(id),
            _ => return None,
        })
    }
}

/// Something that was delivered: a quantity of a service to a customer on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    pub source: Source,
    /// The providing unit's code.
    pub provider: String,
    /// The buying unit's code (a department or a company).
    pub customer: String,
    pub service: String,
    pub day: NaiveDate,
    pub quantity: Milli,
}

/// A priced volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeLine {
    pub volume: Volume,
    pub price_ore: i64,
    pub amount_ore: i64,
}

/// A volume that could not be priced: its service had no price on its day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpriced {
    pub volume: Volume,
}

/// Prices every volume by the price valid on its day; what has no price is returned apart
/// (a run with unpriced volumes may be previewed but not locked).
pub fn price_volumes(
    volumes: Vec<Volume>,
    prices: &[PriceEntry],
) -> (Vec<ChargeLine>, Vec<Unpriced>) {
    let mut lines = Vec::with_capacity(volumes.len());
    let mut unpriced = Vec::new();
    for v in volumes {
        match price_on(prices, &v.service, v.day) {
            Some(p) => lines.push(ChargeLine {
                price_ore: p.price_ore,
                amount_ore: amount_ore(v.quantity, p.price_ore),
                volume: v,
            }),
            None => unpriced.push(Unpriced { volume: v }),
        }
    }
    (lines, unpriced)
}

/// One row of the preview: a customer's quantity and amount of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    pub customer: String,
    pub provider: String,
    pub service: String,
    pub quantity: Milli,
    pub amount_ore: i64,
    pub lines: usize,
}

/// The preview: per customer and service, in that order, with the sum of the lines (each
/// rounded on its own, so the rows add up to the lines exactly).
pub fn preview(lines: &[ChargeLine]) -> Vec<PreviewRow> {
    let mut rows: BTreeMap<(&str, &str, &str), PreviewRow> = BTreeMap::new();
    for l in lines {
        let v = &l.volume;
        let row = rows
            .entry((&v.customer, &v.service, &v.provider))
            .or_insert_with(|| PreviewRow {
                customer: v.customer.clone(),
                provider: v.provider.clone(),
                service: v.service.clone(),
                quantity: Milli(0),
                amount_ore: 0,
                lines: 0,
            });
        row.quantity.0 += v.quantity.0;
        row.amount_ore += l.amount_ore;
        row.lines += 1;
    }
    rows.into_values().collect()
}

/// The corrections of locked lines: for each, a line with the opposite quantity and amount
/// that names the line it corrects, to go into a later run.
pub fn reversal(line_id: i64, line: &ChargeLine, day: NaiveDate) -> ChargeLine {
    ChargeLine {
        volume: Volume {
            source: Source::Correction(line_id),
            day,
            quantity: Milli(-line.volume.quantity.0),
            ..line.volume.clone()
        },
        price_ore: line.price_ore,
        amount_ore: -line.amount_ore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::PriceModel;

    fn d(s: &str) -> NaiveDate {
        crate::time::parse_day(s).unwrap()
    }

    fn vol(id: i64, customer: &str, service: &str, day: &str, q: Milli) -> Volume {
        Volume {
            source: Source::Case(id),
            provider: "KL".into(),
            customer: customer.into(),
            service: service.into(),
            day: d(day),
            quantity: q,
        }
    }

    fn prices() -> Vec<PriceEntry> {
        vec![
            PriceEntry {
                service: "KL-FRAGA".into(),
                model: PriceModel::PerCase,
                price_ore: 10_000,
                valid_from: d("2019-01-01"),
                valid_to: Some(d("2019-08-15")),
            },
            PriceEntry {
                service: "KL-FRAGA".into(),
                model: PriceModel::PerCase,
                price_ore: 12_000,
                valid_from: d("2019-08-16"),
                valid_to: None,
            },
        ]
    }

    #[test]
    fn each_volume_is_priced_on_its_own_day_and_the_preview_adds_up() {
        let vols = vec![
            vol(1, "UF", "KL-FRAGA", "2019-08-01", Milli::ONE),
            vol(2, "UF", "KL-FRAGA", "2019-08-20", Milli::ONE),
            vol(3, "SOF", "KL-FRAGA", "2019-08-31", Milli::ONE),
            vol(4, "SOF", "KL-OKAND", "2019-08-31", Milli::ONE),
        ];
        let (lines, unpriced) = price_volumes(vols, &prices());
        assert_eq!(
            lines.iter().map(|l| l.amount_ore).collect::<Vec<_>>(),
            vec![10_000, 12_000, 12_000]
        );
        assert_eq!(unpriced.len(), 1);
        assert_eq!(unpriced[0].volume.service, "KL-OKAND");
        let rows = preview(&lines);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].customer.as_str(), rows[0].amount_ore, rows[0].lines),
            ("SOF", 12_000, 1)
        );
        assert_eq!(
            (
                rows[1].customer.as_str(),
                rows[1].amount_ore,
                rows[1].quantity
            ),
            ("UF", 22_000, Milli(2000))
        );
        assert_eq!(
            rows.iter().map(|r| r.amount_ore).sum::<i64>(),
            lines.iter().map(|l| l.amount_ore).sum::<i64>()
        );
    }

    #[test]
    fn a_correction_mirrors_the_line_it_corrects() {
        let (lines, _) = price_volumes(
            vec![vol(1, "UF", "KL-FRAGA", "2019-08-01", Milli(1500))],
            &prices(),
        );
        let c = reversal(77, &lines[0], d("2019-09-30"));
        assert_eq!(c.volume.source, Source::Correction(77));
        assert_eq!(c.amount_ore, -lines[0].amount_ore);
        assert_eq!(c.volume.quantity, Milli(-1500));
        assert_eq!(
            Source::parse(c.volume.source.kind(), c.volume.source.id()),
            Some(c.volume.source)
        );
    }
}
