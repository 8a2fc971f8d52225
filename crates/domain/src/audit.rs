//! The audit event vocabulary (NEN 7513, ACC-7). Codes are stable: they are hashed into the
//! chain and shown to clients (POR-3), so renaming one is a migration, not a refactor.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{ClientId, UserId};

macro_rules! audit_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            #[must_use]
            pub const fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            #[must_use]
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

audit_enum!(
    /// What was done (NEN 7513 "actie").
    AuditAction {
        Create = "create",
        Read = "read",
        Update = "update",
        Delete = "delete",
        /// Print or copy ("afdrukken/kopiëren").
        PrintCopy = "print_copy",
        Export = "export",
        Search = "search",
        /// Break-the-glass access (ACC-5).
        EmergencyAccess = "emergency_access",
        SignIn = "sign_in",
        SignOut = "sign_out",
    }
);

audit_enum!(
    /// Whether it succeeded.
    AuditOutcome {
        Success = "success",
        Denied = "denied",
        Failure = "failure",
    }
);

audit_enum!(
    /// On what ground ("doel van gebruik").
    Purpose {
        /// Giving care: the assigned worker's daily work (ACC-1).
        Care = "care",
        /// Handling a rights request (RTS).
        RightsRequest = "rights_request",
        /// Handling a complaint (ACC-3).
        Complaint = "complaint",
        /// A quality review (ACC-4).
        QualityReview = "quality_review",
        /// Break the glass (ACC-5).
        Emergency = "emergency",
        /// Substitute for an ill colleague (ACC-6).
        Substitution = "substitution",
        /// System administration without dossier content.
        Administration = "administration",
        /// Retention and destruction (RET).
        Retention = "retention",
        /// The client's own access through the portal.
        OwnAccess = "own_access",
        /// A parent with authority or a legal representative reading for the client
        /// (MIN-1..4).
        RepresentativeAccess = "representative_access",
        /// Loading generated demonstration data.
        Demo = "demo",
        /// Anonymous reports and statistics (SHR-5): only coarse facts are derived.
        Statistics = "statistics",
    }
);

