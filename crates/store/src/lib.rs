//! zv-store
