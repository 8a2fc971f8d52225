//! The JSON API under `/api/v1`: the same use cases as the web pages, for integrations,
//! with bearer tokens that a staff member creates and revokes on `/api-sleutels`.
//!
//! Handlers call the core (never the store), so every call passes the same gate as the
//! web app: the access rules decide, the audit log records (access point `api <ip>`),
//! and a dossier the caller may not see is 404. A token acts as its owner and its scopes
//! only narrow that: `read` for reading personal data, `write` for creating and changing,
//! `audit` for the privacy officer's log and register, `admin` for user administration.
//!
//! [`endpoints`] is the one table of operations: the router is built from it, each with
//! its token check, and the OpenAPI document at `/api/v1/openapi.json` describes it, so
//! the two cannot differ.

mod access;
mod access_copy;
mod activities;
mod audit;
mod auth;
mod breaches;
mod cameras;
mod clients;
mod complaints;
mod consents;
mod correspondence;
mod destruction;
pub(crate) mod dossier;
mod erasure;
mod error;
mod meldcode;
mod minors;
mod newsletters;
mod openapi;
mod personnel;
mod portability;
mod portal;
mod processing_register;
pub(crate) mod recordings;
mod reports;
mod requests;
mod retention;
mod rights_effects;
pub(crate) mod sharing;
mod statements;
mod training_export;
mod trajectories;
mod users;
mod withholdings;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use serde::Serialize;
use serde::de::DeserializeOwned;
use zv_core::api_tokens::Scope;

pub use error::ApiError;

use crate::state::AppState;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Anyone (the OpenAPI document).
    Public,
    /// Any live token.
    Token,
    /// A live token with this scope.
    Scope(Scope),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
}

impl Verb {
    pub const fn lower(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Post => "post",
            Self::Put => "put",
        }
    }
}

/// What a request body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestBody {
    None,
    /// JSON of the named schema.
    Json(&'static str),
    /// The bytes of a file, its media type as `Content-Type`.
    File,
    /// The bytes of a photo or video of a group activity (GRP-2), its media type as
    /// `Content-Type`.
    Media,
    /// The bytes of a document of an applicant, a staff record or a financial record
    /// (RET-2): a PDF, an image or a text document, its media type as `Content-Type`.
    Document,
}

