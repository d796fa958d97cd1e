//! Report versions: a report date is a live draft until approved; each approval freezes a
//! version (1, 2, …), and the newest version is the date's report. A draft that differs from
//! the newest version can be approved as the next one.

use super::InterimReport;

/// One approved version of a report date, numbered from 1 per administration and date; the
/// newest is the report of that date, the older ones are its history.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovedVersion {
    pub version: u32,
    pub report: InterimReport,
}

/// One report date of an administration as the list of reports shows it: its approved
/// versions (the newest first) and whether the live draft now says something else.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDate {
    pub org: String,
    pub org_name: String,
    pub year: i32,
    pub through: String,
    pub versions: Vec<ApprovedVersion>,
    /// The draft computed from today's data differs from the newest approved version (always
    /// true when nothing is approved: the draft is then all there is).
    pub draft_differs: bool,
}

impl ReportDate {
    pub fn latest(&self) -> Option<&ApprovedVersion> {
        self.versions.first()
    }
}

/// Which version of a report date to show: the date's report (the newest approved version,
/// or the draft when none is), the live draft, or one approved version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionChoice {
    Current,
    Draft,
    Approved(u32),
}

impl VersionChoice {
    /// `utkast` (or `draft`), a version number, or nothing for the date's report.
    pub fn parse(s: Option<&str>) -> Result<Self, String> {
        match s.map(str::trim) {
            None | Some("") => Ok(VersionChoice::Current),
            Some("utkast" | "draft") => Ok(VersionChoice::Draft),
            Some(n) => match n.parse::<u32>() {
                Ok(v) if v >= 1 => Ok(VersionChoice::Approved(v)),
                _ => Err(format!(
                    "unknown version {n:?}; use a version number (1, 2, …) or draft"
                )),
            },
        }
    }

    /// The value of `version` in a query string naming this choice.
    pub fn query_value(self) -> Option<String> {
        match self {
            VersionChoice::Current => None,
            VersionChoice::Draft => Some("utkast".into()),
            VersionChoice::Approved(v) => Some(v.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_choices_parse_and_print() {
        assert_eq!(VersionChoice::parse(None), Ok(VersionChoice::Current));
        assert_eq!(VersionChoice::parse(Some("")), Ok(VersionChoice::Current));
        assert_eq!(
            VersionChoice::parse(Some("utkast")),
            Ok(VersionChoice::Draft)
        );
        assert_eq!(
            VersionChoice::parse(Some("draft")),
            Ok(VersionChoice::Draft)
        );
        assert_eq!(
            VersionChoice::parse(Some("2")),
            Ok(VersionChoice::Approved(2))
        );
        assert!(VersionChoice::parse(Some("0")).is_err());
        assert!(VersionChoice::parse(Some("två")).is_err());
        assert_eq!(
            VersionChoice::Approved(3).query_value().as_deref(),
            Some("3")
        );
        assert_eq!(
            VersionChoice::Draft.query_value().as_deref(),
            Some("utkast")
        );
        assert_eq!(VersionChoice::Current.query_value(), None);
    }
}
