//! Camera images (CAM-1): the register of cameras, a camera's recorded files with the day
//! each goes, holds for an incident investigation, and a held file looked at for it.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::cameras::{CameraHoldInput, CameraInput, camera_problems, hold_problems};

use super::forms::{self, FieldErrors};
use super::{Layout, html};
use crate::error::WebError;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/camerabeelden", get(register).post(add))
        .route("/camerabeelden/{id}", get(camera))
        .route("/camerabeelden/{id}/bewaren", post(hold))
        .route("/camerabeelden/bewaren/{id}/vrijgeven", post(release))
        .route("/camerabeelden/opnamen/{id}", get(image))
}

#[derive(Default, Deserialize)]
pub struct CameraForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    branch: String,
    #[serde(default)]
    location: String,
}

struct CameraLine {
    id: String,
    code: String,
    branch: String,
    location: String,
}

#[derive(Template)]
#[template(path = "cameras.html")]
struct RegisterPage {
    l: Layout,
    cameras: Vec<CameraLine>,
    branches: Vec<(String, String)>,
    may_add: bool,
    f: CameraForm,
    errors: FieldErrors,
}

async fn render_register(
    state: &AppState,
    staff: &CurrentStaff,
    f: CameraForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let cameras = state.app.cameras(&actor).await?;
    let (may_add, _) = state.app.camera_capabilities(&actor)?;
    let branches: Vec<(String, String)> = state
        .app
        .policy()
        .branches()
        .iter()
        .map(|b| (b.code.clone(), b.name.clone()))
        .collect();
    let name_of = |code: &str| {
        branches
            .iter()
            .find(|b| b.0 == code)
            .map_or_else(|| code.to_owned(), |b| b.1.clone())
    };
    let refused = !errors.is_empty();
    let mut r = html(&RegisterPage {
        l: Layout::staff(staff, "camera-title"),
        cameras: cameras
            .iter()
            .map(|c| CameraLine {
                id: c.id.to_string(),
                code: c.code.clone(),
                branch: name_of(&c.branch),
                location: c.location.clone(),
            })
            .collect(),
        branches: branches.clone(),
        may_add,
        f,
        errors,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn register(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let errors = FieldErrors::new(staff.tr);
    render_register(&state, &staff, CameraForm::default(), errors).await
}

pub async fn add(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<CameraForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let input = CameraInput {
        code: f.code.clone(),
        branch: f.branch.clone(),
        location: f.location.clone(),
    };
    let mut errors = FieldErrors::new(staff.tr);
    for (field, rule) in camera_problems(&input, state.app.policy()) {
        errors.add(&CoreError::invalid(field, rule));
    }
    if !errors.is_empty() {
        return render_register(&state, &staff, f, errors).await;
    }
    match state.app.add_camera(&staff.as_actor(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/camerabeelden/{id}")).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            errors.add(&e);
            render_register(&state, &staff, f, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Default, Deserialize)]
pub struct HoldForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    from_on: String,
    #[serde(default)]
    to_on: String,
    #[serde(default)]
    incident: String,
}

#[derive(Default, Deserialize)]
pub struct ReleaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
}

struct RecordingLine {
    id: String,
    file_name: String,
    recorded_at: String,
    keep_until: String,
    held: bool,
}

struct HoldLine {
    id: String,
    period: String,
    incident: String,
    open: bool,
    outcome: String,
}

#[derive(Template)]
#[template(path = "camera.html")]
struct CameraPage {
    l: Layout,
    id: String,
    location: String,
    folder: String,
    recordings: Vec<RecordingLine>,
    holds: Vec<HoldLine>,
    may_hold: bool,
    f: HoldForm,
    /// The hold whose release was refused, and the outcome as typed.
    release: Option<(String, String)>,
    errors: FieldErrors,
}

async fn render_camera(
    state: &AppState,
    staff: &CurrentStaff,
    id: uuid::Uuid,
    f: HoldForm,
    release: Option<(String, String)>,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let d = state.app.camera(&staff.as_actor(), id).await?;
    let refused = !errors.is_empty();
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&chrono_tz::Europe::Amsterdam)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let folder = state
        .app
        .camera_dir()
        .join(&d.camera.code)
        .display()
        .to_string();
    let mut l = Layout::staff(staff, "camera-title");
    l.title = format!("{} · {}", d.camera.code, l.title);
    let mut r = html(&CameraPage {
        l,
        id: id.to_string(),
        location: d.camera.location.clone(),
        folder,
        recordings: d
            .recordings
            .iter()
            .map(|r| RecordingLine {
                id: r.id.to_string(),
                file_name: r.file_name.clone(),
                recorded_at: local(r.recorded_at),
                keep_until: r.keep_until.to_string(),
                held: r.held,
            })
            .collect(),
        holds: d
            .holds
            .iter()
            .map(|h| HoldLine {
                id: h.id.to_string(),
                period: format!("{} – {}", h.from, h.to),
                incident: h.incident.clone(),
                open: h.released_at.is_none(),
                outcome: h.outcome.clone().unwrap_or_default(),
            })
            .collect(),
        may_hold: d.may_hold,
        f,
        release,
        errors,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn camera(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let errors = FieldErrors::new(staff.tr);
    render_camera(&state, &staff, id, HoldForm::default(), None, errors).await
}

pub async fn hold(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<HoldForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let mut errors = FieldErrors::new(staff.tr);
    let from = errors.check(forms::date("from_on", &f.from_on));
    let to = errors.check(forms::date("to_on", &f.to_on));
    let input = CameraHoldInput {
        from: from.unwrap_or_default(),
        to: to.unwrap_or_default(),
        incident: f.incident.clone(),
    };
    for (field, rule) in hold_problems(&input, state.app.clock().today()) {
        let parsed = match field {
            "from_on" => from.is_some(),
            "to_on" => from.is_some() && to.is_some(),
            _ => true,
        };
        if parsed {
            errors.add(&CoreError::invalid(field, rule));
        }
    }
    if !errors.is_empty() {
        return render_camera(&state, &staff, id, f, None, errors).await;
    }
    match state
        .app
        .place_camera_hold(&staff.as_actor(), id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/camerabeelden/{id}#bewaren")).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            errors.add(&e);
            render_camera(&state, &staff, id, f, None, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn release(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ReleaseForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let hold = forms::uuid_of(&id)?;
    match state
        .app
        .release_camera_hold(&staff.as_actor(), hold, &f.outcome)
        .await
    {
        Ok(camera) => Ok(Redirect::to(&format!("/camerabeelden/{camera}#bewaren")).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            let camera = state.app.camera_of_hold(&staff.as_actor(), hold).await?;
            let errors = FieldErrors::of_core(staff.tr, &e);
            render_camera(
                &state,
                &staff,
                camera,
                HoldForm::default(),
                Some((hold.to_string(), f.outcome)),
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn image(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let (name, bytes) = state.app.camera_image(&staff.as_actor(), id).await?;
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
