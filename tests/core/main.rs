//! The core's integration tests, one binary: every rule through the library, on real SQLite
//! files in temporary folders, Autotask against a real HTTP server on 127.0.0.1, the keychain
//! through the OS's Secret Service — one module per area of the source. (The command line's
//! tests are in `cli/tests/`; the window's in `src-tauri/tests/`.)

#[path = "../common/mod.rs"]
mod common;
#[path = "../fake_autotask/mod.rs"]
mod fake_autotask;

mod autotask;
mod autotask_mapping;
mod customers;
mod database_file;
mod fuzz_regressions;
mod identity;
mod layers;
mod people;
mod search_and_paging;
mod transfer;
