//! The policy file's model. Field names are the file's keys; every table refuses unknown
//! keys so that a typo is an error, not a silently ignored setting (ORG-2).

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use zv_domain::Role;

use crate::dates::AgeBands;
use crate::purposes::{DataCategory, Purpose, categories_in_use};
use crate::requests::RequestDeadlines;
use crate::retention::RetentionRule;
use crate::term::Term;

/// The only time zone legal dates are counted in (ARCHITECTURE rule 4).
pub const TIMEZONE: &str = "Europe/Amsterdam";

/// The file as written. Only [`crate::parse`] turns it into a [`Policy`], after validation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyFile {
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
    #[serde(default)]
    pub retention: RetentionFile,
    #[serde(default)]
    pub newsletters: Vec<Newsletter>,
    /// The purposes of processing, each with its data categories (DOS-5, TRN-2).
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    pub requests: RequestDeadlines,
    pub age_bands: AgeBands,
    pub reports: Reports,
    pub audit: AuditPolicy,
    pub security: Security,
}

/// A validated policy (ORG-2): every reference resolves, every term is positive, every
/// deadline is within the law. Only [`crate::parse`] makes one, so code that holds a
/// `Policy` never checks it again.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    #[serde(flatten)]
    pub(crate) file: PolicyFile,
    /// Index of the head office in `file.branches`.
    #[serde(skip)]
    pub(crate) head_office: usize,
}

/// `[organisation]`: the controller (verwerkingsverantwoordelijke).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The name clients know ("LEVgroep").
    pub name: String,
    /// The legal entity that is the controller ("Stichting ...").
    pub legal_name: String,
    /// The address as the statement gives it.
    pub address: String,
    #[serde(default)]
    pub postal_address: Option<String>,
    #[serde(default)]
    pub visiting_address: Option<String>,
    pub website: String,
    /// Where the current privacy statement is published (ORG-3).
    pub privacy_statement_url: String,
    /// The version of the statement this policy encodes ("januari 2025").
    pub statement_version: String,
    /// Whether every client is handed a privacy card (a summary of the statement) at
    /// intake, as Blijf Groep does; the intake then records the card too (ORG-3).
    #[serde(default)]
    pub privacy_card: bool,
    /// KvK number, 8 digits.
    #[serde(default)]
    pub chamber_of_commerce: Option<String>,
    /// Legal dates are counted in this zone; only `Europe/Amsterdam` is supported.
    pub timezone: String,
}

/// A person to contact (the privacy officer, FG).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

/// `[complaints]` (CMP-1).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Complaints {
    #[serde(default)]
    pub email: Option<String>,
    /// How complaints are received, in words for the client ("mondeling of schriftelijk").
    pub channels: String,
    /// The organisation's internal complaints procedure, if published.
    #[serde(default)]
    pub procedure_url: Option<String>,
    /// How long the organisation takes to answer a complaint, from the day it was
    /// received (CMP-1): past it, a complaint without a decision is overdue and the
    /// handler's and the privacy officer's lists flag it. The Wkkgz (art. 17) sets six
    /// weeks, which an organisation may extend by four with notice to the client.
    pub handling_term: Term,
    /// Where a client may complain about the processing (CMP-1: the answer names it).
    pub supervisory_authority: Authority,
}

/// The supervisory authority: the Autoriteit Persoonsgegevens.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub name: String,
    pub website: String,
    pub phone: String,
    /// When the phone is answered ("maandag t/m vrijdag; 9.00 tot 17.00 uur").
    #[serde(default)]
    pub phone_hours: Option<String>,
    pub postal_address: String,
}

/// `[help]`: always visible in the portal (POR-5).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Help {
    pub help_phone: String,
    pub emergency_phone: String,
    #[serde(default)]
    pub chat_url: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// Where the portal's quick exit sends a client of a domestic-violence service
    /// (POR-5): a neutral site, such as a weather or news page. Without it, the app's own
    /// neutral page.
    #[serde(default)]
    pub quick_exit_url: Option<String>,
}

