//! What the hostile-path tests share: what a path is (its shape, compared before and after),
//! pipes and device nodes made for them, a filled database, commands given as owned strings,
//! and whether they run as root (cases that need it say so and are skipped without).

use crate::common::TempDb;
use crate::{clientbook, ok};
use std::collections::BTreeMap;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::Output;

/// What a path is, to compare before and after: a file's bytes and mode, a node's kind and
/// device number, a link's target.
#[derive(Debug, PartialEq, Eq)]
pub enum Shape {
    Missing,
    File(Vec<u8>, u32),
    Link(PathBuf),
    Node(&'static str, u64),
    Folder(BTreeMap<String, Shape>),
}

/// What `path` is now (a folder with all it holds); links are not followed.
pub fn shape(path: &Path) -> Shape {
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

/// Whether the tests run as root (device nodes, mounts and `chattr` need it).
pub fn is_root() -> bool {
    // SAFETY: geteuid(2) takes nothing and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Says on stderr that a case is skipped, and why.
pub fn skip(why: &str) {
    eprintln!("skipped: {why}");
}

/// A database with a customer in `db`, closed (one self-contained file).
pub fn filled(db: &TempDb) {
    ok(clientbook(
        &db.path,
        &["add", "--name", "Acme", "--city", "Köln"],
    ));
}

/// Makes a device node of `kind` (`S_IFBLK`, `S_IFCHR`) at `path`; false where it may not.
pub fn mknod(path: &Path, kind: libc::mode_t, major: u32, minor: u32) -> bool {
    let c = std::ffi::CString::new(path.as_os_str().to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mknod(2) only creates a node there.
    unsafe { libc::mknod(c.as_ptr(), kind | 0o644, libc::makedev(major, minor)) == 0 }
}

/// Makes a pipe (FIFO) at `path`.
pub fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo(3) only creates a pipe there.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// `clientbook --db db args…`, the arguments as owned strings.
pub fn run(db: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    clientbook(db, &args)
}
