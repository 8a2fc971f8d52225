//! Withholding parts of the dossier from the client (POR-2): the worker on the case keeps
//! an entry as a whole, or an exact passage of its text, from the client's online
//! dossier, on a stated ground (data about others such as family members; protection of
//! others; prevention of crimes), with an explanation the client does not see. Where
//! even the fact of withholding would endanger someone, the client sees nothing of it at
//! all. The privacy officer reviews every withholding; the worker lifts it, with a reason.
//!
//! [`client_version`] is the one place that turns a dossier into what its client may
//! see: the online dossier uses it, and the access copy of a rights request (RTS-4) is
//! to use it too, so the two can never differ. It is a pure function of the entries and
//! the withholdings in force, and fails closed: a withheld passage that no longer occurs
//! in the entry's text (the entry was edited since) withholds the whole entry.
//!
//! Writes pass the gate like every other (decided by `access/por2_withholding.cedar`,
//! audited in the write's transaction); passages, explanations, reasons and notes are
//! sealed with the client's key.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{
    AuditAction, AuditObject, ClientId, EntryId, EntryKind, SpecialCategory, TrajectoryId, UserId,
};
use zv_store::withholdings::WithholdingRow;

use crate::access::Target;
use crate::app::App;
use crate::entries::{AttachmentMeta, EntryView, entry_view};
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::trajectories::TrajectorySummary;

const T: &str = "withholdings";

/// The shortest passage that may be withheld: shorter ones would match all over a text.
pub const PASSAGE_MIN_CHARS: usize = 3;
const PASSAGE_MAX_CHARS: usize = 5_000;
const EXPLANATION_MIN_CHARS: usize = 10;
const TEXT_MAX_CHARS: usize = 2_000;

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
pub(crate) use code_enum;

code_enum!(
    /// The ground a part of the dossier is withheld on (POR-2; the statements' words).
    Ground {
        /// Data about others, such as family members.
        OthersData = "others_data",
        /// To protect others.
        ProtectionOfOthers = "protection_of_others",
        /// To prevent crimes.
        PreventionOfCrime = "prevention_of_crime",
        /// Safety: a meldcode step shielded by the worker who recorded it (MLD-1).
        Safety = "safety",
    }
);

code_enum!(
    /// What is withheld: an entry as a whole (its attachments with it), or one passage of
    /// its text wherever it occurs.
    Scope {
        Entry = "entry",
        Passage = "passage",
    }
);

code_enum!(
    /// The privacy officer's finding on a withholding.
    ReviewOutcome {
        /// The withholding is right.
        Agree = "agree",
        /// The worker is asked to lift it (the note says why).
        AskToLift = "ask_to_lift",
    }
);

/// What the worker asks to withhold.
#[derive(Clone)]
pub struct NewWithholding {
    pub scope: Scope,
    /// The exact passage, for [`Scope::Passage`]; as typed or copied from the entry.
    pub passage: Option<String>,
    pub ground: Ground,
    /// Why, for the staff and the privacy officer; the client never sees it.
    pub explanation: String,
    /// Even the fact of withholding would endanger someone: the client sees nothing.
    pub hide_fact: bool,
}

impl std::fmt::Debug for NewWithholding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "NewWithholding({}, {}, ***)",
            self.scope.code(),
            self.ground.code()
        )
    }
}

/// The privacy officer's review as recorded.
#[derive(Clone, Serialize)]
pub struct ReviewView {
    pub outcome: ReviewOutcome,
    pub note: Option<String>,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// A withholding as staff see it: everything, including what the client does not.
#[derive(Clone, Serialize)]
pub struct WithholdingView {
    pub id: Uuid,
    pub client: ClientId,
    pub trajectory: TrajectoryId,
    pub entry: EntryId,
    pub scope: Scope,
    pub passage: Option<String>,
    pub ground: Ground,
    pub explanation: String,
    pub hide_fact: bool,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lifted_by: Option<UserId>,
    pub lift_reason: Option<String>,
    pub review: Option<ReviewView>,
    /// For a passage in force, read with its entry: whether the passage still occurs in
    /// the entry's text. If not, the client sees the entry withheld as a whole.
    pub passage_found: Option<bool>,
}

impl std::fmt::Debug for WithholdingView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "WithholdingView({}, {}, ***)",
            self.id,
            self.scope.code()
        )
    }
}

/// A withholding the privacy officer still has to look at, without content.
#[derive(Debug, Clone, Serialize)]
pub struct OpenWithholding {
    pub id: Uuid,
    pub client: ClientId,
    pub trajectory: TrajectoryId,
    pub entry: EntryId,
    pub scope: Scope,
    pub ground: Ground,
    pub hide_fact: bool,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    /// Reviewed before, with "ask to lift", and still in force.
    pub asked_to_lift_at: Option<DateTime<Utc>>,
}

/// An entry with its withholdings, for the page on which the worker withholds.
#[derive(Clone)]
pub struct EntryWithholdings {
    pub trajectory: TrajectorySummary,
    pub entry: EntryView,
    /// Lifted ones too, oldest first.
    pub withholdings: Vec<WithholdingView>,
    /// The reader may withhold and lift here.
    pub may_withhold: bool,
}

