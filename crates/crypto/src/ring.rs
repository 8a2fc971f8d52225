use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::{CryptoError, DataKey, random_bytes};

const HEADER_LINE: &str = "zorgvuldig-keyring v1";

/// A key-encryption key.
pub struct Kek {
    version: u32,
    cipher: Aes256Gcm,
    secret: Zeroizing<[u8; 32]>,
}

impl Clone for Kek {
    fn clone(&self) -> Self {
        Self::new(self.version, &self.secret)
    }
}

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kek(v{}, ***)", self.version)
    }
}

impl Kek {
    fn new(version: u32, secret: &[u8; 32]) -> Self {
        Self {
            version,
            cipher: Aes256Gcm::new(secret.into()),
            secret: Zeroizing::new(*secret),
        }
    }
}

/// A data key wrapped under a KEK: `nonce || AES-256-GCM(key)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    pub kek_version: u32,
    pub key_version: u32,
    pub bytes: Vec<u8>,
}

/// The key-encryption keys, by version; new wraps use the current one.
#[derive(Clone, Debug)]
pub struct KeyRing {
    current: u32,
    keks: BTreeMap<u32, Kek>,
}

fn wrap_aad(aad: &[u8], key_version: u32) -> Vec<u8> {
    let mut v = aad.to_vec();
    v.extend_from_slice(&key_version.to_be_bytes());
    v
}

impl KeyRing {
    #[must_use]
    pub fn generate() -> Self {
        let mut keks = BTreeMap::new();
        keks.insert(1, Kek::new(1, &random_bytes::<32>()));
        Self { current: 1, keks }
    }

    #[must_use]
    pub const fn current_version(&self) -> u32 {
        self.current
    }

    #[must_use]
    pub fn versions(&self) -> Vec<u32> {
        self.keks.keys().copied().collect()
    }

    /// Adds a fresh KEK and makes it current; older ones stay to unwrap until retired.
    pub fn rotate(&mut self) -> u32 {
        let next = self.keks.keys().max().copied().unwrap_or(0) + 1;
        self.keks
            .insert(next, Kek::new(next, &random_bytes::<32>()));
        self.current = next;
        next
    }

    pub fn retire_old(&mut self) {
        let current = self.current;
        self.keks.retain(|v, _| *v == current);
    }

    fn current_kek(&self) -> &Kek {
        // The ring always holds its current version: every constructor and mutation keeps it.
        self.keks
            .get(&self.current)
            .unwrap_or_else(|| unreachable_ring())
    }

