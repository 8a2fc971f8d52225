//! The API's one error type and its JSON body: `{"error": code, "field": ..., "message":
//! ...}`. Codes are stable; messages are English, name a field and a rule, and never
//! carry a value that was sent or stored (values may be personal data). A dossier the
//! caller may not see is 404, as in the web app. An internal error is logged once with a
//! request id, which the body repeats; nothing else about it leaves the server.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zv_core::CoreError;
use zv_core::api_tokens::Scope;

use super::dossier::Entry;

/// What the body of an error response holds.
#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    /// For `stale`: the version the entry is at now, and the entry as it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<Box<Entry>>,
}

#[derive(Debug)]
pub enum ApiError {
    /// No token, or one that is unknown, revoked or expired: 401.
    Unauthorized,
    /// The token lacks the scope this operation needs: 403.
    MissingScope(Scope),
    NotFound,
    /// The body is not JSON at all (400), or not declared as JSON (415).
    Malformed,
    NotJson,
    TooLarge,
    /// The body is JSON but not of this operation's shape: 422, nothing changed.
    Body {
        field: Option<String>,
        problem: &'static str,
    },
    /// A query parameter or a value in a body that does not parse.
    Invalid {
        field: &'static str,
        message: &'static str,
    },
    /// An edit on an older version: 409 with the current one.
    Stale {
        current: i32,
        entry: Option<Box<Entry>>,
    },
    Core(CoreError),
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound => Self::NotFound,
            CoreError::Stale { current } => Self::Stale {
                current,
                entry: None,
            },
            other => Self::Core(other),
        }
    }
}

fn body(error: &'static str, message: impl Into<String>) -> ErrorBody {
    ErrorBody {
        error,
        field: None,
        message: message.into(),
        request_id: None,
        current_version: None,
        current: None,
    }
}

fn respond(status: StatusCode, b: &ErrorBody) -> Response {
    let bytes = serde_json::to_vec(b).unwrap_or_else(|_| b"{\"error\":\"internal\"}".to_vec());
    (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// `WWW-Authenticate` for a refused token (RFC 6750 section 3).
fn challenge(error: &str, scope: Option<Scope>) -> HeaderValue {
    let mut v = format!("Bearer realm=\"zorgvuldig\", error=\"{error}\"");
    if let Some(s) = scope {
        v.push_str(&format!(", scope=\"{s}\""));
    }
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("Bearer"))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized => {
                let mut r = respond(
                    StatusCode::UNAUTHORIZED,
                    &body(
                        "unauthorized",
                        "send a valid API token: Authorization: Bearer <token>",
                    ),
                );
                r.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, challenge("invalid_token", None));
                r
            }
            Self::MissingScope(scope) => {
                let mut r = respond(
                    StatusCode::FORBIDDEN,
                    &body(
                        "insufficient_scope",
                        format!("this operation needs a token with the `{scope}` scope"),
                    ),
                );
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    challenge("insufficient_scope", Some(scope)),
                );
                r
            }
            Self::NotFound => respond(StatusCode::NOT_FOUND, &body("not_found", "not found")),
            Self::Malformed => respond(
                StatusCode::BAD_REQUEST,
                &body("malformed_json", "the body is not valid JSON"),
            ),
            Self::NotJson => respond(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &body(
                    "unsupported_media_type",
                    "send the body as application/json",
                ),
            ),
            Self::TooLarge => respond(
                StatusCode::PAYLOAD_TOO_LARGE,
                &body(
                    "too_large",
                    "the body is larger than this operation accepts",
                ),
            ),
            Self::Body { field, problem } => respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ErrorBody {
                    field,
                    ..body("invalid_body", problem)
                },
            ),
            Self::Invalid { field, message } => respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ErrorBody {
                    field: Some(field.to_owned()),
                    ..body("invalid", message)
                },
            ),
            Self::Stale { current, entry } => respond(
                StatusCode::CONFLICT,
                &ErrorBody {
                    current_version: Some(current),
                    current: entry,
                    ..body(
                        "stale",
                        "changed by someone else since that version; nothing was saved",
                    )
                },
            ),
            Self::Core(CoreError::Invalid { field, problem }) => respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ErrorBody {
                    field: Some(field.to_owned()),
                    ..body("invalid", problem)
                },
            ),
            Self::Core(CoreError::NotAllowed(why)) => {
                respond(StatusCode::FORBIDDEN, &body("not_allowed", why))
            }
            Self::Core(CoreError::Conflict(why)) => {
                respond(StatusCode::CONFLICT, &body("conflict", why))
            }
            Self::Core(e @ CoreError::Frozen) => {
                respond(StatusCode::CONFLICT, &body("frozen", e.to_string()))
            }
            Self::Core(CoreError::NotFound) => {
                respond(StatusCode::NOT_FOUND, &body("not_found", "not found"))
            }
            Self::Core(CoreError::Stale { current }) => Self::Stale {
                current,
                entry: None,
            }
            .into_response(),
            // The database is out of reach or its disk is full: 503 with a plain
            // message and `Retry-After`, logged once as a warning; nothing changed.
            Self::Core(e) if e.is_unavailable() => {
                let reference = uuid::Uuid::new_v4().simple().to_string();
                tracing::warn!(request_id = %reference, error = %e, "api: database unavailable");
                let mut r = respond(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &ErrorBody {
                        request_id: Some(reference),
                        ..body(
                            "unavailable",
                            "the database is unavailable right now; nothing was changed; try again shortly",
                        )
                    },
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
                r
            }
            Self::Core(other) => {
                let reference = uuid::Uuid::new_v4().simple().to_string();
                tracing::error!(request_id = %reference, error = %other, "api request failed");
                respond(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &ErrorBody {
                        request_id: Some(reference),
                        ..body("internal", "something went wrong on our side")
                    },
                )
            }
        }
    }
}

/// The answer to a path under `/api/v1` that names no operation.
pub async fn no_such_operation() -> ApiError {
    ApiError::NotFound
}
