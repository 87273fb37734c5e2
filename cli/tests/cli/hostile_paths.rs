//! Hostile paths: every command of the `clientbook` command line, pointed at what careless or
//! unlucky people point it at — pipes, device nodes, symbolic and hard links to the database,
//! its working files, folders, write-protected files — in temporary folders only. Each case
//! checks that the file it was given is byte-identical afterwards (a node still the same node),
//! unless the command was meant to change it, that nothing new appears beside it, and that the
//! refusal is a sentence naming the file; and a CSV changed while it is imported is refused
//! whole. (A database that cannot be written, or whose disk is full: `unwritable.rs`.)
//!
//! Device nodes need root: without it those cases say so and are skipped.

use crate::common::temp_db;
use crate::shapes::{filled, is_root, mkfifo, mknod, run, shape, skip, Shape};
use crate::{clientbook, stderr, Cli};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

/// A refusal: exit 1, one sentence naming `name` on stderr, nothing on stdout.
fn assert_refused(out: &Output, name: &str, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    assert!(out.stdout.is_empty(), "{what}: printed {:?}", out.stdout);
    assert!(
        err.contains(name),
        "{what}: the message names '{name}': {err}"
    );
    assert!(err.trim_end().ends_with('.'), "{what}: a sentence: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
    for raw in ["SELECT", "INSERT", "os error", "(code "] {
        assert!(!err.contains(raw), "{what}: {raw} in {err}");
    }
}

/// Every command that opens the database, with arguments that would succeed on a sound one.
fn database_commands(dir: &Path) -> Vec<Vec<String>> {
    let csv = dir.join("in.csv");
    std::fs::write(&csv, "Name\nBeta\n").unwrap();
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let out = dir.join("out.csv").display().to_string();
    let copy = dir.join("copy.clientbook").display().to_string();
    vec![
        s(&["list"]),
        s(&["list", "--json"]),
        s(&["add", "--name", "Gamma"]),
        s(&["export", &out]),
        s(&["import", &csv.display().to_string()]),
        s(&["db", "check"]),
        s(&["db", "backup", &copy]),
        s(&["users", "list", "acme"]),
        s(&["history", "acme"]),
    ]
}

#[test]
fn a_database_path_that_is_no_ordinary_file_is_refused_by_every_command_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut targets: Vec<(PathBuf, &str)> = Vec::new();
    let fifo = dir.path().join("pipe.clientbook");
    mkfifo(&fifo);
    targets.push((fifo, "a pipe (FIFO)"));
    let folder = dir.path().join("folder.clientbook");
    std::fs::create_dir(&folder).unwrap();
    targets.push((folder, "is a folder"));
    let to_fifo = dir.path().join("link-to-pipe.clientbook");
    std::os::unix::fs::symlink(dir.path().join("pipe.clientbook"), &to_fifo).unwrap();
    targets.push((to_fifo, "a pipe (FIFO)"));
    let dangling = dir.path().join("dangling.clientbook");
    std::os::unix::fs::symlink(dir.path().join("nowhere/x.clientbook"), &dangling).unwrap();
    targets.push((dangling, "does not exist"));
    if is_root() {
        for (name, kind, major, minor, noun) in [
            ("block.clientbook", libc::S_IFBLK, 7, 200, "a block device"),
            ("full.clientbook", libc::S_IFCHR, 1, 7, "a character device"),
            ("null.clientbook", libc::S_IFCHR, 1, 3, "a character device"),
        ] {
            let node = dir.path().join(name);
            assert!(mknod(&node, kind, major, minor), "mknod {name}");
            targets.push((node, noun));
        }
    } else {
        skip("device nodes need root (mknod)");
    }
    let work = tempfile::tempdir().unwrap();
    for (target, noun) in &targets {
        for args in database_commands(work.path()) {
            let before = shape(dir.path());
            let out = run(target, &args);
            assert_refused(
                &out,
                &target.display().to_string(),
                &format!("{args:?} on {noun}"),
            );
            assert!(stderr(&out).contains(noun), "{args:?}: {}", stderr(&out));
            assert_eq!(
                shape(dir.path()),
                before,
                "{args:?} on {}",
                target.display()
            );
        }
    }
}