/// A branch ("afdeling", "vestiging") and the municipalities it serves (ORG-1).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub head_office: bool,
    pub municipalities: Vec<String>,
}

/// A team, in a branch (ORG-1; ACC-2: colleagues of other teams see no content).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub code: String,
    pub name: String,
    pub branch: String,
}

/// How a role is called, and what a client sees of it in "who looked at my dossier"
/// (POR-3).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoleLabel {
    /// A code of [`zv_domain::Role`].
    pub role: String,
    pub label_nl: String,
    pub label_en: String,
    pub shown_to_client_as: ShownAs,
}

/// What the access overview shows a client of the staff member who looked (POR-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShownAs {
    /// The staff member's name.
    Name,
    /// Only the role's label (e.g. where naming staff puts them at risk).
    Function,
}

/// The legal basis of processing (AVG art. 6); decides portability (RTS-8) and objection
/// (RTS-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    Consent,
    Contract,
    LegalObligation,
    PublicTask,
    LegitimateInterest,
}

impl LegalBasis {
    /// Stable code, as in the policy file.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Consent => "consent",
            Self::Contract => "contract",
            Self::LegalObligation => "legal_obligation",
            Self::PublicTask => "public_task",
            Self::LegitimateInterest => "legitimate_interest",
        }
    }
}

/// A service ("dienst"): one kind of trajectory with its own dossier and term.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceType {
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    pub legal_basis: LegalBasis,
    /// The law that requires the BSN. `None` means the BSN is not stored for this service
    /// (DOS-4: only where a law requires it; consent is not enough).
    #[serde(default)]
    pub bsn_legal_basis: Option<String>,
    /// Whether special categories may be recorded, with a stated necessity (DOS-3).
    #[serde(default)]
    pub special_categories_allowed: bool,
    /// Youth care: the clients are minors (MIN-1..3).
    #[serde(default)]
    pub youth_care: bool,
    /// A domestic-violence service: the portal gets a quick exit (POR-5).
    #[serde(default)]
    pub domestic_violence_service: bool,
    /// The retention rule code.
    pub retention: String,
    /// The retention rule code when domestic violence is involved (LEVgroep: general
    /// social work 2 years, 15 years with domestic violence, RET-1).
    #[serde(default)]
    pub retention_if_domestic_violence: Option<String>,
}

impl ServiceType {
    /// Whether the BSN may be stored for this service (DOS-4).
    #[must_use]
    pub fn bsn_allowed(&self) -> bool {
        self.bsn_legal_basis.is_some()
    }

    /// The retention rule code for a trajectory, with or without domestic violence.
    #[must_use]
    pub fn retention_rule_code(&self, domestic_violence: bool) -> &str {
        match (&self.retention_if_domestic_violence, domestic_violence) {
            (Some(dv), true) => dv,
            _ => &self.retention,
        }
    }
}

/// The kinds of records outside the client dossier, each with its own term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// CAM-1.
    CameraImages,
    FinancialRecords,
    StaffRecords,
    StaffIdCopies,
    Applicants,
    /// Applicants kept in portfolio with explicit consent.
    ApplicantPortfolio,
    /// Letters, contact forms, e-mails, calls (RET-3).
    Correspondence,
    /// Photos and video of activities (GRP-3).
    ActivityMedia,
    /// Participants of group activities (GRP-1).
    GroupParticipants,
}

/// `[[record_categories]]`: records outside the client dossier.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordCategory {
    pub code: String,
    pub kind: RecordKind,
    pub name_nl: String,
    pub name_en: String,
    /// The retention rule code.
    pub retention: String,
    /// The roles that keep these records (RET-2, ACC-7: nobody else): HR for applicants
    /// and staff, finance for financial records. Validated to name known roles. Empty for
    /// categories whose access the rules decide by promise (cameras, correspondence,
    /// group activities).
    #[serde(default)]
    pub access: Vec<String>,
}

