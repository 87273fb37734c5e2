//! What the command line's test binaries share: running `clientbook` as a process of its own.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the `clientbook` command line on `db` with `args`, as a process of its own.
pub fn clientbook(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientbook"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run clientbook")
}
