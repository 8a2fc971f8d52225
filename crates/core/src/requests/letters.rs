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

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;
use zv_documents as docs;
use zv_domain::{AuditAction, AuditObject, Purpose};
use zv_policy::Policy;

use super::{Outcome, RequestKind, T_REQUESTS};
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

// ---------------------------------------------------------------------------------------
// The reasons the system words itself (erasure, portability): in the letter's language,
// naming a trajectory by its service and the day it started, never by an id.

/// A day as a letter writes it: "1 februari 2026", "1 February 2026".
pub(crate) fn long_date(d: NaiveDate, language: LetterLanguage) -> String {
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let months = match language {
        LetterLanguage::Nl => NL,
        LetterLanguage::En => EN,
    };
    format!("{} {} {}", d.day(), months[d.month0() as usize], d.year())
}

/// A service type by its name in the policy, in `language`; its code if the policy no
/// longer has it (the letter still says which, never a trajectory's id).
pub(crate) fn service_name(policy: &Policy, code: &str, language: LetterLanguage) -> String {
    policy.service_type(code).map_or_else(
        || code.to_owned(),
        |s| match language {
            LetterLanguage::Nl => s.name_nl.clone(),
            LetterLanguage::En => s.name_en.clone(),
        },
    )
}

/// A trajectory as the client knows it: "‘Jeugdhulp’ (gestart op 1 maart 2026)".
pub(crate) fn trajectory_label(
    name: &str,
    opened_on: NaiveDate,
    language: LetterLanguage,
) -> String {
    let on = long_date(opened_on, language);
    match language {
        LetterLanguage::Nl => format!("‘{name}’ (gestart op {on})"),
        LetterLanguage::En => format!("‘{name}’ (started on {on})"),
    }
}

/// What a letter's reasons come from, read in the letter's transaction.
enum Stated {
    /// The decided parts of an erasure request and the client's trajectories still there.
    Erasure(
        Vec<zv_store::erasures::ErasurePartRow>,
        Vec<zv_store::TrajectoryRow>,
    ),
    /// The sealed facts of a portability decision's generated reasons.
    Portability(Option<Vec<u8>>),
    /// The privacy officer's reasons as recorded.
    Recorded,
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
        // A request a parent or representative filed (from the portal, or registered by
        // staff with `filed_by`) carries their account: the letter answers them, who
        // asked, by the name in their own record in the client's file. Once that link
        // has ended the client is the addressee.
        let filer = match request.portal_account {
            Some(account) => match zv_store::minors::link_facts(&tx, account, client).await? {
                Some(link) => zv_store::related_persons::get(&tx, &auth, link.person.id).await?,
                None => None,
            },
            None => None,
        };
        let stated = match RequestKind::from_code(&request.kind) {
            Some(RequestKind::Erasure) => Stated::Erasure(
                zv_store::erasures::parts_of_request(&tx, &auth, id).await?,
                zv_store::trajectories::of_client(&tx, client).await?,
            ),
            Some(RequestKind::Portability) => {
                Stated::Portability(zv_store::portability::decision_facts(&tx, &auth, id).await?)
            }
            _ => Stated::Recorded,
        };
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
        let (recipient_name, on_behalf_of) = match &filer {
            Some(f) => (
                s.open(crate::related::T, "name", f.id.as_uuid(), &f.name_ct)?,
                Some(name),
            ),
            None => (name, None),
        };
        let policy = self.policy();
        // The reasons the system words itself come in the letter's language from the
        // recorded facts; an officer's own reasons, and a decision recorded before those
        // facts were kept, stay as recorded.
        let reasons = match stated {
            Stated::Erasure(rows, live) if !rows.is_empty() => {
                let parts = crate::erasure::stated_parts(&s, &rows, &live)?;
                crate::erasure::erasure_reasons(&parts, policy, language)
            }
            Stated::Portability(Some(ct)) => {
                crate::portability::portability_reasons(&s, id, &ct, policy, language)?
            }
            _ => paragraphs(&reasons),
        };
        let letter = docs::DecisionLetter {
            organisation: crate::access_copy::organisation_of(policy),
            recipient_name,
            // Handed over in the portal or printed for the file: no address, so that a
            // confidential (shelter) address can never end up on paper.
            recipient_address: None,
            on_behalf_of,
            date: sent.to_string(),
            reference: request.reference.clone(),
            request_kind: request.kind.clone(),
            received_on: request.received_on.to_string(),
            outcome: letter_outcome(outcome),
            reasons,
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
