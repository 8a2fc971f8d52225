//! Ages and birthdays (MIN-1..MIN-4). All dates are local calendar dates in
//! Europe/Amsterdam; the caller turns an instant into such a date.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The day in `year` on which someone born on `birth` has their birthday.
///
/// For someone born on 29 February the birthday in a non-leap year is **1 March**. Dutch
/// law has no rule of its own for this; DOMAIN.md says only that age is computed from the
/// birth date on the day. We pick 1 March because that is the first day on which every
/// reading agrees that the person has completed the year: on 28 February the
/// anniversary date has not yet come. One function decides it for the whole system, so a
/// retention term "until the youngest child is 18" (RET-2) and the access rules by age
/// (MIN-1..3) change on the same day. For retention this errs on the side of never
/// destroying a day early; for access the child's own rights start, and the parents'
/// rights end, on the same, single, documented day.
#[must_use]
pub fn birthday_in(birth: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(if year < birth.year() {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// The day on which someone born on `birth` reaches `age` (their `age`-th birthday).
#[must_use]
pub fn date_of_age(birth: NaiveDate, age: u32) -> NaiveDate {
    i32::try_from(age)
        .ok()
        .and_then(|a| birth.year().checked_add(a))
        .map_or(NaiveDate::MAX, |year| birthday_in(birth, year))
}

/// Age in whole years on `on` (MIN-4): a person is N on their Nth birthday and N-1 on the
/// day before, so a rule that depends on age changes by itself on the birthday. Before
/// the birth date the age is 0.
#[must_use]
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on <= birth {
        return 0;
    }
    let mut age = on.year() - birth.year();
    if on < birthday_in(birth, on.year()) {
        age -= 1;
    }
    u32::try_from(age).unwrap_or(0)
}

/// 31 December of the year of `date` (DOMAIN.md: terms counted from the end of the
/// (financial or calendar) year).
pub(crate) fn end_of_year(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), 12, 31).unwrap_or(date)
}

/// The ages at which the minors rules change (MIN-1..3). They come from the law
/// (Jeugdwet, WGBO, AVG/UAVG), and are settings so that a change in the law is a policy
/// change, not a code change (ARCHITECTURE rule 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBands {
    /// From this age the child has its own right of access (12).
    pub own_access_from: u32,
    /// Until this age parents with authority read the dossier without the child's
    /// consent (16).
    pub parents_access_until: u32,
    /// From this age the young person asks for help and decides alone (16).
    pub independent_from: u32,
    /// Age of majority (18).
    pub adult_at: u32,
}

/// Where a person stands in the minors rules on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    /// Under 12: parents or guardians ask for help, are always involved, and read the
    /// dossier (MIN-1).
    UnderOwnAccess,
    /// 12 to 16: own right of access; parents are involved in consultation with the child
    /// and read unless the child's interest opposes it (MIN-2).
    Consultative,
    /// 16 to 18: asks for help alone; parents read only with the young person's recorded
    /// consent (MIN-3).
    Independent,
    /// 18 and older: legal representatives act only within a recorded mandate (MIN-4).
    Adult,
}

impl AgeBands {
    /// The band of someone born on `birth`, on the day `on` (MIN-4: computed on the day).
    #[must_use]
    pub fn band(&self, birth: NaiveDate, on: NaiveDate) -> AgeBand {
        let age = age_on(birth, on);
        if age >= self.adult_at {
            AgeBand::Adult
        } else if age >= self.independent_from {
            AgeBand::Independent
        } else if age >= self.own_access_from {
            AgeBand::Consultative
        } else {
            AgeBand::UnderOwnAccess
        }
    }

    /// Whether the child has its own right of access on `on` (MIN-2).
    #[must_use]
    pub fn has_own_access(&self, birth: NaiveDate, on: NaiveDate) -> bool {
        age_on(birth, on) >= self.own_access_from
    }

    /// Whether parents with authority may read without the child's consent on `on`
    /// (MIN-1, MIN-2; from 16 only with consent, MIN-3).
    #[must_use]
    pub fn parents_read_without_consent(&self, birth: NaiveDate, on: NaiveDate) -> bool {
        age_on(birth, on) < self.parents_access_until
    }

