//! Camera images (CAM-1, Blijf Groep): "maximaal 4 weken of zoveel langer als de beelden
//! gebruikt worden voor nader onderzoek bij incidenten".
//!
//! - The register: each camera with its location; its recorder writes files into the
//!   camera's own folder (`<camera dir>/<code>/`) of the configured directory.
//! - The retention sweep registers every new file as a recorded period (the moment it
//!   was written, its size; nothing of the image) with the last day it is kept under the
//!   policy's rule for camera images, and deletes the files past that day from disk,
//!   unless an open hold for an incident investigation covers the moment they were
//!   recorded. One line per camera and run goes into the destruction register.
//! - A hold names a camera, a period (local days, both included) and the incident
//!   without names; it is released with the incident's outcome, after which its files
//!   go on the next run if their term has passed.
//! - Images are looked at only for an investigation: a file can be read only while a
//!   hold covers it, by the privacy officer or a team lead, and every read is recorded.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Purpose, UserId, start_of_local_day};
use zv_policy::RecordKind;
use zv_store::SubjectKind;
use zv_store::cameras::{CameraRow, HoldRow, RecordingRow};
use zv_store::destruction::NewRegisterRecord;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::minors::local_date;

/// The job that registers and deletes recorded files.
pub const CAMERA_JOB: &str = "camera-images";
const LOCATION_MAX_CHARS: usize = 200;
const INCIDENT_MIN_CHARS: usize = 10;
const INCIDENT_MAX_CHARS: usize = 1_000;
/// Recordings shown on a camera's page.
const RECORDINGS_SHOWN: u64 = 500;

/// A camera as an administrator registers it.
#[derive(Debug, Clone, Default)]
pub struct CameraInput {
    /// The name of its folder: lower-case letters, digits and hyphens.
    pub code: String,
    pub branch: String,
    pub location: String,
}

/// A hold as the privacy officer or a team lead places it.
#[derive(Debug, Clone)]
pub struct CameraHoldInput {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub incident: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CameraView {
    pub id: Uuid,
    pub code: String,
    pub branch: String,
    pub location: String,
    pub retired: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordingView {
    pub id: Uuid,
    pub file_name: String,
    pub recorded_at: DateTime<Utc>,
    pub size_bytes: i64,
    /// The last day it is kept, unless a hold keeps it longer.
    pub keep_until: NaiveDate,
    pub held: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CameraHoldView {
    pub id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub incident: String,
    pub placed_by: UserId,
    pub placed_at: DateTime<Utc>,
    pub released_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
}

/// A camera's page: the register's line, the files on disk (newest first) and holds.
#[derive(Debug, Clone, Serialize)]
pub struct CameraDetail {
    pub camera: CameraView,
    pub recordings: Vec<RecordingView>,
    pub holds: Vec<CameraHoldView>,
    /// The reader places and releases holds and looks at held images.
    pub may_hold: bool,
}

/// What a run did with the recorded files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CameraSweep {
    /// New files registered as recorded periods.
    pub registered: u64,
    /// Files past their term deleted from disk.
    pub deleted: u64,
    /// Files past their term kept by a hold.
    pub held: u64,
}

fn camera_view(c: &CameraRow) -> CameraView {
    CameraView {
        id: c.id,
        code: c.code.clone(),
        branch: c.branch_code.clone(),
        location: c.location.clone(),
        retired: c.retired_at.is_some(),
    }
}

fn hold_view(h: &HoldRow) -> CameraHoldView {
    CameraHoldView {
        id: h.id,
        from: local_date(h.from_at),
        to: local_date(h.to_at),
        incident: h.incident.clone(),
        placed_by: h.placed_by,
        placed_at: h.placed_at,
        released_at: h.released_at,
        outcome: h.outcome.clone(),
    }
}

fn register(action: AuditAction) -> Access {
    Access::new(action, AuditObject::CameraRegister, None)
        .target(Target::Organisation(AuditObject::CameraRegister))
        .purpose(Purpose::Administration)
}

/// Every refused field of a camera, with the rule.
#[must_use]
pub fn camera_problems(
    input: &CameraInput,
    policy: &zv_policy::Policy,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let code = input.code.trim();
    if !(2..=40).contains(&code.len())
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        out.push((
            "code",
            "2 to 40 lower-case letters, digits or hyphens: the name of the camera's folder",
        ));
    }
    if !policy
        .branches()
        .iter()
        .any(|b| b.code == input.branch.trim())
    {
        out.push(("branch", "choose a location of the organisation"));
    }
    let location = input.location.trim().chars().count();
    if !(2..=LOCATION_MAX_CHARS).contains(&location) {
        out.push((
            "location",
            "say where the camera hangs (2 to 200 characters)",
        ));
    }
    out
}

/// Every refused field of a hold, with the rule.
#[must_use]
pub fn hold_problems(
    input: &CameraHoldInput,
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if input.from > today {
        out.push(("from_on", "the period starts today or earlier"));
    }
    if input.to < input.from {
        out.push(("to_on", "the period ends on or after its start"));
    }
    let incident = input.incident.trim().chars().count();
    if !(INCIDENT_MIN_CHARS..=INCIDENT_MAX_CHARS).contains(&incident) {
        out.push((
            "incident",
            "describe the incident in 10 to 1,000 characters, without names",
        ));
    }
    out
}

fn first(problems: &[(&'static str, &'static str)]) -> CoreResult<()> {
    match problems.first() {
        Some((field, rule)) => Err(CoreError::invalid(field, *rule)),
        None => Ok(()),
    }
}

impl App {
    /// Whether the organisation registers camera images (the policy has the category).
    #[must_use]
    pub fn records_camera_images(&self) -> bool {
        self.camera_rule().is_some()
    }

