//! Lists of values for `IN (…)`, padded to a few lengths so that their statements' text
//! repeats.
//!
//! A statement's text names one placeholder per value of its list, so a list of every
//! length made a statement of its own. The sweep's batches, each with its own count of
//! entries and of clients, made some fifty new texts per batch; PostgreSQL parses and
//! describes each new text in a round trip of its own before it runs, and the driver's
//! cache of prepared statements then evicts the ones a view needs (docs/performance.md,
//! session 32). Padding repeats the last value, which changes nothing a condition
//! `x IN (…)` matches.

/// The values, padded with their last to the next power of two (an empty list stays
/// empty).
pub(crate) fn padded<T: Clone>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut list: Vec<T> = values.into_iter().collect();
    if let Some(last) = list.last().cloned() {
        list.resize(list.len().next_power_of_two(), last);
    }
    list
}

#[cfg(test)]
mod tests {
    use super::padded;

    #[test]
    fn lists_take_one_of_a_few_lengths_and_keep_their_values() {
        assert!(padded(Vec::<u8>::new()).is_empty());
        assert_eq!(padded([7]), vec![7]);
        assert_eq!(padded([1, 2, 3]), vec![1, 2, 3, 3]);
        assert_eq!(padded(1..=4).len(), 4);
        let long = padded(0..1000);
        assert_eq!(long.len(), 1024);
        assert_eq!(&long[..1000], (0..1000).collect::<Vec<_>>().as_slice());
        assert!(long[1000..].iter().all(|v| *v == 999));
    }
}
