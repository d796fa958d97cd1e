//! Serva's integration tests: one binary, each test booting the real server on port 0 against
//! a fresh database — SQLite always, PostgreSQL too when TEST_DATABASE_URL is set.

mod harness;

mod access;
mod admin_flows;
mod api;
mod attachments;
mod auth;
mod browser;
mod catalogue;
mod chat;
mod citizens;
mod cli;
mod contacts;
mod crash;
mod events;
mod flows;
mod followup;
mod handoff;
mod handoff_figures;
mod hostile_api;
mod hostile_common;
mod hostile_pages;
mod imports;
mod landing;
mod live;
mod mail_html;
mod mail_in;
mod mail_out;
mod openapi;
mod ops;
mod overview;
mod phone;
mod phone_registration;
mod queue_work;
mod report;
mod security_findings;
mod sessions;
mod sign_in;
mod sla;
mod smtp_capture;
mod sso;
mod survey_channels;
mod surveys;
mod tokens;
mod usecases;
