//! Dossier entries (DOS-1): goals with progress, conversation reports, plans and
//! documents, reports from others, e-mail summaries. Every edit is a new version; the
//! history stays readable. Special categories need a stated necessity (DOS-3).

use chrono::{DateTime, Utc};
use serde::Serialize;
use zv_domain::{
    AttachmentId, AuditAction, AuditObject, EntryContent, EntryId, EntryKind, SpecialCategory,
    TrajectoryId, UserId,
};
use zv_store::{Decided, NewEntry, NewGoalProgress};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::trajectories::TrajectorySummary;

pub(crate) const T_ENTRY: &str = "entries";
pub(crate) const T_VERSION: &str = "entry_versions";
const T_PROGRESS: &str = "goal_progress";

/// A special-category marking with the reason it is necessary (DOS-3).
#[derive(Debug, Clone)]
pub struct SpecialMarking {
    pub category: SpecialCategory,
    pub necessity: String,
}

#[derive(Clone, Serialize)]
pub struct EntryView {
    pub id: EntryId,
    pub kind: EntryKind,
    pub special_category: Option<SpecialCategory>,
    pub necessity: Option<String>,
    pub title: String,
    pub body: String,
    pub progress: Option<u8>,
    pub version: i32,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub progress_updates: Vec<ProgressView>,
    pub attachments: Vec<AttachmentMeta>,
}

impl std::fmt::Debug for EntryView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EntryView({}, {}, ***)", self.id, self.kind)
    }
}

#[derive(Clone, Serialize)]
pub struct ProgressView {
    pub progress: u8,
    pub note: String,
    pub author: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Serialize)]
pub struct AttachmentMeta {
    pub id: AttachmentId,
    pub filename: String,
    pub media_type: String,
    pub size_bytes: i64,
}

#[derive(Clone, Serialize)]
pub struct VersionView {
    pub version: i32,
    pub title: String,
    pub body: String,
    pub progress: Option<u8>,
    pub author: UserId,
    pub at: DateTime<Utc>,
}

/// The dossier of one trajectory, as a reader with full access sees it.
#[derive(Clone, Serialize)]
pub struct Dossier {
    pub trajectory: TrajectorySummary,
    pub entries: Vec<EntryView>,
    /// Special-category entries outside the reader's access (a quality review).
    pub withheld_special: usize,
    pub may: DossierAbilities,
    /// Who is assigned to the trajectory, oldest assignment first.
    pub workers: Vec<crate::trajectories::Worker>,
    /// The reader's own work notes; empty for anyone who may not keep them (DOS-2).
    pub work_notes: Vec<crate::work_notes::WorkNote>,
    /// Staff names by id, for authors of entries and progress notes.
    pub names: std::collections::HashMap<UserId, String>,
    /// Who could still be assigned, for a reader who may assign on an open trajectory.
    pub colleagues: Vec<crate::trajectories::Colleague>,
    /// What is withheld from the client (POR-2), on the entries shown here.
    pub withholdings: Vec<crate::withholdings::WithholdingView>,
    /// The agreements of those recorded, for the recordings among the attachments
    /// (SEC-3).
    pub recordings: Vec<crate::recordings::RecordingAgreement>,
}

/// A dossier as read, with its retention term when asked for and the reader may see
/// it: the term's permissions are decided on the standing the dossier's read was
/// decided on (the same trajectory, team and client), and its rows are read in the
/// dossier's own transaction, so the page beside it needs no second lookup.
pub(crate) struct DossierRead {
    pub dossier: Dossier,
    pub retention: Option<crate::retention::RetentionView>,
}

/// A dossier page's rows as stored, fetched beside its audit commit (decision 0059):
/// nothing in it is opened until the gate's [`zv_store::Authorized`] proof unwraps `key`.
struct DossierRows {
    key: Option<zv_store::WrappedKeyRow>,
    notes: Vec<zv_store::WorkNoteRow>,
    rows: Vec<zv_store::EntryRow>,
    progress: Vec<zv_store::GoalProgressRow>,
    attachments: Vec<zv_store::AttachmentRow>,
    agreements: Vec<zv_store::recordings::AgreementRow>,
    withheld: Vec<zv_store::withholdings::WithholdingRow>,
    worker_rows: Vec<zv_store::WorkerRow>,
    names: std::collections::HashMap<UserId, String>,
    colleagues: Vec<crate::trajectories::Colleague>,
    retention: Option<crate::retention::RetentionView>,
}

