//! Keys and encryption at rest (SEC-1, ARCHITECTURE "Encryption").
//!
//! - A key ring of key-encryption keys (KEKs) from the key file or `ZV_MASTER_KEY`.
//! - One data key per client, stored only wrapped under a KEK; destroying the wrapped key
//!   makes every copy of the client's data unreadable ("crypto-shredding").
//! - Every ciphertext carries its key version and is bound by associated data to its
//!   table, column and row, so it cannot be moved to another record.
//! - A keyed blind index (HMAC) makes names and birth dates searchable without storing
//!   them in clear.

mod aead;
mod blind;
pub mod keyfile;
pub mod password;
mod ring;

pub use aead::{Aad, DataKey, ciphertext_key_version};
pub use blind::{BlindIndexKey, MAX_PREFIX, MIN_PREFIX};
pub use ring::{Kek, KeyRing, WrappedKey};

use rand::RngCore;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("no key-encryption key of version {0} in the key ring")]
    UnknownKekVersion(u32),
    #[error("decryption failed: wrong key, or the data was altered or moved")]
    WrongKey,
    #[error("ciphertext was made with key version {found}, this key is version {expected}")]
    KeyVersionMismatch { expected: u32, found: u32 },
    #[error("malformed ciphertext or key material")]
    Malformed,
    #[error("{0}")]
    KeyFile(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// `N` random bytes from the operating system.
#[must_use]
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// A random token, base64url without padding.
#[must_use]
pub fn random_token(len_bytes: usize) -> String {
    use base64::Engine;
    let mut b = vec![0u8; len_bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[must_use]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}