audit_enum!(
    /// Which data the event concerns ("gegevens"). Together with `object_id` this names the
    /// object without its content.
    AuditObject {
        ClientProfile = "client_profile",
        Bsn = "bsn",
        RelatedPerson = "related_person",
        Trajectory = "trajectory",
        Entry = "entry",
        GoalProgress = "goal_progress",
        WorkNote = "work_note",
        Attachment = "attachment",
        ClientSearch = "client_search",
        UserAccount = "user_account",
        KeyRing = "key_ring",
        Backup = "backup",
        Destruction = "destruction",
        /// The audit log itself, read by the privacy officer.
        AuditLog = "audit_log",
        /// Which services a client uses, without content (ACC-2).
        ServicesOverview = "services_overview",
        /// A complaint about a trajectory (ACC-3), or one a client filed from the portal
        /// (POR-4).
        Complaint = "complaint",
        /// A part of the dossier withheld from the client, its lifting and its review by
        /// the privacy officer (POR-2).
        Withholding = "withholding",
        /// A rights request (access, copy, rectification, ...) a client filed (POR-4, RTS-1).
        RightsRequest = "rights_request",
        /// A purpose-bound access grant: complaint, quality review, substitute,
        /// emergency access (ACC-3..6).
        AccessGrant = "access_grant",
        /// A staff member's API token for an integration: created, revoked.
        ApiToken = "api_token",
        /// A client's account for the online dossier and its invitations (POR-1).
        PortalAccount = "portal_account",
        /// A client's address, shown on its own because a confidential one (shelter) is
        /// for the assigned workers only, and its every display is recorded.
        Address = "address",
        /// A caseworker's record that a parent may not read a child's dossier, because the
        /// child's interest opposes it (MIN-2).
        ParentBlock = "parent_block",
        /// A young person's consent that a parent reads their dossier (MIN-3).
        YouthConsent = "youth_consent",
        /// What a legal representative of an adult may act in, and until when (MIN-4).
        Mandate = "mandate",
        /// Which privacy statement version (and privacy card) a client was given (ORG-3).
        StatementReceipt = "statement_receipt",
        /// A freeze of processing of a trajectory (restriction, upheld objection, withdrawn
        /// consent), the notice to the client and its lift (RTS-7, RTS-9, RTS-10).
        ProcessingStop = "processing_stop",
        /// A correction of a client's factual data, with the old value kept (RTS-5).
        Rectification = "rectification",
        /// The privacy officer's balancing decision on an objection (RTS-9).
        ObjectionDecision = "objection_decision",
        /// A registered withdrawal of consent (RTS-10).
        ConsentWithdrawal = "consent_withdrawal",
        /// A consent in the consent register (sharing with a named recipient, photo and
        /// video, applicant portfolio, newsletter), recorded, read and withdrawn (SHR-1,
        /// RTS-10).
        Consent = "consent",
        /// An outside organisation in the register of recipients and processors, and a
        /// processor's processing agreement (SHR-2, SHR-3).
        Recipient = "recipient",
        /// Personal data disclosed to an outside organisation, the notice to the client and
        /// the privacy officer's review of a safety reason (SHR-1, SHR-4).
        Disclosure = "disclosure",
        /// A meldcode workflow on a trajectory and its recorded steps (MLD-1).
        Meldcode = "meldcode",
        /// A dossier's term: its extension, a hold placed or released, and the privacy
        /// officer's destruction schedule (RET-5).
        RetentionTerm = "retention_term",
        /// The destruction register: what was destroyed, when and under which rule,
        /// without personal data (RET-6), read and exported by the privacy officer.
        DestructionRegister = "destruction_register",
        /// A contact of a partner organisation on a newsletter's mailing list: added,
        /// listed, exported for a mailing, unsubscribed (NWS-1). Not a client's data.
        NewsletterContact = "newsletter_contact",
        /// The register of cameras and holds on their images for an incident (CAM-1).
        CameraRegister = "camera_register",
        /// A recorded camera file: looked at for an investigation, or deleted past its
        /// term (CAM-1).
        CameraImage = "camera_image",
        /// A group activity, course or workshop: its sessions, participants, attendance,
        /// the notice about photos and the participants' written consents (GRP-1, GRP-2).
        GroupActivity = "group_activity",
        /// A photo or video of an activity: uploaded, tagged, looked at, published,
        /// downloaded for a use, removed past its term (GRP-2, GRP-3).
        ActivityMedia = "activity_media",
        /// The correspondence register: letters, contact-form messages, e-mails and
        /// calls, registered, read, handled, reopened, removed past their term (RET-3).
        Correspondence = "correspondence",
        /// The register of processing activities generated from the policy (TRN-2): no
        /// personal data, read by staff, never changed by hand.
        ProcessingRegister = "processing_register",
        /// An anonymous report to a municipality (SHR-5): computed, released, exported.
        /// Counts only.
        MunicipalityReport = "municipality_report",
        /// The k-anonymous export for training and research (SHR-5): generalised facts of
        /// trajectories, no id, name, free text or exact date.
        TrainingExport = "training_export",
        /// A published version of the privacy statement and card (TRN-2, ORG-3).
        StatementVersion = "statement_version",
        /// A vacancy: its closing date and the end of its procedure (RET-2).
        Vacancy = "vacancy",
        /// An applicant with CV and letter, and the consent to keep them in portfolio
        /// (RET-2).
        Applicant = "applicant",
        /// A staff record and its documents, after leaving kept the policy's term (RET-2).
        StaffRecord = "staff_record",
        /// A copy of a staff member's identity document, with its own shorter term (RET-2).
        StaffIdCopy = "staff_id_copy",
        /// A financial record and its document, kept from the end of the financial year
        /// (RET-2).
        FinancialRecord = "financial_record",
        /// The register of data breaches, kept by the privacy officer: the facts, the
        /// 72-hour clock, the decisions and the notification (TRN-3).
        DataBreach = "data_breach",
        /// A staff member's report of a suspected data breach, and their own list of
        /// the references of what they reported (TRN-3, art. 33(2)).
        DataBreachReport = "data_breach_report",
    }
);

/// An audit event before it is appended. The store adds sequence number, time and hashes.
/// Never carries names, content or a BSN: clients are named by id only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    pub action: AuditAction,
    pub outcome: AuditOutcome,
    pub object: AuditObject,
    pub object_id: Option<Uuid>,
    pub client_id: Option<ClientId>,
    /// The acting staff account; `None` for the system itself (jobs, CLI maintenance).
    pub user_id: Option<UserId>,
    /// The acting user's name as known at the time (NEN 7513 asks for it), or the job name.
    pub user_name: String,
    /// The role the user acted in.
    pub role: String,
    /// The responsible user on whose behalf this was done (substitution, ACC-6).
    pub on_behalf_of: Option<UserId>,
    pub purpose: Purpose,
    /// Where from: IP address and session, or `cli`.
    pub access_point: String,
    /// Ids of the access rules that decided, for accountability.
    pub rule_ids: Vec<String>,
    /// Optional structured detail without personal data, such as a count.
    pub detail: Option<String>,
}

/// An event as stored, with its position in the hash chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub event: NewAuditEvent,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(*a));
        }
        for p in Purpose::ALL {
            assert_eq!(Purpose::from_code(p.code()), Some(*p));
        }
        for o in AuditObject::ALL {
            assert_eq!(AuditObject::from_code(o.code()), Some(*o));
        }
        for o in AuditOutcome::ALL {
            assert_eq!(AuditOutcome::from_code(o.code()), Some(*o));
        }
    }
}
