//! Opening a database file: what the path may be (see `files`), read-write or read-only (and
//! why), the connections and how each is set up, the checks before a byte is written — a
//! Clientbook file, a version this build knows, a structure as it makes it — and the working
//! files a failed opening leaves, removed.

use super::{file, migrate, schema, view, Store, APPLICATION_ID, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::files;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;
use std::time::Duration;

impl Store {
    /// Opens (creating if missing) the Clientbook database at `path`, upgrading its schema.
    /// A write-protected file, or one on read-only media, opens read-only
    /// ([`Store::read_only`] says why).
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(path.as_ref(), false)
    }

    /// Like [`Store::open`], and first runs SQLite's quick integrity check on an existing file:
    /// a damaged file opens read-only, so nothing is written to it (the app opens files so).
    pub fn open_checked(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(path.as_ref(), true)
    }

    fn open_with(path: &Path, check: bool) -> Result<Store> {
        let path = path.to_path_buf();
        // What the path names decides what may be done to it: an ordinary file (read-only when
        // it cannot be written in place) or a path to create; nothing else is ever opened.
        let found = files::database(&path)?;
        if let Some(reason) = found.read_only {
            return Store::open_read_only(path, Some(reason));
        }
        if !found.exists {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                    action: "create the folder for",
                    path: path.clone(),
                    source,
                })?;
            }
        }
        let sidecars = Sidecars::before(&path);
        match Store::open_writable(&path, found.exists, check) {
            Ok(store) => Ok(store),
            // A full disk: SQLite cannot make its working files, so nothing can be written —
            // but everything can still be read. The working files it began are removed.
            Err(e) if found.exists && files::disk_full(&path) && e.is_io_failure() => {
                sidecars.remove_new();
                Store::open_read_only(path, Some(files::DISK_FULL.into()))
            }
            Err(e) => {
                sidecars.remove_new();
                if found.exists {
                    return Err(e);
                }
                // Nothing was there before: what a failed creation began goes too.
                let _ = std::fs::remove_file(&path);
                match files::disk_full(&path) && e.is_io_failure() {
                    true => Err(Error::NotSaved {
                        what: "The new database",
                        detail: e.to_string(),
                        path,
                        disk_full: true,
                    }),
                    false => Err(e),
                }
            }
        }
    }

    /// Opens the file for writing, upgrading its schema; hands over to a read-only opening
    /// where SQLite finds it cannot write after all.
    fn open_writable(path: &Path, exists: bool, check: bool) -> Result<Store> {
        let path = path.to_path_buf();
        let mut writer = match Connection::open(&path) {
            Err(e)
                if exists
                    && matches!(
                        e.sqlite_error_code(),
                        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
                    ) =>
            {
                return Store::open_read_only(path, Some("the file cannot be written here".into()));
            }
            other => other.map_err(Error::db(format!("Could not open '{}'", path.display())))?,
        };
        // Both checks only read, so a refused file keeps every byte.
        check_is_clientbook(&writer, &path)?;
        let found = check_not_newer(&writer, &path)?;
        if exists && writer.is_readonly("main").unwrap_or(false) {
            drop(writer);
            return Store::open_read_only(path, Some("the file is on read-only media".into()));
        }
        if check && exists {
            if let Some(damage) = file::quick_check(&writer) {
                drop(writer);
                return Store::open_read_only(path, Some(format!("it is damaged ({damage})")));
            }
        }
        if structure_damage(&writer, found).is_some() {
            drop(writer);
            return Store::open_read_only(path, None);
        }
        let upgrade_backup = match found {
            1.. if found < SCHEMA_VERSION => Some(file::backup_before_upgrade(&writer, &path)?),
            _ => None,
        };
        configure(&writer, true)?;
        migrate::migrate(&mut writer, &path)?;
        let readers = (reading_connection(&path)?, reading_connection(&path)?);
        Ok(Store::assemble(
            Some(path),
            writer,
            Some(readers),
            upgrade_backup,
            None,
        ))
    }

    /// The store around its open connections: the writer and, for a file, the list reader and
    /// the indexer.
    pub(super) fn assemble(
        path: Option<PathBuf>,
        writer: Connection,
        readers: Option<(Connection, Connection)>,
        upgrade_backup: Option<PathBuf>,
        read_only: Option<String>,
    ) -> Store {
        let (reader, indexer) = readers.unzip();
        Store {
            path,
            checkpoint: Default::default(),
            upgrade_backup,
            read_only,
            write_interrupt: writer.get_interrupt_handle(),
            writer: Mutex::new(writer),
            reader: reader.map(Mutex::new),
            indexer: indexer.map(view::Indexer::new),
            writes: AtomicU64::new(0),
            last_import: Mutex::new(None),
            views: view::Cache::default(),
            tuning: view::SearchTuning::default(),
        }
    }

    /// A throwaway database for unit tests and benchmarks of pure logic.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        let path = PathBuf::from(":memory:");
        configure(&conn, true)?;
        migrate::migrate(&mut conn, &path)?;
        Ok(Store::assemble(None, conn, None, None, None))
    }

    /// Opens an existing file for reading only; every write is refused with `reason` and with
    /// what is wrong with the file's structure, if anything (`None`: only that).
    fn open_read_only(path: PathBuf, reason: Option<String>) -> Result<Store> {
        let open = || reading_connection(&path);
        let damaged = |e: Error| match e {
            Error::Database { source, .. }
                if source.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) =>
            {
                Error::Refused(format!(
                    "'{}' is damaged beyond reading ({source}); the file was not changed.",
                    path.display()
                ))
            }
            other => other,
        };
        let writer = open().map_err(damaged)?;
        check_is_clientbook(&writer, &path)?;
        let found = check_not_newer(&writer, &path)?;
        let reason = match (reason, structure_damage(&writer, found)) {
            (Some(reason), Some(damage)) => format!("{reason}, and {damage}"),
            (Some(reason), None) => reason,
            (None, Some(damage)) => damage,
            (None, None) => "it could not be opened for writing".into(),
        };
        if found < SCHEMA_VERSION {
            return Err(Error::Refused(format!(
                "'{}' is from an older Clientbook and needs an upgrade to database version \
                 {SCHEMA_VERSION}, which cannot be done because {reason}. Copy it to a folder \
                 where you can write and open the copy.",
                path.display()
            )));
        }
        let readers = (open().map_err(damaged)?, open().map_err(damaged)?);
        Ok(Store::assemble(
            Some(path),
            writer,
            Some(readers),
            None,
            Some(reason),
        ))
    }
}

