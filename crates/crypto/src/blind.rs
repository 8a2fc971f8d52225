//! Blind index: keyed search tokens for names and birth dates, so staff can find a client
//! while the database holds neither in clear. Without the key a token reveals nothing and
//! cannot be recomputed from a guessed name (HMAC-SHA256, truncated to 16 bytes).
//!
//! Names are searched by prefix: each normalised name part is indexed with one token per
//! prefix of [`MIN_PREFIX`] to [`MAX_PREFIX`] characters. Normalising (case, diacritics,
//! particles) is the caller's job and must be the same for indexing and querying.

use hmac::digest::KeyInit;
use hmac::digest::generic_array::GenericArray;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Shortest name prefix that is indexed and searchable: one letter would match a large
/// share of all clients and tell an observer of the index too much.
pub const MIN_PREFIX: usize = 2;
/// Longest prefix indexed; longer queries are cut to it. Bounds the tokens per name.
pub const MAX_PREFIX: usize = 12;

const NAME_DOMAIN: &str = "name";
const BIRTH_DATE_DOMAIN: &str = "birth_date";
/// SHA-256's block size: HMAC pads shorter keys with zeros to this length.
const HMAC_BLOCK: usize = 64;

/// The key of the blind index (stored wrapped like a data key). Wiped on drop; `Debug`
/// prints `BlindIndexKey(***)`.
pub struct BlindIndexKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for BlindIndexKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlindIndexKey(***)")
    }
}

impl BlindIndexKey {
    /// A fresh random key from the operating system.
    #[must_use]
    pub fn generate() -> Self {
        Self::from_secret(&Zeroizing::new(crate::random_bytes::<32>()))
    }