    fn camera_rule(&self) -> Option<&zv_policy::RetentionRule> {
        let category = self
            .policy
            .record_categories()
            .iter()
            .find(|c| c.kind == RecordKind::CameraImages)?;
        self.policy.retention_rule(&category.retention)
    }

    fn cameras_or_not_found(&self) -> CoreResult<&zv_policy::RetentionRule> {
        self.camera_rule().ok_or(CoreError::NotFound)
    }

    /// The directory the recorders write into, one folder per camera.
    #[must_use]
    pub fn camera_dir(&self) -> PathBuf {
        self.settings
            .camera_dir
            .clone()
            .unwrap_or_else(|| self.settings.data_dir.join("camerabeelden"))
    }

    /// Whether the actor may register cameras, and place holds and look at held images.
    pub fn camera_capabilities(&self, actor: &Actor) -> CoreResult<(bool, bool)> {
        if !self.records_camera_images() {
            return Ok((false, false));
        }
        let target = Target::Organisation(AuditObject::CameraRegister);
        Ok((
            self.capability(actor, AuditAction::Create, target)?,
            self.capability(actor, AuditAction::Update, target)?,
        ))
    }

    /// The register of cameras (a recorded read).
    pub async fn cameras(&self, actor: &Actor) -> CoreResult<Vec<CameraView>> {
        self.cameras_or_not_found()?;
        let tx = self
            .authorize_organisation_write(actor, register(AuditAction::Read).detail("cameras"))
            .await?;
        let rows = zv_store::cameras::cameras(&tx).await?;
        tx.commit().await?;
        Ok(rows.iter().map(camera_view).collect())
    }

