//! A length of time as the statements and the law state it: "2 jaar", "4 weken",
//! "één maand". Terms are calendar terms, not a number of days, so they are added
//! component by component.

use std::fmt;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A term of years, months, weeks and days.
///
/// The components are signed in the file so that a negative value is reported with a plain
/// message ("a term must not be negative") instead of a type error; a validated policy
/// holds only non-negative, non-zero terms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    #[serde(default)]
    pub years: i64,
    #[serde(default)]
    pub months: i64,
    #[serde(default)]
    pub weeks: i64,
    #[serde(default)]
    pub days: i64,
}

impl Term {
    #[must_use]
    pub const fn years(years: i64) -> Self {
        Self {
            years,
            months: 0,
            weeks: 0,
            days: 0,
        }
    }

    #[must_use]
    pub const fn months(months: i64) -> Self {
        Self {
            years: 0,
            months,
            weeks: 0,
            days: 0,
        }
    }

    #[must_use]
    pub const fn weeks(weeks: i64) -> Self {
        Self {
            years: 0,
            months: 0,
            weeks,
            days: 0,
        }
    }

    #[must_use]
    pub const fn days(days: i64) -> Self {
        Self {
            years: 0,
            months: 0,
            weeks: 0,
            days,
        }
    }

    /// The date `self` after `date`: first the years, then the months, then the weeks and
    /// days. A date that does not exist in the target month is clamped to that month's last
    /// day: 31 January + 1 month = 28 (or 29) February, 29 February + 1 year = 28 February.
    /// This is how the AVG's "one month" and the statements' "2 jaar" are counted (EU
    /// regulation 1182/71 art. 3: a period in months ends on the same date, or on the last
    /// day of the month when that date does not exist). Saturates at the calendar's ends.
    #[must_use]
    pub fn add_to(&self, date: NaiveDate) -> NaiveDate {
        let date = shift_months(date, self.years.saturating_mul(12));
        let date = shift_months(date, self.months);
        shift_days(date, self.weeks.saturating_mul(7).saturating_add(self.days))
    }

    /// The date `self` before `date`, counted as [`Self::add_to`] counts, backwards: the
    /// first day that is still within the term when looking back from `date`.
    #[must_use]
    pub fn subtract_from(&self, date: NaiveDate) -> NaiveDate {
        let date = shift_months(date, self.years.saturating_mul(12).saturating_neg());
        let date = shift_months(date, self.months.saturating_neg());
        shift_days(
            date,
            self.weeks
                .saturating_mul(7)
                .saturating_add(self.days)
                .saturating_neg(),
        )
    }

    /// Whether any component is negative.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.years < 0 || self.months < 0 || self.weeks < 0 || self.days < 0
    }

    /// Whether every component is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.years == 0 && self.months == 0 && self.weeks == 0 && self.days == 0
    }

    /// Whether `self` never ends later than `other` when both start on the same day.
    ///
    /// Months and years have different lengths, so "4 weeks" is shorter than "1 month"
    /// from every date, while "30 days" is longer from 1 February. The comparison tries
    /// every start date of a full leap-year cycle (2024 to 2027), which covers every
    /// month length and leap day.
    #[must_use]
    pub fn never_longer_than(&self, other: &Term) -> bool {
        never_later(|d| self.add_to(d), |d| other.add_to(d))
    }
}

/// Whether `a(d) <= b(d)` for every start date `d` of a full leap-year cycle.
pub(crate) fn never_later(
    a: impl Fn(NaiveDate) -> NaiveDate,
    b: impl Fn(NaiveDate) -> NaiveDate,
) -> bool {
    cycle().all(|d| a(d) <= b(d))
}

/// Whether `a(d) < b(d)` for every start date `d` of a full leap-year cycle.
pub(crate) fn always_earlier(
    a: impl Fn(NaiveDate) -> NaiveDate,
    b: impl Fn(NaiveDate) -> NaiveDate,
) -> bool {
    cycle().all(|d| a(d) < b(d))
}

/// Every day of 2024 (a leap year) to 2027.
fn cycle() -> impl Iterator<Item = NaiveDate> {
    NaiveDate::from_ymd_opt(2024, 1, 1)
        .into_iter()
        .flat_map(|first| first.iter_days().take(4 * 365 + 1))
}

