//! The dossier of a trajectory (DOS-1): entries of every kind with their special-category
//! marking (DOS-3), adding and editing (every edit a version, a stale form refused and
//! the newer version shown), history, and the caseworker's own work notes (DOS-2).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::entries::{Dossier, SpecialMarking};
use zv_domain::{EntryContent, EntryId, EntryKind, SpecialCategory, TrajectoryId, UserId};

use super::{Layout, field_error, forms, html, html_sized};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// An entry as the page shows it.
struct EntryLine {
    /// Written out once: the page puts it in five or six places of the entry.
    id: String,
    kind_label: &'static str,
    special: Option<&'static str>,
    necessity: Option<String>,
    title: String,
    body: String,
    progress: Option<u8>,
    version: i32,
    author: String,
    updated_at: String,
    /// Id, file name, and for a recording its agreement (SEC-3), or empty.
    attachments: Vec<(String, String, String)>,
    is_goal: bool,
    /// Progress updates of a goal: percentage, note, author, when.
    updates: Vec<(u8, String, String, String)>,
    /// What is withheld of it from the client (POR-2), one badge each.
    withheld: Vec<String>,
}

/// What the add-entry form held, kept when it is refused.
#[derive(Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    special: String,
    #[serde(default)]
    necessity: String,
}

#[derive(Template)]
#[template(path = "dossier.html")]
struct DossierPage {
    l: Layout,
    dossier: Dossier,
    closed: bool,
    entries: Vec<EntryLine>,
    kinds: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    form: EntryForm,
    errors: Vec<String>,
    work_notes: Vec<(String, String)>,
    /// Colleagues of the team not yet assigned, for the assign form.
    colleagues: Vec<(String, String)>,
    /// Refusals of the assign and close forms.
    case_errors: Vec<String>,
    today: String,
    /// The "Bewaartermijn" block (RET-5), for those who may see the term.
    retention: Option<super::retention::RetentionBlock>,
    /// The fields of each entry's upload form, rendered once for the page (empty where no
    /// entry gets one).
    upload_fields: String,
}

/// The fields of an entry's upload form. They are the same for every entry of a page, so
/// they are rendered once and written into each entry's form: with two dozen labels
/// each, rendering them per entry was a third of a fifty-entry page's instructions.
#[derive(Template)]
#[template(path = "dossier_upload_fields.html")]
struct UploadFields<'a> {
    tr: Tr,
    csrf: &'a str,
}

#[derive(Template)]
#[template(path = "edit_entry.html")]
struct EditPage {
    l: Layout,
    entry_id: EntryId,
    trajectory_id: TrajectoryId,
    base_version: i32,
    title: String,
    body: String,
    progress: String,
    errors: Vec<String>,
    stale: Option<String>,
    current_title: String,
    current_body: String,
    current_version: i32,
}

struct VersionLine {
    version: i32,
    title: String,
    body: String,
    progress: Option<u8>,
    author: String,
    at: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    l: Layout,
    trajectory_id: TrajectoryId,
    versions: Vec<VersionLine>,
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    progress: String,
}

/// About what the dossier page's template writes around one entry's title and body
/// (links, forms, labels; its upload fields apart), and around all the entries.
const ENTRY_MARKUP: usize = 1536;
const PAGE_MARKUP: usize = 16 * 1024;

/// Borrowed, as every entry of a dossier page asks for one.
pub(crate) fn kind_label(tr: Tr, k: EntryKind) -> &'static str {
    coded_label(tr, "kind-", k.code())
}

pub(crate) fn category_label(tr: Tr, c: SpecialCategory) -> &'static str {
    coded_label(tr, "category-", c.code())
}

/// The label whose key is `prefix` and `code` with `-` for `_`. The key is put together
/// on the stack: a dossier page asks for one per entry.
fn coded_label(tr: Tr, prefix: &str, code: &str) -> &'static str {
    let mut key = [0u8; 64];
    let length = prefix.len() + code.len();
    if let Some(slot) = key.get_mut(..length) {
        let (head, tail) = slot.split_at_mut(prefix.len());
        head.copy_from_slice(prefix.as_bytes());
        for (to, from) in tail.iter_mut().zip(code.bytes()) {
            *to = if from == b'_' { b'-' } else { from };
        }
        if let Ok(key) = std::str::from_utf8(slot) {
            return tr.label(key);
        }
    }
    tr.label(&format!("{prefix}{}", code.replace('_', "-")))
}

