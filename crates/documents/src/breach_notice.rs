//! The content of a notification of a data breach to the Autoriteit Persoonsgegevens
//! (TRN-3, GDPR art. 33(3)) as a PDF: (a) the nature of the breach, with the categories
//! and approximate numbers of people and of records concerned; (b) the contact point,
//! the privacy officer of the policy; (c) the likely consequences; (d) the measures taken
//! or proposed. Besides: the moment of awareness, the deadline, the notification made,
//! the reason for a delay, and the decision on informing the people concerned. Dutch by
//! default, English on request; the category labels arrive worded in that language.

use serde::{Deserialize, Serialize};

use crate::{Language, Result, compile_pdf};

const TEMPLATE: &str = include_str!("../templates/breach_notice.typ");

/// What the notification says.
#[derive(Clone, Serialize, Deserialize)]
pub struct BreachNotice {
    pub organisation: String,
    /// The register's reference, `DL-2026-0001`.
    pub reference: String,
    /// ISO date the document was made.
    pub date: String,
    /// Local date and time with the zone.
    pub aware_at: String,
    pub deadline: String,
    pub notified_at: Option<String>,
    pub ap_reference: Option<String>,
    pub late_reason: Option<String>,
    pub occurred_from: Option<String>,
    pub occurred_to: Option<String>,
    pub discovered: Option<String>,
    /// What happened.
    pub nature: String,
    pub data_categories: Vec<String>,
    pub special_categories: bool,
    pub people_categories: Vec<String>,
    pub people_count: Option<i64>,
    pub records_count: Option<i64>,
    pub consequences: Option<String>,
    pub measures: Option<String>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub contact_other: Option<String>,
    /// `inform` or `not_inform`, none while undecided.
    pub inform_decision: Option<String>,
    pub inform_reason: Option<String>,
    pub informed_at: Option<String>,
}

impl std::fmt::Debug for BreachNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BreachNotice({}, ***)", self.reference)
    }
}

#[derive(Serialize)]
struct Data<'a> {
    lang: Language,
    #[serde(flatten)]
    notice: &'a BreachNotice,
}

/// The notification as a PDF in the given language.
pub fn render_breach_notice(notice: &BreachNotice, language: Language) -> Result<Vec<u8>> {
    compile_pdf(
        "breach_notice",
        TEMPLATE,
        serde_json::to_vec(&Data {
            lang: language,
            notice,
        })?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_both_languages() {
        let notice = BreachNotice {
            organisation: "Blijf Groep".into(),
            reference: "DL-2026-0001".into(),
            date: "2026-11-22".into(),
            aware_at: "2026-10-23 10:00 CEST".into(),
            deadline: "2026-10-26 09:00 CET".into(),
            notified_at: Some("2026-10-26 10:00 CET".into()),
            ap_reference: Some("AP-2026-1".into()),
            late_reason: Some("Het weekend".into()),
            occurred_from: Some("2026-10-22".into()),
            occurred_to: None,
            discovered: None,
            nature: "Een e-mail met #een verslag *aan* de verkeerde [ontvanger]".into(),
            data_categories: vec!["Dossier".into()],
            special_categories: true,
            people_categories: vec!["cliënten".into()],
            people_count: Some(1),
            records_count: None,
            consequences: None,
            measures: Some("De ontvanger heeft de e-mail verwijderd".into()),
            contact_name: "FG".into(),
            contact_email: "fg@example.nl".into(),
            contact_phone: None,
            contact_other: None,
            inform_decision: Some("not_inform".into()),
            inform_reason: Some("Geen hoog risico".into()),
            informed_at: None,
        };
        for lang in [Language::Nl, Language::En] {
            let pdf = render_breach_notice(&notice, lang).unwrap();
            assert!(pdf.starts_with(b"%PDF"));
        }
    }
}
