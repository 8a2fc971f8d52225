//! Camera images through the API (CAM-1): the register of cameras, a camera's recorded
//! files and holds, placing and releasing a hold, and a held file. The same core calls
//! as `pages::cameras`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::cameras::{CameraHoldInput, CameraInput};

use super::auth::Caller;
use super::clients::date;
use super::{
    ApiError, Auth, Created, Endpoint, JsonBody, RequestBody, Success, Verb, created, ok, path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(TokenScope::Read);
const WRITE: Auth = Auth::Scope(TokenScope::Write);

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/cameras",
            auth: READ,
            operation_id: "listCameras",
            tag: "cameras",
            summary: "The register of cameras per location (CAM-1); a recorded read",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("Camera"),
            errors: &[404],
            handler: || get(list),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/cameras",
            auth: WRITE,
            operation_id: "addCamera",
            tag: "cameras",
            summary: "Register a camera: its code names the folder its recorder writes into (CAM-1)",
            id_of: None,
            query: &[],
            body: B::Json("CameraInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(add),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/cameras/{id}",
            auth: READ,
            operation_id: "getCamera",
            tag: "cameras",
            summary: "A camera with its recorded files on disk (the last day each is kept, whether a hold keeps it) and its holds (CAM-1)",
            id_of: Some("camera"),
            query: &[],
            body: B::None,
            success: S::Ok("CameraDetail"),
            errors: &[404],
            handler: || get(one),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/cameras/{id}/holds",
            auth: WRITE,
            operation_id: "holdCameraImages",
            tag: "cameras",
            summary: "Keep a period of a camera's images for an incident investigation, beyond the term (CAM-1)",
            id_of: Some("camera"),
            query: &[],
            body: B::Json("CameraHoldInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(hold),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/camera-holds/{id}/release",
            auth: WRITE,
            operation_id: "releaseCameraHold",
            tag: "cameras",
            summary: "Release a hold when the incident is handled, with its outcome: its files go on the next run when their term has passed (CAM-1)",
            id_of: Some("camera hold"),
            query: &[],
            body: B::Json("CameraHoldRelease"),
            success: S::Ok("Created"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(release),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/camera-recordings/{id}",
            auth: READ,
            operation_id: "getCameraRecording",
            tag: "cameras",
            summary: "A recorded file, only while a hold for an incident investigation covers it; every read is recorded (CAM-1)",
            id_of: Some("camera recording"),
            query: &[],
            body: B::None,
            success: S::File,
            errors: &[404],
            handler: || get(image),
        },
    ]
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    ok(&state.app.cameras(caller.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CameraIn {
    code: String,
    branch: String,
    location: String,
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<CameraIn>,
) -> Result<Response, ApiError> {
    let id = state
        .app
        .add_camera(
            caller.actor(),
            &CameraInput {
                code: b.code,
                branch: b.branch,
                location: b.location,
            },
        )
        .await?;
    created(&Created { id })
}

pub async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ok(&state.app.camera(caller.actor(), path_id(&id)?).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldIn {
    from: String,
    to: String,
    incident: String,
}

pub async fn hold(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<HoldIn>,
) -> Result<Response, ApiError> {
    let camera = path_id(&id)?;
    let input = CameraHoldInput {
        from: date("from_on", &b.from)?,
        to: date("to_on", &b.to)?,
        incident: b.incident,
    };
    let id = state
        .app
        .place_camera_hold(caller.actor(), camera, &input)
        .await?;
    created(&Created { id })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseIn {
    outcome: String,
}

pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ReleaseIn>,
) -> Result<Response, ApiError> {
    let camera = state
        .app
        .release_camera_hold(caller.actor(), path_id(&id)?, &b.outcome)
        .await?;
    ok(&Created { id: camera })
}

pub async fn image(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (_, bytes) = state
        .app
        .camera_image(caller.actor(), path_id(&id)?)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"beeld\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let uuid = json!({"type": "string", "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let instant = json!({"type": "string", "format": "date-time"});
    let camera = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "code": string,
            "branch": string,
            "location": string,
            "retired": {"type": "boolean"},
        },
        "required": ["id", "code", "branch", "location", "retired"],
        "additionalProperties": false,
    });
    s.insert("Camera".into(), camera.clone());
    s.insert(
        "CameraDetail".into(),
        json!({
            "type": "object",
            "properties": {
                "camera": camera,
                "recordings": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "file_name": string,
                        "recorded_at": instant,
                        "size_bytes": {"type": "integer", "format": "int64"},
                        "keep_until": date,
                        "held": {"type": "boolean"},
                    },
                    "required": ["id", "file_name", "recorded_at", "size_bytes", "keep_until", "held"],
                    "additionalProperties": false,
                }},
                "holds": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "from": date,
                        "to": date,
                        "incident": string,
                        "placed_by": uuid,
                        "placed_at": instant,
                        "released_at": {"type": ["string", "null"], "format": "date-time"},
                        "outcome": {"type": ["string", "null"]},
                    },
                    "required": ["id", "from", "to", "incident", "placed_by", "placed_at", "released_at", "outcome"],
                    "additionalProperties": false,
                }},
                "may_hold": {"type": "boolean"},
            },
            "required": ["camera", "recordings", "holds", "may_hold"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "CameraInput".into(),
        json!({
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "2 to 40 lower-case letters, digits or hyphens: the name of the camera's folder"},
                "branch": {"type": "string", "description": "A branch code of the policy"},
                "location": string,
            },
            "required": ["code", "branch", "location"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "CameraHoldInput".into(),
        json!({
            "type": "object",
            "properties": {
                "from": {"type": "string", "format": "date", "description": "First local day kept, today or earlier"},
                "to": {"type": "string", "format": "date", "description": "Last local day kept, on or after the first"},
                "incident": {"type": "string", "description": "The incident, in 10 to 1,000 characters, without names"},
            },
            "required": ["from", "to", "incident"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "CameraHoldRelease".into(),
        json!({
            "type": "object",
            "properties": {
                "outcome": {"type": "string", "description": "How the incident was handled, in 10 to 1,000 characters, without names"},
            },
            "required": ["outcome"],
            "additionalProperties": false,
        }),
    );
}
