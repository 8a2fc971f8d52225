//! Disclosure control for anonymous reports (SHR-5, DOMAIN.md "Anonymous reporting"):
//! which cells of a report may be published, and as what number. Pure rules, no I/O.
//!
//! 1. Small numbers: a count from 1 to below the policy's threshold is suppressed.
//! 2. Differences: a cell whose count differs from the same cell of an earlier released
//!    report over an overlapping population by 1 to below the threshold is suppressed,
//!    so subtracting two reports (two overlapping periods, a branch and one of its
//!    municipalities, the same report before and after a late registration) never
//!    singles out a person.
//! 3. Secondary suppression: where a total and its parts are published, a single
//!    suppressed member could be derived from the others, so a second member is
//!    suppressed (the smallest count above zero), until no relation has exactly one.
//! 4. Rounding: every published count is rounded to the policy's base.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why a cell is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Suppressed {
    /// Below the threshold itself.
    Small,
    /// Would be revealed by its difference with a released report.
    Difference,
    /// Suppressed so that another suppressed cell cannot be derived from a total.
    Secondary,
}

impl Suppressed {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::Difference => "difference",
            Self::Secondary => "secondary",
        }
    }
}

/// One cell: the count behind it, and what is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// The true count. Never leaves the organisation: it is kept with a release only so
    /// a later report can be compared against it.
    pub count: i64,
    /// The published (rounded) number; `None` when suppressed.
    pub published: Option<i64>,
    pub suppressed: Option<Suppressed>,
}

/// A total and the cells that add up to it (or, for counts of people who may appear in
/// more than one part, at least bound it; treated the same, which is the safe side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub parts: Vec<String>,
    pub total: String,
}

/// The rules' numbers, from the policy's `[reports]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub threshold: i64,
    pub rounding: i64,
    pub secondary: bool,
}

/// Publishes `counts` under the rules, given the true counts of the cells of earlier
/// released reports over overlapping populations (cells that were published there).
#[must_use]
pub fn protect(
    counts: &BTreeMap<String, i64>,
    relations: &[Relation],
    released: &[BTreeMap<String, i64>],
    rules: Rules,
) -> BTreeMap<String, Cell> {
    let mut why: BTreeMap<&str, Suppressed> = BTreeMap::new();
    for (key, &count) in counts {
        if count > 0 && count < rules.threshold {
            why.insert(key, Suppressed::Small);
            continue;
        }
        let revealing = released.iter().any(|earlier| {
            earlier.get(key).is_some_and(|&then| {
                let d = (count - then).abs();
                d > 0 && d < rules.threshold
            })
        });
        if revealing {
            why.insert(key, Suppressed::Difference);
        }
    }
    if rules.secondary {
        loop {
            let mut changed = false;
            for r in relations {
                let members: Vec<&str> = r
                    .parts
                    .iter()
                    .map(String::as_str)
                    .chain(std::iter::once(r.total.as_str()))
                    .filter(|k| counts.contains_key(*k))
                    .collect();
                let hidden = members.iter().filter(|k| why.contains_key(*k)).count();
                if hidden != 1 {
                    continue;
                }
                // The smallest published count above zero hides the most with the least
                // loss; a part before the total, which readers need most.
                let pick = members
                    .iter()
                    .filter(|k| !why.contains_key(*k))
                    .min_by_key(|k| {
                        let c = counts[**k];
                        (c == 0, **k == r.total.as_str(), c)
                    })
                    .copied();
                if let Some(k) = pick {
                    why.insert(k, Suppressed::Secondary);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
    counts
        .iter()
        .map(|(key, &count)| {
            let suppressed = why.get(key.as_str()).copied();
            let published = suppressed.is_none().then(|| round(count, rules.rounding));
            (
                key.clone(),
                Cell {
                    count,
                    published,
                    suppressed,
                },
            )
        })
        .collect()
}

/// Rounds to the nearest multiple of `base` (halves up); a zero stays zero.
#[must_use]
pub fn round(count: i64, base: i64) -> i64 {
    if base <= 1 {
        return count;
    }
    ((count + base / 2) / base) * base
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules = Rules {
        threshold: 5,
        rounding: 1,
        secondary: true,
    };

    fn counts(list: &[(&str, i64)]) -> BTreeMap<String, i64> {
        list.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    fn relation(parts: &[&str], total: &str) -> Relation {
        Relation {
            parts: parts.iter().map(|p| (*p).to_owned()).collect(),
            total: total.to_owned(),
        }
    }

    // promise: SHR-5
    #[test]
    fn small_counts_are_suppressed_and_zero_and_large_ones_published() {
        let out = protect(
            &counts(&[("a", 0), ("b", 1), ("c", 4), ("d", 5)]),
            &[],
            &[],
            RULES,
        );
        assert_eq!(out["a"].published, Some(0));
        assert_eq!(out["b"].suppressed, Some(Suppressed::Small));
        assert_eq!(out["c"].suppressed, Some(Suppressed::Small));
        assert_eq!(out["d"].published, Some(5));
    }

    // promise: SHR-5
    #[test]
    fn a_lone_suppressed_part_takes_a_second_cell_with_it() {
        let out = protect(
            &counts(&[("x", 3), ("y", 20), ("z", 9), ("total", 32)]),
            &[relation(&["x", "y", "z"], "total")],
            &[],
            RULES,
        );
        assert_eq!(out["x"].suppressed, Some(Suppressed::Small));
        // 32 - 20 - 9 would give x away: the smallest other part goes too.
        assert_eq!(out["z"].suppressed, Some(Suppressed::Secondary));
        assert_eq!(out["y"].published, Some(20));
        assert_eq!(out["total"].published, Some(32));
    }

    // promise: SHR-5
    #[test]
    fn secondary_suppression_follows_crossing_relations_until_none_has_one_hidden() {
        // Two rows crossing two columns: hiding a2 in the row hides b2 or total, and the
        // columns then need their own second cell.
        let c = counts(&[
            ("a1", 10),
            ("a2", 2),
            ("a", 12),
            ("b1", 8),
            ("b2", 7),
            ("b", 15),
            ("t1", 18),
            ("t2", 9),
            ("t", 27),
        ]);
        let rel = [
            relation(&["a1", "a2"], "a"),
            relation(&["b1", "b2"], "b"),
            relation(&["t1", "t2"], "t"),
            relation(&["a1", "b1"], "t1"),
            relation(&["a2", "b2"], "t2"),
            relation(&["a", "b"], "t"),
        ];
        let out = protect(&c, &rel, &[], RULES);
        for r in &rel {
            let hidden = r
                .parts
                .iter()
                .chain(std::iter::once(&r.total))
                .filter(|k| out[*k].suppressed.is_some())
                .count();
            assert_ne!(hidden, 1, "relation {r:?} leaks its one hidden cell");
        }
    }

    // promise: SHR-5
    #[test]
    fn a_difference_of_a_few_with_a_released_report_is_suppressed() {
        let released = counts(&[("started", 40), ("ended", 12)]);
        let out = protect(
            &counts(&[("started", 41), ("ended", 12)]),
            &[],
            &[released],
            RULES,
        );
        assert_eq!(out["started"].suppressed, Some(Suppressed::Difference));
        assert_eq!(out["ended"].published, Some(12));
    }

    #[test]
    fn rounding_goes_to_the_nearest_multiple() {
        assert_eq!(round(0, 5), 0);
        assert_eq!(round(7, 5), 5);
        assert_eq!(round(8, 5), 10);
        assert_eq!(round(12, 1), 12);
    }
}
