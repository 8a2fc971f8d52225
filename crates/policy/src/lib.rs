//! zv-policy