#[test]
fn an_export_never_replaces_the_database_nor_anything_that_is_not_an_ordinary_file() {
    let db = temp_db();
    filled(&db);
    let dir = db.dir.path();
    let file = |name: &str| dir.join(name);
    std::os::unix::fs::symlink(&db.path, file("link.csv")).unwrap();
    std::fs::hard_link(&db.path, file("hard.csv")).unwrap();
    mkfifo(&file("pipe.csv"));
    std::fs::create_dir(file("folder.csv")).unwrap();
    std::fs::write(file("protected.csv"), "keep me\n").unwrap();
    std::fs::set_permissions(
        file("protected.csv"),
        std::fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    std::os::unix::fs::symlink(file("protected.csv"), file("link-to-protected.csv")).unwrap();
    std::os::unix::fs::symlink(file("gone/x.csv"), file("dangling.csv")).unwrap();
    let mut targets = vec![
        (db.path.display().to_string(), "the open database"),
        (
            format!("{}/./test.clientbook", dir.display()),
            "the open database",
        ),
        (
            format!("{}-wal", db.path.display()),
            "a working file of the open database",
        ),
        (
            format!("{}-shm", db.path.display()),
            "a working file of the open database",
        ),
        (format!("{}-journal", db.path.display()), "a working file"),
        (file("link.csv").display().to_string(), "the open database"),
        (file("hard.csv").display().to_string(), "the open database"),
        (file("pipe.csv").display().to_string(), "a pipe (FIFO)"),
        (file("folder.csv").display().to_string(), "is a folder"),
        (
            file("protected.csv").display().to_string(),
            "write-protected",
        ),
        (
            file("link-to-protected.csv").display().to_string(),
            "write-protected",
        ),
        (file("dangling.csv").display().to_string(), "does not exist"),
        (
            file("no-such-folder/x.csv").display().to_string(),
            "does not exist",
        ),
    ];
    if is_root() {
        assert!(mknod(&file("full.csv"), libc::S_IFCHR, 1, 7));
        targets.push((file("full.csv").display().to_string(), "a character device"));
    } else {
        skip("device nodes need root (mknod)");
    }
    for (target, why) in &targets {
        for extra in [&[][..], &["--bom"][..], &["--active"][..]] {
            let before = shape(dir);
            let mut args = vec!["export", target.as_str()];
            args.extend_from_slice(extra);
            let out = clientbook(&db.path, &args);
            assert_refused(&out, target, &format!("export {target}"));
            assert!(stderr(&out).contains(why), "{target}: {}", stderr(&out));
            assert_eq!(shape(dir), before, "export {target} {extra:?}");
        }
    }
    // The database still holds everything.
    let out = clientbook(&db.path, &["list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);

    // An ordinary file is replaced whole, keeping its mode; a link to one stays a link.
    std::fs::write(file("plain.csv"), "old\n").unwrap();
    std::fs::set_permissions(file("plain.csv"), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink(file("plain.csv"), file("link-to-plain.csv")).unwrap();
    let out = clientbook(
        &db.path,
        &["export", file("link-to-plain.csv").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(matches!(shape(&file("link-to-plain.csv")), Shape::Link(_)));
    let Shape::File(bytes, mode) = shape(&file("plain.csv")) else {
        panic!("plain.csv is a file")
    };
    assert!(String::from_utf8(bytes).unwrap().contains("Acme"));
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn an_error_report_and_a_copy_never_go_over_the_database() {
    let db = temp_db();
    filled(&db);
    let store = clientbook::Store::open(&db.path).unwrap();
    let csv = crate::common::write(&db, "bad.csv", b"Name,Country\nX,Atlantis\n");
    let report = clientbook::transfer::import(
        &store,
        &csv,
        clientbook::transfer::ImportOptions::default(),
        &mut |_| true,
    )
    .unwrap();
    let database = shape(&db.path);
    for target in [
        db.path.clone(),
        PathBuf::from(format!("{}-wal", db.path.display())),
    ] {
        let err =
            clientbook::transfer::write_error_report(&target, &report, store.path()).unwrap_err();
        assert!(err.to_string().contains("open database"), "{err}");
        let err = store.backup_to(&target).unwrap_err().to_string();
        assert!(err.contains("open database"), "{err}");
    }
    let err = store.backup_to(db.dir.path()).unwrap_err();
    assert!(err.to_string().contains("folder"), "{err}");
    drop(store);
    assert_eq!(shape(&db.path), database);
    // db backup onto the database, a link to it, a pipe: refused, untouched.
    std::os::unix::fs::symlink(&db.path, db.dir.path().join("link.clientbook")).unwrap();
    mkfifo(&db.dir.path().join("pipe.clientbook"));
    let before = shape(db.dir.path());
    for dest in ["test.clientbook", "link.clientbook", "pipe.clientbook"] {
        let dest = db.dir.path().join(dest);
        let out = clientbook(&db.path, &["db", "backup", dest.to_str().unwrap()]);
        assert_refused(&out, &dest.display().to_string(), "db backup");
        assert_eq!(shape(db.dir.path()), before, "db backup {}", dest.display());
    }
}

#[test]
fn importing_from_a_pipe_or_device_never_waits_and_is_refused() {
    let db = temp_db();
    filled(&db);
    let pipe = db.dir.path().join("names.csv");
    mkfifo(&pipe);
    let link = db.dir.path().join("link.csv");
    std::os::unix::fs::symlink(&pipe, &link).unwrap();
    let folder = db.dir.path().join("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    for (source, noun) in [
        (pipe.clone(), "a pipe (FIFO)"),
        (link, "a pipe (FIFO)"),
        (PathBuf::from("/dev/zero"), "a character device"),
        (folder, "a folder"),
    ] {
        for extra in [&[][..], &["--dry-run"][..]] {
            let mut args = vec!["import", source.to_str().unwrap()];
            args.extend_from_slice(extra);
            let out = within(Duration::from_secs(10), &db.path, &args)
                .unwrap_or_else(|| panic!("import {source:?} {extra:?} waited"));
            assert_eq!(out.status.code(), Some(1), "{source:?}: {}", stderr(&out));
            assert!(stderr(&out).contains(noun), "{source:?}: {}", stderr(&out));
        }
    }
    assert!(shape(&pipe) == Shape::Node("fifo", 0));
}

/// `clientbook --db db args…`, or `None` (and the process killed) if it takes longer than
/// `limit`: a command that waits on what it was given fails the test instead of hanging it.
fn within(limit: Duration, db: &Path, args: &[&str]) -> Option<Output> {
    let child = Cli::on(db, args).spawn();
    let started = Instant::now();
    let id = child.id() as i32;
    let waiter = std::thread::spawn(move || child.wait_with_output().unwrap());
    while !waiter.is_finished() {
        if started.elapsed() > limit {
            // SAFETY: kill(2) on our own child's pid.
            unsafe { libc::kill(id, libc::SIGKILL) };
            let _ = waiter.join();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(waiter.join().unwrap())
}

#[test]
fn a_csv_changed_while_it_is_imported_is_refused_whole() {
    use clientbook::transfer::{import, ImportOptions};
    let rows: String = (0..20_000)
        .map(|i| format!("Customer {i},Köln\n"))
        .collect();
    let content = format!("Name,City\n{rows}");
    type Change = fn(&Path, &str);
    let changes: [(&str, Change); 4] = [
        ("cut short", |p, _| {
            std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .unwrap()
                .set_len(1000)
                .unwrap()
        }),
        ("grown", |p, _| {
            let mut f = std::fs::OpenOptions::new().append(true).open(p).unwrap();
            std::io::Write::write_all(&mut f, b"Late,Bonn\n").unwrap();
        }),
        ("rewritten, same size", |p, c| {
            std::thread::sleep(Duration::from_millis(20));
            std::fs::write(p, c.replace("Köln", "Kiel")).unwrap()
        }),
        ("replaced by another file", |p, c| {
            let other = p.with_extension("new");
            std::fs::write(&other, c).unwrap();
            std::fs::rename(other, p).unwrap();
        }),
    ];
    for (how, change) in changes {
        for dry_run in [false, true] {
            let db = temp_db();
            let store = clientbook::Store::open(&db.path).unwrap();
            let csv = crate::common::write(&db, "big.csv", content.as_bytes());
            let before = crate::common::all_rows(&db.path);
            let mut changed = false;
            let options = ImportOptions {
                dry_run,
                ..Default::default()
            };
            let err = import(&store, &csv, options, &mut |_| {
                if !changed {
                    changed = true;
                    change(&csv, &content);
                }
                true
            })
            .unwrap_err();
            assert!(changed, "{how}");
            assert!(
                err.to_string().contains("changed while it was being read"),
                "{how}: {err}"
            );
            assert!(err.to_string().contains("big.csv"), "{how}: {err}");
            assert_eq!(
                crate::common::all_rows(&db.path),
                before,
                "{how}: nothing written"
            );
        }
    }
}