/// How long a connection waits for another one that holds the lock it needs.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) fn configure(conn: &Connection, writer: bool) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    register_fold(conn)?;
    // 64 MiB of page cache (negative = KiB): big transactions spill to the WAL far less often.
    conn.pragma_update(None, "cache_size", -65_536)?;
    if writer {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(Error::db("Could not switch the database to WAL mode"))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    Ok(())
}

/// `cb_fold(text)`: the identity form of a text ([`identity`](crate::model::text::identity)),
/// for the store's queries to find customers, users, groups, jobs and services by it
/// ("WHERE id_fold = cb_fold(?1)"). Used in queries only, never in the schema, so that other
/// tools can still read and write the file.
fn register_fold(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("cb_fold", 1, flags, |ctx| {
        let text = ctx.get_raw(0);
        Ok(crate::model::text::identity(
            text.as_str().unwrap_or_default(),
        ))
    })
    .map_err(Error::db("Could not prepare the database connection"))
}

/// Refuses files that are not Clientbook databases before a single byte is written to them.
pub(super) fn check_is_clientbook(conn: &Connection, path: &Path) -> Result<()> {
    let not_ours = |reason: &str| Error::NotClientbook {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    let header = conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i64>(0));
    let app_id = match header {
        Ok(id) => id,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(not_ours("it is not an SQLite database"));
        }
        Err(e) => return Err(Error::db(format!("Could not read '{}'", path.display()))(e)),
    };
    if app_id == APPLICATION_ID {
        return Ok(());
    }
    if app_id != 0 {
        return Err(not_ours("it belongs to another application"));
    }
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if objects > 0 {
        return Err(not_ours("it is an SQLite database of another program"));
    }
    Ok(())
}

