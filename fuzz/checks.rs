//! What the fuzz targets check, shared with the regression test `tests/fuzz_regressions.rs`
//! (both include this file with `#[path]`), so a kept crash input runs exactly the code that
//! found it. Each check panics on a broken rule; errors the user would read are fine as long
//! as they are the expected kind and say what is wrong.

#![allow(dead_code)]

use clientbook::model::text::search_key;
use clientbook::model::{Customer, CustomerFields};
use clientbook::store::{ListQuery, SearchQuery};
use clientbook::transfer::{self, ImportOptions, ImportReport};
use clientbook::{Error, Store};
use std::collections::BTreeSet;
use std::path::Path;

/// The name the input file gets in `dir` (messages about the file must name it).
pub const CSV_NAME: &str = "input.csv";

/// Imports `data` as a CSV file (written to `dir`) into a fresh in-memory store: a dry run, the
/// real import, then a dry run and a real run of the same file with "update existing".
/// A dry run must write nothing and report exactly what the real run then does; a file the
/// importer refuses must be refused the same way each time with a sentence naming the file.
/// Returns the first import's report, or the refusal's message.
pub fn csv_import(dir: &Path, data: &[u8]) -> Result<ImportReport, String> {
    let path = dir.join(CSV_NAME);
    std::fs::write(&path, data).expect("write the input file");
    let store = Store::open_in_memory().expect("in-memory store");
    // A new store holds its own company.
    let start = store.count_customers().expect("count");
    let first = dry_then_real(&store, &path, ImportOptions::default(), start)?;
    let count = store.count_customers().expect("count");
    assert_eq!(
        count,
        start + first.inserted,
        "customers in the store after the import"
    );
    let again = ImportOptions {
        update: true,
        ..Default::default()
    };
    let second = dry_then_real(&store, &path, again, count).expect("the same file again");
    assert_eq!(
        store.count_customers().expect("count"),
        count + second.inserted,
        "customers in the store after the second import"
    );
    // The imported customers read back and search like any others.
    for c in store
        .window(&ListQuery::default(), 0, 50)
        .expect("list")
        .rows
        .into_iter()
    {
        let search = ListQuery {
            search: c.name.clone(),
            ..Default::default()
        };
        let mut found = false;
        store
            .scan(&search, |f| {
                found |= f.customer_id == c.customer_id;
                Ok(())
            })
            .expect("search by name");
        assert!(
            found,
            "searching {:?} does not find {:?}",
            c.name, c.customer_id
        );
    }
    Ok(first)
}

fn dry_then_real(
    store: &Store,
    path: &Path,
    options: ImportOptions,
    before: u64,
) -> Result<ImportReport, String> {
    let dry = ImportOptions {
        dry_run: true,
        ..options
    };
    let dry = transfer::import(store, path, dry, &mut |_| true);
    assert_eq!(
        store.count_customers().expect("count"),
        before,
        "a dry run changed the store"
    );
    let real = transfer::import(store, path, options, &mut |_| true);
    match (dry, real) {
        (Ok(dry), Ok(real)) => {
            let counts = |r: &ImportReport| {
                (
                    r.rows_read,
                    r.inserted,
                    r.updated,
                    r.unchanged,
                    r.skipped,
                    r.duplicates,
                    r.invalid,
                    r.more_errors,
                )
            };
            assert_eq!(counts(&dry), counts(&real), "dry run vs import counts");
            assert_eq!(dry.errors, real.errors, "dry run vs import errors");
            assert_eq!(
                real.rows_read,
                real.inserted + real.updated + real.unchanged + real.skipped,
                "every row read is inserted, updated, unchanged or skipped"
            );
            for e in &real.errors {
                assert!(e.row >= 1, "row numbers start at 1: {e}");
                assert!(!e.message.trim().is_empty(), "an empty row error: {e:?}");
            }
            Ok(real)
        }
        (Err(dry), Err(real)) => {
            let (dry, real) = (file_error(dry), file_error(real));
            assert_eq!(dry, real, "dry run vs import refusal");
            Err(real)
        }
        (dry, real) => panic!("the dry run and the import disagree: {dry:?} / {real:?}"),
    }
}

