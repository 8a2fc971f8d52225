//! zv-core