/// What the reader of a dossier may do in it, so a page offers only that.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct DossierAbilities {
    pub see_special: bool,
    pub add: bool,
    pub edit: bool,
    pub work_notes: bool,
    /// Assign or remove workers (assigned workers and the team's lead).
    pub assign: bool,
    /// Close the trajectory.
    pub close: bool,
}

/// The read a dossier view asks the gate for: the trajectory, its team and its freeze as
/// the row read says (the bench's gate-alone row asks for the same).
pub(crate) fn dossier_access(meta: &zv_store::TrajectoryRow) -> Access {
    Access::new(
        AuditAction::Read,
        AuditObject::Trajectory,
        Some(meta.client_id),
    )
    .in_trajectory(meta.id)
    .team(meta.team_code.clone())
    .object_id(meta.id)
    .frozen_per_row(meta)
}

/// One entry as a reader sees it, opened with its client's key.
pub(crate) fn entry_view(
    key: &zv_crypto::DataKey,
    r: &zv_store::EntryRow,
    progress: &[zv_store::GoalProgressRow],
    attachments: &[zv_store::AttachmentRow],
) -> CoreResult<EntryView> {
    let s = Sealer { key };
    let content = open_content(key, r.id, r.current_version, &r.content_ct)?;
    Ok(EntryView {
        id: r.id,
        kind: r
            .kind
            .parse()
            .map_err(|_| CoreError::Internal("stored entry kind unreadable".into()))?,
        special_category: r.special_category.as_deref().and_then(|c| c.parse().ok()),
        necessity: s.open_opt(
            T_ENTRY,
            "necessity",
            r.id.as_uuid(),
            r.necessity_ct.as_deref(),
        )?,
        title: content.title.clone(),
        body: content.body.clone(),
        progress: content.progress,
        version: r.current_version,
        created_by: r.created_by,
        created_at: r.created_at,
        updated_at: r.updated_at,
        progress_updates: progress
            .iter()
            .filter(|p| p.entry_id == r.id)
            .map(|p| {
                Ok(ProgressView {
                    progress: u8::try_from(p.progress).unwrap_or(0),
                    note: s.open(T_PROGRESS, "note", p.id, &p.note_ct)?,
                    author: p.author_id,
                    at: p.created_at,
                })
            })
            .collect::<CoreResult<_>>()?,
        attachments: attachments
            .iter()
            .filter(|a| a.entry_id == r.id)
            .map(|a| {
                Ok(AttachmentMeta {
                    id: a.id,
                    filename: s.open(
                        crate::attachments::T,
                        "filename",
                        a.id.as_uuid(),
                        &a.filename_ct,
                    )?,
                    media_type: a.media_type.clone(),
                    size_bytes: a.size_bytes,
                })
            })
            .collect::<CoreResult<_>>()?,
    })
}

pub(crate) fn seal_content(
    key: &zv_crypto::DataKey,
    entry: EntryId,
    version: i32,
    content: &EntryContent,
) -> CoreResult<Vec<u8>> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(content).map_err(|e| CoreError::Internal(e.to_string()))?,
    );
    Ok(key.encrypt(
        &json,
        &zv_crypto::Aad::with_part(
            T_VERSION,
            "content",
            entry.as_uuid(),
            u32::try_from(version).unwrap_or(0),
        ),
    ))
}

fn open_content(
    key: &zv_crypto::DataKey,
    entry: EntryId,
    version: i32,
    ct: &[u8],
) -> CoreResult<EntryContent> {
    let json = key.decrypt(
        ct,
        &zv_crypto::Aad::with_part(
            T_VERSION,
            "content",
            entry.as_uuid(),
            u32::try_from(version).unwrap_or(0),
        ),
    )?;
    serde_json::from_slice(&json).map_err(|_| CoreError::Internal("stored entry unreadable".into()))
}

