//! The privacy statement a client was given (ORG-3), on the staff's side: recorded at
//! intake (a fieldset of the intake form) and later on the client page, which lists
//! what was given and when. The version is always the policy's current one; the worker
//! says what was handed over (the statement, and for Blijf Groep the privacy card) and
//! on which day. Decided at the gate and audited like every write about a client.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::statement_receipts::{IN_THE_FUTURE, NO_PRIVACY_CARD, StatementReceiptInput};
use zv_core::{Actor, CoreError};
use zv_domain::ClientId;

use super::clients::{Forms, client_id, page_with};
use super::dossier::local_time;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// The receipt's fields as typed.
#[derive(Default, Deserialize)]
pub struct StatementForm {
    #[serde(default)]
    csrf: String,
    pub statement_given: Option<String>,
    pub privacy_card_given: Option<String>,
    #[serde(default)]
    pub given_on: String,
}

/// Refusals of the receipt's fields, in the person's language.
#[derive(Default)]
pub(crate) struct StatementErrors {
    /// What was given (neither, or a card the organisation does not hand out).
    pub(crate) what: Option<String>,
    pub(crate) given_on: Option<String>,
}

impl StatementErrors {
    pub(crate) fn is_empty(&self) -> bool {
        self.what.is_none() && self.given_on.is_none()
    }

    fn add(&mut self, tr: Tr, e: &CoreError) {
        match e {
            CoreError::Invalid { field, problem } if *field == "given_on" => {
                self.given_on = Some(if problem == IN_THE_FUTURE {
                    tr.t("statement-error-future")
                } else {
                    tr.t("statement-error-date")
                });
            }
            CoreError::Invalid { problem, .. } if problem == NO_PRIVACY_CARD => {
                self.what = Some(tr.t("statement-error-no-card"));
            }
            _ => self.what = Some(tr.t("statement-error-nothing-given")),
        }
    }
}

/// A receipt from its fields: `Ok(None)` when nothing was ticked (an intake without a
/// statement records none), otherwise checked as the core will check it.
pub(crate) fn parse(
    state: &AppState,
    tr: Tr,
    statement_given: &Option<String>,
    privacy_card_given: &Option<String>,
    given_on: &str,
) -> Result<Option<StatementReceiptInput>, StatementErrors> {
    let statement_given = super::forms::checked(statement_given);
    let privacy_card_given = super::forms::checked(privacy_card_given);
    if !statement_given && !privacy_card_given {
        return Ok(None);
    }
    let mut errors = StatementErrors::default();
    let given_on = match super::forms::date("given_on", given_on) {
        Ok(d) => d,
        Err(e) => {
            errors.add(tr, &e);
            return Err(errors);
        }
    };
    let input = StatementReceiptInput {
        given_on,
        statement_given,
        privacy_card_given,
    };
    match state.app.check_statement_receipt(&input) {
        Ok(()) => Ok(Some(input)),
        Err(e) => {
            errors.add(tr, &e);
            Err(errors)
        }
    }
}

/// A receipt as a line on the client page.
pub(crate) struct ReceiptLine {
    pub(crate) given_on: String,
    pub(crate) version: String,
    pub(crate) statement: bool,
    pub(crate) card: bool,
    pub(crate) current: bool,
    pub(crate) recorded_at: String,
}

/// What the client page shows about the privacy statement.
pub(crate) struct StatementSection {
    pub(crate) receipts: Vec<ReceiptLine>,
    pub(crate) version: String,
    pub(crate) has_card: bool,
    pub(crate) f: StatementForm,
    pub(crate) errors: StatementErrors,
}

/// What a refused recording left to show.
#[derive(Default)]
pub(crate) struct StatementNotice {
    pub(crate) f: Option<StatementForm>,
    pub(crate) errors: StatementErrors,
}

impl StatementNotice {
    pub(crate) fn is_refusal(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// The section, for a reader of the client's profile (the caller checked).
pub(crate) async fn section(
    state: &AppState,
    actor: &Actor,
    client: ClientId,
    notice: StatementNotice,
) -> Result<StatementSection, WebError> {
    let receipts = state
        .app
        .statement_receipts(actor, client)
        .await?
        .into_iter()
        .map(|r| ReceiptLine {
            given_on: r.given_on.to_string(),
            version: r.statement_version,
            statement: r.statement_given,
            card: r.privacy_card_given,
            current: r.is_current,
            recorded_at: local_time(r.recorded_at),
        })
        .collect();
    let policy = state.app.policy();
    let has_card = policy.organisation().privacy_card;
    let f = notice.f.unwrap_or_else(|| fresh_form(state, has_card));
    Ok(StatementSection {
        receipts,
        version: policy.organisation().statement_version.clone(),
        has_card,
        f,
        errors: notice.errors,
    })
}

/// The form as first shown: today, and what the organisation hands out ticked.
pub(crate) fn fresh_form(state: &AppState, has_card: bool) -> StatementForm {
    StatementForm {
        csrf: String::new(),
        statement_given: Some("1".to_owned()),
        privacy_card_given: has_card.then(|| "1".to_owned()),
        given_on: state.app.clock().today().to_string(),
    }
}

/// Records on the client page that the client was given the current statement.
pub async fn record(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<StatementForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    let tr = staff.tr;
    let errors = match parse(
        &state,
        tr,
        &f.statement_given,
        &f.privacy_card_given,
        &f.given_on,
    ) {
        Ok(Some(input)) => {
            match state
                .app
                .record_statement_receipt(&staff.as_actor(), id, input)
                .await
            {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("/clienten/{id}#statement")).into_response());
                }
                Err(e @ CoreError::Invalid { .. }) => {
                    let mut errors = StatementErrors::default();
                    errors.add(tr, &e);
                    errors
                }
                Err(e) => return Err(e.into()),
            }
        }
        // Nothing ticked: on the client page that is a refusal, not an empty record.
        Ok(None) => StatementErrors {
            what: Some(tr.t("statement-error-nothing-given")),
            given_on: None,
        },
        Err(errors) => errors,
    };
    let forms = Forms::with_statement(StatementNotice { f: Some(f), errors });
    let mut r = page_with(&state, &staff, id, None, forms).await?;
    if r.status() == StatusCode::OK {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}
