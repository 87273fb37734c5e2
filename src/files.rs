//! The one place that knows what Clientbook may do to a path a person named. Every file the app
//! or the command line opens or writes goes through here first:
//!
//! - a **database** ([`database`]): an ordinary file, or a path to create — never a folder, a
//!   pipe or a device — and whether it can be written in place, or must be read only (the file
//!   is write-protected, on read-only media, locked, or its folder cannot take SQLite's working
//!   files);
//! - a **file to write whole** ([`Target`]: an export, an error report, a copy of the
//!   database): a new file or an ordinary file to replace, never the open database or one of its
//!   files, never a pipe, device or folder, never a write-protected file; written beside itself
//!   and renamed into place, so it is the whole new file or the old one;
//! - a **file to read** ([`Source`]: a CSV to import): opened without ever waiting on a pipe
//!   with no writer, refused unless it is an ordinary file, and stamped so that a change made
//!   to it while it is being read can be told.
//!
//! Messages name the file as the person named it.

pub use crate::error::DISK_FULL;
use crate::error::{Error, Result};
use std::fs::{File, Metadata};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a path names (symbolic links followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Pipe,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl Kind {
    pub fn of(meta: &Metadata) -> Kind {
        let t = meta.file_type();
        if t.is_file() {
            return Kind::File;
        }
        if t.is_dir() {
            return Kind::Folder;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Kind::Pipe;
            }
            if t.is_char_device() {
                return Kind::CharDevice;
            }
            if t.is_block_device() {
                return Kind::BlockDevice;
            }
            if t.is_socket() {
                return Kind::Socket;
            }
        }
        Kind::Other
    }

    /// "a folder", "a pipe (FIFO)", … as a sentence names it.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::File => "a file",
            Kind::Folder => "a folder",
            Kind::Pipe => "a pipe (FIFO)",
            Kind::CharDevice => "a character device",
            Kind::BlockDevice => "a block device",
            Kind::Socket => "a socket",
            Kind::Other => "not an ordinary file",
        }
    }
}

/// A file's name for messages: its last component, else the whole path.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn io<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> Error + 'p {
    move |source| Error::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// The metadata of what `path` names, following links; `None` when nothing is there. A link
/// to nothing is refused: writing through it would create a file somewhere else.
fn lookup(path: &Path) -> Result<Option<Metadata>> {
    match std::fs::metadata(path) {
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(link) = std::fs::read_link(path) {
                return Err(Error::Refused(format!(
                    "'{}' is a link to '{}', which does not exist; nothing was changed.",
                    path.display(),
                    link.display()
                )));
            }
            Ok(None)
        }
        Err(e) => Err(io("look at", path)(e)),
    }
}

/// The folder a path is in ("." for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `path` with `suffix` appended to its last component (`c.clientbook` → `c.clientbook-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The files SQLite keeps beside a database while it is open.
pub const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

// ---------------------------------------------------------------------------------------------
// Databases

/// What [`database`] found at a path.
#[derive(Debug, Clone)]
pub struct DatabaseFile {
    /// An ordinary file is there (else: the path is free, and the database will be created).
    pub exists: bool,
    /// Why it must be opened read-only, as the end of "… read-only because …".
    pub read_only: Option<String>,
}

/// What Clientbook may do with `path` as a database: open an ordinary file (read-only when it
/// cannot be written in place) or create one where nothing is. A folder, pipe, device or socket
/// is refused before anything opens it.
pub fn database(path: &Path) -> Result<DatabaseFile> {
    let Some(meta) = lookup(path)? else {
        return Ok(DatabaseFile {
            exists: false,
            read_only: None,
        });
    };
    match Kind::of(&meta) {
        Kind::File => {}
        Kind::Folder => {
            return Err(Error::Refused(format!(
                "'{}' is a folder, not a database file; name a file in it, such as '{}'.",
                path.display(),
                path.join(crate::paths::DEFAULT_FILE_NAME).display()
            )))
        }
        kind => {
            return Err(Error::Refused(format!(
                "'{}' is {}, not a database file: Clientbook opens and creates only ordinary \
                 files, and left it untouched.",
                path.display(),
                kind.noun()
            )))
        }
    }
    let read_only = write_protection(path, &meta).or_else(|| folder_protection(path));
    Ok(DatabaseFile {
        exists: true,
        read_only,
    })
}

