//! The letter that tells a client of a disclosure (SHR-4): to whom their data went
//! (organisation and country), on which day, on which ground (and the law, where one is
//! named), which data (the entries by kind, date and title, and whether a summary of the
//! help went with them), and what the client can do: ask for a copy of what was sent,
//! object, and complain to the organisation and to the Autoriteit Persoonsgegevens.
//! Dutch by default, English on request. The letter never quotes an entry's text.

use serde::{Deserialize, Serialize};

use crate::{Authority, CopyOrganisation, DisclosureRecipient, Language, Result, compile_pdf};

const DISCLOSURE_NOTICE_TEMPLATE: &str = include_str!("../templates/disclosure_notice.typ");

/// One item of what was disclosed, without its text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeItem {
    /// The entry kind's code (`conversation_report`, ...).
    pub kind: String,
    /// ISO date it was written.
    pub written_on: String,
    pub title: String,
}

/// A letter telling the client of one disclosure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosureNotice {
    pub organisation: CopyOrganisation,
    /// Whom the letter is addressed to: the client.
    pub addressee: String,
    /// ISO date of the letter.
    pub date: String,
    /// The disclosure's reference.
    pub reference: String,
    /// ISO date of the disclosure.
    pub disclosed_on: String,
    pub to: DisclosureRecipient,
    /// `consent`, `legal_obligation`, `legal_permission`, `prevent_crime`,
    /// `protect_person`.
    pub ground: String,
    pub law: Option<String>,
    /// The service whose summary went with the entries, if one did.
    pub summary_of: Option<String>,
    pub items: Vec<NoticeItem>,
    pub supervisory_authority: Authority,
}

#[derive(Serialize)]
struct Data<'a> {
    lang: Language,
    #[serde(flatten)]
    notice: &'a DisclosureNotice,
}

/// The letter as a PDF in the given language.
pub fn render_disclosure_notice(notice: &DisclosureNotice, language: Language) -> Result<Vec<u8>> {
    compile_pdf(
        "disclosure_notice",
        DISCLOSURE_NOTICE_TEMPLATE,
        serde_json::to_vec(&Data {
            lang: language,
            notice,
        })?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Contact;

    #[test]
    fn the_letter_renders_in_both_languages_for_every_ground() {
        for ground in [
            "consent",
            "legal_obligation",
            "legal_permission",
            "prevent_crime",
            "protect_person",
        ] {
            let notice = DisclosureNotice {
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
                addressee: "Amal de Vries".into(),
                date: "2026-11-22".into(),
                reference: "0193".into(),
                disclosed_on: "2026-11-20".into(),
                to: DisclosureRecipient {
                    name: "Veilig Thuis Brabant-Zuidoost".into(),
                    country: "NL".into(),
                    kind: "veilig_thuis".into(),
                },
                ground: ground.into(),
                law: Some("Wmo 2015 art. 5.2.6".into()),
                summary_of: Some("Algemeen maatschappelijk werk".into()),
                items: vec![NoticeItem {
                    kind: "conversation_report".into(),
                    written_on: "2026-11-01".into(),
                    title: "Gesprek".into(),
                }],
                supervisory_authority: Authority {
                    name: "Autoriteit Persoonsgegevens".into(),
                    website: "https://autoriteitpersoonsgegevens.nl".into(),
                    phone: "088 - 1805 250".into(),
                    postal_address: "Postbus 93374, 2509 AJ DEN HAAG".into(),
                },
            };
            for language in [Language::Nl, Language::En] {
                let pdf = render_disclosure_notice(&notice, language).unwrap();
                assert!(pdf.starts_with(b"%PDF"), "{ground} {language:?}");
            }
        }
    }
}
