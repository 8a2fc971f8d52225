//! PDF documents rendered with typst as a library (ARCHITECTURE "PDF"; decision 0016):
//! the access copy of a rights request (RTS-4, TRN-1) and the decision letter that
//! answers one. The templates are compiled into the binary; the data goes in as one
//! virtual JSON file that the template reads with typst's `json()`, so text from a
//! dossier is never interpreted as markup and nothing is escaped by hand.
//!
//! This crate knows nothing of the database, keys or the gate: its inputs are plain serde
//! structs that the core fills with what the client may see. The access copy's struct is
//! also the machine-readable copy itself (its JSON is documented in
//! `docs/access-copy.md`), so the PDF and the JSON are two renderings of one value and
//! cannot say different things.
//!
//! Errors never carry document content: a compile error names the template's diagnostic
//! only (the templates are ours; a diagnostic points into them, not into the data).

mod breach_notice;
mod complaint_letter;
mod destruction_register;
mod disclosure;
mod disclosure_notice;
mod municipality_report;
mod portability;
mod processing_register;
mod statement;
mod world;

use std::io::Write;

use serde::{Deserialize, Serialize};
use typst_layout::PagedDocument;

use world::DocumentWorld;

pub use breach_notice::{BreachNotice, render_breach_notice};
pub use complaint_letter::{ComplaintDecision, ComplaintLetter, render_complaint_letter};
pub use destruction_register::{
    DestructionRegister, RegisterLine as DestructionRegisterLine, render_destruction_register,
};
pub use disclosure::{
    DISCLOSURE_SCHEMA, DisclosureEntry, DisclosureGoal, DisclosurePackage, DisclosureRecipient,
    DisclosureSender, DisclosureSubject, DisclosureSummary, disclosure_json, render_disclosure,
};
pub use disclosure_notice::{DisclosureNotice, NoticeItem, render_disclosure_notice};
pub use municipality_report::{
    BarChart, MunicipalityReportDoc, ReportTable, bar_chart_svg, municipality_report_csv,
    render_municipality_report,
};
pub use portability::{
    PORTABILITY_SCHEMA, Portability, PortabilityController, PortabilityGoal, PortabilityRecipient,
    PortabilityRequest, PortabilitySubject, PortabilityTrajectory, portability_json,
};
pub use processing_register::{
    ActivityDoc, CategoryDoc, ProcessingRegisterDoc, processing_register_csv,
    render_processing_register,
};
pub use statement::{StatementDoc, StatementSection, render_statement};

/// The `schema` of the machine-readable access copy; bumped on any change that is not a
/// pure addition (docs/access-copy.md).
pub const ACCESS_COPY_SCHEMA: &str = "zorgvuldig.access-copy/1";

const ACCESS_COPY_TEMPLATE: &str = include_str!("../templates/access_copy.typ");
const DECISION_LETTER_TEMPLATE: &str = include_str!("../templates/decision_letter.typ");

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The template did not compile or the PDF could not be written: a bug in a template,
    /// never the reader's fault.
    #[error("document {document}: {message}")]
    Render {
        document: &'static str,
        message: String,
    },
    #[error("document data: {0}")]
    Data(#[from] serde_json::Error),
    #[error("bundle: {0}")]
    Bundle(String),
}

pub type Result<T> = std::result::Result<T, DocumentError>;

/// The language of a letter. Dutch is the default (the organisations are Dutch).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }
}

// ---------------------------------------------------------------------------------------
// The access copy (RTS-4, TRN-1)

