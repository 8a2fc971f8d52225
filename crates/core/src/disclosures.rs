//! Disclosures (SHR-1..4): personal data leaves the organisation only to an organisation
//! in the register that may receive it today (in the EEA, SHR-2; a processor under an
//! agreement in force, SHR-3; never a research institute, which gets anonymised data
//! only), on a recorded ground: a consent in force in the consent register for sharing
//! with that recipient (checked, RTS-10: a withdrawn one no longer counts), a legal
//! obligation or a legal permission naming the law (the meldcode's report to Veilig
//! Thuis, Wmo 2015 art. 5.2.6), or the prevention of a crime or protection of someone
//! with the reason. The worker on the case records it; what left (chosen entries and/or
//! a generated summary) is kept as the package it was, sealed with the client's key, and
//! is downloadable as PDF and JSON.
//!
//! SHR-4: when the ground is not consent, the client is told, unless a recorded safety
//! reason forbids it; the privacy officer sees every notice due and reviews every such
//! reason (upheld: the client is not told; overruled: the notice is due). The client
//! sees in the portal, and in an access copy, every disclosure that no upheld or pending
//! safety reason keeps from them.
//!
//! Every step passes the gate: preparing the package is an export of the trajectory's
//! data (NEN 7513), recorded before anything is read; storing it is a write with its
//! event in its transaction; a frozen trajectory's data does not leave (RTS-7).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_documents as docs;
use zv_domain::{
    AuditAction, AuditObject, ClientId, EntryId, EntryKind, Purpose, TrajectoryId, UserId,
};
use zv_store::TrajectoryRow;
use zv_store::disclosures::DisclosureRow;

use crate::access::Target;
use crate::app::App;
use crate::entries::entry_view;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::portal::PortalActor;
use crate::recipients::{RecipientView, recipient_in, unusable_reason};

const T: &str = "disclosures";
const LAW_MAX_CHARS: usize = 200;
const REASON_MAX_CHARS: usize = 4_000;
/// The law the meldcode's report to Veilig Thuis rests on (DOMAIN "Meldcode").
pub const REPORTING_RIGHT_LAW: &str = "Wmo 2015 art. 5.2.6 (meldrecht)";

/// The ground a disclosure rests on (SHR-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// A consent in force in the consent register, for sharing with this recipient.
    Consent,
    /// A law obliges the organisation to disclose.
    LegalObligation,
    /// A law permits disclosure without consent (the reporting right).
    LegalPermission,
    /// To prevent a crime.
    PreventCrime,
    /// To protect someone (a vital interest).
    ProtectPerson,
}

impl Ground {
    pub const ALL: [Self; 5] = [
        Self::Consent,
        Self::LegalObligation,
        Self::LegalPermission,
        Self::PreventCrime,
        Self::ProtectPerson,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Consent => "consent",
            Self::LegalObligation => "legal_obligation",
            Self::LegalPermission => "legal_permission",
            Self::PreventCrime => "prevent_crime",
            Self::ProtectPerson => "protect_person",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    const fn names_a_law(self) -> bool {
        matches!(self, Self::LegalObligation | Self::LegalPermission)
    }

    const fn needs_a_reason(self) -> bool {
        matches!(self, Self::PreventCrime | Self::ProtectPerson)
    }
}

/// Whether and how the client was told (SHR-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientNotice {
    /// The client consented: they know.
    NotNeeded,
    /// The client is to be told.
    Due,
    /// The client was told.
    Given,
    /// A recorded safety reason forbids telling the client (reviewed by the privacy
    /// officer).
    WithheldForSafety,
}

impl ClientNotice {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::NotNeeded => "not_needed",
            Self::Due => "due",
            Self::Given => "given",
            Self::WithheldForSafety => "withheld_for_safety",
        }
    }

    fn from_code(code: &str) -> CoreResult<Self> {
        match code {
            "not_needed" => Ok(Self::NotNeeded),
            "due" => Ok(Self::Due),
            "given" => Ok(Self::Given),
            "withheld_for_safety" => Ok(Self::WithheldForSafety),
            _ => Err(CoreError::Internal("stored notice state unreadable".into())),
        }
    }
}

/// How the client was told.
pub const NOTICE_CHANNELS: [&str; 5] = ["letter", "portal", "in_person", "phone", "email"];

/// A disclosure as the worker records it.
#[derive(Clone, Default)]
pub struct DisclosureInput {
    pub recipient: Option<Uuid>,
    pub ground: String,
    pub law: Option<String>,
    pub reason: Option<String>,
    pub entries: Vec<EntryId>,
    pub summary: bool,
    /// When it left; today when not given. Not in the future.
    pub disclosed_on: Option<NaiveDate>,
    /// Why telling the client would endanger someone (SHR-4); only for a ground other
    /// than consent.
    pub safety_reason: Option<String>,
}

