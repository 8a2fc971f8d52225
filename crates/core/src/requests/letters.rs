//! Decision letters (issue 5 item 10; decision 0020): every closed rights request,
//! whatever its kind and outcome, is answered by a letter stating the reference, the
//! right invoked, the day it was received, the decision with its reasons, and always the
//! right to complain to the Autoriteit Persoonsgegevens (named in the policy) and to go
//! to court. Dutch by default, English on request.
//!
//! A letter is rendered on demand from the stored decision and never stored: the outcome
//! and its sealed reasons are the record, so destroying the client's data (and key)
//! leaves no letter behind. Every download passes the gate as an export of the client's
//! data (NEN 7513 "afdrukken/kopiëren" of a document leaving the system): the privacy
//! officer on the request's ground, the client as their own access, a parent or
//! representative who filed the request as far as the minors rules let them read.

use uuid::Uuid;
use zv_documents as docs;
use zv_domain::{AuditAction, AuditObject, Purpose};

use super::{Outcome, T_REQUESTS};
use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

pub use zv_documents::Language as LetterLanguage;

/// A decision letter as downloaded.
pub struct DecisionLetterPdf {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for DecisionLetterPdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DecisionLetterPdf({}, ***)", self.file_name)
    }
}

/// The reasons as the letter lists them: one paragraph each, blank lines between.
fn paragraphs(reasons: &str) -> Vec<String> {
    reasons
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

const fn letter_outcome(o: Outcome) -> docs::Outcome {
    match o {
        Outcome::Granted => docs::Outcome::Granted,
        Outcome::PartlyGranted => docs::Outcome::PartiallyGranted,
        Outcome::Refused => docs::Outcome::Refused,
    }
}

impl App {
    /// The decision letter of a closed request, as a PDF in `language`. For the privacy
    /// officer; in the portal for the client and for the account that filed the request.
    /// A request that is open, or not the portal account's to read, is "not found".
    pub async fn decision_letter(
        &self,
        actor: &Actor,
        id: Uuid,
        language: LetterLanguage,
    ) -> CoreResult<DecisionLetterPdf> {
        let (request, workflow) = self.request_and_workflow(id).await?;
        if workflow.outcome.is_none() {
            return Err(CoreError::NotFound);
        }
        let client = request.client_id;
        let purpose = match actor {
            Actor::Portal(p) => {
                let own = p.client_id == Some(client);
                // Only the client and whoever filed the request get its answer; any other
                // account reading for the client did not ask.
                if !own && request.portal_account != Some(p.account_id) {
                    return Err(CoreError::NotFound);
                }
                if own {
                    Purpose::OwnAccess
                } else {
                    Purpose::RepresentativeAccess
                }
            }
            Actor::Staff(_) | Actor::System { .. } => Purpose::RightsRequest,
        };
        let auth = self
            .authorize_read(
                actor,
                Access::new(
                    AuditAction::Export,
                    AuditObject::RightsRequest,
                    Some(client),
                )
                .target(Target::Request)
                .object_id(id)
                .purpose(purpose)
                .detail(format!("decision letter ({})", language.code())),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let request = zv_store::requests::get_request(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let w = zv_store::requests::get_workflow(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let person = zv_store::clients::get(&tx, &auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let (Some(outcome), Some(sent)) = (
            w.outcome.as_deref().and_then(Outcome::from_code),
            w.answer_sent_on,
        ) else {
            return Err(CoreError::NotFound);
        };
        let reasons = s
            .open_opt(
                T_REQUESTS,
                "outcome_reasons",
                id,
                w.outcome_reasons_ct.as_deref(),
            )?
            .unwrap_or_default();
        let name = s.open(crate::clients::T, "name", client.as_uuid(), &person.name_ct)?;
        let policy = self.policy();
        let letter = docs::DecisionLetter {
            organisation: crate::access_copy::organisation_of(policy),
            recipient_name: name,
            // Handed over in the portal or printed for the file: no address, so that a
            // confidential (shelter) address can never end up on paper.
            recipient_address: None,
            date: sent.to_string(),
            reference: request.reference.clone(),
            request_kind: request.kind.clone(),
            received_on: request.received_on.to_string(),
            outcome: letter_outcome(outcome),
            reasons: paragraphs(&reasons),
            supervisory_authority: crate::access_copy::authority_of(policy),
        };
        // Rendering is CPU work; it runs off the async workers.
        let bytes =
            tokio::task::spawn_blocking(move || docs::render_decision_letter(&letter, language))
                .await
                .map_err(|e| CoreError::Internal(format!("rendering a letter: {e}")))?
                .map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(DecisionLetterPdf {
            file_name: format!("besluit-{}-{}.pdf", request.reference, language.code()),
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_become_paragraphs_at_blank_lines() {
        assert_eq!(
            paragraphs("Eerste reden\nloopt door.\n\n\n  Tweede reden. \n\n"),
            ["Eerste reden loopt door.", "Tweede reden."]
        );
        assert!(paragraphs("  ").is_empty());
    }
}
