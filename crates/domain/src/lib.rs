//! Zorgvuldig's domain vocabulary: identifiers, validated value types ("parse, don't
//! validate"), the kinds of dossier content and the audit event vocabulary.
//!
//! Everything here is pure: no I/O, no database. A value of a type from this crate has
//! passed its checks, so inner layers never check again.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod audit;
pub mod clock;
pub mod dossier;
pub mod ids;
pub mod person;
pub mod recipient;
pub mod role;
pub mod sensitive;
pub mod upload;

pub use audit::{AuditAction, AuditObject, AuditOutcome, NewAuditEvent, Purpose};
pub use clock::{Clock, FixedClock, SystemClock, start_of_local_day};
pub use dossier::{EntryContent, EntryKind, RelationKind, SpecialCategory};
pub use ids::{
    AttachmentId, AuditEventId, ClientId, EntryId, PortalAccountId, PortalInvitationId,
    RelatedPersonId, TrajectoryId, UserId, WorkNoteId,
};
pub use person::{Address, BirthDate, Bsn, Email, Gender, PersonName, Phone, ValueError};
pub use recipient::RecipientKind;
pub use role::Role;
pub use sensitive::Sensitive;