fn shift_months(date: NaiveDate, months: i64) -> NaiveDate {
    let count = u32::try_from(months.unsigned_abs()).unwrap_or(u32::MAX);
    if months >= 0 {
        date.checked_add_months(Months::new(count))
            .unwrap_or(NaiveDate::MAX)
    } else {
        date.checked_sub_months(Months::new(count))
            .unwrap_or(NaiveDate::MIN)
    }
}

fn shift_days(date: NaiveDate, days: i64) -> NaiveDate {
    let count = Days::new(days.unsigned_abs());
    if days >= 0 {
        date.checked_add_days(count).unwrap_or(NaiveDate::MAX)
    } else {
        date.checked_sub_days(count).unwrap_or(NaiveDate::MIN)
    }
}

/// "2 years", "1 month", "2 years and 3 months", for messages and the register.
impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = [
            (self.years, "year"),
            (self.months, "month"),
            (self.weeks, "week"),
            (self.days, "day"),
        ]
        .into_iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, unit)| {
            if n.abs() == 1 {
                format!("{n} {unit}")
            } else {
                format!("{n} {unit}s")
            }
        })
        .collect();
        match parts.as_slice() {
            [] => f.write_str("0 days"),
            [one] => f.write_str(one),
            [init @ .., last] => write!(f, "{} and {last}", init.join(", ")),
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

    #[test]
    fn a_month_after_the_31st_is_the_last_day_of_a_shorter_month() {
        assert_eq!(Term::months(1).add_to(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(Term::months(1).add_to(d("2028-01-31")), d("2028-02-29"));
        assert_eq!(Term::months(1).add_to(d("2026-03-31")), d("2026-04-30"));
        assert_eq!(Term::months(2).add_to(d("2026-12-31")), d("2027-02-28"));
    }

    #[test]
    fn a_year_after_a_leap_day_is_the_28th_of_february() {
        assert_eq!(Term::years(1).add_to(d("2028-02-29")), d("2029-02-28"));
        assert_eq!(Term::years(4).add_to(d("2028-02-29")), d("2032-02-29"));
        assert_eq!(Term::years(1).add_to(d("2027-02-28")), d("2028-02-28"));
    }

    #[test]
    fn years_then_months_then_days() {
        // 29 Feb 2028 + 1 year = 28 Feb 2029, + 1 month = 28 Mar 2029 (not 29 Mar).
        let t = Term {
            years: 1,
            months: 1,
            ..Term::default()
        };
        assert_eq!(t.add_to(d("2028-02-29")), d("2029-03-28"));
        // 31 Jan + 1 month = 28 Feb, + 1 day = 1 Mar.
        let t = Term {
            months: 1,
            days: 1,
            ..Term::default()
        };
        assert_eq!(t.add_to(d("2026-01-31")), d("2026-03-01"));
        assert_eq!(Term::weeks(4).add_to(d("2026-12-20")), d("2027-01-17"));
        assert_eq!(Term::days(1).add_to(d("2026-12-31")), d("2027-01-01"));
    }

    #[test]
    fn negative_terms_go_back_and_extremes_saturate() {
        assert_eq!(Term::months(-1).add_to(d("2026-03-31")), d("2026-02-28"));
        assert_eq!(
            Term::years(i64::MAX).add_to(d("2026-01-01")),
            NaiveDate::MAX
        );
        assert_eq!(Term::days(i64::MIN).add_to(d("2026-01-01")), NaiveDate::MIN);
    }

    #[test]
    fn comparing_terms_of_different_units() {
        assert!(Term::weeks(4).never_longer_than(&Term::months(1)));
        assert!(!Term::days(30).never_longer_than(&Term::months(1)));
        assert!(Term::days(28).never_longer_than(&Term::months(1)));
        assert!(Term::months(12).never_longer_than(&Term::years(1)));
        assert!(!Term::weeks(5).never_longer_than(&Term::months(1)));
    }

    #[test]
    fn display() {
        assert_eq!(Term::years(2).to_string(), "2 years");
        assert_eq!(Term::months(1).to_string(), "1 month");
        assert_eq!(Term::default().to_string(), "0 days");
        let t = Term {
            years: 1,
            months: 2,
            days: 3,
            ..Term::default()
        };
        assert_eq!(t.to_string(), "1 year, 2 months and 3 days");
    }
}
