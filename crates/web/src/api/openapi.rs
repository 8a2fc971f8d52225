//! The OpenAPI 3.1 document at `/api/v1/openapi.json`, built from the same table of
//! operations the router is built from ([`super::endpoints`]), so it lists every route
//! with its token scope, parameters, body and responses. The schemas below describe the
//! JSON the handlers write and accept; bodies refuse fields not listed here
//! (`additionalProperties: false`), and a test checks real responses against them.
//!
//! Written by hand rather than derived (utoipa): the build takes nothing from the
//! network, and this crate's dependencies do not include it; the table keeps the
//! document and the routes from drifting apart.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use zv_core::api_tokens::Scope;
use zv_domain::{
    AuditAction, AuditObject, AuditOutcome, EntryKind, Purpose, RelationKind, Role, SpecialCategory,
};

use super::{Auth, Endpoint, RequestBody, Success, endpoints};

fn string() -> Value {
    json!({"type": "string"})
}

fn uuid() -> Value {
    json!({"type": "string", "format": "uuid"})
}

fn date() -> Value {
    json!({"type": "string", "format": "date"})
}

fn instant() -> Value {
    json!({"type": "string", "format": "date-time"})
}

fn boolean() -> Value {
    json!({"type": "boolean"})
}

fn integer() -> Value {
    json!({"type": "integer"})
}

fn one_of(codes: &[&str]) -> Value {
    json!({"type": "string", "enum": codes})
}

fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The same schema, or null (OpenAPI 3.1: a JSON Schema type list).
fn nullable(schema: Value) -> Value {
    match schema {
        Value::Object(mut o) if o.contains_key("type") => {
            let t = o.remove("type").unwrap_or(Value::Null);
            o.insert("type".into(), json!([t, "null"]));
            Value::Object(o)
        }
        other => json!({"oneOf": [other, {"type": "null"}]}),
    }
}