    /// The next day after `on` on which the band of someone born on `birth` changes, for
    /// scheduling ("the rule changes by itself on the birthday", MIN-4).
    #[must_use]
    pub fn next_change(&self, birth: NaiveDate, on: NaiveDate) -> Option<NaiveDate> {
        [
            self.own_access_from,
            self.parents_access_until,
            self.independent_from,
            self.adult_at,
        ]
        .into_iter()
        .map(|age| date_of_age(birth, age))
        .filter(|d| *d > on)
        .min()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const BANDS: AgeBands = AgeBands {
        own_access_from: 12,
        parents_access_until: 16,
        independent_from: 16,
        adult_at: 18,
    };

    // promise: MIN-4
    #[test]
    fn age_changes_on_the_birthday_not_the_day_before() {
        assert_eq!(age_on(d("2010-11-22"), d("2026-11-21")), 15);
        assert_eq!(age_on(d("2010-11-22"), d("2026-11-22")), 16);
        assert_eq!(age_on(d("2010-11-22"), d("2010-11-22")), 0);
        assert_eq!(age_on(d("2010-11-22"), d("2009-01-01")), 0);
        assert_eq!(age_on(d("2008-12-31"), d("2026-12-31")), 18);
        assert_eq!(age_on(d("2008-12-31"), d("2026-12-30")), 17);
    }

    // promise: MIN-4
    #[test]
    fn a_leap_day_child_has_its_birthday_on_1_march_in_other_years() {
        let born = d("2008-02-29");
        assert_eq!(birthday_in(born, 2026), d("2026-03-01"));
        assert_eq!(birthday_in(born, 2028), d("2028-02-29"));
        assert_eq!(date_of_age(born, 18), d("2026-03-01"));
        assert_eq!(age_on(born, d("2026-02-28")), 17);
        assert_eq!(age_on(born, d("2026-03-01")), 18);
        assert_eq!(age_on(born, d("2028-02-28")), 19);
        assert_eq!(age_on(born, d("2028-02-29")), 20);
    }

    #[test]
    fn date_of_age_and_age_on_agree_for_every_day_of_a_leap_cycle() {
        let first = d("2004-01-01");
        for birth in first.iter_days().take(4 * 365 + 1) {
            for age in [1, 12, 16, 18] {
                let day = date_of_age(birth, age);
                assert_eq!(age_on(birth, day), age, "{birth} {age}");
                assert_eq!(age_on(birth, day.pred_opt().unwrap()), age - 1, "{birth}");
            }
        }
    }

    // promise: MIN-4
    #[test]
    fn bands_change_on_the_birthday() {
        let on = d("2026-11-22");
        assert_eq!(BANDS.band(d("2014-11-23"), on), AgeBand::UnderOwnAccess);
        assert_eq!(BANDS.band(d("2014-11-22"), on), AgeBand::Consultative);
        assert_eq!(BANDS.band(d("2010-11-23"), on), AgeBand::Consultative);
        assert_eq!(BANDS.band(d("2010-11-22"), on), AgeBand::Independent);
        assert_eq!(BANDS.band(d("2008-11-23"), on), AgeBand::Independent);
        assert_eq!(BANDS.band(d("2008-11-22"), on), AgeBand::Adult);
        assert!(BANDS.parents_read_without_consent(d("2010-11-23"), on));
        assert!(!BANDS.parents_read_without_consent(d("2010-11-22"), on));
        assert!(!BANDS.has_own_access(d("2014-11-23"), on));
        assert!(BANDS.has_own_access(d("2014-11-22"), on));
        assert_eq!(
            BANDS.next_change(d("2014-11-23"), on),
            Some(d("2026-11-23"))
        );
        assert_eq!(
            BANDS.next_change(d("2010-11-22"), on),
            Some(d("2028-11-22"))
        );
        assert_eq!(BANDS.next_change(d("2000-01-01"), on), None);
    }

    #[test]
    fn end_of_year_is_31_december() {
        assert_eq!(end_of_year(d("2026-04-15")), d("2026-12-31"));
        assert_eq!(end_of_year(d("2026-12-31")), d("2026-12-31"));
        assert_eq!(end_of_year(d("2026-01-01")), d("2026-12-31"));
    }
}
