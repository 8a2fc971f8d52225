//! Deadlines of data subject requests (RTS-3). The law (AVG art. 12(3)) sets the outer
//! limits: carried out within one month of receipt, extendable by two further months when
//! the person is told so within the first month. An organisation may promise to be
//! faster (LEVgroep: react in 2 weeks, carry out in 4 weeks), never slower; validation
//! refuses a policy that promises less than the law.
//!
//! The privacy officer's queue flags what is due soon: `due_soon` (default one week) is
//! how close a deadline must be to be flagged, policy like every other term.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::term::Term;

/// `[requests]` of the policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDeadlines {
    /// The first reaction (acknowledgement, or the answer itself).
    pub respond_within: Term,
    /// The request carried out (or refused with reasons).
    pub complete_within: Term,
    /// Whether, and how far, the deadline may be extended.
    #[serde(default)]
    pub extension: Option<DeadlineExtension>,
    /// A deadline this close (or closer) is flagged in the privacy officer's queue.
    #[serde(default = "default_due_soon")]
    pub due_soon: Term,
}

const fn default_due_soon() -> Term {
    Term::weeks(1)
}

/// Why an extension cannot be recorded (RTS-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionRefused {
    /// The policy allows none (LEVgroep).
    NotAllowed,
    /// The request was extended already; the law allows it once.
    AlreadyExtended,
    /// The notice period (the first month) has passed.
    TooLate,
}

/// An extension of the deadline for complex or numerous requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineExtension {
    /// Added to the regular deadline.
    pub by: Term,
    /// The person must be told of the extension, with reasons, within this term from
    /// receipt.
    pub notice_within: Term,
}

impl RequestDeadlines {
    /// The day by which the organisation reacts to a request received on `received`.
    #[must_use]
    pub fn respond_by(&self, received: NaiveDate) -> NaiveDate {
        self.respond_within.add_to(received)
    }

    /// The day by which the request is carried out, without extension.
    #[must_use]
    pub fn complete_by(&self, received: NaiveDate) -> NaiveDate {
        self.complete_within.add_to(received)
    }

    /// The day by which an extended request is carried out; `None` when the policy allows
    /// no extension.
    #[must_use]
    pub fn extended_complete_by(&self, received: NaiveDate) -> Option<NaiveDate> {
        self.extension
            .map(|e| e.by.add_to(self.complete_by(received)))
    }

    /// The last day on which an extension may be announced; `None` when the policy allows
    /// no extension.
    #[must_use]
    pub fn extension_notice_by(&self, received: NaiveDate) -> Option<NaiveDate> {
        self.extension.map(|e| e.notice_within.add_to(received))
    }

    /// The day by which the request is carried out, extended or not.
    #[must_use]
    pub fn effective_complete_by(&self, received: NaiveDate, extended: bool) -> NaiveDate {
        if extended {
            self.extended_complete_by(received)
                .unwrap_or_else(|| self.complete_by(received))
        } else {
            self.complete_by(received)
        }
    }

    /// Whether an extension announced on `on` may be recorded: the policy allows one,
    /// the request has none yet, and `on` is within the notice period.
    pub fn may_extend(
        &self,
        received: NaiveDate,
        already_extended: bool,
        on: NaiveDate,
    ) -> Result<(), ExtensionRefused> {
        let Some(notice_by) = self.extension_notice_by(received) else {
            return Err(ExtensionRefused::NotAllowed);
        };
        if already_extended {
            return Err(ExtensionRefused::AlreadyExtended);
        }
        if on > notice_by {
            return Err(ExtensionRefused::TooLate);
        }
        Ok(())
    }

