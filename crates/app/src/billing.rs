//! Billing runs: the month's volumes priced by the price valid on each volume's day, previewed
//! per customer and service, then locked with their charge lines; the locked run's exports.
//! Controllers and administrators only.

use std::collections::BTreeMap;

use chrono::Datelike;

use serva_domain::access::Principal;
use serva_domain::billing::price_list::PriceEntry;
use serva_domain::billing::run::{preview, price_volumes, ChargeLine, PreviewRow, Unpriced};
use serva_domain::billing::sie_out::{write_sie, SieRun, SieUnit};
use serva_store::billing::{month_days, BillingRun, LineIds};

use crate::{App, AppError, AppResult};

/// What a run of a month would charge, or (when locked) did.
#[derive(Debug, Clone)]
pub struct BillingPreview {
    pub month: String,
    pub rows: Vec<PreviewRow>,
    /// Volumes whose service had no price on their day: the run cannot be locked with them.
    pub unpriced: Vec<Unpriced>,
    pub lines: usize,
    pub total_ore: i64,
    /// The month's run, when it is locked (then `rows` are its stored lines).
    pub locked: Option<BillingRun>,
}

fn may_bill(p: &Principal) -> AppResult<()> {
    if p.can_bill() {
        Ok(())
    } else {
        Err(AppError::NotFound("billing"))
    }
}

fn check_month(month: &str) -> AppResult<()> {
    month_days(month)
        .map(|_| ())
        .ok_or_else(|| AppError::Invalid(format!("month {month:?} must be written YYYY-MM")))
}

impl App {
    /// The prices that apply: the price lists' entries, and a service's catalogue price for
    /// the days before its first entry.
    pub(crate) async fn effective_prices(&self) -> AppResult<Vec<PriceEntry>> {
        let db = self.db();
        let mut prices = db.price_entries().await?;
        for c in db.catalogue_prices().await? {
            let first = prices
                .iter()
                .filter(|e| e.service == c.service)
                .map(|e| e.valid_from)
                .min();
            match first {
                None => prices.push(c),
                Some(day) => {
                    if let Some(before) = day.pred_opt().filter(|b| *b >= c.valid_from) {
                        prices.push(PriceEntry {
                            valid_to: Some(before),
                            ..c
                        });
                    }
                }
            }
        }
        Ok(prices)
    }

    /// The month's charges: a locked run's stored lines, or what a run would charge now.
    pub async fn billing_preview(&self, p: &Principal, month: &str) -> AppResult<BillingPreview> {
        may_bill(p)?;
        check_month(month)?;
        let db = self.db();
        if let Some(run) = db.billing_run(month).await? {
            let lines = db.run_lines(run.id).await?;
            return Ok(BillingPreview {
                month: month.to_string(),
                rows: preview(&lines),
                unpriced: Vec::new(),
                lines: lines.len(),
                total_ore: run.total_ore,
                locked: Some(run),
            });
        }
        let (lines, _, unpriced) = self.price_month(month).await?;
        Ok(BillingPreview {
            month: month.to_string(),
            rows: preview(&lines),
            total_ore: lines.iter().map(|l| l.amount_ore).sum(),
            lines: lines.len(),
            unpriced,
            locked: None,
        })
    }

    async fn price_month(
        &self,
        month: &str,
    ) -> AppResult<(Vec<ChargeLine>, Vec<LineIds>, Vec<Unpriced>)> {
        let mut billable = self.db().billable_volumes(month).await?;
        billable.extend(self.db().billable_time(month).await?);
        billable.extend(self.db().billable_subscriptions(month).await?);
        billable.extend(self.db().billable_imported(month).await?);
        let prices = self.effective_prices().await?;
        let ids: BTreeMap<_, _> = billable.iter().map(|b| (b.volume.source, b.ids)).collect();
        let (mut lines, unpriced) =
            price_volumes(billable.into_iter().map(|b| b.volume).collect(), &prices);
        let mut line_ids = lines.iter().map(|l| ids[&l.volume.source]).collect();
        self.add_corrections(month, &mut lines, &mut line_ids)
            .await?;
        Ok((lines, line_ids, unpriced))
    }

    /// Locks the month's run: its lines are stored and never change. Refused when the month
    /// has a run already or a volume has no price.
    pub async fn lock_billing_run(&self, p: &Principal, month: &str) -> AppResult<BillingRun> {
        may_bill(p)?;
        check_month(month)?;
        if self.db().billing_run(month).await?.is_some() {
            return Err(AppError::Conflict(format!(
                "the billing run of {month} is locked already; corrections go into a later run"
            )));
        }
        let (lines, ids, unpriced) = self.price_month(month).await?;
        if let Some(u) = unpriced.first() {
            return Err(AppError::Invalid(format!(
                "{} volume(s) have no price, e.g. {} on {}; set a price first",
                unpriced.len(),
                u.volume.service,
                u.volume.day
            )));
        }
        let rows: Vec<(LineIds, ChargeLine)> = ids.into_iter().zip(lines).collect();
        Ok(self.db().lock_run(p.user, month, &rows).await?)
    }

    /// A locked run and its lines.
    pub async fn locked_run(
        &self,
        p: &Principal,
        month: &str,
    ) -> AppResult<(BillingRun, Vec<ChargeLine>)> {
        may_bill(p)?;
        check_month(month)?;
        let run = self.db().billing_run(month).await?.ok_or_else(|| {
            AppError::Invalid(format!(
                "the billing run of {month} is not locked; lock it before exporting"
            ))
        })?;
        let lines = self.db().run_lines(run.id).await?;
        Ok((run, lines))
    }

    /// The locked run as an SIE 4I file: one balanced voucher, units by their ERP code.
    pub async fn billing_sie(&self, p: &Principal, month: &str) -> AppResult<Vec<u8>> {
        let (run, lines) = self.locked_run(p, month).await?;
        let db = self.db();
        let all_units = db.units().await?;
        // The organisation the file is of: the root of the tree.
        let org = all_units
            .iter()
            .find(|u| u.parent_id.is_none())
            .map(|u| u.name.clone())
            .unwrap_or_else(|| "Serva".into());
        let units: BTreeMap<String, SieUnit> = all_units
            .into_iter()
            .map(|u| {
                (
                    u.code.clone(),
                    SieUnit {
                        object: u.erp_code.clone().unwrap_or(u.code),
                        name: u.name,
                    },
                )
            })
            .collect();
        let services: BTreeMap<String, String> = db
            .services(&serva_store::catalogue::ServiceFilter {
                include_inactive: true,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
        let (first, last) = month_days(month).expect("checked");
        let year = (
            first.with_ordinal(1).expect("1 January"),
            chrono::NaiveDate::from_ymd_opt(first.year(), 12, 31).expect("31 December"),
        );
        Ok(write_sie(
            &SieRun {
                company: &org,
                number: run.id,
                month,
                voucher_day: last,
                generated: serva_domain::time::today(),
                year,
            },
            &lines,
            &units,
            &services,
        ))
    }
}
