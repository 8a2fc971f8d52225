//! The policy file's model. Field names are the file's keys.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::dates::{AgeBand, add_term, age_on, birthday_in, end_of_year};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub organisation: Organisation,
    pub privacy_officer: Contact,
    pub complaints: Complaints,
    pub help: Help,
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub teams: Vec<Team>,
    #[serde(default)]
    pub roles: Vec<RoleLabel>,
    #[serde(default)]
    pub service_types: Vec<ServiceType>,
    #[serde(default)]
    pub record_categories: Vec<RecordCategory>,
    #[serde(default)]
    pub retention_rules: Vec<RetentionRule>,
    pub requests: RequestDeadlines,
    pub age_bands: AgeBands,
    pub reports: Reports,
    pub audit: AuditPolicy,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub website: String,
    pub privacy_statement_url: String,
    pub statement_version: String,
    #[serde(default)]
    pub chamber_of_commerce: Option<String>,
    /// Legal dates are counted in this zone; only Europe/Amsterdam is supported.
    pub timezone: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complaints {
    #[serde(default)]
    pub email: Option<String>,
    /// How complaints are received (orally and in writing, CMP-1).
    pub channels: String,
    pub supervisory_authority: Authority,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub name: String,
    pub website: String,
    pub phone: String,
    pub postal_address: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Help {
    pub help_phone: String,
    pub emergency_phone: String,
}

/// A branch ("afdeling", "vestiging") and the municipalities it serves (ORG-1).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub head_office: bool,
    pub municipalities: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub code: String,
    pub name: String,
    pub branch: String,
}

/// How a role is called, and what a client sees of it in "who looked at my dossier".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleLabel {
    pub role: String,
    pub label_nl: String,
    pub label_en: String,
    pub shown_to_client_as: ShownAs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShownAs {
    Name,
    Function,
}

/// The legal basis of processing (AVG art. 6); decides portability and objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    Consent,
    Contract,
    LegalObligation,
    PublicTask,
    LegitimateInterest,
}

/// A service ("dienst"): one trajectory type with its own dossier and term.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceType {
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    pub legal_basis: LegalBasis,
    /// The law that requires the BSN; absent means the BSN is not stored (DOS-4).
    #[serde(default)]
    pub bsn_legal_basis: Option<String>,
    #[serde(default)]
    pub special_categories_allowed: bool,
    #[serde(default)]
    pub youth_care: bool,
    #[serde(default)]
    pub domestic_violence_service: bool,
    pub retention: String,
    #[serde(default)]
    pub retention_if_domestic_violence: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    CameraImages,
    FinancialRecords,
    StaffRecords,
    StaffIdCopies,
    Applicants,
    ApplicantPortfolio,
    Correspondence,
    ActivityMedia,
    GroupParticipants,
}

/// Records outside the client dossier, each with its own term.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordCategory {
    pub code: String,
    pub kind: RecordKind,
    pub name_nl: String,
    pub name_en: String,
    pub retention: String,
}

/// A length of time as in the statements: years, months, weeks, days. Signed in the file
/// so a negative value is reported plainly instead of as a type error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    #[serde(default)]
    pub years: i64,
    #[serde(default)]
    pub months: i64,
    #[serde(default)]
    pub weeks: i64,
    #[serde(default)]
    pub days: i64,
}

impl Term {
    /// Adds years, then months (clamped to the month's end: 31 Jan + 1 month = 28/29 Feb),
    /// then weeks and days.
    #[must_use]
    pub fn add_to(&self, date: NaiveDate) -> NaiveDate {
        add_term(date, self)
    }

    pub(crate) fn is_negative(&self) -> bool {
        self.years < 0 || self.months < 0 || self.weeks < 0 || self.days < 0
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.years == 0 && self.months == 0 && self.weeks == 0 && self.days == 0
    }
}

/// The event a term counts from (DOMAIN.md "Retention").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartEvent {
    TrajectoryClosed,
    /// The last change in the dossier (Jeugdwet, WGBO).
    LastChange,
    /// Camera images: the moment of recording.
    Recording,
    EndOfEmployment,
    /// Applicants: closing of the vacancy; correspondence: the request handled.
    EndOfProcedure,
    /// Financial records: counted from the end of the (financial) year of the record.
    RecordDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Move the start to 31 December of its year (staff ID copies: 5 full calendar years).
    EndOfYear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Kept at least until the youngest child reaches `age` (Blijf Groep: 18).
    YoungestChildReaches { age: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(tag = "requires", rename_all = "snake_case", deny_unknown_fields)]