impl std::fmt::Debug for DisclosureInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "DisclosureInput({}, entries={}, summary={}, ***)",
            self.ground,
            self.entries.len(),
            self.summary
        )
    }
}

/// Why a field was refused: the rule, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureProblem {
    RecipientMissing,
    GroundUnknown,
    LawMissing,
    LawTooLong,
    ReasonMissing,
    ReasonTooLong,
    NothingChosen,
    InFuture,
    SafetyReasonWithConsent,
    SafetyReasonTooLong,
}

impl DisclosureProblem {
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::RecipientMissing => "choose the organisation the data goes to",
            Self::GroundUnknown => "choose the ground the disclosure rests on",
            Self::LawMissing => "name the law that obliges or permits the disclosure",
            Self::LawTooLong => "the law is longer than 200 characters",
            Self::ReasonMissing => "state why the disclosure prevents a crime or protects someone",
            Self::ReasonTooLong => "the reason is longer than 4,000 characters",
            Self::NothingChosen => "choose entries, the summary, or both",
            Self::InFuture => "the date lies in the future",
            Self::SafetyReasonWithConsent => {
                "the client consented to this disclosure: there is nothing to keep from them"
            }
            Self::SafetyReasonTooLong => "the safety reason is longer than 4,000 characters",
        }
    }
}

fn filled(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Every refused field of a disclosure, with its rule. Empty when all are fine.
#[must_use]
pub fn disclosure_problems(
    input: &DisclosureInput,
    today: NaiveDate,
) -> Vec<(&'static str, DisclosureProblem)> {
    let mut out = Vec::new();
    if input.recipient.is_none() {
        out.push(("recipient", DisclosureProblem::RecipientMissing));
    }
    let ground = Ground::from_code(input.ground.trim());
    match ground {
        None => out.push(("ground", DisclosureProblem::GroundUnknown)),
        Some(g) if g.names_a_law() => match filled(input.law.as_deref()) {
            None => out.push(("law", DisclosureProblem::LawMissing)),
            Some(l) if l.chars().count() > LAW_MAX_CHARS => {
                out.push(("law", DisclosureProblem::LawTooLong));
            }
            Some(_) => {}
        },
        Some(g) if g.needs_a_reason() => match filled(input.reason.as_deref()) {
            None => out.push(("reason", DisclosureProblem::ReasonMissing)),
            Some(r) if r.chars().count() > REASON_MAX_CHARS => {
                out.push(("reason", DisclosureProblem::ReasonTooLong));
            }
            Some(_) => {}
        },
        Some(_) => {}
    }
    if input.entries.is_empty() && !input.summary {
        out.push(("entries", DisclosureProblem::NothingChosen));
    }
    if input.disclosed_on.is_some_and(|d| d > today) {
        out.push(("disclosed_on", DisclosureProblem::InFuture));
    }
    if let Some(s) = filled(input.safety_reason.as_deref()) {
        if ground == Some(Ground::Consent) {
            out.push(("safety_reason", DisclosureProblem::SafetyReasonWithConsent));
        } else if s.chars().count() > REASON_MAX_CHARS {
            out.push(("safety_reason", DisclosureProblem::SafetyReasonTooLong));
        }
    }
    out
}

/// A disclosure as a list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DisclosureLine {
    pub id: Uuid,
    pub client: ClientId,
    pub trajectory: TrajectoryId,
    pub recipient: Uuid,
    pub recipient_name: String,
    pub recipient_country: String,
    pub recipient_kind: String,
    pub ground: Ground,
    pub law: Option<String>,
    pub entry_count: i64,
    pub with_summary: bool,
    pub disclosed_on: NaiveDate,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
    pub client_notice: ClientNotice,
    pub notice_given_on: Option<NaiveDate>,
    pub notice_channel: Option<String>,
    /// `upheld` or `overruled`, once the privacy officer reviewed a safety reason.
    pub safety_review: Option<String>,
}

/// One disclosure with its reasons, as staff read it.
#[derive(Clone, Serialize)]
pub struct DisclosureView {
    #[serde(flatten)]
    pub line: DisclosureLine,
    pub reason: Option<String>,
    pub safety_reason: Option<String>,
    pub client_name: String,
    pub package: docs::DisclosurePackage,
    /// Whether the reader may record the notice, and review a safety reason.
    pub may_record_notice: bool,
    pub may_review: bool,
}

impl std::fmt::Debug for DisclosureView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DisclosureView({}, ***)", self.line.id)
    }
}

/// The package as a file.
pub struct PackageFile {
    pub file_name: String,
    pub media_type: &'static str,
    pub bytes: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for PackageFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackageFile({}, ***)", self.file_name)
    }
}

