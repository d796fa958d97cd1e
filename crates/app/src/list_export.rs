//! Every case of a filtered list, not one page of it: for the list's spreadsheet download.

use serva_domain::access::Principal;
use serva_domain::case::Case;

use crate::{App, AppError, AppResult, ListParams, ListScope};

/// The most rows one download carries; a longer list is narrowed with the filters first.
pub const DOWNLOAD_MAX: usize = 100_000;

impl App {
    /// Every case in `scope` matching `params`, page by page, in the list's order.
    pub async fn all_listed_cases(
        &self,
        p: &Principal,
        scope: ListScope,
        params: &ListParams,
    ) -> AppResult<Vec<Case>> {
        let mut params = params.clone();
        params.per_page = Some("200".into());
        let mut out = Vec::new();
        for page in 1.. {
            params.page = page.to_string();
            let got = self.list_cases(p, scope, &params).await?;
            out.extend(got.cases);
            if out.len() > DOWNLOAD_MAX {
                return Err(AppError::Invalid(format!(
                    "the list has more than {DOWNLOAD_MAX} cases; narrow it with the filters"
                )));
            }
            if !got.has_next {
                break;
            }
        }
        Ok(out)
    }
}
