//! The database's own shape, on real files damaged the ways other tools and accidents damage
//! them: `db check` compares every table, column, index and trigger with what this Clientbook
//! makes and reads the rules the store relies on, says each finding in a sentence and exits 1;
//! opening such a file makes it read-only; no command prints SQL, nor part of its output before
//! it fails; versions no release wrote are refused untouched.

use crate::common::{temp_db, TempDb};
use crate::{assert_prints, clientbook, ok, stderr, stdout};
use clientbook::Store;

/// A closed database with two customers, a user and a job.
fn sample() -> TempDb {
    let db = temp_db();
    for args in [
        &["add", "--name", "Acme", "--city", "Köln"][..],
        &["add", "--name", "Beta"][..],
        &["services", "set", "acme", "Server backup", "Standard"][..],
        &[
            "jobs",
            "add",
            "acme",
            "--name",
            "Nightly",
            "--service",
            "Server backup",
        ][..],
    ] {
        let out = clientbook(&db.path, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    db
}

/// SQL as another tool would run it on the file (foreign keys off, as the sqlite3 tool has).
fn damage(db: &TempDb, sql: &str) {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
        .unwrap();
}

fn no_sql(text: &str, what: &str) {
    for word in [
        "SELECT ", "INSERT ", "UPDATE ", "CREATE ", " FROM ", " WHERE ",
    ] {
        assert!(!text.contains(word), "{what}: SQL in {text}");
    }
}

/// Damage of the structure, and a few words of the sentence that must name it.
const STRUCTURE: &[(&str, &str)] = &[
    ("DROP TABLE jobs", "The table 'jobs' is missing."),
    (
        "ALTER TABLE users DROP COLUMN mobile",
        "The table 'users' has no column 'mobile'.",
    ),
    (
        "ALTER TABLE customers ADD COLUMN note TEXT",
        "The table 'customers' has a column 'note' that Clientbook did not make.",
    ),
    (
        "DROP INDEX customers_by_city",
        "The index 'customers_by_city' is missing.",
    ),
    (
        "DROP INDEX customers_by_identity; CREATE INDEX customers_by_identity ON customers (name)",
        "The index 'customers_by_identity' is not as Clientbook made it",
    ),
    (
        "DROP TRIGGER customers_fts_update",
        "The trigger 'customers_fts_update' is missing.",
    ),
    (
        "CREATE TRIGGER sneaky AFTER INSERT ON customers BEGIN SELECT 1; END",
        "The trigger 'sneaky' was not made by Clientbook",
    ),
    (
        "DROP TABLE customers_fts",
        "The search index (customers_fts) is missing.",
    ),
    (
        "CREATE TABLE notes (x)",
        "The table 'notes' was not made by Clientbook",
    ),
];

/// Damage of the data the schema cannot catch, and the sentence's words.
const RULES: &[(&str, &str)] = &[
    (
        "UPDATE customers SET is_own = 0",
        "There is no own company",
    ),
    (
        "UPDATE customers SET name_key = 'zzz' WHERE customer_id = 'acme'",
        "1 customer's search keys do not match its values",
    ),
    (
        "UPDATE customers SET id_fold = 'elsewhere' WHERE customer_id = 'beta'",
        "1 customer's search keys do not match its values",
    ),
    (
        "INSERT INTO customers_fts (customers_fts, rowid, id_key, name_key, city_key) \
         SELECT 'delete', id, id_key, name_key, city_key FROM customers WHERE customer_id = 'acme'",
        "The search index does not match the customers",
    ),
    (
        "INSERT INTO jobs (customer_ref, name, service_id, created_at) VALUES (999, 'Orphan', 1, 't')",
        "1 row points at rows that are not there (the first in the table 'jobs')",
    ),
];

#[test]
fn db_check_names_each_kind_of_damage_in_a_sentence_and_exits_1() {
    for (sql, said) in STRUCTURE.iter().chain(RULES) {
        let db = sample();
        damage(&db, sql);
        let out = clientbook(&db.path, &["db", "check"]);
        assert_eq!(out.status.code(), Some(1), "{sql}: {}", stdout(&out));
        assert!(stdout(&out).contains(said), "{sql}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(said.trim_end_matches('.')), "{sql}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{sql}: {err}");
        no_sql(&format!("{}{err}", stdout(&out)), sql);
        let json = clientbook(&db.path, &["db", "check", "--json"]);
        let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert!(
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f.as_str().unwrap().contains(said.trim_end_matches('.'))),
            "{sql}: {report}"
        );
    }
    // A sound file: no finding.
    let db = sample();
    let out = ok(clientbook(&db.path, &["db", "check"]));
    assert_prints(&out, "Structure and rules: ok");
}

#[test]
fn a_damaged_structure_opens_read_only_and_no_command_prints_sql_or_half_its_output() {
    for (sql, said) in STRUCTURE {
        let db = sample();
        damage(&db, sql);
        let before = crate::common::all_rows(&db.path);
        // The app's opening: read-only, saying why.
        let store = Store::open_checked(&db.path).unwrap();
        let reason = store.read_only().expect("read-only").to_owned();
        assert!(reason.contains("structure is damaged"), "{sql}: {reason}");
        let first = said.trim_end_matches('.');
        let first = first[..1].to_lowercase() + &first[1..];
        assert!(reason.contains(&first), "{sql}: {reason}");
        drop(store);
        for args in [
            &["list"][..],
            &["list", "--json"][..],
            &["add", "--name", "Gamma"][..],
            &["edit", "acme", "--city", "Bonn"][..],
            &["jobs", "list"][..],
            &["users", "list", "acme"][..],
            &["history", "acme"][..],
        ] {
            let out = clientbook(&db.path, args);
            let err = stderr(&out);
            no_sql(&err, &format!("{sql} / {args:?}"));
            if out.status.success() {
                if args.contains(&"--json") {
                    let _: serde_json::Value = serde_json::from_slice(&out.stdout)
                        .unwrap_or_else(|e| panic!("{sql} / {args:?}: not whole JSON: {e}"));
                }
            } else {
                assert_eq!(out.status.code(), Some(1), "{sql} / {args:?}");
                assert!(
                    out.stdout.is_empty(),
                    "{sql} / {args:?}: printed part of its output"
                );
                assert_eq!(err.trim_end().lines().count(), 1, "{sql} / {args:?}: {err}");
            }
        }
        assert_eq!(
            crate::common::all_rows(&db.path),
            before,
            "{sql}: nothing written"
        );
    }
}

#[test]
fn a_list_that_fails_half_way_prints_nothing_but_the_reason() {
    let db = sample();
    for i in 0..50 {
        let out = clientbook(&db.path, &["add", "--name", &format!("Zeta {i}")]);
        assert!(out.status.success());
    }
    // A value that is not text, late in the list, as another program might leave it.
    damage(
        &db,
        "UPDATE customers SET name = CAST(x'5a65746120ff' AS TEXT) WHERE customer_id = 'zeta-49'",
    );
    let out_csv = db.dir.path().join("out.csv");
    let export = ["export", out_csv.to_str().unwrap()];
    for args in [&["list"][..], &["list", "--json"][..], &export[..]] {
        let out = clientbook(&db.path, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: printed {}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.contains("a stored value cannot be read"),
            "{args:?}: {err}"
        );
        no_sql(&err, "list");
    }
    assert!(!out_csv.exists(), "no partial export");
}

#[test]
fn versions_no_release_wrote_are_refused_untouched() {
    for (version, marked, said) in [
        (
            -1,
            true,
            "database version -1, which no Clientbook ever wrote",
        ),
        (-7, false, "is not a Clientbook database"),
        (
            0,
            true,
            "database version 0, which no Clientbook ever wrote",
        ),
        (
            99,
            true,
            "written by a newer version of Clientbook (database version 99",
        ),
    ] {
        let db = sample();
        let app_id = if marked { 0x4342_6B31 } else { 0 };
        damage(
            &db,
            &format!("PRAGMA user_version = {version}; PRAGMA application_id = {app_id}"),
        );
        let bytes = std::fs::read(&db.path).unwrap();
        for args in [
            &["list"][..],
            &["add", "--name", "X"][..],
            &["db", "check"][..],
        ] {
            let out = clientbook(&db.path, args);
            assert_eq!(out.status.code(), Some(1), "v{version} {args:?}");
            assert!(
                stderr(&out).contains(said),
                "v{version} {args:?}: {}",
                stderr(&out)
            );
        }
        assert!(Store::open_checked(&db.path).is_err(), "v{version}");
        assert_eq!(
            std::fs::read(&db.path).unwrap(),
            bytes,
            "v{version}: untouched"
        );
        let sidecars = ["-wal", "-shm"].map(|s| format!("{}{s}", db.path.display()));
        assert!(
            sidecars.iter().all(|s| !std::path::Path::new(s).exists()),
            "v{version}"
        );
    }
}
