//! The purposes of processing and the categories of personal data tied to them (DOS-5,
//! TRN-2). The categories are a closed list in code because each is a part of the
//! software that holds data; the policy ties each category the organisation uses to at
//! least one purpose, and names no category it does not use. A policy that processes a
//! category for no recorded purpose is refused at start, so the register of processing
//! activities generated from it can never miss one.

use serde::{Deserialize, Serialize};
use zv_domain::RecipientKind;

use crate::model::{LegalBasis, PolicyFile, RecordKind};

/// A category of personal data the software can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    /// A client's name, birth date, gender, address and contact details.
    ClientIdentity,
    /// The citizen service number, only where a law requires it (DOS-4).
    Bsn,
    /// Goals, conversation reports, plans and documents, reports from others, e-mail
    /// summaries and the meldcode steps (DOS-1, MLD-1).
    Dossier,
    /// Health, criminal record, ethnicity and the other special categories, with the
    /// necessity stated (DOS-3).
    SpecialCategories,
    /// A worker's personal notes, destroyed when the trajectory closes (DOS-2).
    WorkNotes,
    /// Parents with authority, guardians, representatives and other related persons.
    RelatedPersons,
    /// Consents, disclosures to other organisations and the notices about them (SHR-1..4).
    ConsentsAndDisclosures,
    /// Rights requests, complaints and their handling (RTS, CMP).
    RequestsAndComplaints,
    /// Accounts of clients, parents and representatives for the online dossier (POR-1).
    PortalAccounts,
    /// Staff accounts: name, role, team, second factor.
    StaffAccounts,
    /// Who looked at which dossier, when and on what ground (ACC-7, POR-3).
    AccessLog,
    CameraImages,
    FinancialRecords,
    StaffRecords,
    StaffIdCopies,
    /// Applicants, also those kept in the portfolio with consent.
    Applicants,
    Correspondence,
    GroupParticipants,
    ActivityMedia,
    /// Contacts of partner organisations on a newsletter's list (NWS-1).
    NewsletterContacts,
}

/// Whose data a category holds (GDPR art. 30(1)(c)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSubject {
    Clients,
    /// Family members, parents, guardians and representatives of clients.
    Relatives,
    Staff,
    Applicants,
    /// Participants of activities, courses and workshops (not necessarily clients).
    Participants,
    /// Anyone at a location with cameras: clients, visitors, staff.
    Visitors,
    /// People who write, mail or call the organisation.
    Correspondents,
    /// Contacts at partner organisations.
    PartnerContacts,
    /// Suppliers, funders and others the organisation does business with.
    BusinessRelations,
}

impl DataSubject {
    pub const ALL: [Self; 9] = [
        Self::Clients,
        Self::Relatives,
        Self::Staff,
        Self::Applicants,
        Self::Participants,
        Self::Visitors,
        Self::Correspondents,
        Self::PartnerContacts,
        Self::BusinessRelations,
    ];

    /// Stable code, as serialized.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Clients => "clients",
            Self::Relatives => "relatives",
            Self::Staff => "staff",
            Self::Applicants => "applicants",
            Self::Participants => "participants",
            Self::Visitors => "visitors",
            Self::Correspondents => "correspondents",
            Self::PartnerContacts => "partner_contacts",
            Self::BusinessRelations => "business_relations",
        }
    }
}

impl DataCategory {
    pub const ALL: [Self; 20] = [
        Self::ClientIdentity,
        Self::Bsn,
        Self::Dossier,
        Self::SpecialCategories,
        Self::WorkNotes,
        Self::RelatedPersons,
        Self::ConsentsAndDisclosures,
        Self::RequestsAndComplaints,
        Self::PortalAccounts,
        Self::StaffAccounts,
        Self::AccessLog,
        Self::CameraImages,
        Self::FinancialRecords,
        Self::StaffRecords,
        Self::StaffIdCopies,
        Self::Applicants,
        Self::Correspondence,
        Self::GroupParticipants,
        Self::ActivityMedia,
        Self::NewsletterContacts,
    ];

