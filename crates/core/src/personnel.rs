//! Applicants, staff records and financial records (RET-2, Blijf Groep): "Financiële
//! gegevens: 7 jaar", "Medewerker gegevens: 7 jaar na uitdiensttreding ..., voor een
//! aantal gegevens geldt een bewaartermijn van 5 jaar (b.v. paspoort/id)", "Sollicitant
//! gegevens: max. 2 maanden na de sluitingsdatum van de vacature of max. 1 tot 3 jaar na
//! sluitingsdatum van de vacature, als we de sollicitant in portefeuille willen houden
//! (na expliciete goedkeuring)". Decision 0034.
//!
//! - A **vacancy** has a closing day; its procedure ends on a recorded day, not before
//!   the closing day. Applicants are registered while it runs, with their CV and letter.
//!   When it ends, every applicant gets a last day: the policy's term (`applicants`
//!   category, start `end_of_procedure`) after that day, or, with the applicant's
//!   explicit written consent to be kept in portfolio, the chosen day between the
//!   policy's shortest and longest extension counted from the closing day.
//! - A **staff record** gets its last days when the day of leaving is recorded: the rest
//!   of the record under the `staff_records` rule, the copy of the identity document
//!   under the `staff_id_copies` rule (31 December of the fifth year after leaving).
//! - A **financial record** gets its last day at once, from the end of its financial year.
//! - Documents are sealed files, removed with their record; downloads are recorded exports.
//! - The personal fields are sealed with the system key bound to table, column and row
//!   (none of these people is a client, so no client's key applies).
//! - Who: the roles the policy names for each category (`access`), decided by the rules
//!   in `access/ret2_personnel.cedar`; every read, lists included, is recorded first.
//! - The retention sweep removes each past its last day, with an audit event and a line
//!   in the destruction register per category and run (RET-4, RET-6).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Email, Phone, Purpose};
use zv_policy::{RecordKind, RetentionFacts, RetentionRule};
use zv_store::SubjectKind;
use zv_store::destruction::NewRegisterRecord;
use zv_store::personnel::{
    self as store, ApplicantRow, FILE_ID_COPY, FileRow, FinancialRow, OWNER_APPLICANT,
    OWNER_FINANCIAL, OWNER_STAFF, StaffRow, VacancyRow,
};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

const NAME_MAX_CHARS: usize = 200;
const TEXT_MAX_CHARS: usize = 1_000;

/// The types of document accepted: PDF, images, Word and OpenDocument text.
pub const ACCEPTED_DOCUMENT_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
];

/// The kinds of document per record.
pub const APPLICANT_FILE_KINDS: [&str; 2] = ["cv", "letter"];
pub const STAFF_FILE_KINDS: [&str; 2] = [FILE_ID_COPY, "document"];
pub const FINANCIAL_FILE_KINDS: [&str; 1] = ["document"];

/// Which record a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    Applicant,
    StaffRecord,
    FinancialRecord,
}

impl Owner {
    const fn code(self) -> &'static str {
        match self {
            Self::Applicant => OWNER_APPLICANT,
            Self::StaffRecord => OWNER_STAFF,
            Self::FinancialRecord => OWNER_FINANCIAL,
        }
    }

    fn of(code: &str) -> Option<Self> {
        match code {
            OWNER_APPLICANT => Some(Self::Applicant),
            OWNER_STAFF => Some(Self::StaffRecord),
            OWNER_FINANCIAL => Some(Self::FinancialRecord),
            _ => None,
        }
    }

    /// The kinds of document this record takes.
    #[must_use]
    pub fn file_kinds(self) -> &'static [&'static str] {
        match self {
            Self::Applicant => &APPLICANT_FILE_KINDS,
            Self::StaffRecord => &STAFF_FILE_KINDS,
            Self::FinancialRecord => &FINANCIAL_FILE_KINDS,
        }
    }

    /// The audited object a document of this kind is.
    fn object(self, kind: &str) -> AuditObject {
        match self {
            Self::Applicant => AuditObject::Applicant,
            Self::StaffRecord if kind == FILE_ID_COPY => AuditObject::StaffIdCopy,
            Self::StaffRecord => AuditObject::StaffRecord,
            Self::FinancialRecord => AuditObject::FinancialRecord,
        }
    }

    const fn table(self) -> &'static str {
        match self {
            Self::Applicant => "applicants",
            Self::StaffRecord => "staff_records",
            Self::FinancialRecord => "financial_records",
        }
    }
}

/// A short reference without content: a letter for the kind and the random end of the id.
#[must_use]
pub fn reference(prefix: char, id: Uuid) -> String {
    let hex = id.simple().to_string();
    let tail = hex.get(hex.len().saturating_sub(8)..).unwrap_or(&hex);
    format!("{prefix}-{}", tail.to_uppercase())
}

fn chars(s: &str) -> usize {
    s.trim().chars().count()
}

fn blank_to_none(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

fn first(problems: &[(&'static str, &'static str)]) -> CoreResult<()> {
    match problems.first() {
        Some((field, rule)) => Err(CoreError::invalid(field, *rule)),
        None => Ok(()),
    }
}

fn access(action: AuditAction, object: AuditObject) -> Access {
    Access::new(action, object, None)
        .target(Target::Organisation(object))
        .purpose(Purpose::Administration)
}

// --- input ---------------------------------------------------------------------------

/// A vacancy as HR registers it.
#[derive(Debug, Clone)]
pub struct VacancyInput {
    pub title: String,
    /// The closing day ("sluitingsdatum").
    pub closing_on: NaiveDate,
}

/// Every refused field of a vacancy.
#[must_use]
pub fn vacancy_problems(input: &VacancyInput) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if !(2..=NAME_MAX_CHARS).contains(&chars(&input.title)) {
        out.push(("title", "name the vacancy (2 to 200 characters)"));
    }
    out
}

/// The end of a vacancy's procedure: today or earlier, not before its closing day.
#[must_use]
pub fn procedure_end_problems(
    ended_on: NaiveDate,
    closing_on: NaiveDate,
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    if ended_on > today || ended_on < closing_on {
        vec![(
            "ended_on",
            "the procedure ends today or earlier, and not before the closing day",
        )]
    } else {
        Vec::new()
    }
}

/// An applicant as HR registers them.
#[derive(Clone)]
pub struct ApplicantInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub applied_on: NaiveDate,
}

impl std::fmt::Debug for ApplicantInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApplicantInput({}, ***)", self.applied_on)
    }
}

/// Every refused field of an applicant, with the rule (never the value).
#[must_use]
pub fn applicant_problems(
    input: &ApplicantInput,
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if !(2..=NAME_MAX_CHARS).contains(&chars(&input.name)) {
        out.push(("name", "give the applicant's name (2 to 200 characters)"));
    }
    if blank_to_none(&input.email).is_some_and(|e| Email::parse(e).is_err()) {
        out.push(("email", "an e-mail address, or nothing"));
    }
    if blank_to_none(&input.phone).is_some_and(|p| Phone::parse(p).is_err()) {
        out.push(("phone", "a telephone number, or nothing"));
    }
    if input.applied_on > today {
        out.push((
            "applied_on",
            "the day of the application is today or earlier",
        ));
    }
    out
}