    /// Whether a deadline on `deadline` is flagged as due soon on `today`: not passed
    /// yet, and no further away than `due_soon`.
    #[must_use]
    pub fn is_due_soon(&self, deadline: NaiveDate, today: NaiveDate) -> bool {
        deadline >= today && deadline <= self.due_soon.add_to(today)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    // promise: RTS-3
    #[test]
    fn one_month_plus_two_from_the_31st_of_january() {
        let r = RequestDeadlines {
            respond_within: Term::months(1),
            complete_within: Term::months(1),
            extension: Some(DeadlineExtension {
                by: Term::months(2),
                notice_within: Term::months(1),
            }),
            due_soon: Term::weeks(1),
        };
        assert_eq!(r.respond_by(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(r.complete_by(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(
            r.extended_complete_by(d("2026-01-31")),
            Some(d("2026-04-28"))
        );
        assert_eq!(
            r.extension_notice_by(d("2026-01-31")),
            Some(d("2026-02-28"))
        );
        assert_eq!(r.complete_by(d("2028-01-31")), d("2028-02-29"));
        assert_eq!(
            r.extended_complete_by(d("2026-12-31")),
            Some(d("2027-03-31"))
        );
    }

    fn blijf() -> RequestDeadlines {
        RequestDeadlines {
            respond_within: Term::months(1),
            complete_within: Term::months(1),
            extension: Some(DeadlineExtension {
                by: Term::months(2),
                notice_within: Term::months(1),
            }),
            due_soon: Term::weeks(1),
        }
    }

    fn lev() -> RequestDeadlines {
        RequestDeadlines {
            respond_within: Term::weeks(2),
            complete_within: Term::weeks(4),
            extension: None,
            due_soon: Term::weeks(1),
        }
    }

    // promise: RTS-3
    #[test]
    fn levgroep_reacts_in_two_weeks_and_completes_in_four_across_a_month_end() {
        let r = lev();
        assert_eq!(r.respond_by(d("2026-01-31")), d("2026-02-14"));
        assert_eq!(r.complete_by(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(r.complete_by(d("2028-02-15")), d("2028-03-14"));
        assert_eq!(
            r.effective_complete_by(d("2026-12-20"), false),
            d("2027-01-17")
        );
        // No extension exists: "extended" changes nothing, and none may be recorded.
        assert_eq!(
            r.effective_complete_by(d("2026-01-31"), true),
            d("2026-02-28")
        );
        assert_eq!(
            r.may_extend(d("2026-01-31"), false, d("2026-02-01")),
            Err(ExtensionRefused::NotAllowed)
        );
    }

    // promise: RTS-3
    #[test]
    fn blijf_groep_extends_once_within_the_first_month() {
        let r = blijf();
        let received = d("2026-01-31");
        assert_eq!(r.effective_complete_by(received, false), d("2026-02-28"));
        assert_eq!(r.effective_complete_by(received, true), d("2026-04-28"));
        assert_eq!(r.may_extend(received, false, d("2026-02-28")), Ok(()));
        assert_eq!(
            r.may_extend(received, false, d("2026-03-01")),
            Err(ExtensionRefused::TooLate)
        );
        assert_eq!(
            r.may_extend(received, true, d("2026-02-01")),
            Err(ExtensionRefused::AlreadyExtended)
        );
    }

    // promise: RTS-3
    #[test]
    fn due_soon_is_a_week_before_the_deadline_and_never_after_it() {
        let r = lev();
        let deadline = d("2026-03-01");
        assert!(!r.is_due_soon(deadline, d("2026-02-21")));
        assert!(r.is_due_soon(deadline, d("2026-02-22")));
        assert!(r.is_due_soon(deadline, d("2026-03-01")));
        assert!(
            !r.is_due_soon(deadline, d("2026-03-02")),
            "overdue, not due soon"
        );
    }

    #[test]
    fn due_soon_defaults_to_a_week() {
        let r: RequestDeadlines =
            toml::from_str("respond_within = { weeks = 2 }\ncomplete_within = { weeks = 4 }\n")
                .unwrap();
        assert_eq!(r.due_soon, Term::weeks(1));
    }
}
