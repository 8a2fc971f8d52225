//! Retention rules (RET-1..RET-5): how long data is kept, computed from facts.
//!
//! A rule is a term counted from a start event, optionally moved to the end of that year,
//! never ending before its "not before" conditions, and extendable in the way the rule
//! allows (DOMAIN.md "Retention").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::{date_of_age, end_of_year};
use crate::term::Term;

/// The event a term counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartEvent {
    /// The end of the help: the trajectory was closed (the statements' terms, "unless the
    /// law says last change").
    TrajectoryClosed,
    /// The last change in the dossier (Jeugdwet art. 7.3.8, WGBO art. 7:454).
    LastChange,
    /// The moment of recording (camera images: 4 weeks from the recording, CAM-1).
    Recording,
    /// The last day of employment (staff records, copies of staff ID).
    EndOfEmployment,
    /// The end of a procedure: the vacancy closed (applicants), the question or letter was
    /// handled (correspondence, RET-3).
    EndOfProcedure,
    /// The date of the record itself, e.g. a booking in the books. Combined with
    /// `align = "end_of_year"` this is "7 years from the end of the financial year".
    RecordDate,
}

/// Moves the start event before the term is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// To 31 December of the start's year. Staff ID copy: "5 full calendar years after the
    /// year of leaving" = 31-12-(year_of_exit + 5); financial records: from the end of the
    /// financial year.
    EndOfYear,
}

/// A date before which the data is never destroyed, whatever the term says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Kept at least until the youngest child reaches `age` (Blijf Groep: "Het jongste kind
    /// is nog geen 18: het dossier wordt bewaard tot het kind 18 is", RET-2). The youngest
    /// child is the one with the latest birth date; its birthday follows [`birthday_in`].
    ///
    /// [`birthday_in`]: crate::birthday_in
    YoungestChildReaches { age: u32 },
}

/// How, if at all, the end date may be moved later. In the file:
/// `extension = { requires = "recorded_reason" }` or
/// `extension = { requires = "written_consent", min = { years = 1 }, max = { years = 3 } }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(
    tag = "requires",
    rename_all = "snake_case",
    try_from = "ExtensionFile"
)]
pub enum Extension {
    /// The term is final.
    None,
    /// An authorised person records a reason and a new, later end date ("or longer when
    /// needed", RET-5; Blijf Groep "aparte procedure" for the child).
    RecordedReason,
    /// Only with the person's explicit written consent, to a new end date between
    /// start + `min` and start + `max` (applicants kept in portfolio: 1 to 3 years after
    /// the vacancy closed, RET-2).
    WrittenConsent { min: Term, max: Term },
}

/// `extension` as written. A struct rather than serde's tagged enum, because a tagged
/// enum silently ignores a stray `min` next to `requires = "recorded_reason"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionFile {
    requires: ExtensionKind,
    #[serde(default)]
    min: Option<Term>,
    #[serde(default)]
    max: Option<Term>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ExtensionKind {
    None,
    RecordedReason,
    WrittenConsent,
}

impl TryFrom<ExtensionFile> for Extension {
    type Error = String;

    fn try_from(file: ExtensionFile) -> Result<Self, Self::Error> {
        match (file.requires, file.min, file.max) {
            (ExtensionKind::WrittenConsent, Some(min), Some(max)) => {
                Ok(Extension::WrittenConsent { min, max })
            }
            (ExtensionKind::WrittenConsent, _, _) => Err(
                "requires = \"written_consent\" needs min and max: the shortest and the longest extension, e.g. min = { years = 1 }, max = { years = 3 }".to_owned(),
            ),
            (_, Some(_), _) | (_, _, Some(_)) => Err(
                "min and max belong only to requires = \"written_consent\"".to_owned(),
            ),
            (ExtensionKind::None, None, None) => Ok(Extension::None),
            (ExtensionKind::RecordedReason, None, None) => Ok(Extension::RecordedReason),
        }
    }
}

fn no_extension() -> Extension {
    Extension::None
}

/// What happens when the term has passed (RET-4): "destroyed, or anonymised so that it
/// can no longer be traced to the person". In the file: `on_expiry = "anonymise"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnExpiry {
    /// Everything goes; only the destruction record remains (RET-6).
    #[default]
    Destroy,
    /// Everything goes as with `Destroy`, after the non-identifying facts the
    /// organisation reports on (service type, municipality, year, age band, outcome of
    /// goals) are kept apart, without any link to the person.
    Anonymise,
}

impl OnExpiry {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Destroy => "destroy",
            Self::Anonymise => "anonymise",
        }
    }
}

/// One retention rule of the policy file (`[[retention_rules]]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    pub code: String,
    pub term: Term,
    pub start: StartEvent,
    #[serde(default)]
    pub align: Option<Align>,
    #[serde(default)]
    pub not_before: Vec<Condition>,
    #[serde(default = "no_extension")]
    pub extension: Extension,
    /// Destroy or anonymise when the term has passed (RET-4); destroy unless the file
    /// says otherwise.
    #[serde(default)]
    pub on_expiry: OnExpiry,
    /// Why this term, in words, for the register of processing (TRN-2).
    #[serde(default)]
    pub note: Option<String>,
}

/// The facts a retention date is computed from. Only the fact of the rule's start event
/// is needed; the others are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionFacts {
    pub closed_on: Option<NaiveDate>,
    pub last_change: Option<NaiveDate>,
    pub recorded_on: Option<NaiveDate>,
    pub employment_ended_on: Option<NaiveDate>,
    pub procedure_ended_on: Option<NaiveDate>,
    /// Birth dates of the client's children (for `youngest_child_reaches`).
    pub children_birth_dates: Vec<NaiveDate>,
}

