//! The client portal ("portaal", POR-1): a client reads their own dossier online.
//!
//! - [`accounts`]: the worker assigned to the client hands over a one-time invitation
//!   code; the client redeems it, chooses a username and password, sets up TOTP and gets
//!   recovery codes; from then on signs in with password and code. Sessions, backoff and
//!   expiry follow the staff's rules (the same helpers in [`crate::sign_in`]), in tables
//!   of their own, so a portal session can never pass for a staff one or back.
//! - [`dossier`]: the client's trajectories and, per trajectory, everything of DOS-1,
//!   read through the gate like any staff read: decided by the Cedar rules
//!   (`access/por1_portal.cedar`), its audit event naming the portal account committed
//!   before anything is decrypted. Work notes (DOS-2) live in their own table and no
//!   portal read touches it; the rules forbid it besides.
//!
//! - [`access_log`]: who looked at the client's dossier (POR-3), the client's own view
//!   of the access log, itself a recorded read.
//! - [`safety`]: whether the portal offers the quick exit (POR-5).
//!
//! - [`minors`]: parents with authority and legal representatives read for a client as
//!   the minors rules let them (MIN-1..4, `access/min_minors.cedar`), and a young person
//!   gives and withdraws consent for a parent to read (MIN-3).

pub mod access_log;
pub mod accounts;
pub mod dossier;
pub mod minors;
pub mod safety;

use zv_domain::{ClientId, PortalAccountId};

pub use accounts::{
    CODE_EXPIRED, CODE_UNKNOWN, CODE_USED, IssuedInvitation, PendingInvitation, PortalAccountState,
    PortalSessionView, PortalStatus,
};
pub use dossier::PortalDossier;

/// The role a portal account acts in, as the audit log records it.
pub const AUDIT_ROLE: &str = "client";

/// The role a parent's or legal representative's portal account acts in when it reads
/// for a client (MIN-1..4), as the audit log records it. A parent with authority is the
/// child's legal representative ("wettelijk vertegenwoordiger") in law, so one role.
pub const REPRESENTATIVE_AUDIT_ROLE: &str = "representative";

/// Someone signed in to the portal, as known when the request started: a client, or a
/// parent or representative who reads for clients (MIN-1..4), or both.
#[derive(Debug, Clone)]
pub struct PortalActor {
    pub account_id: PortalAccountId,
    /// The client whose own data this account reads: from the stored account, never
    /// from the request. `None` for a parent or representative who is not a client;
    /// whom they read for is decided per request from the account's links.
    pub client_id: Option<ClientId>,
    pub access_point: String,
}