    pub async fn add_camera(&self, actor: &Actor, input: &CameraInput) -> CoreResult<Uuid> {
        self.cameras_or_not_found()?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("cameras are registered by staff".into()))?;
        first(&camera_problems(input, &self.policy))?;
        let id = Uuid::now_v7();
        let code = input.code.trim().to_owned();
        let tx = self
            .authorize_organisation_write(
                actor,
                register(AuditAction::Create)
                    .object_id(id)
                    .detail(format!("camera {code}")),
            )
            .await?;
        if zv_store::cameras::code_taken(&tx, &code).await? {
            return Err(CoreError::invalid("code", "another camera has this code"));
        }
        zv_store::cameras::insert_camera(
            &tx,
            &CameraRow {
                id,
                code,
                branch_code: input.branch.trim().to_owned(),
                location: input.location.trim().to_owned(),
                created_by: by,
                created_at: self.now(),
                retired_at: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A camera with its files on disk and its holds (a recorded read).
    pub async fn camera(&self, actor: &Actor, id: Uuid) -> CoreResult<CameraDetail> {
        self.cameras_or_not_found()?;
        let (_, may_hold) = self.camera_capabilities(actor)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                register(AuditAction::Read).object_id(id).detail("camera"),
            )
            .await?;
        let camera = zv_store::cameras::camera(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let holds = zv_store::cameras::holds_of(&tx, id).await?;
        let rows = zv_store::cameras::recordings_of(&tx, id, RECORDINGS_SHOWN).await?;
        tx.commit().await?;
        let held = |r: &RecordingRow| {
            holds.iter().any(|h| {
                h.released_at.is_none() && h.from_at <= r.recorded_at && r.recorded_at <= h.to_at
            })
        };
        Ok(CameraDetail {
            camera: camera_view(&camera),
            recordings: rows
                .iter()
                .map(|r| RecordingView {
                    id: r.id,
                    file_name: r.file_name.clone(),
                    recorded_at: r.recorded_at,
                    size_bytes: r.size_bytes,
                    keep_until: r.keep_until,
                    held: held(r),
                })
                .collect(),
            holds: holds.iter().map(hold_view).collect(),
            may_hold,
        })
    }

    /// Places a hold for an incident investigation on a period of a camera (CAM-1).
    pub async fn place_camera_hold(
        &self,
        actor: &Actor,
        camera: Uuid,
        input: &CameraHoldInput,
    ) -> CoreResult<Uuid> {
        self.cameras_or_not_found()?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("holds are placed by staff".into()))?;
        first(&hold_problems(input, self.clock.today()))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                register(AuditAction::Update).object_id(id).detail(format!(
                    "hold on camera {camera}: {} to {}",
                    input.from, input.to
                )),
            )
            .await?;
        if zv_store::cameras::camera(&tx, camera).await?.is_none() {
            return Err(CoreError::NotFound);
        }
        let to_end =
            input.to.succ_opt().map(start_of_local_day).ok_or_else(|| {
                CoreError::invalid("to_on", "the period ends on or after its start")
            })? - chrono::Duration::microseconds(1);
        zv_store::cameras::insert_hold(
            &tx,
            &HoldRow {
                id,
                camera_id: camera,
                from_at: start_of_local_day(input.from),
                to_at: to_end,
                incident: input.incident.trim().to_owned(),
                placed_by: by,
                placed_at: self.now(),
                released_by: None,
                released_at: None,
                outcome: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Releases a hold when the incident is handled, with its outcome; its files go on
    /// the next run when their term has passed. Returns the hold's camera.
    pub async fn release_camera_hold(
        &self,
        actor: &Actor,
        hold: Uuid,
        outcome: &str,
    ) -> CoreResult<Uuid> {
        self.cameras_or_not_found()?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("holds are released by staff".into()))?;
        let n = outcome.trim().chars().count();
        if !(INCIDENT_MIN_CHARS..=INCIDENT_MAX_CHARS).contains(&n) {
            return Err(CoreError::invalid(
                "outcome",
                "say how the incident was handled in 10 to 1,000 characters, without names",
            ));
        }
        let tx = self
            .authorize_organisation_write(
                actor,
                register(AuditAction::Update)
                    .object_id(hold)
                    .detail("hold released"),
            )
            .await?;
        let row = zv_store::cameras::hold(&tx, hold)
            .await?
            .ok_or(CoreError::NotFound)?;
        if !zv_store::cameras::release_hold(&tx, hold, by, self.now(), outcome.trim()).await? {
            return Err(CoreError::Conflict("this hold was released already".into()));
        }
        tx.commit().await?;
        Ok(row.camera_id)
    }

    /// The camera a hold is on (to show its page again after a refused release).
    pub async fn camera_of_hold(&self, actor: &Actor, hold: Uuid) -> CoreResult<Uuid> {
        self.cameras_or_not_found()?;
        if !self.camera_capabilities(actor)?.1 {
            return Err(CoreError::NotFound);
        }
        let tx = self.store.read_tx().await?;
        let row = zv_store::cameras::hold(&tx, hold).await?;
        tx.commit().await?;
        row.map(|h| h.camera_id).ok_or(CoreError::NotFound)
    }

    /// A recorded file, for an incident investigation: only while a hold covers it, for
    /// whoever may place holds; the read is recorded before the file is read.
    pub async fn camera_image(
        &self,
        actor: &Actor,
        recording: Uuid,
    ) -> CoreResult<(String, Vec<u8>)> {
        self.cameras_or_not_found()?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::cameras::recording(&tx, recording).await?;
        let held = match &row {
            Some(r) => r.deleted_at.is_none() && zv_store::cameras::is_held(&tx, r).await?,
            None => false,
        };
        let camera = match &row {
            Some(r) => zv_store::cameras::camera(&tx, r.camera_id).await?,
            None => None,
        };
        tx.commit().await?;
        let (Some(row), Some(camera), true) = (row, camera, held) else {
            return Err(CoreError::NotFound);
        };
        let tx = self
            .authorize_organisation_write(
                actor,
                Access::new(AuditAction::Read, AuditObject::CameraImage, None)
                    .target(Target::Organisation(AuditObject::CameraImage))
                    .purpose(Purpose::Administration)
                    .object_id(recording)
                    .detail(format!("camera {}: incident investigation", camera.code)),
            )
            .await?;
        tx.commit().await?;
        let path = self.camera_dir().join(&camera.code).join(&row.file_name);
        let bytes = tokio::fs::read(&path).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                CoreError::NotFound
            } else {
                CoreError::Internal(format!("camera file: {e}"))
            }
        })?;
        let name = Path::new(&row.file_name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "beeld".to_owned());
        Ok((name, bytes))
    }

