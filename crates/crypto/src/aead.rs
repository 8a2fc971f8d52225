//! Field encryption under a data key: AES-256-GCM, the key version in every ciphertext,
//! associated data binding it to its place (SEC-1).

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};
use zeroize::{Zeroize, Zeroizing};

use crate::{CryptoError, random_bytes};

/// Format byte of the ciphertext layout below; a new layout gets a new byte so data
/// written in the old one stays readable.
const FORMAT: u8 = 1;
const VERSION_LEN: usize = 4;
pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;
/// `format || key version (big-endian) || nonce`.
const HEADER_LEN: usize = 1 + VERSION_LEN + NONCE_LEN;

/// The largest plaintext AES-GCM accepts under one nonce (2^36 - 32 bytes, about 64 GiB).
/// Far above anything Zorgvuldig holds in memory; attachments are capped much lower.
pub const MAX_PLAINTEXT_LEN: u64 = (1 << 36) - 32;

/// Encrypts `buf` in place and returns the tag.
///
/// # Panics
/// Only when `buf` is longer than [`MAX_PLAINTEXT_LEN`] or `ad` longer than 2^36 bytes,
/// the only inputs AES-GCM refuses. Storing something that can never be decrypted would
/// lose data silently, so stopping loudly is the better failure.
pub(crate) fn seal_in_place(
    cipher: &Aes256Gcm,
    nonce: &[u8; NONCE_LEN],
    ad: &[u8],
    buf: &mut [u8],
) -> Tag {
    match cipher.encrypt_in_place_detached(Nonce::from_slice(nonce), ad, buf) {
        Ok(tag) => tag,
        Err(_) => {
            buf.zeroize();
            panic!(
                "AES-GCM refused to encrypt {} bytes (limit {MAX_PLAINTEXT_LEN})",
                buf.len()
            )
        }
    }
}

/// Where a ciphertext belongs: table, column, row and, for versioned rows, a part (e.g.
/// the entry version). Decryption with any other place fails, so a ciphertext copied into
/// another record, column or version is detected rather than shown as that record's data.
///
/// Encoded unambiguously: table and column are length-prefixed, the row id is 16 bytes,
/// and "no part" is distinct from every part number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aad(Vec<u8>);

impl Aad {
    /// The place of a field in an unversioned row.
    #[must_use]
    pub fn new(table: &str, column: &str, row: uuid::Uuid) -> Self {
        Self::encode(table, column, row, None)
    }

    /// The place of a field in one part of a row, such as one version of an entry.
    #[must_use]
    pub fn with_part(table: &str, column: &str, row: uuid::Uuid, part: u32) -> Self {
        Self::encode(table, column, row, Some(part))
    }

    fn encode(table: &str, column: &str, row: uuid::Uuid, part: Option<u32>) -> Self {
        let mut v = Vec::with_capacity(8 + table.len() + 8 + column.len() + 16 + 5);
        for s in [table, column] {
            // usize is at most 64 bits on every supported target: the cast cannot lose bits.
            v.extend_from_slice(&(s.len() as u64).to_be_bytes());
            v.extend_from_slice(s.as_bytes());
        }
        v.extend_from_slice(row.as_bytes());
        match part {
            None => v.push(0),
            Some(p) => {
                v.push(1);
                v.extend_from_slice(&p.to_be_bytes());
            }
        }
        Self(v)
    }

    /// The encoded place, for binding other things (such as a wrapped key) to it.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// What AES-GCM authenticates besides the ciphertext: the header fields that are not
    /// secret (format, key version) and the place, so none of them can be altered.
    fn associated_data(&self, version: u32) -> Vec<u8> {
        let mut ad = Vec::with_capacity(1 + VERSION_LEN + self.0.len());
        ad.push(FORMAT);
        ad.extend_from_slice(&version.to_be_bytes());
        ad.extend_from_slice(&self.0);
        ad
    }
}

/// A client's data key (or a system key), with its version. The secret is wiped on drop
/// and `Debug` never shows it.
///
/// The AES cipher (its key schedule) is built once per key, not per field: a dossier is
/// opened with thousands of fields in a row.
pub struct DataKey {
    version: u32,
    secret: Zeroizing<[u8; 32]>,
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey(v{}, ***)", self.version)
    }
}

impl DataKey {
    /// A fresh random key from the operating system.
    #[must_use]
    pub fn generate(version: u32) -> Self {
        Self::from_secret(&Zeroizing::new(random_bytes::<32>()), version)
    }

