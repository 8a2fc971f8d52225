//! The destruction register as a PDF (RET-6): per destroyed item its category, what was
//! done (destroyed or anonymised), the rule, the day the term ended, the day it went,
//! who or which job, and how many rows; never a name or any other personal data. Dutch
//! by default, English on request.

use serde::{Deserialize, Serialize};

use crate::{Language, Result, compile_pdf};

const TEMPLATE: &str = include_str!("../templates/destruction_register.typ");

/// One line of the register.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegisterLine {
    /// ISO date the item went.
    pub destroyed_on: String,
    /// `client`, `trajectory`, `entry`.
    pub category: String,
    /// `destroyed` or `anonymised`.
    pub outcome: String,
    pub rule: String,
    pub term_ended_on: Option<String>,
    /// The job's name, or the staff member who decided.
    pub by: String,
    pub rows: u64,
}

/// The register over a period, as exported.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DestructionRegister {
    pub organisation: String,
    /// ISO date of the export.
    pub date: String,
    /// The filter in words (period, category, rule), already in the export's language.
    pub selection: String,
    pub lines: Vec<RegisterLine>,
}

#[derive(Serialize)]
struct Data<'a> {
    lang: Language,
    #[serde(flatten)]
    register: &'a DestructionRegister,
}

/// The register as a PDF in the given language.
pub fn render_destruction_register(
    register: &DestructionRegister,
    language: Language,
) -> Result<Vec<u8>> {
    compile_pdf(
        "destruction_register",
        TEMPLATE,
        serde_json::to_vec(&Data {
            lang: language,
            register,
        })?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_both_languages() {
        let register = DestructionRegister {
            organisation: "Levgroep".into(),
            date: "2026-11-22".into(),
            selection: "2026".into(),
            lines: vec![RegisterLine {
                destroyed_on: "2026-11-22".into(),
                category: "trajectory".into(),
                outcome: "anonymised".into(),
                rule: "amw-2y".into(),
                term_ended_on: Some("2026-11-21".into()),
                by: "retention-sweep".into(),
                rows: 12,
            }],
        };
        for lang in [Language::Nl, Language::En] {
            let pdf = render_destruction_register(&register, lang).unwrap();
            assert!(pdf.starts_with(b"%PDF"));
        }
    }
}
