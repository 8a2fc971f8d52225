use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::{Zeroize, Zeroizing};

use crate::{CryptoError, random_bytes};

const FORMAT: u8 = 1;
const HEADER: usize = 1 + 4 + 12;

/// Where a ciphertext belongs: table, column, row and (for versioned rows) a part number.
/// Length-prefixed so that no two places encode alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aad(Vec<u8>);

impl Aad {
    #[must_use]
    pub fn new(table: &str, column: &str, row: uuid::Uuid) -> Self {
        Self::with_part(table, column, row, 0)
    }

    #[must_use]
    pub fn with_part(table: &str, column: &str, row: uuid::Uuid, part: u32) -> Self {
        let mut v = Vec::with_capacity(table.len() + column.len() + 32);
        for s in [table.as_bytes(), column.as_bytes()] {
            v.extend_from_slice(&u32::try_from(s.len()).unwrap_or(u32::MAX).to_be_bytes());
            v.extend_from_slice(s);
        }
        v.extend_from_slice(row.as_bytes());
        v.extend_from_slice(&part.to_be_bytes());
        Self(v)
    }

    fn bytes_with_version(&self, version: u32) -> Vec<u8> {
        let mut v = self.0.clone();
        v.extend_from_slice(&version.to_be_bytes());
        v
    }
}

/// A client's data key (or the system key). The cipher is built once per key because a
/// dossier has thousands of fields.
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
    #[must_use]
    pub fn generate(version: u32) -> Self {
        Self::from_secret(&random_bytes::<32>(), version)
    }

    #[must_use]
    pub fn from_secret(secret: &[u8; 32], version: u32) -> Self {
        Self {
            version,
            secret: Zeroizing::new(*secret),
            cipher: Aes256Gcm::new(secret.into()),
        }
    }

    #[must_use]
    pub const fn version(&self) -> u32 {
        self.version
    }

    pub(crate) fn secret(&self) -> &[u8; 32] {
        &self.secret
    }

    /// `format || version || nonce || AES-256-GCM(plaintext)`, bound to `aad` and version.
    #[must_use]
    pub fn encrypt(&self, plaintext: &[u8], aad: &Aad) -> Vec<u8> {
        let nonce = random_bytes::<12>();
        let aad = aad.bytes_with_version(self.version);
        let mut out = Vec::with_capacity(HEADER + plaintext.len() + 16);
        out.push(FORMAT);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(&nonce);
        // Encryption with a valid key and nonce cannot fail for inputs under 64 GiB.
        let ct = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .unwrap_or_default();
        out.extend_from_slice(&ct);
        out
    }

    pub fn decrypt(&self, ciphertext: &[u8], aad: &Aad) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let found = ciphertext_key_version(ciphertext)?;
        if found != self.version {
            return Err(CryptoError::KeyVersionMismatch {
                expected: self.version,
                found,
            });
        }
        let aad = aad.bytes_with_version(self.version);
        self.cipher
            .decrypt(
                Nonce::from_slice(&ciphertext[5..HEADER]),
                Payload {
                    msg: &ciphertext[HEADER..],
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::WrongKey)
    }

    #[must_use]
    pub fn encrypt_str(&self, plaintext: &str, aad: &Aad) -> Vec<u8> {
        self.encrypt(plaintext.as_bytes(), aad)
    }

    pub fn decrypt_string(
        &self,
        ciphertext: &[u8],
        aad: &Aad,
    ) -> Result<Zeroizing<String>, CryptoError> {
        let mut bytes = self.decrypt(ciphertext, aad)?;
        let s = String::from_utf8(std::mem::take(&mut *bytes)).map_err(|e| {
            let mut b = e.into_bytes();
            b.zeroize();
            CryptoError::Malformed
        })?;
        Ok(Zeroizing::new(s))
    }
}

/// The key version a ciphertext was made with.
pub fn ciphertext_key_version(ct: &[u8]) -> Result<u32, CryptoError> {
    if ct.len() < HEADER + 16 || ct[0] != FORMAT {
        return Err(CryptoError::Malformed);
    }
    Ok(u32::from_be_bytes([ct[1], ct[2], ct[3], ct[4]]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    // promise: SEC-1
    #[test]
    fn round_trip_and_binding_to_its_place() {
        let k = DataKey::generate(1);
        let row = Uuid::new_v4();
        let ct = k.encrypt(b"Jansen", &Aad::new("clients", "name", row));
        assert!(!ct.windows(6).any(|w| w == b"Jansen"));
        assert_eq!(
            &*k.decrypt(&ct, &Aad::new("clients", "name", row)).unwrap(),
            b"Jansen"
        );
        for other in [
            Aad::new("clients", "email", row),
            Aad::new("related_persons", "name", row),
            Aad::new("clients", "name", Uuid::new_v4()),
            Aad::with_part("clients", "name", row, 2),
        ] {
            assert!(matches!(k.decrypt(&ct, &other), Err(CryptoError::WrongKey)));
        }
    }

    // promise: SEC-1
    #[test]
    fn wrong_key_tampering_and_version_are_detected() {
        let k = DataKey::generate(1);
        let aad = Aad::new("t", "c", Uuid::nil());
        let mut ct = k.encrypt(b"x", &aad);
        assert!(matches!(
            DataKey::generate(1).decrypt(&ct, &aad),
            Err(CryptoError::WrongKey)
        ));
        assert!(matches!(
            DataKey::generate(2).decrypt(&ct, &aad),
            Err(CryptoError::KeyVersionMismatch {
                expected: 2,
                found: 1
            })
        ));
        let last = ct.len() - 1;
        ct[last] ^= 1;
        assert!(matches!(k.decrypt(&ct, &aad), Err(CryptoError::WrongKey)));
        assert!(matches!(
            k.decrypt(&[1, 2, 3], &aad),
            Err(CryptoError::Malformed)
        ));
        assert_eq!(format!("{k:?}"), "DataKey(v1, ***)");
    }
}
