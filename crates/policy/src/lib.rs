//! The organisation's policy file (ORG-2): everything that differs between organisations
//! (branches, teams, role labels, service types, retention rules, request deadlines, age
//! bands, report thresholds, contacts) is data in one TOML file, never code
//! (ARCHITECTURE rule 5). This crate holds its model, its validation, and the arithmetic
//! of its rules (retention dates, deadlines, ages, the EEA). It is pure: the caller reads
//! the file and passes the text.
//!
//! A file that is inconsistent is refused with every problem at once, each with its line
//! and column, the field path and a plain explanation for an administrator ("a policy
//! file that is inconsistent is refused at start with a precise error", ORG-2).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod dates;
mod eea;
mod location;
mod model;
mod purposes;
mod requests;
mod retention;
mod term;
mod validate;

use std::fmt;

use zv_domain::Role;

pub use dates::{AgeBand, AgeBands, age_on, birthday_in, date_of_age};
pub use eea::{EEA_COUNTRIES, is_eea};
pub use model::{
    AuditPolicy, Authority, Branch, Complaints, Contact, Help, LegalBasis, Newsletter,
    Organisation, Policy, RecordCategory, RecordKind, Reports, RetentionSettings, RoleLabel,
    ServiceType, ShownAs, TIMEZONE, Team,
};
pub use purposes::{DataCategory, DataSubject, Purpose};
pub use requests::{DeadlineExtension, ExtensionRefused, RequestDeadlines};
pub use retention::{
    Align, Condition, Extension, OnExpiry, RetentionFacts, RetentionRule, StartEvent,
};
pub use term::Term;

/// One problem in a policy file. Line and column are 1-based; the column counts
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// The field, as `service_types[2].retention` or `reports.small_number_threshold`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.column, self.path, self.message
        )
    }
}

/// Every problem found in a policy file, in the order of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyErrors {
    pub problems: Vec<Problem>,
}

/// One problem per line: `line:column: path: message`.
impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Reads a policy file's text: deserialises it (unknown keys are refused, so a typo is
/// caught), then checks its consistency, collecting every problem.
///
/// # Errors
/// [`PolicyErrors`] with every problem, each with line, column, field path and message.
/// A TOML syntax or type error stops the reading, so it comes alone.
pub fn parse(source: &str) -> Result<Policy, PolicyErrors> {
    let locator = location::Locator::new(source);
    let file: model::PolicyFile = toml::from_str(source).map_err(|e| PolicyErrors {
        problems: vec![read_problem(&locator, &e)],
    })?;
    let found = validate::validate(&file);
    if !found.is_empty() {
        let mut problems: Vec<Problem> = found
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
            .collect();
        problems.sort_by_key(|p| (p.line, p.column));
        return Err(PolicyErrors { problems });
    }
    Ok(valid(file))
}

/// Builds the policy from a file that passed validation: role labels in the order of
/// [`Role::ALL`], the head office found once.
fn valid(mut file: model::PolicyFile) -> Policy {
    file.roles.sort_by_key(|label| {
        Role::ALL
            .iter()
            .position(|r| r.code() == label.role)
            .unwrap_or(usize::MAX)
    });
    let head_office = file
        .branches
        .iter()
        .position(|b| b.head_office)
        .unwrap_or(0);
    Policy { file, head_office }
}

/// A TOML syntax error or a deserialisation error (unknown key, wrong type, missing key),
/// at the position the parser gives.
fn read_problem(locator: &location::Locator<'_>, e: &toml::de::Error) -> Problem {
    let offset = e.span().map_or(0, |s| s.start);
    let (line, column) = locator.line_col(offset);
    let mut path = locator.path_at(offset);
    let raw = e.message().trim();
    let message = if let Some(field) = quoted_after(raw, "missing field ") {
        path = if path == "(file)" {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        };
        format!("the required field `{field}` is missing")
    } else if let Some(field) = quoted_after(raw, "unknown field ") {
        format!(
            "unknown field `{field}` (a typo?); {}",
            raw.split_once(", ").map_or("", |(_, rest)| rest)
        )
    } else {
        raw.replace("expected u32", "expected a whole number, 0 or more")
            .replace("expected i64", "expected a whole number")
    };
    Problem {
        line,
        column,
        path,
        message,
    }
}

/// The text between backquotes after `prefix`, if `message` starts with it.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message
        .strip_prefix(prefix)?
        .strip_prefix('`')?
        .split('`')
        .next()
}
