//! What the product reads that it did not write this run. It imports no data formats
//! (no CSV, calendar or contact import; a backup is a copy of the database, put back by
//! SQLite or `pg_restore`, not parsed by the product), so this target takes the two that
//! come from outside the process: the key file or `ZV_MASTER_KEY` value an operator
//! supplies, and stored ciphertexts and wrapped keys (from the database or a restored
//! backup) that may have been damaged or tampered with.
//!
//! The input is the text of a key file up to the first NUL byte; the bytes after it are a
//! stored ciphertext and, from its 5th byte on, a wrapped key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zv_crypto::{Aad, DataKey, KeyRing, WrappedKey, ciphertext_key_version};

fuzz_target!(|data: &[u8]| {
    let (text, stored) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, &[][..]),
    };
    let version = ciphertext_key_version(stored).unwrap_or(1);
    if let Ok(Ok(ring)) = std::str::from_utf8(text).map(KeyRing::from_env_value) {
        // A ring read from a file writes the same ring back.
        let again = KeyRing::parse_file_text(&ring.to_file_text());
        assert_eq!(again.map(|r| r.versions()).ok(), Some(ring.versions()));
        let wrapped = WrappedKey {
            kek_version: version,
            key_version: version,
            bytes: stored.get(5..).unwrap_or_default().to_vec(),
        };
        let _ = ring.unwrap_secret(&wrapped, b"fuzz");
    }
    // The key of the version the ciphertext names, so that its body and tag are read.
    let key = DataKey::from_secret(&[7; 32], version);
    let aad = Aad::new("clients", "name", uuid::Uuid::nil());
    let _ = key.decrypt_string(stored, &aad);
});
