//! Hostile paths: every command of the `clientbook` command line, pointed at what careless or
//! unlucky people point it at — pipes, device nodes, symbolic and hard links to the database,
//! its working files, folders, write-protected files, read-only mounts, an immutable folder and
//! a full disk — in temporary folders only. Each case checks that the file it was given is
//! byte-identical afterwards (a node still the same node), unless the command was meant to change
//! it, that nothing new appears beside it, and that the refusal is a sentence naming the file.
//!
//! Device nodes, mounts and `chattr` need root: without it those cases say so and are skipped.

use crate::clientbook;
use crate::common::{temp_db, TempDb};
use std::collections::BTreeMap;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// What a path is, to compare before and after: a file's bytes and mode, a node's kind and
/// device number, a link's target.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    Missing,
    File(Vec<u8>, u32),
    Link(PathBuf),
    Node(&'static str, u64),
    Folder(BTreeMap<String, Shape>),
}

fn shape(path: &Path) -> Shape {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Shape::Missing;
    };
    let t = meta.file_type();
    if t.is_symlink() {
        Shape::Link(std::fs::read_link(path).unwrap())
    } else if t.is_file() {
        Shape::File(std::fs::read(path).unwrap(), meta.mode())
    } else if t.is_dir() {
        let mut inside = BTreeMap::new();
        for e in std::fs::read_dir(path).unwrap() {
            let e = e.unwrap();
            inside.insert(
                e.file_name().to_string_lossy().into_owned(),
                shape(&e.path()),
            );
        }
        Shape::Folder(inside)
    } else if t.is_fifo() {
        Shape::Node("fifo", 0)
    } else if t.is_char_device() {
        Shape::Node("char", meta.rdev())
    } else if t.is_block_device() {
        Shape::Node("block", meta.rdev())
    } else {
        Shape::Node("other", 0)
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn is_root() -> bool {
    // SAFETY: geteuid(2) takes nothing and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn skip(why: &str) {
    eprintln!("skipped: {why}");
}

/// A database with a customer in `db`, closed (one self-contained file).
fn filled(db: &TempDb) {
    let out = clientbook(&db.path, &["add", "--name", "Acme", "--city", "Köln"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

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

fn mknod(path: &Path, kind: libc::mode_t, major: u32, minor: u32) -> bool {
    let c = std::ffi::CString::new(path.as_os_str().to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mknod(2) only creates a node there.
    unsafe { libc::mknod(c.as_ptr(), kind | 0o644, libc::makedev(major, minor)) == 0 }
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo(3) only creates a pipe there.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
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

fn run(db: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    clientbook(db, &args)
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
    let child = Command::new(env!("CARGO_BIN_EXE_clientbook"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
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
    let out = clientbook(&db, &["add", "--name", "Acme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Fill the rest of the disk.
    let mut filler = std::fs::File::create(mount.join("filler")).unwrap();
    let block = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    drop(filler);
    let before = shape(&mount);
    let out = clientbook(&db, &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Acme"));
    let out = clientbook(&db, &["db", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for args in [
        &["add", "--name", "Beta"][..],
        &["edit", "acme", "--city", "Bonn"][..],
    ] {
        let out = clientbook(&db, args);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("disk it is on is full"),
            "{}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("disk I/O error"), "{}", stderr(&out));
    }
    let out = clientbook(&db, &["export", mount.join("out.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the disk is full"),
        "{}",
        stderr(&out)
    );
    // A new database cannot be made there either: said so, and nothing of it is left.
    let out = clientbook(&mount.join("new.clientbook"), &["add", "--name", "Gamma"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is full"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("disk I/O error"), "{}", stderr(&out));
    assert_eq!(
        shape(&mount),
        before,
        "no working files, no partial export or database"
    );
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
