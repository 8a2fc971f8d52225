//! Ed25519 signatures for the audit log's checkpoints (ACC-7, decision 0028).
//!
//! Pruning old audit events removes the start of the hash chain; a checkpoint records
//! where the remaining chain begins, and its signature is what keeps someone with write
//! access to the database from writing a checkpoint of their own. The signing key is
//! derived from a secret in the key store (never from anything in the data database), so
//! a database or data backup alone cannot forge one. Ed25519 rather than an HMAC: the
//! public key can be handed to an auditor, who can then check checkpoints without being
//! able to make them.
//!
//! The implementation is `ring`'s, already in the tree through rustls.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use ring_crypto::signature::{self, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::CryptoError;

/// An Ed25519 private key (its 32-byte seed). Wiped on drop; `Debug` prints
/// `SigningKey(***)`.
pub struct SigningKey {
    seed: Zeroizing<[u8; 32]>,
    public: VerifyingKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

impl SigningKey {
    /// The key whose seed is `HMAC-SHA256(secret, label)`: one stored secret yields keys
    /// for separate purposes that reveal nothing about it or about each other.
    ///
    /// # Errors
    /// [`CryptoError::Malformed`] if the derived seed is refused (it never is: every
    /// 32-byte string is an Ed25519 seed).
    pub fn derive(secret: &[u8; 32], label: &str) -> Result<Self, CryptoError> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
            .map_err(|_| CryptoError::Malformed)?;
        mac.update(label.as_bytes());
        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&mac.finalize().into_bytes());
        Self::from_seed(seed)
    }

    fn from_seed(seed: Zeroizing<[u8; 32]>) -> Result<Self, CryptoError> {
        let pair =
            Ed25519KeyPair::from_seed_unchecked(&seed[..]).map_err(|_| CryptoError::Malformed)?;
        let mut public = [0u8; 32];
        public.copy_from_slice(pair.public_key().as_ref());
        Ok(Self {
            seed,
            public: VerifyingKey(public),
        })
    }

    #[must_use]
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }

    /// The 64-byte signature of `message`.
    ///
    /// # Errors
    /// [`CryptoError::Malformed`] if the seed is refused (see [`SigningKey::derive`]).
    pub fn sign(&self, message: &[u8]) -> Result<[u8; 64], CryptoError> {
        // The key pair is rebuilt per signature rather than kept: ring does not wipe its
        // expanded private key on drop, so it lives only as long as one signature.
        let pair = Ed25519KeyPair::from_seed_unchecked(&self.seed[..])
            .map_err(|_| CryptoError::Malformed)?;
        let mut out = [0u8; 64];
        out.copy_from_slice(pair.sign(message).as_ref());
        Ok(out)
    }
}

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VerifyingKey([u8; 32]);

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VerifyingKey({})", self.key_id())
    }
}

impl VerifyingKey {
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A short name of the key, stored with what it signed: the first 8 bytes of the
    /// SHA-256 of the public key, in hex.
    #[must_use]
    pub fn key_id(&self) -> String {
        crate::sha256(&self.0)[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `sig` is this key's signature of `message`.
    #[must_use]
    pub fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        UnparsedPublicKey::new(&signature::ED25519, &self.0[..])
            .verify(message, sig)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_message_and_key() {
        let secret = [7u8; 32];
        let key = SigningKey::derive(&secret, "zorgvuldig/test/v1").unwrap();
        let sig = key.sign(b"checkpoint 42").unwrap();
        let public = key.verifying_key();
        assert!(public.verify(b"checkpoint 42", &sig));
        assert!(!public.verify(b"checkpoint 43", &sig));
        let mut bent = sig;
        bent[10] ^= 1;
        assert!(!public.verify(b"checkpoint 42", &bent));
        assert!(!public.verify(b"checkpoint 42", &sig[..63]));
        // Another label or another secret is another key.
        let other = SigningKey::derive(&secret, "zorgvuldig/other/v1").unwrap();
        assert!(!other.verifying_key().verify(b"checkpoint 42", &sig));
        assert_ne!(other.verifying_key().key_id(), public.key_id());
        let again = SigningKey::derive(&secret, "zorgvuldig/test/v1").unwrap();
        assert_eq!(again.verifying_key(), public);
        assert_eq!(public.key_id().len(), 16);
        assert_eq!(format!("{key:?}"), "SigningKey(***)");
    }
}
