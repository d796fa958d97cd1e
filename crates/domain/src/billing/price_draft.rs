//! A price list being drafted (or published) and a service's price history, as the pages
//! show them. The rules of prices are in `price_list`; the simulator's in `simulator`.

use chrono::NaiveDate;

use super::price_list::PriceEntry;
use crate::catalogue::PriceModel;

/// A price entry with who set it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceHistoryRow {
    pub entry: PriceEntry,
    pub created_at: i64,
    pub created_by: Option<String>,
}

/// A price list being drafted, or published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceListHead {
    pub id: i64,
    pub year: i32,
    /// The day its prices take effect when published.
    pub valid_from: NaiveDate,
    /// The unit whose services it prices (code); every service when absent.
    pub unit: Option<String>,
    pub name: String,
    pub created_at: i64,
    pub created_by: Option<String>,
    pub published_at: Option<i64>,
    pub published_by: Option<String>,
}

/// A draft's price of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceListRow {
    pub service: String,
    pub model: PriceModel,
    pub price_ore: i64,
}
