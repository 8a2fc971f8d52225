//! The data-portability file (AVG art. 20, RTS-8): the data the client provided, in a
//! structured, commonly used, machine-readable format that another organisation can read
//! without Zorgvuldig. Its fields are documented in `docs/portability.md`; the `schema`
//! field names the version. Like the access copy, the struct is the file itself, so what
//! the core assembled is exactly what leaves.

use serde::{Deserialize, Serialize};

use crate::Result;

/// The `schema` of the portability file; bumped on any change that is not a pure
/// addition (docs/portability.md).
pub const PORTABILITY_SCHEMA: &str = "zorgvuldig.portability/1";

/// The whole file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Portability {
    pub schema: String,
    pub controller: PortabilityController,
    pub request: PortabilityRequest,
    /// The organisation the client chose to receive the file, or `None` when it goes to
    /// the client.
    pub recipient: Option<PortabilityRecipient>,
    pub subject: PortabilitySubject,
    pub trajectories: Vec<PortabilityTrajectory>,
    /// What is deliberately not in the file, one line each (in Dutch).
    pub not_included: Vec<String>,
}

/// The organisation that held the data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PortabilityController {
    pub name: String,
    pub legal_name: String,
    pub website: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PortabilityRequest {
    pub reference: String,
    pub received_on: String,
    pub prepared_on: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PortabilityRecipient {
    pub name: String,
    /// ISO 3166-1 alpha-2, inside the EEA (SHR-2).
    pub country: String,
}

/// The personal details as the client gave them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PortabilitySubject {
    pub name: String,
    pub birth_date: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A trajectory whose processing rests on consent or contract.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PortabilityTrajectory {
    pub service: String,
    pub service_name: String,
    /// `consent` or `contract`.
    pub legal_basis: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub goals: Vec<PortabilityGoal>,
}

/// A goal the client set: its title and how far it got.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PortabilityGoal {
    pub title: String,
    pub progress: Option<u8>,
    pub set_on: String,
}

/// The file as UTF-8 JSON, pretty-printed (it is read by people too).
///
/// # Errors
/// Only if serialisation fails, which plain strings and numbers do not.
pub fn portability_json(file: &Portability) -> Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(file)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_names_its_schema_and_round_trips() {
        let file = Portability {
            schema: PORTABILITY_SCHEMA.to_owned(),
            controller: PortabilityController {
                name: "LEVgroep".to_owned(),
                legal_name: "Stichting LEVgroep".to_owned(),
                website: "https://www.levgroep.nl".to_owned(),
            },
            request: PortabilityRequest {
                reference: "VZ-2026-000001".to_owned(),
                received_on: "2026-11-02".to_owned(),
                prepared_on: "2026-11-20".to_owned(),
            },
            recipient: None,
            subject: PortabilitySubject {
                name: "Amal Haddad".to_owned(),
                birth_date: "1984-05-06".to_owned(),
                address: None,
                phone: None,
                email: Some("amal@example.nl".to_owned()),
            },
            trajectories: vec![PortabilityTrajectory {
                service: "groepsactiviteiten".to_owned(),
                service_name: "Groepsactiviteiten".to_owned(),
                legal_basis: "consent".to_owned(),
                opened_on: "2026-02-01".to_owned(),
                closed_on: None,
                goals: vec![PortabilityGoal {
                    title: "Nederlands oefenen \"thuis\"".to_owned(),
                    progress: Some(40),
                    set_on: "2026-02-03".to_owned(),
                }],
            }],
            not_included: vec!["Werkaantekeningen".to_owned()],
        };
        let bytes = portability_json(&file).unwrap();
        let back: Portability = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back.schema, "zorgvuldig.portability/1");
        assert_eq!(
            back.trajectories[0].goals[0].title,
            "Nederlands oefenen \"thuis\""
        );
        assert!(back.recipient.is_none());
    }
}
