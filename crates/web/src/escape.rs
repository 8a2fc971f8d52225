//! HTML escaping for every template (`askama.toml` names it for `.html`).
//!
//! The output is byte for byte askama's own (`"` `&` `'` `<` `>` as `&#34;` `&#38;`
//! `&#39;` `&#60;` `&#62;`). What differs is the speed: askama looks at one byte after
//! another, and on a dossier page of fifty entries that was a fifth of all the server's
//! instructions (session 34, `scripts/callgrind/count-views`). Here eight bytes are tested
//! at once, and only a word that may hold one of the five is looked at byte by byte.

use std::fmt::{self, Write};

/// askama's escaper trait, for the templates' `{{ … }}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl askama::filters::Escaper for Html {
    #[inline]
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        write_escaped(&mut dest, string)
    }

    #[inline]
    fn write_escaped_char<W: Write>(&self, mut dest: W, c: char) -> fmt::Result {
        match u8::try_from(c).ok().and_then(escape_of) {
            Some(escaped) => dest.write_str(escaped),
            None => dest.write_char(c),
        }
    }
}

/// Writes `text` to `dest` with the five characters escaped.
fn write_escaped(dest: &mut impl Write, text: &str) -> fmt::Result {
    let bytes = text.as_bytes();
    // `plain` is where the text not yet written starts; every cut is at one of the five
    // ASCII characters, so each piece is whole UTF-8.
    let mut plain = 0;
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        if may_hold_one(u64::from_le_bytes(eight)) {
            plain = escape_bytes(dest, text, at, at + 8, plain)?;
        }
        at += 8;
    }
    plain = escape_bytes(dest, text, at, bytes.len(), plain)?;
    match text.get(plain..) {
        Some(rest) if !rest.is_empty() => dest.write_str(rest),
        _ => Ok(()),
    }
}

/// Escapes what is in `from..to`, writing the plain text before each escape; returns
/// where the text not yet written now starts.
fn escape_bytes(
    dest: &mut impl Write,
    text: &str,
    from: usize,
    to: usize,
    mut plain: usize,
) -> Result<usize, fmt::Error> {
    for (at, byte) in text.as_bytes().iter().enumerate().take(to).skip(from) {
        if let Some(escaped) = escape_of(*byte) {
            if let Some(before) = text.get(plain..at).filter(|s| !s.is_empty()) {
                dest.write_str(before)?;
            }
            dest.write_str(escaped)?;
            plain = at + 1;
        }
    }
    Ok(plain)
}

#[inline]
fn escape_of(byte: u8) -> Option<&'static str> {
    match byte {
        b'"' => Some("&#34;"),
        b'&' => Some("&#38;"),
        b'\'' => Some("&#39;"),
        b'<' => Some("&#60;"),
        b'>' => Some("&#62;"),
        _ => None,
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether a byte of `word` may be one of the five. Never false when one is there; may
/// be true when none is (the zero-byte test's borrow), which only costs a closer look.
#[inline]
fn may_hold_one(word: u64) -> bool {
    // `&` (0x26) and `'` (0x27) differ only in the lowest bit, `<` (0x3c) and `>` (0x3e)
    // only in the next: setting that bit in every byte lets one test find both.
    let quote = has_byte(word, b'"');
    let amp_or_apostrophe = has_byte(word | ONES, b'\'');
    let angle = has_byte(word | (ONES << 1), b'>');
    (quote | amp_or_apostrophe | angle) != 0
}

/// Non-zero when some byte of `word` equals `byte` (the classic test for a zero byte).
#[inline]
const fn has_byte(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * byte as u64);
    x.wrapping_sub(ONES) & !x & HIGHS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        write_escaped(&mut out, text).unwrap();
        out
    }

    /// The same bytes as askama's own escaper, for every position of every special
    /// character in and around a word, and for text without any.
    #[test]
    fn the_output_is_askamas() {
        let mut cases = vec![
            String::new(),
            "plain text, no specials at all here".to_owned(),
            "cliënt's \"dossier\" <b>&amp;</b> — één".to_owned(),
            "<<<<<<<<>>>>>>>>&&&&''''\"\"\"\"".to_owned(),
            "é".repeat(17),
        ];
        for special in ['"', '&', '\'', '<', '>', '=', '?', '%', ';', '#'] {
            for at in 0..20 {
                let mut s: String = "abcdefghijklmnopqrst".chars().take(at).collect();
                s.push(special);
                s.push_str("ëxyz");
                cases.push(s);
            }
        }
        // Every byte value that is valid as a one-byte character.
        cases.push((0u8..0x80).map(char::from).collect());
        for case in cases {
            let mut theirs = String::new();
            askama::filters::Escaper::write_escaped_str(&askama::filters::Html, &mut theirs, &case)
                .unwrap();
            assert_eq!(escaped(&case), theirs, "{case:?}");
        }
    }

    #[test]
    fn a_word_is_flagged_only_when_it_may_hold_one() {
        for byte in 0u8..=255 {
            let word = u64::from_le_bytes([b'a', b'b', byte, b'c', b'd', b'e', b'f', b'g']);
            if escape_of(byte).is_some() {
                assert!(may_hold_one(word), "{byte:#x}");
            }
        }
        assert!(!may_hold_one(u64::from_le_bytes(*b"abcdefgh")));
        assert!(!may_hold_one(u64::from_le_bytes(*b"1234 .,:")));
    }
}
