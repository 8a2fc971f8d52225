//! Staff roles. The set is fixed because the access rules name them; the policy file gives
//! each its label and decides which an organisation uses.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// "Hulpverlener" / "maatschappelijk werker": works directly with clients (ACC-1).
    Caseworker,
    /// "Teamleider".
    TeamLead,
    /// "Manager": reads a dossier only bound to a complaint (ACC-3).
    Manager,
    /// "Kwaliteitsmedewerker": reads bound to a quality review (ACC-4).
    QualityOfficer,
    /// "Beheerder": manages the system, no dossier content as a matter of course (ACC-5).
    Administrator,
    /// "Functionaris Gegevensbescherming" (FG).
    PrivacyOfficer,
    /// "HR-medewerker" / "Personeelszaken": vacancies, applicants and staff records, where
    /// the policy names the role for those record categories (RET-2).
    HrOfficer,
    /// "Financieel medewerker": the financial records, where the policy names the role
    /// for them (RET-2).
    FinanceOfficer,
}

impl Role {
    pub const ALL: [Self; 8] = [
        Self::Caseworker,
        Self::TeamLead,
        Self::Manager,
        Self::QualityOfficer,
        Self::Administrator,
        Self::PrivacyOfficer,
        Self::HrOfficer,
        Self::FinanceOfficer,
    ];

    /// Stable code, used in the database, the policy file and the audit log.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Caseworker => "caseworker",
            Self::TeamLead => "team_lead",
            Self::Manager => "manager",
            Self::QualityOfficer => "quality_officer",
            Self::Administrator => "administrator",
            Self::PrivacyOfficer => "privacy_officer",
            Self::HrOfficer => "hr_officer",
            Self::FinanceOfficer => "finance_officer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role `{0}` (known: caseworker, team_lead, manager, quality_officer, administrator, privacy_officer, hr_officer, finance_officer)"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