/// The applicant's explicit written consent to be kept in portfolio, and the chosen last
/// day.
#[derive(Debug, Clone, Copy)]
pub struct PortfolioInput {
    /// The day the consent was given.
    pub consent_on: NaiveDate,
    /// The last day they are kept.
    pub until: NaiveDate,
}

/// Every refused field of a portfolio consent: the consent is given today or earlier,
/// not before the application; the last day lies within `bounds` and not in the past.
#[must_use]
pub fn portfolio_problems(
    input: &PortfolioInput,
    applied_on: NaiveDate,
    bounds: (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if input.consent_on > today || input.consent_on < applied_on {
        out.push((
            "consent_on",
            "the consent is given today or earlier, and not before the application",
        ));
    }
    if input.until < bounds.0 || input.until > bounds.1 || input.until < today {
        out.push((
            "until",
            "choose a last day between the shortest and the longest term the policy allows after the closing day",
        ));
    }
    out
}

/// A staff record as HR registers it.
#[derive(Clone)]
pub struct StaffInput {
    pub name: String,
    pub job_title: String,
    pub started_on: NaiveDate,
}

impl std::fmt::Debug for StaffInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaffInput({}, ***)", self.started_on)
    }
}

/// Every refused field of a staff record.
#[must_use]
pub fn staff_problems(input: &StaffInput, today: NaiveDate) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if !(2..=NAME_MAX_CHARS).contains(&chars(&input.name)) {
        out.push(("name", "give the staff member's name (2 to 200 characters)"));
    }
    if chars(&input.job_title) > NAME_MAX_CHARS {
        out.push(("job_title", "at most 200 characters"));
    }
    if input.started_on > today {
        out.push(("started_on", "the first day is today or earlier"));
    }
    out
}

/// The day of leaving: today or earlier, not before the first day.
#[must_use]
pub fn leaving_problems(
    left_on: NaiveDate,
    started_on: NaiveDate,
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    if left_on > today || left_on < started_on {
        vec![(
            "left_on",
            "the day of leaving is today or earlier, and not before the first day",
        )]
    } else {
        Vec::new()
    }
}

/// A financial record as finance registers it.
#[derive(Clone)]
pub struct FinancialInput {
    /// The booking day: its financial year starts the term.
    pub booked_on: NaiveDate,
    pub description: String,
    /// The counterparty (a person or an organisation), optional.
    pub party: String,
    /// The amount as written, optional.
    pub amount: String,
}

impl std::fmt::Debug for FinancialInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FinancialInput({}, ***)", self.booked_on)
    }
}

/// Whether an amount reads as euros: digits with an optional minus, thousands dots and
/// up to two decimals after a comma or point.
fn amount_ok(s: &str) -> bool {
    let s = s.trim().trim_start_matches('€').trim();
    let s = s.strip_prefix('-').unwrap_or(s);
    let (whole, cents) = match s.rsplit_once([',', '.']) {
        Some((w, c)) if c.len() <= 2 && !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) => {
            (w, c)
        }
        _ => (s, ""),
    };
    let digits: String = whole.chars().filter(|c| *c != '.').collect();
    !digits.is_empty()
        && digits.len() <= 12
        && digits.bytes().all(|b| b.is_ascii_digit())
        && cents.len() <= 2
}

/// Every refused field of a financial record.
#[must_use]
pub fn financial_problems(
    input: &FinancialInput,
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if input.booked_on > today {
        out.push(("booked_on", "the booking day is today or earlier"));
    }
    if !(2..=TEXT_MAX_CHARS).contains(&chars(&input.description)) {
        out.push(("description", "describe the record (2 to 1,000 characters)"));
    }
    if chars(&input.party) > NAME_MAX_CHARS {
        out.push(("party", "at most 200 characters"));
    }
    if blank_to_none(&input.amount).is_some_and(|a| !amount_ok(a)) {
        out.push(("amount", "an amount in euros, such as 1.250,00, or nothing"));
    }
    out
}

/// A document to add.
#[derive(Clone, Default)]
pub struct FileInput {
    /// One of the owner's [`Owner::file_kinds`].
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for FileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FileInput({}, {}, {} bytes)",
            self.kind,
            self.media_type,
            self.bytes.len()
        )
    }
}

// --- views ---------------------------------------------------------------------------

/// A vacancy on the page and in the API.
#[derive(Debug, Clone, Serialize)]
pub struct VacancyView {
    pub id: Uuid,
    pub title: String,
    pub closing_on: NaiveDate,
    /// The day its procedure ended; none while it runs.
    pub procedure_ended_on: Option<NaiveDate>,
    /// How many applicants are still kept.
    pub applicants: u64,
}

/// A vacancy with its applicants.
#[derive(Debug, Clone, Serialize)]
pub struct VacancyDetail {
    #[serde(flatten)]
    pub vacancy: VacancyView,
    pub applicant_list: Vec<ApplicantView>,
}

/// A document of a record.
#[derive(Clone, Serialize)]
pub struct FileView {
    pub id: Uuid,
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub added_at: DateTime<Utc>,
}

impl std::fmt::Debug for FileView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileView({}, {}, ***)", self.id, self.kind)
    }
}

/// An applicant on the page and in the API.
#[derive(Clone, Serialize)]
pub struct ApplicantView {
    pub id: Uuid,
    pub reference: String,
    pub vacancy_id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub applied_on: NaiveDate,
    /// The day the consent to be kept in portfolio was given.
    pub consent_on: Option<NaiveDate>,
    pub portfolio_until: Option<NaiveDate>,
    /// The last day they are kept; none while the procedure runs.
    pub keep_until: Option<NaiveDate>,
    /// The range a portfolio's last day may lie in, counted from the vacancy's closing
    /// date; none where the policy keeps no applicants in portfolio.
    pub portfolio_from: Option<NaiveDate>,
    pub portfolio_to: Option<NaiveDate>,
    pub files: Vec<FileView>,
}

impl std::fmt::Debug for ApplicantView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApplicantView({}, ***)", self.id)
    }
}

/// A staff record on the page and in the API.
#[derive(Clone, Serialize)]
pub struct StaffView {
    pub id: Uuid,
    pub reference: String,
    pub name: String,
    pub job_title: Option<String>,
    pub started_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    /// The last day of the record; none while employed.
    pub keep_until: Option<NaiveDate>,
    /// The last day of the copy of the identity document; none while employed.
    pub id_copy_until: Option<NaiveDate>,
    pub files: Vec<FileView>,
}

impl std::fmt::Debug for StaffView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaffView({}, ***)", self.id)
    }
}

/// A financial record on the page and in the API.
#[derive(Clone, Serialize)]
pub struct FinancialView {
    pub id: Uuid,
    pub reference: String,
    pub booked_on: NaiveDate,
    pub description: String,
    pub party: Option<String>,
    pub amount: Option<String>,
    pub keep_until: NaiveDate,
    pub files: Vec<FileView>,
}