// ---------------------------------------------------------------------------------------
// What the client sees

/// A piece of text as the client sees it.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TextPart {
    Text {
        text: String,
    },
    /// A withheld passage, shown as a marker that names its ground.
    Withheld {
        ground: Ground,
    },
}

/// Text with withheld passages taken out: either replaced by a marker naming the ground,
/// or (where even that would endanger someone) left out without a trace.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClientText {
    pub parts: Vec<TextPart>,
}

impl std::fmt::Debug for ClientText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClientText({} parts, ***)", self.parts.len())
    }
}

impl ClientText {
    fn plain(text: &str) -> Self {
        let mut t = Self::default();
        t.push_text(text);
        t
    }

    fn push_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(TextPart::Text { text: last }) = self.parts.last_mut() {
            last.push_str(text);
        } else {
            self.parts.push(TextPart::Text {
                text: text.to_owned(),
            });
        }
    }

    fn push_withheld(&mut self, ground: Ground) {
        if self.parts.last() != Some(&TextPart::Withheld { ground }) {
            self.parts.push(TextPart::Withheld { ground });
        }
    }

    /// The text with each withheld passage written as `marker(ground)`.
    #[must_use]
    pub fn render(&self, marker: impl Fn(Ground) -> String) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                TextPart::Text { text } => out.push_str(text),
                TextPart::Withheld { ground } => out.push_str(&marker(*ground)),
            }
        }
        out
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// A progress update of a goal as the client sees it.
#[derive(Clone, Serialize)]
pub struct ClientProgress {
    pub progress: u8,
    pub note: ClientText,
    pub author: UserId,
    pub at: DateTime<Utc>,
}

/// An entry the client sees, with any withheld passages taken out of its text.
#[derive(Clone, Serialize)]
pub struct ClientEntryView {
    pub id: EntryId,
    pub kind: EntryKind,
    pub special_category: Option<SpecialCategory>,
    pub necessity: Option<ClientText>,
    pub title: ClientText,
    pub body: ClientText,
    pub progress: Option<u8>,
    pub version: i32,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub progress_updates: Vec<ClientProgress>,
    pub attachments: Vec<AttachmentMeta>,
}

impl std::fmt::Debug for ClientEntryView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClientEntryView({}, {}, ***)", self.id, self.kind)
    }
}

/// An entry withheld as a whole, where the client may know that it was: its kind, its
/// date and the ground, nothing of its content or attachments.
#[derive(Debug, Clone, Serialize)]
pub struct WithheldNotice {
    pub id: EntryId,
    pub kind: EntryKind,
    pub created_at: DateTime<Utc>,
    pub ground: Ground,
}

/// One entry of the client's version of a dossier.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "shown", rename_all = "snake_case")]
pub enum ClientEntry {
    Entry(ClientEntryView),
    Withheld(WithheldNotice),
}

/// What was withheld and why, as an answer to the client lists it (RTS-4): nothing the
/// worker recorded as too dangerous even to mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WithheldItem {
    pub entry: EntryId,
    pub scope: Scope,
    pub ground: Ground,
}

/// A dossier's entries as their client may see them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClientVersion {
    pub entries: Vec<ClientEntry>,
    pub withheld: Vec<WithheldItem>,
}

/// A withholding in force, opened: what [`client_version`] needs.
#[derive(Clone)]
pub struct ActiveWithholding {
    pub id: Uuid,
    pub entry: EntryId,
    pub scope: Scope,
    pub passage: Option<String>,
    pub ground: Ground,
    pub hide_fact: bool,
}

impl std::fmt::Debug for ActiveWithholding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ActiveWithholding({}, {}, ***)",
            self.id,
            self.scope.code()
        )
    }
}

