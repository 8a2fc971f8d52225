//! zv-testkit