/// Instants are shown as wall-clock time in the Netherlands.
pub(crate) fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // Written out by hand: `format` parses its pattern and writes the zone's name on every
    // call, and `format!` pads through the formatter; a dossier page shows a time for each
    // entry and progress note.
    let l = t.with_timezone(&chrono_tz::Europe::Amsterdam).naive_local();
    let Ok(year @ 0..=9999) = u32::try_from(l.year()) else {
        return l.format("%Y-%m-%d %H:%M").to_string();
    };
    let mut out = String::with_capacity(16);
    for (n, width, after) in [
        (year, 4, Some('-')),
        (l.month(), 2, Some('-')),
        (l.day(), 2, Some(' ')),
        (l.hour(), 2, Some(':')),
        (l.minute(), 2, None),
    ] {
        push_padded(&mut out, n, width);
        out.extend(after);
    }
    out
}

/// `n` in decimal, with leading zeros to `width` digits (at most four).
fn push_padded(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        out.extend(char::from_digit((n / 10u32.pow(place)) % 10, 10));
    }
}

fn trajectory_id(raw: &str) -> Result<TrajectoryId, WebError> {
    raw.parse::<uuid::Uuid>()
        .map(TrajectoryId::from_uuid)
        .map_err(|_| WebError::NotFound)
}

fn entry_id(raw: &str) -> Result<EntryId, WebError> {
    raw.parse::<uuid::Uuid>()
        .map(EntryId::from_uuid)
        .map_err(|_| WebError::NotFound)
}

async fn dossier_page(
    state: &AppState,
    staff: &CurrentStaff,
    id: TrajectoryId,
    mut form: EntryForm,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    render(state, staff, id, &mut form, errors, Vec::new()).await
}

