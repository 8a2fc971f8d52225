//! The dossier through the API (DOS-1..3): reading it, adding and editing entries (every
//! edit a version, a stale one refused with the current one), history, goal progress,
//! attachments, and the caller's own work notes (DOS-2). The same core calls as
//! `pages::dossier`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::entries::{EntryView, SpecialMarking};
use zv_domain::{
    AttachmentId, EntryContent, EntryId, EntryKind, SpecialCategory, TrajectoryId, WorkNoteId,
};

use super::auth::Caller;
use super::clients::Trajectory;
use super::{ApiError, Created, JsonBody, created, no_content, ok, path_id};
use crate::state::AppState;

#[derive(Serialize)]
struct Progress {
    progress: u8,
    note: String,
    author: uuid::Uuid,
    at: DateTime<Utc>,
}

#[derive(Serialize)]
struct AttachmentMeta {
    id: uuid::Uuid,
    filename: String,
    media_type: String,
    size_bytes: i64,
}

/// An entry with its current content.
#[derive(Serialize)]
pub struct Entry {
    id: uuid::Uuid,
    kind: EntryKind,
    special_category: Option<SpecialCategory>,
    necessity: Option<String>,
    title: String,
    body: String,
    progress: Option<u8>,
    version: i32,
    created_by: uuid::Uuid,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    progress_updates: Vec<Progress>,
    attachments: Vec<AttachmentMeta>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Entry({}, ***)", self.id)
    }
}

impl From<&EntryView> for Entry {
    fn from(e: &EntryView) -> Self {
        Self {
            id: e.id.as_uuid(),
            kind: e.kind,
            special_category: e.special_category,
            necessity: e.necessity.clone(),
            title: e.title.clone(),
            body: e.body.clone(),
            progress: e.progress,
            version: e.version,
            created_by: e.created_by.as_uuid(),
            created_at: e.created_at,
            updated_at: e.updated_at,
            progress_updates: e
                .progress_updates
                .iter()
                .map(|p| Progress {
                    progress: p.progress,
                    note: p.note.clone(),
                    author: p.author.as_uuid(),
                    at: p.at,
                })
                .collect(),
            attachments: e
                .attachments
                .iter()
                .map(|a| AttachmentMeta {
                    id: a.id.as_uuid(),
                    filename: a.filename.clone(),
                    media_type: a.media_type.clone(),
                    size_bytes: a.size_bytes,
                })
                .collect(),
        }
    }
}

/// What the caller may do in a dossier.
#[derive(Serialize)]
struct Abilities {
    see_special: bool,
    add: bool,
    edit: bool,
    work_notes: bool,
    assign: bool,
    close: bool,
}

#[derive(Serialize)]
struct Dossier {
    trajectory: Trajectory,
    entries: Vec<Entry>,
    withheld_special: usize,
    may: Abilities,
    workers: Vec<zv_core::trajectories::Worker>,
    /// The caller's own work notes: their read is recorded with the dossier's.
    work_notes: Vec<WorkNote>,
}

#[derive(Serialize)]
struct EntryInTrajectory {
    trajectory: Trajectory,
    entry: Entry,
}

#[derive(Serialize)]
struct EntryVersion {
    id: uuid::Uuid,
    version: i32,
}

#[derive(Serialize)]
struct VersionContent {
    version: i32,
    title: String,
    body: String,
    progress: Option<u8>,
    author: uuid::Uuid,
    at: DateTime<Utc>,
}