    /// A key from its 32 secret bytes, typically just unwrapped by [`crate::KeyRing::unwrap_secret`].
    #[must_use]
    pub fn from_secret(secret: &[u8; 32], version: u32) -> Self {
        let mut own = Zeroizing::new([0u8; 32]);
        own.copy_from_slice(secret);
        Self {
            version,
            cipher: Aes256Gcm::new((&*own).into()),
            secret: own,
        }
    }

    #[must_use]
    pub const fn version(&self) -> u32 {
        self.version
    }

    /// For wrapping only; never leaves the crate.
    pub(crate) fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    /// `format (1) || key version (4, big-endian) || nonce (12) || AES-256-GCM(plaintext)
    /// || tag (16)`, authenticated together with `aad`, the format and the version.
    ///
    /// # Panics
    /// Only for a plaintext above [`MAX_PLAINTEXT_LEN`] (about 64 GiB).
    #[must_use]
    pub fn encrypt(&self, plaintext: &[u8], aad: &Aad) -> Vec<u8> {
        let nonce = random_bytes::<NONCE_LEN>();
        // One allocation, encrypted in place: no second buffer holding the plaintext.
        let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
        out.push(FORMAT);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = seal_in_place(
            &self.cipher,
            &nonce,
            &aad.associated_data(self.version),
            &mut out[HEADER_LEN..],
        );
        out.extend_from_slice(&tag);
        out
    }

    /// The plaintext, wiped when dropped.
    ///
    /// # Errors
    /// [`CryptoError::Malformed`] for bytes that are not a ciphertext of ours,
    /// [`CryptoError::KeyVersionMismatch`] when it was made with another version of the
    /// key, [`CryptoError::WrongKey`] when the key, the place or any byte differs.
    pub fn decrypt(&self, ciphertext: &[u8], aad: &Aad) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let found = ciphertext_key_version(ciphertext)?;
        if found != self.version {
            return Err(CryptoError::KeyVersionMismatch {
                expected: self.version,
                found,
            });
        }
        let (header, rest) = ciphertext.split_at(HEADER_LEN);
        let (body, tag) = rest.split_at(rest.len() - TAG_LEN);
        // aes-gcm checks the tag before it decrypts, and the buffer is ours to wipe.
        let mut plain = Zeroizing::new(body.to_vec());
        self.cipher
            .decrypt_in_place_detached(
                Nonce::from_slice(&header[1 + VERSION_LEN..]),
                &aad.associated_data(self.version),
                &mut plain,
                Tag::from_slice(tag),
            )
            .map_err(|_| CryptoError::WrongKey)?;
        Ok(plain)
    }

    /// [`DataKey::encrypt`] for text.
    #[must_use]
    pub fn encrypt_str(&self, plaintext: &str, aad: &Aad) -> Vec<u8> {
        self.encrypt(plaintext.as_bytes(), aad)
    }

    /// [`DataKey::decrypt`] for text.
    ///
    /// # Errors
    /// As [`DataKey::decrypt`], and [`CryptoError::Malformed`] when the plaintext is not
    /// UTF-8.
    pub fn decrypt_string(
        &self,
        ciphertext: &[u8],
        aad: &Aad,
    ) -> Result<Zeroizing<String>, CryptoError> {
        let mut bytes = self.decrypt(ciphertext, aad)?;
        // Move the buffer into the String without copying, and wipe it if it is refused.
        match String::from_utf8(std::mem::take(&mut *bytes)) {
            Ok(s) => Ok(Zeroizing::new(s)),
            Err(e) => {
                e.into_bytes().zeroize();
                Err(CryptoError::Malformed)
            }
        }
    }
}

