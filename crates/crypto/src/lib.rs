//! Keys and encryption at rest (promise SEC-1, ARCHITECTURE "Encryption").
//!
//! - A [`KeyRing`] of key-encryption keys (KEKs) from the key file ([`keyfile`]) or
//!   `ZV_MASTER_KEY`. The ring never enters the database, so a stolen database or backup
//!   alone reveals nothing.
//! - One [`DataKey`] per client, stored only wrapped under a KEK ([`WrappedKey`]).
//!   Destroying the wrapped key makes every copy of the client's data unreadable, backups
//!   included ("crypto-shredding").
//! - Every ciphertext carries its key version and is bound by associated data ([`Aad`]) to
//!   its table, column, row and part, so it cannot be moved to another record unnoticed.
//! - A keyed blind index ([`BlindIndexKey`], HMAC) makes names and birth dates searchable
//!   without storing them in clear.
//! - Passwords are hashed with argon2id ([`password`]).
//!
//! Nonces are 96 random bits per encryption. That is safe for about 2^32 encryptions under
//! one key (NIST SP 800-38D); with one data key per client no key comes near that.
//!
//! # Error policy
//! Every fallible function returns [`CryptoError`]. This crate logs nothing: the caller
//! decides where an error is logged, once, at its boundary. No message of this crate ever
//! contains key material or plaintext, so a message may be logged as it is; a user should
//! still see only a generic message, because "wrong key" tells an attacker something.
//! Secrets live in types whose `Debug` prints `***` and that are wiped on drop.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod aead;
mod blind;
pub mod keyfile;
pub mod password;
mod ring;
mod sign;

pub use aead::{Aad, DataKey, MAX_PLAINTEXT_LEN, ciphertext_key_version};
pub use blind::{BlindIndexKey, MAX_PREFIX, MIN_PREFIX};
pub use ring::{Kek, KeyRing, WrappedKey};
pub use sign::{SigningKey, VerifyingKey};

use rand::RngCore;
use zeroize::Zeroizing;

/// What can go wrong with keys and ciphertexts. No variant carries key material or
/// plaintext.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// A wrapped key names a KEK version the key ring does not hold: the ring was rotated
    /// by another process (reload it), or the key belongs to another installation.
    #[error("no key-encryption key of version {0} in the key ring")]
    UnknownKekVersion(u32),
    /// Authentication failed: the wrong key, or the ciphertext was altered or moved to
    /// another place. AES-GCM cannot tell these apart, and neither do we.
    #[error("decryption failed: wrong key, or the data was altered or moved")]
    WrongKey,
    /// The ciphertext names another data-key version than the key offered for it.
    #[error("ciphertext was made with key version {found}, this key is version {expected}")]
    KeyVersionMismatch { expected: u32, found: u32 },
    /// Bytes that are not a ciphertext, wrapped key or password hash of ours.
    #[error("malformed ciphertext or key material")]
    Malformed,
    /// The key file or `ZV_MASTER_KEY` is missing, unsafe or unreadable. The message names
    /// the file and what is wrong (and a line number), never the keys.
    #[error("{0}")]
    KeyFile(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// `N` random bytes from the operating system (keys, nonces, salts).
#[must_use]
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// `len_bytes` random bytes from the operating system as base64url without padding:
/// generated passwords, recovery codes and session ids, safe in URLs and cookies.
#[must_use]
pub fn random_token(len_bytes: usize) -> String {
    use base64::Engine;
    let mut b = Zeroizing::new(vec![0u8; len_bytes]);
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&*b)
}

/// SHA-256 of `data`; the audit log's hash chain links its events with it.
#[must_use]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_values_differ_and_tokens_are_url_safe() {
        assert_ne!(random_bytes::<32>(), random_bytes::<32>());
        let t = random_token(32);
        assert_eq!(t.len(), 43);
        assert!(
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(t, random_token(32));
        assert_eq!(random_token(0), "");
    }

    #[test]
    fn sha256_matches_the_standard_vector() {
        let h = sha256(b"abc");
        assert_eq!(h[..4], [0xba, 0x78, 0x16, 0xbf]);
        assert_eq!(h[28..], [0xf2, 0x00, 0x15, 0xad]);
    }
}
