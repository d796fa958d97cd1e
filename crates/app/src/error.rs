//! What a use case can answer besides its result, in terms every caller can translate: a page
//! into an error page, the API into its JSON error, the CLI into a message.

use serva_domain::refusal::Refusal;
use serva_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    /// It does not exist, or the person may not know that it does.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The person may see it but not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request is malformed (a parameter that cannot be read).
    #[error("{0}")]
    BadRequest(String),
    /// The request is well-formed but breaks a rule.
    #[error("{0}")]
    Invalid(String),
    /// A rule the person should be told about in their own language.
    #[error("{0}")]
    Refused(Refusal),
    /// Someone else changed it first, or it exists already.
    #[error("{0}")]
    Conflict(String),
    /// Not now (the server is shutting down); the same request may work later.
    #[error("{0}")]
    Unavailable(String),
    /// Our fault: the database failed.
    #[error("storage failed: {0}")]
    Store(StoreError),
    /// Our fault otherwise (a worker thread failed).
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn forbidden(m: impl Into<String>) -> Self {
        AppError::Forbidden(m.into())
    }
    pub fn invalid(m: impl Into<String>) -> Self {
        AppError::Invalid(m.into())
    }
    pub fn bad_request(m: impl Into<String>) -> Self {
        AppError::BadRequest(m.into())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Invalid(m) => AppError::Invalid(m),
            StoreError::Unavailable(m) => AppError::Unavailable(m),
            other => AppError::Store(other),
        }
    }
}