/// An object with exactly these properties; all required but those in `optional`.
fn object(props: &[(&str, Value)], optional: &[&str]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, schema) in props {
        properties.insert((*name).to_owned(), schema.clone());
        if !optional.contains(name) {
            required.push(Value::String((*name).to_owned()));
        }
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn described(mut schema: Value, description: &str) -> Value {
    if let Value::Object(o) = &mut schema {
        o.insert("description".into(), Value::String(description.to_owned()));
    }
    schema
}

fn codes<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "every schema of the API in one place, next to each other"
)]
fn schemas() -> Value {
    let entry_kinds = codes(EntryKind::ALL, EntryKind::code);
    let categories = codes(SpecialCategory::ALL, SpecialCategory::code);
    let relations = codes(RelationKind::ALL, RelationKind::code);
    let roles = codes(&Role::ALL, Role::code);
    let scopes = codes(&Scope::ALL, Scope::code);
    let genders = ["female", "male", "non_binary", "unknown"];
    let grant_kinds = ["complaint", "quality_review", "substitute", "emergency"];
    let trajectory_input = [
        (
            "service_type",
            described(string(), "A service type code of the policy"),
        ),
        ("team", described(string(), "A team code of the policy")),
        ("domestic_violence", boolean()),
        ("opened_on", date()),
    ];
    let caseload_item = [
        ("trajectory", r("Trajectory")),
        ("client_name", string()),
        ("client_birth_date", date()),
    ];
    let mut granted_item = caseload_item.to_vec();
    granted_item.push((
        "grant_kind",
        described(one_of(&grant_kinds), "The grant that opens the dossier"),
    ));
    let mut s = Map::new();
    s.insert("Error".into(), described(object(&[
        ("error", described(string(), "A stable code: unauthorized, insufficient_scope, not_found, malformed_json, unsupported_media_type, too_large, invalid_body, invalid, not_allowed, conflict, stale, internal")),
        ("field", described(string(), "The field or parameter refused, when one is")),
        ("message", described(string(), "What is wrong, in English; never a value that was sent or stored")),
        ("request_id", described(string(), "For an internal error: quote it to the administrator")),
        ("current_version", described(integer(), "For `stale`: the entry's current version")),
        ("current", r("Entry")),
    ], &["field", "request_id", "current_version", "current"]), "An error. `current` is the entry as it is now, for `stale`."));
    s.insert(
        "Me".into(),
        object(
            &[
                ("user_id", uuid()),
                ("display_name", string()),
                ("roles", array(one_of(&roles))),
                ("teams", array(string())),
                (
                    "confidentiality_signed",
                    described(
                        boolean(),
                        "ACC-8: without it the token reaches no client data",
                    ),
                ),
                ("scopes", array(one_of(&scopes))),
                ("token_id", uuid()),
            ],
            &[],
        ),
    );
    s.insert(
        "Trajectory".into(),
        described(
            object(
                &[
                    ("id", uuid()),
                    ("client_id", uuid()),
                    ("service_type", string()),
                    ("team", string()),
                    ("branch", string()),
                    ("domestic_violence", boolean()),
                    ("opened_on", date()),
                    ("closed_on", nullable(date())),
                    ("retention_until", nullable(date())),
                    (
                        "frozen",
                        described(
                            nullable(object(
                                &[
                                    (
                                        "kind",
                                        one_of(&["restriction", "objection", "consent_withdrawn"]),
                                    ),
                                    ("since", instant()),
                                ],
                                &[],
                            )),
                            "The freeze in force (RTS-7): readable, not changed, not exported",
                        ),
                    ),
                ],
                &[],
            ),
            "A trajectory (traject): one service for one client, without dossier content.",
        ),
    );
    s.insert("CaseloadItem".into(), object(&caseload_item, &[]));
    s.insert("GrantedCaseloadItem".into(), object(&granted_item, &[]));
    s.insert(
        "Caseload".into(),
        object(
            &[
                ("open", array(r("CaseloadItem"))),
                ("closed", array(r("CaseloadItem"))),
                ("granted", array(r("GrantedCaseloadItem"))),
            ],
            &[],
        ),
    );
    s.insert(
        "ServiceLine".into(),
        object(
            &[
                ("trajectory", r("Trajectory")),
                (
                    "open",
                    described(boolean(), "The caller may open this trajectory's dossier"),
                ),
            ],
            &[],
        ),
    );
    s.insert(
        "ServicesOverview".into(),
        described(
            object(
                &[
                    ("id", uuid()),
                    ("name", string()),
                    ("birth_date", date()),
                    ("services", array(r("ServiceLine"))),
                ],
                &[],
            ),
            "Who the client is and which services they use, without content (ACC-2).",
        ),
    );
    s.insert(
        "ClientSearchResults".into(),
        object(
            &[
                (
                    "results",
                    described(
                        array(r("ServicesOverview")),
                        "The matching clients the caller may see, in id order",
                    ),
                ),
                (
                    "more",
                    described(
                        boolean(),
                        "More clients matched than a search looks at (50): narrow it with more of the name or the birth date",
                    ),
                ),
            ],
            &[],
        ),
    );
    s.insert(
        "ClientProfile".into(),
        object(
            &[
                ("id", uuid()),
                ("branch", string()),
                ("name", string()),
                ("birth_date", date()),
                ("gender", one_of(&genders)),
                ("address", nullable(string())),
                ("phone", nullable(string())),
                ("email", nullable(string())),
                ("bsn_masked", nullable(string())),
                ("confidential_address", boolean()),
            ],
            &[],
        ),
    );
    s.insert(
        "Client".into(),
        object(
            &[
                ("overview", r("ServicesOverview")),
                (
                    "profile",
                    described(
                        nullable(r("ClientProfile")),
                        "Only for a reader of the dossier",
                    ),
                ),
            ],
            &[],
        ),
    );
    s.insert(
        "RevealedBsn".into(),
        object(&[("bsn", nullable(string()))], &[]),
    );
    s.insert(
        "RegisteredClient".into(),
        object(&[("client_id", uuid()), ("trajectory_id", uuid())], &[]),
    );
    s.insert("Created".into(), object(&[("id", uuid())], &[]));
    s.insert(
        "PortalStatus".into(),
        object(
            &[
                ("client_id", uuid()),
                (
                    "account",
                    nullable(object(
                        &[
                            ("created_at", instant()),
                            (
                                "second_factor_enrolled",
                                described(boolean(), "The client has set up TOTP"),
                            ),
                        ],
                        &[],
                    )),
                ),
                (
                    "pending_invitation",
                    nullable(object(
                        &[("created_at", instant()), ("expires_at", instant())],
                        &[],
                    )),
                ),
            ],
            &[],
        ),
    );
    s.insert(
        "PortalInvitation".into(),
        object(
            &[
                ("id", uuid()),
                (
                    "code",
                    described(
                        string(),
                        "The one-time code to hand to the client; only its hash is kept",
                    ),
                ),
                ("expires_at", instant()),
            ],
            &[],
        ),
    );
    s.insert(
        "RelatedPerson".into(),
        object(
            &[
                ("id", uuid()),
                ("relation", one_of(&relations)),
                ("name", string()),
                ("birth_date", nullable(date())),
                ("phone", nullable(string())),
                ("email", nullable(string())),
                ("address", nullable(string())),
                ("authority_since", nullable(date())),
                ("mandate", nullable(string())),
                ("linked_client", nullable(uuid())),
            ],
            &[],
        ),
    );
    s.insert(
        "Progress".into(),
        object(
            &[
                ("progress", integer()),
                ("note", string()),
                ("author", uuid()),
                ("at", instant()),
            ],
            &[],
        ),
    );
    s.insert(
        "AttachmentMeta".into(),
        object(
            &[
                ("id", uuid()),
                ("filename", string()),
                ("media_type", string()),
                ("size_bytes", integer()),
            ],
            &[],
        ),
    );
    s.insert(
        "Entry".into(),
        object(
            &[
                ("id", uuid()),
                ("kind", one_of(&entry_kinds)),
                ("special_category", nullable(one_of(&categories))),
                ("necessity", nullable(string())),
                ("title", string()),
                ("body", string()),
                ("progress", nullable(integer())),
                ("version", integer()),
                ("created_by", uuid()),
                ("created_at", instant()),
                ("updated_at", instant()),
                ("progress_updates", array(r("Progress"))),
                ("attachments", array(r("AttachmentMeta"))),
            ],
            &[],
        ),
    );
    s.insert(
        "DossierAbilities".into(),
        object(
            &[
                ("see_special", boolean()),
                ("add", boolean()),
                ("edit", boolean()),
                ("work_notes", boolean()),
                ("assign", boolean()),
                ("close", boolean()),
            ],
            &[],
        ),
    );
    s.insert(
        "Worker".into(),
        object(
            &[
                ("user_id", uuid()),
                ("display_name", string()),
                ("assigned_on", date()),
            ],
            &[],
        ),
    );
    s.insert(
        "Dossier".into(),
        object(
            &[
                ("trajectory", r("Trajectory")),
                ("entries", array(r("Entry"))),
                (
                    "withheld_special",
                    described(
                        integer(),
                        "Special-category entries outside the caller's access (a quality review)",
                    ),
                ),
                ("may", r("DossierAbilities")),
                ("workers", array(r("Worker"))),
                (
                    "work_notes",
                    described(
                        array(r("WorkNote")),
                        "The caller's own work notes (DOS-2); empty for anyone else",
                    ),
                ),
            ],
            &[],
        ),
    );
    s.insert(
        "EntryInTrajectory".into(),
        object(
            &[("trajectory", r("Trajectory")), ("entry", r("Entry"))],
            &[],
        ),
    );
    s.insert(
        "EntryVersion".into(),
        object(&[("id", uuid()), ("version", integer())], &[]),
    );
    s.insert(
        "EntryVersionContent".into(),
        object(
            &[
                ("version", integer()),
                ("title", string()),
                ("body", string()),
                ("progress", nullable(integer())),
                ("author", uuid()),
                ("at", instant()),
            ],
            &[],
        ),
    );
    s.insert(
        "WorkNote".into(),
        object(
            &[
                ("id", uuid()),
                ("body", string()),
                ("created_at", instant()),
                ("updated_at", instant()),
            ],
            &[],
        ),
    );
    s.insert(
        "ClosedTrajectory".into(),
        object(&[("retention_until", date())], &[]),
    );
    s.insert(
        "Grant".into(),
        object(
            &[
                ("id", uuid()),
                ("kind", one_of(&grant_kinds)),
                ("holder", uuid()),
                ("trajectory", nullable(uuid())),
                ("absent_user", nullable(uuid())),
                ("scope_team", nullable(string())),
                ("scope_service_type", nullable(string())),
                ("purpose", string()),
                ("starts_at", instant()),
                ("ends_at", instant()),
                ("ended_at", nullable(instant())),
                ("granted_by", nullable(uuid())),
                ("reviewed_at", nullable(instant())),
                ("active", boolean()),
            ],
            &[],
        ),
    );
    s.insert(
        "AuditEvent".into(),
        described(
            object(
                &[
                    ("seq", integer()),
                    ("at", instant()),
                    (
                        "action",
                        one_of(&codes(AuditAction::ALL, AuditAction::code)),
                    ),
                    (
                        "outcome",
                        one_of(&codes(AuditOutcome::ALL, AuditOutcome::code)),
                    ),
                    (
                        "object",
                        one_of(&codes(AuditObject::ALL, AuditObject::code)),
                    ),
                    ("object_id", nullable(uuid())),
                    ("client_id", nullable(uuid())),
                    ("user_id", nullable(uuid())),
                    ("user_name", string()),
                    ("role", string()),
                    ("on_behalf_of", nullable(uuid())),
                    ("purpose", one_of(&codes(Purpose::ALL, Purpose::code))),
                    ("access_point", string()),
                    ("rule_ids", array(string())),
                    ("detail", nullable(string())),
                ],
                &[],
            ),
            "One event of the audit log (NEN 7513); clients by id only.",
        ),
    );
    s.insert(
        "AuditPage".into(),
        object(
            &[
                ("events", array(r("AuditEvent"))),
                (
                    "next_before",
                    described(
                        nullable(integer()),
                        "Pass as `before` for the next page; null on the last",
                    ),
                ),
                ("retention", r("AuditRetention")),
            ],
            &[],
        ),
    );
    s.insert(
        "AuditRetention".into(),
        described(
            object(
                &[
                    (
                        "term",
                        described(string(), "The policy's term, ISO 8601 (`P5Y`)"),
                    ),
                    ("pruned_through", nullable(integer())),
                    ("removed_before", nullable(date())),
                    ("removed_under_term", nullable(string())),
                    ("checkpoint_at", nullable(instant())),
                    ("checkpoint_key_id", nullable(string())),
                ],
                &[],
            ),
            "How long the log keeps events and what the latest signed checkpoint removed \
             (ACC-7, decision 0028)",
        ),
    );
    s.insert(
        "User".into(),
        object(
            &[
                ("id", uuid()),
                ("username", string()),
                ("display_name", string()),
                ("roles", array(one_of(&roles))),
                ("teams", array(string())),
                ("confidentiality_signed_on", nullable(date())),
                ("disabled", boolean()),
            ],
            &[],
        ),
    );
    // Request bodies.
    s.insert(
        "NewTrajectory".into(),
        object(&trajectory_input, &["domestic_violence"]),
    );
    s.insert(
        "NewClient".into(),
        object(
            &[
                ("branch", described(string(), "A branch code of the policy")),
                ("name", string()),
                ("birth_date", date()),
                ("gender", nullable(one_of(&genders))),
                ("address", nullable(string())),
                ("phone", nullable(string())),
                ("email", nullable(string())),
                ("confidential_address", boolean()),
                ("trajectory", r("NewTrajectory")),
                (
                    "statement_receipt",
                    described(
                        r("NewStatementReceipt"),
                        "The privacy statement handed over at intake (ORG-3)",
                    ),
                ),
            ],
            &[
                "gender",
                "address",
                "phone",
                "email",
                "confidential_address",
                "statement_receipt",
            ],
        ),
    );
    s.insert(
        "NewStatementReceipt".into(),
        described(
            object(
                &[
                    ("given_on", described(date(), "The day it was handed over, not in the future")),
                    (
                        "statement_given",
                        described(boolean(), "The privacy statement itself; true when left out"),
                    ),
                    (
                        "privacy_card_given",
                        described(
                            boolean(),
                            "The privacy card, only where the policy hands one out (organisation.privacy_card)",
                        ),
                    ),
                ],
                &["statement_given", "privacy_card_given"],
            ),
            "What was handed over; the version recorded is the policy's current statement_version.",
        ),
    );
    s.insert(
        "StatementReceipt".into(),
        described(
            object(
                &[
                    ("id", uuid()),
                    ("client_id", uuid()),
                    ("statement_version", string()),
                    ("statement_given", boolean()),
                    ("privacy_card_given", boolean()),
                    ("given_on", date()),
                    ("recorded_by", nullable(uuid())),
                    ("recorded_at", instant()),
                    (
                        "is_current",
                        described(boolean(), "The version is the policy's current one"),
                    ),
                ],
                &[],
            ),
            "Which privacy statement a client was given, and when (ORG-3).",
        ),
    );
    s.insert(
        "BsnInput".into(),
        object(
            &[(
                "bsn",
                described(string(), "8 or 9 digits, passing the elfproef"),
            )],
            &[],
        ),
    );
    s.insert(
        "ClientSearch".into(),
        object(
            &[
                (
                    "name",
                    described(
                        string(),
                        "Words of the name, each at least two letters (prefix match)",
                    ),
                ),
                ("birth_date", described(date(), "Exact birth date")),
            ],
            &["name", "birth_date"],
        ),
    );
    s.insert(
        "NewRelatedPerson".into(),
        object(
            &[
                ("relation", one_of(&relations)),
                ("name", string()),
                ("birth_date", nullable(date())),
                ("phone", nullable(string())),
                ("email", nullable(string())),
                ("address", nullable(string())),
                (
                    "authority_since",
                    described(
                        nullable(date()),
                        "For a parent with authority or a guardian: since when",
                    ),
                ),
                (
                    "mandate",
                    described(
                        nullable(string()),
                        "For a legal representative: what the mandate covers",
                    ),
                ),
                ("linked_client", nullable(uuid())),
            ],
            &[
                "birth_date",
                "phone",
                "email",
                "address",
                "authority_since",
                "mandate",
                "linked_client",
            ],
        ),
    );
    s.insert(
        "NewEntry".into(),
        object(
            &[
                ("kind", one_of(&entry_kinds)),
                ("title", string()),
                ("body", string()),
                (
                    "progress",
                    described(
                        nullable(json!({"type": "integer", "minimum": 0, "maximum": 100})),
                        "Only for a goal: percent",
                    ),
                ),
                (
                    "special_category",
                    described(nullable(one_of(&categories)), "DOS-3: needs a necessity"),
                ),
                (
                    "necessity",
                    described(
                        nullable(string()),
                        "Why recording the special category is necessary (at least 10 characters)",
                    ),
                ),
            ],
            &["body", "progress", "special_category", "necessity"],
        ),
    );
    s.insert(
        "EditEntry".into(),
        object(
            &[
                (
                    "version",
                    described(integer(), "The version the edit was made on"),
                ),
                ("title", string()),
                ("body", string()),
                (
                    "progress",
                    nullable(json!({"type": "integer", "minimum": 0, "maximum": 100})),
                ),
            ],
            &["body", "progress"],
        ),
    );
    s.insert(
        "NewProgress".into(),
        object(
            &[
                (
                    "progress",
                    json!({"type": "integer", "minimum": 0, "maximum": 100}),
                ),
                ("note", string()),
            ],
            &["note"],
        ),
    );
    s.insert("NewWorkNote".into(), object(&[("body", string())], &[]));
    s.insert(
        "CloseTrajectory".into(),
        object(&[("closed_on", date())], &[]),
    );
    s.insert("AssignWorker".into(), object(&[("user_id", uuid())], &[]));
    s.insert(
        "EmergencyAccess".into(),
        object(
            &[
                (
                    "reason",
                    described(
                        string(),
                        "Why, without naming the client (at least 10 characters)",
                    ),
                ),
                (
                    "hours",
                    described(
                        json!({"type": "integer", "minimum": 1}),
                        "At most the policy's security.emergency_access_max_hours",
                    ),
                ),
            ],
            &[],
        ),
    );
    s.insert(
        "NewComplaint".into(),
        object(
            &[
                ("received_on", date()),
                ("channel", one_of(&zv_core::grants::COMPLAINT_CHANNELS)),
                ("subject", string()),
                (
                    "ends_on",
                    described(
                        date(),
                        "The handler's access ends at the latest at the end of this day",
                    ),
                ),
            ],
            &[],
        ),
    );
    s.insert(
        "NewSubstitute".into(),
        object(
            &[
                ("absent", uuid()),
                ("substitute", uuid()),
                ("ends_on", date()),
                ("reason", string()),
            ],
            &[],
        ),
    );
    s.insert(
        "NewQualityReview".into(),
        object(
            &[
                ("reviewer", uuid()),
                ("team", nullable(string())),
                ("service_type", nullable(string())),
                ("ends_on", date()),
                ("purpose", string()),
            ],
            &["team", "service_type"],
        ),
    );
    withholding_schemas(&mut s);
    super::minors::schemas(&mut s);
    super::rights_effects::schemas(&mut s);
    super::access_copy::schemas(&mut s);
    super::portability::schemas(&mut s);
    // `Complaint` (the handler's list) and the complaint workflow's schemas.
    super::complaints::schemas(&mut s);
    super::requests::schemas(&mut s);
    super::erasure::schemas(&mut s);
    super::meldcode::schemas(&mut s);
    super::consents::schemas(&mut s);
    super::sharing::schemas(&mut s);
    super::retention::schemas(&mut s);
    super::destruction::schemas(&mut s);
    super::newsletters::schemas(&mut s);
    super::cameras::schemas(&mut s);
    super::activities::schemas(&mut s);
    super::correspondence::schemas(&mut s);
    super::breaches::schemas(&mut s);
    super::personnel::schemas(&mut s);
    super::processing_register::schemas(&mut s);
    super::reports::schemas(&mut s);
    super::training_export::schemas(&mut s);
    super::statements::schemas(&mut s);
    Value::Object(s)
}