    /// The sweep's part for camera images (CAM-1): registers the new files of every
    /// camera, deletes those past their term that no hold keeps, and writes one
    /// register line and one audit event per camera that lost files. A dry run counts.
    pub(crate) async fn sweep_camera_images(
        &self,
        actor: &Actor,
        today: NaiveDate,
        dry_run: bool,
    ) -> CoreResult<CameraSweep> {
        let mut out = CameraSweep::default();
        let Some(rule) = self.camera_rule().cloned() else {
            return Ok(out);
        };
        let tx = self.store.read_tx().await?;
        let cameras = zv_store::cameras::cameras(&tx).await?;
        tx.commit().await?;
        let dir = self.camera_dir();
        for camera in cameras {
            let folder = dir.join(&camera.code);
            let found = files_in(&folder).await?;
            let tx = self.store.begin().await?;
            let known = zv_store::cameras::known_files(&tx, camera.id).await?;
            let now = self.now();
            let new: Vec<RecordingRow> = found
                .into_iter()
                .filter(|f| !known.contains(&f.name))
                .map(|f| {
                    let recorded_on = local_date(f.modified);
                    let keep_until = rule
                        .retention_until(&zv_policy::RetentionFacts {
                            recorded_on: Some(recorded_on),
                            ..zv_policy::RetentionFacts::default()
                        })
                        .unwrap_or(recorded_on);
                    RecordingRow {
                        id: Uuid::now_v7(),
                        camera_id: camera.id,
                        file_name: f.name,
                        recorded_at: f.modified,
                        size_bytes: f.size,
                        keep_until,
                        registered_at: now,
                        deleted_at: None,
                    }
                })
                .collect();
            out.registered += new.len() as u64;
            if !dry_run {
                zv_store::cameras::insert_recordings(&tx, &new).await?;
            }
            let mut due = zv_store::cameras::past_term(&tx, camera.id, today).await?;
            if dry_run {
                due.extend(new.into_iter().filter(|r| r.keep_until < today));
                for r in due {
                    if zv_store::cameras::is_held(&tx, &r).await? {
                        out.held += 1;
                    } else {
                        out.deleted += 1;
                    }
                }
                tx.rollback().await?;
                continue;
            }
            tx.commit().await?;
            if due.is_empty() {
                continue;
            }
            // The deletion's transaction opens with its audit event and decides on holds
            // again, so a hold placed meanwhile still counts. The files go before the
            // commit: should the commit fail, the next run finds the same rows past
            // their term, their files already gone, and records them then.
            let tx = self
                .authorize_write(
                    actor,
                    Access::new(AuditAction::Delete, AuditObject::CameraImage, None)
                        .target(Target::Organisation(AuditObject::CameraImage))
                        .purpose(Purpose::Retention)
                        .object_id(camera.id)
                        .detail(format!(
                            "recorded files of camera {} past their term; rule {}",
                            camera.code, rule.code
                        )),
                )
                .await?;
            let mut going = Vec::new();
            for r in due {
                if zv_store::cameras::is_held(&tx, &r).await? {
                    out.held += 1;
                } else {
                    going.push(r);
                }
            }
            if going.is_empty() {
                continue;
            }
            for r in &going {
                remove_file(&folder.join(&r.file_name)).await?;
            }
            let ids: Vec<Uuid> = going.iter().map(|r| r.id).collect();
            zv_store::cameras::mark_deleted(&tx, &ids, now).await?;
            zv_store::destruction::insert_register_records(
                &tx,
                vec![NewRegisterRecord {
                    at: now,
                    kind: SubjectKind::CameraImages,
                    subject: Uuid::now_v7(),
                    rule: rule.code.clone(),
                    reason: format!("recorded files of camera {} past their term", camera.code),
                    outcome: "destroyed",
                    term_ended_on: going.iter().map(|r| r.keep_until).max(),
                    by_user: None,
                    by_job: Some(CAMERA_JOB.to_owned()),
                    counts: [("camera_recordings".to_owned(), going.len() as u64)]
                        .into_iter()
                        .collect(),
                }],
            )
            .await?;
            tx.commit().await?;
            out.deleted += going.len() as u64;
        }
        Ok(out)
    }
}

