//! Zorgvuldig's use cases and the gate. Handlers (web, CLI) call this crate; this crate
//! alone calls the store. Every access to a client's personal data passes the gate in
//! [`gate`]: authorize, record the audit event durably, only then decrypt.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod access;
pub mod access_copy;
pub mod activities;
pub mod api_tokens;
pub mod app;
pub mod attachments;
pub mod audit_log;
pub mod audit_retention;
pub mod bench;
pub mod breaches;
pub mod cameras;
pub mod caseload;
pub mod clients;
pub mod colleagues;
pub mod complaints;
pub mod consents;
pub mod correspondence;
pub mod demo;
pub mod destruction;
pub mod disclosures;
mod downloads;
pub mod entries;
pub mod erasure;
pub mod error;
pub mod gate;
pub mod grants;
pub mod keys;
pub mod mail;
pub mod maintenance;
pub mod meldcode;
pub mod minors;
pub mod newsletters;
pub mod personnel;
pub mod portability;
pub mod portal;
pub mod processing_register;
pub mod processing_stops;
pub mod recipients;
pub mod recordings;
pub mod rectification;
pub mod related;
pub mod reports;
pub mod requests;
pub mod restore;
pub mod retention;
mod schedule;
pub mod sign_in;
pub mod statement;
pub mod statement_receipts;
pub mod trajectories;
pub mod users;
pub mod withholdings;
pub mod work_notes;

pub use app::{App, Settings, redact_url};
pub use error::{CoreError, CoreResult};
pub use gate::{Actor, StaffActor};
pub use keys::{KeySource, RotationReport};
pub use zv_store::{Engine, PageCache};
