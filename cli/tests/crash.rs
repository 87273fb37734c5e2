//! Crash safety: a large CSV import (200,000 rows) in a child process running the CLI is killed
//! with SIGKILL at random points across the import, again and again on the same file. After
//! every kill the file passes SQLite's integrity check and holds either every customer it had
//! before the import or every customer after it — never a part of the import. The same holds
//! when the operating system refuses a write halfway through, as a failing or full disk does.

#![cfg(unix)]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "support/mod.rs"]
mod support;

use clientbook::store::{check, ListQuery};
use clientbook::Store;
use common::add;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use support::Cli;

const ROWS: u64 = 200_000;
const KILLS: usize = 10;

/// `clientbook --db DB import CSV`.
fn import_command(db: &Path, csv: &Path) -> Command {
    Cli::on(db, &["import", csv.to_str().unwrap()]).command()
}

fn import(db: &Path, csv: &Path) -> std::process::Child {
    import_command(db, csv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the CLI starts")
}

fn customers(db: &Path) -> u64 {
    let report = check(db).expect("the file opens");
    assert_eq!(report.integrity, ["ok"], "integrity after a kill");
    let n = report
        .counts
        .iter()
        .find(|(t, _)| t == "customers")
        .map(|(_, n)| *n)
        .expect("customers counted");
    n as u64
}

/// A CSV of [`ROWS`] customers in `dir`, and a database `name` there holding three customers
/// besides the own company.
fn csv_and_database(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let csv = dir.join("customers.csv");
    clientbook::sample::write_csv(&csv, ROWS).unwrap();
    let db = dir.join(name);
    let store = Store::open(&db).unwrap();
    for name in ["Acme", "Globex", "Initech"] {
        add(&store, name, "Berlin");
    }
    assert_eq!(store.view_total(&ListQuery::default()).unwrap(), 4);
    (csv, db)
}

#[test]
fn sigkill_at_random_points_of_a_large_import_leaves_all_of_it_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, base) = csv_and_database(dir.path(), "base.clientbook");
    let before = customers(&base);

    // One whole import: how long it takes here, and the count after it.
    let full = dir.path().join("full.clientbook");
    std::fs::copy(&base, &full).unwrap();
    let started = Instant::now();
    let status = import(&full, &csv).wait().unwrap();
    let took = started.elapsed();
    assert!(status.success(), "the import itself works");
    let after = customers(&full);
    assert_eq!(after, before + ROWS);

    // Kill points spread over the import's duration, with jitter, on one file that carries
    // the state of every earlier kill.
    let db = dir.path().join("killed.clientbook");
    std::fs::copy(&base, &db).unwrap();
    let mut rng = fastrand::Rng::with_seed(
        std::env::var("CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| fastrand::u64(..)),
    );
    println!("seed {} · a whole import takes {took:?}", rng.get_seed());
    let (mut killed_mid_import, mut attempts) = (0, 0);
    while killed_mid_import < KILLS {
        attempts += 1;
        assert!(
            attempts <= KILLS * 3,
            "the import kept finishing before the kill"
        );
        let at = took.mul_f64((rng.f64() * 0.95).max(0.02));
        let mut child = import(&db, &csv);
        std::thread::sleep(at);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let n = customers(&db);
        println!("killed at {at:?} (running: {running}): {n} customers");
        assert!(
            n == before || n == after,
            "after a kill at {at:?}: {n} customers, expected {before} or {after}"
        );
        if running {
            killed_mid_import += 1;
        }
        if n == after {
            // The import had committed: start the next round from the file before it.
            std::fs::copy(&base, &db).unwrap();
            for side in ["-wal", "-shm"] {
                std::fs::remove_file(format!("{}{side}", db.display())).ok();
            }
        }
    }
    // The file still works after all that: the import goes through.
    assert!(import(&db, &csv).wait().unwrap().success());
    assert_eq!(customers(&db), after);
}

#[test]
fn a_write_refused_mid_import_is_reported_by_file_and_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, db) = csv_and_database(dir.path(), "small disk.clientbook");
    let before = customers(&db);

    // No file of the child may grow past 4 MiB (RLIMIT_FSIZE): the import's writes fail
    // there with an error from the operating system, a few thousand rows in.
    const LIMIT: libc::rlim_t = 4 << 20;
    let mut cli = import_command(&db, &csv);
    // SAFETY: signal and setrlimit are async-signal-safe, as the child side of a fork needs.
    unsafe {
        cli.pre_exec(|| {
            // At the limit the kernel would otherwise kill the process (SIGXFSZ); ignored, the
            // write fails with EFBIG instead, as on a failing disk.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: LIMIT,
                rlim_max: LIMIT,
            };
            match libc::setrlimit(libc::RLIMIT_FSIZE, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        });
    }
    let out = cli.output().expect("the CLI runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit 1: nothing written; {stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "The import was not saved: reading or writing '{}' failed (disk I/O error). \
             Nothing was changed; check the disk and try again.",
            db.display()
        )),
        "{stderr}"
    );
    assert_eq!(customers(&db), before, "none of the import is in the file");

    // With room again, the same import goes through on the same file.
    assert!(import(&db, &csv).wait().unwrap().success());
    assert_eq!(customers(&db), before + ROWS);
}
