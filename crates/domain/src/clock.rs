//! The injectable clock (ARCHITECTURE rule 4). Legal dates are local dates in
//! Europe/Amsterdam; stored instants are UTC.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in the Netherlands, the date every legal term is counted from.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Amsterdam).date_naive()
    }
}

/// The instant a local date begins in the Netherlands (a period filter "from 1 March"
/// means from midnight in Amsterdam). Amsterdam changes its clocks at 02:00 and 03:00, so
/// midnight always exists; the UTC fallback only keeps this total.
#[must_use]
pub fn start_of_local_day(date: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone as _;
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    Amsterdam
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(
            || Utc.from_utc_datetime(&midnight),
            |t| t.with_timezone(&Utc),
        )
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved: tests travel to a birthday or past a term.
#[derive(Debug, Clone)]
pub struct FixedClock(Arc<Mutex<DateTime<Utc>>>);

impl FixedClock {
    #[must_use]
    pub fn at(now: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(now)))
    }

    pub fn set(&self, now: DateTime<Utc>) {
        if let Ok(mut t) = self.0.lock() {
            *t = now;
        }
    }

    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
            .lock()
            .map(|t| *t)
            .unwrap_or_else(|p| *p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn local_days_start_at_amsterdam_midnight_in_winter_and_summer() {
        let winter =
            super::start_of_local_day(chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        assert_eq!(winter.to_rfc3339(), "2026-01-14T23:00:00+00:00");
        let summer =
            super::start_of_local_day(chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(summer.to_rfc3339(), "2026-06-30T22:00:00+00:00");
    }

    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_dutch_date() {
        // 23:30 UTC on 31 December is already 1 January in Amsterdam.
        let c = FixedClock::at(Utc.with_ymd_and_hms(2025, 12, 31, 23, 30, 0).unwrap());
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    }
}
