//! Billing beside the run itself: a unit manager's part of a month (the lines their units
//! provide; locking stays with controllers and administrators, since a run books every unit),
//! a locked run's lines with their corrections, and correcting a locked line.

use std::collections::BTreeSet;

use serva_domain::access::Principal;
use serva_domain::billing::correction::{check_correction, correction_lines, CorrectionProblem};
use serva_domain::billing::run::{ChargeLine, Source};
use serva_store::billing::{month_days, BillingRun, LineIds};
use serva_store::billing_corrections::StoredLine;

use crate::{App, AppError, AppResult, BillingPreview};

/// Whose lines a person sees in billing: every unit's, or only some providers'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillingPart {
    /// Controllers and administrators: every line; they lock and correct.
    All,
    /// A unit manager: the lines the units they manage provide (by unit code).
    Providers(BTreeSet<String>),
}

impl BillingPart {
    pub fn is_all(&self) -> bool {
        matches!(self, BillingPart::All)
    }

    pub fn covers(&self, provider: &str) -> bool {
        match self {
            BillingPart::All => true,
            BillingPart::Providers(p) => p.contains(provider),
        }
    }
}

/// Why a correction was refused.
#[derive(Debug)]
pub enum CorrectionRefused {
    /// The input, field by field.
    Input(Vec<CorrectionProblem>),
    /// Anything else (the line is a correction itself, is corrected already, …).
    App(AppError),
}

impl From<AppError> for CorrectionRefused {
    fn from(e: AppError) -> Self {
        CorrectionRefused::App(e)
    }
}

impl BillingPreview {
    /// Keeps the rows of the providers `part` covers, and totals them again.
    fn keep(&mut self, part: &BillingPart) {
        if part.is_all() {
            return;
        }
        self.rows.retain(|r| part.covers(&r.provider));
        self.unpriced.retain(|u| part.covers(&u.volume.provider));
        self.lines = self.rows.iter().map(|r| r.lines).sum();
        self.total_ore = self.rows.iter().map(|r| r.amount_ore).sum();
    }
}

impl App {
    /// What of billing `p` may see: everything (controllers, administrators), the units they
    /// manage (unit managers), or nothing (not found).
    pub async fn billing_part(&self, p: &Principal) -> AppResult<BillingPart> {
        if p.can_bill() {
            return Ok(BillingPart::All);
        }
        if p.manages.is_empty() {
            return Err(AppError::NotFound("billing"));
        }
        let codes = self
            .db()
            .units()
            .await?
            .into_iter()
            .filter(|u| p.manages.contains(&u.id))
            .map(|u| u.code)
            .collect();
        Ok(BillingPart::Providers(codes))
    }

    /// The month's preview (or locked run) as `p` may see it: a unit manager sees the rows of
    /// their units only.
    pub async fn billing_preview_for(
        &self,
        p: &Principal,
        month: &str,
    ) -> AppResult<(BillingPreview, BillingPart)> {
        let part = self.billing_part(p).await?;
        let mut pv = self.billing_preview(&Principal::system(), month).await?;
        pv.keep(&part);
        Ok((pv, part))
    }

    /// A locked run's lines of one customer and service (by code), with their ids and
    /// corrections, as `p` may see them.
    pub async fn run_lines_for(
        &self,
        p: &Principal,
        month: &str,
        customer: &str,
        service: &str,
    ) -> AppResult<Vec<StoredLine>> {
        let part = self.billing_part(p).await?;
        check(month)?;
        let Some(run) = self.db().billing_run(month).await? else {
            return Ok(Vec::new());
        };
        let mut lines = self.db().run_lines_of(run.id, customer, service).await?;
        lines.retain(|l| part.covers(&l.line.volume.provider));
        Ok(lines)
    }

    /// A locked run's lines for the CSV and XLSX exports, as `p` may see them.
    pub async fn run_part_lines(&self, p: &Principal, month: &str) -> AppResult<Vec<ChargeLine>> {
        let part = self.billing_part(p).await?;
        let (_, mut lines) = self.locked_run(&Principal::system(), month).await?;
        lines.retain(|l| part.covers(&l.volume.provider));
        Ok(lines)
    }