/// What the disclosure form offers: the trajectory's entries to choose from and the
/// register's organisations that may receive data today.
#[derive(Clone, Serialize)]
pub struct DisclosureChoices {
    pub trajectory: TrajectoryId,
    pub client: ClientId,
    pub service_name: String,
    pub entries: Vec<ChoosableEntry>,
    pub recipients: Vec<RecipientView>,
    pub disclosures: Vec<DisclosureLine>,
    pub frozen: bool,
}

impl std::fmt::Debug for DisclosureChoices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DisclosureChoices({}, ***)", self.trajectory)
    }
}

#[derive(Clone, Serialize)]
pub struct ChoosableEntry {
    pub id: EntryId,
    pub kind: EntryKind,
    pub title: String,
    pub written_on: NaiveDate,
}

/// The privacy officer's queue (SHR-4): notices due and safety reasons to review.
#[derive(Debug, Clone, Serialize)]
pub struct DisclosureQueue {
    pub notices_due: Vec<DisclosureLine>,
    pub safety_reviews: Vec<DisclosureLine>,
}

fn line(r: &DisclosureRow, recipient: Option<&RecipientView>) -> CoreResult<DisclosureLine> {
    Ok(DisclosureLine {
        id: r.id,
        client: r.client_id,
        trajectory: r.trajectory_id,
        recipient: r.recipient_id,
        recipient_name: recipient.map_or_else(String::new, |v| v.name.clone()),
        recipient_country: recipient.map_or_else(String::new, |v| v.country.clone()),
        recipient_kind: recipient.map_or_else(String::new, |v| v.kind.code().to_owned()),
        ground: Ground::from_code(&r.ground)
            .ok_or_else(|| CoreError::Internal("stored ground unreadable".into()))?,
        law: r.law.clone(),
        entry_count: r.entry_count,
        with_summary: r.with_summary,
        disclosed_on: r.disclosed_on,
        recorded_by: r.recorded_by,
        recorded_at: r.recorded_at,
        client_notice: ClientNotice::from_code(&r.client_notice)?,
        notice_given_on: r.notice_given_on,
        notice_channel: r.notice_channel.clone(),
        safety_review: r.safety_review.clone(),
    })
}

/// Whether the client may see a disclosure: not while a safety reason keeps it from
/// them (pending review, or upheld).
#[must_use]
pub fn shown_to_client(l: &DisclosureLine) -> bool {
    l.client_notice != ClientNotice::WithheldForSafety
}

async fn lines_of(
    tx: &zv_store::Tx,
    rows: &[DisclosureRow],
    on: NaiveDate,
) -> CoreResult<Vec<DisclosureLine>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let recipient = recipient_in(tx, r.recipient_id, on).await?;
        out.push(line(r, recipient.as_ref())?);
    }
    Ok(out)
}

fn service_name(app: &App, code: &str) -> String {
    app.policy()
        .service_type(code)
        .map_or_else(|| code.to_owned(), |s| s.name_nl.clone())
}

impl App {
    pub(crate) fn disclosure_access(
        action: AuditAction,
        meta: &TrajectoryRow,
        id: Uuid,
        detail: impl Into<String>,
    ) -> Access {
        Access::new(action, AuditObject::Disclosure, Some(meta.client_id))
            .in_trajectory(meta.id)
            .team(meta.team_code.clone())
            .target(Target::Disclosure)
            .frozen_per_row(meta)
            .object_id(id)
            .detail(detail)
    }

    async fn disclosure_meta(&self, id: Uuid) -> CoreResult<TrajectoryRow> {
        let tx = self.store.read_tx().await?;
        let subject = zv_store::disclosures::subject_of(&tx, id).await?;
        tx.commit().await?;
        let (_, trajectory) = subject.ok_or(CoreError::NotFound)?;
        self.trajectory_meta(trajectory).await
    }

