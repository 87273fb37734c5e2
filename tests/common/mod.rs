//! Helpers shared by the integration tests: real database files in temporary directories.

#![allow(dead_code)]

use clientbook::model::CustomerFields;
use clientbook::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

pub struct TempDb {
    pub dir: TempDir,
    pub path: PathBuf,
}

pub fn temp_db() -> TempDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.clientbook");
    TempDb { dir, path }
}

pub fn named(name: &str) -> CustomerFields {
    CustomerFields {
        name: Some(name.into()),
        ..Default::default()
    }
}

pub fn add(store: &Store, name: &str, city: &str) -> String {
    store
        .create_customer(CustomerFields {
            name: Some(name.into()),
            city: Some(city.into()),
            ..Default::default()
        })
        .expect("create")
        .customer_id
}

/// Runs the `clientbook` command line on `db` with `args`, as a process of its own.
pub fn clientbook(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientbook"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run clientbook")
}
