//! Group activities, courses and workshops through the API (GRP-1..3): activities, their
//! sessions and attendance, participants with exactly the six fields of the statement,
//! written consents for photos and video, and the photos and video themselves. The same
//! core calls as `pages::activities`.
//!
//! A photo or video is uploaded as the body itself, its media type as `Content-Type` and
//! its name in `Content-Disposition`, as an attachment is: a file name can name a person,
//! so it never goes in the URL. The day it was made and who is in it (participant ids)
//! travel in the query.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;
use zv_core::activities::{ActivityInput, ConsentInput, MediaInput, MediaUse, ParticipantInput};
use zv_core::api_tokens::Scope as TokenScope;

use super::auth::Caller;
use super::{
    ApiError, Auth, Created, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created,
    no_content, ok, path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(TokenScope::Read);
const WRITE: Auth = Auth::Scope(TokenScope::Write);

/// The media types of photos and video the core accepts (GRP-2), for the document.
pub(super) const MEDIA_TYPES: &[&str] = zv_core::activities::media::ACCEPTED_MEDIA_TYPES;

#[expect(
    clippy::too_many_lines,
    reason = "one table of the feature's operations, as in the other modules"
)]
pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/activities",
            auth: READ,
            operation_id: "listActivities",
            tag: "activities",
            summary: "The group activities, courses and workshops of the caller's teams (all for a manager and the privacy officer), latest first, without participants; a recorded read",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("Activity"),
            errors: &[404],
            handler: || get(list),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/activities",
            auth: WRITE,
            operation_id: "createActivity",
            tag: "activities",
            summary: "Register an activity, course or workshop for a team the caller works in (a manager: any team); its last day sets its retention term (GRP-3)",
            id_of: None,
            query: &[],
            body: B::Json("ActivityInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(create),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/activities/{id}",
            auth: READ,
            operation_id: "getActivity",
            tag: "activities",
            summary: "An activity with its sessions and attendance, its participants with their written consents, and its photos and video with what each may be used for; a recorded read",
            id_of: Some("activity"),
            query: &[],
            body: B::None,
            success: S::Ok("ActivityDetail"),
            errors: &[404],
            handler: || get(one),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/activities/{id}",
            auth: WRITE,
            operation_id: "updateActivity",
            tag: "activities",
            summary: "Change an activity's kind, title, location, dates and whether photos or video are made; its team stays",
            id_of: Some("activity"),
            query: &[],
            body: B::Json("ActivityChange"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || put(update),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/activities/{id}/photo-notice",
            auth: WRITE,
            operation_id: "recordPhotoNotice",
            tag: "activities",
            summary: "Record when and how participants were told in advance that photos or video will be made; required before any upload (GRP-2)",
            id_of: Some("activity"),
            query: &[],
            body: B::Json("PhotoNotice"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || put(photo_notice),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/activities/{id}/sessions",
            auth: WRITE,
            operation_id: "addActivitySession",
            tag: "activities",
            summary: "Add a day the activity meets, within its first and last day",
            id_of: Some("activity"),
            query: &[],
            body: B::Json("ActivitySessionInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(add_session),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/activity-sessions/{id}/attendance",
            auth: WRITE,
            operation_id: "recordAttendance",
            tag: "activities",
            summary: "Who was present at a session, replacing what was recorded: the activity's own participants, on or after the day",
            id_of: Some("session"),
            query: &[],
            body: B::Json("Attendance"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || put(attendance),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/activities/{id}/participants",
            auth: WRITE,
            operation_id: "addActivityParticipant",
            tag: "activities",
            summary: "Register a participant with exactly name, address, birth date, gender, phone and e-mail, and whether they opt out of being photographed; any other field is refused (GRP-1)",
            id_of: Some("activity"),
            query: &[],
            body: B::Json("ActivityParticipantInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(add_participant),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/activity-participants/{id}",
            auth: WRITE,
            operation_id: "updateActivityParticipant",
            tag: "activities",
            summary: "Correct a participant, or set or lift the opt-out; opting out withdraws every consent and stops publications with them (GRP-1, GRP-2)",
            id_of: Some("participant"),
            query: &[],
            body: B::Json("ActivityParticipantInput"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || put(update_participant),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/activity-participants/{id}/consents",
            auth: WRITE,
            operation_id: "recordMediaConsent",
            tag: "activities",
            summary: "Record a participant's written consent for a use of photos and video, signed by whom the age rules require on the day it was signed (GRP-2)",
            id_of: Some("participant"),
            query: &[],
            body: B::Json("MediaConsentInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(record_consent),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/activity-consents/{id}/withdraw",
            auth: WRITE,
            operation_id: "withdrawMediaConsent",
            tag: "activities",
            summary: "Withdraw a consent at once: nothing with the participant is used for it any more, and publications stop, to be taken down (GRP-2)",
            id_of: Some("consent"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(withdraw_consent),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/activities/{id}/media",
            auth: WRITE,
            operation_id: "uploadActivityMedia",
            tag: "activities",
            summary: "Upload a photo or video: the body is the file, its media type the Content-Type, its name in Content-Disposition; tagged with the participants in it or marked as showing nobody recognisable (GRP-2)",
            id_of: Some("activity"),
            query: &[
                QueryParam {
                    name: "recorded_on",
                    format: "date",
                    description: "The day it was made, YYYY-MM-DD, within the activity's dates",
                },
                QueryParam {
                    name: "tags",
                    format: "",
                    description: "The ids of the participants in it, separated by commas",
                },
                QueryParam {
                    name: "no_people",
                    format: "boolean",
                    description: "Nobody recognisable is in it (true or false)",
                },
            ],
            body: B::Media,
            success: S::Created("Created"),
            errors: &[404, 413, 422],
            handler: || post(upload),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/activity-media/{id}/tags",
            auth: WRITE,
            operation_id: "tagActivityMedia",
            tag: "activities",
            summary: "Who is in a photo or video, or that nobody recognisable is; replaces the tags, and stops a publication when someone tagged lacks consent for it",
            id_of: Some("photo or video"),
            query: &[],
            body: B::Json("MediaTags"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || put(retag),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/activity-media/{id}/publish",
            auth: WRITE,
            operation_id: "publishActivityMedia",
            tag: "activities",
            summary: "Record that a photo or video is published, and where: only while everyone in it has a written consent for publication (GRP-2)",
            id_of: Some("photo or video"),
            query: &[],
            body: B::Json("MediaPublication"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || post(publish),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/activity-media/{id}/taken-down",
            auth: WRITE,
            operation_id: "activityMediaTakenDown",
            tag: "activities",
            summary: "Record that a publication ended: the photo or video was taken down where it was published (after a withdrawal stopped it, or at will) (GRP-2)",
            id_of: Some("photo or video"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 422],
            handler: || post(taken_down),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/activity-media/{id}/content",
            auth: READ,
            operation_id: "activityMediaContent",
            tag: "activities",
            summary: "The file of a photo or video. Without `use`: to look at (a recorded read). With `use`: a download for that use (a recorded export), only while everyone in it has a written consent for it (GRP-2)",
            id_of: Some("photo or video"),
            query: &[QueryParam {
                name: "use",
                format: "",
                description: "publication or internal: download for this use",
            }],
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(content),
        },
    ]
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    ok(&state.app.activities(caller.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityIn {
    team: String,
    kind: String,
    title: String,
    location: String,
    starts_on: String,
    ends_on: String,
    photos: bool,
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<ActivityIn>,
) -> Result<Response, ApiError> {
    let id = state
        .app
        .create_activity(
            caller.actor(),
            &ActivityInput {
                team: b.team,
                kind: b.kind,
                title: b.title,
                location: b.location,
                starts_on: b.starts_on,
                ends_on: b.ends_on,
                photos: b.photos,
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
    ok(&state
        .app
        .activity_detail(caller.actor(), path_id(&id)?)
        .await?)
}

/// The facts of an activity without its team, which stays.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityChangeIn {
    kind: String,
    title: String,
    location: String,
    starts_on: String,
    ends_on: String,
    photos: bool,
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ActivityChangeIn>,
) -> Result<Response, ApiError> {
    state
        .app
        .update_activity(
            caller.actor(),
            path_id(&id)?,
            &ActivityInput {
                team: String::new(),
                kind: b.kind,
                title: b.title,
                location: b.location,
                starts_on: b.starts_on,
                ends_on: b.ends_on,
                photos: b.photos,
            },
        )
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeIn {
    on: String,
    how: String,
}

pub async fn photo_notice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NoticeIn>,
) -> Result<Response, ApiError> {
    state
        .app
        .record_photo_notice(caller.actor(), path_id(&id)?, &b.on, &b.how)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionIn {
    held_on: String,
}

pub async fn add_session(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<SessionIn>,
) -> Result<Response, ApiError> {
    let id = state
        .app
        .add_activity_session(caller.actor(), path_id(&id)?, &b.held_on)
        .await?;
    created(&Created { id })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceIn {
    present: Vec<Uuid>,
}

pub async fn attendance(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AttendanceIn>,
) -> Result<Response, ApiError> {
    state
        .app
        .record_attendance(caller.actor(), path_id(&id)?, &b.present)
        .await?;
    no_content()
}

/// A participant: exactly the six fields of the statement and the opt-out (GRP-1); any
/// other field is refused before the handler runs. No `Debug`: personal data.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantIn {
    name: String,
    #[serde(default)]
    address: String,
    birth_date: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    photo_opt_out: bool,
}

impl ParticipantIn {
    fn input(self) -> ParticipantInput {
        ParticipantInput {
            name: self.name,
            address: self.address,
            birth_date: self.birth_date,
            gender: self.gender,
            phone: self.phone,
            email: self.email,
            photo_opt_out: self.photo_opt_out,
        }
    }
}

pub async fn add_participant(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ParticipantIn>,
) -> Result<Response, ApiError> {
    let id = state
        .app
        .add_participant(caller.actor(), path_id(&id)?, &b.input())
        .await?;
    created(&Created { id })
}

pub async fn update_participant(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ParticipantIn>,
) -> Result<Response, ApiError> {
    state
        .app
        .update_participant(caller.actor(), path_id(&id)?, &b.input())
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentIn {
    #[serde(rename = "use")]
    use_: String,
    signed_on: String,
    signed_by: String,
}

pub async fn record_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ConsentIn>,
) -> Result<Response, ApiError> {
    let id = state
        .app
        .record_media_consent(
            caller.actor(),
            path_id(&id)?,
            &ConsentInput {
                use_code: b.use_,
                signed_on: b.signed_on,
                signed_by: b.signed_by,
            },
        )
        .await?;
    created(&Created { id })
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .withdraw_media_consent(caller.actor(), path_id(&id)?)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadParams {
    #[serde(default)]
    recorded_on: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    no_people: Option<String>,
}

/// Participant ids separated by commas; one that is not an id is refused.
fn tag_ids(raw: &str) -> Result<Vec<Uuid>, ApiError> {
    raw.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse().map_err(|_| ApiError::Invalid {
                field: "tags",
                message: "participant ids separated by commas",
            })
        })
        .collect()
}

fn flag(field: &'static str, raw: Option<&str>) -> Result<bool, ApiError> {
    match raw.map(str::trim) {
        None | Some("" | "false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::Invalid {
            field,
            message: "true or false",
        }),
    }
}

/// An upload: the body is the file, its media type the `Content-Type`, its name in
/// `Content-Disposition`; the day and the people in it in the query.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<UploadParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let activity = path_id(&id)?;
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "recorded_on",
        message: "give recorded_on, tags and no_people in the query, and nothing else",
    })?;
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
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
    let input = MediaInput {
        file_name: crate::disposition::filename_of(&headers).unwrap_or_default(),
        media_type,
        bytes: bytes.to_vec(),
        recorded_on: p.recorded_on,
        tags: tag_ids(&p.tags)?,
        no_people: flag("no_people", p.no_people.as_deref())?,
    };
    let id = state
        .app
        .upload_activity_media(caller.actor(), activity, &input)
        .await?;
    created(&Created { id })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagsIn {
    tags: Vec<Uuid>,
    #[serde(default)]
    no_people: bool,
}

pub async fn retag(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<TagsIn>,
) -> Result<Response, ApiError> {
    state
        .app
        .tag_activity_media(caller.actor(), path_id(&id)?, &b.tags, b.no_people)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishIn {
    publication: String,
}

pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<PublishIn>,
) -> Result<Response, ApiError> {
    state
        .app
        .publish_activity_media(caller.actor(), path_id(&id)?, &b.publication)
        .await?;
    no_content()
}

pub async fn taken_down(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .record_taken_down(caller.actor(), path_id(&id)?)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentParams {
    #[serde(default, rename = "use")]
    use_: Option<String>,
}

pub async fn content(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<ContentParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let media = path_id(&id)?;
    let refused = ApiError::Invalid {
        field: "use",
        message: "publication or internal, or no use to look at it",
    };
    let Ok(Query(p)) = query else {
        return Err(refused);
    };
    let use_ = match p.use_.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(MediaUse::parse(code).ok_or(refused)?),
    };
    let file = state
        .app
        .activity_media_file(caller.actor(), media, use_)
        .await?;
    Ok(crate::disposition::media(file, use_.is_none()))
}

/// The schemas of this module, added to the document's components.
#[expect(
    clippy::too_many_lines,
    reason = "every schema of the feature in one place, next to each other"
)]
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let uuid = json!({"type": "string", "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let instant = json!({"type": "string", "format": "date-time"});
    let boolean = json!({"type": "boolean"});
    let kind = json!({"type": "string", "enum": ["activity", "course", "workshop"]});
    let use_ = json!({"type": "string", "enum": ["publication", "internal"]});
    let signed_by =
        json!({"type": "string", "enum": ["participant", "parent", "participant_and_parent"]});
    let activity = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "branch": string,
            "team": string,
            "kind": kind,
            "title": string,
            "location": string,
            "starts_on": date,
            "ends_on": date,
            "photos": boolean,
            "photo_notice_on": {"type": ["string", "null"], "format": "date"},
            "photo_notice_how": {"type": ["string", "null"]},
            "keep_until": date,
            "created_by": uuid,
            "created_at": instant,
        },
        "required": ["id", "branch", "team", "kind", "title", "location", "starts_on", "ends_on", "photos", "photo_notice_on", "photo_notice_how", "keep_until", "created_by", "created_at"],
        "additionalProperties": false,
    });
    s.insert("Activity".into(), activity);
    let consent = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "participant": uuid,
            "use": use_,
            "signed_on": date,
            "signed_by": signed_by,
            "recorded_by": uuid,
            "recorded_at": instant,
            "withdrawn_at": {"type": ["string", "null"], "format": "date-time"},
            "withdrawn_by": {"type": ["string", "null"], "format": "uuid"},
        },
        "required": ["id", "participant", "use", "signed_on", "signed_by", "recorded_by", "recorded_at", "withdrawn_at", "withdrawn_by"],
        "additionalProperties": false,
    });
    let participant = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "name": string,
            "address": string,
            "birth_date": date,
            "gender": {"type": "string", "enum": ["female", "male", "non_binary", "unknown"]},
            "phone": string,
            "email": string,
            "photo_opt_out": boolean,
            "consents": {"type": "array", "items": consent},
            "added_by": uuid,
            "added_at": instant,
        },
        "required": ["id", "name", "address", "birth_date", "gender", "phone", "email", "photo_opt_out", "consents", "added_by", "added_at"],
        "additionalProperties": false,
    });
    let media = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "file_name": string,
            "media_type": string,
            "size_bytes": {"type": "integer", "format": "int64"},
            "recorded_on": date,
            "keep_until": date,
            "no_people": boolean,
            "tags": {"type": "array", "items": {
                "type": "object",
                "properties": {"participant": uuid, "name": string, "photo_opt_out": boolean},
                "required": ["participant", "name", "photo_opt_out"],
                "additionalProperties": false,
            }},
            "uses": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "use": use_,
                    "usable": boolean,
                    "without_consent": {"type": "array", "items": uuid, "description": "Participants in it without a written consent for this use in force"},
                },
                "required": ["use", "usable", "without_consent"],
                "additionalProperties": false,
            }},
            "uploaded_by": uuid,
            "uploaded_at": instant,
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "publication": {"type": ["string", "null"]},
            "stopped_at": {"type": ["string", "null"], "format": "date-time", "description": "Its publication stopped after a withdrawal: take it down where it was published"},
            "stopped_reason": {"type": ["string", "null"]},
        },
        "required": ["id", "file_name", "media_type", "size_bytes", "recorded_on", "keep_until", "no_people", "tags", "uses", "uploaded_by", "uploaded_at", "published_at", "publication", "stopped_at", "stopped_reason"],
        "additionalProperties": false,
    });
    s.insert(
        "ActivityDetail".into(),
        json!({
            "type": "object",
            "properties": {
                "activity": {"$ref": "#/components/schemas/Activity"},
                "sessions": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "held_on": date,
                        "present": {"type": "array", "items": uuid},
                    },
                    "required": ["id", "held_on", "present"],
                    "additionalProperties": false,
                }},
                "participants": {"type": "array", "items": participant},
                "media": {"type": "array", "items": media},
                "may_edit": boolean,
            },
            "required": ["activity", "sessions", "participants", "media", "may_edit"],
            "additionalProperties": false,
        }),
    );
    let facts = |with_team: bool| {
        let mut properties = Map::new();
        let mut required = Vec::new();
        if with_team {
            properties.insert("team".into(), json!({"type": "string", "description": "A team code of the policy, one the caller works in (a manager: any)"}));
            required.push("team");
        }
        for (name, schema) in [
            ("kind", kind.clone()),
            (
                "title",
                json!({"type": "string", "description": "2 to 200 characters"}),
            ),
            (
                "location",
                json!({"type": "string", "description": "2 to 200 characters"}),
            ),
            (
                "starts_on",
                json!({"type": "string", "format": "date", "description": "First day"}),
            ),
            (
                "ends_on",
                json!({"type": "string", "format": "date", "description": "Last day, on or after the first"}),
            ),
            (
                "photos",
                json!({"type": "boolean", "description": "Photos or video will be made"}),
            ),
        ] {
            properties.insert(name.into(), schema);
            required.push(name);
        }
        json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    };
    s.insert("ActivityInput".into(), facts(true));
    s.insert("ActivityChange".into(), facts(false));
    s.insert(
        "PhotoNotice".into(),
        json!({
            "type": "object",
            "properties": {
                "on": {"type": "string", "format": "date", "description": "The day participants were told: today or earlier, on or before the first day"},
                "how": {"type": "string", "description": "How they were told, in 5 to 500 characters"},
            },
            "required": ["on", "how"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ActivitySessionInput".into(),
        json!({
            "type": "object",
            "properties": {"held_on": {"type": "string", "format": "date", "description": "Within the activity's first and last day"}},
            "required": ["held_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "Attendance".into(),
        json!({
            "type": "object",
            "properties": {"present": {"type": "array", "items": uuid, "description": "The participants present; the others were absent"}},
            "required": ["present"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ActivityParticipantInput".into(),
        json!({
            "type": "object",
            "description": "Exactly the six fields of the privacy statement and the opt-out; any other field is refused (GRP-1).",
            "properties": {
                "name": string,
                "address": {"type": "string", "description": "May be empty"},
                "birth_date": {"type": "string", "format": "date"},
                "gender": {"type": "string", "enum": ["female", "male", "non_binary", "unknown"]},
                "phone": {"type": "string", "description": "May be empty"},
                "email": {"type": "string", "description": "May be empty"},
                "photo_opt_out": {"type": "boolean", "description": "Does not want to be photographed; withdraws every consent"},
            },
            "required": ["name", "birth_date"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MediaConsentInput".into(),
        json!({
            "type": "object",
            "properties": {
                "use": use_,
                "signed_on": {"type": "string", "format": "date", "description": "The day the form was signed"},
                "signed_by": {"type": "string", "enum": ["participant", "parent", "participant_and_parent"], "description": "Under 12 a parent, from 12 to 16 both, from 16 the participant"},
            },
            "required": ["use", "signed_on", "signed_by"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MediaTags".into(),
        json!({
            "type": "object",
            "properties": {
                "tags": {"type": "array", "items": uuid, "description": "The participants in it"},
                "no_people": {"type": "boolean", "description": "Nobody recognisable is in it"},
            },
            "required": ["tags"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MediaPublication".into(),
        json!({
            "type": "object",
            "properties": {"publication": {"type": "string", "description": "Where it is published, in 2 to 200 characters"}},
            "required": ["publication"],
            "additionalProperties": false,
        }),
    );
}