/// Line endings as a browser sends a text area (CRLF) and as a page shows it (LF) are the
/// same text; passages are matched on LF.
fn normalised(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Every text of an entry the client could read.
fn texts_of(entry: &EntryView) -> impl Iterator<Item = &str> {
    [entry.title.as_str(), entry.body.as_str()]
        .into_iter()
        .chain(entry.necessity.as_deref())
        .chain(entry.progress_updates.iter().map(|p| p.note.as_str()))
}

/// Whether a passage occurs in any text of the entry the client could read.
#[must_use]
pub fn passage_occurs(entry: &EntryView, passage: &str) -> bool {
    let passage = normalised(passage);
    !passage.is_empty() && texts_of(entry).any(|t| normalised(t).contains(passage.as_ref()))
}

/// One text with the passages withheld from it. Each passage's occurrences are found left
/// to right; where passages overlap, the earlier withholding names the ground.
fn redact(text: &str, passages: &[&ActiveWithholding]) -> ClientText {
    let text = normalised(text);
    if passages.is_empty() {
        return ClientText::plain(&text);
    }
    // Which withholding (by index) covers each byte; occurrences start and end on
    // character boundaries, so every run below does too.
    let mut cover: Vec<Option<usize>> = vec![None; text.len()];
    for (i, w) in passages.iter().enumerate() {
        let Some(p) = w.passage.as_deref().map(normalised) else {
            continue;
        };
        if p.is_empty() {
            continue;
        }
        for (start, found) in text.match_indices(p.as_ref()) {
            for c in &mut cover[start..start + found.len()] {
                c.get_or_insert(i);
            }
        }
    }
    let mut out = ClientText::default();
    let mut start = 0;
    while start < text.len() {
        let label = cover[start];
        let mut end = start;
        while end < text.len() && cover[end] == label {
            end += 1;
        }
        match label.map(|i| passages[i]) {
            None => out.push_text(&text[start..end]),
            Some(w) if w.hide_fact => {}
            Some(w) => out.push_withheld(w.ground),
        }
        start = end;
    }
    out
}

/// The client's version of a dossier's entries under the withholdings in force (POR-2):
/// an entry withheld as a whole is left out, or shown as a notice with its ground; a
/// passage is taken out of every text of its entry, replaced by a marker with its ground
/// or (hide-fact) by nothing. Fails closed: a passage no longer found in its entry's text
/// withholds the entry as a whole, with that withholding's ground and hide-fact.
#[must_use]
pub fn client_version(
    entries: Vec<EntryView>,
    withholdings: &[ActiveWithholding],
) -> ClientVersion {
    let mut out = ClientVersion::default();
    for e in entries {
        let mine: Vec<&ActiveWithholding> =
            withholdings.iter().filter(|w| w.entry == e.id).collect();
        let lost = mine.iter().copied().filter(|w| {
            w.scope == Scope::Passage
                && !w.passage.as_deref().is_some_and(|p| passage_occurs(&e, p))
        });
        let whole: Vec<&ActiveWithholding> = mine
            .iter()
            .copied()
            .filter(|w| w.scope == Scope::Entry)
            .chain(lost)
            .collect();
        if !whole.is_empty() {
            // The fact is told if any of them may be told; the first such names the ground.
            if let Some(told) = whole.iter().find(|w| !w.hide_fact) {
                out.withheld.push(WithheldItem {
                    entry: e.id,
                    scope: Scope::Entry,
                    ground: told.ground,
                });
                out.entries.push(ClientEntry::Withheld(WithheldNotice {
                    id: e.id,
                    kind: e.kind,
                    created_at: e.created_at,
                    ground: told.ground,
                }));
            }
            continue;
        }
        let passages: Vec<&ActiveWithholding> = mine;
        for w in passages.iter().filter(|w| !w.hide_fact) {
            out.withheld.push(WithheldItem {
                entry: e.id,
                scope: Scope::Passage,
                ground: w.ground,
            });
        }
        out.entries.push(ClientEntry::Entry(ClientEntryView {
            id: e.id,
            kind: e.kind,
            special_category: e.special_category,
            necessity: e.necessity.as_deref().map(|n| redact(n, &passages)),
            title: redact(&e.title, &passages),
            body: redact(&e.body, &passages),
            progress: e.progress,
            version: e.version,
            created_by: e.created_by,
            created_at: e.created_at,
            updated_at: e.updated_at,
            progress_updates: e
                .progress_updates
                .iter()
                .map(|p| ClientProgress {
                    progress: p.progress,
                    note: redact(&p.note, &passages),
                    author: p.author,
                    at: p.at,
                })
                .collect(),
            attachments: e.attachments,
        }));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Validation

fn ground_of(code: &str) -> CoreResult<Ground> {
    Ground::from_code(code).ok_or_else(|| CoreError::Internal("stored ground unreadable".into()))
}

fn scope_of(code: &str) -> CoreResult<Scope> {
    Scope::from_code(code).ok_or_else(|| CoreError::Internal("stored scope unreadable".into()))
}

/// A free text of at least `min` and at most [`TEXT_MAX_CHARS`] characters.
fn text_field(field: &'static str, text: &str, min: usize) -> CoreResult<String> {
    let text = text.trim();
    let n = text.chars().count();
    if n < min {
        return Err(CoreError::invalid(
            field,
            format!("state it in at least {min} characters"),
        ));
    }
    if n > TEXT_MAX_CHARS {
        return Err(CoreError::invalid(
            field,
            format!("the field is longer than {TEXT_MAX_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// Checks what the worker asks to withhold, before anything is read: the passage given
/// exactly when a passage is withheld, long enough to mean something, an explanation.
fn checked(input: &NewWithholding) -> CoreResult<(Option<String>, String)> {
    let passage = match (input.scope, input.passage.as_deref().map(str::trim)) {
        (Scope::Passage, None | Some("")) => {
            return Err(CoreError::invalid(
                "passage",
                "mark the passage to withhold: copy it exactly from the entry",
            ));
        }
        (Scope::Passage, Some(p)) => {
            let n = p.chars().count();
            if n < PASSAGE_MIN_CHARS {
                return Err(CoreError::invalid(
                    "passage",
                    format!("a passage is at least {PASSAGE_MIN_CHARS} characters"),
                ));
            }
            if n > PASSAGE_MAX_CHARS {
                return Err(CoreError::invalid(
                    "passage",
                    format!("a passage is at most {PASSAGE_MAX_CHARS} characters"),
                ));
            }
            Some(normalised(p).into_owned())
        }
        (Scope::Entry, None | Some("")) => None,
        (Scope::Entry, Some(_)) => {
            return Err(CoreError::invalid(
                "passage",
                "a passage is given only when withholding a passage, not the whole entry",
            ));
        }
    };
    let explanation = text_field("explanation", &input.explanation, EXPLANATION_MIN_CHARS)?;
    Ok((passage, explanation))
}

// ---------------------------------------------------------------------------------------
// Opening stored withholdings

/// Opens the withholdings in force for [`client_version`] (lifted ones are skipped).
pub(crate) fn open_active(
    key: &zv_crypto::DataKey,
    rows: &[WithholdingRow],
) -> CoreResult<Vec<ActiveWithholding>> {
    let s = Sealer { key };
    rows.iter()
        .filter(|r| r.lifted_at.is_none())
        .map(|r| {
            Ok(ActiveWithholding {
                id: r.id,
                entry: r.entry_id,
                scope: scope_of(&r.scope)?,
                passage: s.open_opt(T, "passage", r.id, r.passage_ct.as_deref())?,
                ground: ground_of(&r.ground)?,
                hide_fact: r.hide_fact,
            })
        })
        .collect()
}

/// Opens withholdings for staff. With the entries they concern, a passage in force says
/// whether it is still found; a withholding on an entry not among them (one the reader
/// may not see, such as a special-category entry in a quality review) is left out.
pub(crate) fn views(
    key: &zv_crypto::DataKey,
    rows: &[WithholdingRow],
    entries: Option<&[EntryView]>,
) -> CoreResult<Vec<WithholdingView>> {
    let s = Sealer { key };
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let entry = entries.map(|es| es.iter().find(|e| e.id == r.entry_id));
        if matches!(entry, Some(None)) {
            continue;
        }
        let passage = s.open_opt(T, "passage", r.id, r.passage_ct.as_deref())?;
        let passage_found = match (&passage, entry.flatten(), r.lifted_at) {
            (Some(p), Some(e), None) => Some(passage_occurs(e, p)),
            _ => None,
        };
        let review = match (&r.review_outcome, r.reviewed_by, r.reviewed_at) {
            (Some(o), Some(by), Some(at)) => Some(ReviewView {
                outcome: ReviewOutcome::from_code(o)
                    .ok_or_else(|| CoreError::Internal("stored review unreadable".into()))?,
                note: s.open_opt(T, "review_note", r.id, r.review_note_ct.as_deref())?,
                by,
                at,
            }),
            _ => None,
        };
        out.push(WithholdingView {
            id: r.id,
            client: r.client_id,
            trajectory: r.trajectory_id,
            entry: r.entry_id,
            scope: scope_of(&r.scope)?,
            passage,
            ground: ground_of(&r.ground)?,
            explanation: s.open(T, "explanation", r.id, &r.explanation_ct)?,
            hide_fact: r.hide_fact,
            created_by: r.created_by,
            created_at: r.created_at,
            lifted_at: r.lifted_at,
            lifted_by: r.lifted_by,
            lift_reason: s.open_opt(T, "lift_reason", r.id, r.lift_reason_ct.as_deref())?,
            review,
            passage_found,
        });
    }
    Ok(out)
}

/// The refusal recorded when a client reaches for what was withheld from them as a whole
/// (an attachment of such an entry): not one of the Cedar rules, which decide that the
/// data is the client's own, but the withholding in force.
pub(crate) fn withheld_from_client() -> crate::access::Decision {
    crate::access::Decision {
        allowed: false,
        ..crate::access::Decision::recorded("por2-withheld-from-client")
    }
}

// ---------------------------------------------------------------------------------------
// Use cases

impl App {
    fn withholding_author(actor: &Actor) -> CoreResult<UserId> {
        actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("withholdings are kept by staff".into()))
    }

    /// The access a write on a withholding of this entry is decided as.
    fn withholding_access(
        action: AuditAction,
        client: ClientId,
        trajectory: TrajectoryId,
        id: Uuid,
    ) -> Access {
        Access::new(action, AuditObject::Withholding, Some(client))
            .in_trajectory(trajectory)
            .target(Target::Withholding)
            .object_id(id)
    }

    /// An entry with all its withholdings, for the page on which the worker withholds
    /// parts of it: a recorded read of the entry.
    pub async fn entry_withholdings(
        &self,
        actor: &Actor,
        entry: EntryId,
    ) -> CoreResult<EntryWithholdings> {
        let (meta, _, target) = self.entry_meta(entry).await?;
        let read = Access::new(AuditAction::Read, AuditObject::Entry, Some(meta.client_id))
            .in_trajectory(meta.id)
            .target(target)
            .object_id(entry)
            .detail("withholdings");
        let standing = self.standing(actor, &read).await?;
        let may_withhold = Self::permitted_on(
            actor,
            &standing,
            &[(AuditAction::Create, Target::Withholding)],
        )?[0];
        let auth = self.authorize_read_on(actor, read, &standing).await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::entries::get(&tx, &auth, entry)
            .await?
            .ok_or(CoreError::NotFound)?;
        let progress = zv_store::entries::progress_of_entry(&tx, &auth, entry).await?;
        let attachments = zv_store::attachments::list_of_entry(&tx, &auth, entry).await?;
        let rows = zv_store::withholdings::of_entry(&tx, &auth, entry).await?;
        tx.commit().await?;
        let view = entry_view(&key, &row, &progress, &attachments)?;
        let withholdings = views(&key, &rows, Some(std::slice::from_ref(&view)))?;
        Ok(EntryWithholdings {
            trajectory: TrajectorySummary::from(&meta),
            entry: view,
            withholdings,
            may_withhold,
        })
    }

    /// Withholds an entry, or a passage of it, from the client (POR-2). A passage must
    /// occur in the entry's text as it is now. Returns the withholding's id.
    pub async fn withhold(
        &self,
        actor: &Actor,
        entry: EntryId,
        input: NewWithholding,
    ) -> CoreResult<Uuid> {
        let author = Self::withholding_author(actor)?;
        let (passage, explanation) = checked(&input)?;
        let (meta, _, target) = self.entry_meta(entry).await?;
        let id = Uuid::now_v7();
        let write = Self::withholding_access(AuditAction::Create, meta.client_id, meta.id, id)
            .detail(format!(
                "entry={entry} scope={} ground={} hide_fact={}",
                input.scope.code(),
                input.ground.code(),
                input.hide_fact
            ));
        // Decided before the entry is read for the check below, so that someone who may
        // not withhold reads nothing here.
        let decision = self.decide(actor, &write).await?;
        if !decision.allowed {
            return Err(self.refuse(actor, &write, decision).await);
        }
        if let Some(p) = &passage {
            let auth = self
                .authorize_read(
                    actor,
                    Access::new(AuditAction::Read, AuditObject::Entry, Some(meta.client_id))
                        .in_trajectory(meta.id)
                        .target(target)
                        .object_id(entry)
                        .detail("withholding"),
                )
                .await?;
            let tx = self.store.read_tx().await?;
            let key = self.keys.client_key(&tx, &auth).await?;
            let row = zv_store::entries::get(&tx, &auth, entry)
                .await?
                .ok_or(CoreError::NotFound)?;
            let progress = zv_store::entries::progress_of_entry(&tx, &auth, entry).await?;
            tx.commit().await?;
            let view = entry_view(&key, &row, &progress, &[])?;
            if !passage_occurs(&view, p) {
                return Err(CoreError::invalid(
                    "passage",
                    "the passage does not occur in the entry's text as it is now",
                ));
            }
        }
        let tx = self.authorize_write(actor, write).await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        let s = Sealer { key: &key };
        zv_store::withholdings::insert(
            &tx,
            &WithholdingRow {
                id,
                client_id: meta.client_id,
                trajectory_id: meta.id,
                entry_id: entry,
                scope: input.scope.code().to_owned(),
                passage_ct: passage.as_deref().map(|p| s.seal(T, "passage", id, p)),
                ground: input.ground.code().to_owned(),
                explanation_ct: s.seal(T, "explanation", id, &explanation),
                hide_fact: input.hide_fact,
                created_by: author,
                created_at: self.now(),
                lifted_at: None,
                lifted_by: None,
                lift_reason_ct: None,
                reviewed_at: None,
                reviewed_by: None,
                review_outcome: None,
                review_note_ct: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Lifts a withholding, with a reason: the client sees the part again.
    pub async fn lift_withholding(&self, actor: &Actor, id: Uuid, reason: &str) -> CoreResult<()> {
        let by = Self::withholding_author(actor)?;
        let reason = text_field("reason", reason, EXPLANATION_MIN_CHARS)?;
        let tx0 = self.store.read_tx().await?;
        let found = zv_store::withholdings::meta(&tx0, id).await?;
        tx0.commit().await?;
        let w = found.ok_or(CoreError::NotFound)?;
        let tx = self
            .authorize_write(
                actor,
                Self::withholding_access(AuditAction::Update, w.client_id, w.trajectory_id, id)
                    .detail("lifted"),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, w.client_id).await?;
        let sealed = Sealer { key: &key }.seal(T, "lift_reason", id, &reason);
        if !zv_store::withholdings::lift(&tx, id, by, self.now(), sealed).await? {
            return Err(CoreError::Conflict(
                "this withholding has already been lifted".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The withholdings in force on a trajectory, as its reader sees them: a recorded read
    /// of the dossier; special-category entries only for a reader who sees those.
    pub async fn trajectory_withholdings(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
    ) -> CoreResult<Vec<WithholdingView>> {
        let meta = self.trajectory_meta(trajectory).await?;
        let read = Access::new(
            AuditAction::Read,
            AuditObject::Trajectory,
            Some(meta.client_id),
        )
        .in_trajectory(trajectory)
        .team(meta.team_code.clone())
        .object_id(trajectory)
        .detail("withholdings");
        let standing = self.standing(actor, &read).await?;
        let sees_special = Self::permitted_on(
            actor,
            &standing,
            &[(
                AuditAction::Read,
                Target::Entry {
                    special_category: true,
                },
            )],
        )?[0];
        let auth = self.authorize_read_on(actor, read, &standing).await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let rows = zv_store::withholdings::active_of_trajectory(&tx, &auth, trajectory).await?;
        let entries = zv_store::entries::list_of_trajectory(&tx, &auth, trajectory).await?;
        let progress = zv_store::entries::progress_of_trajectory(&tx, &auth, trajectory).await?;
        tx.commit().await?;
        let shown = entries
            .iter()
            .filter(|r| sees_special || r.special_category.is_none())
            .filter(|r| rows.iter().any(|w| w.entry_id == r.id))
            .map(|r| entry_view(&key, r, &progress, &[]))
            .collect::<CoreResult<Vec<_>>>()?;
        views(&key, &rows, Some(shown.as_slice()))
    }

    /// The withholdings the privacy officer still has to look at (POR-2): not reviewed
    /// yet, or asked to be lifted and still in force. Reading the list is recorded.
    pub async fn withholdings_to_review(&self, actor: &Actor) -> CoreResult<Vec<OpenWithholding>> {
        let tx = self
            .authorize_organisation_write(
                actor,
                Access::new(AuditAction::Read, AuditObject::Withholding, None)
                    .target(Target::WithholdingReview)
                    .detail("open withholdings"),
            )
            .await?;
        let rows = zv_store::withholdings::open_for_review(&tx, 500).await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(OpenWithholding {
                    id: r.id,
                    client: r.client_id,
                    trajectory: r.trajectory_id,
                    entry: r.entry_id,
                    scope: scope_of(&r.scope)?,
                    ground: ground_of(&r.ground)?,
                    hide_fact: r.hide_fact,
                    created_by: r.created_by,
                    created_at: r.created_at,
                    asked_to_lift_at: r.reviewed_at.filter(|_| {
                        r.review_outcome.as_deref() == Some(ReviewOutcome::AskToLift.code())
                    }),
                })
            })
            .collect()
    }

    /// One withholding with its passage and explanation, for the privacy officer's
    /// review: a recorded read of the client's data.
    pub async fn withholding_for_review(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> CoreResult<WithholdingView> {
        let tx0 = self.store.read_tx().await?;
        let found = zv_store::withholdings::meta(&tx0, id).await?;
        tx0.commit().await?;
        let w = found.ok_or(CoreError::NotFound)?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(
                    AuditAction::Read,
                    AuditObject::Withholding,
                    Some(w.client_id),
                )
                .in_trajectory(w.trajectory_id)
                .target(Target::WithholdingReview)
                .object_id(id),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::withholdings::get(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        views(&key, std::slice::from_ref(&row), None)?
            .pop()
            .ok_or(CoreError::NotFound)
    }

    /// The privacy officer records a review: agreement, or a request to lift it with a
    /// note saying why.
    pub async fn review_withholding(
        &self,
        actor: &Actor,
        id: Uuid,
        outcome: ReviewOutcome,
        note: &str,
    ) -> CoreResult<()> {
        let by = Self::withholding_author(actor)?;
        let note = match outcome {
            ReviewOutcome::AskToLift => Some(text_field("note", note, EXPLANATION_MIN_CHARS)?),
            ReviewOutcome::Agree if note.trim().is_empty() => None,
            ReviewOutcome::Agree => Some(text_field("note", note, 1)?),
        };
        let tx0 = self.store.read_tx().await?;
        let found = zv_store::withholdings::meta(&tx0, id).await?;
        tx0.commit().await?;
        let w = found.ok_or(CoreError::NotFound)?;
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::Withholding,
                    Some(w.client_id),
                )
                .in_trajectory(w.trajectory_id)
                .target(Target::WithholdingReview)
                .object_id(id)
                .detail(format!("review={}", outcome.code())),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, w.client_id).await?;
        let sealed = note
            .as_deref()
            .map(|n| Sealer { key: &key }.seal(T, "review_note", id, n));
        if !zv_store::withholdings::record_review(&tx, id, by, self.now(), outcome.code(), sealed)
            .await?
        {
            return Err(CoreError::Conflict(
                "this withholding was lifted or has already been reviewed".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Standing, rules};
    use crate::entries::ProgressView;
    use crate::gate::StaffActor;
    use zv_domain::Role;

    fn entry(title: &str, body: &str, notes: &[&str]) -> EntryView {
        EntryView {
            id: EntryId::new(),
            kind: EntryKind::ConversationReport,
            special_category: None,
            necessity: None,
            title: title.to_owned(),
            body: body.to_owned(),
            progress: None,
            version: 1,
            created_by: UserId::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            progress_updates: notes
                .iter()
                .map(|n| ProgressView {
                    progress: 10,
                    note: (*n).to_owned(),
                    author: UserId::new(),
                    at: Utc::now(),
                })
                .collect(),
            attachments: vec![AttachmentMeta {
                id: zv_domain::AttachmentId::new(),
                filename: "brief.pdf".into(),
                media_type: "application/pdf".into(),
                size_bytes: 10,
            }],
        }
    }

    fn passage(e: &EntryView, p: &str, ground: Ground, hide_fact: bool) -> ActiveWithholding {
        ActiveWithholding {
            id: Uuid::now_v7(),
            entry: e.id,
            scope: Scope::Passage,
            passage: Some(p.to_owned()),
            ground,
            hide_fact,
        }
    }

    fn whole(e: &EntryView, ground: Ground, hide_fact: bool) -> ActiveWithholding {
        ActiveWithholding {
            id: Uuid::now_v7(),
            entry: e.id,
            scope: Scope::Entry,
            passage: None,
            ground,
            hide_fact,
        }
    }

    fn marker(g: Ground) -> String {
        format!("[{}]", g.code())
    }

    fn shown(v: &ClientVersion, i: usize) -> &ClientEntryView {
        match &v.entries[i] {
            ClientEntry::Entry(e) => e,
            ClientEntry::Withheld(_) => panic!("entry {i} is withheld"),
        }
    }

    // promise: POR-2
    #[test]
    fn a_passage_is_replaced_by_its_ground_everywhere_it_occurs() {
        let e = entry(
            "Gesprek met moeder",
            "Moeder vertelde dat de broer drinkt. Later: de broer drinkt weer.",
            &["Broer: de broer drinkt"],
        );
        let w = passage(&e, "de broer drinkt", Ground::OthersData, false);
        let v = client_version(vec![e.clone()], &[w]);
        let seen = shown(&v, 0);
        assert_eq!(
            seen.body.render(marker),
            "Moeder vertelde dat [others_data]. Later: [others_data] weer."
        );
        assert_eq!(
            seen.progress_updates[0].note.render(marker),
            "Broer: [others_data]"
        );
        assert_eq!(seen.title.render(marker), "Gesprek met moeder");
        assert_eq!(
            seen.attachments.len(),
            1,
            "a passage does not take attachments"
        );
        assert_eq!(
            v.withheld,
            vec![WithheldItem {
                entry: e.id,
                scope: Scope::Passage,
                ground: Ground::OthersData
            }]
        );
    }

    // promise: POR-2
    #[test]
    fn a_hidden_passage_leaves_no_trace() {
        let e = entry(
            "Verslag",
            "Het adres van vader is Dorpsstraat 1. Verder goed.",
            &[],
        );
        let w = passage(
            &e,
            " Het adres van vader is Dorpsstraat 1.",
            Ground::ProtectionOfOthers,
            true,
        );
        // Trimmed when stored: the passage as marked.
        let w = ActiveWithholding {
            passage: w.passage.map(|p| p.trim().to_owned()),
            ..w
        };
        let v = client_version(vec![e], &[w]);
        let body = shown(&v, 0).body.render(marker);
        assert_eq!(body, " Verder goed.");
        assert!(!body.contains("Dorpsstraat"));
        assert!(v.withheld.is_empty(), "not even listed");
        assert_eq!(
            shown(&v, 0).body.parts.len(),
            1,
            "the text around it joins up"
        );
    }

    // promise: POR-2
    #[test]
    fn a_whole_entry_is_a_notice_or_nothing() {
        let told = entry("Melding", "Inhoud", &[]);
        let hidden = entry("Geheim", "Inhoud", &[]);
        let v = client_version(
            vec![told.clone(), hidden.clone()],
            &[
                whole(&told, Ground::PreventionOfCrime, false),
                whole(&hidden, Ground::ProtectionOfOthers, true),
            ],
        );
        assert_eq!(v.entries.len(), 1);
        match &v.entries[0] {
            ClientEntry::Withheld(n) => {
                assert_eq!(n.id, told.id);
                assert_eq!(n.ground, Ground::PreventionOfCrime);
            }
            ClientEntry::Entry(_) => panic!("shown"),
        }
        assert_eq!(v.withheld.len(), 1);
    }

    // promise: POR-2
    #[test]
    fn a_passage_no_longer_found_withholds_the_whole_entry() {
        let e = entry("Verslag", "De tekst is inmiddels herschreven.", &[]);
        let w = passage(&e, "oude zin over de buurman", Ground::OthersData, false);
        let v = client_version(vec![e.clone()], std::slice::from_ref(&w));
        assert!(
            matches!(&v.entries[0], ClientEntry::Withheld(n) if n.ground == Ground::OthersData)
        );
        let hidden = ActiveWithholding {
            hide_fact: true,
            ..w
        };
        assert!(client_version(vec![e], &[hidden]).entries.is_empty());
    }

    #[test]
    fn line_endings_do_not_stop_a_match_and_overlaps_join() {
        let e = entry("T", "eerste regel\r\ntweede regel en meer", &[]);
        assert!(passage_occurs(&e, "regel\ntweede"));
        assert!(passage_occurs(&e, "regel\r\ntweede"));
        assert!(!passage_occurs(&e, "Regel"), "exact, case and all");
        let a = passage(&e, "regel\ntweede", Ground::OthersData, false);
        let b = passage(&e, "tweede regel", Ground::OthersData, false);
        let v = client_version(vec![e], &[a, b]);
        assert_eq!(
            shown(&v, 0).body.render(marker),
            "eerste [others_data] en meer"
        );
        assert_eq!(v.withheld.len(), 2);
    }

    #[test]
    fn other_entries_are_untouched() {
        let a = entry("A", "de broer drinkt", &[]);
        let b = entry("B", "de broer drinkt", &[]);
        let v = client_version(
            vec![a.clone(), b],
            &[passage(&a, "de broer drinkt", Ground::OthersData, false)],
        );
        assert_eq!(shown(&v, 1).body.render(marker), "de broer drinkt");
    }

    #[test]
    fn what_may_be_withheld_is_checked_field_by_field() {
        let input = |scope, passage: Option<&str>, explanation: &str| NewWithholding {
            scope,
            passage: passage.map(str::to_owned),
            ground: Ground::OthersData,
            explanation: explanation.to_owned(),
            hide_fact: false,
        };
        let field = |r: CoreResult<(Option<String>, String)>| match r {
            Err(CoreError::Invalid { field, .. }) => field,
            other => panic!("{:?}", other.map(|_| ())),
        };
        let why = "Gaat over de broer van cliënt";
        assert_eq!(field(checked(&input(Scope::Passage, None, why))), "passage");
        assert_eq!(
            field(checked(&input(Scope::Passage, Some("  "), why))),
            "passage"
        );
        assert_eq!(
            field(checked(&input(Scope::Passage, Some("ab"), why))),
            "passage"
        );
        assert_eq!(
            field(checked(&input(Scope::Entry, Some("iets"), why))),
            "passage"
        );
        assert_eq!(
            field(checked(&input(Scope::Passage, Some("de broer"), "kort"))),
            "explanation"
        );
        let (p, e) = checked(&input(Scope::Passage, Some(" de broer\r\ndrinkt "), why)).unwrap();
        assert_eq!(p.as_deref(), Some("de broer\ndrinkt"));
        assert_eq!(e, why);
        assert!(
            checked(&input(Scope::Entry, None, why))
                .unwrap()
                .0
                .is_none()
        );
    }

    fn staff(role: Role) -> Actor {
        Actor::Staff(StaffActor {
            user_id: UserId::new(),
            display_name: "t".into(),
            roles: vec![role],
            teams: vec![],
            confidentiality_signed: true,
            disabled: false,
            access_point: "test".into(),
        })
    }

    fn allowed(actor: &Actor, action: AuditAction, target: Target, s: Standing) -> bool {
        rules()
            .unwrap()
            .decide(actor, action, target, &s)
            .unwrap()
            .allowed
    }

    // promise: POR-2
    #[test]
    fn only_the_worker_on_the_case_withholds_and_only_the_privacy_officer_reviews() {
        let assigned = Standing {
            assigned: true,
            ..Standing::default()
        };
        let worker = staff(Role::Caseworker);
        for action in [AuditAction::Create, AuditAction::Update] {
            assert!(allowed(&worker, action, Target::Withholding, assigned));
            assert!(!allowed(
                &worker,
                action,
                Target::Withholding,
                Standing::default()
            ));
            for grant in [
                Standing {
                    emergency: true,
                    ..Standing::default()
                },
                Standing {
                    substitute_for: Some(UserId::new()),
                    ..Standing::default()
                },
                Standing {
                    complaint: true,
                    ..Standing::default()
                },
            ] {
                for role in [Role::Caseworker, Role::Manager, Role::Administrator] {
                    assert!(
                        !allowed(&staff(role), action, Target::Withholding, grant),
                        "{role:?} {action:?} under a grant"
                    );
                }
            }
        }
        let officer = staff(Role::PrivacyOfficer);
        assert!(!allowed(
            &officer,
            AuditAction::Create,
            Target::Withholding,
            Standing::default()
        ));
        for action in [AuditAction::Read, AuditAction::Create] {
            assert!(allowed(
                &officer,
                action,
                Target::WithholdingReview,
                Standing::default()
            ));
            assert!(
                !allowed(&worker, action, Target::WithholdingReview, assigned),
                "a worker does not review their own withholding"
            );
        }
        let d = rules()
            .unwrap()
            .decide(
                &officer,
                AuditAction::Read,
                Target::WithholdingReview,
                &Standing::default(),
            )
            .unwrap();
        assert_eq!(d.rule_ids, vec!["por2-privacy-officer-reviews"]);
    }

    fn portal() -> Actor {
        Actor::Portal(crate::portal::PortalActor {
            account_id: zv_domain::PortalAccountId::new(),
            client_id: Some(ClientId::new()),
            access_point: "test".into(),
        })
    }

    // promise: POR-2
    // promise: POR-4
    #[test]
    fn a_client_files_requests_but_never_reads_a_withholding() {
        let own = Standing {
            own_data: true,
            ..Standing::default()
        };
        let client = portal();
        for action in AuditAction::ALL {
            assert!(!allowed(&client, *action, Target::Withholding, own));
            assert!(!allowed(&client, *action, Target::WithholdingReview, own));
        }
        for action in [AuditAction::Create, AuditAction::Read] {
            assert!(allowed(&client, action, Target::Request, own));
            assert!(!allowed(
                &client,
                action,
                Target::Request,
                Standing::default()
            ));
        }
        let officer = staff(Role::PrivacyOfficer);
        assert!(allowed(
            &officer,
            AuditAction::Read,
            Target::Request,
            Standing::default()
        ));
        let everything = Standing {
            assigned: true,
            complaint: true,
            emergency: true,
            ..Standing::default()
        };
        for role in [
            Role::Caseworker,
            Role::Manager,
            Role::TeamLead,
            Role::Administrator,
        ] {
            assert!(!allowed(
                &staff(role),
                AuditAction::Read,
                Target::Request,
                everything
            ));
        }
    }
}
