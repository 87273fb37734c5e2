//! The `clientbook` command line on real files, as a process of its own: what it prints, its
//! exit codes and messages — one module per area, as the commands are. (The process-level
//! tests, `crash.rs` and `concurrency.rs`, are binaries of their own.)

#[path = "../../../tests/common/mod.rs"]
mod common;
#[path = "../../../tests/fake_autotask/mod.rs"]
mod fake_autotask;
#[path = "../support/mod.rs"]
mod support;

mod autotask;
mod customers;
mod database;
mod hostile_paths;
mod identity;
mod people;
mod shapes;
mod transfer;
mod unwritable;

pub use support::{
    assert_fails, assert_fields, assert_keys, assert_prints, clientbook, json, ok, stderr, stdout,
    Cli,
};
