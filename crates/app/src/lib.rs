//! Serva's application layer: the use cases.
//!
//! Each use case is a method on [`App`] that takes the acting person as a
//! [`Principal`](serva_domain::access::Principal) and plain inputs — never an HTTP session — checks
//! who may do it with the rules of `serva_domain::access`, calls the store, and, after a write,
//! publishes an event on the bus. The pages, the REST API, the command line and background
//! workers all call these methods, so a rule is written once.

mod error;
pub mod followup;
pub mod reports;

pub use error::{AppError, AppResult};

use serva_store::Db;

/// The application: the database, and everything the use cases share.
#[derive(Clone)]
pub struct App {
    db: Db,
}

impl App {
    pub fn new(db: Db) -> App {
        App { db }
    }

    /// The store, for what is only read and needs no rule (sessions, health).
    pub fn db(&self) -> &Db {
        &self.db
    }
}