    /// The disclosure form of a trajectory: its entries, the organisations that may
    /// receive data today, and what was disclosed before. A recorded read.
    pub async fn disclosure_choices(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
    ) -> CoreResult<DisclosureChoices> {
        let meta = self.trajectory_meta(trajectory).await?;
        let auth = self
            .authorize_read(
                actor,
                Self::disclosure_access(
                    AuditAction::Read,
                    &meta,
                    trajectory.as_uuid(),
                    "disclosures of the trajectory, with the entries to choose from",
                ),
            )
            .await?;
        // ACC-7: the entries to choose from are dossier content, for whoever may read the
        // dossier; the privacy officer follows disclosures (SHR-4) without reading it.
        let reads_dossier = self
            .permitted(
                actor,
                &Access::new(
                    AuditAction::Read,
                    AuditObject::Trajectory,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory),
            )
            .await?;
        let today = self.clock.today();
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let rows = if reads_dossier {
            zv_store::entries::list_of_trajectory(&tx, &auth, trajectory).await?
        } else {
            Vec::new()
        };
        let disclosures: Vec<DisclosureRow> =
            zv_store::disclosures::of_client(&tx, &auth, meta.client_id)
                .await?
                .into_iter()
                .filter(|d| d.trajectory_id == trajectory)
                .collect();
        let lines = lines_of(&tx, &disclosures, today).await?;
        let register = zv_store::recipients::all(&tx).await?;
        let mut recipients = Vec::new();
        for r in &register {
            if let Some(v) = recipient_in(&tx, r.id, today).await?
                && v.usable
            {
                recipients.push(v);
            }
        }
        tx.commit().await?;
        let entries = rows
            .iter()
            .map(|r| {
                let v = entry_view(&key, r, &[], &[])?;
                Ok(ChoosableEntry {
                    id: v.id,
                    kind: v.kind,
                    title: v.title,
                    written_on: crate::minors::local_date(v.created_at),
                })
            })
            .collect::<CoreResult<Vec<_>>>()?;
        Ok(DisclosureChoices {
            trajectory,
            client: meta.client_id,
            service_name: service_name(self, &meta.service_type),
            entries,
            recipients,
            disclosures: lines,
            frozen: meta.frozen_since.is_some(),
        })
    }

