use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Shortest name prefix a search accepts.
pub const MIN_PREFIX: usize = 2;
/// Longest prefix indexed; longer queries are cut to it.
pub const MAX_PREFIX: usize = 12;

/// The key of the blind index: tokens are HMACs, so the index reveals nothing without it.
pub struct BlindIndexKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for BlindIndexKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlindIndexKey(***)")
    }
}

impl BlindIndexKey {
    #[must_use]
    pub fn generate() -> Self {
        Self(Zeroizing::new(crate::random_bytes::<32>()))
    }

    #[must_use]
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        Self(Zeroizing::new(*secret))
    }

    /// A domain-separated token of 16 bytes.
    #[must_use]
    pub fn token(&self, domain: &str, value: &str) -> [u8; 16] {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&*self.0) else {
            return [0; 16];
        };
        mac.update(
            &u32::try_from(domain.len())
                .unwrap_or(u32::MAX)
                .to_be_bytes(),
        );
        mac.update(domain.as_bytes());
        mac.update(value.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// One token per prefix (2 to 12 characters) of every normalised name part.
    #[must_use]
    pub fn name_prefix_tokens(&self, parts: &[String]) -> Vec<[u8; 16]> {
        let mut out = Vec::new();
        for part in parts {
            let chars: Vec<char> = part.chars().collect();
            for len in MIN_PREFIX..=chars.len().min(MAX_PREFIX) {
                let prefix: String = chars[..len].iter().collect();
                let t = self.token("name", &prefix);
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The token to look up for a typed prefix; `None` when it is too short to search.
    #[must_use]
    pub fn name_query_token(&self, prefix: &str) -> Option<[u8; 16]> {
        let chars: Vec<char> = prefix.chars().collect();
        if chars.len() < MIN_PREFIX {
            return None;
        }
        let cut: String = chars[..chars.len().min(MAX_PREFIX)].iter().collect();
        Some(self.token("name", &cut))
    }

    #[must_use]
    pub fn birth_date_token(&self, iso_date: &str) -> [u8; 16] {
        self.token("birth_date", iso_date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // promise: SEC-1
    #[test]
    fn prefixes_are_searchable_and_keyed() {
        let k = BlindIndexKey::generate();
        let tokens = k.name_prefix_tokens(&["jansen".to_owned()]);
        assert_eq!(tokens.len(), 5);
        assert!(tokens.contains(&k.name_query_token("jan").unwrap()));
        assert!(tokens.contains(&k.name_query_token("jansen").unwrap()));
        assert!(!tokens.contains(&k.name_query_token("jansens").unwrap()));
        assert_eq!(k.name_query_token("j"), None);
        assert_ne!(
            BlindIndexKey::generate().name_query_token("jan"),
            k.name_query_token("jan")
        );
        let multi = k.name_prefix_tokens(&["özil".to_owned()]);
        assert_eq!(multi.len(), 3);
        assert_ne!(
            k.birth_date_token("2001-01-01"),
            k.name_query_token("20").unwrap()
        );
        assert_eq!(format!("{k:?}"), "BlindIndexKey(***)");
        let long = "abcdefghijklmnop";
        assert_eq!(k.name_query_token(long), k.name_query_token(&long[..12]));
    }
}