/// POR-2 withholdings and POR-4 requests and complaints.
fn withholding_schemas(s: &mut Map<String, Value>) {
    use zv_core::requests::{FiledStatus, RequestKind};
    use zv_core::withholdings::{Ground, ReviewOutcome, Scope as WithholdScope};
    let grounds = codes(Ground::ALL, Ground::code);
    let scopes = codes(WithholdScope::ALL, WithholdScope::code);
    let outcomes = codes(ReviewOutcome::ALL, ReviewOutcome::code);
    s.insert(
        "Withholding".into(),
        described(
            object(
                &[
                    ("id", uuid()),
                    ("client", uuid()),
                    ("trajectory", uuid()),
                    ("entry", uuid()),
                    ("scope", one_of(&scopes)),
                    ("passage", nullable(string())),
                    ("ground", one_of(&grounds)),
                    (
                        "explanation",
                        described(string(), "For staff and the privacy officer; never shown to the client"),
                    ),
                    (
                        "hide_fact",
                        described(boolean(), "Even the fact of withholding is hidden from the client"),
                    ),
                    ("created_by", uuid()),
                    ("created_at", instant()),
                    ("lifted_at", nullable(instant())),
                    ("lifted_by", nullable(uuid())),
                    ("lift_reason", nullable(string())),
                    (
                        "review",
                        nullable(object(
                            &[
                                ("outcome", one_of(&outcomes)),
                                ("note", nullable(string())),
                                ("by", uuid()),
                                ("at", instant()),
                            ],
                            &[],
                        )),
                    ),
                    (
                        "passage_found",
                        described(
                            nullable(boolean()),
                            "For a passage in force read with its entry: whether it still occurs in the entry's text (if not, the client sees the entry withheld as a whole)",
                        ),
                    ),
                ],
                &[],
            ),
            "A part of a dossier withheld from the client (POR-2)",
        ),
    );
    s.insert(
        "NewWithholding".into(),
        object(
            &[
                ("scope", one_of(&scopes)),
                (
                    "passage",
                    described(
                        nullable(string()),
                        "For scope passage: the exact passage, as it occurs in the entry's text",
                    ),
                ),
                ("ground", one_of(&grounds)),
                ("explanation", described(string(), "At least 10 characters")),
                ("hide_fact", boolean()),
            ],
            &["passage", "hide_fact"],
        ),
    );
    s.insert(
        "LiftWithholding".into(),
        object(
            &[("reason", described(string(), "At least 10 characters"))],
            &[],
        ),
    );
    s.insert(
        "WithholdingReview".into(),
        object(
            &[
                ("outcome", one_of(&outcomes)),
                (
                    "note",
                    described(
                        nullable(string()),
                        "Required (at least 10 characters) with ask_to_lift",
                    ),
                ),
            ],
            &["note"],
        ),
    );
    s.insert(
        "OpenWithholding".into(),
        object(
            &[
                ("id", uuid()),
                ("client", uuid()),
                ("trajectory", uuid()),
                ("entry", uuid()),
                ("scope", one_of(&scopes)),
                ("ground", one_of(&grounds)),
                ("hide_fact", boolean()),
                ("created_by", uuid()),
                ("created_at", instant()),
                ("asked_to_lift_at", nullable(instant())),
            ],
            &[],
        ),
    );
    s.insert(
        "FiledRequest".into(),
        object(
            &[
                ("id", uuid()),
                (
                    "reference",
                    described(
                        string(),
                        "VZ-YYYY-NNNNNN for a request, KL-YYYY-NNNNNN for a complaint",
                    ),
                ),
                ("filing", one_of(&["rights_request", "complaint"])),
                (
                    "kind",
                    nullable(one_of(&codes(RequestKind::ALL, RequestKind::code))),
                ),
                ("client", uuid()),
                ("channel", string()),
                ("received_on", date()),
                (
                    "status",
                    one_of(&codes(FiledStatus::ALL, FiledStatus::code)),
                ),
                (
                    "trajectories",
                    described(
                        array(uuid()),
                        "The trajectories a request is about; empty is everything",
                    ),
                ),
                ("created_at", instant()),
            ],
            &[],
        ),
    );
    s.insert(
        "FiledRequestDetail".into(),
        object(
            &[
                ("filed", r("FiledRequest")),
                (
                    "filed_by_related_person",
                    described(
                        boolean(),
                        "A parent or legal representative filed it for the client",
                    ),
                ),
                ("client_name", string()),
                ("subject", nullable(string())),
                ("text", string()),
            ],
            &[],
        ),
    );
}

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "The body is not valid JSON",
        401 => "No token, or one that is unknown, revoked or expired",
        403 => "The token lacks the scope, or the caller's role does not include this",
        404 => {
            "Not found, or not visible to the caller (a dossier one may not see is never confirmed to exist)"
        }
        409 => {
            "In conflict with the current state (a closed trajectory, a stale version, already done)"
        }
        413 => "The body is too large",
        415 => "The body is not declared as application/json",
        422 => "A value or the body's shape is refused; nothing was changed",
        _ => "Error",
    }
}