    /// Records a disclosure of a trajectory's data (SHR-1): checks the recipient (SHR-2,
    /// SHR-3) and the ground (a consent in force, RTS-10), reads what goes out as an
    /// export, and keeps the package sealed. Refused before anything is read when the
    /// input, the recipient or the ground does not hold.
    pub async fn record_disclosure(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: DisclosureInput,
    ) -> CoreResult<Uuid> {
        let today = self.clock.today();
        if let Some((field, p)) = disclosure_problems(&input, today).first() {
            return Err(CoreError::invalid(field, p.message()));
        }
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a staff member records a disclosure".into()))?;
        let ground = Ground::from_code(input.ground.trim()).ok_or_else(|| {
            CoreError::invalid("ground", DisclosureProblem::GroundUnknown.message())
        })?;
        let recipient_id = input.recipient.ok_or_else(|| {
            CoreError::invalid("recipient", DisclosureProblem::RecipientMissing.message())
        })?;
        let disclosed_on = input.disclosed_on.unwrap_or(today);
        let meta = self.trajectory_meta(trajectory).await?;
        if disclosed_on < meta.opened_on {
            return Err(CoreError::invalid(
                "disclosed_on",
                "the date lies before the trajectory was opened",
            ));
        }
        let id = Uuid::now_v7();
        // The gate first: someone who may not disclose this trajectory's data learns
        // nothing about the register or the client's consents.
        let probe = Self::disclosure_access(AuditAction::Export, &meta, id, "disclosure");
        let decision = self.decide(actor, &probe).await?;
        if !decision.allowed {
            return Err(self.refuse_telling_freeze(actor, &probe, decision).await);
        }
        let tx = self.store.read_tx().await?;
        // The chosen entries must be this trajectory's: checked on their ids alone, so a
        // refusal leaves no export behind.
        for e in &input.entries {
            let of_trajectory = zv_store::entries::meta(&tx, *e)
                .await?
                .is_some_and(|m| m.trajectory_id == trajectory);
            if !of_trajectory {
                return Err(CoreError::invalid(
                    "entries",
                    "an entry chosen is not part of this trajectory",
                ));
            }
        }
        let recipient = recipient_in(&tx, recipient_id, disclosed_on).await?;
        let consent = if ground == Ground::Consent {
            crate::consents::sharing_consent_in_force(&tx, meta.client_id, recipient_id, today)
                .await?
        } else {
            None
        };
        tx.commit().await?;
        let recipient = recipient.ok_or_else(|| {
            CoreError::invalid("recipient", "this organisation is not in the register")
        })?;
        if let Some(why) = unusable_reason(&recipient) {
            return Err(CoreError::invalid("recipient", why));
        }
        if ground == Ground::Consent && consent.is_none() {
            return Err(CoreError::invalid(
                "ground",
                "the client has no consent in force for sharing with this organisation: record the consent first, or choose another ground",
            ));
        }
        let law = if ground.names_a_law() {
            filled(input.law.as_deref()).map(str::to_owned)
        } else {
            None
        };
        let detail = format!(
            "disclosure: ground={} recipient_kind={} entries={}{}",
            ground.code(),
            recipient.kind.code(),
            input.entries.len(),
            if input.summary { " summary" } else { "" }
        );
        let auth = self
            .authorize_read(
                actor,
                Self::disclosure_access(AuditAction::Export, &meta, id, detail),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let client_row = zv_store::clients::get(&tx, &auth, meta.client_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let rows = zv_store::entries::list_of_trajectory(&tx, &auth, trajectory).await?;
        let progress = if input.summary {
            zv_store::entries::progress_of_trajectory(&tx, &auth, trajectory).await?
        } else {
            Vec::new()
        };
        tx.commit().await?;
        let s = Sealer { key: &key };
        let u = meta.client_id.as_uuid();
        let ct = crate::clients::T;
        let subject = docs::DisclosureSubject {
            name: s.open(ct, "name", u, &client_row.name_ct)?,
            birth_date: s.open(ct, "birth_date", u, &client_row.birth_date_ct)?,
        };
        let mut entries = Vec::with_capacity(input.entries.len());
        let mut goals = Vec::new();
        for r in &rows {
            let chosen = input.entries.contains(&r.id);
            let goal = input.summary && r.kind == EntryKind::Goal.code();
            if !chosen && !goal {
                continue;
            }
            let v = entry_view(&key, r, &progress, &[])?;
            if goal {
                goals.push(docs::DisclosureGoal {
                    title: v.title.clone(),
                    progress: v.progress,
                });
            }
            if chosen {
                entries.push(docs::DisclosureEntry {
                    kind: v.kind.code().to_owned(),
                    written_on: crate::minors::local_date(v.created_at).to_string(),
                    title: v.title,
                    body: v.body,
                });
            }
        }
        let org = self.policy().organisation();
        let package = docs::DisclosurePackage {
            schema: docs::DISCLOSURE_SCHEMA.to_owned(),
            reference: id.to_string(),
            sender: docs::DisclosureSender {
                name: org.name.clone(),
                legal_name: org.legal_name.clone(),
                website: org.website.clone(),
            },
            recipient: docs::DisclosureRecipient {
                name: recipient.name.clone(),
                country: recipient.country.clone(),
                kind: recipient.kind.code().to_owned(),
            },
            disclosed_on: disclosed_on.to_string(),
            ground: ground.code().to_owned(),
            law: law.clone(),
            subject,
            summary: input.summary.then(|| docs::DisclosureSummary {
                service: service_name(self, &meta.service_type),
                opened_on: meta.opened_on.to_string(),
                closed_on: meta.closed_on.map(|d| d.to_string()),
                goals,
            }),
            entries,
        };
        let json = zeroize::Zeroizing::new(
            docs::disclosure_json(&package).map_err(|e| CoreError::Internal(e.to_string()))?,
        );
        let safety = if ground == Ground::Consent {
            None
        } else {
            filled(input.safety_reason.as_deref())
        };
        let notice = notice_for(ground, safety);
        let tx = self
            .authorize_write(
                actor,
                Self::disclosure_access(
                    AuditAction::Create,
                    &meta,
                    id,
                    format!("disclosure recorded: notice={}", notice.code()),
                ),
            )
            .await?;
        let wkey = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        insert_in(
            &tx,
            &wkey,
            NewDisclosure {
                id,
                meta: &meta,
                recipient: recipient_id,
                ground,
                consent,
                law,
                reason: if ground.needs_a_reason() {
                    filled(input.reason.as_deref())
                } else {
                    None
                },
                package_json: &json,
                entry_count: input.entries.len(),
                with_summary: input.summary,
                disclosed_on,
                by,
                at: self.now(),
                safety_reason: safety,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One disclosure with its reasons and package, for the worker on the case and the
    /// privacy officer. A recorded read.
    pub async fn disclosure(&self, actor: &Actor, id: Uuid) -> CoreResult<DisclosureView> {
        let meta = self.disclosure_meta(id).await?;
        let read = Self::disclosure_access(AuditAction::Read, &meta, id, "disclosure");
        let standing = self.standing(actor, &read).await?;
        let may = Self::permitted_on(
            actor,
            &standing,
            &[
                (AuditAction::Update, Target::Disclosure),
                (AuditAction::Create, Target::DisclosureReview),
            ],
        )?;
        let auth = self.authorize_read_on(actor, read, &standing).await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::disclosures::get(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let client_row = zv_store::clients::get(&tx, &auth, meta.client_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let recipient = recipient_in(&tx, row.recipient_id, self.clock.today()).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let l = line(&row, recipient.as_ref())?;
        let package = open_package(&key, &row)?;
        Ok(DisclosureView {
            may_record_notice: may[0] && l.client_notice == ClientNotice::Due,
            may_review: may[1]
                && l.client_notice == ClientNotice::WithheldForSafety
                && l.safety_review.is_none(),
            line: l,
            reason: row
                .reason_ct
                .as_deref()
                .map(|ct| s.open(T, "reason", id, ct))
                .transpose()?,
            safety_reason: row
                .safety_reason_ct
                .as_deref()
                .map(|ct| s.open(T, "safety_reason", id, ct))
                .transpose()?,
            client_name: s.open(
                crate::clients::T,
                "name",
                meta.client_id.as_uuid(),
                &client_row.name_ct,
            )?,
            package,
        })
    }

    /// The package as it left, as PDF (`pdf`) or JSON (`json`). A recorded read.
    pub async fn disclosure_package(
        &self,
        actor: &Actor,
        id: Uuid,
        pdf: bool,
    ) -> CoreResult<PackageFile> {
        let meta = self.disclosure_meta(id).await?;
        let auth = self
            .authorize_read(
                actor,
                Self::disclosure_access(
                    AuditAction::Read,
                    &meta,
                    id,
                    if pdf {
                        "disclosure package: pdf"
                    } else {
                        "disclosure package: json"
                    },
                ),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::disclosures::get(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        let package = open_package(&key, &row)?;
        let stem = format!("verstrekking-{}", row.disclosed_on);
        if pdf {
            let bytes = docs::render_disclosure(&package)
                .map_err(|e| CoreError::Internal(e.to_string()))?;
            Ok(PackageFile {
                file_name: format!("{stem}.pdf"),
                media_type: "application/pdf",
                bytes: zeroize::Zeroizing::new(bytes),
            })
        } else {
            let bytes =
                docs::disclosure_json(&package).map_err(|e| CoreError::Internal(e.to_string()))?;
            Ok(PackageFile {
                file_name: format!("{stem}.json"),
                media_type: "application/json",
                bytes: zeroize::Zeroizing::new(bytes),
            })
        }
    }

    /// The letter that tells the client of a disclosure (SHR-4), in Dutch or English: to
    /// whom, when, on which ground, which data by title, and the client's rights. For
    /// those who may read the disclosure; a recorded print. Refused while a recorded
    /// safety reason forbids telling the client (unless the privacy officer overruled it).
    pub async fn disclosure_notice_letter(
        &self,
        actor: &Actor,
        id: Uuid,
        language: crate::requests::LetterLanguage,
    ) -> CoreResult<PackageFile> {
        let meta = self.disclosure_meta(id).await?;
        let auth = self
            .authorize_read(
                actor,
                Self::disclosure_access(
                    AuditAction::PrintCopy,
                    &meta,
                    id,
                    format!(
                        "letter telling the client of the disclosure ({})",
                        language.code()
                    ),
                ),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::disclosures::get(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        if ClientNotice::from_code(&row.client_notice)? == ClientNotice::WithheldForSafety {
            return Err(CoreError::Conflict(
                "a recorded safety reason forbids telling the client of this disclosure".into(),
            ));
        }
        let package = open_package(&key, &row)?;
        let policy = self.policy();
        let notice = docs::DisclosureNotice {
            organisation: crate::access_copy::organisation_of(policy),
            addressee: package.subject.name.clone(),
            date: self.clock.today().to_string(),
            reference: package.reference.clone(),
            disclosed_on: package.disclosed_on.clone(),
            to: package.recipient.clone(),
            ground: package.ground.clone(),
            law: package.law.clone(),
            summary_of: package.summary.as_ref().map(|s| s.service.clone()),
            items: package
                .entries
                .iter()
                .map(|e| docs::NoticeItem {
                    kind: e.kind.clone(),
                    written_on: e.written_on.clone(),
                    title: e.title.clone(),
                })
                .collect(),
            supervisory_authority: crate::access_copy::authority_of(policy),
        };
        let bytes =
            tokio::task::spawn_blocking(move || docs::render_disclosure_notice(&notice, language))
                .await
                .map_err(|e| CoreError::Internal(format!("rendering a letter: {e}")))?
                .map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(PackageFile {
            file_name: format!("brief-verstrekking-{}.pdf", row.disclosed_on),
            media_type: "application/pdf",
            bytes: zeroize::Zeroizing::new(bytes),
        })
    }

    /// Records how and when the client was told of a disclosure (SHR-4).
    pub async fn record_disclosure_notice(
        &self,
        actor: &Actor,
        id: Uuid,
        given_on: NaiveDate,
        channel: &str,
    ) -> CoreResult<()> {
        let channel = channel.trim();
        if !NOTICE_CHANNELS.contains(&channel) {
            return Err(CoreError::invalid(
                "channel",
                "choose how the client was told",
            ));
        }
        if given_on > self.clock.today() {
            return Err(CoreError::invalid(
                "given_on",
                "the date lies in the future",
            ));
        }
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("staff record the notice".into()))?;
        let meta = self.disclosure_meta(id).await?;
        let tx = self
            .authorize_write(
                actor,
                Self::disclosure_access(
                    AuditAction::Update,
                    &meta,
                    id,
                    format!("disclosure: client told by {channel}"),
                )
                .purpose(Purpose::Care),
            )
            .await?;
        if !zv_store::disclosures::record_notice(&tx, id, given_on, channel, by).await? {
            return Err(CoreError::Conflict(
                "no notice to the client is due for this disclosure".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The privacy officer's review of a safety reason not to tell the client (SHR-4):
    /// upheld, the client is not told; overruled, the notice becomes due.
    pub async fn review_disclosure_safety(
        &self,
        actor: &Actor,
        id: Uuid,
        upheld: bool,
    ) -> CoreResult<()> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer reviews".into()))?;
        let meta = self.disclosure_meta(id).await?;
        let tx = self
            .authorize_write(
                actor,
                Self::disclosure_access(
                    AuditAction::Create,
                    &meta,
                    id,
                    if upheld {
                        "disclosure safety reason: upheld"
                    } else {
                        "disclosure safety reason: overruled, the client is to be told"
                    },
                )
                .target(Target::DisclosureReview),
            )
            .await?;
        if !zv_store::disclosures::review_safety(&tx, id, upheld, by, self.now()).await? {
            return Err(CoreError::Conflict(
                "this disclosure has no safety reason awaiting review".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The privacy officer's queue: notices due and safety reasons to review. The
    /// register's columns only: no client's data is read.
    pub async fn disclosure_queue(&self, actor: &Actor) -> CoreResult<DisclosureQueue> {
        if !self.capability(actor, AuditAction::Create, Target::DisclosureReview)? {
            return Err(CoreError::NotAllowed(
                "the privacy officer follows disclosures".into(),
            ));
        }
        let today = self.clock.today();
        let tx = self.store.read_tx().await?;
        let rows = zv_store::disclosures::awaiting_privacy_officer(&tx).await?;
        let lines = lines_of(&tx, &rows, today).await?;
        tx.commit().await?;
        let (notices_due, safety_reviews) = lines
            .into_iter()
            .partition(|l| l.client_notice == ClientNotice::Due);
        Ok(DisclosureQueue {
            notices_due,
            safety_reviews,
        })
    }

    /// What left about the signed-in client (SHR-4), except what a safety reason keeps
    /// from them. Only a client's own: a parent's account reads none here.
    pub async fn portal_disclosures(&self, actor: &Actor) -> CoreResult<Vec<DisclosureLine>> {
        let Actor::Portal(PortalActor {
            client_id: Some(client),
            ..
        }) = actor
        else {
            return Err(CoreError::NotFound);
        };
        let client = *client;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::Disclosure, Some(client))
                    .target(Target::Disclosure)
                    .purpose(Purpose::OwnAccess)
                    .detail("own disclosures"),
            )
            .await?;
        self.client_disclosures(&auth).await
    }

    /// A client's disclosures as the client may see them, on a proof for the client
    /// (the portal, the access copy).
    pub(crate) async fn client_disclosures(
        &self,
        auth: &zv_store::Authorized,
    ) -> CoreResult<Vec<DisclosureLine>> {
        let tx = self.store.read_tx().await?;
        let rows = zv_store::disclosures::of_client(&tx, auth, auth.client_id()).await?;
        let lines = lines_of(&tx, &rows, self.clock.today()).await?;
        tx.commit().await?;
        Ok(lines.into_iter().filter(shown_to_client).collect())
    }
}

/// A disclosure as the access copy lists it among the recipients (RTS-4, SHR-1): who,
/// when, on which ground and what, in Dutch.
pub(crate) fn copy_recipient(d: &DisclosureLine) -> docs::Recipient {
    let ground = match d.ground {
        Ground::Consent => "met uw toestemming".to_owned(),
        Ground::LegalObligation => format!(
            "omdat de wet ons daartoe verplicht ({})",
            d.law.as_deref().unwrap_or_default()
        ),
        Ground::LegalPermission => format!(
            "op grond van de wet, zonder uw toestemming ({})",
            d.law.as_deref().unwrap_or_default()
        ),
        Ground::PreventCrime => "om een strafbaar feit te voorkomen".to_owned(),
        Ground::ProtectPerson => "om iemand te beschermen".to_owned(),
    };
    let what = match (d.entry_count, d.with_summary) {
        (0, _) => "een samenvatting van uw traject".to_owned(),
        (1, false) => "1 onderdeel van uw dossier".to_owned(),
        (n, false) => format!("{n} onderdelen van uw dossier"),
        (1, true) => "een samenvatting van uw traject en 1 onderdeel van uw dossier".to_owned(),
        (n, true) => {
            format!("een samenvatting van uw traject en {n} onderdelen van uw dossier")
        }
    };
    docs::Recipient {
        who: format!("{} ({})", d.recipient_name, d.recipient_country),
        what: format!("Op {} verstrekt {ground}: {what}.", d.disclosed_on),
    }
}

/// The notice to the client a disclosure starts with (SHR-4): none needed on consent;
/// withheld while a safety reason awaits the privacy officer; otherwise due.
pub(crate) const fn notice_for(ground: Ground, safety_reason: Option<&str>) -> ClientNotice {
    match (ground, safety_reason) {
        (Ground::Consent, _) => ClientNotice::NotNeeded,
        (_, Some(_)) => ClientNotice::WithheldForSafety,
        (_, None) => ClientNotice::Due,
    }
}

/// A disclosure to store, its package made and its access decided: the form's and the
/// meldcode's report (MLD-1) alike go through [`insert_in`].
pub(crate) struct NewDisclosure<'a> {
    pub id: Uuid,
    pub meta: &'a TrajectoryRow,
    pub recipient: Uuid,
    pub ground: Ground,
    pub consent: Option<Uuid>,
    pub law: Option<String>,
    pub reason: Option<&'a str>,
    /// The package as JSON (`zorgvuldig.disclosure/1`).
    pub package_json: &'a [u8],
    pub entry_count: usize,
    pub with_summary: bool,
    pub disclosed_on: NaiveDate,
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub safety_reason: Option<&'a str>,
}

/// Stores a disclosure in the caller's transaction: the package, the reason and the
/// safety reason sealed with the client's `key`, the notice as [`notice_for`] decides.
pub(crate) async fn insert_in(
    tx: &zv_store::Tx,
    key: &zv_crypto::DataKey,
    d: NewDisclosure<'_>,
) -> CoreResult<ClientNotice> {
    let id = d.id;
    let s = Sealer { key };
    let notice = notice_for(d.ground, d.safety_reason);
    zv_store::disclosures::insert(
        tx,
        &DisclosureRow {
            id,
            client_id: d.meta.client_id,
            trajectory_id: d.meta.id,
            recipient_id: d.recipient,
            ground: d.ground.code().to_owned(),
            consent_id: d.consent,
            law: d.law,
            reason_ct: d.reason.map(|r| s.seal(T, "reason", id, r)),
            package_ct: key.encrypt(d.package_json, &zv_crypto::Aad::new(T, "package", id)),
            entry_count: i64::try_from(d.entry_count).unwrap_or(i64::MAX),
            with_summary: d.with_summary,
            disclosed_on: d.disclosed_on,
            recorded_by: d.by,
            recorded_at: d.at,
            client_notice: notice.code().to_owned(),
            notice_given_on: None,
            notice_channel: None,
            notice_by: None,
            safety_reason_ct: d.safety_reason.map(|r| s.seal(T, "safety_reason", id, r)),
            safety_reviewed_by: None,
            safety_reviewed_at: None,
            safety_review: None,
        },
    )
    .await?;
    Ok(notice)
}

fn open_package(
    key: &zv_crypto::DataKey,
    row: &DisclosureRow,
) -> CoreResult<docs::DisclosurePackage> {
    let json = key.decrypt(&row.package_ct, &zv_crypto::Aad::new(T, "package", row.id))?;
    serde_json::from_slice(&json)
        .map_err(|_| CoreError::Internal("stored disclosure package unreadable".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-12-02".parse().unwrap()
    }

    fn input(ground: &str) -> DisclosureInput {
        DisclosureInput {
            recipient: Some(Uuid::nil()),
            ground: ground.into(),
            summary: true,
            ..DisclosureInput::default()
        }
    }

    // promise: SHR-1
    #[test]
    fn a_disclosure_needs_a_recipient_a_ground_its_law_or_reason_and_some_data() {
        assert!(disclosure_problems(&input("consent"), today()).is_empty());
        let fields = |i: &DisclosureInput| {
            disclosure_problems(i, today())
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(&input("because")), ["ground"]);
        assert_eq!(fields(&input("legal_obligation")), ["law"]);
        assert_eq!(fields(&input("legal_permission")), ["law"]);
        assert_eq!(fields(&input("protect_person")), ["reason"]);
        assert_eq!(fields(&input("prevent_crime")), ["reason"]);
        let mut i = input("legal_obligation");
        i.law = Some("Jeugdwet art. 7.1.4.1".into());
        assert!(fields(&i).is_empty());
        i.summary = false;
        i.recipient = None;
        i.disclosed_on = Some(today().succ_opt().unwrap());
        assert_eq!(fields(&i), ["recipient", "entries", "disclosed_on"]);
    }

    // promise: SHR-4
    #[test]
    fn a_safety_reason_is_refused_where_the_client_consented() {
        let mut i = input("consent");
        i.safety_reason = Some("gevaar".into());
        assert_eq!(
            disclosure_problems(&i, today()),
            [("safety_reason", DisclosureProblem::SafetyReasonWithConsent)]
        );
    }
}