    /// Stable code, as in the policy file.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::ClientIdentity => "client_identity",
            Self::Bsn => "bsn",
            Self::Dossier => "dossier",
            Self::SpecialCategories => "special_categories",
            Self::WorkNotes => "work_notes",
            Self::RelatedPersons => "related_persons",
            Self::ConsentsAndDisclosures => "consents_and_disclosures",
            Self::RequestsAndComplaints => "requests_and_complaints",
            Self::PortalAccounts => "portal_accounts",
            Self::StaffAccounts => "staff_accounts",
            Self::AccessLog => "access_log",
            Self::CameraImages => "camera_images",
            Self::FinancialRecords => "financial_records",
            Self::StaffRecords => "staff_records",
            Self::StaffIdCopies => "staff_id_copies",
            Self::Applicants => "applicants",
            Self::Correspondence => "correspondence",
            Self::GroupParticipants => "group_participants",
            Self::ActivityMedia => "activity_media",
            Self::NewsletterContacts => "newsletter_contacts",
        }
    }

    /// Whose data it is.
    #[must_use]
    pub const fn subjects(self) -> &'static [DataSubject] {
        use DataSubject as S;
        match self {
            Self::ClientIdentity
            | Self::Bsn
            | Self::SpecialCategories
            | Self::WorkNotes
            | Self::RequestsAndComplaints => &[S::Clients],
            Self::Dossier | Self::ConsentsAndDisclosures | Self::PortalAccounts => {
                &[S::Clients, S::Relatives]
            }
            Self::RelatedPersons => &[S::Relatives],
            Self::StaffAccounts | Self::StaffRecords | Self::StaffIdCopies => &[S::Staff],
            Self::AccessLog => &[S::Clients, S::Relatives, S::Staff],
            Self::CameraImages => &[S::Visitors],
            Self::FinancialRecords => &[S::Clients, S::Staff, S::BusinessRelations],
            Self::Applicants => &[S::Applicants],
            Self::Correspondence => &[S::Correspondents],
            Self::GroupParticipants | Self::ActivityMedia => &[S::Participants],
            Self::NewsletterContacts => &[S::PartnerContacts],
        }
    }

    /// The kind of record outside the dossier this category is, if it is one.
    #[must_use]
    pub const fn record_kind(self) -> Option<RecordKind> {
        match self {
            Self::CameraImages => Some(RecordKind::CameraImages),
            Self::FinancialRecords => Some(RecordKind::FinancialRecords),
            Self::StaffRecords => Some(RecordKind::StaffRecords),
            Self::StaffIdCopies => Some(RecordKind::StaffIdCopies),
            Self::Applicants => Some(RecordKind::Applicants),
            Self::Correspondence => Some(RecordKind::Correspondence),
            Self::GroupParticipants => Some(RecordKind::GroupParticipants),
            Self::ActivityMedia => Some(RecordKind::ActivityMedia),
            _ => None,
        }
    }

    /// Whether it belongs to a client's dossier and so keeps the dossier's term.
    #[must_use]
    pub const fn kept_with_dossier(self) -> bool {
        matches!(
            self,
            Self::ClientIdentity
                | Self::Bsn
                | Self::Dossier
                | Self::SpecialCategories
                | Self::RelatedPersons
                | Self::ConsentsAndDisclosures
                | Self::RequestsAndComplaints
                | Self::PortalAccounts
        )
    }
}

impl From<RecordKind> for DataCategory {
    fn from(kind: RecordKind) -> Self {
        match kind {
            RecordKind::CameraImages => Self::CameraImages,
            RecordKind::FinancialRecords => Self::FinancialRecords,
            RecordKind::StaffRecords => Self::StaffRecords,
            RecordKind::StaffIdCopies => Self::StaffIdCopies,
            RecordKind::Applicants | RecordKind::ApplicantPortfolio => Self::Applicants,
            RecordKind::Correspondence => Self::Correspondence,
            RecordKind::ActivityMedia => Self::ActivityMedia,
            RecordKind::GroupParticipants => Self::GroupParticipants,
        }
    }
}

/// `[[purposes]]`: one purpose of processing in the statement's own words, with the
/// categories of data processed for it and who receives them (DOS-5, TRN-2).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    /// Where the statement says it, quoted, so a reader can check the register against it.
    pub statement: String,
    pub legal_basis: LegalBasis,
    pub categories: Vec<DataCategory>,
    /// The kinds of outside organisations that receive data for this purpose.
    #[serde(default)]
    pub recipients: Vec<RecipientKind>,
    /// The recipients receive only anonymised figures, never personal data (SHR-5: the
    /// accountability to municipalities, research and training).
    #[serde(default)]
    pub recipients_receive_anonymised_only: bool,
}

/// Why a category is in use: what in the policy makes the software hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InUseBecause {
    /// The organisation keeps client dossiers (it has service types).
    Dossiers,
    /// Every installation has staff accounts and the access log.
    Always,
    /// This service type stores the BSN.
    BsnService(usize),
    /// This service type allows special categories.
    SpecialService(usize),
    /// This record category.
    RecordCategory(usize),
    /// The organisation sends newsletters.
    Newsletters,
}

/// Every category the software holds under this policy, each with the first reason.
pub(crate) fn categories_in_use(file: &PolicyFile) -> Vec<(DataCategory, InUseBecause)> {
    let mut found: Vec<(DataCategory, InUseBecause)> = Vec::new();
    let mut add = |category: DataCategory, because: InUseBecause| {
        if !found.iter().any(|(c, _)| *c == category) {
            found.push((category, because));
        }
    };
    add(DataCategory::StaffAccounts, InUseBecause::Always);
    add(DataCategory::AccessLog, InUseBecause::Always);
    if !file.service_types.is_empty() {
        for c in [
            DataCategory::ClientIdentity,
            DataCategory::Dossier,
            DataCategory::WorkNotes,
            DataCategory::RelatedPersons,
            DataCategory::ConsentsAndDisclosures,
            DataCategory::RequestsAndComplaints,
            DataCategory::PortalAccounts,
        ] {
            add(c, InUseBecause::Dossiers);
        }
    }
    for (i, s) in file.service_types.iter().enumerate() {
        if s.bsn_legal_basis.is_some() {
            add(DataCategory::Bsn, InUseBecause::BsnService(i));
        }
        if s.special_categories_allowed {
            add(
                DataCategory::SpecialCategories,
                InUseBecause::SpecialService(i),
            );
        }
    }
    for (i, r) in file.record_categories.iter().enumerate() {
        add(r.kind.into(), InUseBecause::RecordCategory(i));
    }
    if !file.newsletters.is_empty() {
        add(DataCategory::NewsletterContacts, InUseBecause::Newsletters);
    }
    found.sort_by_key(|(c, _)| *c);
    found
}