fn error_response(status: u16) -> Value {
    json!({
        "description": status_text(status),
        "content": {"application/json": {"schema": r("Error")}},
    })
}

fn operation(e: &Endpoint) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(e.operation_id));
    op.insert("tags".into(), json!([e.tag]));
    op.insert("summary".into(), json!(e.summary));
    let mut parameters = Vec::new();
    if let Some(what) = e.id_of {
        parameters.push(json!({
            "name": "id",
            "in": "path",
            "required": true,
            "description": format!("The {what}'s id"),
            "schema": uuid(),
        }));
    }
    for q in e.query {
        let schema = match q.format {
            "date" => date(),
            "uuid" => uuid(),
            "boolean" => boolean(),
            "int64" => json!({"type": "integer", "format": "int64"}),
            _ => string(),
        };
        parameters.push(json!({
            "name": q.name,
            "in": "query",
            "required": false,
            "description": q.description,
            "schema": schema,
        }));
    }
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    match e.body {
        RequestBody::None => {}
        RequestBody::Json(name) => {
            op.insert(
                "requestBody".into(),
                json!({
                    "required": true,
                    "content": {"application/json": {"schema": r(name)}},
                }),
            );
        }
        RequestBody::File | RequestBody::Media | RequestBody::Document => {
            let accepted = match e.body {
                RequestBody::Media => super::activities::MEDIA_TYPES,
                RequestBody::Document => zv_core::personnel::ACCEPTED_DOCUMENT_TYPES,
                _ => zv_core::attachments::ACCEPTED_MEDIA_TYPES,
            };
            let content: Map<String, Value> = accepted
                .iter()
                .map(|m| {
                    (
                        (*m).to_owned(),
                        json!({"schema": {"type": "string", "contentMediaType": m}}),
                    )
                })
                .collect();
            op.insert(
                "requestBody".into(),
                json!({
                    "required": true,
                    "description": "The file itself; Content-Type is its media type",
                    "content": content,
                }),
            );
        }
    }
    let mut responses = Map::new();
    let json_of = |schema: Value| json!({"application/json": {"schema": schema}});
    let (status, ok) = match e.success {
        Success::Ok(name) => (
            "200",
            json!({"description": "OK", "content": json_of(r(name))}),
        ),
        Success::List(name) => (
            "200",
            json!({"description": "OK", "content": json_of(array(r(name)))}),
        ),
        Success::Created(name) => (
            "201",
            json!({"description": "Created", "content": json_of(r(name))}),
        ),
        Success::NoContent => ("204", json!({"description": "Done"})),
        Success::File => (
            "200",
            json!({
                "description": "The file, with its media type as Content-Type",
                "headers": {"Content-Disposition": {"schema": string()}},
                "content": {"*/*": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}},
            }),
        ),
        Success::Document => (
            "200",
            json!({"description": "This document", "content": json_of(json!({"type": "object"}))}),
        ),
    };
    responses.insert(status.into(), ok);
    let mut errors: Vec<u16> = e.errors.to_vec();
    match e.auth {
        Auth::Public => {
            op.insert("security".into(), json!([]));
        }
        Auth::Token => {
            op.insert("security".into(), json!([{"bearer": []}]));
            errors.push(401);
        }
        Auth::Scope(scope) => {
            op.insert("security".into(), json!([{"bearer": [scope.code()]}]));
            op.insert("x-scope".into(), json!(scope.code()));
            errors.extend([401, 403]);
        }
    }
    errors.sort_unstable();
    errors.dedup();
    for status in errors {
        responses.insert(status.to_string(), error_response(status));
    }
    op.insert("responses".into(), Value::Object(responses));
    Value::Object(op)
}