/// Why the file at `path` cannot be written in place, or `None` when it can.
fn write_protection(path: &Path, meta: &Metadata) -> Option<String> {
    // Even where the system would let this process write anyway (an administrator), a file
    // its owner marked read-only is treated as such.
    if meta.permissions().readonly() {
        return Some("the file is write-protected".into());
    }
    denied_write(path).map(|why| match why {
        Denied::ReadOnlyMedia => "the file is on read-only media".into(),
        Denied::Locked => "the file is locked against changes (immutable)".into(),
        Denied::NoPermission => "you do not have permission to change the file".into(),
    })
}

/// Why SQLite could not keep its working files (`-wal`, `-shm`) beside the database, when it
/// needs to make them; `None` when it can.
fn folder_protection(path: &Path) -> Option<String> {
    let present = |suffix| with_suffix(path, suffix).is_file();
    if present("-wal") && present("-shm") {
        return None;
    }
    denied_write(folder_of(path)).map(|why| match why {
        Denied::ReadOnlyMedia => "the file is on read-only media".into(),
        Denied::Locked | Denied::NoPermission => {
            "its folder cannot be written (SQLite keeps its working files beside the database)"
                .into()
        }
    })
}

enum Denied {
    ReadOnlyMedia,
    Locked,
    NoPermission,
}

/// Whether the system refuses this process writing `path` (a file or a folder), and why.
#[cfg(unix)]
fn denied_write(path: &Path) -> Option<Denied> {
    use rustix::fs::{access, Access};
    use rustix::io::Errno;
    match access(path, Access::WRITE_OK) {
        Ok(()) => None,
        Err(Errno::ROFS) => Some(Denied::ReadOnlyMedia),
        Err(Errno::PERM) => Some(Denied::Locked),
        Err(Errno::ACCESS) => Some(Denied::NoPermission),
        Err(_) => None,
    }
}

#[cfg(not(unix))]
fn denied_write(_path: &Path) -> Option<Denied> {
    None
}

/// Whether the disk holding `path` (a file or folder) has no room left to speak of: what an
/// "I/O error" from SQLite most often means when it happens at opening.
pub fn disk_full(path: &Path) -> bool {
    #[cfg(unix)]
    {
        let dir = match path.is_dir() {
            true => path,
            false => folder_of(path),
        };
        if let Ok(s) = rustix::fs::statvfs(dir) {
            // Less than 1 MiB free to this user: SQLite's shared-memory file alone takes 32 KiB.
            return s.f_bavail.saturating_mul(s.f_frsize) < 1 << 20;
        }
    }
    let _ = path;
    false
}

// ---------------------------------------------------------------------------------------------
// Identity

/// Which file a path leads to, whatever name, link or hard link leads there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    #[cfg(unix)]
    fn of(meta: &Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    fn of(_meta: &Metadata) -> Option<FileId> {
        None
    }
}

/// `path` made absolute with every link resolved; for a path where nothing is yet, its folder
/// resolved and its name kept. Fails when the folder does not exist.
fn resolve(path: &Path) -> Result<PathBuf> {
    if let Ok(full) = std::fs::canonicalize(path) {
        return Ok(full);
    }
    let folder = folder_of(path);
    let folder = std::fs::canonicalize(folder).map_err(|_| {
        Error::NotFound(format!(
            "'{}' cannot be written: its folder '{}' does not exist; nothing was written.",
            path.display(),
            folder.display()
        ))
    })?;
    match path.file_name() {
        Some(name) => Ok(folder.join(name)),
        None => Err(Error::Refused(format!(
            "'{}' names no file; choose a file name.",
            path.display()
        ))),
    }
}

fn same_name(a: &Path, b: &Path) -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        // These systems' usual file systems do not tell names apart by case.
        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
    } else {
        a == b
    }
}