/// `[[newsletters]]`: a newsletter the organisation sends to contacts of partner
/// organisations (NWS-1). An organisation without one sends none, and has no newsletter
/// pages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Newsletter {
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
}

/// `[retention]` as written: how the destruction schedule and the sweep run (RET-4, RET-5).
/// Both keys have defaults, so a file without the table keeps working.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetentionFile {
    #[serde(default = "default_schedule_horizon")]
    pub schedule_horizon: Term,
    /// Local time of day (Europe/Amsterdam), `"HH:MM"`; validated to parse.
    #[serde(default = "default_sweep_daily_at")]
    pub sweep_daily_at: String,
    /// How long a sent mail's row stays in the outbox (decision 0027).
    #[serde(default = "default_sent_mail_kept")]
    pub sent_mail_kept: Term,
}

impl Default for RetentionFile {
    fn default() -> Self {
        Self {
            schedule_horizon: default_schedule_horizon(),
            sweep_daily_at: default_sweep_daily_at(),
            sent_mail_kept: default_sent_mail_kept(),
        }
    }
}

/// A sent notice's row only records its delivery; a month covers a question about it.
const fn default_sent_mail_kept() -> Term {
    Term::days(30)
}

/// DOMAIN.md / issue 6: the schedule looks ahead "the coming period (default 30 days)".
const fn default_schedule_horizon() -> Term {
    Term::days(30)
}

/// At night, when nobody works in the dossiers, so the sweep's writes do not compete with
/// caseworkers; after midnight so that "the day after the term" has begun.
fn default_sweep_daily_at() -> String {
    "02:30".to_owned()
}

/// The `"HH:MM"` of `sweep_daily_at`, if it is one.
pub(crate) fn parse_time_of_day(value: &str) -> Option<NaiveTime> {
    let (h, m) = value.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// `[retention]`, validated: how far ahead the privacy officer's destruction schedule
/// looks, and when the sweep inside `serve` runs each day (RET-4, RET-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionSettings {
    /// The schedule shows what reaches its term within this period from today (and what
    /// is already past and waiting).
    pub schedule_horizon: Term,
    /// The local time (Europe/Amsterdam) the daily sweep starts.
    pub sweep_daily_at: NaiveTime,
    /// How long a sent mail's row stays in the outbox; the sweep removes older ones.
    pub sent_mail_kept: Term,
}

/// `[reports]`: anonymous reporting (SHR-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reports {
    /// Counts below this are suppressed (at least 2; DOMAIN.md default 5).
    pub small_number_threshold: u32,
    /// Published counts are rounded to a multiple of this (1 = no rounding).
    pub rounding: u32,
    /// Also suppress a second cell where a total would reveal a suppressed one.
    pub secondary_suppression: bool,
    /// The export for training and research: every combination of quasi-identifiers
    /// (place, age band, gender, start period, duration, service) is shared by at least
    /// this many people (at least 2; DOMAIN.md's small-number default 5).
    pub training_k: u32,
}

/// `[audit]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuditPolicy {
    /// How long access log lines are kept: at least 5 years (NEN 7513, ACC-7, POR-3).
    pub log_retention: Term,
}