impl App {
    /// Checks a special-category marking against the service type's policy (DOS-3).
    pub(crate) fn check_marking(
        &self,
        service_type: &str,
        marking: Option<&SpecialMarking>,
    ) -> CoreResult<()> {
        let Some(m) = marking else { return Ok(()) };
        let allowed = self
            .policy
            .service_type(service_type)
            .is_some_and(|s| s.special_categories_allowed);
        if !allowed {
            return Err(CoreError::invalid(
                "special_category",
                "this service type does not record special categories of data",
            ));
        }
        if m.necessity.trim().len() < 10 {
            return Err(CoreError::invalid(
                "necessity",
                "state why recording this is necessary to help the client (at least 10 characters)",
            ));
        }
        Ok(())
    }

    /// Adds an entry to an open trajectory's dossier.
    pub async fn add_entry(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        kind: EntryKind,
        content: EntryContent,
        marking: Option<SpecialMarking>,
    ) -> CoreResult<EntryId> {
        if !kind.written_freely() {
            // MLD-1: a meldcode step is recorded through its workflow, with its order.
            return Err(CoreError::invalid(
                "kind",
                "a meldcode step is recorded through the meldcode workflow",
            ));
        }
        // The trajectory and the writer's standing towards it, in one read.
        let read = self.store.read_tx().await?;
        let (meta, assigned) =
            zv_store::trajectories::get_meta_with_worker(&read, trajectory, actor.user_id())
                .await?
                .ok_or(CoreError::NotFound)?;
        if meta.closed_on.is_some() {
            return Err(CoreError::Conflict(
                "this trajectory is closed; its dossier no longer changes".into(),
            ));
        }
        self.check_marking(&meta.service_type, marking.as_ref())?;
        let author = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("entries are written by staff".into()))?;
        let id = EntryId::new();
        let access = Access::new(
            AuditAction::Create,
            AuditObject::Entry,
            Some(meta.client_id),
        )
        .in_trajectory(trajectory)
        .target(Target::Entry {
            special_category: marking.is_some(),
        })
        .object_id(id)
        .frozen_per_row(&meta);
        let standing = self
            .standing_known(&read, actor, &access, Some(assigned))
            .await?;
        read.commit().await?;
        let tx = self.authorize_write_on(actor, access, &standing).await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        let now = self.now();
        let row = NewEntry {
            id,
            trajectory_id: trajectory,
            client_id: meta.client_id,
            kind: kind.code().to_owned(),
            special_category: marking.as_ref().map(|m| m.category.code().to_owned()),
            necessity_ct: marking.as_ref().map(|m| {
                Sealer { key: &key }.seal(T_ENTRY, "necessity", id.as_uuid(), m.necessity.trim())
            }),
            content_ct: seal_content(&key, id, 1, &content)?,
            created_by: author,
            created_at: now,
        };
        zv_store::entries::insert(&tx, &row).await?;
        self.touch_last_change(&tx, &meta, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Edits an entry: a new version; the earlier ones stay in the history. The edit
    /// names the version it was made on; if the entry has moved on since, nothing is
    /// saved and [`CoreError::Stale`] says which version is current, so a form is never
    /// silently overwritten.
    pub async fn edit_entry(
        &self,
        actor: &Actor,
        entry: EntryId,
        based_on_version: i32,
        content: EntryContent,
    ) -> CoreResult<i32> {
        let (meta, kind, target) = self.entry_meta(entry).await?;
        if meta.closed_on.is_some() {
            return Err(CoreError::Conflict(
                "this trajectory is closed; its dossier no longer changes".into(),
            ));
        }
        if !kind.written_freely() {
            // MLD-1: a recorded meldcode step stays as it was recorded.
            return Err(CoreError::Conflict(
                "a recorded meldcode step is not edited".into(),
            ));
        }
        let author = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("entries are written by staff".into()))?;
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Update,
                    AuditObject::Entry,
                    Some(meta.client_id),
                )
                .in_trajectory(meta.id)
                .target(target)
                .object_id(entry),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        let now = self.now();
        let version = zv_store::entries::next_version(&tx, entry).await?;
        if version - 1 != based_on_version {
            return Err(CoreError::Stale {
                current: version - 1,
            });
        }
        let ct = seal_content(&key, entry, version, &content)?;
        zv_store::entries::add_version(
            &tx,
            &zv_store::NewEntryVersion {
                entry_id: entry,
                version,
                content_ct: ct,
                author_id: author,
                created_at: now,
            },
        )
        .await?;
        self.touch_last_change(&tx, &meta, now).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Records progress on a goal.
    pub async fn add_goal_progress(
        &self,
        actor: &Actor,
        entry: EntryId,
        progress: u8,
        note: &str,
    ) -> CoreResult<()> {
        if progress > 100 {
            return Err(CoreError::invalid(
                "progress",
                "progress is a percentage from 0 to 100",
            ));
        }
        let (meta, kind, _) = self.entry_meta(entry).await?;
        if kind != EntryKind::Goal {
            return Err(CoreError::invalid(
                "entry",
                "progress is recorded on goals only",
            ));
        }
        if meta.closed_on.is_some() {
            return Err(CoreError::Conflict(
                "this trajectory is closed; its dossier no longer changes".into(),
            ));
        }
        let author = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("progress is written by staff".into()))?;
        let id = uuid::Uuid::now_v7();
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::GoalProgress,
                    Some(meta.client_id),
                )
                .in_trajectory(meta.id)
                .object_id(id),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        let now = self.now();
        zv_store::entries::insert_progress(
            &tx,
            &NewGoalProgress {
                id,
                entry_id: entry,
                client_id: meta.client_id,
                progress: i32::from(progress),
                note_ct: Sealer { key: &key }.seal(T_PROGRESS, "note", id, note.trim()),
                author_id: author,
                created_at: now,
            },
        )
        .await?;
        self.touch_last_change(&tx, &meta, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn entry_meta(
        &self,
        entry: EntryId,
    ) -> CoreResult<(zv_store::TrajectoryRow, EntryKind, Target)> {
        let tx = self.store.read_tx().await?;
        let found = zv_store::entries::meta(&tx, entry).await?;
        tx.commit().await?;
        let found = found.ok_or(CoreError::NotFound)?;
        let target = Target::Entry {
            special_category: found.special_category.is_some(),
        };
        let (trajectory, kind) = (found.trajectory_id, found.kind);
        let kind = kind
            .parse()
            .map_err(|_| CoreError::Internal("stored entry kind unreadable".into()))?;
        Ok((self.trajectory_meta(trajectory).await?, kind, target))
    }

    /// The whole dossier of a trajectory, decrypted after its read is audited.
    pub async fn dossier(&self, actor: &Actor, trajectory: TrajectoryId) -> CoreResult<Dossier> {
        Ok(self.dossier_read(actor, trajectory, false).await?.dossier)
    }

    /// The dossier with what the dossier page shows beside it, decided on the same
    /// standing: see [`DossierRead`].
    pub(crate) async fn dossier_read(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        with_retention: bool,
    ) -> CoreResult<DossierRead> {
        // The trajectory and the reader's standing towards it, in one read.
        let tx = self.store.read_tx().await?;
        let (meta, assigned) =
            zv_store::trajectories::get_meta_with_worker(&tx, trajectory, actor.user_id())
                .await?
                .ok_or(CoreError::NotFound)?;
        let read = dossier_access(&meta);
        let standing = self
            .standing_known(&tx, actor, &read, Some(assigned))
            .await?;
        tx.commit().await?;
        // What else this reader may do here, decided by the same rules on one standing:
        // a quality review does not see special-category entries (ACC-4), an emergency
        // access adds but does not edit, only staff on the case keep work notes.
        let me = actor
            .user_id()
            .unwrap_or_else(|| UserId::from_uuid(uuid::Uuid::nil()));
        let may = Self::permitted_on(
            actor,
            &standing,
            &[
                (
                    AuditAction::Read,
                    Target::Entry {
                        special_category: true,
                    },
                ),
                (
                    AuditAction::Create,
                    Target::Entry {
                        special_category: false,
                    },
                ),
                (
                    AuditAction::Update,
                    Target::Entry {
                        special_category: false,
                    },
                ),
                (AuditAction::Read, Target::WorkNote { author: me }),
                (AuditAction::Update, Target::Assignment),
                (AuditAction::Update, Target::Dossier),
                (AuditAction::Read, Target::Retention),
                (AuditAction::Create, Target::Retention),
            ],
        )?;
        let (see_retention, decide_retention) = (may[6] && with_retention, may[7]);
        let may = DossierAbilities {
            see_special: may[0],
            add: may[1],
            edit: may[2],
            work_notes: may[3],
            assign: may[4],
            close: may[5] && meta.closed_on.is_none(),
        };
        let sees_special = may.see_special;
        // The reader's own work notes (DOS-2) are shown with the dossier: their read is
        // decided and recorded with it, in the same group commit.
        let mut reads = vec![read];
        if may.work_notes {
            reads.push(
                Access::new(
                    AuditAction::Read,
                    AuditObject::WorkNote,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory)
                .target(Target::WorkNote { author: me })
                .object_id(trajectory),
            );
        }
        // The page's rows are fetched while the reads' events are made durable, and
        // opened only after (decision 0059).
        let fetch = {
            let (app, meta) = (self.clone(), meta.clone());
            let (work_notes, assign) = (may.work_notes, may.assign);
            move |decided| async move {
                app.dossier_rows(
                    decided,
                    &meta,
                    me,
                    (work_notes, assign),
                    (see_retention, decide_retention),
                )
                .await
            }
        };
        let (auth, fetched) = self
            .read_while_auditing(actor, reads, &standing, fetch)
            .await?;
        let DossierRows {
            key,
            notes,
            rows,
            progress,
            attachments,
            agreements,
            withheld,
            worker_rows,
            names,
            colleagues,
            retention,
        } = fetched;
        let key = self.keys.open_client_key(&auth, key.as_ref())?;
        let workers = crate::trajectories::workers_named(worker_rows, &names);
        let mut entries = Vec::with_capacity(rows.len());
        let mut withheld_special = 0;
        for r in &rows {
            if r.special_category.is_some() && !sees_special {
                withheld_special += 1;
                continue;
            }
            entries.push(entry_view(&key, r, &progress, &attachments)?);
        }
        let dossier = Dossier {
            trajectory: TrajectorySummary::from(&meta),
            withheld_special,
            may,
            workers,
            work_notes: notes
                .iter()
                .map(|r| crate::work_notes::open_note(&key, r))
                .collect::<CoreResult<_>>()?,
            names,
            colleagues,
            withholdings: crate::withholdings::views(&key, &withheld, Some(entries.as_slice()))?,
            recordings: crate::recordings::open_all(&key, &agreements)?,
            entries,
        };
        Ok(DossierRead { dossier, retention })
    }

    /// Everything a dossier page shows, as stored: sealed rows, the client's wrapped key,
    /// and the workers, names, colleagues and retention the page needs beside them. Read
    /// under a [`Decided`] proof in one read transaction, while the page's audit event
    /// is being made durable; nothing here is opened.
    async fn dossier_rows(
        &self,
        decided: Decided,
        meta: &zv_store::TrajectoryRow,
        me: UserId,
        (work_notes, assign): (bool, bool),
        (see_retention, decide_retention): (bool, bool),
    ) -> CoreResult<DossierRows> {
        let trajectory = meta.id;
        let tx = self.store.read_tx().await?;
        let key = zv_store::keys::get_client_key(&tx, &decided).await?;
        let notes = if work_notes {
            zv_store::work_notes::list_for_author(&tx, &decided, trajectory, me).await?
        } else {
            Vec::new()
        };
        let rows = zv_store::entries::list_of_trajectory(&tx, &decided, trajectory).await?;
        // Progress belongs to goals only: a dossier without goals needs no such read.
        let has_goals = rows.iter().any(|r| r.kind == EntryKind::Goal.code());
        let progress = if has_goals {
            zv_store::entries::progress_of_trajectory(&tx, &decided, trajectory).await?
        } else {
            Vec::new()
        };
        let attachments =
            zv_store::attachments::list_of_trajectory(&tx, &decided, trajectory).await?;
        let attachment_ids: Vec<_> = attachments.iter().map(|a| a.id).collect();
        let agreements =
            zv_store::recordings::of_attachments(&tx, &decided, &attachment_ids).await?;
        let withheld =
            zv_store::withholdings::active_of_trajectory(&tx, &decided, trajectory).await?;
        let worker_rows = zv_store::trajectories::workers_of(&tx, trajectory).await?;
        // Names only of the staff the page shows: authors and workers.
        let mut shown: Vec<UserId> = rows
            .iter()
            .map(|r| r.created_by)
            .chain(progress.iter().map(|p| p.author_id))
            .chain(worker_rows.iter().map(|w| w.user_id))
            .collect();
        shown.sort_unstable();
        shown.dedup();
        let names = zv_store::staff::names_of(&tx, &shown).await?;
        let colleagues = if assign && meta.closed_on.is_none() {
            crate::trajectories::assignable_colleagues(&tx, &meta.team_code, &worker_rows).await?
        } else {
            Vec::new()
        };
        let retention = if see_retention {
            Some(self.retention_view_in(&tx, meta, decide_retention).await?)
        } else {
            None
        };
        tx.commit().await?;
        Ok(DossierRows {
            key,
            notes,
            rows,
            progress,
            attachments,
            agreements,
            withheld,
            worker_rows,
            names,
            colleagues,
            retention,
        })
    }

    /// One entry with its current content (for an edit form), read as part of its
    /// dossier so the read is decided and recorded like any dossier view.
    pub async fn entry(
        &self,
        actor: &Actor,
        entry: EntryId,
    ) -> CoreResult<(TrajectorySummary, EntryView)> {
        let (meta, _, target) = self.entry_meta(entry).await?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::Entry, Some(meta.client_id))
                    .in_trajectory(meta.id)
                    .target(target)
                    .object_id(entry),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::entries::get(&tx, &auth, entry)
            .await?
            .ok_or(CoreError::NotFound)?;
        let progress = zv_store::entries::progress_of_entry(&tx, &auth, entry).await?;
        let attachments = zv_store::attachments::list_of_entry(&tx, &auth, entry).await?;
        tx.commit().await?;
        let view = entry_view(&key, &row, &progress, &attachments)?;
        Ok((TrajectorySummary::from(&meta), view))
    }

    /// Every version of an entry, oldest first.
    /// The trajectory an entry belongs to, for a link back to its dossier. Only the id:
    /// callers have just been allowed to read the entry itself.
    pub async fn trajectory_of_entry(&self, entry: EntryId) -> CoreResult<TrajectoryId> {
        let tx = self.store.read_tx().await?;
        let found = zv_store::entries::meta(&tx, entry).await?;
        tx.commit().await?;
        found.map(|m| m.trajectory_id).ok_or(CoreError::NotFound)
    }

    pub async fn entry_history(
        &self,
        actor: &Actor,
        entry: EntryId,
    ) -> CoreResult<Vec<VersionView>> {
        let (meta, _, target) = self.entry_meta(entry).await?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::Entry, Some(meta.client_id))
                    .in_trajectory(meta.id)
                    .target(target)
                    .object_id(entry)
                    .detail("history"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let versions = zv_store::entries::versions(&tx, &auth, entry).await?;
        tx.commit().await?;
        versions
            .iter()
            .map(|v| {
                let c = open_content(&key, entry, v.version, &v.content_ct)?;
                Ok(VersionView {
                    version: v.version,
                    title: c.title.clone(),
                    body: c.body.clone(),
                    progress: c.progress,
                    author: v.author_id,
                    at: v.created_at,
                })
            })
            .collect()
    }
}