/// Which of the database at `database` and the files SQLite keeps beside it `target` (resolved,
/// with its metadata when it exists) is, by name or by identity: `Some("")` for the database
/// itself, `Some("-wal")` for its log, …; `None` when it is none of them.
fn database_file(target: &Path, meta: Option<&Metadata>, database: &Path) -> Option<&'static str> {
    let database = resolve(database).ok()?;
    let target_id = meta.and_then(FileId::of);
    std::iter::once("").chain(SIDECARS).find(|suffix| {
        let file = with_suffix(&database, suffix);
        same_name(target, &file)
            || target_id.is_some_and(|id| {
                std::fs::metadata(&file)
                    .ok()
                    .and_then(|m| FileId::of(&m))
                    .is_some_and(|other| other == id)
            })
    })
}

// ---------------------------------------------------------------------------------------------
// Files written whole

/// A file to write whole: an export, an error report, a copy of the database. See
/// [`Target::replace`] and [`Target::new_file`] for what each allows.
#[derive(Debug)]
pub struct Target {
    /// As the person named it, for messages.
    named: PathBuf,
    /// Where the bytes go: links resolved, so that a link stays a link to the new file.
    resolved: PathBuf,
    /// The permissions of the file it replaces, kept by the new one.
    #[cfg_attr(not(unix), allow(dead_code))]
    replaced: Option<std::fs::Permissions>,
}

impl Target {
    /// A new file, or an ordinary file to replace (an export, an error report). Refused: the
    /// open `database` or one of its files (by any name, link or hard link), a folder, pipe,
    /// device or socket, and a write-protected file.
    pub fn replace(path: &Path, database: Option<&Path>) -> Result<Target> {
        Target::check(path, database, true)
    }

    /// A file that must not exist yet (a copy of the database): anything already there, even
    /// a link to nothing, is refused.
    pub fn new_file(path: &Path, database: Option<&Path>) -> Result<Target> {
        Target::check(path, database, false)
    }

    fn check(path: &Path, database: Option<&Path>, may_replace: bool) -> Result<Target> {
        let meta = lookup(path)?;
        let resolved = resolve(path)?;
        if let Some(db) = database {
            let what = match database_file(&resolved, meta.as_ref(), db) {
                None => None,
                Some("") => Some("the open database".to_owned()),
                Some(_) => Some(format!(
                    "a working file of the open database '{}'",
                    display_name(db)
                )),
            };
            if let Some(what) = what {
                return Err(Error::Refused(format!(
                    "'{}' is {what}; writing there would destroy the database. Choose another \
                     file; nothing was written.",
                    path.display()
                )));
            }
        }
        let replaced = match &meta {
            None => None,
            Some(meta) => {
                match Kind::of(meta) {
                    Kind::File => {}
                    Kind::Folder => {
                        return Err(Error::Refused(format!(
                            "'{}' is a folder; choose a file name in it. Nothing was written.",
                            path.display()
                        )))
                    }
                    kind => {
                        return Err(Error::Refused(format!(
                            "'{}' is {}, not a file: Clientbook writes only ordinary files and \
                             left it untouched.",
                            path.display(),
                            kind.noun()
                        )))
                    }
                }
                if !may_replace {
                    return Err(Error::Refused(format!(
                        "'{}' already exists; choose another name. Nothing was written.",
                        path.display()
                    )));
                }
                if write_protection(path, meta).is_some() {
                    return Err(Error::Refused(format!(
                        "'{}' is write-protected, so it was not replaced; choose another file \
                         or lift its protection first.",
                        path.display()
                    )));
                }
                Some(meta.permissions())
            }
        };
        Ok(Target {
            named: path.to_owned(),
            resolved,
            replaced,
        })
    }

    /// The path as the person named it.
    pub fn path(&self) -> &Path {
        &self.named
    }

    /// Where the bytes go (links resolved).
    pub fn resolved(&self) -> &Path {
        &self.resolved
    }

