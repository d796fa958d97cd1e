//! One module per area of the application.

pub mod account;
pub mod admin;
pub mod calendars;
pub mod cases;
pub mod catalogue;
pub mod chat;
pub mod citizens;
pub mod error;
pub mod followup;
pub mod handoff;
pub mod help;
pub mod imports;
pub mod login;
pub mod mail_in;
pub mod outbox;
pub mod overview;
pub mod phone;
pub mod portal;
pub mod queue_work;
pub mod queues;
pub mod registration;
pub mod reports;
pub mod sessions;
pub mod sign_in_pauses;
pub mod surveys;
pub mod tokens;
