//! A database that cannot be written — write-protected, on a read-only mount, in an immutable
//! folder — opens read-only: reads work, writes are refused saying why, and nothing appears
//! beside it; on a full disk reads work, writes say the disk is full, and no working file,
//! partial export or database is left. In temporary folders only.
//!
//! Mounts and `chattr` need root: without it those cases say so and are skipped.

use crate::common::temp_db;
use crate::shapes::{filled, is_root, run, shape, skip};
use crate::{assert_fails, clientbook, ok, stderr};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

/// Unmounts its mount point when dropped, whatever the test did.
struct Unmount<'a>(&'a str);

impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0).status();
    }
}

/// Runs `f` with `dir` mounted read-only over itself; skipped (false) where mounting is not
/// allowed. The mount goes whatever `f` does.
fn with_read_only_mount(dir: &Path, f: impl FnOnce()) -> bool {
    let mounted = |args: &[&str]| {
        Command::new("mount")
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let d = dir.to_str().unwrap();
    if !is_root() || !mounted(&["--bind", d, d]) {
        skip("read-only bind mounts need root and mount(8)");
        return false;
    }
    let _guard = Unmount(d);
    assert!(
        mounted(&["-o", "remount,bind,ro", d, d]),
        "remount read-only"
    );
    f();
    true
}

/// What works on a sound database that cannot be written, and what is refused, leaving it and
/// its folder exactly as they were.
fn reads_work_and_writes_are_refused(db: &Path, why: &str) {
    let folder = db.parent().unwrap();
    let before = shape(folder);
    let elsewhere = tempfile::tempdir().unwrap();
    let out_csv = elsewhere.path().join("out.csv");
    let copy = elsewhere.path().join("copy.clientbook");
    for args in [
        vec!["list".to_owned()],
        vec!["list".to_owned(), "--json".to_owned()],
        vec!["export".to_owned(), out_csv.display().to_string()],
        vec!["db".to_owned(), "check".to_owned()],
        vec![
            "db".to_owned(),
            "backup".to_owned(),
            copy.display().to_string(),
        ],
        vec!["history".to_owned(), "acme".to_owned()],
    ] {
        let out = run(db, &args);
        assert!(out.status.success(), "{args:?} ({why}): {}", stderr(&out));
        assert_eq!(shape(folder), before, "{args:?} ({why})");
    }
    assert!(std::fs::read_to_string(&out_csv).unwrap().contains("Acme"));
    let out = clientbook(&copy, &["list"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Acme"),
        "the copy"
    );
    let out = clientbook(db, &["add", "--name", "Never"]);
    assert_eq!(out.status.code(), Some(1), "{why}");
    assert!(
        stderr(&out).contains("read-only because"),
        "{why}: {}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(why), "{why}: {}", stderr(&out));
    assert_eq!(shape(folder), before, "add ({why})");
    // The app's opening says the same (its banner shows the reason).
    let store = clientbook::Store::open_checked(db).unwrap();
    assert!(
        store.read_only().is_some_and(|r| r.contains(why)),
        "{:?}",
        store.read_only()
    );
    drop(store);
    assert_eq!(shape(folder), before, "the app's opening ({why})");
}

#[test]
fn a_sound_database_that_cannot_be_written_opens_read_only_and_leaves_nothing_beside_it() {
    // Write-protected.
    let db = temp_db();
    filled(&db);
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    reads_work_and_writes_are_refused(&db.path, "write-protected");

    // On a read-only mount.
    let db = temp_db();
    filled(&db);
    let path = db.path.clone();
    with_read_only_mount(db.dir.path(), || {
        reads_work_and_writes_are_refused(&path, "read-only media");
    });

    // In an immutable folder (chattr +i): the file could be written, SQLite's working files
    // could not be made.
    let db = temp_db();
    filled(&db);
    let immutable = Command::new("chattr")
        .arg("+i")
        .arg(db.dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if immutable {
        struct Mutable<'a>(&'a Path);
        impl Drop for Mutable<'_> {
            fn drop(&mut self) {
                let _ = Command::new("chattr").arg("-i").arg(self.0).status();
            }
        }
        let _guard = Mutable(db.dir.path());
        reads_work_and_writes_are_refused(&db.path, "folder cannot be written");
    } else {
        skip("chattr +i needs root and a file system that supports it");
    }
}

#[test]
fn a_full_disk_reads_and_says_it_is_full_leaving_no_working_files() {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let m = mount.to_str().unwrap();
    let mounted = is_root()
        && Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs", m])
            .status()
            .is_ok_and(|s| s.success());
    if !mounted {
        return skip("a small tmpfs needs root and mount(8)");
    }
    let _guard = Unmount(m);
    let db = mount.join("c.clientbook");
    ok(clientbook(&db, &["add", "--name", "Acme"]));
    // Fill the rest of the disk.
    let mut filler = std::fs::File::create(mount.join("filler")).unwrap();
    let block = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    drop(filler);
    let before = shape(&mount);
    let out = ok(clientbook(&db, &["list"]));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Acme"));
    ok(clientbook(&db, &["db", "check"]));
    for args in [
        &["add", "--name", "Beta"][..],
        &["edit", "acme", "--city", "Bonn"][..],
    ] {
        let out = clientbook(&db, args);
        assert_fails(&out, 1, "disk it is on is full");
        assert!(!stderr(&out).contains("disk I/O error"), "{}", stderr(&out));
    }
    let out = clientbook(&db, &["export", mount.join("out.csv").to_str().unwrap()]);
    assert_fails(&out, 1, "the disk is full");
    // A new database cannot be made there either: said so, and nothing of it is left.
    let out = clientbook(&mount.join("new.clientbook"), &["add", "--name", "Gamma"]);
    assert_fails(&out, 1, "is full");
    assert!(!stderr(&out).contains("disk I/O error"), "{}", stderr(&out));
    assert_eq!(
        shape(&mount),
        before,
        "no working files, no partial export or database"
    );
}