    /// A fresh, empty temporary file in the target's folder, named `prefix…`, readable by
    /// others as the umask allows (an export is for sharing) or as the file it replaces was.
    pub fn temp_file(&self, prefix: &str) -> Result<tempfile::NamedTempFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = match &self.replaced {
                Some(p) => p.mode() & 0o7777,
                None => 0o666,
            };
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        builder
            .tempfile_in(folder_of(&self.resolved))
            .map_err(io("write", &self.named))
    }

    /// Writes the file through a temporary file beside it, synced and renamed into place only
    /// when `write` succeeded: the target is then the whole new file, else as it was.
    pub fn write_atomically<T>(&self, write: impl FnOnce(&File) -> Result<T>) -> Result<T> {
        let temp = self.temp_file(".clientbook-")?;
        let value = write(temp.as_file())?;
        temp.as_file()
            .sync_all()
            .map_err(io("write", &self.named))?;
        temp.persist(&self.resolved)
            .map_err(|e| io("write", &self.named)(e.error))?;
        Ok(value)
    }
}

// ---------------------------------------------------------------------------------------------
// Files read

/// What a file was when reading began: which file, its size and times. A file cut short,
/// rewritten or replaced meanwhile has another stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    id: Option<FileId>,
    len: u64,
    modified: Option<SystemTime>,
    /// The inode's change time (Unix): also moves when a rewrite restores the modification time.
    changed: Option<(i64, i64)>,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            Some((meta.ctime(), meta.ctime_nsec()))
        };
        #[cfg(not(unix))]
        let changed = None;
        Stamp {
            id: FileId::of(meta),
            len: meta.len(),
            modified: meta.modified().ok(),
            changed,
        }
    }

    /// The file's size then.
    pub fn size(&self) -> u64 {
        self.len
    }

    /// The stamp of what `path` names now, if anything.
    pub fn now(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().map(|m| Stamp::of(&m))
    }
}

/// An ordinary file opened for reading, with its [`Stamp`] at opening.
pub struct Source {
    pub file: File,
    pub stamp: Stamp,
}

impl Source {
    /// Opens `path` to read it. Never waits: a pipe with no writer is opened without blocking
    /// and then refused, like a device, socket or folder (`what` names what was expected, as in
    /// "a CSV file").
    pub fn open(path: &Path, what: &str) -> Result<Source> {
        let name = display_name(path);
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use rustix::fs::OFlags;
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32);
        }
        let file = options.open(path).map_err(io("open", path))?;
        let meta = file.metadata().map_err(io("read", path))?;
        match Kind::of(&meta) {
            Kind::File => {}
            Kind::Folder => {
                return Err(Error::Refused(format!("'{name}' is a folder, not {what}.")))
            }
            kind => {
                return Err(Error::Refused(format!(
                    "'{name}' is {}, not {what}: only an ordinary file can be read (it is read \
                     twice); save what it holds as a file and use that.",
                    kind.noun()
                )))
            }
        }
        Ok(Source {
            file,
            stamp: Stamp::of(&meta),
        })
    }

    /// Refuses, naming the file, when it is no longer what it was at opening: cut short,
    /// grown, rewritten or replaced by another file under its name.
    pub fn check_unchanged(&self, path: &Path) -> Result<()> {
        let now_open = self.file.metadata().ok().map(|m| Stamp::of(&m));
        let now_named = Stamp::now(path);
        if now_open == Some(self.stamp) && now_named == Some(self.stamp) {
            return Ok(());
        }
        Err(Error::Refused(format!(
            "'{}' changed while it was being read (it was cut short, rewritten or replaced), \
             so nothing was taken from it. Wait until it is saved completely, then try again.",
            display_name(path)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_in_an_existing_folder_is_a_database_to_create() {
        let dir = tempfile::tempdir().unwrap();
        let found = database(&dir.path().join("new.clientbook")).unwrap();
        assert!(!found.exists);
        assert!(found.read_only.is_none());
    }

    #[test]
    fn a_folder_is_no_database_and_no_target() {
        let dir = tempfile::tempdir().unwrap();
        let err = database(dir.path()).unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
        let err = Target::replace(dir.path(), None).unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
    }

    #[test]
    fn suffixes_are_appended_to_the_name() {
        assert_eq!(
            with_suffix(Path::new("a/c.clientbook"), "-wal"),
            Path::new("a/c.clientbook-wal")
        );
    }
}
