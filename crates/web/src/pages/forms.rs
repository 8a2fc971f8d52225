//! What form handlers share: the CSRF-only form, and turning typed text into values with
//! a field-named refusal (shown in the user's language by `field_error`).

use chrono::NaiveDate;
use serde::Deserialize;
use zv_core::CoreError;
use zv_domain::UserId;

use crate::error::WebError;

/// A form that carries nothing but its CSRF token (a button).
#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

/// An id in a path; anything unparsable is a page that does not exist.
pub fn uuid_of(raw: &str) -> Result<uuid::Uuid, WebError> {
    raw.parse::<uuid::Uuid>().map_err(|_| WebError::NotFound)
}

pub fn date(field: &'static str, raw: &str) -> Result<NaiveDate, CoreError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| CoreError::invalid(field, "not a date"))
}

/// An optional date: empty is none.
pub fn date_opt(field: &'static str, raw: &str) -> Result<Option<NaiveDate>, CoreError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        date(field, raw).map(Some)
    }
}

pub fn user(field: &'static str, raw: &str) -> Result<UserId, CoreError> {
    raw.parse::<uuid::Uuid>()
        .map(UserId::from_uuid)
        .map_err(|_| CoreError::invalid(field, "choose a colleague"))
}

/// A checkbox: present (any value) is checked.
pub fn checked(raw: &Option<String>) -> bool {
    raw.as_deref().is_some_and(|v| !v.is_empty())
}

/// Optional free text: blank is none.
pub fn text_opt(raw: &str) -> Option<&str> {
    let t = raw.trim();
    (!t.is_empty()).then_some(t)
}

/// An optional value: blank is none, anything else must parse.
pub fn optional<T>(
    field: &'static str,
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, zv_domain::ValueError>,
) -> Result<Option<T>, CoreError> {
    text_opt(raw)
        .map(|t| parse(t).map_err(CoreError::field(field)))
        .transpose()
}

/// An optional id chosen in a form (a trajectory, a request): blank is none, anything else
/// must be an id, refused on `field` with `message` otherwise.
pub fn uuid_opt(
    field: &'static str,
    message: &'static str,
    raw: &str,
) -> Result<Option<uuid::Uuid>, CoreError> {
    text_opt(raw)
        .map(|t| {
            t.parse::<uuid::Uuid>()
                .map_err(|_| CoreError::invalid(field, message))
        })
        .transpose()
}

const GENERAL: &str = "_form";

/// Refusals of one form, per field, in the user's language; the template shows each next
/// to its field. Every field is checked, so one submit shows every problem at once.
#[derive(Default)]
pub struct FieldErrors {
    tr: crate::i18n::Tr,
    by_field: std::collections::HashMap<String, String>,
}

impl FieldErrors {
    pub fn new(tr: crate::i18n::Tr) -> Self {
        Self {
            tr,
            by_field: std::collections::HashMap::new(),
        }
    }

    /// Keeps the value, or records the refusal under the field the core named.
    pub fn check<T>(&mut self, r: Result<T, CoreError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(&e);
                None
            }
        }
    }

    pub fn add(&mut self, e: &CoreError) {
        let field = match e {
            CoreError::Invalid { field, .. } => (*field).to_owned(),
            _ => GENERAL.to_owned(),
        };
        self.by_field
            .entry(field)
            .or_insert_with(|| super::field_error(self.tr, e));
    }

    /// A refusal in words of the page's own, where the field's usual words would
    /// mislead (an address refused for an objection, not for its spelling).
    pub fn set(&mut self, field: &str, message: String) {
        self.by_field.insert(field.to_owned(), message);
    }

    /// The refusal of one core error.
    pub fn of_core(tr: crate::i18n::Tr, e: &CoreError) -> Self {
        let mut errors = Self::new(tr);
        errors.add(e);
        errors
    }

    /// Refusals that belong to none of the given fields of the form at hand.
    pub fn other(&self, fields: &[&str]) -> Vec<&str> {
        self.by_field
            .iter()
            .filter(|(f, _)| !fields.contains(&f.as_str()))
            .map(|(_, m)| m.as_str())
            .collect()
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.by_field.get(field)
    }

    /// A refusal that names no field.
    pub fn general(&self) -> Option<&String> {
        self.by_field.get(GENERAL)
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }
}

/// The fields of a form sent as name and value pairs, so that a field may repeat (check
/// boxes of roles, teams, trajectories or entries).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of a field, or empty.
    pub fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every non-empty value of a repeated field, trimmed.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }
}
