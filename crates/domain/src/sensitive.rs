//! A wrapper for personal data and secrets that cannot leak through `Debug` or logs.

use std::fmt;

use zeroize::Zeroize;

/// Holds a value that must never be printed: personal data or a secret. `Debug` and
/// `Display` print `***`; the value is wiped from memory on drop.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself. The name makes every use visible in review.
    pub const fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T: Zeroize> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Sensitive::new(String::from("Jansen"));
        assert_eq!(format!("{s:?} {s}"), "*** ***");
        assert_eq!(s.expose(), "Jansen");
    }
}