#[derive(Serialize)]
struct WorkNote {
    id: uuid::Uuid,
    body: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<&zv_core::work_notes::WorkNote> for WorkNote {
    fn from(n: &zv_core::work_notes::WorkNote) -> Self {
        Self {
            id: n.id.as_uuid(),
            body: n.body.clone(),
            created_at: n.created_at,
            updated_at: n.updated_at,
        }
    }
}

fn trajectory_id(raw: &str) -> Result<TrajectoryId, ApiError> {
    path_id(raw).map(TrajectoryId::from_uuid)
}

fn entry_id(raw: &str) -> Result<EntryId, ApiError> {
    path_id(raw).map(EntryId::from_uuid)
}

fn content(
    kind: EntryKind,
    title: &str,
    body: &str,
    progress: Option<u8>,
) -> Result<EntryContent, CoreError> {
    if kind == EntryKind::Goal && progress.is_some_and(|p| p > 100) {
        return Err(CoreError::invalid(
            "progress",
            "a whole number from 0 to 100",
        ));
    }
    EntryContent::parse(kind, title, body, progress).map_err(CoreError::field("content"))
}

pub async fn dossier(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = trajectory_id(&id)?;
    let d = state.app.dossier(caller.actor(), id).await?;
    ok(&Dossier {
        trajectory: Trajectory::from(&d.trajectory),
        entries: d.entries.iter().map(Entry::from).collect(),
        withheld_special: d.withheld_special,
        may: Abilities {
            see_special: d.may.see_special,
            add: d.may.add,
            edit: d.may.edit,
            work_notes: d.may.work_notes,
            assign: d.may.assign,
            close: d.may.close,
        },
        workers: d.workers.clone(),
        work_notes: d.work_notes.iter().map(WorkNote::from).collect(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    kind: String,
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    progress: Option<u8>,
    #[serde(default)]
    special_category: Option<String>,
    #[serde(default)]
    necessity: Option<String>,
}

pub async fn add_entry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewEntry>,
) -> Result<Response, ApiError> {
    let id = trajectory_id(&id)?;
    let kind: EntryKind = b
        .kind
        .trim()
        .parse()
        .map_err(|_| CoreError::invalid("kind", "unknown kind of entry"))?;
    let content = content(kind, &b.title, &b.body, b.progress)?;
    let necessity = b.necessity.filter(|n| !n.trim().is_empty());
    let marking = match b.special_category.as_deref().map(str::trim) {
        None | Some("") => {
            if necessity.is_some() {
                return Err(CoreError::invalid(
                    "necessity",
                    "a necessity is stated only for a special category",
                )
                .into());
            }
            None
        }
        Some(code) => Some(SpecialMarking {
            category: code
                .parse()
                .map_err(|_| CoreError::invalid("special_category", "unknown category"))?,
            necessity: necessity.unwrap_or_default(),
        }),
    };
    let entry = state
        .app
        .add_entry(caller.actor(), id, kind, content, marking)
        .await?;
    created(&EntryVersion {
        id: entry.as_uuid(),
        version: 1,
    })
}

pub async fn entry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = entry_id(&id)?;
    let (trajectory, entry) = state.app.entry(caller.actor(), id).await?;
    ok(&EntryInTrajectory {
        trajectory: Trajectory::from(&trajectory),
        entry: Entry::from(&entry),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditEntry {
    /// The version the edit was made on.
    version: i32,
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    progress: Option<u8>,
}

/// As the edit form: the entry is read first (its kind decides what content fits), then
/// the edit names the version it was made on. A stale version saves nothing and answers
/// 409 with the current version, so an integration never overwrites unseen.
pub async fn edit_entry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<EditEntry>,
) -> Result<Response, ApiError> {
    let id = entry_id(&id)?;
    let actor = caller.actor();
    let (_, current) = state.app.entry(actor, id).await?;
    let content = content(current.kind, &b.title, &b.body, b.progress)?;
    match state.app.edit_entry(actor, id, b.version, content).await {
        Ok(version) => ok(&EntryVersion {
            id: id.as_uuid(),
            version,
        }),
        Err(CoreError::Stale { current: now }) => {
            let entry = if current.version == now {
                Some(Box::new(Entry::from(&current)))
            } else {
                // Someone edited between the read and the edit: read it again.
                state
                    .app
                    .entry(actor, id)
                    .await
                    .ok()
                    .map(|(_, e)| Box::new(Entry::from(&e)))
            };
            Err(ApiError::Stale {
                current: now,
                entry,
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = entry_id(&id)?;
    let versions = state.app.entry_history(caller.actor(), id).await?;
    ok(&versions
        .into_iter()
        .map(|v| VersionContent {
            version: v.version,
            title: v.title,
            body: v.body,
            progress: v.progress,
            author: v.author.as_uuid(),
            at: v.at,
        })
        .collect::<Vec<_>>())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewProgress {
    progress: u8,
    #[serde(default)]
    note: String,
}

pub async fn add_progress(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewProgress>,
) -> Result<Response, ApiError> {
    let id = entry_id(&id)?;
    state
        .app
        .add_goal_progress(caller.actor(), id, b.progress, &b.note)
        .await?;
    no_content()
}

/// An attachment: the body is the file, its media type the `Content-Type`, its name in
/// `Content-Disposition`.
pub async fn add_attachment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let id = entry_id(&id)?;
    let bytes = body.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::Malformed
        }
    })?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let filename = crate::disposition::filename_of(&headers).unwrap_or_default();
    // SEC-3: a recording of people carries the agreement of those recorded.
    let recording = crate::api::recordings::from_headers(&headers)?;
    let attachment = state
        .app
        .add_attachment_with(
            caller.actor(),
            id,
            &filename,
            &media_type,
            &bytes,
            &recording,
        )
        .await?;
    created(&Created {
        id: attachment.as_uuid(),
    })
}

/// Download of an attachment: a recorded read of the client's data.
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id).map(AttachmentId::from_uuid)?;
    let file = state.app.download_attachment(caller.actor(), id).await?;
    Ok(crate::disposition::attachment(file))
}

pub async fn my_work_notes(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = trajectory_id(&id)?;
    let notes = state.app.my_work_notes(caller.actor(), id).await?;
    ok(&notes.iter().map(WorkNote::from).collect::<Vec<_>>())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWorkNote {
    body: String,
}

pub async fn add_work_note(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewWorkNote>,
) -> Result<Response, ApiError> {
    let id = trajectory_id(&id)?;
    let note = state.app.add_work_note(caller.actor(), id, &b.body).await?;
    created(&Created { id: note.as_uuid() })
}

pub async fn work_note(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id).map(WorkNoteId::from_uuid)?;
    let note = state.app.work_note(caller.actor(), id).await?;
    ok(&WorkNote::from(&note))
}
