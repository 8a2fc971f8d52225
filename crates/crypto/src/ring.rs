//! The key ring: versioned key-encryption keys (KEKs) that wrap the data keys, and its
//! text format for the key file and `ZV_MASTER_KEY`.
//!
//! ```text
//! zorgvuldig-keyring v1
//! # comments and blank lines are ignored
//! current = 2
//! kek 1 <base64 of 32 bytes>
//! kek 2 <base64 of 32 bytes>
//! ```
//!
//! The header comes first. `current` names the KEK that wraps new keys; the others stay
//! to unwrap keys wrapped before a rotation, until they are retired. Versions are whole
//! numbers from 1 to 2^31 - 1, because the database stores them in 32-bit integers.

use std::collections::BTreeMap;

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::aead::{NONCE_LEN, TAG_LEN, seal_in_place};
use crate::{CryptoError, DataKey, random_bytes};

const HEADER_LINE: &str = "zorgvuldig-keyring v1";
const HEADER_WORD: &str = "zorgvuldig-keyring";
const FILE_COMMENT: &str = "\
# Zorgvuldig key ring. Without it nothing in the database or its backups can be read.
# Keep it secret (mode 0600), and back it up apart from the database backups.
";
/// The largest version a database column (32-bit signed integer) can hold.
const MAX_VERSION: u32 = i32::MAX.unsigned_abs();
const SECRET_LEN: usize = 32;
/// `nonce || AES-256-GCM(32-byte key) || tag`.
const WRAPPED_LEN: usize = NONCE_LEN + SECRET_LEN + TAG_LEN;
/// Separates what a KEK authenticates from anything else that might use the same bytes.
const WRAP_CONTEXT: &[u8] = b"zorgvuldig wrapped key v1";

/// A key-encryption key: 32 bytes that never leave the key file, `ZV_MASTER_KEY` and
/// memory. Wiped on drop; `Debug` prints `Kek(v{version}, ***)`.
pub struct Kek {
    version: u32,
    secret: Zeroizing<[u8; SECRET_LEN]>,
    cipher: Aes256Gcm,
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
    fn new(version: u32, secret: &[u8; SECRET_LEN]) -> Self {
        let mut own = Zeroizing::new([0u8; SECRET_LEN]);
        own.copy_from_slice(secret);
        Self {
            version,
            cipher: Aes256Gcm::new((&*own).into()),
            secret: own,
        }
    }

    fn random(version: u32) -> Self {
        Self::new(version, &Zeroizing::new(random_bytes::<SECRET_LEN>()))
    }

    #[must_use]
    pub const fn version(&self) -> u32 {
        self.version
    }
}

/// A data key (or another 32-byte secret) wrapped under a KEK, as it is stored:
/// `bytes` = `nonce (12) || AES-256-GCM(key) (32) || tag (16)`. The key's own version and
/// the caller's associated data (the owner of the key) are authenticated with it, so a
/// wrapped key cannot be given to another client or relabelled with another version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    pub kek_version: u32,
    pub key_version: u32,
    pub bytes: Vec<u8>,
}

/// The key-encryption keys by version. New wraps use the current one; older ones stay to
/// unwrap until [`KeyRing::retire_old`].
///
/// Invariant: `keks` always holds `current` (every constructor checks it, and neither
/// `rotate` nor `retire_old` can remove it).
#[derive(Clone, Debug)]
pub struct KeyRing {
    current: u32,
    keks: BTreeMap<u32, Kek>,
}

/// What a KEK authenticates with a wrapped key: a fixed context, the key's version and the
/// caller's associated data (fixed-length fields first, so the encoding is unambiguous).
fn wrap_ad(aad: &[u8], key_version: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(WRAP_CONTEXT.len() + 4 + aad.len());
    v.extend_from_slice(WRAP_CONTEXT);
    v.extend_from_slice(&key_version.to_be_bytes());
    v.extend_from_slice(aad);
    v
}

