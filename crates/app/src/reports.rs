//! The interim report: which administrations' reports a person may read, the date offered by
//! default, the report itself (frozen once approved, computed from live data until then) and
//! its approval.

use serva_domain::access::Principal;
use serva_domain::org::Unit;
use serva_domain::org::UnitKind;
use serva_domain::report::org::provider_units;
use serva_domain::report::params::default_through;
use serva_domain::report::{
    self, ActivityPeriod, ApprovedVersion, InterimReport, ReportDate, ReportParams, ReportUnit,
    VersionChoice,
};
use serva_domain::{time, UnitId};
use serva_store::StoreError;

use crate::{App, AppError, AppResult};

/// An interim report as a person sees it.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub report: InterimReport,
    /// The person may approve the date's report (it may be approved already).
    pub may_approve: bool,
    /// The approved version shown; `None` for the live draft.
    pub version: Option<u32>,
    /// The newest approved version of the date, if any.
    pub latest_version: Option<u32>,
    /// The live draft differs from the newest approved version, so it can be approved as the
    /// next version (true when nothing is approved yet).
    pub draft_differs: bool,
}

/// An unknown administration is "not found" under that name; anything else as it is.
pub(crate) fn administration(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound(_) => AppError::NotFound("administration"),
        e => e.into(),
    }
}

impl App {
    /// The administrations whose reports this person may read, by name.
    pub async fn report_orgs(&self, p: &Principal) -> AppResult<Vec<Unit>> {
        Ok(self
            .db
            .units()
            .await?
            .into_iter()
            .filter(|u| u.kind == UnitKind::Administration && p.can_read_reports(u.id))
            .collect())
    }

    /// The report date to offer for `org` when none is asked for: the last day of the latest
    /// month with booked outcome on the administration or any of its units, or the end of the
    /// previous month by today's Stockholm date.
    pub async fn default_report_date(&self, org: UnitId) -> AppResult<chrono::NaiveDate> {
        let nodes = self.db.unit_nodes().await?;
        let units = serva_domain::org::subtree(&nodes, org);
        let latest = self
            .db
            .latest_outcome_months()
            .await?
            .into_iter()
            .filter(|(u, _, _)| units.contains(u))
            .map(|(_, y, m)| (y, m))
            .max();
        let today = time::to_local(time::now_ms()).date();
        Ok(default_through(latest, today))
    }

    /// The report asked for, with what the request leaves out filled in: the date from the
    /// administration's data, the year of the date.
    pub async fn report_params_or_default(
        &self,
        org: &str,
        year: Option<&str>,
        through: Option<&str>,
    ) -> AppResult<ReportParams> {
        if org.trim().is_empty() {
            return ReportParams::parse(None, year, through).map_err(AppError::BadRequest);
        }
        let default;
        let through = match through {
            Some(t) => t,
            None => {
                let unit = self
                    .db
                    .report_unit_by_code(org.trim())
                    .await
                    .map_err(administration)?;
                default = self
                    .default_report_date(unit.id)
                    .await?
                    .format("%Y-%m-%d")
                    .to_string();
                &default
            }
        };
        let year = year.map_or_else(
            || through.get(..4).unwrap_or("").to_string(),
            str::to_string,
        );
        ReportParams::parse(Some(org), Some(&year), Some(through)).map_err(AppError::BadRequest)
    }

    /// The interim report, for whoever may read the administration's reports: the date's
    /// report (its newest approved version, or the live draft when none is).
    pub async fn interim_report(&self, p: &Principal, q: &ReportParams) -> AppResult<ReportView> {
        self.interim_report_version(p, q, VersionChoice::Current)
            .await
    }

    /// One version of the interim report: the date's report, the live draft, or one approved
    /// version (an unknown version is "not found").
    pub async fn interim_report_version(
        &self,
        p: &Principal,
        q: &ReportParams,
        choice: VersionChoice,
    ) -> AppResult<ReportView> {
        let org = self.readable_org(p, &q.org).await?;
        let versions = self
            .db
            .approved_versions_of(org.id, q.year, &q.through_text())
            .await?;
        let draft = self.live_report(&org, q).await?;
        let latest = versions.first();
        let draft_differs = latest.is_none_or(|v| draft.differs_from(&v.report));
        let (report, version) = match (choice, latest) {
            (VersionChoice::Current, Some(v)) => (v.report.clone(), Some(v.version)),
            (VersionChoice::Current | VersionChoice::Draft, _) => (draft, None),
            (VersionChoice::Approved(n), _) => {
                let v = versions
                    .iter()
                    .find(|v| v.version == n)
                    .ok_or(AppError::NotFound("report version"))?;
                (v.report.clone(), Some(n))
            }
        };
        Ok(ReportView {
            report,
            may_approve: p.can_approve_reports(org.id),
            version,
            latest_version: latest.map(|v| v.version),
            draft_differs,
        })
    }

