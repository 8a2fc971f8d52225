//! The register of processing activities as a PDF and as CSV (AVG art. 30, TRN-2). The
//! caller words every value in the document's language; this module only lays it out, so
//! the page, the PDF and the CSV say the same thing.

use serde::{Deserialize, Serialize};

use crate::{DocumentError, Language, Result, compile_pdf};

const TEMPLATE: &str = include_str!("../templates/processing_register.typ");

/// The register, worded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProcessingRegisterDoc {
    /// The controller: name, legal name, address, chamber of commerce, website, one line
    /// each.
    pub controller: Vec<String>,
    /// The privacy officer (FG) and how to reach them.
    pub privacy_officer: String,
    /// Which privacy statement the register belongs to.
    pub statement: String,
    /// ISO date it was generated.
    pub date: String,
    pub activities: Vec<ActivityDoc>,
    pub categories: Vec<CategoryDoc>,
    /// The technical and organisational measures, one sentence each.
    pub measures: Vec<String>,
}

/// One processing activity (one purpose).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivityDoc {
    pub purpose: String,
    /// The statement's words.
    pub statement: String,
    pub legal_basis: String,
    pub categories: Vec<String>,
    pub subjects: Vec<String>,
    /// Each kind of recipient with its organisations, or "none".
    pub recipients: Vec<String>,
    /// Transfers outside the EEA, in words.
    pub transfers: String,
    /// How long the data of this purpose is kept: the terms of its categories.
    pub terms: Vec<String>,
}

/// One category of data with its purposes and terms (DOS-5).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryDoc {
    pub category: String,
    pub subjects: Vec<String>,
    pub purposes: Vec<String>,
    pub terms: Vec<String>,
}

#[derive(Serialize)]
struct Data<'a> {
    lang: Language,
    #[serde(flatten)]
    register: &'a ProcessingRegisterDoc,
}

/// The register as a PDF in the given language.
pub fn render_processing_register(
    register: &ProcessingRegisterDoc,
    language: Language,
) -> Result<Vec<u8>> {
    compile_pdf(
        "processing_register",
        TEMPLATE,
        serde_json::to_vec(&Data {
            lang: language,
            register,
        })?,
    )
}

/// The register as CSV: one row per purpose and category, with the header in the
/// document's language given by `header`.
pub fn processing_register_csv(
    register: &ProcessingRegisterDoc,
    header: [&str; 8],
) -> Result<Vec<u8>> {
    let bad = |e: csv::Error| DocumentError::Render {
        document: "processing_register.csv",
        message: e.to_string(),
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(bad)?;
    for a in &register.activities {
        for (i, category) in a.categories.iter().enumerate() {
            let terms = register
                .categories
                .iter()
                .find(|c| &c.category == category)
                .map(|c| c.terms.join("; "))
                .unwrap_or_default();
            out.write_record([
                a.purpose.as_str(),
                a.legal_basis.as_str(),
                category.as_str(),
                &a.subjects.join("; "),
                &a.recipients.join("; "),
                a.transfers.as_str(),
                &terms,
                if i == 0 { a.statement.as_str() } else { "" },
            ])
            .map_err(bad)?;
        }
    }
    out.into_inner().map_err(|e| DocumentError::Render {
        document: "processing_register.csv",
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> ProcessingRegisterDoc {
        ProcessingRegisterDoc {
            controller: vec!["Stichting Voorbeeld".into(), "Helmond".into()],
            privacy_officer: "FG, fg@example.nl".into(),
            statement: "januari 2025".into(),
            date: "2026-12-03".into(),
            activities: vec![ActivityDoc {
                purpose: "Hulpverlening".into(),
                statement: "Om u goed te helpen".into(),
                legal_basis: "Taak van algemeen belang".into(),
                categories: vec!["Dossier".into(), "BSN, \"gemaskeerd\"".into()],
                subjects: vec!["Cliënten".into()],
                recipients: vec!["Ketenpartners: geen".into()],
                transfers: "Geen".into(),
                terms: vec!["2 jaar".into()],
            }],
            categories: vec![CategoryDoc {
                category: "Dossier".into(),
                subjects: vec!["Cliënten".into()],
                purposes: vec!["Hulpverlening".into()],
                terms: vec!["2 jaar na afsluiting".into()],
            }],
            measures: vec!["Versleuteld opgeslagen".into()],
        }
    }

    #[test]
    fn renders_in_both_languages() {
        for lang in [Language::Nl, Language::En] {
            let pdf = render_processing_register(&register(), lang).unwrap();
            assert!(pdf.starts_with(b"%PDF"));
        }
    }

    #[test]
    fn csv_has_a_row_per_purpose_and_category_and_quotes_its_fields() {
        let csv =
            processing_register_csv(&register(), ["a", "b", "c", "d", "e", "f", "g", "h"]).unwrap();
        let text = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].contains("2 jaar na afsluiting"), "{text}");
        assert!(lines[2].contains("\"BSN, \"\"gemaskeerd\"\"\""), "{text}");
    }
}