    /// The month's correction lines as `p` may see them: charged by its locked run, or (not
    /// locked yet) what locking it would charge.
    pub async fn month_correction_lines(
        &self,
        p: &Principal,
        month: &str,
    ) -> AppResult<Vec<ChargeLine>> {
        let part = self.billing_part(p).await?;
        check(month)?;
        let db = self.db();
        let mut lines = match db.billing_run(month).await? {
            Some(run) => db
                .run_lines(run.id)
                .await?
                .into_iter()
                .filter(|l| matches!(l.volume.source, Source::Correction(_)))
                .collect(),
            None => {
                let (mut lines, mut ids) = (Vec::new(), Vec::new());
                self.add_corrections(month, &mut lines, &mut ids).await?;
                lines
            }
        };
        lines.retain(|l| part.covers(&l.volume.provider));
        Ok(lines)
    }

    /// One locked line, for its correction form: controllers and administrators.
    pub async fn charge_line(&self, p: &Principal, id: i64) -> AppResult<StoredLine> {
        if !p.can_bill() {
            return Err(AppError::NotFound("charge line"));
        }
        Ok(self.db().charge_line(id).await?)
    }

    /// Corrects a locked line: a new quantity (zero cancels it) and a reason, charged in the
    /// next run locked for a later month. A line is corrected once; a correction line is not
    /// corrected (correct nothing twice).
    pub async fn correct_charge_line(
        &self,
        p: &Principal,
        id: i64,
        quantity: &str,
        reason: &str,
    ) -> Result<StoredLine, CorrectionRefused> {
        let line = self.charge_line(p, id).await?;
        if let Some(c) = &line.correction {
            return Err(AppError::Conflict(format!(
                "charge line {id} is corrected already (to {}: {})",
                c.quantity.to_swedish(),
                c.reason
            ))
            .into());
        }
        if matches!(line.line.volume.source, Source::Correction(_)) {
            return Err(AppError::Invalid(format!(
                "charge line {id} is a correction itself; it is not corrected again"
            ))
            .into());
        }
        let (q, reason) = check_correction(line.line.volume.quantity, quantity, reason)
            .map_err(CorrectionRefused::Input)?;
        self.db()
            .add_correction(p.user, &line, q, &reason)
            .await
            .map_err(AppError::from)?;
        Ok(self.db().charge_line(id).await.map_err(AppError::from)?)
    }

    /// Adds the open corrections a run of `month` charges to its lines: for each, the
    /// reversal of the corrected line and its new quantity, dated the month's last day.
    pub(crate) async fn add_corrections(
        &self,
        month: &str,
        lines: &mut Vec<ChargeLine>,
        ids: &mut Vec<LineIds>,
    ) -> AppResult<()> {
        let (_, last) = month_days(month)
            .ok_or_else(|| AppError::Invalid(format!("month {month:?} must be written YYYY-MM")))?;
        for due in self.db().month_corrections(month).await? {
            for l in correction_lines(due.line_id, &due.line, due.quantity, last) {
                lines.push(l);
                ids.push(due.ids);
            }
        }
        Ok(())
    }
}

impl App {
    /// Every locked run: controllers and administrators.
    pub async fn billing_runs(&self, p: &Principal) -> AppResult<Vec<BillingRun>> {
        if !p.can_bill() {
            return Err(AppError::NotFound("billing"));
        }
        Ok(self.db().locked_runs().await?)
    }

    /// A locked run by its id, with its lines: controllers and administrators.
    pub async fn billing_run_by_id(
        &self,
        p: &Principal,
        id: i64,
    ) -> AppResult<(BillingRun, Vec<ChargeLine>)> {
        if !p.can_bill() {
            return Err(AppError::NotFound("billing run"));
        }
        let run = self
            .db()
            .billing_run_by_id(id)
            .await?
            .ok_or(AppError::NotFound("billing run"))?;
        let lines = self.db().run_lines(run.id).await?;
        Ok((run, lines))
    }
}

fn check(month: &str) -> AppResult<()> {
    month_days(month)
        .map(|_| ())
        .ok_or_else(|| AppError::Invalid(format!("month {month:?} must be written YYYY-MM")))
}