/// A file-level error: a refusal (not a database or I/O failure) that names the file.
fn file_error(e: Error) -> String {
    match e {
        Error::Refused(message) => {
            assert!(
                message.contains(CSV_NAME),
                "a refusal that does not name the file: {message}"
            );
            message
        }
        other => panic!("importing a readable file failed with {other:?}"),
    }
}

/// Customers every search store starts with: accents, CJK, punctuation in names.
const CUSTOMERS: [(&str, &str); 4] = [
    ("Café Zürich", "Zürich"),
    ("Acme Corp", "Berlin"),
    ("東京 Trading", "東京"),
    ("Ärzte Müller-Lüdenscheid", ""),
];

/// Searches for the first line of `data` in an in-memory store holding [`CUSTOMERS`] plus up to
/// six customers from the following lines (`name<TAB>city`). No search text may fail, and the
/// three ways a search runs must find exactly the customers the matcher accepts: walking the
/// list with the in-Rust matcher (first page), the FTS5 query joined to the table (scan), and the
/// FTS5 query ordered for deeper windows (the view's total).
pub fn search_query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let input = lines.next().unwrap_or_default();

    let query = SearchQuery::parse(input);
    assert!(query.words().len() <= 16, "too many words: {query:?}");
    for word in query.words() {
        assert!(!word.is_empty(), "an empty word: {query:?}");
        assert!(word.chars().count() <= 64 * 3, "a long word: {query:?}");
        assert!(!word.contains('"'), "a quote in a word: {query:?}");
    }
    assert_eq!(query.is_empty(), query.to_fts().is_empty());

    // Few matches and no walking limit: the first page is always found by the walk.
    let store = Store::open_in_memory()
        .expect("in-memory store")
        .with_search_tuning(0, usize::MAX);
    let extra = lines.take(6).map(|l| l.split_once('\t').unwrap_or((l, "")));
    for (name, city) in CUSTOMERS.into_iter().chain(extra) {
        let fields = CustomerFields {
            name: Some(name.to_owned()),
            city: (!city.trim().is_empty()).then(|| city.to_owned()),
            ..Default::default()
        };
        let _ = store.create_customer(fields); // invalid names are simply not added
    }
    // Every customer, the new store's own company included.
    let mut customers: Vec<Customer> = Vec::new();
    store
        .scan(&ListQuery::default(), |c| {
            customers.push(c.clone());
            Ok(())
        })
        .expect("list");
    let expected: BTreeSet<String> = customers
        .iter()
        .filter(|c| {
            query.matches(
                &c.customer_id,
                &search_key(&c.name),
                &search_key(c.city.as_deref().unwrap_or_default()),
            )
        })
        .map(|c| c.customer_id.clone())
        .collect();

    let list = ListQuery {
        search: input.to_owned(),
        ..Default::default()
    };
    let walked: BTreeSet<String> = store
        .window(&list, 0, 1_000)
        .unwrap_or_else(|e| panic!("searching {input:?} (first page) failed: {e}"))
        .rows
        .into_iter()
        .map(|c| c.customer_id)
        .collect();
    let mut scanned = BTreeSet::new();
    store
        .scan(&list, |c| {
            scanned.insert(c.customer_id.clone());
            Ok(())
        })
        .unwrap_or_else(|e| panic!("searching {input:?} (scan) failed: {e}"));
    let total = store
        .view_total(&list)
        .unwrap_or_else(|e| panic!("searching {input:?} (view index) failed: {e}"));
    let fts = query.to_fts();
    assert_eq!(walked, expected, "walk vs matcher for {input:?} ({fts})");
    assert_eq!(scanned, expected, "FTS5 vs matcher for {input:?} ({fts})");
    assert_eq!(
        total,
        expected.len() as u64,
        "view total for {input:?} ({fts})"
    );
}