/// The whole document.
#[must_use]
pub fn build() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for e in endpoints() {
        let item = paths.entry(e.path.to_owned()).or_insert_with(|| json!({}));
        if let Value::Object(o) = item {
            o.insert(e.verb.lower().to_owned(), operation(&e));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Zorgvuldig API",
            "version": "1",
            "description": "Every action of the staff web app, for integrations. A token acts as the staff member who created it (on /api-sleutels) and passes the same access rules and audit log as the web app; its scopes only narrow what it may be used for. A dossier the caller may not see answers 404. Bodies are JSON, with no fields besides those listed.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [
            {"name": "meta"},
            {"name": "clients"},
            {"name": "portal"},
            {"name": "trajectories"},
            {"name": "dossier"},
            {"name": "access"},
            {"name": "audit"},
            {"name": "withholdings"},
            {"name": "rights_effects"},
            {"name": "erasure"},
            {"name": "access-copy"},
            {"name": "portability"},
            {"name": "complaints"},
            {"name": "consents"},
            {"name": "sharing"},
            {"name": "retention"},
            {"name": "newsletters"},
            {"name": "cameras"},
            {"name": "activities"},
            {"name": "correspondence"},
            {"name": "breaches"},
            {"name": "personnel"},
            {"name": "transparency"},
            {"name": "reports"},
            {"name": "users"},
        ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "zv_...",
                    "description": "A token made on /api-sleutels, expiring and revocable, with scopes: read (reading personal data), write (creating and changing), audit (the privacy officer's audit log and register of grants), admin (user administration). An operation names the scope it needs in its security requirement and in x-scope.",
                },
            },
            "schemas": schemas(),
        },
    })
}

/// The document, built once.
static DOCUMENT: LazyLock<Vec<u8>> =
    LazyLock::new(|| serde_json::to_vec(&build()).unwrap_or_default());

pub async fn document() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_slice(),
    )
        .into_response()
}