/// Everything an access copy holds: the machine-readable copy as serialized, and what the
/// PDF shows. Codes (entry kinds, grounds, legal bases) stay codes here; the PDF names
/// them in Dutch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessCopy {
    /// Always [`ACCESS_COPY_SCHEMA`].
    pub schema: String,
    pub organisation: CopyOrganisation,
    pub request: CopyRequest,
    pub subject: Subject,
    pub trajectories: Vec<CopyTrajectory>,
    /// What was withheld and on what ground (RTS-4), except what the caseworker recorded
    /// as too dangerous even to mention.
    pub withheld: Vec<WithheldPart>,
    /// Why and on what basis the data is processed, and how long it is kept.
    pub processing: Vec<Processing>,
    /// Who received data, as far as recorded.
    pub recipients: Vec<Recipient>,
    /// What registers beside the dossier hold about the client: consents given and
    /// withdrawn, complaints (SHR-1, CMP-1). Absent in copies made before they existed.
    #[serde(default)]
    pub other_records: Vec<OtherRecord>,
    /// Where the data came from.
    pub sources: Vec<String>,
    /// The rights of the data subject, one line each.
    pub rights: Vec<String>,
    pub supervisory_authority: Authority,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyOrganisation {
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub website: String,
    pub privacy_officer: Contact,
    /// How to complain to the organisation itself.
    pub complaints: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyRequest {
    pub reference: String,
    /// `access` or `copy`.
    pub kind: String,
    /// ISO dates (YYYY-MM-DD).
    pub received_on: String,
    pub prepared_on: String,
    /// Which copy this is for the client: the first is free.
    pub copy_number: u32,
}

/// The personal data of the client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subject {
    pub id: String,
    pub name: String,
    pub birth_date: String,
    /// `None` where the address is left out (a confidential address in a copy that
    /// someone other than the client asked for).
    pub address: Option<String>,
    /// The BSN, masked, where one is recorded.
    pub bsn: Option<String>,
    /// Further recorded fields, label and value.
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyTrajectory {
    pub id: String,
    /// The service's code and its name.
    pub service: String,
    pub service_name: String,
    pub team: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub entries: Vec<CopyEntry>,
    /// Personal work notes the privacy officer released into this copy.
    pub work_notes: Vec<ReleasedNote>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyEntry {
    pub id: String,
    /// `goal`, `conversation_report`, `plan_document`, `third_party_report`,
    /// `email_summary`, `meldcode`.
    pub kind: String,
    /// When it was written (ISO date-time, UTC).
    pub created_at: String,
    pub author: String,
    /// A withheld passage reads as [`WITHHELD_MARKER`] followed by its ground.
    pub title: String,
    pub body: String,
    pub special_category: Option<String>,
    pub necessity: Option<String>,
    pub progress: Option<u8>,
    pub progress_updates: Vec<CopyProgress>,
    pub attachments: Vec<CopyAttachment>,
}

/// What replaces a withheld passage in a text, with its ground code after it:
/// `[weggelaten: others_data]`.
pub const WITHHELD_MARKER: &str = "[weggelaten: ";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyProgress {
    pub at: String,
    pub author: String,
    pub progress: u8,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyAttachment {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    /// Where the file is inside the download (`bijlagen/...`).
    pub file: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReleasedNote {
    pub id: String,
    pub author: String,
    pub created_at: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WithheldPart {
    pub trajectory: String,
    pub entry: String,
    /// `entry` (a whole entry) or `passage`.
    pub scope: String,
    /// `others_data`, `protection_of_others`, `prevention_of_crime`, `safety`.
    pub ground: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Processing {
    pub trajectory: String,
    /// The purpose: the service given.
    pub purpose: String,
    /// `consent`, `contract`, `legal_obligation`, `public_task`, `legitimate_interest`.
    pub legal_basis: String,
    /// The retention term, in words, and from when it counts.
    pub retention: String,
    pub retention_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recipient {
    pub who: String,
    pub what: String,
}

/// One record about the client outside the dossier, in words.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherRecord {
    /// `consent` or `complaint`.
    pub register: String,
    /// ISO date it was given or received.
    pub on: String,
    /// What it says, in Dutch.
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Authority {
    pub name: String,
    pub website: String,
    pub phone: String,
    pub postal_address: String,
}

fn compile_pdf(document: &'static str, template: &str, data: Vec<u8>) -> Result<Vec<u8>> {
    let render = |message: String| DocumentError::Render { document, message };
    let world = DocumentWorld::new(&format!("/{document}.typ"), template, data).map_err(render)?;
    let compiled = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|diags| {
            render(
                diags
                    .iter()
                    .map(|d| d.message.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
    let pdf = typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default()).map_err(|diags| {
        render(
            diags
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    // Typst memoizes across compilations; documents are one-off, so the cache would only
    // grow with each client's data.
    typst::comemo::evict(0);
    Ok(pdf)
}

/// How much dossier text one PDF of an access copy holds, in characters, counting a fixed
/// allowance per item for its heading and lines. Typst keeps a whole document's layout in
/// memory while it compiles: one PDF of 5,000 entries (issue 5's measure) took close to a
/// gigabyte. A larger dossier therefore comes in parts of about this size, each compiled
/// and its memory released before the next (decision 0021).
pub const VOLUME_TEXT_BUDGET: usize = 120_000;
const ITEM_ALLOWANCE: usize = 300;

/// The access copy as readable PDFs, in Dutch, with their file names in reading order:
/// `kopie.pdf`, or for a dossier too large for one file `kopie-deel-01.pdf`,
/// `kopie-deel-02.pdf`, and so on. The first part opens with the personal data and the
/// last closes with what was withheld, the processing, the recipients and the rights.
pub fn render_access_copy(copy: &AccessCopy) -> Result<Vec<(String, Vec<u8>)>> {
    let mut parts = Vec::new();
    render_access_copy_each(copy, |name, pdf| {
        parts.push((name.to_owned(), pdf));
        Ok(())
    })?;
    Ok(parts)
}

/// The access copy's PDFs as [`render_access_copy`] makes them, each handed to `sink`
/// as soon as it is compiled: a caller that writes each part away at once (into a
/// [`BundleWriter`]) never holds more than one part in memory.
pub fn render_access_copy_each(
    copy: &AccessCopy,
    sink: impl FnMut(&str, Vec<u8>) -> Result<()>,
) -> Result<()> {
    render_access_copy_in_parts(copy, VOLUME_TEXT_BUDGET, sink)
}

fn render_access_copy_in_parts(
    copy: &AccessCopy,
    budget: usize,
    mut sink: impl FnMut(&str, Vec<u8>) -> Result<()>,
) -> Result<()> {
    let plan = plan_volumes(copy, budget);
    let names = volume_names(plan.len());
    for (i, (pieces, name)) in plan.iter().zip(&names).enumerate() {
        let data = VolumeData {
            organisation: &copy.organisation,
            request: &copy.request,
            subject: &copy.subject,
            trajectories: pieces.iter().map(|p| p.of(copy)).collect(),
            withheld: &copy.withheld,
            processing: &copy.processing,
            recipients: &copy.recipients,
            sources: &copy.sources,
            rights: &copy.rights,
            supervisory_authority: &copy.supervisory_authority,
            volume: Volume {
                number: i + 1,
                of: plan.len(),
                files: &names,
            },
        };
        let pdf = compile_pdf(
            "access_copy",
            ACCESS_COPY_TEMPLATE,
            serde_json::to_vec(&data)?,
        )?;
        sink(name, pdf)?;
    }
    Ok(())
}

fn volume_names(parts: usize) -> Vec<String> {
    if parts <= 1 {
        vec!["kopie.pdf".to_owned()]
    } else {
        (1..=parts)
            .map(|n| format!("kopie-deel-{n:02}.pdf"))
            .collect()
    }
}

/// One trajectory's share of one part: its entries in `entries`, its released work notes
/// only in the part with its last entry, and whether it began in an earlier part.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    trajectory: usize,
    entries: std::ops::Range<usize>,
    continued: bool,
    notes: bool,
}

impl Piece {
    fn of<'a>(&self, copy: &'a AccessCopy) -> VolumeTrajectory<'a> {
        let t = &copy.trajectories[self.trajectory];
        VolumeTrajectory {
            service_name: &t.service_name,
            team: &t.team,
            opened_on: &t.opened_on,
            closed_on: t.closed_on.as_deref(),
            continued: self.continued,
            entries: &t.entries[self.entries.clone()],
            work_notes: if self.notes { &t.work_notes } else { &[] },
        }
    }
}

fn entry_weight(e: &CopyEntry) -> usize {
    ITEM_ALLOWANCE
        + e.title.len()
        + e.body.len()
        + e.necessity.as_ref().map_or(0, String::len)
        + e.progress_updates
            .iter()
            .map(|p| ITEM_ALLOWANCE / 3 + p.note.len())
            .sum::<usize>()
        + e.attachments.len() * (ITEM_ALLOWANCE / 3)
}

/// Splits the dossier into parts of at most `budget` weight, in reading order. A part
/// always takes at least one entry, so an entry larger than the budget gets a part of its
/// own; there is always at least one part.
fn plan_volumes(copy: &AccessCopy, budget: usize) -> Vec<Vec<Piece>> {
    let mut volumes: Vec<Vec<Piece>> = vec![Vec::new()];
    let mut weight = 0usize;
    for (ti, t) in copy.trajectories.iter().enumerate() {
        let mut start = 0;
        let mut continued = false;
        for (ei, e) in t.entries.iter().enumerate() {
            let w = entry_weight(e);
            if weight > 0 && weight + w > budget {
                if ei > start {
                    if let Some(v) = volumes.last_mut() {
                        v.push(Piece {
                            trajectory: ti,
                            entries: start..ei,
                            continued,
                            notes: false,
                        });
                    }
                    continued = true;
                    start = ei;
                }
                volumes.push(Vec::new());
                weight = 0;
            }
            weight += w;
        }
        weight += t
            .work_notes
            .iter()
            .map(|n| ITEM_ALLOWANCE + n.body.len())
            .sum::<usize>();
        if let Some(v) = volumes.last_mut() {
            v.push(Piece {
                trajectory: ti,
                entries: start..t.entries.len(),
                continued,
                notes: true,
            });
        }
    }
    volumes
}

/// What one part's template reads: the copy with only this part's share of the dossier.
#[derive(Serialize)]
struct VolumeData<'a> {
    organisation: &'a CopyOrganisation,
    request: &'a CopyRequest,
    subject: &'a Subject,
    trajectories: Vec<VolumeTrajectory<'a>>,
    withheld: &'a [WithheldPart],
    processing: &'a [Processing],
    recipients: &'a [Recipient],
    sources: &'a [String],
    rights: &'a [String],
    supervisory_authority: &'a Authority,
    volume: Volume<'a>,
}

#[derive(Serialize)]
struct VolumeTrajectory<'a> {
    service_name: &'a str,
    team: &'a str,
    opened_on: &'a str,
    closed_on: Option<&'a str>,
    continued: bool,
    entries: &'a [CopyEntry],
    work_notes: &'a [ReleasedNote],
}

#[derive(Serialize)]
struct Volume<'a> {
    number: usize,
    of: usize,
    files: &'a [String],
}

/// The access copy as the machine-readable JSON file.
pub fn access_copy_json(copy: &AccessCopy) -> Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(copy)?)
}

/// The access copy's JSON file written straight into `out`, without a copy of it in
/// memory first.
pub fn write_access_copy_json(copy: &AccessCopy, out: &mut impl Write) -> Result<()> {
    Ok(serde_json::to_writer_pretty(out, copy)?)
}

// ---------------------------------------------------------------------------------------
// Decision letters

/// How a request was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Granted,
    PartiallyGranted,
    Refused,
}

/// A letter that answers a rights request: the reference, the outcome with its reasons,
/// and the right to complain to the Autoriteit Persoonsgegevens and to go to court.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionLetter {
    pub organisation: CopyOrganisation,
    pub recipient_name: String,
    /// The recipient's address, where the letter is posted; `None` for a letter handed
    /// over in the portal.
    pub recipient_address: Option<String>,
    /// When a parent or legal representative filed the request: the client it was filed
    /// for, printed under the recipient ("namens" / "on behalf of"). The letter is then
    /// addressed to the filer, who asked.
    #[serde(default)]
    pub on_behalf_of: Option<String>,
    /// ISO date of the letter.
    pub date: String,
    pub reference: String,
    /// The right invoked: `access`, `copy`, `rectification`, `erasure`, `restriction`,
    /// `portability`, `objection`, `withdrawal_of_consent`.
    pub request_kind: String,
    pub received_on: String,
    pub outcome: Outcome,
    /// Why, one paragraph each (for a refusal or partial grant at least one).
    pub reasons: Vec<String>,
    pub supervisory_authority: Authority,
}

#[derive(Serialize)]
struct LetterData<'a> {
    lang: Language,
    #[serde(flatten)]
    letter: &'a DecisionLetter,
}

/// The decision letter as a PDF in the given language.
pub fn render_decision_letter(letter: &DecisionLetter, language: Language) -> Result<Vec<u8>> {
    compile_pdf(
        "decision_letter",
        DECISION_LETTER_TEMPLATE,
        serde_json::to_vec(&LetterData {
            lang: language,
            letter,
        })?,
    )
}

// ---------------------------------------------------------------------------------------
// The download

/// Files in one ZIP archive, in the order given: one download for the PDF, the JSON and
/// the attachments. JSON and text are deflated; files that are compressed already (PDF,
/// images) are stored as they are.
pub fn bundle(files: &[(String, &[u8])]) -> Result<Vec<u8>> {
    let mut w = BundleWriter::new();
    for (name, bytes) in files {
        w.add(name, bytes)?;
    }
    w.finish()
}

/// A ZIP archive written one file at a time: a file added is compressed into the archive
/// at once, so the caller can drop it before making the next. Text is deflated; PDFs and
/// other binary files are stored as they are (they are compressed already).
pub struct BundleWriter {
    zip: zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
}

impl std::fmt::Debug for BundleWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BundleWriter(***)")
    }
}

