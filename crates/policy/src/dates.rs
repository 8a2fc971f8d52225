//! Date arithmetic of the legal rules. All dates are local calendar dates.

use chrono::{Datelike, Months, NaiveDate};

use crate::Term;

pub(crate) fn add_term(date: NaiveDate, term: &Term) -> NaiveDate {
    let months = u32::try_from(term.years.max(0) * 12 + term.months.max(0)).unwrap_or(u32::MAX);
    let date = date
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    let days = term.weeks.max(0) * 7 + term.days.max(0);
    date.checked_add_signed(chrono::Duration::days(days))
        .unwrap_or(NaiveDate::MAX)
}

pub(crate) fn end_of_year(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), 12, 31).unwrap_or(date)
}

/// The day in `year` on which someone born on `birth` has their birthday. For 29 February
/// in a non-leap year this is 1 March: only then has the person completed the full year,
/// so a term that runs "until 18" never ends a day early, and a right that starts "from
/// 16" never starts a day early.
#[must_use]
pub fn birthday_in(birth: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// Age in whole years on `on` (MIN-4): N on the Nth birthday, N-1 the day before.
#[must_use]
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on < birth {
        return 0;
    }
    let mut age = on.year() - birth.year();
    if on < birthday_in(birth, on.year()) {
        age -= 1;
    }
    u32::try_from(age).unwrap_or(0)
}

/// The bands of the minors rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeBand {
    /// Under 12: parents with authority ask for help and read the dossier (MIN-1).
    UnderOwnAccess,
    /// 12 to 16: own right of access; parents read unless the child's interest opposes (MIN-2).
    Consultative,
    /// 16 to 18: independent; parents read only with the young person's consent (MIN-3).
    Independent,
    Adult,
}
