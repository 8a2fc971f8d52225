//! The organisation's policy file (ORG-2): everything that differs between organisations
//! (services, retention rules, deadlines, roles, thresholds, contacts) is data here, never
//! code. A file that is inconsistent is refused with every problem, its line and column,
//! the field path and a plain explanation.

mod dates;
mod location;
mod model;
mod validate;

pub use dates::{AgeBand, age_on, birthday_in};
pub use model::*;

use serde::Deserialize;

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub path: String,
    pub message: String,
}

/// Every problem found in a policy file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyErrors {
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in &self.problems {
            writeln!(f, "{}:{}: {}: {}", p.line, p.column, p.path, p.message)?;
        }
        Ok(())
    }
}

/// The EEA member states (ISO 3166-1 alpha-2): EU plus Iceland, Liechtenstein, Norway.
/// Switzerland and the United Kingdom are not in the EEA (SHR-2).
pub const EEA_COUNTRIES: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

#[must_use]
pub fn is_eea(code: &str) -> bool {
    EEA_COUNTRIES.contains(&code.trim().to_ascii_uppercase().as_str())
}

/// Parses and validates a policy file's text.
pub fn parse(source: &str) -> Result<Policy, PolicyErrors> {
    let locator = location::Locator::new(source);
    let raw: model::Policy =
        match toml::Deserializer::parse(source).and_then(model::Policy::deserialize) {
            Ok(p) => p,
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let (line, column) = locator.line_col(offset);
                return Err(PolicyErrors {
                    problems: vec![Problem {
                        line,
                        column,
                        path: locator.path_at(offset),
                        message: e.message().trim().to_owned(),
                    }],
                });
            }
        };
    let found = validate::validate(&raw);
    if found.is_empty() {
        Ok(raw)
    } else {
        Err(PolicyErrors {
            problems: found
                .into_iter()
                .map(|(path, message)| {
                    let (line, column) = locator.locate(&path);
                    Problem {
                        line,
                        column,
                        path,
                        message,
                    }
                })
                .collect(),
        })
    }
}