async fn render(
    state: &AppState,
    staff: &CurrentStaff,
    id: TrajectoryId,
    form: &mut EntryForm,
    errors: Vec<String>,
    case_errors: Vec<String>,
) -> Result<Response, WebError> {
    if form.kind.is_empty() {
        // After a conversation is the most common moment to write.
        EntryKind::ConversationReport
            .code()
            .clone_into(&mut form.kind);
    }
    let actor = staff.as_actor();
    let (mut dossier, retention) = state.app.dossier_with_retention(&actor, id).await?;
    let notes = std::mem::take(&mut dossier.work_notes);
    // Moved into the page's lines, not copied: the template shows them only there.
    let views = std::mem::take(&mut dossier.entries);
    let names: &HashMap<UserId, String> = &dossier.names;
    let tr = staff.tr;
    let entries: Vec<EntryLine> = views
        .into_iter()
        .map(|e| EntryLine {
            id: e.id.to_string(),
            kind_label: kind_label(tr, e.kind),
            special: e.special_category.map(|c| category_label(tr, c)),
            necessity: e.necessity,
            title: e.title,
            body: e.body,
            progress: e.progress,
            version: e.version,
            author: names.get(&e.created_by).cloned().unwrap_or_default(),
            updated_at: local_time(e.updated_at),
            is_goal: e.kind == EntryKind::Goal,
            updates: e
                .progress_updates
                .into_iter()
                .map(|p| {
                    (
                        p.progress,
                        p.note,
                        names.get(&p.author).cloned().unwrap_or_default(),
                        local_time(p.at),
                    )
                })
                .collect(),
            attachments: e
                .attachments
                .into_iter()
                .map(|a| {
                    (
                        a.id.to_string(),
                        a.filename,
                        super::recordings::agreement_text(tr, &dossier.recordings, a.id),
                    )
                })
                .collect(),
            withheld: dossier
                .withholdings
                .iter()
                .filter(|w| w.entry == e.id)
                .map(|w| super::withholdings::badge(tr, w))
                .collect(),
        })
        .collect();
    let closed = dossier.trajectory.closed_on.is_some();
    let mut l = Layout::staff(staff, "title-dossier");
    l.title = format!(
        "{} · {}",
        tr.t("title-dossier"),
        dossier.trajectory.service_type
    );
    let colleagues = std::mem::take(&mut dossier.colleagues)
        .into_iter()
        .map(|c| (c.user_id.to_string(), c.display_name))
        .collect();
    let retention = retention.map(|v| super::retention::RetentionBlock::of(tr, v));
    let upload_fields = if !closed && dossier.may.add && !entries.is_empty() {
        UploadFields { tr, csrf: &l.csrf }.render()?
    } else {
        String::new()
    };
    let status = if errors.is_empty() && case_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // Room for the whole page at once (`html_sized`): each entry's text, the markup
    // around it and its copy of the upload form's fields.
    let capacity = entries
        .iter()
        .map(|e| ENTRY_MARKUP + upload_fields.len() + e.title.len() + e.body.len())
        .sum::<usize>()
        + PAGE_MARKUP;
    let mut r = html_sized(
        &DossierPage {
            l,
            closed,
            entries,
            kinds: EntryKind::WRITTEN_FREELY
                .iter()
                .map(|k| (k.code().to_owned(), kind_label(tr, *k).to_owned()))
                .collect(),
            categories: SpecialCategory::ALL
                .iter()
                .map(|c| (c.code().to_owned(), category_label(tr, *c).to_owned()))
                .collect(),
            form: std::mem::take(form),
            errors,
            colleagues,
            case_errors,
            today: state.app.clock().today().to_string(),
            retention,
            upload_fields,
            work_notes: notes
                .into_iter()
                .map(|n| (n.id.to_string(), n.body))
                .collect(),
            dossier,
        },
        capacity,
    )?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn view(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = trajectory_id(&id)?;
    dossier_page(&state, &staff, id, EntryForm::default(), Vec::new()).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    worker: String,
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    closed_on: String,
}

/// After a change to the trajectory itself: back to the dossier, or the dossier again
/// with the refusal next to the form.
async fn case_result(
    state: &AppState,
    staff: &CurrentStaff,
    id: TrajectoryId,
    result: Result<(), CoreError>,
    anchor: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/trajecten/{id}#{anchor}")).into_response()),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let message = if matches!(e, CoreError::Conflict(_)) {
                staff.tr.t("dossier-closed")
            } else {
                field_error(staff.tr, &e)
            };
            render(
                state,
                staff,
                id,
                &mut EntryForm::default(),
                Vec::new(),
                vec![message],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Assigns a colleague to the trajectory (ACC-1).
pub async fn assign(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = trajectory_id(&id)?;
    let result = match forms::user("worker", &f.worker) {
        Ok(worker) => state.app.assign_worker(&staff.as_actor(), id, worker).await,
        Err(e) => Err(e),
    };
    case_result(&state, &staff, id, result, "workers").await
}

/// Ends a colleague's assignment.
pub async fn unassign(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path((id, worker)): Path<(String, String)>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = trajectory_id(&id)?;
    let worker = UserId::from_uuid(forms::uuid_of(&worker)?);
    let result = state
        .app
        .unassign_worker(&staff.as_actor(), id, worker)
        .await;
    case_result(&state, &staff, id, result, "workers").await
}

/// Closes the trajectory: work notes go (DOS-2), the retention date is fixed (RET-1).
pub async fn close(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CloseForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = trajectory_id(&id)?;
    let result = match forms::date("closed_on", &f.closed_on) {
        Ok(on) => state
            .app
            .close_trajectory(&staff.as_actor(), id, on)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    case_result(&state, &staff, id, result, "closing").await
}

fn parse_progress(raw: &str) -> Result<Option<u8>, CoreError> {
    let raw = raw.trim().trim_end_matches('%');
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u8>()
        .ok()
        .filter(|p| *p <= 100)
        .map(Some)
        .ok_or_else(|| CoreError::invalid("progress", "a whole number from 0 to 100"))
}

fn parse_entry(
    f: &EntryForm,
) -> Result<(EntryKind, EntryContent, Option<SpecialMarking>), CoreError> {
    let kind: EntryKind = f
        .kind
        .parse()
        .map_err(|_| CoreError::invalid("kind", "choose a kind"))?;
    let progress = parse_progress(&f.progress)?;
    let content = EntryContent::parse(kind, &f.title, &f.body, progress)
        .map_err(CoreError::field("content"))?;
    let marking = if f.special.is_empty() {
        if !f.necessity.trim().is_empty() {
            return Err(CoreError::invalid(
                "special",
                "a necessity is stated only for a special category",
            ));
        }
        None
    } else {
        Some(SpecialMarking {
            category: f
                .special
                .parse()
                .map_err(|_| CoreError::invalid("special", "unknown category"))?,
            necessity: f.necessity.clone(),
        })
    };
    Ok((kind, content, marking))
}

pub async fn add_entry(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<EntryForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = trajectory_id(&id)?;
    let result = match parse_entry(&f) {
        Ok((kind, content, marking)) => {
            state
                .app
                .add_entry(&staff.as_actor(), id, kind, content, marking)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(entry) => Ok(Redirect::to(&format!("/trajecten/{id}#item-{entry}")).into_response()),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let message = if matches!(e, CoreError::Conflict(_)) {
                staff.tr.t("dossier-closed")
            } else {
                field_error(staff.tr, &e)
            };
            dossier_page(&state, &staff, id, f, vec![message]).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_work_note(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = trajectory_id(&id)?;
    match state
        .app
        .add_work_note(&staff.as_actor(), id, &f.body)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/trajecten/{id}")).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            let message = field_error(staff.tr, &e);
            dossier_page(&state, &staff, id, EntryForm::default(), vec![message]).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = entry_id(&id)?;
    let (trajectory, entry) = state.app.entry(&staff.as_actor(), id).await?;
    html(&EditPage {
        l: Layout::staff(&staff, "title-edit-entry"),
        entry_id: id,
        trajectory_id: trajectory.id,
        base_version: entry.version,
        title: entry.title.clone(),
        body: entry.body.clone(),
        progress: entry.progress.map(|p| p.to_string()).unwrap_or_default(),
        errors: Vec::new(),
        stale: None,
        current_title: String::new(),
        current_body: String::new(),
        current_version: entry.version,
    })
}

pub async fn edit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<EditForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = entry_id(&id)?;
    let actor = staff.as_actor();
    let (trajectory, current) = state.app.entry(&actor, id).await?;
    let base_version: i32 = f.version.trim().parse().map_err(|_| WebError::NotFound)?;
    let attempt = parse_progress(&f.progress).and_then(|p| {
        EntryContent::parse(current.kind, &f.title, &f.body, p).map_err(CoreError::field("content"))
    });
    let result = match attempt {
        Ok(content) => {
            state
                .app
                .edit_entry(&actor, id, base_version, content)
                .await
        }
        Err(e) => Err(e),
    };
    let mut page = EditPage {
        l: Layout::staff(&staff, "title-edit-entry"),
        entry_id: id,
        trajectory_id: trajectory.id,
        base_version,
        title: f.title.clone(),
        body: f.body.clone(),
        progress: f.progress.clone(),
        errors: Vec::new(),
        stale: None,
        current_title: current.title.clone(),
        current_body: current.body.clone(),
        current_version: current.version,
    };
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/trajecten/{}#item-{id}", trajectory.id)).into_response())
        }
        Err(CoreError::Stale { current: now }) => {
            // Show the newer version beside what the user typed; the next save is based
            // on it, so nothing is overwritten unseen.
            page.stale = Some(staff.tr.t1("entry-stale", "version", &now));
            page.base_version = now;
            let mut r = html(&page)?;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e @ CoreError::Invalid { .. }) => {
            page.errors.push(field_error(staff.tr, &e));
            let mut r = html(&page)?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(CoreError::Conflict(_)) => {
            page.errors.push(staff.tr.t("dossier-closed"));
            let mut r = html(&page)?;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn history(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = entry_id(&id)?;
    let actor = staff.as_actor();
    let versions = state.app.entry_history(&actor, id).await?;
    let trajectory_id = state.app.trajectory_of_entry(id).await?;
    let names = state.app.staff_names().await?;
    html(&HistoryPage {
        l: Layout::staff(&staff, "title-history"),
        trajectory_id,
        versions: versions
            .into_iter()
            .map(|v| VersionLine {
                version: v.version,
                title: v.title,
                body: v.body,
                progress: v.progress,
                author: names.get(&v.author).cloned().unwrap_or_default(),
                at: local_time(v.at),
            })
            .collect(),
    })
}

/// Upload of an attachment to an entry (multipart): refused before anything is stored
/// when it is too large (the body limit) or of a type the core does not accept.
pub async fn upload(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let id = entry_id(&id)?;
    let mut csrf = String::new();
    let mut file: Option<(String, String, Vec<u8>)> = None;
    // SEC-3: what the uploader says about a recording of people.
    let mut recording = super::recordings::RecordingFields::default();
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge
        } else {
            WebError::Core(CoreError::invalid("file", "the upload could not be read"))
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let media = field.content_type().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some((name, media, bytes.to_vec()));
            }
            Some(name) if super::recordings::RecordingFields::takes(name) => {
                let name = name.to_owned();
                let value = field.text().await.map_err(unreadable)?;
                recording.add(&name, value);
            }
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    let actor = staff.as_actor();
    // Only the id, for the way back; the write itself is decided at the gate.
    let trajectory = state.app.trajectory_of_entry(id).await?;
    let (name, media, bytes) = file.unwrap_or_default();
    let added = match recording.input() {
        Ok(input) => {
            state
                .app
                .add_attachment_with(&actor, id, &name, &media, &bytes, &input)
                .await
        }
        Err(e) => Err(e),
    };
    match added {
        Ok(_) => Ok(Redirect::to(&format!("/trajecten/{trajectory}#item-{id}")).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            let message = field_error(staff.tr, &e);
            dossier_page(
                &state,
                &staff,
                trajectory,
                EntryForm::default(),
                vec![message],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Download of an attachment: a recorded read (print/copy) of the client's data.
pub async fn download(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id
        .parse::<uuid::Uuid>()
        .map(zv_domain::AttachmentId::from_uuid)
        .map_err(|_| WebError::NotFound)?;
    let file = state.app.download_attachment(&staff.as_actor(), id).await?;
    Ok(crate::disposition::attachment(file))
}

#[derive(Deserialize)]
pub struct ProgressForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    note: String,
}

/// A progress update on a goal: a percentage and what happened.
pub async fn add_progress(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ProgressForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = entry_id(&id)?;
    let actor = staff.as_actor();
    // Only the id, for the way back; the write itself is decided at the gate.
    let trajectory = state.app.trajectory_of_entry(id).await?;
    let result = match parse_progress(&f.progress) {
        Ok(Some(p)) => state.app.add_goal_progress(&actor, id, p, &f.note).await,
        Ok(None) => Err(CoreError::invalid("progress", "a percentage is needed")),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/trajecten/{trajectory}#item-{id}")).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            let message = field_error(staff.tr, &e);
            dossier_page(
                &state,
                &staff,
                trajectory,
                EntryForm::default(),
                vec![message],
            )
            .await
        }
        Err(CoreError::Conflict(_)) => {
            let message = staff.tr.t("dossier-closed");
            dossier_page(
                &state,
                &staff,
                trajectory,
                EntryForm::default(),
                vec![message],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "work_note.html")]
struct WorkNotePage {
    l: Layout,
    body: String,
    updated_at: String,
}

/// One work note, for its author (DOS-2); everyone else gets "not found".
pub async fn work_note(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id
        .parse::<uuid::Uuid>()
        .map(zv_domain::WorkNoteId::from_uuid)
        .map_err(|_| WebError::NotFound)?;
    let note = state.app.work_note(&staff.as_actor(), id).await?;
    html(&WorkNotePage {
        l: Layout::staff(&staff, "work-notes"),
        body: note.body,
        updated_at: local_time(note.updated_at),
    })
}

#[cfg(test)]
mod tests {
    use super::{Tr, category_label, kind_label, local_time};
    use zv_domain::{EntryKind, SpecialCategory};

    /// The key put together on the stack finds the same label as the one formatted, for
    /// every kind and category in both languages.
    #[test]
    fn every_kind_and_category_has_a_label() {
        for lang in [crate::Lang::Nl, crate::Lang::En] {
            let tr = Tr { lang };
            for k in EntryKind::ALL {
                let key = format!("kind-{}", k.code().replace('_', "-"));
                assert_eq!(kind_label(tr, *k), tr.label(&key));
            }
            for c in SpecialCategory::ALL {
                let key = format!("category-{}", c.code().replace('_', "-"));
                assert_eq!(category_label(tr, *c), tr.label(&key));
            }
        }
    }

    /// Wall-clock time in the Netherlands, in winter (UTC+1) and summer (UTC+2), as
    /// chrono's own pattern writes it.
    #[test]
    fn local_time_is_dutch_wall_clock_time() {
        for (utc, shown) in [
            ("2026-01-05T23:30:00Z", "2026-01-06 00:30"),
            ("2026-07-01T08:05:59Z", "2026-07-01 10:05"),
            ("2026-03-29T00:59:00Z", "2026-03-29 01:59"),
            ("2026-03-29T01:00:00Z", "2026-03-29 03:00"),
        ] {
            let t: chrono::DateTime<chrono::Utc> = utc.parse().unwrap();
            assert_eq!(local_time(t), shown);
            let by_pattern = t
                .with_timezone(&chrono_tz::Europe::Amsterdam)
                .format("%Y-%m-%d %H:%M")
                .to_string();
            assert_eq!(local_time(t), by_pattern);
        }
    }
}
