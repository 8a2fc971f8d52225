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
//! This release is for adult clients: an invitation for a minor is refused until the
//! rules for minors and their parents (MIN-1..3) decide the portal too.

pub mod accounts;
pub mod dossier;

use zv_domain::{ClientId, PortalAccountId};

pub use accounts::{
    CODE_EXPIRED, CODE_UNKNOWN, CODE_USED, IssuedInvitation, PendingInvitation, PortalAccountState,
    PortalSessionView, PortalStatus,
};
pub use dossier::PortalDossier;

/// The role a portal account acts in, as the audit log records it.
pub const AUDIT_ROLE: &str = "client";

/// A client signed in to the portal, as known when the request started.
#[derive(Debug, Clone)]
pub struct PortalActor {
    pub account_id: PortalAccountId,
    /// The client whose own data this account reads: from the stored account, never
    /// from the request.
    pub client_id: ClientId,
    pub access_point: String,
}