fn parse_version(s: &str) -> Option<u32> {
    s.parse::<u32>()
        .ok()
        .filter(|v| (1..=MAX_VERSION).contains(v))
}

/// Decodes a base64 key straight into wiped memory. The error says what is wrong, never
/// what the key is.
fn decode_key(b64: &str) -> Result<Zeroizing<[u8; SECRET_LEN]>, &'static str> {
    use base64::DecodeSliceError;
    // Room for the decoder's estimate (it rounds up to whole 3-byte groups).
    let mut buf = Zeroizing::new([0u8; SECRET_LEN + 16]);
    let n = STANDARD
        .decode_slice(b64, &mut buf[..])
        .map_err(|e| match e {
            DecodeSliceError::OutputSliceTooSmall => "is longer than 32 bytes",
            DecodeSliceError::DecodeError(_) => "is not valid base64",
        })?;
    if n != SECRET_LEN {
        return Err("is not 32 bytes long");
    }
    let mut key = Zeroizing::new([0u8; SECRET_LEN]);
    key.copy_from_slice(&buf[..SECRET_LEN]);
    Ok(key)
}

impl KeyRing {
    /// A new ring with one random KEK, version 1 (`zorgvuldig init`).
    #[must_use]
    pub fn generate() -> Self {
        let mut keks = BTreeMap::new();
        keks.insert(1, Kek::random(1));
        Self { current: 1, keks }
    }

    /// The version new keys are wrapped under.
    #[must_use]
    pub const fn current_version(&self) -> u32 {
        self.current
    }

    /// All versions in the ring, ascending.
    #[must_use]
    pub fn versions(&self) -> Vec<u32> {
        self.keks.keys().copied().collect()
    }

    /// Adds a fresh random KEK and makes it current; returns its version. Older versions
    /// stay so that keys wrapped under them can still be unwrapped (and re-wrapped) until
    /// [`KeyRing::retire_old`].
    pub fn rotate(&mut self) -> u32 {
        let next = self.keks.keys().max().map_or(1, |v| v + 1);
        self.keks.insert(next, Kek::random(next));
        self.current = next;
        next
    }

    /// Drops every version but the current one, once all keys are re-wrapped under it.
    pub fn retire_old(&mut self) {
        let current = self.current;
        self.keks.retain(|v, _| *v == current);
    }

    fn current_kek(&self) -> &Kek {
        // Cannot panic: the ring always holds its current version (see the invariant).
        &self.keks[&self.current]
    }

