//! Two processes writing to one database file at once — this test process holding a store open
//! as the app does, and the CLI in child processes (single adds, and a CSV import that holds the
//! write lock for a while): no corruption, no acknowledged write lost, and every refused write
//! refused with a clear sentence (never SQLite's raw "database is locked").

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "support/mod.rs"]
mod support;

use clientbook::model::CustomerFields;
use clientbook::store::check;
use clientbook::Store;
use common::{scanned, temp_db};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{clientbook, stderr, stdout, Cli};

const RUN: Duration = Duration::from_secs(4);

fn assert_clear(message: &str) {
    let lower = message.to_lowercase();
    assert!(
        !lower.contains("database is locked") && !lower.contains("sqlite"),
        "a raw SQLite error reached the user: {message}"
    );
    assert!(message.ends_with('.'), "a sentence: {message}");
}

#[test]
fn the_app_and_the_cli_write_at_once_without_losing_an_acknowledged_write() {
    let db = temp_db();
    let store = Arc::new(Store::open(&db.path).unwrap());
    let csv = db.dir.path().join("import.csv");
    clientbook::sample::write_csv(&csv, 20_000).unwrap();
    let stop = Arc::new(AtomicBool::new(false));

    // The app: one customer after another through its open store.
    let app = {
        let (store, stop) = (store.clone(), stop.clone());
        std::thread::spawn(move || {
            let (mut acknowledged, mut refused) = (Vec::new(), 0);
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                let name = format!("App {i}");
                match store.create_customer(CustomerFields {
                    name: Some(name.clone()),
                    ..Default::default()
                }) {
                    Ok(c) => acknowledged.push(c.customer_id),
                    Err(e) => {
                        assert_clear(&e.to_string());
                        refused += 1;
                    }
                }
            }
            (acknowledged, refused)
        })
    };

    // The CLI: an import, then single adds, each its own process.
    let started = Instant::now();
    let import = clientbook(&db.path, &["import", csv.to_str().unwrap()]);
    let imported = import.status.success();
    if !imported {
        assert_clear(stderr(&import).trim());
    }
    let (mut cli_acknowledged, mut cli_refused) = (Vec::new(), 0);
    let mut i = 0;
    // On a loaded machine the import alone may outlast RUN: the CLI still gets to add (for
    // up to five times as long) while the app writes on.
    while started.elapsed() < RUN || (cli_acknowledged.is_empty() && started.elapsed() < RUN * 5) {
        i += 1;
        let out = clientbook(&db.path, &["add", "--name", &format!("Cli {i}")]);
        if out.status.success() {
            cli_acknowledged.push(stdout(&out).trim().to_owned());
        } else {
            assert_eq!(out.status.code(), Some(1));
            assert_clear(stderr(&out).trim());
            cli_refused += 1;
        }
    }
    stop.store(true, Ordering::SeqCst);
    let (app_acknowledged, app_refused) = app.join().unwrap();
    println!(
        "import {}, app {} written / {app_refused} refused, cli {} written / {cli_refused} refused",
        if imported { "written" } else { "refused" },
        app_acknowledged.len(),
        cli_acknowledged.len()
    );
    assert!(
        !app_acknowledged.is_empty() && !cli_acknowledged.is_empty(),
        "both wrote"
    );
    drop(store);

    let report = check(&db.path).unwrap();
    assert_eq!(report.integrity, ["ok"]);
    let store = Store::open(&db.path).unwrap();
    let present: BTreeSet<String> = scanned(&store, &Default::default()).into_iter().collect();
    for id in app_acknowledged.iter().chain(&cli_acknowledged) {
        assert!(present.contains(id), "acknowledged write {id} was lost");
    }
    let expected = 1 // the own company
        + app_acknowledged.len()
        + cli_acknowledged.len()
        + if imported { 20_000 } else { 0 };
    assert_eq!(
        present.len(),
        expected,
        "nothing else, nothing half-written"
    );
}

#[test]
fn a_write_refused_while_another_process_holds_the_file_says_so_clearly() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    // Another writer holds the write lock longer than Clientbook waits (5 s).
    let holder = rusqlite::Connection::open(&db.path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let cli = Cli::on(&db.path, &["add", "--name", "Cli"]).spawn();
    let err = store
        .create_customer(CustomerFields {
            name: Some("App".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(err, clientbook::Error::Busy), "{err:?}");
    assert_clear(&err.to_string());
    let out = cli.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("busy"), "{message}");
    assert_clear(message.trim().trim_start_matches("clientbook: "));
    // A second app opening the file meanwhile opens it and reads; so does the CLI.
    let second = Store::open_checked(&db.path).unwrap();
    assert_eq!(second.read_only(), None);
    assert_eq!(second.count_customers().unwrap(), 1);
    assert_eq!(store.count_customers().unwrap(), 1);
    let listed = clientbook(&db.path, &["db", "check"]);
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    drop(second);
    holder.execute_batch("ROLLBACK").unwrap();
    // Once it is free, both go through; reading went on all along.
    store.create_customer(common::named("App")).unwrap();
    assert_eq!(store.view_total(&Default::default()).unwrap(), 2);
}

/// The window learns of writes from outside — the CLI importing into the file it has open —
/// and not of its own, so the list is not refreshed for nothing. (A bulk import's background
/// checkpoint, on a connection of its own, counts as outside: one refresh, in place.)
#[test]
fn outside_version_changes_for_another_process_s_writes_only() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let start = store.outside_version().expect("nothing is writing");

    store.create_customer(common::named("Own")).unwrap();
    let csv = db.dir.path().join("own.csv");
    std::fs::write(&csv, "Name\nOwn import\n").unwrap();
    let options = clientbook::transfer::ImportOptions::default();
    clientbook::transfer::import(&store, &csv, options, &mut |_| true).unwrap();
    assert_eq!(store.outside_version(), Some(start), "own writes");

    let cli = db.dir.path().join("cli.csv");
    std::fs::write(&cli, "Name\nFrom the CLI\n").unwrap();
    let out = clientbook(&db.path, &["import", cli.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let after = store.outside_version().unwrap();
    assert_ne!(after, start, "the CLI's import");
    assert_eq!(store.outside_version(), Some(after), "and nothing since");
    assert_eq!(store.count_customers().unwrap(), 4);
}
