//! Helpers shared by the integration tests: real database files in temporary directories.

#![allow(dead_code)]

use clientbook::model::CustomerFields;
use clientbook::Store;
use std::path::PathBuf;
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
