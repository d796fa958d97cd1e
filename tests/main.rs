//! Serva's integration tests: one binary, each test booting the real server on port 0 against
//! a fresh database — SQLite always, PostgreSQL too when TEST_DATABASE_URL is set.

mod harness;

mod access;
mod admin_flows;
mod api;
mod attachments;
mod auth;
mod catalogue;
mod cli;
mod contacts;
mod crash;
mod events;
mod flows;
mod followup;
mod hostile_api;
mod hostile_common;
mod hostile_pages;
mod imports;
mod mail_in;
mod openapi;
mod ops;
mod report;
mod security_findings;
mod sessions;
mod sign_in;
mod sso;
mod tokens;
mod usecases;
