//! The database as a file to carry: a consistent copy while the app keeps working (`VACUUM
//! INTO`), the check `clientbook db check` runs (integrity, schema version, counts — reading
//! only), the copy written beside a file before its schema is upgraded, and a clean close that
//! leaves one self-contained file (no `-wal`/`-shm`).

use super::{lock, schema, Store, APPLICATION_ID, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::files;
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
    /// What is wrong with the file's structure (tables, columns, indexes, triggers, the search
    /// index) and with the rules the store relies on: one sentence each; empty when sound.
    pub findings: Vec<String>,
    /// What could not be checked, and why (a sentence each).
    pub unchecked: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"] && self.findings.is_empty()
    }

    /// Every problem found, SQLite's integrity findings first, a sentence each.
    pub fn problems(&self) -> Vec<String> {
        let integrity = self
            .integrity
            .iter()
            .filter(|line| *line != "ok")
            .map(|line| format!("SQLite's integrity check: {line}."));
        integrity.chain(self.findings.iter().cloned()).collect()
    }
}

const COUNTED: &[&str] = &["customers", "users", "groups", "jobs", "history"];

/// A reading connection to an existing Clientbook file, and whether it could write (it never
/// does); nothing is created, and with `query_only` no statement may write (`VACUUM INTO`
/// needs it off; it writes elsewhere).
fn open_existing(path: &Path, query_only: bool) -> Result<(Connection, bool)> {
    let found = files::database(path)?;
    if !found.exists {
        return Err(Error::NotFound(format!(
            "There is no database file '{}'.",
            path.display()
        )));
    }
    // A read-write connection that runs no writing statement (query_only): unlike a read-only
    // one it removes the -wal/-shm files it needed when it closes, if it is the last one. A file
    // that cannot be written in place (write-protected, read-only media, a full disk) gets a
    // connection that reads only and leaves nothing beside it.
    let read_write = || {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|c| {
            c.query_row("PRAGMA schema_version", [], |_| Ok(()))
                .map(|_| c)
        })
    };
    // (On a full disk SQLite could not make its working files either.)
    let (conn, writable) = match found.read_only.is_none() && !files::disk_full(path) {
        true => match read_write() {
            Ok(conn) => Ok((conn, true)),
            Err(_) => super::open::open_reading(path).map(|c| (c, false)),
        },
        false => super::open::open_reading(path).map(|c| (c, false)),
    }
    .map_err(Error::db(format!("Could not open '{}'", path.display())))?;
    conn.pragma_update(None, "query_only", query_only)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    super::open::check_is_clientbook(&conn, path)?;
    Ok((conn, writable))
}

/// Checks the Clientbook file at `path` without writing a byte to it (nor creating one).
pub fn check(path: &Path) -> Result<CheckReport> {
    let (conn, writable) = open_existing(path, true)?;
    let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // A file damaged beyond what integrity_check can walk: that failure is the finding.
    let integrity = integrity_check(&conn).unwrap_or_else(|e| vec![e.to_string()]);
    let mut findings = Vec::new();
    let mut unchecked = Vec::new();
    if let Err(e) = super::open::check_not_newer(&conn, path) {
        findings.push(e.to_string());
    } else if schema_version >= 1 {
        findings = schema::shape(&conn, schema_version);
        if findings.is_empty() && schema_version == SCHEMA_VERSION {
            let search_index = match writable {
                true => schema::SearchIndexCheck::Run,
                false => {
                    unchecked.push(
                        "The search index was not compared with the customers: SQLite checks \
                         it only in a file it could write, and this one it cannot."
                            .to_owned(),
                    );
                    schema::SearchIndexCheck::ReadOnly
                }
            };
            findings = schema::invariants(&conn, search_index, &mut unchecked);
        } else if findings.is_empty() {
            unchecked.push(format!(
                "The data was not checked against this Clientbook's rules: the file has \
                 database version {schema_version} and is upgraded to {SCHEMA_VERSION} when \
                 it is opened."
            ));
        }
    }
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
        findings,
        unchecked,
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

/// Writes a consistent copy of `conn`'s database (the file `database`) to `dest`, which must
/// not exist yet: into a temporary file beside it first, so `dest` is either the whole copy or
/// absent.
fn vacuum_into(conn: &Connection, database: &Path, dest: &Path) -> Result<()> {
    let target = files::Target::new_file(dest, Some(database))?;
    let temp = target.temp_file(".clientbook-copy-")?;
    // VACUUM INTO needs a file that does not exist (or is empty): keep only the unique name.
    let temp_path = temp.into_temp_path();
    std::fs::remove_file(&temp_path).ok();
    let written = temp_path.to_string_lossy().into_owned();
    conn.execute("VACUUM INTO ?1", [&written])
        .map_err(Error::db(format!(
            "Could not write the copy '{}'",
            dest.display()
        )))?;
    temp_path
        .persist_noclobber(target.resolved())
        .map_err(|e| Error::Io {
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
    vacuum_into(conn, path, &dest).map_err(|e| {
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
    vacuum_into(&open_existing(src, false)?.0, src, dest)
}

impl Store {
    /// Customer IDs and usernames of an older file that are one identity without regard to
    /// case (see 006_identity.sql): a sentence per pair, saying what to do. Both are kept.
    pub fn identity_clashes(&self) -> Result<Vec<String>> {
        self.read(|c| Ok(schema::clashes(c)?))
    }

    /// Writes a consistent copy of the database to `dest` (a new file) while the store keeps
    /// working: the copy is taken from the reading connection, so writes go on meanwhile.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let Some(path) = &self.path else {
            return Err(Error::Refused(
                "An in-memory database has no file to copy.".into(),
            ));
        };
        self.read(|c| vacuum_into(c, path, dest))
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
