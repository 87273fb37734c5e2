//! The store: the only place that speaks SQL. [`Store`] owns one writer connection and one
//! reader connection (WAL), runs the migrations and hands out transactions.

mod admins;
mod bulk;
mod checkpoint;
mod copy;
mod customers;
mod deletion;
mod file;
mod groups;
mod history;
pub mod import;
mod jobs;
mod lookup;
mod migrate;
mod open;
mod pull;
mod schema;
mod search;
mod services;
mod timeline;
mod users;
mod view;

pub use admins::Administrator;
pub use copy::{CopyOptions, COPY_NOTE};
pub use customers::StoredCustomer;
pub use file::{backup, check, CheckReport};
pub use groups::TemplateGroup;
pub use import::UndoneImport;
pub use migrate::SCHEMA_VERSION;
pub(crate) use open::{reading_connection, BUSY_TIMEOUT};
pub use pull::PullReport;
pub use search::SearchQuery;
pub use view::{ActiveFilter, ListQuery, SortKey, Window};

use crate::error::{Error, Result};
use rusqlite::{Connection, InterruptHandle, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Written into every Clientbook file (`PRAGMA application_id`) so that other SQLite databases
/// are recognised and left alone. "CBk1" in ASCII.
const APPLICATION_ID: i64 = 0x4342_6B31;

pub struct Store {
    path: Option<PathBuf>,
    // Fields drop in this order: a checkpoint still running after an import finishes, and the
    // reading connections close, before the writer, so that the writer is the last connection
    // and its close removes the `-wal` and `-shm` files.
    /// Copies the log into the file after a large import (see `checkpoint.rs`).
    checkpoint: checkpoint::Checkpointer,
    reader: Option<Mutex<Connection>>,
    /// Builds view indexes (see `view.rs`) without holding up the reader.
    indexer: Option<view::Indexer>,
    writer: Mutex<Connection>,
    /// Stops a long statement on the writer (a cancelled import).
    write_interrupt: InterruptHandle,
    /// The copy written beside an older file before its upgrade, this time it was opened.
    upgrade_backup: Option<PathBuf>,
    /// Why the file is open read-only (a sentence fragment), if it is.
    read_only: Option<String>,
    /// Bumped on every committed write through this store; keys cached list views.
    writes: AtomicU64,
    /// What the last import through this store wrote, for its Undo (see `import.rs`).
    last_import: Mutex<Option<import::ImportMark>>,
    views: view::Cache,
    tuning: view::SearchTuning,
}

impl Store {
    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Why the database is open read-only (e.g. "it is damaged (…)"), or `None`.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Where the copy of the file as it was before this opening upgraded it was written.
    pub fn upgrade_backup(&self) -> Option<&Path> {
        self.upgrade_backup.as_deref()
    }

    /// Runs `f` in one immediate transaction on the writer: all of it is committed or none.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        if let Some(reason) = &self.read_only {
            return Err(Error::ReadOnly(reason.clone()));
        }
        let mut conn = lock(&self.writer);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(Error::db("Could not start a change"))?;
        let value = f(&tx).map_err(|e| self.not_saved(e))?;
        tx.commit()
            .map_err(Error::db("Could not save the change"))
            .map_err(|e| self.not_saved(e))?;
        self.writes.fetch_add(1, Ordering::SeqCst);
        Ok(value)
    }

    /// A write that failed because the file could not be written (a full disk, an I/O error)
    /// says so in words, naming the file; other errors pass unchanged.
    fn not_saved(&self, err: Error) -> Error {
        let (Error::Database { source, .. }, Some(path)) = (&err, &self.path) else {
            return err;
        };
        let disk_full = match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => true,
            Some(rusqlite::ErrorCode::SystemIoFailure) => false,
            _ => return err,
        };
        Error::NotSaved {
            what: "The change",
            path: path.clone(),
            disk_full,
            detail: source.to_string(),
        }
    }

    /// Like [`Store::write`], but with `commit` false the transaction is rolled back whatever
    /// `f` did: a dry run that runs exactly the code of the real thing.
    pub(crate) fn write_or_rollback<T>(
        &self,
        commit: bool,
        f: impl FnOnce(&Transaction) -> Result<T>,
    ) -> Result<T> {
        if commit {
            return self.write(f);
        }
        let mut conn = lock(&self.writer);
        // A read-only file can still show what a change would do (an import's dry run).
        let behavior = match self.read_only {
            None => TransactionBehavior::Immediate,
            Some(_) => TransactionBehavior::Deferred,
        };
        let tx = conn
            .transaction_with_behavior(behavior)
            .map_err(Error::db("Could not start a change"))?;
        let value = f(&tx)?;
        tx.rollback()
            .map_err(Error::db("Could not undo the trial run"))?;
        Ok(value)
    }

    /// Runs `f` on the reader connection (the writer for in-memory stores), so that reads go on
    /// while a long write holds the writer.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = lock(self.reader.as_ref().unwrap_or(&self.writer));
        f(&conn)
    }

    /// A number that changes when another process (a second window, the CLI) commits to the
    /// file, but not for this store's own writes: SQLite's `data_version` as the writer sees
    /// it. The window asks now and then and refreshes its list on a change. (The background
    /// checkpoint after a bulk import, on a connection of its own, changes it too: one refresh
    /// more, in place.) `None` while this store is writing (an import holds the writer): ask
    /// again later.
    pub fn outside_version(&self) -> Option<i64> {
        let conn = match self.writer.try_lock() {
            Ok(conn) => conn,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return None,
        };
        conn.query_row("PRAGMA data_version", [], |r| r.get(0)).ok()
    }

    /// A number that changes whenever the data may have changed, here or in another process.
    fn generation(&self) -> Result<(u64, i64)> {
        let data_version =
            self.read(|c| Ok(c.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))?))?;
        Ok((self.writes.load(Ordering::SeqCst), data_version))
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave a half-done transaction behind (rusqlite
    // rolls back on drop), so a connection is still good to use; nor a half-made handle.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Current time as stored: ISO 8601 UTC with milliseconds.
pub(crate) const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
