//! Serva's storage layer: one API over SQLite (embedded, the default) and PostgreSQL
//! (production, shared by several app nodes).
//!
//! Every query is one SQL text with `$1` placeholders that both databases accept, run through
//! sqlx's `Any` driver. Portable types keep that possible: times are `i64` milliseconds (UTC),
//! dates `YYYY-MM-DD` text, booleans 0/1, money integer öre. Each aggregate has its own module.

mod activity;
pub mod attachments;
pub mod audit;
pub mod billing;
pub mod billing_corrections;
mod billing_result;
pub mod billing_runs;
pub mod bulk;
pub mod calendars;
pub mod calls_live;
mod carry_over;
pub mod case_bulk;
mod case_changes;
mod case_writer;
pub mod cases;
pub mod catalogue;
pub mod chats;
pub mod contacts;
mod dashboard;
mod db;
mod decode;
mod error;
pub mod events;
pub mod files;
pub mod followup;
mod followup_row_fields;
mod followup_rows;
pub mod handoffs;
pub mod identities;
pub mod import;
pub mod login_throttle;
pub mod mail_in;
mod narratives;
pub mod org;
pub mod outbox;
mod outbox_delivery;
pub mod overview;
pub mod price_lists;
pub mod principals;
mod public_form;
mod reply_templates;
mod report_facts;
mod reports;
mod rollups;
mod rows;
pub mod secrets;
pub mod sessions;
pub mod showback;
pub mod sla;
pub mod subscriptions;
mod survey_figures;
pub mod surveys;
pub mod time_entries;
pub mod user_search;
pub mod users;
mod volume_rows;

pub use case_changes::CaseWork;
pub use db::{Backend, Db};
pub use error::{StoreError, StoreResult};