pub(super) fn check_not_newer(conn: &Connection, path: &Path) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let marked: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    // Every release marks a file and sets its version in the same transaction, from 1 up.
    if found < 0 || (found == 0 && marked == APPLICATION_ID) {
        return Err(Error::Refused(format!(
            "'{}' says it has database version {found}, which no Clientbook ever wrote, so it \
             was not opened; the file was not changed.",
            path.display()
        )));
    }
    if found > SCHEMA_VERSION {
        return Err(Error::NewerDatabase {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(found)
}

/// Why the file's tables, columns, indexes or triggers are not what this Clientbook made at
/// its schema `version` ("its structure is damaged (…)"), or `None` when they are.
pub(super) fn structure_damage(conn: &Connection, version: i64) -> Option<String> {
    let findings = schema::shape(conn, version);
    let first = findings.first()?;
    let more = match findings.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    let mut first = first.trim_end_matches('.').to_owned();
    if let Some(c) = first.get(..1) {
        first.replace_range(..1, &c.to_lowercase());
    }
    Some(format!(
        "its structure is damaged ({first}{more}; `clientbook db check` lists every problem)"
    ))
}

/// A connection that only reads `path` and writes nothing beside it either. Without a
/// write-ahead log beside the file, everything is in the file itself and nobody is writing it:
/// SQLite reads it as immutable and makes no working files (-wal, -shm). With a log (another
/// program has it open, or left changes in it), the log is read too.
pub(crate) fn open_reading(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let as_immutable =
        || Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI);
    if !files::with_suffix(path, "-wal").exists() {
        return as_immutable();
    }
    Connection::open_with_flags(path, flags)
        .and_then(|c| {
            c.query_row("PRAGMA schema_version", [], |_| Ok(()))
                .map(|_| c)
        })
        // Read-only media where no -shm can be made: nobody can write the file meanwhile, so
        // SQLite may read it as immutable.
        .or_else(|_| as_immutable())
}

/// A connection of the store that only reads ([`open_reading`]), set up as every connection.
pub(crate) fn reading_connection(path: &Path) -> Result<Connection> {
    let conn =
        open_reading(path).map_err(Error::db(format!("Could not open '{}'", path.display())))?;
    configure(&conn, false)?;
    Ok(conn)
}

/// An SQLite URI that opens `path` as immutable: read without locks or working files.
pub(crate) fn immutable_uri(path: &Path) -> String {
    // Characters that mean something in a URI are escaped; the rest of the path is kept.
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '?' | '#' | '%' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Which of SQLite's working files were beside a database before an opening, so that those the
/// opening began, if it fails, are removed again.
struct Sidecars {
    path: PathBuf,
    present: [bool; 2],
}

impl Sidecars {
    const NAMES: [&'static str; 2] = ["-wal", "-shm"];

    fn before(path: &Path) -> Sidecars {
        Sidecars {
            path: path.to_owned(),
            present: Self::NAMES.map(|s| files::with_suffix(path, s).exists()),
        }
    }

    /// Removes the working files that were not there before (empty or of no use: the opening
    /// that made them failed, and no other connection had the file open, or they would have
    /// been there).
    fn remove_new(&self) {
        for (suffix, was) in Self::NAMES.iter().zip(self.present) {
            if !was {
                let _ = std::fs::remove_file(files::with_suffix(&self.path, suffix));
            }
        }
    }
}