/// `[security]`: sign-in, sessions and emergency access (SEC-1, ACC-5). The statements
/// promise "passende beveiliging" without numbers; each policy file says what it chose.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// A session without a request for this long ends.
    pub session_idle_minutes: u32,
    /// A session ends this long after sign-in, however active.
    pub session_absolute_hours: u32,
    /// Failed sign-ins (per account and per address) before each further attempt waits.
    pub login_failures_before_backoff: u32,
    /// The longest wait the backoff imposes; it doubles per failure up to this.
    pub login_backoff_max_seconds: u32,
    /// How many one-time recovery codes a staff member receives at enrolment.
    pub recovery_codes: u32,
    /// The longest an emergency access (doorbraak) lasts before it ends by itself (ACC-5).
    pub emergency_access_max_hours: u32,
    /// The longest a purpose-bound grant runs: a complaint handler's access (ACC-3), a
    /// quality review (ACC-4), a substitution (ACC-6). Each ends earlier if set so.
    pub access_grant_max_days: u32,
    /// The longest an API token may live.
    pub api_token_max_days: u32,
    /// How long an invitation code to the client portal stays valid (POR-1). The code is
    /// handed over in person or sent to the registered e-mail; a week gives the client
    /// time to sign up without leaving a usable code lying around for long.
    #[serde(default = "default_portal_invitation_days")]
    pub portal_invitation_days: u32,
    /// How long a prepared access copy (RTS-4) is held, sealed, for the requester to
    /// download; after that it is erased unread and the privacy officer prepares a new
    /// one if asked. Four weeks gives the requester time to sign in, without keeping a
    /// second copy of the dossier around for longer than the answer needs.
    #[serde(default = "default_access_copy_days")]
    pub access_copy_days: u32,
    /// How long a one-time download link for an access copy works once the requester
    /// asks for it in the portal: long enough to download, short enough that a link in
    /// a browser history is useless.
    #[serde(default = "default_access_copy_link_minutes")]
    pub access_copy_link_minutes: u32,
}

const fn default_portal_invitation_days() -> u32 {
    7
}

const fn default_access_copy_days() -> u32 {
    28
}

const fn default_access_copy_link_minutes() -> u32 {
    15
}