pub enum Extension {
    None,
    /// An authorised person records a reason and a new end date (RET-5).
    RecordedReason,
    /// Only with the person's written consent, within bounds (applicants: 1 to 3 years).
    WrittenConsent {
        min: Term,
        max: Term,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    pub code: String,
    pub term: Term,
    pub start: StartEvent,
    #[serde(default)]
    pub align: Option<Align>,
    #[serde(default)]
    pub not_before: Vec<Condition>,
    #[serde(default = "no_extension")]
    pub extension: Extension,
    /// Why this term, in words, for the register of processing.
    #[serde(default)]
    pub note: Option<String>,
}

fn no_extension() -> Extension {
    Extension::None
}

/// The facts a retention date is computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionFacts {
    pub closed_on: Option<NaiveDate>,
    pub last_change: Option<NaiveDate>,
    pub recorded_on: Option<NaiveDate>,
    pub employment_ended_on: Option<NaiveDate>,
    pub procedure_ended_on: Option<NaiveDate>,
    pub children_birth_dates: Vec<NaiveDate>,
}

impl RetentionRule {
    /// The last day the data must be kept; `None` while the start event has not happened.
    #[must_use]
    pub fn retention_until(&self, facts: &RetentionFacts) -> Option<NaiveDate> {
        let start = match self.start {
            StartEvent::TrajectoryClosed => facts.closed_on,
            StartEvent::LastChange => facts.last_change,
            StartEvent::Recording | StartEvent::RecordDate => facts.recorded_on,
            StartEvent::EndOfEmployment => facts.employment_ended_on,
            StartEvent::EndOfProcedure => facts.procedure_ended_on,
        }?;
        let start = match self.align {
            Some(Align::EndOfYear) => end_of_year(start),
            None => start,
        };
        let mut until = self.term.add_to(start);
        for condition in &self.not_before {
            match condition {
                Condition::YoungestChildReaches { age } => {
                    if let Some(youngest) = facts.children_birth_dates.iter().max() {
                        let year = youngest.year_ce().1 as i32 + i32::try_from(*age).unwrap_or(0);
                        until = until.max(birthday_in(*youngest, year));
                    }
                }
            }
        }
        Some(until)
    }
}

use chrono::Datelike;

/// Deadlines of rights requests (RTS-3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDeadlines {
    pub respond_within: Term,
    pub complete_within: Term,
    #[serde(default)]
    pub extension: Option<DeadlineExtension>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineExtension {
    pub by: Term,
    pub notice_within: Term,
}

impl RequestDeadlines {
    #[must_use]
    pub fn respond_by(&self, received: NaiveDate) -> NaiveDate {
        self.respond_within.add_to(received)
    }

    #[must_use]
    pub fn complete_by(&self, received: NaiveDate) -> NaiveDate {
        self.complete_within.add_to(received)
    }

    #[must_use]
    pub fn extended_complete_by(&self, received: NaiveDate) -> Option<NaiveDate> {
        self.extension
            .map(|e| e.by.add_to(self.complete_by(received)))
    }

    #[must_use]
    pub fn extension_notice_by(&self, received: NaiveDate) -> Option<NaiveDate> {
        self.extension.map(|e| e.notice_within.add_to(received))
    }
}

/// The age bands of the minors rules (MIN-1..3), from the law; settings so that a change
/// in the law is a policy change.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBands {
    pub own_access_from: u32,
    pub parents_access_until: u32,
    pub independent_from: u32,
    pub adult_at: u32,
}

impl AgeBands {
    #[must_use]
    pub fn band(&self, birth: NaiveDate, on: NaiveDate) -> AgeBand {
        let age = age_on(birth, on);
        if age >= self.adult_at {
            AgeBand::Adult
        } else if age >= self.independent_from {
            AgeBand::Independent
        } else if age >= self.own_access_from {
            AgeBand::Consultative
        } else {
            AgeBand::UnderOwnAccess
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reports {
    /// Counts below this are suppressed in anonymous reports (SHR-5).
    pub small_number_threshold: u32,
    pub rounding: u32,
    pub secondary_suppression: bool,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditPolicy {
    pub log_retention: Term,
}

impl Policy {
    #[must_use]
    pub fn organisation(&self) -> &Organisation {
        &self.organisation
    }
    #[must_use]
    pub fn branches(&self) -> &[Branch] {
        &self.branches
    }
    #[must_use]
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }
    #[must_use]
    pub fn service_types(&self) -> &[ServiceType] {
        &self.service_types
    }
    #[must_use]
    pub fn retention_rules(&self) -> &[RetentionRule] {
        &self.retention_rules
    }
    #[must_use]
    pub fn record_categories(&self) -> &[RecordCategory] {
        &self.record_categories
    }
    #[must_use]
    pub fn branch(&self, code: &str) -> Option<&Branch> {
        self.branches.iter().find(|b| b.code == code)
    }
    #[must_use]
    pub fn team(&self, code: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.code == code)
    }
    #[must_use]
    pub fn service_type(&self, code: &str) -> Option<&ServiceType> {
        self.service_types.iter().find(|s| s.code == code)
    }
    #[must_use]
    pub fn retention_rule(&self, code: &str) -> Option<&RetentionRule> {
        self.retention_rules.iter().find(|r| r.code == code)
    }
    #[must_use]
    pub fn record_category(&self, kind: RecordKind) -> Option<&RecordCategory> {
        self.record_categories.iter().find(|r| r.kind == kind)
    }
}
