//! One error type for every handler. A dossier one may not see is a 404 (the core says
//! NotFound); an internal error is logged once with a request id and shown as a generic
//! page. A database that is out of reach or full answers 503 with a plain page (try
//! again later). No message carries personal data.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use zv_core::CoreError;

use crate::i18n::Tr;

#[derive(Debug)]
pub enum WebError {
    NotFound,
    SignInFirst,
    /// A portal page without a live portal session: to the portal's own sign-in.
    PortalSignInFirst,
    Csrf,
    TooLarge,
    Core(CoreError),
    Template(askama::Error),
}

impl From<CoreError> for WebError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound => Self::NotFound,
            other => Self::Core(other),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        Self::Template(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    tr: Tr,
    title: String,
    message: String,
    reference: Option<String>,
}

fn page(status: StatusCode, title: String, message: String, reference: Option<String>) -> Response {
    let tr = Tr::default();
    let body = ErrorPage {
        tr,
        title,
        message,
        reference,
    }
    .render()
    .unwrap_or_else(|_| "error".to_owned());
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let tr = Tr::default();
        match self {
            Self::NotFound => page(
                StatusCode::NOT_FOUND,
                tr.t("error-not-found-title"),
                tr.t("error-not-found"),
                None,
            ),
            Self::SignInFirst => Redirect::to("/aanmelden").into_response(),
            Self::PortalSignInFirst => Redirect::to("/portaal/aanmelden").into_response(),
            Self::TooLarge => page(
                StatusCode::PAYLOAD_TOO_LARGE,
                tr.t("error-too-large-title"),
                tr.t("error-too-large"),
                None,
            ),
            Self::Csrf => page(
                StatusCode::FORBIDDEN,
                tr.t("error-csrf-title"),
                tr.t("error-csrf"),
                None,
            ),
            Self::Core(CoreError::NotAllowed(_)) => page(
                StatusCode::FORBIDDEN,
                tr.t("error-not-allowed-title"),
                tr.t("error-not-allowed"),
                None,
            ),
            Self::Core(CoreError::Invalid { field, .. }) => page(
                StatusCode::UNPROCESSABLE_ENTITY,
                tr.t("error-invalid-title"),
                format!("{}: {}", tr.t("error-invalid"), field),
                None,
            ),
            Self::Core(CoreError::Frozen) => page(
                StatusCode::CONFLICT,
                tr.t("error-frozen-title"),
                tr.t("error-frozen"),
                None,
            ),
            Self::Core(CoreError::Conflict(_)) => page(
                StatusCode::CONFLICT,
                tr.t("error-conflict-title"),
                tr.t("error-conflict"),
                None,
            ),
            // The database is out of reach or its disk is full: not a fault of the
            // software and nothing was saved. A warning (not an error with the internal
            // detail) and a plain page that says to try again; the detail stays in the
            // log under the reference.
            Self::Core(e) if e.is_unavailable() => {
                let reference = uuid::Uuid::new_v4().simple().to_string();
                tracing::warn!(request_id = %reference, error = %e, "database unavailable");
                let mut r = page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    tr.t("error-unavailable-title"),
                    tr.t("error-unavailable"),
                    Some(reference),
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
                r
            }
            other => {
                let reference = uuid::Uuid::new_v4().simple().to_string();
                let detail = match &other {
                    Self::Template(e) => e.to_string(),
                    Self::Core(e) => e.to_string(),
                    _ => String::new(),
                };
                tracing::error!(request_id = %reference, error = %detail, "request failed");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    tr.t("error-internal-title"),
                    tr.t("error-internal"),
                    Some(reference),
                )
            }
        }
    }
}
