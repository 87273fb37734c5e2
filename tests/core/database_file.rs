//! The database as a file to carry, on real files: a clean close leaves one self-contained file,
//! `db check` reads without writing, a copy can be taken while the store works, and every earlier
//! schema version (tests/fixtures/db/vN.clientbook) upgrades losslessly after a backup copy of
//! it was written beside it.

use crate::common::{add, all_rows, bytes_of, named, temp_db, temp_store, TempDb};
use clientbook::store::{ListQuery, SCHEMA_VERSION};
use clientbook::Store;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

fn sidecars(db: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect()
}

fn count(store: &Store) -> u64 {
    store.view_total(&ListQuery::default()).unwrap()
}

#[test]
fn a_closed_database_is_one_file_that_opens_elsewhere_with_every_row() {
    for explicit_close in [true, false] {
        let (db, store) = temp_store();
        for i in 0..300 {
            add(&store, &format!("Customer {i}"), "Berlin");
        }
        // The reading connections are in use (a view index exists) when the store closes.
        assert_eq!(count(&store), 301);
        assert!(!sidecars(&db.path).is_empty(), "WAL while open");
        if explicit_close {
            store.close().unwrap();
        } else {
            drop(store);
        }
        assert_eq!(
            sidecars(&db.path),
            Vec::<PathBuf>::new(),
            "no -wal/-shm after close"
        );

        // Only the file travels.
        let elsewhere = tempfile::tempdir().unwrap();
        let copy = elsewhere.path().join("carried.clientbook");
        std::fs::copy(&db.path, &copy).unwrap();
        let store = Store::open(&copy).unwrap();
        assert_eq!(count(&store), 301);
    }
}

/// A database file holding one customer more, closed, and what it holds.
fn closed_with_acme() -> (TempDb, Vec<u8>) {
    let (db, store) = temp_store();
    add(&store, "Acme", "Berlin");
    store.close().unwrap();
    let bytes = bytes_of(&db.path);
    (db, bytes)
}

#[test]
fn check_reports_integrity_version_and_counts_without_writing() {
    let (db, before) = closed_with_acme();
    let report = clientbook::store::check(&db.path).unwrap();
    assert!(report.is_ok(), "{:?}", report.integrity);
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.counts.contains(&("customers".into(), 2)));
    assert_eq!(bytes_of(&db.path), before, "not a byte changed");
    assert!(sidecars(&db.path).is_empty());

    // Damage the b-tree pages after the first (which holds the header and the schema): the
    // check says so.
    let mut bytes = before.clone();
    let page = 4096;
    for p in 2..bytes.len() / page {
        bytes[p * page..p * page + 12].fill(0xff);
    }
    std::fs::write(&db.path, &bytes).unwrap();
    let damaged = clientbook::store::check(&db.path).unwrap();
    assert!(!damaged.is_ok(), "damage found");

    let missing = clientbook::store::check(&db.dir.path().join("nope.clientbook"));
    assert!(missing
        .unwrap_err()
        .to_string()
        .contains("no database file"));
    assert!(
        !db.dir.path().join("nope.clientbook").exists(),
        "nothing created"
    );
}

#[test]
fn a_copy_taken_while_the_store_works_is_complete_and_opens() {
    let (db, store) = temp_store();
    for i in 0..50 {
        add(&store, &format!("Customer {i}"), "Köln");
    }
    let dest = db.dir.path().join("copy.clientbook");
    store.backup_to(&dest).unwrap();
    add(&store, "After the copy", "Köln"); // the store goes on working
    let err = store.backup_to(&dest).unwrap_err().to_string();
    assert!(err.contains("already exists"), "{err}");
    let copy = Store::open(&dest).unwrap();
    assert_eq!(count(&copy), 51);
    assert_eq!(count(&store), 52);
    // No temporary files are left beside the copy.
    let names: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".clientbook-copy-"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    drop(copy);

    // The CLI's path: from the file, reading only.
    let dest2 = db.dir.path().join("copy2.clientbook");
    clientbook::store::backup(&db.path, &dest2).unwrap();
    assert_eq!(count(&Store::open(&dest2).unwrap()), 52);
}

/// A copy of the schema-`version` fixture, `old.clientbook` in a new temporary folder.
fn fixture_copy(version: i64) -> (tempfile::TempDir, PathBuf) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/db/v{version}.clientbook"));
    assert!(
        fixture.is_file(),
        "{} is missing: run scripts/make-fixture-dbs {version} and commit it",
        fixture.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.clientbook");
    std::fs::copy(&fixture, &path).unwrap();
    (dir, path)
}

