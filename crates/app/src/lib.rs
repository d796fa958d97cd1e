//! Serva's application layer: the use cases.
//!
//! Each use case is a method on [`App`] that takes the acting person as a
//! [`Principal`](serva_domain::access::Principal) and plain inputs — never an HTTP session — checks
//! who may do it with the rules of `serva_domain::access`, calls the store, and, after a write,
//! publishes an event on the bus. The pages, the REST API, the command line and background
//! workers all call these methods, so a rule is written once.

mod account;
mod admin;
mod attachments;
mod billing;
mod billing_parts;
mod billing_result;
pub mod carry_over;
mod case_work;
mod cases;
mod catalogue;
pub mod chat;
mod citizens;
mod dashboard;
mod error;
pub mod followup;
pub mod followup_rows;
mod handoff;
mod imports;
mod intake;
mod list_export;
mod lists;
pub mod mail_in;
pub mod my_work;
pub mod outbox;
pub mod overview;
mod phone;
pub mod price_simulator;
pub mod prices;
pub mod queue_work;
pub mod reports;
pub mod showback;
mod sign_in;
mod sla;
pub mod sso;
pub mod subscriptions;
pub mod surveys;
pub mod time_entries;

pub use account::{BrowserSession, Identity, TokenAccess};
pub use admin::{NewPerson, MIN_PASSWORD};
pub use billing::BillingPreview;
pub use billing_parts::{BillingPart, CorrectionRefused};
pub use case_work::CaseWorkInput;
pub use cases::{AssigneeRef, CaseDetail, CaseUpdate};
pub use catalogue::{CatalogueQuery, Portal};
pub use citizens::{CitizenContact, CitizenInvalid, CitizenReceipt, CitizenRefused, FollowedCase};
pub use error::{AppError, AppResult};
pub use handoff::HandoffOptions;
pub use imports::ImportRefused;
pub use intake::check_order;
pub use intake::{IntakeError, IntakeRequest, Invalid};
pub use lists::{ListParams, ListScope, QueueView};
pub use my_work::{MyWork, MY_WORK_CAP};
pub use phone::{CallInput, CallsRefused, CALLS_PER_POST_MAX};
pub use sign_in::{normalise_username, SignIn};

use serva_store::events::EventBus;
use serva_store::Db;

/// The application: the database, and everything the use cases share.
#[derive(Clone)]
pub struct App {
    db: Db,
    sso: Option<std::sync::Arc<sso::Sso>>,
}

impl App {
    pub fn new(db: Db) -> App {
        App { db, sso: None }
    }

    /// The application with single sign-on through `sso`.
    pub fn with_sso(mut self, sso: std::sync::Arc<sso::Sso>) -> App {
        self.sso = Some(sso);
        self
    }

    /// The store, for what is only read and needs no rule (health, metrics, backups).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The event bus the use cases publish on after each write.
    pub fn events(&self) -> &EventBus {
        self.db.events()
    }
}
