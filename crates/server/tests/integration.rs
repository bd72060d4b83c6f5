//! Every integration test of this crate, linked into one test binary.
//!
//! One binary per crate instead of one per file: a workspace test build then takes a
//! fraction of the disk and link time (each binary carries its own copy of every
//! dependency). Run one file's tests with `cargo test -p CRATE --test integration FILE::`.

mod api;
mod api_decide_limit;
mod api_relations;
mod api_theta;
mod browser;
mod doc_examples;
mod fuzz_bodies;
mod page_text;
mod protocol;