#[test]
fn every_earlier_schema_version_upgrades_losslessly_after_a_backup() {
    for version in 1..SCHEMA_VERSION {
        let (dir, path) = fixture_copy(version);
        let old = all_rows(&path);
        assert!(old["customers"].len() >= 5, "the fixture has rows");

        let store = Store::open(&path).unwrap();
        let backup = store.upgrade_backup().expect("a backup before the upgrade");
        assert_eq!(
            backup,
            dir.path()
                .join(format!("old.before-v{SCHEMA_VERSION}.clientbook"))
        );
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        // Search still finds upgraded rows (the FTS index came through).
        let found = store
            .window(
                &ListQuery {
                    search: "müller".into(),
                    ..Default::default()
                },
                0,
                10,
            )
            .unwrap();
        assert_eq!(found.rows.len(), 1, "v{version}: search after upgrade");
        let backup = backup.to_path_buf();
        store.close().unwrap();

        let new = all_rows(&path);
        for (table, rows) in &old {
            let upgraded = &new[table];
            assert_eq!(upgraded.len(), rows.len(), "v{version}: rows of {table}");
            for (before, after) in rows.iter().zip(upgraded) {
                for (column, value) in before {
                    if table == "customers" && column.ends_with("_key") {
                        continue; // derived search keys: checked below
                    }
                    assert_eq!(
                        after.get(column),
                        Some(value),
                        "v{version}: {table}.{column} changed in the upgrade"
                    );
                }
            }
        }
        // The search keys are remade from the texts they belong to (schema 4).
        for row in &new["customers"] {
            let text = |column: &str| match &row[column] {
                Value::Text(t) => t.clone(),
                other => panic!("{column}: {other:?}"),
            };
            for (key, of) in [
                ("id_key", "customer_id"),
                ("name_key", "name"),
                ("city_key", "city"),
            ] {
                assert_eq!(
                    text(key),
                    clientbook::model::text::search_key(&text(of)),
                    "v{version}: {key} of {}",
                    text("customer_id")
                );
            }
        }
        // The backup is the file as it was.
        assert_eq!(all_rows(&backup), old, "v{version}: backup");
        let report = clientbook::store::check(&backup).unwrap();
        assert_eq!(report.schema_version, version);

        // Opening again upgrades nothing and writes no second backup.
        let again = Store::open(&path).unwrap();
        assert!(again.upgrade_backup().is_none());
    }
}

/// Names of the file's indexes and triggers.
fn objects(path: &Path) -> Vec<String> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name")
        .unwrap();
    let names = stmt.query_map([], |r| r.get(0)).unwrap();
    names.collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn after_an_upgrade_every_index_trigger_check_and_foreign_key_still_holds() {
    // Schema 5 rebuilds the customers table (with foreign keys off, as SQLite's procedure has
    // it): nothing of what was on it may be lost, and the rules must hold as before.
    let new = temp_db();
    Store::open(&new.path).unwrap().close().unwrap();
    let fresh = objects(&new.path);
    for version in 1..SCHEMA_VERSION {
        let (_dir, path) = fixture_copy(version);
        let before = objects(&path);
        let store = Store::open(&path).unwrap();
        let after = objects(&path);
        // Schema 6's identity index does the work of customer_id's own unique index.
        let before: Vec<_> = before
            .into_iter()
            .filter(|n| n != "sqlite_autoindex_customers_1")
            .collect();
        assert!(
            before.iter().all(|name| after.contains(name)),
            "v{version}: lost {:?}",
            before
                .iter()
                .filter(|n| !after.contains(n))
                .collect::<Vec<_>>()
        );
        assert_eq!(after, fresh, "v{version}: as a new file has them");

        let conn = Connection::open(&path).unwrap();
        for bad in [
            "UPDATE customers SET validity = 'bogus' WHERE customer_id = 'acme'",
            "UPDATE customers SET autotask_status = 'bogus' WHERE customer_id = 'acme'",
            "UPDATE customers SET validity = 'invalid' WHERE is_own = 1",
            "UPDATE customers SET is_own = 1 WHERE customer_id = 'acme'",
            "UPDATE customers SET customer_id = 'ACME' WHERE customer_id = 'cafe-muller'",
        ] {
            assert!(
                conn.execute(bad, []).is_err(),
                "v{version}: {bad} must be refused"
            );
        }
        for good in ["valid", "invalid", "invalid-temporarily"] {
            conn.execute(
                "UPDATE customers SET validity = ?1 WHERE customer_id = 'acme'",
                [good],
            )
            .unwrap();
        }
        drop(conn);

        // Foreign keys are back on: deleting a customer takes its users and groups with it.
        store.delete_customer("acme").unwrap();
        store.close().unwrap();
        let conn = Connection::open(&path).unwrap();
        let left: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM users WHERE customer_ref = 2) \
                      + (SELECT count(*) FROM groups WHERE customer_ref = 2)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            left, 0,
            "v{version}: the customer's users and groups went with it"
        );
        let check: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(check, 0, "v{version}: no row points at nothing");
    }
}

