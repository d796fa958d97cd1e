//! Imports: finance, follow-up data and the organisation from files, checked whole and written
//! in one transaction, from the page, the API and the command line.

use serva_domain::access::Principal;
use serva_domain::event::Event;
use serva_domain::import::ImportError;
use serva_store::import::{ImportFailure, ImportSummary, ALL_KINDS};

use crate::{App, AppError};

#[derive(Debug)]
pub enum ImportRefused {
    /// The file is wrong: every error, with its line; nothing was written.
    Rejected(Vec<ImportError>),
    /// Anything else: an unknown kind (not found), a kind the person may not import
    /// (forbidden), an empty file, a failed store.
    Failed(AppError),
}

impl From<AppError> for ImportRefused {
    fn from(e: AppError) -> Self {
        ImportRefused::Failed(e)
    }
}

impl App {
    /// Imports `bytes` as `kind`, all or nothing.
    pub async fn import(
        &self,
        p: &Principal,
        kind: &str,
        bytes: &[u8],
    ) -> Result<ImportSummary, ImportRefused> {
        if !ALL_KINDS.contains(&kind) {
            return Err(AppError::NotFound("import kind").into());
        }
        if !p.may_import(kind) {
            return Err(AppError::forbidden(format!("you may not import {kind}")).into());
        }
        if bytes.is_empty() {
            return Err(AppError::bad_request(
                "the body is empty; send the file as the request body",
            )
            .into());
        }
        match self.db().import(p.user, kind, bytes).await {
            Ok(summary) => {
                self.events().publish(Event::Imported {
                    kind: summary.kind.clone(),
                    rows: summary.rows,
                });
                Ok(summary)
            }
            Err(ImportFailure::Rejected(errors)) => Err(ImportRefused::Rejected(errors)),
            Err(ImportFailure::Store(e)) => Err(AppError::from(e).into()),
        }
    }
}