impl RetentionRule {
    /// The date the term starts from: the start event, aligned. `None` while the event has
    /// not happened (a trajectory that is still open is never due for destruction).
    #[must_use]
    pub fn start_date(&self, facts: &RetentionFacts) -> Option<NaiveDate> {
        let start = match self.start {
            StartEvent::TrajectoryClosed => facts.closed_on,
            StartEvent::LastChange => facts.last_change,
            StartEvent::Recording | StartEvent::RecordDate => facts.recorded_on,
            StartEvent::EndOfEmployment => facts.employment_ended_on,
            StartEvent::EndOfProcedure => facts.procedure_ended_on,
        }?;
        Some(match self.align {
            Some(Align::EndOfYear) => end_of_year(start),
            None => start,
        })
    }

    /// The last day the data must be kept under this rule (RET-1, RET-2, RET-3): the
    /// aligned start plus the term, and never before any "not before" condition. The data
    /// is due for destruction the day after (RET-4). `None` while the start event has not
    /// happened.
    #[must_use]
    pub fn retention_until(&self, facts: &RetentionFacts) -> Option<NaiveDate> {
        let until = self.term.add_to(self.start_date(facts)?);
        Some(
            self.not_before
                .iter()
                .filter_map(|c| c.earliest_end(facts))
                .fold(until, NaiveDate::max),
        )
    }

    /// The range a new end date may lie in when the rule is extended (RET-5): `None` when
    /// the rule cannot be extended or its start event has not happened. The upper bound is
    /// `None` when there is none (a recorded reason may extend as long as needed).
    #[must_use]
    pub fn extension_bounds(
        &self,
        facts: &RetentionFacts,
    ) -> Option<(NaiveDate, Option<NaiveDate>)> {
        match self.extension {
            Extension::None => None,
            Extension::RecordedReason => {
                let until = self.retention_until(facts)?;
                Some((until.succ_opt().unwrap_or(until), None))
            }
            Extension::WrittenConsent { min, max } => {
                let start = self.start_date(facts)?;
                Some((min.add_to(start), Some(max.add_to(start))))
            }
        }
    }
}

impl Condition {
    /// The earliest end this condition allows, if it applies to the facts.
    fn earliest_end(&self, facts: &RetentionFacts) -> Option<NaiveDate> {
        match self {
            Condition::YoungestChildReaches { age } => facts
                .children_birth_dates
                .iter()
                .max()
                .map(|youngest| date_of_age(*youngest, *age)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rule(term: Term, start: StartEvent) -> RetentionRule {
        RetentionRule {
            code: "r".into(),
            term,
            start,
            align: None,
            not_before: Vec::new(),
            extension: Extension::None,
            on_expiry: OnExpiry::Destroy,
            note: None,
        }
    }

    #[test]
    fn nothing_is_due_before_the_start_event() {
        let r = rule(Term::years(2), StartEvent::TrajectoryClosed);
        let facts = RetentionFacts {
            last_change: Some(d("2026-01-01")),
            ..RetentionFacts::default()
        };
        assert_eq!(r.retention_until(&facts), None);
        assert_eq!(r.start_date(&facts), None);
    }

    #[test]
    fn a_term_from_the_end_of_the_year() {
        let mut r = rule(Term::years(5), StartEvent::EndOfEmployment);
        r.align = Some(Align::EndOfYear);
        for left in ["2026-01-01", "2026-04-15", "2026-12-31"] {
            let facts = RetentionFacts {
                employment_ended_on: Some(d(left)),
                ..RetentionFacts::default()
            };
            assert_eq!(r.retention_until(&facts), Some(d("2031-12-31")), "{left}");
        }
    }

    #[test]
    fn the_youngest_child_decides_and_a_leap_day_child_turns_18_on_1_march() {
        let mut r = rule(Term::years(15), StartEvent::TrajectoryClosed);
        r.not_before = vec![Condition::YoungestChildReaches { age: 18 }];
        let mut facts = RetentionFacts {
            closed_on: Some(d("2020-06-30")),
            ..RetentionFacts::default()
        };
        assert_eq!(r.retention_until(&facts), Some(d("2035-06-30")));
        facts.children_birth_dates = vec![d("2020-02-29"), d("2012-05-01")];
        assert_eq!(r.retention_until(&facts), Some(d("2038-03-01")));
        facts.children_birth_dates = vec![d("2010-01-01")];
        assert_eq!(r.retention_until(&facts), Some(d("2035-06-30")));
    }

    // promise: RET-5
    #[test]
    fn extension_bounds() {
        let mut r = rule(Term::months(2), StartEvent::EndOfProcedure);
        let facts = RetentionFacts {
            procedure_ended_on: Some(d("2026-01-31")),
            ..RetentionFacts::default()
        };
        assert_eq!(r.extension_bounds(&facts), None);
        r.extension = Extension::WrittenConsent {
            min: Term::years(1),
            max: Term::years(3),
        };
        assert_eq!(
            r.extension_bounds(&facts),
            Some((d("2027-01-31"), Some(d("2029-01-31"))))
        );
        r.extension = Extension::RecordedReason;
        assert_eq!(r.extension_bounds(&facts), Some((d("2026-04-01"), None)));
        assert_eq!(r.extension_bounds(&RetentionFacts::default()), None);
    }
}