impl std::fmt::Debug for FinancialView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FinancialView({}, ***)", self.id)
    }
}

/// A downloaded document.
pub struct RecordFile {
    pub file_name: String,
    pub media_type: String,
    pub bytes: zeroize::Zeroizing<Vec<u8>>,
}

/// What the actor may reach: HR's records, finance's records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PersonnelCapabilities {
    /// Vacancies, applicants and staff records.
    pub hr: bool,
    /// Financial records.
    pub finance: bool,
}

/// What the sweep did with these records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PersonnelSweep {
    pub applicants: u64,
    pub staff_id_copies: u64,
    pub staff_records: u64,
    pub financial_records: u64,
    /// Sealed files found without their row and removed.
    pub orphan_files: u64,
}

impl App {
    fn sealer(&self) -> Sealer<'_> {
        Sealer {
            key: self.keys.system(),
        }
    }

    fn personnel_rule(&self, kind: RecordKind) -> CoreResult<&RetentionRule> {
        self.policy
            .record_retention_rule(kind)
            .ok_or(CoreError::NotFound)
    }

    /// Whether the organisation keeps applicants (the policy has the category).
    #[must_use]
    pub fn keeps_applicants(&self) -> bool {
        self.policy
            .record_retention_rule(RecordKind::Applicants)
            .is_some()
    }

    /// Whether the organisation keeps staff records.
    #[must_use]
    pub fn keeps_staff_records(&self) -> bool {
        self.policy
            .record_retention_rule(RecordKind::StaffRecords)
            .is_some()
    }

    /// Whether the organisation keeps financial records.
    #[must_use]
    pub fn keeps_financial_records(&self) -> bool {
        self.policy
            .record_retention_rule(RecordKind::FinancialRecords)
            .is_some()
    }

    /// What the actor's roles reach (the menu; pages still ask the gate).
    pub fn personnel_capabilities(&self, actor: &Actor) -> CoreResult<PersonnelCapabilities> {
        let may = |object| self.capability(actor, AuditAction::Read, Target::Organisation(object));
        Ok(PersonnelCapabilities {
            hr: (self.keeps_applicants() && may(AuditObject::Applicant)?)
                || (self.keeps_staff_records() && may(AuditObject::StaffRecord)?),
            finance: self.keeps_financial_records() && may(AuditObject::FinancialRecord)?,
        })
    }

    fn file_views(&self, files: &[FileRow]) -> CoreResult<Vec<FileView>> {
        let s = self.sealer();
        files
            .iter()
            .map(|f| {
                Ok(FileView {
                    id: f.id,
                    kind: f.kind.clone(),
                    file_name: s.open("record_files", "file_name", f.id, &f.file_name_ct)?,
                    media_type: f.media_type.clone(),
                    size_bytes: f.size_bytes,
                    added_at: f.created_at,
                })
            })
            .collect()
    }

    // --- vacancies and applicants ----------------------------------------------------

    fn vacancy_view(v: &VacancyRow, applicants: u64) -> VacancyView {
        VacancyView {
            id: v.id,
            title: v.title.clone(),
            closing_on: v.closing_on,
            procedure_ended_on: v.procedure_ended_on,
            applicants,
        }
    }

    fn applicant_view(
        &self,
        a: &ApplicantRow,
        closing_on: NaiveDate,
        files: &[FileRow],
    ) -> CoreResult<ApplicantView> {
        let bounds = self.portfolio_bounds(closing_on).ok();
        let s = self.sealer();
        let t = "applicants";
        Ok(ApplicantView {
            id: a.id,
            reference: reference('S', a.id),
            vacancy_id: a.vacancy_id,
            name: s.open(t, "name", a.id, &a.name_ct)?,
            email: s.open_opt(t, "email", a.id, a.email_ct.as_deref())?,
            phone: s.open_opt(t, "phone", a.id, a.phone_ct.as_deref())?,
            applied_on: a.applied_on,
            consent_on: a.consent_on,
            portfolio_until: a.portfolio_until,
            keep_until: a.keep_until,
            portfolio_from: bounds.map(|b| b.0),
            portfolio_to: bounds.map(|b| b.1),
            files: self.file_views(files)?,
        })
    }

    /// The vacancies with how many applicants each still has: one recorded read.
    pub async fn vacancies(&self, actor: &Actor) -> CoreResult<Vec<VacancyView>> {
        self.personnel_rule(RecordKind::Applicants)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read, AuditObject::Vacancy).detail("vacancies listed"),
            )
            .await?;
        let rows = store::vacancies(&tx).await?;
        let counts = store::applicant_counts(&tx).await?;
        tx.commit().await?;
        Ok(rows
            .iter()
            .map(|v| Self::vacancy_view(v, counts.get(&v.id).copied().unwrap_or(0)))
            .collect())
    }

    /// A vacancy with its applicants: one recorded read of the applicants.
    pub async fn vacancy(&self, actor: &Actor, id: Uuid) -> CoreResult<VacancyDetail> {
        self.personnel_rule(RecordKind::Applicants)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read, AuditObject::Applicant)
                    .object_id(id)
                    .detail("applicants of a vacancy listed"),
            )
            .await?;
        let v = store::find_vacancy(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let rows = store::applicants_of(&tx, id).await?;
        let mut files = Vec::with_capacity(rows.len());
        for a in &rows {
            files.push(store::files_of(&tx, OWNER_APPLICANT, a.id).await?);
        }
        tx.commit().await?;
        let applicant_list = rows
            .iter()
            .zip(&files)
            .map(|(a, f)| self.applicant_view(a, v.closing_on, f))
            .collect::<CoreResult<Vec<_>>>()?;
        Ok(VacancyDetail {
            vacancy: Self::vacancy_view(&v, applicant_list.len() as u64),
            applicant_list,
        })
    }

    /// Registers a vacancy.
    pub async fn create_vacancy(&self, actor: &Actor, input: &VacancyInput) -> CoreResult<Uuid> {
        self.personnel_rule(RecordKind::Applicants)?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("vacancies are registered by staff".into()))?;
        first(&vacancy_problems(input))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Create, AuditObject::Vacancy)
                    .object_id(id)
                    .detail("vacancy registered"),
            )
            .await?;
        let now = self.now();
        store::insert_vacancy(
            &tx,
            &VacancyRow {
                id,
                title: input.title.trim().to_owned(),
                closing_on: input.closing_on,
                procedure_ended_on: None,
                created_by: by.as_uuid(),
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The last day of an applicant: the policy's term after the procedure ended, or the
    /// chosen portfolio day when that is later. `None` while the procedure runs.
    fn applicant_keep_until(
        rule: &RetentionRule,
        procedure_ended_on: Option<NaiveDate>,
        portfolio_until: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let regular = rule.retention_until(&RetentionFacts {
            procedure_ended_on,
            ..RetentionFacts::default()
        })?;
        Some(portfolio_until.map_or(regular, |p| p.max(regular)))
    }

    /// Records the end of a vacancy's procedure: from then on each applicant is kept for
    /// the policy's term, or until their portfolio day (RET-2). Returns how many.
    pub async fn end_vacancy_procedure(
        &self,
        actor: &Actor,
        id: Uuid,
        ended_on: NaiveDate,
    ) -> CoreResult<u64> {
        let rule = self.personnel_rule(RecordKind::Applicants)?.clone();
        let today = self.clock.today();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Update, AuditObject::Vacancy)
                    .object_id(id)
                    .detail(format!("procedure ended on {ended_on}")),
            )
            .await?;
        let v = store::find_vacancy(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        first(&procedure_end_problems(ended_on, v.closing_on, today))?;
        if !store::end_procedure(&tx, id, ended_on, self.now()).await? {
            return Err(CoreError::Conflict(
                "the procedure of this vacancy has ended already".into(),
            ));
        }
        let applicants = store::applicants_of(&tx, id).await?;
        for a in &applicants {
            let keep_until = Self::applicant_keep_until(&rule, Some(ended_on), a.portfolio_until);
            store::set_portfolio(
                &tx,
                a.id,
                a.consent_on,
                a.portfolio_until,
                keep_until,
                self.now(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(applicants.len() as u64)
    }

    /// Registers an applicant for a vacancy whose procedure runs.
    pub async fn add_applicant(
        &self,
        actor: &Actor,
        vacancy: Uuid,
        input: &ApplicantInput,
    ) -> CoreResult<Uuid> {
        self.personnel_rule(RecordKind::Applicants)?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("applicants are registered by staff".into()))?;
        first(&applicant_problems(input, self.clock.today()))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Create, AuditObject::Applicant)
                    .object_id(id)
                    .detail(format!("applicant registered for vacancy {vacancy}")),
            )
            .await?;
        let v = store::find_vacancy(&tx, vacancy)
            .await?
            .ok_or(CoreError::NotFound)?;
        if v.procedure_ended_on.is_some() {
            return Err(CoreError::Conflict(
                "the procedure of this vacancy has ended; no applicants are added".into(),
            ));
        }
        let s = self.sealer();
        let t = "applicants";
        let now = self.now();
        store::insert_applicant(
            &tx,
            &ApplicantRow {
                id,
                vacancy_id: vacancy,
                name_ct: s.seal(t, "name", id, input.name.trim()),
                email_ct: s.seal_opt(t, "email", id, blank_to_none(&input.email)),
                phone_ct: s.seal_opt(t, "phone", id, blank_to_none(&input.phone)),
                applied_on: input.applied_on,
                consent_on: None,
                portfolio_until: None,
                keep_until: None,
                created_by: by.as_uuid(),
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One applicant with their documents (a recorded read).
    pub async fn applicant(&self, actor: &Actor, id: Uuid) -> CoreResult<ApplicantView> {
        self.personnel_rule(RecordKind::Applicants)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read, AuditObject::Applicant)
                    .object_id(id)
                    .detail("applicant"),
            )
            .await?;
        let a = store::find_applicant(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let v = store::find_vacancy(&tx, a.vacancy_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let files = store::files_of(&tx, OWNER_APPLICANT, id).await?;
        tx.commit().await?;
        self.applicant_view(&a, v.closing_on, &files)
    }

    /// The range the portfolio's last day may lie in for a vacancy closing on `closing_on`:
    /// the policy's shortest and longest extension, counted from the closing day ("1 tot 3
    /// jaar na sluitingsdatum van de vacature").
    pub fn portfolio_bounds(&self, closing_on: NaiveDate) -> CoreResult<(NaiveDate, NaiveDate)> {
        let rule = self.personnel_rule(RecordKind::Applicants)?;
        match rule.extension_bounds(&RetentionFacts {
            procedure_ended_on: Some(closing_on),
            ..RetentionFacts::default()
        }) {
            Some((min, Some(max)))
                if matches!(rule.extension, zv_policy::Extension::WrittenConsent { .. }) =>
            {
                Ok((min, max))
            }
            _ => Err(CoreError::Conflict(
                "the policy keeps no applicants in portfolio".into(),
            )),
        }
    }

    /// Records the applicant's explicit written consent to be kept in portfolio until the
    /// chosen day (RET-2, RET-5). Returns the applicant's last day, when the procedure
    /// has ended.
    pub async fn record_portfolio_consent(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &PortfolioInput,
    ) -> CoreResult<Option<NaiveDate>> {
        let rule = self.personnel_rule(RecordKind::Applicants)?.clone();
        let today = self.clock.today();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Update, AuditObject::Applicant)
                    .object_id(id)
                    .detail(format!(
                        "kept in portfolio until {}, by consent",
                        input.until
                    )),
            )
            .await?;
        let a = store::find_applicant(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let v = store::find_vacancy(&tx, a.vacancy_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if a.keep_until.is_some_and(|d| d < today) {
            return Err(CoreError::Conflict(
                "the applicant's term has passed; they are destroyed on the next run".into(),
            ));
        }
        let bounds = self.portfolio_bounds(v.closing_on)?;
        first(&portfolio_problems(input, a.applied_on, bounds, today))?;
        let keep_until = Self::applicant_keep_until(&rule, v.procedure_ended_on, Some(input.until));
        store::set_portfolio(
            &tx,
            id,
            Some(input.consent_on),
            Some(input.until),
            keep_until,
            self.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(keep_until)
    }

    /// The applicant withdraws the consent (RTS-10): what rested on it stops, and they
    /// are kept only for the policy's term after the procedure ended, which may have
    /// passed already (then the next run destroys them).
    pub async fn withdraw_portfolio_consent(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> CoreResult<Option<NaiveDate>> {
        let rule = self.personnel_rule(RecordKind::Applicants)?.clone();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Update, AuditObject::Applicant)
                    .object_id(id)
                    .detail("portfolio consent withdrawn"),
            )
            .await?;
        let a = store::find_applicant(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if a.consent_on.is_none() {
            return Err(CoreError::Conflict(
                "this applicant is not kept in portfolio".into(),
            ));
        }
        let v = store::find_vacancy(&tx, a.vacancy_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let keep_until = Self::applicant_keep_until(&rule, v.procedure_ended_on, None);
        store::set_portfolio(&tx, id, None, None, keep_until, self.now()).await?;
        tx.commit().await?;
        Ok(keep_until)
    }

    // --- staff records -------------------------------------------------------------

    fn staff_view(&self, r: &StaffRow, files: &[FileRow]) -> CoreResult<StaffView> {
        let s = self.sealer();
        let t = "staff_records";
        Ok(StaffView {
            id: r.id,
            reference: reference('P', r.id),
            name: s.open(t, "name", r.id, &r.name_ct)?,
            job_title: s.open_opt(t, "job_title", r.id, r.job_title_ct.as_deref())?,
            started_on: r.started_on,
            left_on: r.left_on,
            keep_until: r.keep_until,
            id_copy_until: r.id_copy_until,
            files: self.file_views(files)?,
        })
    }

    /// Every staff record (without documents): one recorded read.
    pub async fn staff_records(&self, actor: &Actor) -> CoreResult<Vec<StaffView>> {
        self.personnel_rule(RecordKind::StaffRecords)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read, AuditObject::StaffRecord).detail("staff records listed"),
            )
            .await?;
        let rows = store::staff_records(&tx).await?;
        tx.commit().await?;
        let mut views = rows
            .iter()
            .map(|r| self.staff_view(r, &[]))
            .collect::<CoreResult<Vec<_>>>()?;
        views.sort_by_key(|v| (v.left_on.is_some(), v.started_on));
        Ok(views)
    }

    /// One staff record with its documents (a recorded read).
    pub async fn staff_record(&self, actor: &Actor, id: Uuid) -> CoreResult<StaffView> {
        self.personnel_rule(RecordKind::StaffRecords)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read, AuditObject::StaffRecord)
                    .object_id(id)
                    .detail("staff record"),
            )
            .await?;
        let r = store::find_staff(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let files = store::files_of(&tx, OWNER_STAFF, id).await?;
        tx.commit().await?;
        self.staff_view(&r, &files)
    }

    /// Registers a staff record.
    pub async fn create_staff_record(&self, actor: &Actor, input: &StaffInput) -> CoreResult<Uuid> {
        self.personnel_rule(RecordKind::StaffRecords)?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("staff records are registered by staff".into()))?;
        first(&staff_problems(input, self.clock.today()))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Create, AuditObject::StaffRecord)
                    .object_id(id)
                    .detail("staff record registered"),
            )
            .await?;
        let s = self.sealer();
        let t = "staff_records";
        let now = self.now();
        store::insert_staff(
            &tx,
            &StaffRow {
                id,
                name_ct: s.seal(t, "name", id, input.name.trim()),
                job_title_ct: s.seal_opt(t, "job_title", id, blank_to_none(&input.job_title)),
                started_on: input.started_on,
                left_on: None,
                keep_until: None,
                id_copy_until: None,
                created_by: by.as_uuid(),
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The two last days that follow from a day of leaving: the record's and the ID
    /// copy's (the record's when the policy has no separate ID-copy term).
    pub fn staff_terms(&self, left_on: NaiveDate) -> CoreResult<(NaiveDate, NaiveDate)> {
        let facts = RetentionFacts {
            employment_ended_on: Some(left_on),
            ..RetentionFacts::default()
        };
        let missing = || CoreError::Internal("the staff rules do not start at leaving".into());
        let keep_until = self
            .personnel_rule(RecordKind::StaffRecords)?
            .retention_until(&facts)
            .ok_or_else(missing)?;
        let id_copy_until = match self.policy.record_retention_rule(RecordKind::StaffIdCopies) {
            Some(r) => r.retention_until(&facts).ok_or_else(missing)?,
            None => keep_until,
        };
        Ok((keep_until, id_copy_until))
    }

    /// Records the day a staff member left: the record is kept for the policy's term
    /// after it, the copy of the identity document for its own (RET-2). Returns both
    /// last days.
    pub async fn record_leaving(
        &self,
        actor: &Actor,
        id: Uuid,
        left_on: NaiveDate,
    ) -> CoreResult<(NaiveDate, NaiveDate)> {
        let (keep_until, id_copy_until) = self.staff_terms(left_on)?;
        let today = self.clock.today();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Update, AuditObject::StaffRecord)
                    .object_id(id)
                    .detail(format!("left on {left_on}")),
            )
            .await?;
        let r = store::find_staff(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        first(&leaving_problems(left_on, r.started_on, today))?;
        if !store::record_leaving(&tx, id, left_on, keep_until, id_copy_until, self.now()).await? {
            return Err(CoreError::Conflict(
                "the day of leaving is recorded already".into(),
            ));
        }
        tx.commit().await?;
        Ok((keep_until, id_copy_until))
    }

    // --- financial records ---------------------------------------------------------

    fn financial_view(&self, r: &FinancialRow, files: &[FileRow]) -> CoreResult<FinancialView> {
        let s = self.sealer();
        let t = "financial_records";
        Ok(FinancialView {
            id: r.id,
            reference: reference('F', r.id),
            booked_on: r.booked_on,
            description: s.open(t, "description", r.id, &r.description_ct)?,
            party: s.open_opt(t, "party", r.id, r.party_ct.as_deref())?,
            amount: s.open_opt(t, "amount", r.id, r.amount_ct.as_deref())?,
            keep_until: r.keep_until,
            files: self.file_views(files)?,
        })
    }

    /// Every financial record (without documents): one recorded read.
    pub async fn financial_records(&self, actor: &Actor) -> CoreResult<Vec<FinancialView>> {
        self.personnel_rule(RecordKind::FinancialRecords)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read, AuditObject::FinancialRecord)
                    .detail("financial records listed"),
            )
            .await?;
        let rows = store::financial_records(&tx).await?;
        tx.commit().await?;
        rows.iter().map(|r| self.financial_view(r, &[])).collect()
    }

    /// One financial record with its documents (a recorded read).
    pub async fn financial_record(&self, actor: &Actor, id: Uuid) -> CoreResult<FinancialView> {
        self.personnel_rule(RecordKind::FinancialRecords)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read, AuditObject::FinancialRecord)
                    .object_id(id)
                    .detail("financial record"),
            )
            .await?;
        let r = store::find_financial(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let files = store::files_of(&tx, OWNER_FINANCIAL, id).await?;
        tx.commit().await?;
        self.financial_view(&r, &files)
    }

    /// The last day of a financial record booked on `booked_on` (RET-2: 7 years from the
    /// end of the financial year, by the policy).
    pub fn financial_keep_until(&self, booked_on: NaiveDate) -> CoreResult<NaiveDate> {
        self.personnel_rule(RecordKind::FinancialRecords)?
            .retention_until(&RetentionFacts {
                recorded_on: Some(booked_on),
                ..RetentionFacts::default()
            })
            .ok_or_else(|| {
                CoreError::Internal("the financial rule does not start at the booking".into())
            })
    }

    /// Registers a financial record, with its last day at once. Returns id and last day.
    pub async fn create_financial_record(
        &self,
        actor: &Actor,
        input: &FinancialInput,
    ) -> CoreResult<(Uuid, NaiveDate)> {
        let by = actor.user_id().ok_or_else(|| {
            CoreError::NotAllowed("financial records are registered by staff".into())
        })?;
        let keep_until = self.financial_keep_until(input.booked_on)?;
        first(&financial_problems(input, self.clock.today()))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Create, AuditObject::FinancialRecord)
                    .object_id(id)
                    .detail("financial record registered"),
            )
            .await?;
        let s = self.sealer();
        let t = "financial_records";
        store::insert_financial(
            &tx,
            &FinancialRow {
                id,
                booked_on: input.booked_on,
                description_ct: s.seal(t, "description", id, input.description.trim()),
                party_ct: s.seal_opt(t, "party", id, blank_to_none(&input.party)),
                amount_ct: s.seal_opt(t, "amount", id, blank_to_none(&input.amount)),
                keep_until,
                created_by: by.as_uuid(),
                created_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((id, keep_until))
    }

    // --- documents -----------------------------------------------------------------

    /// Adds a document to an applicant, a staff record or a financial record, sealed with
    /// the system key and written before its row commits.
    pub async fn add_record_file(
        &self,
        actor: &Actor,
        owner: Owner,
        owner_id: Uuid,
        input: &FileInput,
    ) -> CoreResult<Uuid> {
        self.personnel_rule(match owner {
            Owner::Applicant => RecordKind::Applicants,
            Owner::StaffRecord => RecordKind::StaffRecords,
            Owner::FinancialRecord => RecordKind::FinancialRecords,
        })?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("documents are added by staff".into()))?;
        let kind = input.kind.trim();
        let mut problems = Vec::new();
        if !owner.file_kinds().contains(&kind) {
            problems.push(("kind", "choose the kind of document from the list"));
        }
        let name = input.file_name.trim();
        if zv_domain::upload::file_name(name).is_err() {
            problems.push(("file", "a file name of 1 to 255 characters without slashes"));
        } else if input.bytes.is_empty() {
            problems.push(("file", "the file is empty"));
        } else if !ACCEPTED_DOCUMENT_TYPES.contains(&input.media_type.as_str()) {
            problems.push((
                "file",
                "a PDF, a JPEG or PNG image, or a Word or OpenDocument text",
            ));
        } else if !zv_domain::upload::content_matches(&input.media_type, &input.bytes) {
            problems.push(("file", "the file is not the document its type says"));
        } else if input.bytes.len() as u64 > self.settings.max_attachment_bytes {
            problems.push(("file", "the file is too large"));
        }
        first(&problems)?;
        let object = owner.object(kind);
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Create, object)
                    .object_id(owner_id)
                    .detail(format!("document added: {kind}")),
            )
            .await?;
        let today = self.clock.today();
        match owner {
            Owner::Applicant => {
                let a = store::find_applicant(&tx, owner_id)
                    .await?
                    .ok_or(CoreError::NotFound)?;
                if a.keep_until.is_some_and(|d| d < today) {
                    return Err(CoreError::Conflict(
                        "the applicant's term has passed".into(),
                    ));
                }
            }
            Owner::StaffRecord => {
                let r = store::find_staff(&tx, owner_id)
                    .await?
                    .ok_or(CoreError::NotFound)?;
                let until = if kind == FILE_ID_COPY {
                    r.id_copy_until
                } else {
                    r.keep_until
                };
                if until.is_some_and(|d| d < today) {
                    return Err(CoreError::Conflict(
                        "the term of this document has passed".into(),
                    ));
                }
            }
            Owner::FinancialRecord => {
                let r = store::find_financial(&tx, owner_id)
                    .await?
                    .ok_or(CoreError::NotFound)?;
                if r.keep_until < today {
                    return Err(CoreError::Conflict("the record's term has passed".into()));
                }
            }
        }
        let key = self.keys.system();
        let sealed = key.encrypt(
            &input.bytes,
            &zv_crypto::Aad::new("record_files", "content", id),
        );
        // The file is written before the row commits: a crash in between leaves a sealed
        // file without a row (removed by the sweep), never a row without its file.
        store::put_content(&self.store, id, &sealed).await?;
        let row = FileRow {
            id,
            owner_kind: owner.code().to_owned(),
            owner_id,
            kind: kind.to_owned(),
            file_name_ct: self.sealer().seal("record_files", "file_name", id, name),
            media_type: input.media_type.clone(),
            size_bytes: i64::try_from(input.bytes.len()).unwrap_or(i64::MAX),
            created_by: by.as_uuid(),
            created_at: self.now(),
        };
        let written = async {
            store::insert_file(&tx, &row).await?;
            tx.commit().await?;
            Ok::<_, CoreError>(())
        }
        .await;
        if let Err(e) = written {
            let _ = store::delete_content(&self.store, id).await;
            return Err(e);
        }
        Ok(id)
    }

    /// A document's content: a recorded export, decided for the kind of record (and for
    /// an ID copy, as one).
    pub async fn record_file(&self, actor: &Actor, id: Uuid) -> CoreResult<RecordFile> {
        let tx = self.store.read_tx().await?;
        let row = store::find_file(&tx, id).await?;
        tx.commit().await?;
        let row = row.ok_or(CoreError::NotFound)?;
        let owner = Owner::of(&row.owner_kind).ok_or(CoreError::NotFound)?;
        let object = owner.object(&row.kind);
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Export, object)
                    .object_id(row.owner_id)
                    .detail(format!(
                        "document downloaded: {} {}",
                        owner.table(),
                        row.kind
                    )),
            )
            .await?;
        // Read again inside the event's transaction: a document removed meanwhile is gone.
        let still = store::find_file(&tx, id).await?.is_some();
        tx.commit().await?;
        if !still {
            return Err(CoreError::NotFound);
        }
        let sealed = store::get_content(&self.store, id).await?;
        let key = self.keys.system();
        let bytes = key.decrypt(&sealed, &zv_crypto::Aad::new("record_files", "content", id))?;
        Ok(RecordFile {
            file_name: self
                .sealer()
                .open("record_files", "file_name", id, &row.file_name_ct)?,
            media_type: row.media_type,
            bytes,
        })
    }

    // --- the sweep -----------------------------------------------------------------

    /// One category's part of the sweep: the due items read again inside the
    /// transaction that opens with the run's audit event, removed with their files' rows,
    /// one line in the destruction register; the files after the commit.
    async fn sweep_category(&self, actor: &Actor, today: NaiveDate, due: Due) -> CoreResult<u64> {
        let Some(rule) = self.policy.record_retention_rule(due.kind(self)).cloned() else {
            return Ok(0);
        };
        let Some(yesterday) = today.pred_opt() else {
            return Ok(0);
        };
        let tx = self
            .authorize_write(
                actor,
                access(AuditAction::Delete, due.object())
                    .purpose(Purpose::Retention)
                    .detail(format!("{}; rule {}", due.reason(), rule.code)),
            )
            .await?;
        let items = due.due(&tx, yesterday).await?;
        let ids: Vec<Uuid> = items.iter().map(|t| t.id).collect();
        let (destroyed, n) = due.destroy(&tx, &ids, today).await?;
        if n == 0 {
            tx.rollback().await?;
            return Ok(0);
        }
        zv_store::destruction::insert_register_records(
            &tx,
            vec![NewRegisterRecord {
                at: self.now(),
                kind: due.subject(),
                subject: Uuid::now_v7(),
                rule: rule.code.clone(),
                reason: due.reason().to_owned(),
                outcome: "destroyed",
                term_ended_on: items.iter().map(|t| t.keep_until).max(),
                by_user: None,
                by_job: Some(crate::destruction::SWEEP_JOB.to_owned()),
                counts: destroyed.counts.clone(),
            }],
        )
        .await?;
        tx.commit().await?;
        for f in &destroyed.files {
            store::delete_content(&self.store, *f).await?;
        }
        Ok(n)
    }

    /// The sweep's part for these records (RET-2, RET-4, RET-6): applicants, ID copies,
    /// staff records and financial records past their last day, each removed with its
    /// documents; then sealed files left without a row by an interrupted run. A dry run
    /// counts.
    pub(crate) async fn sweep_personnel(
        &self,
        actor: &Actor,
        today: NaiveDate,
        dry_run: bool,
        settled: std::time::Duration,
    ) -> CoreResult<PersonnelSweep> {
        let mut out = PersonnelSweep::default();
        let Some(yesterday) = today.pred_opt() else {
            return Ok(out);
        };
        if dry_run {
            let tx = self.store.read_tx().await?;
            if self.keeps_applicants() {
                out.applicants = store::applicants_until(&tx, yesterday).await?.len() as u64;
            }
            if self.keeps_staff_records() {
                out.staff_records = store::staff_until(&tx, yesterday).await?.len() as u64;
                out.staff_id_copies = store::id_copies_until(&tx, yesterday).await?.len() as u64;
            }
            if self.keeps_financial_records() {
                out.financial_records = store::financial_until(&tx, yesterday).await?.len() as u64;
            }
            tx.commit().await?;
        } else {
            // Nothing due, no event: the run reads first, as the other parts do.
            for due in [Due::Applicants, Due::IdCopies, Due::Staff, Due::Financial] {
                if !due.kept(self) {
                    continue;
                }
                let tx = self.store.read_tx().await?;
                let any = !due.due(&tx, yesterday).await?.is_empty();
                tx.commit().await?;
                if !any {
                    continue;
                }
                let n = self.sweep_category(actor, today, due).await?;
                match due {
                    Due::Applicants => out.applicants = n,
                    Due::IdCopies => out.staff_id_copies = n,
                    Due::Staff => out.staff_records = n,
                    Due::Financial => out.financial_records = n,
                }
            }
        }
        let files = store::list_contents(&self.store, settled).await?;
        let tx = self.store.read_tx().await?;
        let rows = store::existing_files(&tx, &files).await?;
        tx.commit().await?;
        for id in files.into_iter().filter(|id| !rows.contains(id)) {
            if !dry_run {
                store::delete_content(&self.store, id).await?;
            }
            out.orphan_files += 1;
        }
        Ok(out)
    }

    /// The destruction schedule's lines for these records (RET-6): by reference only.
    pub(crate) async fn personnel_record_lines(
        &self,
        tx: &zv_store::Tx,
        until: NaiveDate,
    ) -> CoreResult<Vec<crate::retention::schedule::RecordLine>> {
        let rule_of = |kind| {
            self.policy
                .record_retention_rule(kind)
                .map(|r| r.code.clone())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        let mut push = |category: &'static str, prefix: char, rule: &str, t: store::Term| {
            out.push(crate::retention::schedule::RecordLine {
                category,
                subject: t.id,
                label: reference(prefix, t.id),
                team: String::new(),
                rule: rule.to_owned(),
                retention_until: t.keep_until,
                items: 1,
            });
        };
        if self.keeps_applicants() {
            let rule = rule_of(RecordKind::Applicants);
            for t in store::applicants_until(tx, until).await? {
                push("applicant", 'S', &rule, t);
            }
        }
        if self.keeps_staff_records() {
            let rule = rule_of(RecordKind::StaffRecords);
            let copy_rule = self
                .policy
                .record_retention_rule(RecordKind::StaffIdCopies)
                .map_or_else(|| rule.clone(), |r| r.code.clone());
            for t in store::id_copies_until(tx, until).await? {
                push("staff_id_copy", 'P', &copy_rule, t);
            }
            for t in store::staff_until(tx, until).await? {
                push("staff_record", 'P', &rule, t);
            }
        }
        if self.keeps_financial_records() {
            let rule = rule_of(RecordKind::FinancialRecords);
            for t in store::financial_until(tx, until).await? {
                push("financial_record", 'F', &rule, t);
            }
        }
        Ok(out)
    }
}