    /// The key from its 32 secret bytes, typically just unwrapped by
    /// [`crate::KeyRing::unwrap_secret`].
    #[must_use]
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        let mut own = Zeroizing::new([0u8; 32]);
        own.copy_from_slice(secret);
        Self(own)
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC zero-pads a 32-byte key to the 64-byte block, so keying with the padded
        // block gives exactly HMAC(key) and cannot fail, unlike `new_from_slice`.
        let mut block = Zeroizing::new([0u8; HMAC_BLOCK]);
        block[..32].copy_from_slice(&self.0[..]);
        <Hmac<Sha256> as KeyInit>::new(GenericArray::from_slice(&block[..]))
    }

    /// A 16-byte token for `value` within `domain`. The domain is length-prefixed, so a
    /// name can never produce the token of a birth date (or of another domain).
    #[must_use]
    pub fn token(&self, domain: &str, value: &str) -> [u8; 16] {
        let mut mac = self.mac();
        // usize is at most 64 bits on every supported target: the cast cannot lose bits.
        mac.update(&(domain.len() as u64).to_be_bytes());
        mac.update(domain.as_bytes());
        mac.update(value.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// Whether `token` is the token of `value` within `domain`, compared in constant time:
    /// for tokens that are handed out as proof (a link to unsubscribe) rather than looked
    /// up.
    #[must_use]
    pub fn verify(&self, domain: &str, value: &str, token: &[u8]) -> bool {
        let mut mac = self.mac();
        mac.update(&(domain.len() as u64).to_be_bytes());
        mac.update(domain.as_bytes());
        mac.update(value.as_bytes());
        token.len() == 16 && mac.verify_truncated_left(token).is_ok()
    }

    /// The tokens to store for a client's name: for every already normalised part, one per
    /// prefix of [`MIN_PREFIX`] up to [`MAX_PREFIX`] characters (not bytes), without
    /// duplicates. Parts shorter than [`MIN_PREFIX`] add nothing.
    #[must_use]
    pub fn name_prefix_tokens(&self, parts: &[String]) -> Vec<[u8; 16]> {
        let mut out = Vec::new();
        for part in parts {
            let ends = part
                .char_indices()
                .map(|(i, _)| i)
                .skip(1)
                .chain(std::iter::once(part.len()));
            for (len, end) in (1..).zip(ends) {
                if len > MAX_PREFIX {
                    break;
                }
                if len < MIN_PREFIX {
                    continue;
                }
                let t = self.token(NAME_DOMAIN, &part[..end]);
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The token to look up for a typed (normalised) prefix: `None` when it is shorter
    /// than [`MIN_PREFIX`] characters; cut to [`MAX_PREFIX`] characters when longer.
    #[must_use]
    pub fn name_query_token(&self, prefix: &str) -> Option<[u8; 16]> {
        let len = prefix.chars().count();
        if len < MIN_PREFIX {
            return None;
        }
        let end = prefix
            .char_indices()
            .nth(MAX_PREFIX)
            .map_or(prefix.len(), |(i, _)| i);
        Some(self.token(NAME_DOMAIN, &prefix[..end]))
    }

    /// The token of a birth date, given as ISO `YYYY-MM-DD` (exact match only).
    #[must_use]
    pub fn birth_date_token(&self, iso_date: &str) -> [u8; 16] {
        self.token(BIRTH_DATE_DOMAIN, iso_date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| (*s).to_owned()).collect()
    }

    // promise: SEC-1
    #[test]
    fn every_prefix_of_a_name_part_is_searchable() {
        let k = BlindIndexKey::generate();
        let tokens = k.name_prefix_tokens(&parts(&["jansen"]));
        let expected: Vec<[u8; 16]> = ["ja", "jan", "jans", "janse", "jansen"]
            .iter()
            .map(|p| k.token("name", p))
            .collect();
        assert_eq!(tokens, expected);
        assert!(tokens.contains(&k.name_query_token("jan").unwrap()));
        assert!(tokens.contains(&k.name_query_token("jansen").unwrap()));
        assert!(!tokens.contains(&k.name_query_token("jansens").unwrap()));
        assert!(!tokens.contains(&k.name_query_token("an").unwrap()));
        assert_eq!(k.name_query_token("j"), None);
        assert_eq!(k.name_query_token(""), None);
    }

    #[test]
    fn a_token_verifies_only_for_its_own_value_and_domain() {
        let k = BlindIndexKey::generate();
        let t = k.token("unsubscribe", "a");
        assert!(k.verify("unsubscribe", "a", &t));
        assert!(!k.verify("unsubscribe", "b", &t));
        assert!(!k.verify("other", "a", &t));
        assert!(!k.verify("unsubscribe", "a", &t[..15]));
        assert!(!BlindIndexKey::generate().verify("unsubscribe", "a", &t));
    }

    #[test]
    fn several_parts_share_tokens_once_and_short_parts_add_nothing() {
        let k = BlindIndexKey::generate();
        let tokens = k.name_prefix_tokens(&parts(&["jan", "jansen", "j", ""]));
        assert_eq!(tokens.len(), 5);
        assert!(tokens.contains(&k.name_query_token("jan").unwrap()));
    }

    #[test]
    fn prefixes_count_characters_not_bytes() {
        let k = BlindIndexKey::generate();
        // "ö" is two bytes: prefixes are "öz", "özi", "özil".
        let tokens = k.name_prefix_tokens(&parts(&["özil"]));
        assert_eq!(tokens.len(), 3);
        assert!(tokens.contains(&k.name_query_token("öz").unwrap()));
        assert_eq!(k.name_query_token("ö"), None);
        let cyrillic = k.name_prefix_tokens(&parts(&["иванов"]));
        assert_eq!(cyrillic.len(), 5);
    }

    #[test]
    fn long_names_stop_at_the_maximum_prefix() {
        let k = BlindIndexKey::generate();
        let long = "abcdefghijklmnop";
        let tokens = k.name_prefix_tokens(&parts(&[long]));
        assert_eq!(tokens.len(), MAX_PREFIX - MIN_PREFIX + 1);
        assert_eq!(k.name_query_token(long), k.name_query_token(&long[..12]));
        assert!(tokens.contains(&k.name_query_token(long).unwrap()));
        let wide = "äääääääääääääää";
        assert_eq!(
            k.name_query_token(wide),
            k.name_query_token(&"ä".repeat(12))
        );
    }

    // promise: SEC-1
    #[test]
    fn tokens_depend_on_the_key_and_the_domain() {
        let k = BlindIndexKey::generate();
        assert_ne!(
            BlindIndexKey::generate().name_query_token("jan"),
            k.name_query_token("jan")
        );
        assert_eq!(
            k.birth_date_token("2001-01-01"),
            k.birth_date_token("2001-01-01")
        );
        assert_ne!(
            k.birth_date_token("2001-01-01"),
            k.token("name", "2001-01-01")
        );
        // Length-prefixed domain: moving a character between domain and value differs.
        assert_ne!(k.token("ab", "c"), k.token("a", "bc"));
    }

    #[test]
    fn token_is_standard_hmac_sha256() {
        let k = BlindIndexKey::from_secret(&[7; 32]);
        let mut reference = <Hmac<Sha256> as Mac>::new_from_slice(&[7; 32]).unwrap();
        reference.update(&4u64.to_be_bytes());
        reference.update(b"name");
        reference.update(b"jan");
        let full = reference.finalize().into_bytes();
        assert_eq!(k.token("name", "jan")[..], full[..16]);
    }

    #[test]
    fn debug_never_shows_key_bytes() {
        let k = BlindIndexKey::from_secret(&[0xab; 32]);
        assert_eq!(format!("{k:?}"), "BlindIndexKey(***)");
    }
}