    /// The report dates of every administration this person may read: for each, the date
    /// offered by default and every approved date, with their versions and whether the live
    /// draft now differs from the newest approved version. The latest date first.
    pub async fn report_dates(&self, p: &Principal) -> AppResult<Vec<ReportDate>> {
        let mut dates = Vec::new();
        for unit in self.report_orgs(p).await? {
            let org = self
                .db
                .report_unit_by_code(&unit.code)
                .await
                .map_err(administration)?;
            let mut by_date: Vec<(String, Vec<ApprovedVersion>)> = Vec::new();
            for v in self.db.approved_versions(org.id).await? {
                match by_date
                    .iter_mut()
                    .find(|(t, _)| *t == v.report.meta.through)
                {
                    Some((_, vs)) => vs.push(v),
                    None => by_date.push((v.report.meta.through.clone(), vec![v])),
                }
            }
            let default = self
                .default_report_date(org.id)
                .await?
                .format("%Y-%m-%d")
                .to_string();
            if !by_date.iter().any(|(t, _)| *t == default) {
                by_date.push((default, vec![]));
            }
            by_date.sort_by(|a, b| b.0.cmp(&a.0));
            for (through, versions) in by_date {
                let year = through.get(..4).unwrap_or("").to_string();
                let q = ReportParams::parse(Some(&org.code), Some(&year), Some(&through))
                    .map_err(AppError::BadRequest)?;
                let draft_differs = match versions.first() {
                    Some(v) => self.live_report(&org, &q).await?.differs_from(&v.report),
                    None => true,
                };
                dates.push(ReportDate {
                    org: org.code.clone(),
                    org_name: org.name.clone(),
                    year: q.year,
                    through,
                    versions,
                    draft_differs,
                });
            }
        }
        Ok(dates)
    }

    /// The approved report dates that a change on the follow-up of `q` (its administration,
    /// made for its date) does not reach: the administration's approved dates of the year on
    /// or after the date. The change is saved all the same; whoever made it is told.
    pub async fn approved_dates_reached(&self, q: &ReportParams) -> AppResult<Vec<String>> {
        let org = self
            .db
            .report_unit_by_code(&q.org)
            .await
            .map_err(administration)?;
        Ok(self
            .db
            .approved_dates_from(org.id, q.year, &q.through_text())
            .await?)
    }

    /// The interim report read with the system's own authority, checking no person's access:
    /// for the command line, which runs where the database is and may read it all anyway.
    pub async fn interim_report_unchecked(&self, q: &ReportParams) -> AppResult<InterimReport> {
        let org = self
            .db
            .report_unit_by_code(&q.org)
            .await
            .map_err(administration)?;
        self.report_of(&org, q).await
    }

    /// Approves and freezes the live draft as the date's next version: from now on the date's
    /// report is this document, whatever changes. A draft equal to the newest approved version
    /// is a conflict (nothing to approve). Only the administration's head or an administrator
    /// approves.
    pub async fn approve_interim_report(
        &self,
        p: &Principal,
        q: &ReportParams,
    ) -> AppResult<InterimReport> {
        let org = self.readable_org(p, &q.org).await?;
        if !p.can_approve_reports(org.id) {
            return Err(AppError::forbidden(
                "only the administration's head or an administrator approves its reports",
            ));
        }
        let user = p
            .user
            .ok_or_else(|| AppError::forbidden("a report is approved by a person"))?;
        let approver = self.db.user(user).await?;
        let mut report = self.live_report(&org, q).await?;
        if let Some(latest) = self
            .db
            .approved_report(org.id, q.year, &q.through_text())
            .await?
        {
            if !report.differs_from(&latest) {
                return Err(AppError::Conflict(
                    "the report is already approved and its data has not changed since".into(),
                ));
            }
        }
        let now = time::now_ms();
        report
            .approve(time::iso_utc(now), approver.display_name)
            .map_err(|e| AppError::Conflict(e.to_string()))?;
        self.db
            .save_approved_report(user, org.id, now, &report)
            .await?;
        Ok(report)
    }

    /// The administration, if this person may read its reports; "not found" otherwise, so
    /// nobody learns which administrations exist.
    /// "Not found" unless `p` may read the reports of the administration `code`.
    pub async fn check_report_access(&self, p: &Principal, code: &str) -> AppResult<()> {
        self.readable_org(p, code).await.map(|_| ())
    }

    async fn readable_org(&self, p: &Principal, code: &str) -> AppResult<ReportUnit> {
        let org = self
            .db
            .report_unit_by_code(code)
            .await
            .map_err(administration)?;
        if !p.can_read_reports(org.id) {
            return Err(AppError::NotFound("administration"));
        }
        Ok(org)
    }

    /// The newest approved version if the date's report was approved; the live draft otherwise.
    async fn report_of(&self, org: &ReportUnit, q: &ReportParams) -> AppResult<InterimReport> {
        if let Some(frozen) = self
            .db
            .approved_report(org.id, q.year, &q.through_text())
            .await?
        {
            return Ok(frozen);
        }
        self.live_report(org, q).await
    }

    /// The report computed from today's data: the draft.
    async fn live_report(&self, org: &ReportUnit, q: &ReportParams) -> AppResult<InterimReport> {
        let mut facts = self.db.report_facts(org, q.year, q.through).await?;
        let providers = provider_units(&facts.units, org.id);
        facts.activity = self
            .db
            .unit_activity(&providers, &ActivityPeriod::new(q.year, q.through))
            .await?;
        let period = ActivityPeriod::new(q.year, q.through);
        facts.handoffs = self
            .db
            .handoff_pairs(&providers, period.start, period.end)
            .await?;
        let mut report = report::compute(&facts);
        report.unit_results = self
            .report_unit_results(&facts.units, &providers, q)
            .await?;
        Ok(report)
    }
}
