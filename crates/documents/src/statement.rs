//! The organisation's privacy statement and privacy card as a PDF (TRN-2, ORG-3). The
//! caller words every section from the policy in the document's language; the template
//! only lays the sections out, so the public page and the PDF say the same thing.

use serde::{Deserialize, Serialize};

use crate::{Result, compile_pdf};

const TEMPLATE: &str = include_str!("../templates/statement.typ");

/// A statement or a card, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementDoc {
    pub title: String,
    /// One line under the title: the organisation and the version.
    pub subtitle: String,
    pub sections: Vec<StatementSection>,
}

/// One section: a heading, paragraphs, then a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub items: Vec<String>,
}

impl StatementDoc {
    /// Every line of text, in reading order: what a reader compares between versions.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![self.title.clone(), self.subtitle.clone()];
        for s in &self.sections {
            out.push(s.heading.clone());
            out.extend(s.paragraphs.iter().cloned());
            out.extend(s.items.iter().map(|i| format!("• {i}")));
        }
        out
    }
}

/// The statement as a PDF. `compact` sets it on as little paper as possible (the card).
pub fn render_statement(doc: &StatementDoc, compact: bool) -> Result<Vec<u8>> {
    #[derive(Serialize)]
    struct Data<'a> {
        compact: bool,
        #[serde(flatten)]
        doc: &'a StatementDoc,
    }
    compile_pdf(
        "statement",
        TEMPLATE,
        serde_json::to_vec(&Data { compact, doc })?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_lists_its_lines() {
        let doc = StatementDoc {
            title: "Privacyverklaring".into(),
            subtitle: "Voorbeeld, versie 1".into(),
            sections: vec![StatementSection {
                heading: "Bewaartermijnen".into(),
                paragraphs: vec!["Wij bewaren niet langer dan nodig.".into()],
                items: vec!["Dossier: 2 jaar #nietsbijzonders $x$ *geen opmaak*".into()],
            }],
        };
        for compact in [false, true] {
            assert!(
                render_statement(&doc, compact)
                    .unwrap()
                    .starts_with(b"%PDF")
            );
        }
        assert_eq!(doc.lines().len(), 5);
        assert!(doc.lines()[4].starts_with("• Dossier"));
    }
}
