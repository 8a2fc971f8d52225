//! zv-crypto