/// The data-key version a ciphertext was made with, so the caller can fetch that key.
///
/// # Errors
/// [`CryptoError::Malformed`] when the bytes are too short or have an unknown format byte.
pub fn ciphertext_key_version(ct: &[u8]) -> Result<u32, CryptoError> {
    match ct {
        [FORMAT, a, b, c, d, ..] if ct.len() >= HEADER_LEN + TAG_LEN => {
            Ok(u32::from_be_bytes([*a, *b, *c, *d]))
        }
        _ => Err(CryptoError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    // promise: SEC-1
    #[test]
    fn round_trip_and_plaintext_not_in_ciphertext() {
        let k = DataKey::generate(3);
        let aad = Aad::new("clients", "name", Uuid::new_v4());
        let ct = k.encrypt_str("Jansen", &aad);
        assert!(!ct.windows(6).any(|w| w == b"Jansen"));
        assert_eq!(ct.len(), 1 + 4 + 12 + 6 + 16);
        assert_eq!(ct[0], 1);
        assert_eq!(ciphertext_key_version(&ct).unwrap(), 3);
        assert_eq!(k.decrypt_string(&ct, &aad).unwrap().as_str(), "Jansen");
        // Random nonces: the same value encrypts differently each time.
        assert_ne!(ct, k.encrypt_str("Jansen", &aad));
        let empty = k.encrypt(b"", &aad);
        assert!(k.decrypt(&empty, &aad).unwrap().is_empty());
    }

    // promise: SEC-1
    #[test]
    fn ciphertext_moved_to_another_place_fails() {
        let k = DataKey::generate(1);
        let row = Uuid::new_v4();
        let ct = k.encrypt(b"Jansen", &Aad::with_part("entries", "content", row, 2));
        assert_eq!(
            &*k.decrypt(&ct, &Aad::with_part("entries", "content", row, 2))
                .unwrap(),
            b"Jansen"
        );
        for other in [
            Aad::with_part("entries", "content", row, 3),
            Aad::with_part("entries", "summary", row, 2),
            Aad::with_part("entry_versions", "content", row, 2),
            Aad::with_part("entries", "content", Uuid::new_v4(), 2),
            Aad::new("entries", "content", row),
            // Shifting a character between table and column must not give the same place.
            Aad::with_part("entriesc", "ontent", row, 2),
        ] {
            assert!(matches!(k.decrypt(&ct, &other), Err(CryptoError::WrongKey)));
        }
        assert_ne!(
            Aad::new("a", "bc", Uuid::nil()),
            Aad::new("ab", "c", Uuid::nil())
        );
        assert_ne!(
            Aad::new("t", "c", Uuid::nil()),
            Aad::with_part("t", "c", Uuid::nil(), 0)
        );
    }

    // promise: SEC-1
    #[test]
    fn wrong_key_is_detected() {
        let aad = Aad::new("t", "c", Uuid::nil());
        let ct = DataKey::generate(1).encrypt(b"x", &aad);
        assert!(matches!(
            DataKey::generate(1).decrypt(&ct, &aad),
            Err(CryptoError::WrongKey)
        ));
    }

    // promise: SEC-1
    #[test]
    fn every_tampered_byte_is_detected() {
        let k = DataKey::generate(1);
        let aad = Aad::new("t", "c", Uuid::nil());
        let ct = k.encrypt(b"secret", &aad);
        for i in 0..ct.len() {
            let mut bad = ct.clone();
            bad[i] ^= 0x01;
            assert!(k.decrypt(&bad, &aad).is_err(), "byte {i}");
        }
        assert!(matches!(
            k.decrypt(&ct[..ct.len() - 1], &aad),
            Err(CryptoError::WrongKey)
        ));
    }

    #[test]
    fn version_mismatch_and_malformed() {
        let aad = Aad::new("t", "c", Uuid::nil());
        let ct = DataKey::generate(1).encrypt(b"x", &aad);
        assert!(matches!(
            DataKey::generate(2).decrypt(&ct, &aad),
            Err(CryptoError::KeyVersionMismatch {
                expected: 2,
                found: 1
            })
        ));
        let k = DataKey::generate(1);
        assert!(matches!(
            k.decrypt(&[1, 0, 0, 0, 1], &aad),
            Err(CryptoError::Malformed)
        ));
        assert!(matches!(
            k.decrypt(&ct[..HEADER_LEN + TAG_LEN - 1], &aad),
            Err(CryptoError::Malformed)
        ));
        let mut other_format = ct;
        other_format[0] = 2;
        assert!(matches!(
            k.decrypt(&other_format, &aad),
            Err(CryptoError::Malformed)
        ));
        assert!(ciphertext_key_version(&[]).is_err());
    }

    #[test]
    fn invalid_utf8_is_malformed_not_a_panic() {
        let k = DataKey::generate(1);
        let aad = Aad::new("t", "c", Uuid::nil());
        let ct = k.encrypt(&[0xff, 0xfe], &aad);
        assert!(matches!(
            k.decrypt_string(&ct, &aad),
            Err(CryptoError::Malformed)
        ));
    }

    #[test]
    fn debug_never_shows_key_bytes() {
        let secret = [0xab; 32];
        let k = DataKey::from_secret(&secret, 7);
        assert_eq!(format!("{k:?}"), "DataKey(v7, ***)");
        assert_eq!(format!("{k:#?}"), "DataKey(v7, ***)");
    }

    /// The AES key schedule inside every key is wiped on drop (the `zeroize` feature of
    /// `aes` is on); this fails to compile otherwise.
    #[test]
    fn aes_key_schedule_is_zeroized_on_drop() {
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroized_on_drop::<aes::Aes256>();
    }
}
