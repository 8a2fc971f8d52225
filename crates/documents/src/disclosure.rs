//! The package of a disclosure (SHR-1): what left the organisation for one recipient, on
//! which ground, as a machine-readable JSON file (`zorgvuldig.disclosure/1`) and a
//! readable PDF rendered from the same value, so the two cannot say different things.
//! The core seals the JSON with the client's key when the disclosure is recorded: the
//! package shown later is exactly what went out, whatever was edited since.

use serde::{Deserialize, Serialize};

use crate::{Result, compile_pdf};

/// The `schema` of the disclosure package; bumped on any change that is not a pure
/// addition.
pub const DISCLOSURE_SCHEMA: &str = "zorgvuldig.disclosure/1";

const DISCLOSURE_TEMPLATE: &str = include_str!("../templates/disclosure.typ");

/// The whole package.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosurePackage {
    pub schema: String,
    /// The disclosure's id, for the recipient to refer to.
    pub reference: String,
    pub sender: DisclosureSender,
    pub recipient: DisclosureRecipient,
    /// ISO date it was disclosed.
    pub disclosed_on: String,
    /// `consent`, `legal_obligation`, `legal_permission`, `prevent_crime`,
    /// `protect_person`.
    pub ground: String,
    /// The law named for a legal ground.
    pub law: Option<String>,
    pub subject: DisclosureSubject,
    pub summary: Option<DisclosureSummary>,
    pub entries: Vec<DisclosureEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosureSender {
    pub name: String,
    pub legal_name: String,
    pub website: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosureRecipient {
    pub name: String,
    /// ISO 3166-1 alpha-2, inside the EEA (SHR-2).
    pub country: String,
    pub kind: String,
}

/// Who the data is about: no more than the recipient needs to know whom it concerns.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosureSubject {
    pub name: String,
    pub birth_date: String,
}

/// The generated summary of the trajectory: the service, its period and the goals with
/// their progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosureSummary {
    pub service: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub goals: Vec<DisclosureGoal>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosureGoal {
    pub title: String,
    /// Percent, 0 to 100, when recorded.
    pub progress: Option<u8>,
}

/// One chosen entry as it read when it was disclosed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosureEntry {
    /// The entry kind's code: `goal`, `conversation_report`, `plan_document`,
    /// `third_party_report`, `email_summary`, `meldcode`.
    pub kind: String,
    /// ISO date it was written.
    pub written_on: String,
    pub title: String,
    pub body: String,
}

/// The package as JSON, pretty-printed.
pub fn disclosure_json(package: &DisclosurePackage) -> Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(package)?)
}

/// The package as a readable PDF, in Dutch.
pub fn render_disclosure(package: &DisclosurePackage) -> Result<Vec<u8>> {
    compile_pdf(
        "disclosure",
        DISCLOSURE_TEMPLATE,
        serde_json::to_vec(package)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package() -> DisclosurePackage {
        DisclosurePackage {
            schema: DISCLOSURE_SCHEMA.to_owned(),
            reference: "0193-abc".into(),
            sender: DisclosureSender {
                name: "LEVgroep".into(),
                legal_name: "Stichting LEVgroep".into(),
                website: "https://www.levgroep.nl".into(),
            },
            recipient: DisclosureRecipient {
                name: "Veilig Thuis Zuid-Limburg".into(),
                country: "NL".into(),
                kind: "veilig_thuis".into(),
            },
            disclosed_on: "2026-12-02".into(),
            ground: "legal_permission".into(),
            law: Some("Wmo 2015 art. 5.2.6".into()),
            subject: DisclosureSubject {
                name: "Anna de Vries #emph[x] $y$".into(),
                birth_date: "1990-04-01".into(),
            },
            summary: Some(DisclosureSummary {
                service: "Algemeen maatschappelijk werk".into(),
                opened_on: "2026-01-05".into(),
                closed_on: None,
                goals: vec![DisclosureGoal {
                    title: "Veilig wonen".into(),
                    progress: Some(40),
                }],
            }),
            entries: vec![DisclosureEntry {
                kind: "conversation_report".into(),
                written_on: "2026-11-30".into(),
                title: "Gesprek".into(),
                body: "Signalen besproken = * _ #".into(),
            }],
        }
    }

    #[test]
    fn the_pdf_and_the_json_carry_the_same_package_and_markup_stays_text() {
        let p = package();
        let pdf = render_disclosure(&p).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let json: DisclosurePackage =
            serde_json::from_slice(&disclosure_json(&p).unwrap()).unwrap();
        assert_eq!(json.subject.name, p.subject.name);
        assert_eq!(json.schema, DISCLOSURE_SCHEMA);
    }
}
