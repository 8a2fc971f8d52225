//! The kinds of outside organisations personal data may go to (SHR-1..3). The register of
//! recipients sorts its rows by them, and the policy's purposes name which kinds receive
//! data for each purpose (TRN-2), so both speak of the same closed set.

use serde::{Deserialize, Serialize};

/// What kind of organisation a recipient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    CarePartner,
    Municipality,
    VeiligThuis,
    Processor,
    Auditor,
    ResearchInstitute,
}

impl RecipientKind {
    pub const ALL: [Self; 6] = [
        Self::CarePartner,
        Self::Municipality,
        Self::VeiligThuis,
        Self::Processor,
        Self::Auditor,
        Self::ResearchInstitute,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::CarePartner => "care_partner",
            Self::Municipality => "municipality",
            Self::VeiligThuis => "veilig_thuis",
            Self::Processor => "processor",
            Self::Auditor => "auditor",
            Self::ResearchInstitute => "research_institute",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}
