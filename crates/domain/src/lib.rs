//! Serva's domain core: the types and rules of a shared-service administration.
//!
//! Nothing here does I/O, and nothing is async: the storage and web layers call into this
//! crate, never the other way round. Each module holds one part of the domain.

pub mod access;
pub mod attachment;
pub mod billing;
pub mod calendar;
pub mod case;
pub mod catalogue;
pub mod chart;
pub mod chat;
pub mod contact;
pub mod dashboard;
pub mod event;
pub mod followup;
pub mod format;
#[cfg(any(test, feature = "fuzz"))]
pub mod fuzz;
pub mod handoff;
pub mod holidays;
pub mod ids;
pub mod import;
pub mod listing;
pub mod login_throttle;
pub mod mail;
pub mod mail_html;
pub mod notify;
pub mod org;
pub mod overview;
pub mod phone;
pub mod queue_work;
pub mod refusal;
pub mod reply_template;
pub mod report;
pub mod report_text;
pub mod role;
pub mod search;
pub mod session;
pub mod sla;
pub mod sso;
pub mod start_page;
pub mod survey;
pub mod text;
pub mod time;
pub mod token;
pub mod user;
pub mod wall;

pub use ids::*;
