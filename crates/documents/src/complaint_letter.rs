//! The answer to a complaint (CMP-1): the reference, the day it was received, the
//! decision (upheld, partly upheld, not upheld, withdrawn) with its reasons, and always
//! the right to complain to the Autoriteit Persoonsgegevens, named with its website,
//! phone and postal address from the policy. Dutch by default, English on request.

use serde::{Deserialize, Serialize};

use crate::{Authority, CopyOrganisation, Language, Result, compile_pdf};

const COMPLAINT_LETTER_TEMPLATE: &str = include_str!("../templates/complaint_letter.typ");

/// How a complaint was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintDecision {
    Upheld,
    PartlyUpheld,
    NotUpheld,
    Withdrawn,
}

/// A letter that answers a complaint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComplaintLetter {
    pub organisation: CopyOrganisation,
    pub recipient_name: String,
    /// ISO date of the letter (the day of the decision).
    pub date: String,
    pub reference: String,
    pub received_on: String,
    pub decision: ComplaintDecision,
    /// Why, one paragraph each.
    pub reasons: Vec<String>,
    /// Who decided, with the role as the letter signs it.
    pub signed_by: String,
    pub supervisory_authority: Authority,
    /// When the authority answers its phone, if the policy says.
    pub authority_phone_hours: Option<String>,
}

#[derive(Serialize)]
struct Data<'a> {
    lang: Language,
    #[serde(flatten)]
    letter: &'a ComplaintLetter,
}

/// The answer to a complaint as a PDF in the given language.
pub fn render_complaint_letter(letter: &ComplaintLetter, language: Language) -> Result<Vec<u8>> {
    compile_pdf(
        "complaint_letter",
        COMPLAINT_LETTER_TEMPLATE,
        serde_json::to_vec(&Data {
            lang: language,
            letter,
        })?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Contact;

    fn letter() -> ComplaintLetter {
        ComplaintLetter {
            organisation: CopyOrganisation {
                name: "Levgroep".into(),
                legal_name: "Stichting Levgroep".into(),
                address: "Postbus 1, 5700 AA Helmond".into(),
                website: "https://www.levgroep.nl".into(),
                privacy_officer: Contact {
                    name: "F. G.".into(),
                    email: "fg@levgroep.nl".into(),
                    phone: None,
                },
                complaints: "mondeling of schriftelijk".into(),
            },
            recipient_name: "Amal de Vries".into(),
            date: "2026-03-01".into(),
            reference: "KL-2026-000001".into(),
            received_on: "2026-02-01".into(),
            decision: ComplaintDecision::PartlyUpheld,
            reasons: vec!["Het gesprek is te laat gevoerd.".into()],
            signed_by: "M. Anager".into(),
            supervisory_authority: Authority {
                name: "Autoriteit Persoonsgegevens".into(),
                website: "https://autoriteitpersoonsgegevens.nl".into(),
                phone: "088 - 1805 250".into(),
                postal_address: "Postbus 93374, 2509 AJ DEN HAAG".into(),
            },
            authority_phone_hours: Some("maandag t/m vrijdag".into()),
        }
    }

    #[test]
    fn the_letter_renders_in_both_languages() {
        for language in [Language::Nl, Language::En] {
            let pdf = render_complaint_letter(&letter(), language).unwrap();
            assert!(pdf.starts_with(b"%PDF"));
        }
    }
}