#[test]
fn a_file_that_already_had_a_dangling_reference_still_upgrades() {
    // Another tool, with foreign keys off, can leave a row pointing at nothing. The upgrade
    // refuses only references it breaks itself, so such a file still opens.
    let (_dir, path) = fixture_copy(4);
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO groups (customer_ref, name, permissions) VALUES (999, 'Orphan', 'view');",
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    store.close().unwrap();
    let orphans: i64 = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM groups WHERE name = 'Orphan'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 1, "nothing is dropped on the way");
}

#[test]
fn a_new_database_gets_no_upgrade_backup() {
    let (db, store) = temp_store();
    store.create_customer(named("Acme")).unwrap();
    assert!(store.upgrade_backup().is_none());
    assert_eq!(std::fs::read_dir(db.dir.path()).unwrap().count(), 3); // file, -wal, -shm
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_write_protected_file_opens_read_only_and_refuses_changes_clearly() {
    let (db, before) = closed_with_acme();
    set_mode(&db.path, 0o444);

    let store = Store::open_checked(&db.path).unwrap();
    assert_eq!(store.read_only(), Some("the file is write-protected"));
    assert_eq!(count(&store), 2, "reading works");
    let err = store.create_customer(named("Globex")).unwrap_err();
    assert_eq!(err.kind(), "read_only");
    assert_eq!(
        err.to_string(),
        "This database is open read-only because the file is write-protected, so nothing can \
         be changed. Use Save a copy… to work on a copy."
    );
    let copy = db.dir.path().join("copy.clientbook");
    store.backup_to(&copy).unwrap();
    store.close().unwrap();
    assert_eq!(bytes_of(&db.path), before, "not a byte changed");
    set_mode(&db.path, 0o644);
    assert_eq!(
        count(&Store::open(&copy).unwrap()),
        2,
        "the copy can be worked on"
    );
}

#[cfg(unix)]
#[test]
fn an_older_write_protected_file_is_refused_rather_than_half_opened() {
    let (_dir, path) = fixture_copy(1);
    set_mode(&path, 0o444);
    let err = Store::open(&path).err().expect("refused").to_string();
    assert!(
        err.contains("needs an upgrade") && err.contains("write-protected"),
        "{err}"
    );
    set_mode(&path, 0o644);
}

#[test]
fn a_damaged_file_opens_read_only_when_checked() {
    let (db, store) = temp_store();
    for i in 0..400 {
        add(&store, &format!("Customer {i}"), "Berlin");
    }
    store.close().unwrap();
    // The customers' pages were written last: damage some of them, not the schema.
    let mut bytes = bytes_of(&db.path);
    let pages = bytes.len() / 4096;
    for p in pages * 3 / 4..pages {
        bytes[p * 4096..p * 4096 + 12].fill(0xff);
    }
    std::fs::write(&db.path, &bytes).unwrap();
    let store = Store::open_checked(&db.path).unwrap();
    let why = store.read_only().expect("read-only").to_owned();
    assert!(why.starts_with("it is damaged"), "{why}");
    let err = store.create_customer(named("Globex")).unwrap_err();
    assert!(
        err.to_string().contains("read-only because it is damaged"),
        "{err}"
    );
    store.close().unwrap();
    assert_eq!(bytes_of(&db.path), bytes, "nothing written to it");
}

#[test]
fn a_file_damaged_beyond_reading_is_refused_clearly_and_left_alone() {
    let db = temp_db();
    Store::open(&db.path).unwrap().close().unwrap();
    let mut bytes = bytes_of(&db.path);
    for p in 1..bytes.len() / 4096 {
        bytes[p * 4096..p * 4096 + 12].fill(0xff);
    }
    std::fs::write(&db.path, &bytes).unwrap();
    let err = Store::open_checked(&db.path)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("damaged") && err.contains("not changed"),
        "{err}"
    );
    assert_eq!(bytes_of(&db.path), bytes);
}
