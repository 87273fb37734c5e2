//! The store: the only place that speaks SQL. [`Store`] owns one writer connection and one
//! reader connection (WAL), runs the migrations and hands out transactions.

mod autotask;
mod bulk;
mod checkpoint;
mod copy;
mod customers;
mod file;
mod history;
pub mod import;
mod schema;
mod search;
mod services;
mod users;
mod view;

pub use autotask::PullReport;
pub use copy::{CopyOptions, COPY_NOTE};
pub use customers::StoredCustomer;
pub use file::{backup, check, CheckReport};
pub use import::UndoneImport;
pub use search::SearchQuery;
pub use users::{Administrator, TemplateGroup};
pub use view::{ActiveFilter, ListQuery, SortKey, Window};

use crate::error::{Error, Result};
use crate::files;
use rusqlite::{Connection, InterruptHandle, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// Migrations in order; the schema version is how many of them a file has had applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_autotask.sql"),
    include_str!("migrations/003_people.sql"),
    include_str!("migrations/004_search_keys.sql"),
    include_str!("migrations/005_faster_writes.sql"),
    include_str!("migrations/006_identity.sql"),
];

/// Where a migration's SQL stops for Rust to fill in what SQL cannot compute: a comment line
/// starting with the marker, and the step run there.
type RustStep = fn(&Transaction) -> rusqlite::Result<()>;
const RUST_STEPS: &[(&str, RustStep)] = &[("-- rekey:", rekey), ("-- identity:", identify)];

/// Marks the identity of a row that clashes with an earlier one in a file made before
/// identities were compared in every script (006_identity.sql): `identity`, this, the row id.
pub(crate) const CLASH_MARK: char = '\u{1}';

/// Written into every Clientbook file (`PRAGMA application_id`) so that other SQLite databases
/// are recognised and left alone. "CBk1" in ASCII.
const APPLICATION_ID: i64 = 0x4342_6B31;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

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
        migrate(&mut writer, &path)?;
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
    fn assemble(
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
        migrate(&mut conn, &path)?;
        Ok(Store::assemble(None, conn, None, None, None))
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
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

/// How long a connection waits for another one that holds the lock it needs.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

fn configure(conn: &Connection, writer: bool) -> Result<()> {
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
fn check_is_clientbook(conn: &Connection, path: &Path) -> Result<()> {
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

fn check_not_newer(conn: &Connection, path: &Path) -> Result<i64> {
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

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found = check_not_newer(conn, path)?;
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // SQLite's procedure for rebuilding a table (005): foreign keys off outside the transaction,
    // so that dropping the old table cascades nowhere, and checked before each commit.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = apply_migrations_to(conn, found, SCHEMA_VERSION);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    result
}

/// Applies the migrations after version `found` up to version `to`, each in a transaction.
fn apply_migrations_to(conn: &mut Connection, found: i64, to: i64) -> Result<()> {
    let steps = MIGRATIONS.iter().enumerate().take(to as usize);
    for (index, sql) in steps.skip(found as usize) {
        let version = index as i64 + 1;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(Error::db("Could not start the database upgrade"))?;
        let failed = || {
            Error::db(format!(
                "Could not upgrade the database to version {version}"
            ))
        };
        let dangling_before = dangling(&tx).map_err(failed())?;
        let step = RUST_STEPS
            .iter()
            .find_map(|(marker, step)| Some((sql.split_once(marker)?, step)));
        match step {
            Some(((before, marker_line), step)) => {
                // The marker's line is a comment; the SQL after it runs after the step.
                let after = marker_line.split_once('\n').map_or("", |(_, rest)| rest);
                tx.execute_batch(before).map_err(failed())?;
                step(&tx).map_err(failed())?;
                tx.execute_batch(after).map_err(failed())?;
            }
            None => tx.execute_batch(sql).map_err(failed())?,
        }
        // Only references the step itself broke refuse it: a file that already had some
        // (edited with another tool, foreign keys off) still upgrades and opens as before.
        let broken = dangling(&tx).map_err(failed())?;
        if broken > dangling_before {
            return Err(Error::Refused(format!(
                "Could not upgrade the database to version {version}: {} rows would point at rows that are not there; the file was left as it was.",
                broken - dangling_before
            )));
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()
            .map_err(Error::db("Could not save the database upgrade"))?;
    }
    Ok(())
}

/// Why the file's tables, columns, indexes or triggers are not what this Clientbook made at
/// its schema `version` ("its structure is damaged (…)"), or `None` when they are.
fn structure_damage(conn: &Connection, version: i64) -> Option<String> {
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

/// How many rows point at a row that is not there (`PRAGMA foreign_key_check`).
fn dangling(tx: &Transaction) -> rusqlite::Result<i64> {
    tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })
}

/// Recomputes every customer's search keys (`id_key`, `name_key`, `city_key`) with
/// [`search_key`](crate::model::text::search_key); part of an upgrade's transaction.
fn rekey(tx: &Transaction) -> rusqlite::Result<()> {
    use crate::model::text::search_key;
    let mut read = tx.prepare("SELECT id, customer_id, name, city FROM customers")?;
    let mut write =
        tx.prepare("UPDATE customers SET id_key = ?2, name_key = ?3, city_key = ?4 WHERE id = ?1")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let (id, customer_id, name, city): (i64, String, String, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        write.execute(rusqlite::params![
            id,
            search_key(&customer_id),
            search_key(&name),
            search_key(&city)
        ])?;
    }
    Ok(())
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

/// Fills in the identity form ([`identity`](crate::model::text::identity)) of every customer
/// ID and username; part of an upgrade's transaction. A value whose identity an earlier row
/// has already keeps its own, marked ([`CLASH_MARK`]): both rows stay.
fn identify(tx: &Transaction) -> rusqlite::Result<()> {
    use crate::model::text::identity;
    for (table, column, fold) in [
        ("customers", "customer_id", "id_fold"),
        ("users", "username", "username_fold"),
    ] {
        let mut read = tx.prepare(&format!("SELECT id, {column} FROM {table} ORDER BY id"))?;
        let mut write = tx.prepare(&format!("UPDATE {table} SET {fold} = ?2 WHERE id = ?1"))?;
        let mut seen = std::collections::HashSet::new();
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let (id, value): (i64, String) = (row.get(0)?, row.get(1)?);
            let mut key = identity(&value);
            if !seen.insert(key.clone()) {
                key = format!("{key}{CLASH_MARK}{id}");
            }
            write.execute(rusqlite::params![id, key])?;
        }
    }
    Ok(())
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

/// Current time as stored: ISO 8601 UTC with milliseconds.
pub(crate) const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