/// A file found in a camera's folder: its path within the folder, when it was written,
/// its size.
struct Found {
    name: String,
    modified: DateTime<Utc>,
    size: i64,
}

/// Every regular file under `folder`, recursively; hidden files (a recorder's partial
/// writes) are left until they get their final name.
async fn files_in(folder: &Path) -> CoreResult<Vec<Found>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let mut entries = match tokio::fs::read_dir(folder.join(&rel)).await {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(CoreError::Internal(format!("camera folder: {e}"))),
        };
        while let Some(entry) = entries
            .next_entry()
            .await
            .map_err(|e| CoreError::Internal(format!("camera folder: {e}")))?
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let meta = entry
                .metadata()
                .await
                .map_err(|e| CoreError::Internal(format!("camera file: {e}")))?;
            let path = rel.join(&name);
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let modified = meta
                    .modified()
                    .map_err(|e| CoreError::Internal(format!("camera file: {e}")))?;
                out.push(Found {
                    name: path.to_string_lossy().into_owned(),
                    modified: DateTime::<Utc>::from(modified),
                    size: i64::try_from(meta.len()).unwrap_or(i64::MAX),
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn remove_file(path: &Path) -> CoreResult<()> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(CoreError::Internal(format!("camera file: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;

    use super::{CameraHoldInput, hold_problems};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_hold_names_a_past_period_and_the_incident() {
        let today = day("2026-11-22");
        let good = CameraHoldInput {
            from: day("2026-11-01"),
            to: day("2026-11-02"),
            incident: "Inbraakpoging bij de achterdeur".into(),
        };
        assert!(hold_problems(&good, today).is_empty());
        let bad = CameraHoldInput {
            from: day("2026-11-23"),
            to: day("2026-11-20"),
            incident: "kort".into(),
        };
        let fields: Vec<_> = hold_problems(&bad, today)
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(fields, ["from_on", "to_on", "incident"]);
    }
}
