//! Helpers shared by the integration tests: real database files in temporary directories.

#![allow(dead_code)]

use clientbook::autotask::credentials;
use clientbook::model::{Customer, CustomerFields, JobFields, UserFields};
use clientbook::secrets::Keychain;
use clientbook::store::ListQuery;
use clientbook::Store;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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

/// A new database file in a temporary folder, and the store open on it.
pub fn temp_store() -> (TempDb, Store) {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    (db, store)
}

/// Asserts that `texts[i]` starts with `prefixes[i]`, for each of `prefixes`.
pub fn assert_starts_with(texts: &[String], prefixes: &[&str]) {
    for (i, prefix) in prefixes.iter().enumerate() {
        assert!(texts[i].starts_with(prefix), "{}\nall: {texts:?}", texts[i]);
    }
}

pub fn named(name: &str) -> CustomerFields {
    CustomerFields {
        name: Some(name.into()),
        ..Default::default()
    }
}

/// A customer `name` with the customer ID `id`.
pub fn with_id(name: &str, id: &str) -> CustomerFields {
    CustomerFields {
        customer_id: Some(id.into()),
        ..named(name)
    }
}

/// Fields that change only the city.
pub fn in_city(city: &str) -> CustomerFields {
    CustomerFields {
        city: Some(city.into()),
        ..Default::default()
    }
}

/// A password strong enough for the rules.
pub const PASSWORD: &str = "correct horse battery staple";

/// A user `username` with [`PASSWORD`].
pub fn user(username: &str) -> UserFields {
    UserFields {
        username: Some(username.into()),
        password: Some(PASSWORD.into()),
        ..Default::default()
    }
}

/// A job `name` of `service`, active, with no schedule.
pub fn job(name: &str, service: &str) -> JobFields {
    JobFields {
        name: name.into(),
        service: service.into(),
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

/// What the file at `path` holds.
pub fn bytes_of(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// A file `name` beside the database holding `bytes`.
pub fn write(db: &TempDb, name: &str, bytes: &[u8]) -> PathBuf {
    let path = db.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A new database path in a temporary folder, and the file `name` beside it holding `bytes`.
pub fn temp_db_with_file(name: &str, bytes: &[u8]) -> (TempDb, PathBuf) {
    let db = temp_db();
    let path = write(&db, name, bytes);
    (db, path)
}

/// `read` of each customer the list query `q` shows, in its order.
pub fn scanned_as<T>(store: &Store, q: &ListQuery, read: impl Fn(&Customer) -> T) -> Vec<T> {
    let mut out = Vec::new();
    store
        .scan(q, |c| {
            out.push(read(c));
            Ok(())
        })
        .unwrap();
    out
}

/// The IDs of the customers the list query `q` shows, in its order.
pub fn scanned(store: &Store, q: &ListQuery) -> Vec<String> {
    scanned_as(store, q, |c| c.customer_id.clone())
}

/// The IDs of the customers a search for `search` finds, in name order.
pub fn search_ids(store: &Store, search: &str) -> Vec<String> {
    let q = ListQuery {
        search: search.into(),
        ..Default::default()
    };
    scanned(store, &q)
}

/// Every row of every ordinary table (FTS5's internals aside), by table, as column → value.
pub type Rows = BTreeMap<String, Vec<BTreeMap<String, Value>>>;

pub fn all_rows(path: &Path) -> Rows {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Rows::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let rows = stmt
            .query_map([], |r| {
                let mut row = BTreeMap::new();
                for (i, n) in names.iter().enumerate() {
                    row.insert(n.clone(), r.get::<_, Value>(i)?);
                }
                Ok(row)
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let mut rows: Vec<_> = rows;
        rows.sort_by_cached_key(|r| format!("{r:?}"));
        out.insert(t, rows);
    }
    out
}

/// `false` when the keychain tests are skipped on purpose.
pub fn keychain_tests_wanted() -> bool {
    if std::env::var("CLIENTBOOK_SKIP_KEYCHAIN_TESTS").as_deref() == Ok("1") {
        eprintln!("keychain test skipped: CLIENTBOOK_SKIP_KEYCHAIN_TESTS=1");
        return false;
    }
    true
}

/// The OS keychain under the service `clientbook-test{tag}-<this process's id>`, or `None` when
/// the keychain tests are skipped on purpose (see [`keychain_tests_wanted`] and
/// [`keychain_or_fail`]).
pub fn test_keychain(tag: &str) -> Option<Keychain> {
    if !keychain_tests_wanted() {
        return None;
    }
    let service = format!("clientbook-test{tag}-{}", std::process::id());
    Some(keychain_or_fail(&service))
}

pub fn keychain_or_fail(service: &str) -> Keychain {
    let keychain = Keychain::new(service);
    if let Err(e) = credentials::load_stored(&keychain) {
        panic!(
            "No usable OS keychain (Secret Service) for this test: {e}\n\
             Run the tests through scripts/test (dbus-run-session + unlocked gnome-keyring), \
             or set CLIENTBOOK_SKIP_KEYCHAIN_TESTS=1 to skip the keychain tests on purpose."
        );
    }
    keychain
}

pub fn encoded(enc: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}