impl Policy {
    #[must_use]
    pub fn organisation(&self) -> &Organisation {
        &self.file.organisation
    }
    #[must_use]
    pub fn privacy_officer(&self) -> &Contact {
        &self.file.privacy_officer
    }
    #[must_use]
    pub fn complaints(&self) -> &Complaints {
        &self.file.complaints
    }
    #[must_use]
    pub fn help(&self) -> &Help {
        &self.file.help
    }
    #[must_use]
    pub fn branches(&self) -> &[Branch] {
        &self.file.branches
    }
    #[must_use]
    pub fn teams(&self) -> &[Team] {
        &self.file.teams
    }
    /// The labels of every role, in the order of [`Role::ALL`].
    #[must_use]
    pub fn roles(&self) -> &[RoleLabel] {
        &self.file.roles
    }
    #[must_use]
    pub fn service_types(&self) -> &[ServiceType] {
        &self.file.service_types
    }
    #[must_use]
    pub fn newsletters(&self) -> &[Newsletter] {
        &self.file.newsletters
    }
    #[must_use]
    pub fn newsletter(&self, code: &str) -> Option<&Newsletter> {
        self.file.newsletters.iter().find(|n| n.code == code)
    }
    /// The purposes of processing (DOS-5, TRN-2), in the order of the file.
    #[must_use]
    pub fn purposes(&self) -> &[Purpose] {
        &self.file.purposes
    }
    /// Every category of personal data the software holds under this policy, in the
    /// order of [`DataCategory::ALL`]; validated to be tied to a purpose each (DOS-5).
    #[must_use]
    pub fn data_categories(&self) -> Vec<DataCategory> {
        categories_in_use(&self.file)
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }
    /// The purposes a category is processed for.
    pub fn purposes_of(&self, category: DataCategory) -> impl Iterator<Item = &Purpose> + '_ {
        self.file
            .purposes
            .iter()
            .filter(move |p| p.categories.contains(&category))
    }
    #[must_use]
    pub fn record_categories(&self) -> &[RecordCategory] {
        &self.file.record_categories
    }
    #[must_use]
    pub fn retention_rules(&self) -> &[RetentionRule] {
        &self.file.retention_rules
    }
    /// `[retention]`: the schedule's horizon and the sweep's time of day.
    #[must_use]
    pub fn retention_settings(&self) -> RetentionSettings {
        RetentionSettings {
            schedule_horizon: self.file.retention.schedule_horizon,
            // Validated to parse; the default is only a fallback the compiler asks for.
            sweep_daily_at: parse_time_of_day(&self.file.retention.sweep_daily_at)
                .unwrap_or(NaiveTime::MIN),
            sent_mail_kept: self.file.retention.sent_mail_kept,
        }
    }
    #[must_use]
    pub fn requests(&self) -> &RequestDeadlines {
        &self.file.requests
    }
    #[must_use]
    pub fn age_bands(&self) -> &AgeBands {
        &self.file.age_bands
    }
    #[must_use]
    pub fn reports(&self) -> &Reports {
        &self.file.reports
    }
    #[must_use]
    pub fn audit(&self) -> &AuditPolicy {
        &self.file.audit
    }
    #[must_use]
    pub fn security(&self) -> &Security {
        &self.file.security
    }
    /// Always `Europe/Amsterdam` (validated).
    #[must_use]
    pub fn timezone(&self) -> &str {
        &self.file.organisation.timezone
    }

    /// The one head office (ORG-1; validated to exist exactly once).
    #[must_use]
    pub fn head_office(&self) -> &Branch {
        &self.file.branches[self.head_office]
    }
    #[must_use]
    pub fn branch(&self, code: &str) -> Option<&Branch> {
        self.file.branches.iter().find(|b| b.code == code)
    }
    #[must_use]
    pub fn team(&self, code: &str) -> Option<&Team> {
        self.file.teams.iter().find(|t| t.code == code)
    }
    /// The teams of a branch.
    pub fn teams_of<'a>(&'a self, branch: &'a str) -> impl Iterator<Item = &'a Team> + 'a {
        self.file.teams.iter().filter(move |t| t.branch == branch)
    }
    /// The branch serving a municipality, if any.
    #[must_use]
    pub fn branch_for_municipality(&self, municipality: &str) -> Option<&Branch> {
        self.file
            .branches
            .iter()
            .find(|b| b.municipalities.iter().any(|m| m == municipality))
    }
    #[must_use]
    pub fn service_type(&self, code: &str) -> Option<&ServiceType> {
        self.file.service_types.iter().find(|s| s.code == code)
    }
    #[must_use]
    pub fn retention_rule(&self, code: &str) -> Option<&RetentionRule> {
        self.file.retention_rules.iter().find(|r| r.code == code)
    }
    /// The retention rule of a trajectory of `service` (RET-1, RET-2); `None` for an
    /// unknown service type.
    #[must_use]
    pub fn service_retention_rule(
        &self,
        service: &str,
        domestic_violence: bool,
    ) -> Option<&RetentionRule> {
        self.service_type(service)
            .and_then(|s| self.retention_rule(s.retention_rule_code(domestic_violence)))
    }
    /// The category of a kind of record, if the organisation keeps such records.
    #[must_use]
    pub fn record_category(&self, kind: RecordKind) -> Option<&RecordCategory> {
        self.file.record_categories.iter().find(|r| r.kind == kind)
    }
    /// The retention rule of a kind of record, if the organisation keeps such records.
    #[must_use]
    pub fn record_retention_rule(&self, kind: RecordKind) -> Option<&RetentionRule> {
        self.record_category(kind)
            .and_then(|c| self.retention_rule(&c.retention))
    }
    /// Whether the policy names one of `roles` for the category of `kind` (RET-2): the
    /// standing fact `named_by_policy` of the access rules.
    #[must_use]
    pub fn record_access_names(&self, kind: RecordKind, roles: &[Role]) -> bool {
        self.record_category(kind)
            .is_some_and(|c| c.access.iter().any(|a| roles.iter().any(|r| r.code() == a)))
    }
    /// The labels of a role (POR-3). Every role is labelled in a validated policy.
    #[must_use]
    pub fn role_label(&self, role: Role) -> &RoleLabel {
        let i = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
        &self.file.roles[i]
    }
}