impl Default for BundleWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl BundleWriter {
    #[must_use]
    pub fn new() -> Self {
        Self {
            zip: zip::ZipWriter::new(std::io::Cursor::new(Vec::new())),
        }
    }

    /// Adds a file with its bytes.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.add_with(name, bytes.len() >= 0xFFFF_FFFF, |w| {
            w.write_all(bytes)
                .map_err(|e| DocumentError::Bundle(e.to_string()))
        })
    }

    /// Adds a file whose bytes `write` produces into the archive directly; `large`
    /// when it may reach 4 GiB.
    pub fn add_with(
        &mut self,
        name: &str,
        large: bool,
        write: impl FnOnce(&mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>) -> Result<()>,
    ) -> Result<()> {
        use zip::CompressionMethod;
        use zip::write::SimpleFileOptions;
        let lower = name.to_ascii_lowercase();
        let method = if [".json", ".txt", ".csv", ".xml", ".html"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        self.zip
            .start_file(
                name,
                SimpleFileOptions::default()
                    .compression_method(method)
                    .large_file(large),
            )
            .map_err(|e| DocumentError::Bundle(e.to_string()))?;
        write(&mut self.zip)
    }

    /// The finished archive.
    pub fn finish(self) -> Result<Vec<u8>> {
        Ok(self
            .zip
            .finish()
            .map_err(|e| DocumentError::Bundle(e.to_string()))?
            .into_inner())
    }
}

/// A file name safe inside an archive: no directories, no control characters, not empty.
#[must_use]
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "bestand".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests;