    pub fn wrap_secret(&self, secret: &[u8; 32], key_version: u32, aad: &[u8]) -> WrappedKey {
        let kek = self.current_kek();
        let nonce = random_bytes::<12>();
        let ct = kek
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret,
                    aad: &wrap_aad(aad, key_version),
                },
            )
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ct);
        WrappedKey {
            kek_version: kek.version,
            key_version,
            bytes,
        }
    }

    pub fn unwrap_secret(
        &self,
        wrapped: &WrappedKey,
        aad: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
        let kek = self
            .keks
            .get(&wrapped.kek_version)
            .ok_or(CryptoError::UnknownKekVersion(wrapped.kek_version))?;
        if wrapped.bytes.len() != 12 + 32 + 16 {
            return Err(CryptoError::Malformed);
        }
        let plain = Zeroizing::new(
            kek.cipher
                .decrypt(
                    Nonce::from_slice(&wrapped.bytes[..12]),
                    Payload {
                        msg: &wrapped.bytes[12..],
                        aad: &wrap_aad(aad, wrapped.key_version),
                    },
                )
                .map_err(|_| CryptoError::WrongKey)?,
        );
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&plain);
        Ok(out)
    }

    #[must_use]
    pub fn wrap(&self, key: &DataKey, aad: &[u8]) -> WrappedKey {
        self.wrap_secret(key.secret(), key.version(), aad)
    }

    pub fn unwrap(&self, wrapped: &WrappedKey, aad: &[u8]) -> Result<DataKey, CryptoError> {
        let secret = self.unwrap_secret(wrapped, aad)?;
        Ok(DataKey::from_secret(&secret, wrapped.key_version))
    }

    /// Unwraps with whichever version wrapped it and wraps again under the current KEK.
    pub fn rewrap(&self, wrapped: &WrappedKey, aad: &[u8]) -> Result<WrappedKey, CryptoError> {
        let secret = self.unwrap_secret(wrapped, aad)?;
        Ok(self.wrap_secret(&secret, wrapped.key_version, aad))
    }

    /// The key file's text: a header, the current version, one line per KEK.
    #[must_use]
    pub fn to_file_text(&self) -> Zeroizing<String> {
        let mut s = format!("{HEADER_LINE}\ncurrent = {}\n", self.current);
        for (v, k) in &self.keks {
            s.push_str(&format!("kek {v} {}\n", STANDARD.encode(*k.secret)));
        }
        Zeroizing::new(s)
    }

    pub fn parse_file_text(text: &str) -> Result<Self, CryptoError> {
        let bad = |what: &str| CryptoError::KeyFile(format!("not a Zorgvuldig key ring: {what}"));
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        if lines.next() != Some(HEADER_LINE) {
            return Err(bad("missing header line"));
        }
        let mut current = None;
        let mut keks = BTreeMap::new();
        for line in lines {
            if let Some(v) = line.strip_prefix("current = ") {
                current = Some(v.parse::<u32>().map_err(|_| bad("bad current version"))?);
            } else if let Some(rest) = line.strip_prefix("kek ") {
                let (v, b64) = rest.split_once(' ').ok_or_else(|| bad("bad key line"))?;
                let v = v.parse::<u32>().map_err(|_| bad("bad key version"))?;
                let bytes = Zeroizing::new(
                    STANDARD
                        .decode(b64.trim())
                        .map_err(|_| bad("key is not base64"))?,
                );
                let secret: [u8; 32] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| bad("a key has 32 bytes"))?;
                keks.insert(v, Kek::new(v, &secret));
            } else {
                return Err(bad("unexpected line"));
            }
        }
        let current = current.ok_or_else(|| bad("no current version"))?;
        if !keks.contains_key(&current) {
            return Err(bad("the current version has no key"));
        }
        Ok(Self { current, keks })
    }

    /// `ZV_MASTER_KEY`: a key file's text, or a single base64 key (version 1).
    pub fn from_env_value(value: &str) -> Result<Self, CryptoError> {
        if value.trim_start().starts_with(HEADER_LINE) {
            return Self::parse_file_text(value);
        }
        let bytes = Zeroizing::new(STANDARD.decode(value.trim()).map_err(|_| {
            CryptoError::KeyFile("ZV_MASTER_KEY is neither a key ring nor a base64 key".into())
        })?);
        let secret: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::KeyFile("ZV_MASTER_KEY must hold 32 bytes".into()))?;
        let mut keks = BTreeMap::new();
        keks.insert(1, Kek::new(1, &secret));
        Ok(Self { current: 1, keks })
    }
}

fn unreachable_ring() -> &'static Kek {
    // Constructors and `retire_old` always keep the current version; reaching this is a
    // bug, and aborting beats wrapping under a wrong key.
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    // promise: SEC-1
    #[test]
    fn wrap_unwrap_rotate_rewrap() {
        let mut ring = KeyRing::generate();
        let key = DataKey::generate(1);
        let w1 = ring.wrap(&key, b"client:1");
        assert!(ring.unwrap(&w1, b"client:2").is_err());
        assert_eq!(ring.rotate(), 2);
        let k = ring.unwrap(&w1, b"client:1").unwrap();
        assert_eq!(k.version(), 1);
        let w2 = ring.rewrap(&w1, b"client:1").unwrap();
        assert_eq!(w2.kek_version, 2);
        ring.retire_old();
        assert!(matches!(
            ring.unwrap(&w1, b"client:1"),
            Err(CryptoError::UnknownKekVersion(1))
        ));
        assert!(ring.unwrap(&w2, b"client:1").is_ok());
        assert!(matches!(
            KeyRing::generate().unwrap(&w2, b"client:1"),
            Err(CryptoError::UnknownKekVersion(2))
        ));
    }

    #[test]
    fn file_text_round_trip_and_errors() {
        let mut ring = KeyRing::generate();
        ring.rotate();
        let parsed = KeyRing::parse_file_text(&ring.to_file_text()).unwrap();
        assert_eq!(parsed.versions(), vec![1, 2]);
        assert_eq!(parsed.current_version(), 2);
        let w = ring.wrap(&DataKey::generate(1), b"a");
        assert!(parsed.unwrap(&w, b"a").is_ok());
        assert!(KeyRing::parse_file_text("hello").is_err());
        assert!(KeyRing::from_env_value("AAAA").is_err());
        assert!(!format!("{ring:?}").contains(&STANDARD.encode(*ring.current_kek().secret)));
    }
}
