//! Deadlines of data subject requests (RTS-3). The law (AVG art. 12(3)) sets the outer
//! limits: carried out within one month of receipt, extendable by two further months when
//! the person is told so within the first month. An organisation may promise to be
//! faster (LEVgroep: react in 2 weeks, carry out in 4 weeks), never slower; validation
//! refuses a policy that promises less than the law.

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
}