/// What a successful response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Success {
    /// 200 with JSON of the named schema.
    Ok(&'static str),
    /// 200 with a JSON array of the named schema.
    List(&'static str),
    /// 201 with JSON of the named schema.
    Created(&'static str),
    /// 204, no body.
    NoContent,
    /// 200 with the bytes of a file.
    File,
    /// 200 with the OpenAPI document.
    Document,
}

/// A query parameter: name, JSON schema type and format, description.
#[derive(Debug, Clone, Copy)]
pub struct QueryParam {
    pub name: &'static str,
    pub format: &'static str,
    pub description: &'static str,
}

/// One operation of the API.
pub struct Endpoint {
    pub verb: Verb,
    /// Below `/api/v1`, with `{id}` for the path parameter.
    pub path: &'static str,
    pub auth: Auth,
    pub operation_id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// What the path's `{id}` names.
    pub id_of: Option<&'static str>,
    pub query: &'static [QueryParam],
    pub body: RequestBody,
    pub success: Success,
    /// Error statuses besides the ones every authenticated call can give (401, 403).
    pub errors: &'static [u16],
    handler: fn() -> MethodRouter<AppState>,
}

const READ: Auth = Auth::Scope(Scope::Read);
const WRITE: Auth = Auth::Scope(Scope::Write);

/// Every operation of the API, in the order the document lists them.
#[expect(
    clippy::too_many_lines,
    reason = "the one table of every operation; splitting it hides the API's shape"
)]
pub fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    let mut all = vec![
        Endpoint {
            verb: Verb::Get,
            path: "/openapi.json",
            auth: Auth::Public,
            operation_id: "openapi",
            tag: "meta",
            summary: "This document: every operation, its parameters and schemas",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::Document,
            errors: &[],
            handler: || get(openapi::document),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/me",
            auth: Auth::Token,
            operation_id: "me",
            tag: "meta",
            summary: "Who the token acts as, and its scopes",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::Ok("Me"),
            errors: &[],
            handler: || get(users::me),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/caseload",
            auth: READ,
            operation_id: "caseload",
            tag: "clients",
            summary: "My caseload: the trajectories I work on, and those a running grant opens to me",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::Ok("Caseload"),
            errors: &[404],
            handler: || get(clients::caseload),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/search",
            auth: READ,
            operation_id: "searchClients",
            tag: "clients",
            summary: "Find clients by the start of their name and/or their birth date, given in the body and never in the URL (the search is recorded)",
            id_of: None,
            query: &[],
            body: B::Json("ClientSearch"),
            success: S::Ok("ClientSearchResults"),
            errors: &[400, 413, 415, 422],
            handler: || post(clients::search),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients",
            auth: WRITE,
            operation_id: "registerClient",
            tag: "clients",
            summary: "Intake: register a client with a first trajectory; the caller is assigned to it",
            id_of: None,
            query: &[],
            body: B::Json("NewClient"),
            success: S::Created("RegisteredClient"),
            errors: &[400, 413, 415, 422],
            handler: || post(clients::register),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/clients/{id}",
            auth: READ,
            operation_id: "getClient",
            tag: "clients",
            summary: "A client: the services overview, and the profile for a reader of the dossier",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::Ok("Client"),
            errors: &[404],
            handler: || get(clients::client),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/bsn/reveal",
            auth: READ,
            operation_id: "revealBsn",
            tag: "clients",
            summary: "Show the full BSN (a separate, recorded read, DOS-4)",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::Ok("RevealedBsn"),
            errors: &[404],
            handler: || post(clients::reveal_bsn),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/bsn",
            auth: WRITE,
            operation_id: "recordBsn",
            tag: "clients",
            summary: "Record the BSN, where the service type's policy names a legal obligation",
            id_of: Some("client"),
            query: &[],
            body: B::Json("BsnInput"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || post(clients::record_bsn),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/clients/{id}/related-persons",
            auth: READ,
            operation_id: "relatedPersons",
            tag: "clients",
            summary: "Parents, guardians, representatives and family of a client",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::List("RelatedPerson"),
            errors: &[404],
            handler: || get(clients::related_persons),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/related-persons",
            auth: WRITE,
            operation_id: "addRelatedPerson",
            tag: "clients",
            summary: "Add a related person to a client",
            id_of: Some("client"),
            query: &[],
            body: B::Json("NewRelatedPerson"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(clients::add_related_person),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/clients/{id}/statement-receipts",
            auth: READ,
            operation_id: "statementReceipts",
            tag: "clients",
            summary: "Which privacy statement versions (and privacy cards) the client was given, and when (ORG-3)",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::List("StatementReceipt"),
            errors: &[404],
            handler: || get(clients::statement_receipts),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/statement-receipts",
            auth: WRITE,
            operation_id: "recordStatementReceipt",
            tag: "clients",
            summary: "Record that the client was given the current privacy statement (and the privacy card, where the policy hands one out) on a day (ORG-3)",
            id_of: Some("client"),
            query: &[],
            body: B::Json("NewStatementReceipt"),
            success: S::Created("StatementReceipt"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(clients::record_statement_receipt),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/clients/{id}/portal",
            auth: READ,
            operation_id: "portalStatus",
            tag: "portal",
            summary: "Whether the client has an account for the client portal or an open invitation (POR-1; the assigned worker)",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::Ok("PortalStatus"),
            errors: &[404],
            handler: || get(portal::status),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/portal/invitations",
            auth: WRITE,
            operation_id: "inviteToPortal",
            tag: "portal",
            summary: "A new one-time invitation code to the client portal, in this answer only, valid for the policy's days; replaces an unused earlier one (adult clients; 409 when the client has an account)",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::Created("PortalInvitation"),
            errors: &[404, 409, 422],
            handler: || post(portal::invite),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/portal/revoke",
            auth: WRITE,
            operation_id: "revokePortalAccess",
            tag: "portal",
            summary: "End the client's portal access: the account, its sessions and open invitations",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(portal::revoke),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/trajectories",
            auth: WRITE,
            operation_id: "openTrajectory",
            tag: "trajectories",
            summary: "Open a further trajectory for a client; the caller is assigned to it",
            id_of: Some("client"),
            query: &[],
            body: B::Json("NewTrajectory"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(trajectories::open),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/trajectories/{id}",
            auth: READ,
            operation_id: "getDossier",
            tag: "dossier",
            summary: "The dossier of a trajectory: its entries, with what the caller may do in it",
            id_of: Some("trajectory"),
            query: &[],
            body: B::None,
            success: S::Ok("Dossier"),
            errors: &[404],
            handler: || get(dossier::dossier),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/entries",
            auth: WRITE,
            operation_id: "addEntry",
            tag: "dossier",
            summary: "Add an entry to an open trajectory's dossier",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("NewEntry"),
            success: S::Created("EntryVersion"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(dossier::add_entry),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/trajectories/{id}/work-notes",
            auth: READ,
            operation_id: "myWorkNotes",
            tag: "dossier",
            summary: "My own work notes on a trajectory (DOS-2: nobody else's)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::None,
            success: S::List("WorkNote"),
            errors: &[404],
            handler: || get(dossier::my_work_notes),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/work-notes",
            auth: WRITE,
            operation_id: "addWorkNote",
            tag: "dossier",
            summary: "Write a work note of my own on a trajectory",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("NewWorkNote"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(dossier::add_work_note),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/close",
            auth: WRITE,
            operation_id: "closeTrajectory",
            tag: "trajectories",
            summary: "Close a trajectory: work notes are destroyed, the retention date is fixed",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("CloseTrajectory"),
            success: S::Ok("ClosedTrajectory"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(trajectories::close),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/workers",
            auth: WRITE,
            operation_id: "assignWorker",
            tag: "trajectories",
            summary: "Assign a worker to a trajectory",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("AssignWorker"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || post(trajectories::assign_worker),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/workers/remove",
            auth: WRITE,
            operation_id: "unassignWorker",
            tag: "trajectories",
            summary: "End a worker's assignment (an open trajectory keeps at least one)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("AssignWorker"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || post(trajectories::unassign_worker),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/emergency-access",
            auth: WRITE,
            operation_id: "breakTheGlass",
            tag: "access",
            summary: "Emergency access to a trajectory (ACC-5): reviewed by the privacy officer, ends by itself",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("EmergencyAccess"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(access::break_the_glass),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/complaints",
            auth: WRITE,
            operation_id: "registerComplaint",
            tag: "access",
            summary: "Register a complaint about a trajectory, with the handler's access bound to it (ACC-3)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("NewComplaint"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(access::register_complaint),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/entries/{id}",
            auth: READ,
            operation_id: "getEntry",
            tag: "dossier",
            summary: "One entry with its current content (a recorded read of its dossier)",
            id_of: Some("entry"),
            query: &[],
            body: B::None,
            success: S::Ok("EntryInTrajectory"),
            errors: &[404],
            handler: || get(dossier::entry),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/entries/{id}",
            auth: WRITE,
            operation_id: "editEntry",
            tag: "dossier",
            summary: "Edit an entry: a new version, made on the version named; a stale version is refused with 409 and the current one",
            id_of: Some("entry"),
            query: &[],
            body: B::Json("EditEntry"),
            success: S::Ok("EntryVersion"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || put(dossier::edit_entry),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/entries/{id}/history",
            auth: READ,
            operation_id: "entryHistory",
            tag: "dossier",
            summary: "Every version of an entry, oldest first",
            id_of: Some("entry"),
            query: &[],
            body: B::None,
            success: S::List("EntryVersionContent"),
            errors: &[404],
            handler: || get(dossier::history),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/entries/{id}/progress",
            auth: WRITE,
            operation_id: "addProgress",
            tag: "dossier",
            summary: "Record progress on a goal",
            id_of: Some("entry"),
            query: &[],
            body: B::Json("NewProgress"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(dossier::add_progress),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/entries/{id}/attachments",
            auth: WRITE,
            operation_id: "addAttachment",
            tag: "dossier",
            summary: "Attach a file to an entry: the body is the file, its media type the Content-Type, its name in Content-Disposition (filename*=UTF-8''…, never in the URL). A sound or video file, or an image marked as a recording of people with `Zv-Recording: people`, needs the agreement of those recorded in `Zv-Recording-Agreement`: percent-encoded JSON {\"agreed_on\": \"YYYY-MM-DD\", \"recorded\": [{\"name\": …, \"agreed\": \"written\"|\"oral\"|\"in_recording\"}]}, never in the URL; without it 422 and nothing is stored (SEC-3). The content must start as its media type does (a PDF with %PDF-, text without NUL bytes, …); a file that does not is refused with 422 on `file`",
            id_of: Some("entry"),
            query: &[],
            body: B::File,
            success: S::Created("Created"),
            errors: &[404, 413, 422],
            handler: || post(dossier::add_attachment),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/attachments/{id}",
            auth: READ,
            operation_id: "downloadAttachment",
            tag: "dossier",
            summary: "Download an attachment (a recorded read)",
            id_of: Some("attachment"),
            query: &[],
            body: B::None,
            success: S::File,
            errors: &[404],
            handler: || get(dossier::download),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/work-notes/{id}",
            auth: READ,
            operation_id: "getWorkNote",
            tag: "dossier",
            summary: "One work note, for its author only (DOS-2)",
            id_of: Some("work note"),
            query: &[],
            body: B::None,
            success: S::Ok("WorkNote"),
            errors: &[404],
            handler: || get(dossier::work_note),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/complaints/{id}/close",
            auth: WRITE,
            operation_id: "closeComplaint",
            tag: "access",
            summary: "Close a complaint I handle; my access bound to it ends",
            id_of: Some("complaint"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(access::close_complaint),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/grants",
            auth: READ,
            operation_id: "myGrants",
            tag: "access",
            summary: "The grants I hold that have not ended",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("Grant"),
            errors: &[],
            handler: || get(access::my_grants),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/grants/substitutes",
            auth: WRITE,
            operation_id: "setSubstitute",
            tag: "access",
            summary: "A team lead lets a colleague stand in for an absent worker (ACC-6)",
            id_of: None,
            query: &[],
            body: B::Json("NewSubstitute"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(access::set_substitute),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/grants/quality-reviews",
            auth: WRITE,
            operation_id: "startQualityReview",
            tag: "access",
            summary: "A manager starts a quality review for a quality officer (ACC-4)",
            id_of: None,
            query: &[],
            body: B::Json("NewQualityReview"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(access::start_review),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/grants/{id}/end",
            auth: WRITE,
            operation_id: "endGrant",
            tag: "access",
            summary: "End a grant early (its holder or granter)",
            id_of: Some("grant"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(access::end_grant),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/grants/register",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "grantRegister",
            tag: "audit",
            summary: "Every grant, newest first: the privacy officer's register (reading it is recorded)",
            id_of: None,
            query: &[QueryParam {
                name: "kind",
                format: "",
                description: "Only grants of this kind: complaint, quality_review, substitute or emergency",
            }],
            body: B::None,
            success: S::List("Grant"),
            errors: &[422],
            handler: || get(access::register),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/grants/{id}/review",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "reviewGrant",
            tag: "audit",
            summary: "The privacy officer marks a grant as reviewed",
            id_of: Some("grant"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(access::review_grant),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/audit",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "auditLog",
            tag: "audit",
            summary: "The audit log for the privacy officer, newest first, a page at a time (reading it is recorded)",
            id_of: None,
            query: &[
                QueryParam {
                    name: "client",
                    format: "uuid",
                    description: "Only events about this client",
                },
                QueryParam {
                    name: "user",
                    format: "uuid",
                    description: "Only events by this staff member",
                },
                QueryParam {
                    name: "from",
                    format: "date",
                    description: "From this local date, YYYY-MM-DD",
                },
                QueryParam {
                    name: "to",
                    format: "date",
                    description: "Up to and including this local date, YYYY-MM-DD",
                },
                QueryParam {
                    name: "action",
                    format: "",
                    description: "Only this action (create, read, update, delete, print_copy, export, search, emergency_access, sign_in, sign_out)",
                },
                QueryParam {
                    name: "emergency",
                    format: "boolean",
                    description: "Only emergency access (true or false)",
                },
                QueryParam {
                    name: "before",
                    format: "int64",
                    description: "The next page: events before this sequence number (`next_before` of the previous page)",
                },
                QueryParam {
                    name: "limit",
                    format: "int64",
                    description: "Events per page, 1 to 500 (default 100)",
                },
            ],
            body: B::None,
            success: S::Ok("AuditPage"),
            errors: &[404, 422],
            handler: || get(audit::events),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/trajectories/{id}/withholdings",
            auth: READ,
            operation_id: "trajectoryWithholdings",
            tag: "withholdings",
            summary: "What is withheld from the client on a trajectory's entries (POR-2), in force now, with passages and explanations (a recorded read of the dossier)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::None,
            success: S::List("Withholding"),
            errors: &[404],
            handler: || get(withholdings::of_trajectory),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/entries/{id}/withholdings",
            auth: WRITE,
            operation_id: "withhold",
            tag: "withholdings",
            summary: "Withhold an entry, or an exact passage of its text, from the client on a ground, with an explanation the client never sees (POR-2; the worker on the case)",
            id_of: Some("entry"),
            query: &[],
            body: B::Json("NewWithholding"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(withholdings::withhold),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/withholdings/{id}/lift",
            auth: WRITE,
            operation_id: "liftWithholding",
            tag: "withholdings",
            summary: "Lift a withholding, with a reason: the client sees the part again",
            id_of: Some("withholding"),
            query: &[],
            body: B::Json("LiftWithholding"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(withholdings::lift),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/withholdings",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "withholdingsToReview",
            tag: "withholdings",
            summary: "The withholdings the privacy officer has not reviewed yet, or asked to be lifted and still in force, without content (reading the list is recorded)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("OpenWithholding"),
            errors: &[],
            handler: || get(withholdings::to_review),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/withholdings/{id}",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "withholdingForReview",
            tag: "withholdings",
            summary: "One withholding with its passage and explanation, for the privacy officer's review (a recorded read)",
            id_of: Some("withholding"),
            query: &[],
            body: B::None,
            success: S::Ok("Withholding"),
            errors: &[404],
            handler: || get(withholdings::for_review),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/withholdings/{id}/review",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "reviewWithholding",
            tag: "withholdings",
            summary: "The privacy officer records a review: agree, or ask to lift it with a note",
            id_of: Some("withholding"),
            query: &[],
            body: B::Json("WithholdingReview"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(withholdings::review),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/requests",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "filedRequests",
            tag: "withholdings",
            summary: "Every rights request and complaint clients filed from the portal, newest first, without what they wrote (POR-4; reading the list is recorded)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("FiledRequest"),
            errors: &[],
            handler: || get(withholdings::requests),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/requests/{id}",
            auth: Auth::Scope(Scope::Audit),
            operation_id: "filedRequest",
            tag: "withholdings",
            summary: "One rights request or complaint with what the client wrote and the client's name (a recorded read)",
            id_of: Some("request"),
            query: &[],
            body: B::None,
            success: S::Ok("FiledRequestDetail"),
            errors: &[404],
            handler: || get(withholdings::request),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/users",
            auth: Auth::Scope(Scope::Admin),
            operation_id: "listUsers",
            tag: "users",
            summary: "Every staff account (administrators)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("User"),
            errors: &[],
            handler: || get(users::list),
        },
    ];
    // MIN-1..4: parents' and representatives' access, blocks and mandates.
    all.extend(minors::endpoints());
    all.extend(rights_effects::endpoints());
    // RTS-4, TRN-1: the access copy of a rights request.
    all.extend(access_copy::endpoints());
    // RTS-8: data portability.
    all.extend(portability::endpoints());
    // CMP-1, ACC-3: complaints handled end to end.
    all.extend(complaints::endpoints());
    // RTS-1..3: the rights-request workflow.
    all.extend(requests::endpoints());
    // RTS-6: erasure requests.
    all.extend(erasure::endpoints());
    // MLD-1: the meldcode workflow.
    all.extend(meldcode::endpoints());
    // SHR-1, RTS-10: the consent register.
    all.extend(consents::endpoints());
    // SHR-1..4: the register of recipients and disclosures.
    all.extend(sharing::endpoints());
    // RET-1, RET-2, RET-5: retention terms, keeping longer, the destruction schedule.
    all.extend(retention::endpoints());
    // RET-6: the destruction register.
    all.extend(destruction::endpoints());
    // NWS-1: newsletters to contacts of partner organisations.
    all.extend(newsletters::endpoints());
    // CAM-1: camera images.
    all.extend(cameras::endpoints());
    // GRP-1..3: group activities, their participants, and photos and video.
    all.extend(activities::endpoints());
    // RET-3: the correspondence register.
    all.extend(correspondence::endpoints());
    // TRN-3: the register of data breaches and the 72-hour clock.
    all.extend(breaches::endpoints());
    // RET-2: vacancies and applicants, staff records, financial records.
    all.extend(personnel::endpoints());
    // TRN-2, DOS-5: the register of processing activities.
    all.extend(processing_register::endpoints());
    all.extend(reports::endpoints());
    // SHR-5: the k-anonymous export for training and research.
    all.extend(training_export::endpoints());
    // TRN-2, ORG-3: the privacy statement's published versions.
    all.extend(statements::endpoints());
    all
}

/// The API's routes, each behind its token check. Nest under `/api/v1`.
pub fn router(state: &AppState, upload_limit: usize) -> Router<AppState> {
    let mut router = Router::new();
    for e in endpoints() {
        let mut route = (e.handler)();
        if e.auth != Auth::Public {
            route = route.route_layer(axum::middleware::from_fn_with_state(
                auth::Guard {
                    state: state.clone(),
                    auth: e.auth,
                },
                auth::guard,
            ));
        }
        if matches!(
            e.body,
            RequestBody::File | RequestBody::Media | RequestBody::Document
        ) {
            route = route.layer(axum::extract::DefaultBodyLimit::max(upload_limit));
        }
        router = router.route(e.path, route);
    }
    router.fallback(error::no_such_operation)
}

/// A JSON response.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| ApiError::Core(zv_core::CoreError::Internal(format!("json: {e}"))))?;
    Ok((status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

pub fn ok<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    json(StatusCode::OK, value)
}

pub fn created<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    json(StatusCode::CREATED, value)
}

pub fn no_content() -> Result<Response, ApiError> {
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `{"id": ...}` of what was created.
#[derive(Serialize)]
pub struct Created {
    pub id: uuid::Uuid,
}

/// An id in the path: one that is not a UUID names nothing.
pub fn path_id(raw: &str) -> Result<uuid::Uuid, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// A JSON request body of type `T`, which refuses unknown fields: not declared as JSON
/// is 415, not JSON is 400, JSON of another shape is 422; the handler does not run.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase())
            .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
        if !is_json {
            return Err(ApiError::NotJson);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::Malformed
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| body_error(&e))
    }
}

/// Names the field of a body that does not fit, when serde's message names one. Never
/// passes serde's message on: for a wrong type it quotes the value sent.
fn body_error(e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    if !matches!(e.classify(), Category::Data) {
        return ApiError::Malformed;
    }
    let text = e.to_string();
    let quoted = |prefix: &str| {
        text.split(prefix)
            .nth(1)
            .and_then(|r| r.split('`').next())
            .filter(|f| f.len() <= 64 && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_owned)
    };
    if let Some(field) = quoted("unknown field `") {
        ApiError::Body {
            field: Some(field),
            problem: "this field is not part of the operation's body",
        }
    } else if let Some(field) = quoted("missing field `") {
        ApiError::Body {
            field: Some(field),
            problem: "this field is required",
        }
    } else {
        ApiError::Body {
            field: None,
            problem: "a value has the wrong type or is not allowed here",
        }
    }
}
