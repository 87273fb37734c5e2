//! The database as a file to carry: a consistent copy while the app keeps working (`VACUUM
//! INTO`), the check `clientbook db check` runs (integrity, schema version, counts — reading
//! only), the copy written beside a file before its schema is upgraded, and a clean close that
//! leaves one self-contained file (no `-wal`/`-shm`).

use super::{lock, Store, APPLICATION_ID, SCHEMA_VERSION};
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What `clientbook db check` reports.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub path: PathBuf,
    /// `PRAGMA integrity_check`'s lines: `["ok"]` for a sound file.
    pub integrity: Vec<String>,
    pub schema_version: i64,
    /// The schema version this build writes.
    pub supported_version: i64,
    /// Rows per table (customers, users, groups, jobs, history), where they could be counted.
    pub counts: Vec<(String, i64)>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"]
    }
}

const COUNTED: &[&str] = &["customers", "users", "groups", "jobs", "history"];

/// A reading connection to an existing Clientbook file; nothing is created, and with
/// `query_only` no statement may write (`VACUUM INTO` needs it off; it writes elsewhere).
fn open_existing(path: &Path, query_only: bool) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::NotFound(format!(
            "There is no database file '{}'.",
            path.display()
        )));
    }
    // A read-write connection that runs no writing statement (query_only): unlike a read-only
    // one it removes the -wal/-shm files it needed when it closes, if it is the last one. On
    // read-only media, a read-only connection.
    let open = |flags| Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX);
    let conn = open(OpenFlags::SQLITE_OPEN_READ_WRITE)
        .or_else(|_| open(OpenFlags::SQLITE_OPEN_READ_ONLY))
        .map_err(Error::db(format!("Could not open '{}'", path.display())))?;
    conn.pragma_update(None, "query_only", query_only)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    super::check_is_clientbook(&conn, path)?;
    Ok(conn)
}

/// Checks the Clientbook file at `path` without writing a byte to it (nor creating one).
pub fn check(path: &Path) -> Result<CheckReport> {
    let conn = open_existing(path, true)?;
    let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // A file damaged beyond what integrity_check can walk: that failure is the finding.
    let integrity = integrity_check(&conn).unwrap_or_else(|e| vec![e.to_string()]);
    let mut counts = Vec::new();
    for table in COUNTED {
        let n = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .optional()
            .ok()
            .flatten();
        if let Some(n) = n {
            counts.push((table.to_string(), n));
        }
    }
    Ok(CheckReport {
        path: path.to_path_buf(),
        integrity,
        schema_version,
        supported_version: SCHEMA_VERSION,
        counts,
    })
}

/// SQLite's quick check at opening: `None` when sound, else its first finding.
pub(super) fn quick_check(conn: &Connection) -> Option<String> {
    let found = conn
        .prepare("PRAGMA quick_check(1)")
        .and_then(|mut stmt| stmt.query_row([], |r| r.get::<_, String>(0)));
    match found {
        Ok(line) if line == "ok" => None,
        Ok(line) => Some(line),
        Err(e) => Some(e.to_string()),
    }
}

fn integrity_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// Writes a consistent copy of `conn`'s database to `dest` (which must not exist yet): into a
/// temporary file beside it first, so `dest` is either the whole copy or absent.
fn vacuum_into(conn: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(Error::Refused(format!(
            "'{}' already exists; choose another name for the copy.",
            dest.display()
        )));
    }
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new()
        .prefix(".clientbook-copy-")
        .tempfile_in(dir)
        .map_err(|source| Error::Io {
            action: "write the copy",
            path: dest.to_path_buf(),
            source,
        })?;
    // VACUUM INTO needs a file that does not exist (or is empty): keep only the unique name.
    let temp_path = temp.into_temp_path();
    std::fs::remove_file(&temp_path).ok();
    let target = temp_path.to_string_lossy().into_owned();
    conn.execute("VACUUM INTO ?1", [&target])
        .map_err(Error::db(format!(
            "Could not write the copy '{}'",
            dest.display()
        )))?;
    temp_path.persist_noclobber(dest).map_err(|e| Error::Io {
        action: "write the copy",
        path: dest.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// `name.before-vN.clientbook` beside `path` (`-2`, `-3`… when that name is taken).
fn upgrade_backup_path(path: &Path, version: i64) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "database".into());
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let candidate = dir.join(format!("{stem}.before-v{version}{suffix}.clientbook"));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// Before an older file is upgraded: a copy of it as it was, beside it. Returns where.
pub(super) fn backup_before_upgrade(conn: &Connection, path: &Path) -> Result<PathBuf> {
    let dest = upgrade_backup_path(path, SCHEMA_VERSION);
    vacuum_into(conn, &dest).map_err(|e| {
        Error::Refused(format!(
            "'{}' needs an upgrade to database version {SCHEMA_VERSION}, but the backup copy \
             of it could not be written first, so it was left as it was: {e}",
            path.display()
        ))
    })?;
    Ok(dest)
}

/// Writes a consistent copy of the Clientbook file `src` to `dest` (a new file), reading only:
/// whoever is using `src` meanwhile goes on (`clientbook db backup`).
pub fn backup(src: &Path, dest: &Path) -> Result<()> {
    vacuum_into(&open_existing(src, false)?, dest)
}

impl Store {
    /// Writes a consistent copy of the database to `dest` (a new file) while the store keeps
    /// working: the copy is taken from the reading connection, so writes go on meanwhile.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if self.path.is_none() {
            return Err(Error::Refused(
                "An in-memory database has no file to copy.".into(),
            ));
        }
        self.read(|c| vacuum_into(c, dest))
    }

    /// Closes the database so that it is one self-contained file again: everything in the
    /// write-ahead log is copied into the file and the `-wal`/`-shm` files are removed. (Dropping
    /// a store does the same; this says whether it worked.)
    pub fn close(self) -> Result<()> {
        let Store {
            writer,
            reader,
            indexer,
            read_only,
            checkpoint,
            ..
        } = self;
        // The checkpoint and the readers go first: the last connection to close removes the log.
        drop(checkpoint);
        drop(reader);
        drop(indexer);
        let conn = writer.into_inner().unwrap_or_else(|p| p.into_inner());
        if read_only.is_some() {
            return Ok(()); // nothing was written; the file is as it was
        }
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(Error::db(
                "Could not write the last changes into the database file",
            ))?;
        conn.close()
            .map_err(|(_, e)| Error::db("Could not close the database")(e))
    }

    /// The file's format: this build's schema version and the application id of Clientbook.
    pub fn schema_version(&self) -> Result<i64> {
        let conn = lock(&self.writer);
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        debug_assert_eq!(app, APPLICATION_ID);
        Ok(v)
    }
}
