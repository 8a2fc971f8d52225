//! Parents and representatives through the API (MIN-1..4): their portal access, the
//! blocks per parent (MIN-2) and the mandates (MIN-4), the same core calls as the client
//! page in `pages::minors`. The young person's consent (MIN-3) is given in the portal
//! only, so the API only shows it.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::api_tokens::Scope;
use zv_domain::{ClientId, RelatedPersonId, TrajectoryId};

use super::auth::Caller;
use super::{
    ApiError, Auth, Endpoint, JsonBody, RequestBody, Success, Verb, created, no_content, ok,
    path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(Scope::Read);
const WRITE: Auth = Auth::Scope(Scope::Write);

/// The operations of this module, listed in the one table of the API.
pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/clients/{id}/related-persons/portal",
            auth: READ,
            operation_id: "relatedPortalStates",
            tag: "minors",
            summary: "Per related person: portal account or invitation, a parent's block (MIN-2), the young person's consent (MIN-3), a representative's mandate (MIN-4)",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::List("RelatedPortalState"),
            errors: &[404],
            handler: || get(states),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/clients/{id}/parent-blocks",
            auth: READ,
            operation_id: "parentBlocksOfClient",
            tag: "minors",
            summary: "The blocks of the client's parents, in force and lifted, with their reasons (MIN-2; reading them is recorded)",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::List("ParentBlock"),
            errors: &[404],
            handler: || get(blocks_of_client),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/related-persons/{id}/portal/invitations",
            auth: WRITE,
            operation_id: "inviteRelatedPerson",
            tag: "minors",
            summary: "A one-time invitation code for a parent with authority or guardian of a minor, or a legal representative of an adult (the rules decide, MIN-1..4)",
            id_of: Some("related person"),
            query: &[],
            body: B::None,
            success: S::Created("PortalInvitation"),
            errors: &[404, 409, 422],
            handler: || post(invite),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/related-persons/{id}/portal/revoke",
            auth: WRITE,
            operation_id: "revokeRelatedPerson",
            tag: "minors",
            summary: "End a related person's portal access to this client: the link, open invitations, and the account when it reads for nobody else",
            id_of: Some("related person"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(revoke),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/related-persons/{id}/parent-block",
            auth: WRITE,
            operation_id: "blockParent",
            tag: "minors",
            summary: "Record that the child's interest opposes this parent's access (MIN-2), with a reason",
            id_of: Some("related person"),
            query: &[],
            body: B::Json("ParentBlockInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(block),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/related-persons/{id}/parent-block/lift",
            auth: WRITE,
            operation_id: "liftParentBlock",
            tag: "minors",
            summary: "Lift the block in force for this parent (MIN-2); the record stays for review",
            id_of: Some("related person"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(lift),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/related-persons/{id}/mandate",
            auth: WRITE,
            operation_id: "recordMandate",
            tag: "minors",
            summary: "Record what a legal representative may act in (the whole dossier or some trajectories) and until when (MIN-4)",
            id_of: Some("related person"),
            query: &[],
            body: B::Json("MandateInput"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || put(mandate),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/parent-blocks",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "parentBlocksForReview",
            tag: "minors",
            summary: "Every block of every client with its reason, for the privacy officer's review (MIN-2; each client's reasons a recorded read)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("ParentBlock"),
            errors: &[404],
            handler: || get(review),
        },
    ]
}

#[derive(Serialize)]
struct Mandate {
    whole_dossier: bool,
    trajectories: Vec<uuid::Uuid>,
    ends_on: NaiveDate,
}

#[derive(Serialize)]
struct RelatedPortalState {
    related_person_id: uuid::Uuid,
    relation: &'static str,
    account_since: Option<DateTime<Utc>>,
    second_factor_enrolled: bool,
    pending_invitation_until: Option<DateTime<Utc>>,
    blocked_since: Option<DateTime<Utc>>,
    consent_since: Option<DateTime<Utc>>,
    mandate: Option<Mandate>,
}

#[derive(Serialize)]
struct ParentBlock {
    id: uuid::Uuid,
    client_id: uuid::Uuid,
    related_person_id: uuid::Uuid,
    reason: String,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
    lifted_by: Option<String>,
    lifted_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParentBlockInput {
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MandateInput {
    whole_dossier: bool,
    #[serde(default)]
    trajectories: Vec<uuid::Uuid>,
    ends_on: String,
}

fn client_id(raw: &str) -> Result<ClientId, ApiError> {
    path_id(raw).map(ClientId::from_uuid)
}

fn person_id(raw: &str) -> Result<RelatedPersonId, ApiError> {
    path_id(raw).map(RelatedPersonId::from_uuid)
}

fn block_of(b: zv_core::minors::ParentBlockView) -> ParentBlock {
    ParentBlock {
        id: b.id,
        client_id: b.client_id.as_uuid(),
        related_person_id: b.related_person_id.as_uuid(),
        reason: b.reason,
        recorded_by: b.recorded_by,
        recorded_at: b.recorded_at,
        lifted_by: b.lifted_by,
        lifted_at: b.lifted_at,
    }
}

pub async fn states(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let states = state
        .app
        .related_portal_states(caller.actor(), client_id(&id)?)
        .await?;
    ok(&states
        .into_iter()
        .map(|s| RelatedPortalState {
            related_person_id: s.related_person_id.as_uuid(),
            relation: s.relation.code(),
            account_since: s.account_since,
            second_factor_enrolled: s.second_factor_enrolled,
            pending_invitation_until: s.pending_until,
            blocked_since: s.blocked_since,
            consent_since: s.consent_since,
            mandate: s.mandate.map(|m| Mandate {
                whole_dossier: m.whole_dossier,
                trajectories: m.trajectories.iter().map(|t| t.as_uuid()).collect(),
                ends_on: m.ends_on,
            }),
        })
        .collect::<Vec<_>>())
}

pub async fn blocks_of_client(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let blocks = state
        .app
        .parent_blocks_of_client(caller.actor(), client_id(&id)?)
        .await?;
    ok(&blocks.into_iter().map(block_of).collect::<Vec<_>>())
}

pub async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let issued = state
        .app
        .invite_related_to_portal(caller.actor(), person_id(&id)?)
        .await?;
    created(&super::portal::PortalInvitation::from(issued))
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .revoke_related_portal_access(caller.actor(), person_id(&id)?)
        .await?;
    no_content()
}

pub async fn block(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ParentBlockInput>,
) -> Result<Response, ApiError> {
    state
        .app
        .record_parent_block(caller.actor(), person_id(&id)?, &b.reason)
        .await?;
    no_content()
}

pub async fn lift(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .lift_parent_block(caller.actor(), person_id(&id)?)
        .await?;
    no_content()
}

pub async fn mandate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<MandateInput>,
) -> Result<Response, ApiError> {
    let ends_on = NaiveDate::parse_from_str(b.ends_on.trim(), "%Y-%m-%d")
        .map_err(|_| CoreError::invalid("ends_on", "not a date"))?;
    state
        .app
        .record_mandate(
            caller.actor(),
            person_id(&id)?,
            zv_core::minors::MandateInput {
                whole_dossier: b.whole_dossier,
                trajectories: b
                    .trajectories
                    .into_iter()
                    .map(TrajectoryId::from_uuid)
                    .collect(),
                ends_on,
            },
        )
        .await?;
    no_content()
}

pub async fn review(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let blocks = state.app.parent_blocks_for_review(caller.actor()).await?;
    ok(&blocks.into_iter().map(block_of).collect::<Vec<_>>())
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::json;
    let uuid = json!({"type": "string", "format": "uuid"});
    let instant = json!({"type": "string", "format": "date-time"});
    let nullable_instant = json!({"type": ["string", "null"], "format": "date-time"});
    let date = json!({"type": "string", "format": "date"});
    let relations: Vec<&str> = zv_domain::RelationKind::ALL
        .iter()
        .map(|r| r.code())
        .collect();
    s.insert(
        "RelatedPortalState".into(),
        json!({
            "type": "object",
            "properties": {
                "related_person_id": uuid,
                "relation": {"type": "string", "enum": relations},
                "account_since": nullable_instant,
                "second_factor_enrolled": {"type": "boolean"},
                "pending_invitation_until": nullable_instant,
                "blocked_since": nullable_instant,
                "consent_since": nullable_instant,
                "mandate": {"oneOf": [{
                    "type": "object",
                    "properties": {
                        "whole_dossier": {"type": "boolean"},
                        "trajectories": {"type": "array", "items": uuid},
                        "ends_on": date,
                    },
                    "required": ["whole_dossier", "trajectories", "ends_on"],
                    "additionalProperties": false,
                }, {"type": "null"}]},
            },
            "required": ["related_person_id", "relation", "account_since", "second_factor_enrolled",
                "pending_invitation_until", "blocked_since", "consent_since", "mandate"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ParentBlock".into(),
        json!({
            "type": "object",
            "properties": {
                "id": uuid,
                "client_id": uuid,
                "related_person_id": uuid,
                "reason": {"type": "string"},
                "recorded_by": {"type": "string"},
                "recorded_at": instant,
                "lifted_by": {"type": ["string", "null"]},
                "lifted_at": nullable_instant,
            },
            "required": ["id", "client_id", "related_person_id", "reason", "recorded_by",
                "recorded_at", "lifted_by", "lifted_at"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ParentBlockInput".into(),
        json!({
            "type": "object",
            "properties": {
                "reason": {"type": "string", "description": "Why the child's interest opposes this parent's access; kept encrypted, seen by the workers on the case and the privacy officer"},
            },
            "required": ["reason"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MandateInput".into(),
        json!({
            "type": "object",
            "properties": {
                "whole_dossier": {"type": "boolean"},
                "trajectories": {"type": "array", "items": uuid, "description": "The trajectories the mandate covers when not the whole dossier"},
                "ends_on": date,
            },
            "required": ["whole_dossier", "ends_on"],
            "additionalProperties": false,
        }),
    );
}
