//! Large imports (bulk mode): stored customers still found, the schema and search index as
//! they were, a full disk mid-import, the log emptied in the background.

use super::*;

#[test]
fn a_bulk_import_still_finds_every_customer_already_there() {
    // Bulk mode answers "is this ID taken?" from the IDs the table held when the import began;
    // each kind of clash must still be found, in any ASCII case, late in a big file.
    let (db, store) = temp_store();
    for (id, name) in [
        ("acme", "Acme"),
        ("firm-42", "Old Firm"),
        ("zeta-gmbh", "Zeta GmbH"),
    ] {
        store.create_customer(with_id(name, id)).unwrap();
    }
    let mut text = String::from("Customer ID,Name\n");
    for i in 0..6_000 {
        text += &format!("new-{i},New {i}\n");
    }
    // Rows 6002..6005: a clash in another case, a clash with the own company, a name whose
    // slug is taken, and a later row claiming the ID that name then got.
    text += "ACME,Acme Again\nMY-COMPANY,Not Mine\n,Zeta GmbH\nzeta-gmbh-2,Late Claim\n";
    let file = write(&db, "bulk.csv", text.as_bytes());

    let report = import(&store, &file);
    assert_eq!(
        (report.inserted, report.skipped),
        (6_001, 3),
        "{:?}",
        report.errors
    );
    assert_eq!(
        messages(&report),
        vec![
            "Row 6002, Customer ID: 'ACME' is taken: the customer ID 'acme' (\u{201c}Acme\u{201d}) differs only in case, and customer IDs are compared without it. Give this row another ID, or to update that customer write its ID as 'acme' and choose 'Update existing'.",
            "Row 6003, Customer ID: 'MY-COMPANY' is taken: the customer ID 'my-company' (\u{201c}My company\u{201d}) differs only in case, and customer IDs are compared without it. Give this row another ID, or to update that customer write its ID as 'my-company' and choose 'Update existing'.",
            "Row 6005, Customer ID: The customer ID 'zeta-gmbh-2' was already given to row 6004, which has no ID of its own (it was made from its name); the first occurrence is imported, this row is skipped. Give one of the two rows another ID.",
        ]
    );
    assert_eq!(get(&store, "acme").name, "Acme");
    assert_eq!(get(&store, "zeta-gmbh-2").name, "Zeta GmbH");

    // With "Update existing", a big file finds what is there in any case: in the stored case
    // it updates it; in another it names the stored ID (such IDs may be another tool's, which
    // tells case apart) and changes nothing.
    let update = updating();
    for (case, upper) in [("another case", true), ("the stored case", false)] {
        let mut text = String::from("Customer ID,Name\n");
        for i in 0..6_000 {
            text += &format!("new-{i},Renamed {i}\n");
        }
        text += "firm-42,Firm Renamed\n";
        if upper {
            text = text
                .to_uppercase()
                .replace("CUSTOMER ID,NAME", "Customer ID,Name");
        }
        let report = run(&store, &write(&db, "bulk2.csv", text.as_bytes()), update).unwrap();
        let (updated, invalid) = if upper { (0, 6_001) } else { (6_001, 0) };
        assert_eq!(
            (report.updated, report.invalid),
            (updated, invalid),
            "{case}"
        );
        if upper {
            assert!(
                messages(&report)[6_000].starts_with(
                    "Row 6002, Customer ID: 'FIRM-42' matches the customer ID 'firm-42'"
                ),
                "{:?}",
                messages(&report).last()
            );
            assert_eq!(get(&store, "firm-42").name, "Old Firm");
        }
    }
    assert_eq!(get(&store, "firm-42").name, "Firm Renamed");
    assert_eq!(get(&store, "new-5999").name, "Renamed 5999");
}