    /// Wraps any 32-byte secret (a data key, the blind-index key) under the current KEK,
    /// bound to `key_version` and `aad` (who owns the key).
    #[must_use]
    pub fn wrap_secret(&self, secret: &[u8; 32], key_version: u32, aad: &[u8]) -> WrappedKey {
        let kek = self.current_kek();
        let nonce = random_bytes::<NONCE_LEN>();
        let mut buf = Zeroizing::new([0u8; SECRET_LEN]);
        buf.copy_from_slice(secret);
        let tag = seal_in_place(
            &kek.cipher,
            &nonce,
            &wrap_ad(aad, key_version),
            &mut buf[..],
        );
        let mut bytes = Vec::with_capacity(WRAPPED_LEN);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&buf[..]);
        bytes.extend_from_slice(&tag);
        WrappedKey {
            kek_version: kek.version,
            key_version,
            bytes,
        }
    }

    /// Unwraps a secret wrapped by [`KeyRing::wrap_secret`] under any version in the ring.
    ///
    /// # Errors
    /// [`CryptoError::UnknownKekVersion`] when the ring lacks that KEK (rotated elsewhere,
    /// or another installation's key), [`CryptoError::Malformed`] for a wrong length,
    /// [`CryptoError::WrongKey`] when the KEK, `aad`, key version or any byte differs.
    pub fn unwrap_secret(
        &self,
        wrapped: &WrappedKey,
        aad: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
        let kek = self
            .keks
            .get(&wrapped.kek_version)
            .ok_or(CryptoError::UnknownKekVersion(wrapped.kek_version))?;
        if wrapped.bytes.len() != WRAPPED_LEN {
            return Err(CryptoError::Malformed);
        }
        let (nonce, rest) = wrapped.bytes.split_at(NONCE_LEN);
        let (sealed, tag) = rest.split_at(SECRET_LEN);
        // Decrypt in place in wiped memory: the key never sits in an unwiped buffer.
        let mut out = Zeroizing::new([0u8; SECRET_LEN]);
        out.copy_from_slice(sealed);
        kek.cipher
            .decrypt_in_place_detached(
                Nonce::from_slice(nonce),
                &wrap_ad(aad, wrapped.key_version),
                &mut out[..],
                Tag::from_slice(tag),
            )
            .map_err(|_| CryptoError::WrongKey)?;
        Ok(out)
    }

    /// Wraps a data key under the current KEK, bound to its version and `aad`.
    #[must_use]
    pub fn wrap(&self, key: &DataKey, aad: &[u8]) -> WrappedKey {
        self.wrap_secret(key.secret(), key.version(), aad)
    }

    /// Unwraps a data key; it gets the version recorded (and authenticated) in `wrapped`.
    ///
    /// # Errors
    /// As [`KeyRing::unwrap_secret`].
    pub fn unwrap(&self, wrapped: &WrappedKey, aad: &[u8]) -> Result<DataKey, CryptoError> {
        let secret = self.unwrap_secret(wrapped, aad)?;
        Ok(DataKey::from_secret(&secret, wrapped.key_version))
    }

    /// Unwraps with whichever version wrapped it and wraps again under the current KEK:
    /// key rotation touches only the wrapped keys, never the data they encrypt.
    ///
    /// # Errors
    /// As [`KeyRing::unwrap_secret`].
    pub fn rewrap(&self, wrapped: &WrappedKey, aad: &[u8]) -> Result<WrappedKey, CryptoError> {
        let secret = self.unwrap_secret(wrapped, aad)?;
        Ok(self.wrap_secret(&secret, wrapped.key_version, aad))
    }

    /// The key file's text (format in the module docs), in wiped memory.
    #[must_use]
    pub fn to_file_text(&self) -> Zeroizing<String> {
        // Reserve everything up front: a growing String would leave copies of the keys
        // behind in freed memory.
        let kek_line = "kek ".len() + 10 + 1 + 44 + 1;
        let capacity = HEADER_LINE.len()
            + 1
            + FILE_COMMENT.len()
            + "current = \n".len()
            + 10
            + self.keks.len() * kek_line;
        let mut s = Zeroizing::new(String::with_capacity(capacity));
        s.push_str(HEADER_LINE);
        s.push('\n');
        s.push_str(FILE_COMMENT);
        s.push_str("current = ");
        s.push_str(&self.current.to_string());
        s.push('\n');
        for (version, kek) in &self.keks {
            s.push_str("kek ");
            s.push_str(&version.to_string());
            s.push(' ');
            STANDARD.encode_string(&kek.secret[..], &mut s);
            s.push('\n');
        }
        s
    }

    /// Parses the key file's text.
    ///
    /// # Errors
    /// [`CryptoError::KeyFile`] naming the line and what is wrong with it, never its
    /// content; the caller adds which file (or variable) it came from.
    pub fn parse_file_text(text: &str) -> Result<Self, CryptoError> {
        let at = |n: usize, what: &str| CryptoError::KeyFile(format!("line {n}: {what}"));
        let mut seen_header = false;
        let mut current = None;
        let mut keks = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let n = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !seen_header {
                if line == HEADER_LINE {
                    seen_header = true;
                    continue;
                }
                if line.split_whitespace().next() == Some(HEADER_WORD) {
                    return Err(at(
                        n,
                        "a key ring format this version of Zorgvuldig does not know (expected `zorgvuldig-keyring v1`)",
                    ));
                }
                return Err(at(
                    n,
                    "not a Zorgvuldig key ring (the first line must be `zorgvuldig-keyring v1`)",
                ));
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Some(rest) = line.strip_prefix("current") {
                let value = rest
                    .trim_start()
                    .strip_prefix('=')
                    .ok_or_else(|| at(n, "expected `current = <version>`"))?;
                let v = parse_version(value.trim()).ok_or_else(|| {
                    at(
                        n,
                        "the current version must be a number from 1 to 2147483647",
                    )
                })?;
                if current.replace(v).is_some() {
                    return Err(at(n, "a second `current` line"));
                }
            } else if let ["kek", version, b64] = words.as_slice() {
                let v = parse_version(version)
                    .ok_or_else(|| at(n, "a key version must be a number from 1 to 2147483647"))?;
                let secret = decode_key(b64)
                    .map_err(|what| at(n, &format!("the key of version {v} {what}")))?;
                if keks.insert(v, Kek::new(v, &secret)).is_some() {
                    return Err(at(n, &format!("key version {v} appears twice")));
                }
            } else {
                return Err(at(
                    n,
                    "expected `current = <version>` or `kek <version> <base64 key>`",
                ));
            }
        }
        let bad = |what: String| CryptoError::KeyFile(what);
        if !seen_header {
            return Err(bad(
                "empty: no `zorgvuldig-keyring v1` header and no keys".to_owned()
            ));
        }
        let current = current.ok_or_else(|| bad("no `current = <version>` line".to_owned()))?;
        if !keks.contains_key(&current) {
            return Err(bad(format!(
                "the current version {current} has no `kek {current} ...` line"
            )));
        }
        Ok(Self { current, keks })
    }

    /// The value of `ZV_MASTER_KEY`: either a key file's text, or a single base64 key of 32
    /// bytes (then it is version 1), for deployments that inject secrets as variables.
    ///
    /// # Errors
    /// [`CryptoError::KeyFile`] saying what is wrong, never the value; the caller names
    /// the variable.
    pub fn from_env_value(value: &str) -> Result<Self, CryptoError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(CryptoError::KeyFile("the key is empty".to_owned()));
        }
        // A single base64 key has no whitespace; a key ring always does (its header).
        if trimmed.contains(char::is_whitespace) || trimmed.starts_with('#') {
            return Self::parse_file_text(value);
        }
        let secret = decode_key(trimmed).map_err(|what| {
            CryptoError::KeyFile(format!(
                "the value is not a key ring, and as a single base64 key it {what}"
            ))
        })?;
        let mut keks = BTreeMap::new();
        keks.insert(1, Kek::new(1, &secret));
        Ok(Self { current: 1, keks })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Aad;

    fn message(e: CryptoError) -> String {
        e.to_string()
    }

    // promise: SEC-1
    #[test]
    fn wrapped_key_unwraps_to_the_same_key() {
        let ring = KeyRing::generate();
        let key = DataKey::generate(4);
        let w = ring.wrap(&key, b"client:1");
        assert_eq!((w.kek_version, w.key_version, w.bytes.len()), (1, 4, 60));
        let aad = Aad::new("clients", "name", uuid::Uuid::nil());
        let ct = key.encrypt(b"Jansen", &aad);
        let back = ring.unwrap(&w, b"client:1").unwrap();
        assert_eq!(back.version(), 4);
        assert_eq!(&*back.decrypt(&ct, &aad).unwrap(), b"Jansen");
    }

    // promise: SEC-1
    #[test]
    fn wrapped_key_is_bound_to_its_owner_version_and_ring() {
        let ring = KeyRing::generate();
        let w = ring.wrap(&DataKey::generate(1), b"client:1");
        assert!(matches!(
            ring.unwrap(&w, b"client:2"),
            Err(CryptoError::WrongKey)
        ));
        let relabelled = WrappedKey {
            key_version: 2,
            ..w.clone()
        };
        assert!(matches!(
            ring.unwrap(&relabelled, b"client:1"),
            Err(CryptoError::WrongKey)
        ));
        for i in 0..w.bytes.len() {
            let mut bad = w.clone();
            bad.bytes[i] ^= 1;
            assert!(matches!(
                ring.unwrap(&bad, b"client:1"),
                Err(CryptoError::WrongKey)
            ));
        }
        let short = WrappedKey {
            bytes: w.bytes[..59].to_vec(),
            ..w.clone()
        };
        assert!(matches!(
            ring.unwrap(&short, b"client:1"),
            Err(CryptoError::Malformed)
        ));
        // Another installation's ring has a version 1 too, but not the same key.
        assert!(matches!(
            KeyRing::generate().unwrap(&w, b"client:1"),
            Err(CryptoError::WrongKey)
        ));
    }

    // promise: SEC-1
    #[test]
    fn rotate_keeps_old_wraps_readable_and_rewrap_moves_them() {
        let mut ring = KeyRing::generate();
        let key = DataKey::generate(1);
        let aad = Aad::new("entries", "content", uuid::Uuid::nil());
        let ct = key.encrypt(b"note", &aad);
        let w1 = ring.wrap(&key, b"client:1");
        assert_eq!(ring.rotate(), 2);
        assert_eq!(ring.current_version(), 2);
        assert_eq!(ring.versions(), vec![1, 2]);
        assert!(ring.unwrap(&w1, b"client:1").is_ok());
        assert_eq!(ring.wrap(&key, b"client:1").kek_version, 2);
        let w2 = ring.rewrap(&w1, b"client:1").unwrap();
        assert_eq!((w2.kek_version, w2.key_version), (2, 1));
        assert!(ring.rewrap(&w1, b"client:9").is_err());
        ring.retire_old();
        assert_eq!(ring.versions(), vec![2]);
        assert!(matches!(
            ring.unwrap(&w1, b"client:1"),
            Err(CryptoError::UnknownKekVersion(1))
        ));
        // The data itself was never re-encrypted, and still opens.
        let back = ring.unwrap(&w2, b"client:1").unwrap();
        assert_eq!(&*back.decrypt(&ct, &aad).unwrap(), b"note");
        assert!(matches!(
            KeyRing::generate().unwrap(&w2, b"client:1"),
            Err(CryptoError::UnknownKekVersion(2))
        ));
    }

    #[test]
    fn raw_secrets_wrap_for_the_blind_index() {
        let ring = KeyRing::generate();
        let secret = random_bytes::<32>();
        let w = ring.wrap_secret(&secret, 1, b"system:blind_index");
        let back = ring.unwrap_secret(&w, b"system:blind_index").unwrap();
        assert_eq!(*back, secret);
        let a = crate::BlindIndexKey::from_secret(&secret);
        let b = crate::BlindIndexKey::from_secret(&back);
        assert_eq!(
            a.birth_date_token("1990-01-31"),
            b.birth_date_token("1990-01-31")
        );
    }

    #[test]
    fn file_text_round_trips() {
        let mut ring = KeyRing::generate();
        ring.rotate();
        ring.rotate();
        let text = ring.to_file_text();
        assert!(text.starts_with("zorgvuldig-keyring v1\n"));
        assert!(text.contains("\ncurrent = 3\n"));
        assert_eq!(text.lines().filter(|l| l.starts_with("kek ")).count(), 3);
        let parsed = KeyRing::parse_file_text(&text).unwrap();
        assert_eq!(parsed.versions(), vec![1, 2, 3]);
        assert_eq!(parsed.current_version(), 3);
        assert_eq!(*parsed.to_file_text(), *text);
        for v in 1..=3 {
            assert_eq!(*parsed.keks[&v].secret, *ring.keks[&v].secret);
        }
        // Hand-written files may vary in spacing and carry comments.
        let loose = text
            .replace("current = 3", "  current=3  ")
            .replace("kek 1 ", "kek   1\t");
        assert_eq!(
            KeyRing::parse_file_text(&format!("# note\n\n{loose}"))
                .unwrap()
                .versions(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn file_text_errors_name_the_line_never_the_key() {
        let ring = KeyRing::generate();
        let key_b64 = STANDARD.encode(*ring.current_kek().secret);
        let short_b64 = STANDARD.encode(&ring.current_kek().secret[..31]);
        let cases: Vec<(String, &str)> = vec![
            (String::new(), "empty"),
            ("hello".into(), "line 1: not a Zorgvuldig key ring"),
            (
                "zorgvuldig-keyring v9\n".into(),
                "line 1: a key ring format this version",
            ),
            (
                format!("zorgvuldig-keyring v1\nkek 1 {key_b64}\n"),
                "no `current",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 2\nkek 1 {key_b64}\n"),
                "current version 2 has no",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 1\nkek 1 {short_b64}\n"),
                "line 3: the key of version 1 is not 32 bytes",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 1\nkek 1 {key_b64}{key_b64}\n"),
                "line 3: the key of version 1 is",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 1\nkek 1 {key_b64}!\n"),
                "line 3: the key of version 1 is not valid base64",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 1\nkek 1 {key_b64}\nkek 1 {key_b64}\n"),
                "line 4: key version 1 appears twice",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 0\nkek 1 {key_b64}\n"),
                "line 2: the current version must be",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 1\nkek 2147483648 {key_b64}\n"),
                "line 3: a key version must be",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 1\ncurrent = 1\nkek 1 {key_b64}\n"),
                "line 3: a second `current` line",
            ),
            (
                format!("zorgvuldig-keyring v1\ncurrent = 1\n{key_b64}\n"),
                "line 3: expected",
            ),
        ];
        for (text, expected) in cases {
            let msg = message(KeyRing::parse_file_text(&text).unwrap_err());
            assert!(
                msg.contains(expected),
                "{msg:?} should contain {expected:?}"
            );
            assert!(
                !msg.contains(&key_b64[..20]) && !msg.contains(&short_b64[..20]),
                "{msg}"
            );
        }
    }

    #[test]
    fn env_value_is_a_key_ring_or_a_single_key() {
        let mut ring = KeyRing::generate();
        ring.rotate();
        let from_text = KeyRing::from_env_value(&ring.to_file_text()).unwrap();
        assert_eq!(from_text.current_version(), 2);
        let single = STANDARD.encode(random_bytes::<32>());
        let one = KeyRing::from_env_value(&format!("{single}\n")).unwrap();
        assert_eq!((one.current_version(), one.versions()), (1, vec![1]));
        let w = one.wrap(&DataKey::generate(1), b"a");
        assert!(
            KeyRing::from_env_value(&single)
                .unwrap()
                .unwrap(&w, b"a")
                .is_ok()
        );
        for (value, expected) in [
            ("", "empty"),
            ("AAAA", "not 32 bytes"),
            ("not*base64", "not valid base64"),
            ("zorgvuldig-keyring v1\n", "no `current"),
        ] {
            let msg = message(KeyRing::from_env_value(value).unwrap_err());
            assert!(
                msg.contains(expected),
                "{msg:?} should contain {expected:?}"
            );
        }
    }

    #[test]
    fn debug_never_shows_key_bytes() {
        let mut ring = KeyRing::generate();
        ring.rotate();
        assert_eq!(format!("{:?}", ring.current_kek()), "Kek(v2, ***)");
        let shown = format!("{ring:?}");
        for kek in ring.keks.values() {
            assert!(!shown.contains(&STANDARD.encode(*kek.secret)));
            assert!(!shown.contains(&format!("{:?}", &kek.secret[..4])));
        }
        assert!(shown.contains("Kek(v1, ***)") && shown.contains("current: 2"));
    }
}