/// A minimal PDF, for the demo's documents.
const DEMO_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

impl App {
    /// The demo's HR and finance records (RET-2), where the policy keeps them: a vacancy
    /// whose procedure ended with two applicants, one kept in portfolio with consent; two
    /// staff records, one who left; a few financial records.
    pub(crate) async fn demo_personnel(&self) -> CoreResult<()> {
        let today = self.clock.today();
        let back = |days: u64| {
            today
                .checked_sub_days(chrono::Days::new(days))
                .unwrap_or(today)
        };
        let pdf = |kind: &str, name: &str| FileInput {
            kind: kind.to_owned(),
            file_name: name.to_owned(),
            media_type: "application/pdf".to_owned(),
            bytes: DEMO_PDF.to_vec(),
        };
        if self.keeps_applicants() || self.keeps_staff_records() {
            let hr = self.staff_actor("personeelszaken", "demo").await?;
            if self.keeps_applicants() {
                let closing = back(20);
                let vacancy = self
                    .create_vacancy(
                        &hr,
                        &VacancyInput {
                            title: "Ambulant hulpverlener (32 uur)".into(),
                            closing_on: closing,
                        },
                    )
                    .await?;
                let mut people = Vec::new();
                for (name, email, days) in [
                    ("Noor Visser", "noor.visser@example.nl", 30),
                    ("Daan Mulder", "daan.mulder@example.nl", 25),
                ] {
                    let a = self
                        .add_applicant(
                            &hr,
                            vacancy,
                            &ApplicantInput {
                                name: name.into(),
                                email: email.into(),
                                phone: String::new(),
                                applied_on: back(days),
                            },
                        )
                        .await?;
                    self.add_record_file(&hr, Owner::Applicant, a, &pdf("cv", "cv.pdf"))
                        .await?;
                    self.add_record_file(&hr, Owner::Applicant, a, &pdf("letter", "brief.pdf"))
                        .await?;
                    people.push(a);
                }
                let (min, _) = self.portfolio_bounds(closing)?;
                self.record_portfolio_consent(
                    &hr,
                    people[0],
                    &PortfolioInput {
                        consent_on: back(5),
                        until: min,
                    },
                )
                .await?;
                self.end_vacancy_procedure(&hr, vacancy, back(5)).await?;
            }
            if self.keeps_staff_records() {
                for (name, title, started, left) in [
                    ("Fleur de Boer", "Hulpverlener", 2_000, None),
                    ("Ruud Smit", "Groepsleider", 3_000, Some(400)),
                ] {
                    let r = self
                        .create_staff_record(
                            &hr,
                            &StaffInput {
                                name: name.into(),
                                job_title: title.into(),
                                started_on: back(started),
                            },
                        )
                        .await?;
                    self.add_record_file(&hr, Owner::StaffRecord, r, &pdf(FILE_ID_COPY, "id.pdf"))
                        .await?;
                    if let Some(days) = left {
                        self.record_leaving(&hr, r, back(days)).await?;
                    }
                }
            }
        }
        if self.keeps_financial_records() {
            let finance = self.staff_actor("financien", "demo").await?;
            for (days, description, party, amount) in [
                (40, "Declaratie reiskosten", "Fleur de Boer", "48,60"),
                (
                    400,
                    "Factuur schoonmaak locatie",
                    "Schoonmaakbedrijf Helder B.V.",
                    "1.250,00",
                ),
                (
                    800,
                    "Subsidie gemeente, tweede termijn",
                    "Gemeente",
                    "25.000,00",
                ),
            ] {
                self.create_financial_record(
                    &finance,
                    &FinancialInput {
                        booked_on: back(days),
                        description: description.into(),
                        party: party.into(),
                        amount: amount.into(),
                    },
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// The categories the sweep removes, in order: applicants, ID copies (before their
/// record, which may go the same day), staff records, financial records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    Applicants,
    IdCopies,
    Staff,
    Financial,
}

impl Due {
    fn kept(self, app: &App) -> bool {
        match self {
            Self::Applicants => app.keeps_applicants(),
            Self::IdCopies | Self::Staff => app.keeps_staff_records(),
            Self::Financial => app.keeps_financial_records(),
        }
    }

    /// The rule's kind: an ID copy under its own rule where the policy has one.
    fn kind(self, app: &App) -> RecordKind {
        match self {
            Self::Applicants => RecordKind::Applicants,
            Self::IdCopies
                if app
                    .policy
                    .record_retention_rule(RecordKind::StaffIdCopies)
                    .is_some() =>
            {
                RecordKind::StaffIdCopies
            }
            Self::IdCopies | Self::Staff => RecordKind::StaffRecords,
            Self::Financial => RecordKind::FinancialRecords,
        }
    }

    const fn object(self) -> AuditObject {
        match self {
            Self::Applicants => AuditObject::Applicant,
            Self::IdCopies => AuditObject::StaffIdCopy,
            Self::Staff => AuditObject::StaffRecord,
            Self::Financial => AuditObject::FinancialRecord,
        }
    }

    const fn subject(self) -> SubjectKind {
        match self {
            Self::Applicants => SubjectKind::Applicant,
            Self::IdCopies => SubjectKind::StaffIdCopy,
            Self::Staff => SubjectKind::StaffRecord,
            Self::Financial => SubjectKind::FinancialRecord,
        }
    }

    const fn reason(self) -> &'static str {
        match self {
            Self::Applicants => "applicants with their CV and letter past their term",
            Self::IdCopies => "copies of identity documents of staff past their term",
            Self::Staff => "staff records with their documents past their term",
            Self::Financial => "financial records with their documents past their term",
        }
    }

    async fn due(self, tx: &zv_store::Tx, until: NaiveDate) -> CoreResult<Vec<store::Term>> {
        Ok(match self {
            Self::Applicants => store::applicants_until(tx, until).await?,
            Self::IdCopies => store::id_copies_until(tx, until).await?,
            Self::Staff => store::staff_until(tx, until).await?,
            Self::Financial => store::financial_until(tx, until).await?,
        })
    }

    /// Removes the due items; the count is of records (files for ID copies).
    async fn destroy(
        self,
        tx: &zv_store::Tx,
        ids: &[Uuid],
        today: NaiveDate,
    ) -> CoreResult<(store::Destroyed, u64)> {
        let (d, table) = match self {
            Self::Applicants => (
                store::destroy_applicants(tx, ids, today).await?,
                "applicants",
            ),
            Self::IdCopies => (
                store::destroy_id_copies(tx, ids, today).await?,
                "record_files",
            ),
            Self::Staff => (store::destroy_staff(tx, ids, today).await?, "staff_records"),
            Self::Financial => (
                store::destroy_financial(tx, ids, today).await?,
                "financial_records",
            ),
        };
        let n = d.records(table);
        Ok((d, n))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn blijf() -> zv_policy::Policy {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/blijfgroep.toml");
        zv_policy::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    // promise: RET-2
    #[test]
    fn the_id_copy_goes_at_the_end_of_the_fifth_year_after_leaving() {
        let p = blijf();
        let ids = p.record_retention_rule(RecordKind::StaffIdCopies).unwrap();
        let staff = p.record_retention_rule(RecordKind::StaffRecords).unwrap();
        let left = |d| RetentionFacts {
            employment_ended_on: Some(day(d)),
            ..RetentionFacts::default()
        };
        assert_eq!(
            ids.retention_until(&left("2020-12-15")),
            Some(day("2025-12-31"))
        );
        assert_eq!(
            ids.retention_until(&left("2021-01-02")),
            Some(day("2026-12-31"))
        );
        assert_eq!(
            staff.retention_until(&left("2020-12-15")),
            Some(day("2027-12-15"))
        );
        assert_eq!(
            staff.retention_until(&left("2021-01-02")),
            Some(day("2028-01-02"))
        );
    }

    // promise: RET-2
    #[test]
    fn applicants_go_two_months_after_the_procedure_or_at_their_portfolio_day() {
        let p = blijf();
        let rule = p.record_retention_rule(RecordKind::Applicants).unwrap();
        assert_eq!(App::applicant_keep_until(rule, None, None), None);
        assert_eq!(
            App::applicant_keep_until(rule, Some(day("2026-03-15")), None),
            Some(day("2026-05-15"))
        );
        assert_eq!(
            App::applicant_keep_until(rule, Some(day("2026-03-15")), Some(day("2027-06-01"))),
            Some(day("2027-06-01"))
        );
        // The portfolio bounds count from the closing day.
        let bounds = rule
            .extension_bounds(&RetentionFacts {
                procedure_ended_on: Some(day("2026-02-28")),
                ..RetentionFacts::default()
            })
            .unwrap();
        assert_eq!(bounds, (day("2027-02-28"), Some(day("2029-02-28"))));
        let ok = PortfolioInput {
            consent_on: day("2026-03-01"),
            until: day("2028-02-28"),
        };
        let b = (bounds.0, bounds.1.unwrap());
        assert!(portfolio_problems(&ok, day("2026-02-01"), b, day("2026-03-02")).is_empty());
        let bad = PortfolioInput {
            consent_on: day("2026-03-03"),
            until: day("2029-03-01"),
        };
        let fields: Vec<_> = portfolio_problems(&bad, day("2026-02-01"), b, day("2026-03-02"))
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(fields, ["consent_on", "until"]);
    }

    #[test]
    fn every_field_is_checked_on_its_own() {
        let today = day("2026-11-20");
        let bad = ApplicantInput {
            name: "X".into(),
            email: "geen".into(),
            phone: "abc".into(),
            applied_on: day("2026-11-21"),
        };
        let fields: Vec<_> = applicant_problems(&bad, today)
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(fields, ["name", "email", "phone", "applied_on"]);
        let fin = FinancialInput {
            booked_on: day("2026-11-21"),
            description: String::new(),
            party: "a".repeat(201),
            amount: "twaalf".into(),
        };
        let fields: Vec<_> = financial_problems(&fin, today)
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(fields, ["booked_on", "description", "party", "amount"]);
        for ok in ["1.250,00", "12,5", "-30", "€ 99.95", "1250"] {
            assert!(amount_ok(ok), "{ok}");
        }
        assert!(!amount_ok("1,2,3"));
    }

    #[test]
    fn the_reference_names_no_content() {
        let id = uuid::Uuid::now_v7();
        let r = reference('S', id);
        assert_eq!(r.len(), 10);
        assert!(r.starts_with("S-"));
    }
}