#[test]
fn a_bulk_import_leaves_the_schema_as_it_was_and_everything_searchable() {
    let (db, store) = temp_store();
    let schema = schema_of(&store).unwrap();
    let report = import(&store, &big_csv(&db, 12_000));
    assert_eq!(report.inserted, 12_000);
    assert_eq!(schema_of(&store).unwrap(), schema);
    // The write-ahead log, as big as all that was written, is copied into the file and emptied
    // in the background (the file is still open: closing it would empty the log anyway).
    store.wait_for_checkpoint();
    let wal = std::fs::metadata(format!("{}-wal", db.path.display())).unwrap();
    assert_eq!(wal.len(), 0, "the write-ahead log after a bulk import");
    let q = ListQuery {
        search: "firm 1199".into(),
        ..Default::default()
    };
    assert_eq!(
        store.view_total(&q).unwrap(),
        11,
        "firm 1199 and 11990..11999"
    );
    // The search index follows edits made after a bulk import (its triggers are back).
    store
        .update_customer("firm-7", named("Renamed Zebra"))
        .unwrap();
    let zebra = ListQuery {
        search: "zebra".into(),
        ..Default::default()
    };
    assert_eq!(
        store.window(&zebra, 0, 10).unwrap().rows[0].customer_id,
        "firm-7"
    );
    // Integrity of the file and of the search index.
    let ok: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    search_index_is_consistent(&db.path);
}

/// A full disk halfway through a large import. SQLite's page limit stands in for the disk: past
/// it SQLite fails exactly as when the disk fills (SQLITE_FULL), at the same points.
#[test]
fn a_full_disk_mid_import_names_the_file_and_leaves_the_database_as_it_was() {
    use clientbook::store::import::{schema_of, writer_pragma};
    let (db, csv, store) = new_store_and_big_csv();
    let schema = schema_of(&store).unwrap();
    let counts = || clientbook::store::check(&db.path).unwrap().counts;
    let before = counts();
    // Room for a few hundred customers, not for 20,000.
    let pages = writer_pragma(&store, "page_count", None).unwrap();
    writer_pragma(&store, "max_page_count", Some(pages + 100)).unwrap();
    let err = run(&store, &csv, ImportOptions::default()).unwrap_err();
    assert_eq!(err.kind(), "not_saved");
    assert_eq!(
        err.to_string(),
        format!(
            "The import was not saved: the disk holding '{}' (or the one with the temporary \
             folder) is full. Nothing was changed; free some space and try again.",
            db.path.display()
        )
    );
    assert_eq!(counts(), before, "nothing of the import is in the file");
    assert_eq!(
        schema_of(&store).unwrap(),
        schema,
        "bulk mode's dropped indexes are back"
    );
    assert_eq!(
        writer_pragma(&store, "synchronous", None).unwrap(),
        1,
        "NORMAL again after a failed import"
    );
    writer_pragma(&store, "max_page_count", Some(i64::from(u32::MAX - 1))).unwrap();
    let report = run(&store, &csv, ImportOptions::default()).unwrap();
    assert_eq!(
        report.inserted, 20_000,
        "with space again, the same import works"
    );
}

/// The log of a bulk import is copied into the file and emptied in the background, and the
/// writer's checkpoint and sync settings are as before.
#[test]
fn a_bulk_import_empties_its_log_in_the_background_and_restores_the_writer_settings() {
    use clientbook::store::import::writer_pragma;
    let (db, csv, store) = new_store_and_big_csv();
    run(&store, &csv, ImportOptions::default()).unwrap();
    assert_eq!(
        writer_pragma(&store, "wal_autocheckpoint", None).unwrap(),
        1000
    );
    assert_eq!(
        writer_pragma(&store, "synchronous", None).unwrap(),
        1,
        "NORMAL again"
    );
    store.wait_for_checkpoint();
    let wal = std::fs::metadata(format!("{}-wal", db.path.display()))
        .unwrap()
        .len();
    assert_eq!(wal, 0, "the background checkpoint emptied the log");
    let counts = clientbook::store::check(&db.path).unwrap().counts;
    assert_eq!(counts[0], ("customers".to_owned(), 20_001));
}
