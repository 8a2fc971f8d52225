//! The integration test binary: the application on a fresh database of each engine, and
//! the CLI as a process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_copy;
mod access_matrix;
mod admin;
mod api;
mod audit_day;
mod audit_log;
mod audit_retention;
mod browser;
mod caseload;
mod casework;
mod cli;
mod complaints;
mod consents;
mod dossier;
mod erasure;
mod fixtures;
mod mail;
mod meldcode;
mod newsletters;
mod portability;
mod portal;
mod portal_filers;
mod portal_minors;
mod portal_transparency;
mod portal_withholding;
mod promises;
mod recordings;
mod retention;
mod rights_effects;
mod rights_requests;
mod sharing;
mod storage;
mod sweep;
mod web;
