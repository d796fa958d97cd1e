use thiserror::Error;

/// What can go wrong in storage, in terms the web layer can answer with the right status.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    /// The store cannot take the request now (shutting down); trying again later may work.
    #[error("{0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Db(sqlx::Error),
    /// A stored value the domain does not know (a status, gender, area …): the row is wrong,
    /// and reading it fails loudly rather than guess.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            // PostgreSQL refuses a NUL character in text (SQLSTATE 22021) and a \u0000
            // escape in JSON (22P05); SQLite stores both. That is bad input, found by the
            // hostile-input tests, not a failure of ours.
            sqlx::Error::Database(d) if matches!(d.code().as_deref(), Some("22021" | "22P05")) => {
                StoreError::Invalid("text must not contain NUL characters (U+0000)".into())
            }
            _ => StoreError::Db(e),
        }
    }
}

impl StoreError {
    /// A unique-constraint violation becomes a conflict naming what clashed.
    pub fn on_unique(e: sqlx::Error, what: &str) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict(format!("{what} already exists"))
            }
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::Invalid(format!("{what} refers to something that does not exist"))
            }
            _ => e.into(),
        }
    }
}
