//! CSV import and export on real files, a module per part of `transfer`: every encoding,
//! delimiter and line ending people send, columns and values as other tools write them,
//! row-by-row reports, all-or-nothing writes, large imports, export → import reproducing every
//! customer, the error report and Undo. The helpers here are shared by all of them.

mod bulk;
mod columns;
mod encodings;
mod export;
mod layout;
mod read_as;
mod report;
mod rows;
mod undo;

use crate::common::{
    add, all_rows, assert_starts_with, in_city, named, scanned_as, search_ids, temp_db, temp_store,
    with_id, write, TempDb,
};
use clientbook::model::{Customer, CustomerFields, Validity};
use clientbook::store::import::schema_of;
use clientbook::store::ListQuery;
use clientbook::transfer::read::Field;
use clientbook::transfer::{self, ExportOptions, ImportOptions, ImportReport, RowError};
use clientbook::{Error, Store};
use std::path::{Path, PathBuf};

fn run(store: &Store, path: &Path, options: ImportOptions) -> clientbook::Result<ImportReport> {
    transfer::import(store, path, options, &mut |_| true)
}

/// "Update existing".
fn updating() -> ImportOptions {
    ImportOptions {
        update: true,
        ..Default::default()
    }
}

/// "Strict": any row error and nothing is written.
fn strict() -> ImportOptions {
    ImportOptions {
        strict: true,
        ..Default::default()
    }
}

/// The preview: what the import would do, and nothing written.
fn dry_run() -> ImportOptions {
    ImportOptions {
        dry_run: true,
        ..Default::default()
    }
}

fn import(store: &Store, path: &Path) -> ImportReport {
    run(store, path, ImportOptions::default()).expect("import")
}

/// A new database, and the report of importing `contents` into it from the file `name` beside
/// it.
fn imported(name: &str, contents: impl AsRef<[u8]>) -> (TempDb, Store, ImportReport) {
    let (db, store) = temp_store();
    let report = import(&store, &write(&db, name, contents.as_ref()));
    (db, store, report)
}

/// Every customer, in name order.
fn all(store: &Store) -> Vec<Customer> {
    scanned_as(store, &ListQuery::default(), Customer::clone)
}

fn names(store: &Store) -> Vec<String> {
    all(store).into_iter().map(|c| c.name).collect()
}

fn get(store: &Store, id: &str) -> Customer {
    store.customer(id).unwrap()
}

fn messages(report: &ImportReport) -> Vec<String> {
    report.errors.iter().map(RowError::to_string).collect()
}

const SAMPLE: &str =
    "Name,Customer ID,City,Country\nMüller Bau,mueller,Köln,DE\nCafé Zürich,cafe,Zürich,CH\n";

/// Large enough for bulk mode (indexes dropped and rebuilt inside the transaction).
fn big_csv(db: &TempDb, rows: usize) -> PathBuf {
    let mut text = String::from("Customer ID,Name,City,Country,Comment\n");
    for i in 0..rows {
        text += &format!("firm-{i},Firm {i} Logistik,Köln,DE,\"Note, {i}\"\n");
    }
    write(db, "big.csv", text.as_bytes())
}

fn tricky_customers(store: &Store) {
    store
        .update_customer(
            "my-company",
            CustomerFields {
                street: Some("Hauptstraße 5".into()),
                city: Some("Köln".into()),
                country: Some("DE".into()),
                ..named("Example MSP GmbH")
            },
        )
        .unwrap();
    // (customer ID, name, city, comment, validity)
    type Tricky<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, &'a str);
    let customers: &[Tricky] = &[
        (
            "formula",
            "=HYPERLINK(\"http://evil\",\"x\")",
            Some("+49 30 1234"),
            Some("-5 °C\nsecond line"),
            "valid",
        ),
        (
            "at-sign",
            "@SUM(1+1)",
            Some("'=already quoted"),
            None,
            "invalid",
        ),
        (
            "hooft",
            "'t Hooft BV",
            Some("'s-Hertogenbosch"),
            Some("\"quoted\", with comma; and semicolon"),
            "invalid-temporarily",
        ),
        ("cjk", "東京システム株式会社", Some("東京"), None, "valid"),
        (
            "rtl",
            "شركة القاهرة للبرمجيات",
            Some("القاهرة"),
            Some("עברית"),
            "valid",
        ),
        ("emoji", "Rocket 🚀 Labs 👩‍💻", None, Some("🎉"), "valid"),
        (
            "combining",
            "Cafe\u{301} Ame\u{301}lie",
            Some("Zu\u{308}rich"),
            None,
            "valid",
        ),
        (
            "tabs",
            "Tab\tInside",
            None,
            Some("\ttab first\r\nCRLF"),
            "valid",
        ),
    ];
    for (id, name, city, comment, validity) in customers {
        let result = store.create_customer(CustomerFields {
            customer_id: Some((*id).into()),
            name: Some((*name).into()),
            city: city.map(Into::into),
            comment: comment.map(Into::into),
            url: Some(format!("{id}.example")),
            validity: Some((*validity).into()),
            ..Default::default()
        });
        // Names with a tab are refused by the rules; the rest must be stored.
        if name.contains('\t') {
            assert!(result.is_err());
            store
                .create_customer(CustomerFields {
                    comment: comment.map(Into::into),
                    ..with_id("Tab Free", id)
                })
                .unwrap();
        } else {
            result.unwrap();
        }
    }
    // Autotask mappings travel too (the own company may be mapped like any other).
    for (id, company, name, active) in [
        ("formula", 301, "=Evil Formula Corp", true),
        ("my-company", 0, "Example MSP GmbH", false),
    ] {
        let company = clientbook::autotask::Company {
            id: company,
            name: name.into(),
            number: None,
            city: None,
            active,
        };
        store.map_customer(id, &company).unwrap();
    }
}

/// Exports every customer (no BOM) to the file `name` beside the database.
fn export_all(db: &TempDb, store: &Store, name: &str) -> PathBuf {
    let file = db.dir.path().join(name);
    transfer::export(
        store,
        &ListQuery::default(),
        &file,
        ExportOptions::default(),
    )
    .unwrap();
    file
}

/// A new database with [`tricky_customers`], and its whole export (no BOM) beside it.
fn tricky_export() -> (TempDb, Store, PathBuf) {
    let (db, store) = temp_store();
    tricky_customers(&store);
    let file = export_all(&db, &store, "export.csv");
    (db, store, file)
}

/// FTS5's own check that the search index matches the customers table.
fn search_index_is_consistent(path: &Path) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute(
            "INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
}

// ---- bulk mode: what a large import leaves behind ------------------------------------------

/// A new database file and a CSV of 20,000 generated customers, enough for bulk mode.
fn new_store_and_big_csv() -> (crate::common::TempDb, PathBuf, Store) {
    let db = temp_db();
    let csv = db.dir.path().join("big.csv");
    clientbook::sample::write_csv(&csv, 20_000).unwrap();
    let store = Store::open(&db.path).unwrap();
    (db, csv, store)
}
