//! Password hashing with argon2id (the argon2 crate's defaults: 19 MiB, 2 passes, 1 lane,
//! the OWASP recommendation), stored as a PHC string that carries its own parameters, so
//! old hashes keep verifying if the defaults change.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::CryptoError;

/// A hash of a password nobody has, made with the same parameters as [`hash`] (a test
/// checks that they stay equal), for [`dummy_verify`].
const DUMMY_PHC: &str = "$argon2id$v=19$m=19456,t=2,p=1$wxr7Q6SP0ykJEcdijyRnQg$gCnAk3VGh9QjbwYgZYfWr+cR36UxFQTJMlMMgarecXY";

/// Hashes a password with argon2id and a random 16-byte salt; returns the PHC string
/// (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`).
///
/// # Errors
/// [`CryptoError::Malformed`] only for a password argon2 cannot take (over 4 GiB).
pub fn hash(password: &str) -> Result<String, CryptoError> {
    // The salt comes from the same OS generator as every other secret of this crate
    // (password-hash's own helpers speak a newer rand_core than rand 0.8).
    let salt = crate::random_bytes::<16>();
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| CryptoError::Malformed)
}

/// Whether `password` matches the PHC string; a string that is not a valid hash matches
/// nothing. The comparison inside argon2 is constant-time.
#[must_use]
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Spends the time of one verification against a fixed hash and forgets the result, so a
/// login for an unknown username answers as slowly as one for a known username and
/// timing does not reveal which accounts exist.
pub fn dummy_verify(password: &str) {
    let _ = std::hint::black_box(verify(password, DUMMY_PHC));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("", &h));
        assert!(!verify("x", "not a hash"));
        assert!(!verify("x", ""));
        // A fresh salt each time: equal passwords do not give equal hashes.
        assert_ne!(h, hash("correct horse battery").unwrap());
        let unicode = hash("wachtwoord-één").unwrap();
        assert!(verify("wachtwoord-één", &unicode));
    }

    /// `dummy_verify` costs what a real verification costs only while the fixed hash has
    /// the parameters `hash` uses now; this fails when a new argon2 changes its defaults.
    #[test]
    fn dummy_hash_has_the_current_parameters() {
        let real = PasswordHash::new(&hash("x").unwrap()).unwrap();
        let dummy = PasswordHash::new(DUMMY_PHC).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(dummy.hash.map(|o| o.len()), real.hash.map(|o| o.len()));
        assert!(!verify("x", DUMMY_PHC));
        dummy_verify("anything");
    }
}
