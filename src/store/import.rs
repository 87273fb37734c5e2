//! What the CSV importer needs from the database: lookups, inserts and updates inside one
//! transaction — all of an import is committed or none of it — and a bulk mode for large files.
//!
//! **Bulk mode.** Keeping three sort indexes and the FTS5 index current row by row costs about
//! three times what building them once costs. For a large import the transaction therefore drops
//! the sort indexes and the search triggers, inserts, then recreates them from their own stored
//! SQL (so the schema stays exactly as the migrations made it) and rebuilds the search index.
//! SQLite's DDL is transactional: a cancel, crash or full disk at any point rolls all of it back.

use super::{customers, history, lock, Store};
use crate::error::{Error, Result};
use crate::model::{
    text::{identity, SearchKeys},
    Customer, Mapping, ValidCustomer,
};
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bulk mode is for imports of at least this many rows (estimated), when the table holds at
/// most twice as many.
const BULK_ROWS: u64 = 5_000;

/// SQLite's default: the writer checkpoints after a commit leaves the log this many pages long
/// (a bulk import reads the connection's own setting and restores that).
const WAL_AUTOCHECKPOINT: i64 = 1000;

/// Indexes and triggers that bulk mode drops and recreates: the sort indexes, the search
/// triggers, and the identity's unique index with its guard — the planner checks every identity
/// against those stored and those of earlier rows, so the index is built once at the end (where
/// a clash would still refuse the whole import), not a row at a time.
const REBUILT: &[&str] = &[
    "customers_by_identity",
    "customers_identity_insert",
    "customers_by_name",
    "customers_by_city",
    "customers_by_country",
    "customers_fts_insert",
    "customers_fts_delete",
    "customers_fts_update",
];

/// The database as one import sees it. For a dry run it reads only, and every write is a no-op.
pub struct ImportTx<'c> {
    conn: &'c Connection,
    write: bool,
    /// In bulk mode: the SQL to recreate what was dropped.
    dropped: Option<Vec<String>>,
    /// In bulk mode: every customer ID (ASCII-lowercased) the table held when the import began,
    /// so that the IDs new to it, nearly all of a big file's, need no lookup.
    existing: Option<HashSet<String>>,
    /// The import's one timestamp: every customer it adds is created at it.
    at: String,
}

impl ImportTx<'_> {
    /// The customer with this ID (without regard to case), if any. In bulk mode an ID the table
    /// did not hold when the import began is answered without a lookup: the caller (the
    /// importer's planner) asks only about IDs that no earlier row of the file has claimed, and
    /// every ID this import writes is claimed by its row first.
    pub fn find(&self, customer_id: &str) -> Result<Option<Customer>> {
        self.find_folded(customer_id, &identity(customer_id))
    }

    /// [`ImportTx::find`] with the ID's identity form made already (by the reading thread).
    pub fn find_folded(&self, customer_id: &str, folded: &str) -> Result<Option<Customer>> {
        if let Some(existing) = &self.existing {
            if !existing.contains(folded) {
                return Ok(None);
            }
        }
        customers::find(self.conn, customer_id)
    }

    /// The MSP's own company.
    pub fn own(&self) -> Result<Customer> {
        Ok(self.conn.query_row(
            &format!(
                "SELECT {} FROM customers c WHERE c.is_own = 1",
                customers::COLUMNS
            ),
            [],
            customers::from_row,
        )?)
    }

    /// How many customers there are (before this import's own inserts, in a dry run).
    pub fn count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
    }

    /// Adds a customer with its search keys, with its Autotask mapping if it has one, created
    /// and updated when the file says (stored-form timestamps) or else at the import's time.
    pub fn insert(
        &mut self,
        customer_id: &str,
        (c, keys): (&ValidCustomer, &SearchKeys),
        mapping: Option<&Mapping>,
        created: Option<&str>,
        updated: Option<&str>,
    ) -> Result<()> {
        if !self.write {
            return Ok(());
        }
        let stamps = self.stamps(created, updated);
        customers::insert(self.conn, customer_id, c, false, stamps, mapping, keys)
    }

    /// Sets when `customer_id` was created and last updated, as [`ImportTx::insert`] would.
    pub fn set_stamps(
        &mut self,
        customer_id: &str,
        created: Option<&str>,
        updated: Option<&str>,
    ) -> Result<()> {
        if !self.write || (created, updated) == (None, None) {
            return Ok(());
        }
        let stamps = self.stamps(created, updated);
        self.conn
            .prepare_cached(concat!(
                "UPDATE customers SET created_at = ?2, updated_at = ?3 WHERE ",
                super::lookup::by_customer_id!("?1")
            ))?
            .execute([customer_id, stamps.created, stamps.updated])?;
        Ok(())
    }

    /// Created: the file's, or now. Updated: the file's, or when created — and never before
    /// it (an Updated without a Created can be earlier than the import).
    fn stamps<'a>(
        &'a self,
        created: Option<&'a str>,
        updated: Option<&'a str>,
    ) -> customers::Stamps<'a> {
        let created = created.unwrap_or(&self.at);
        customers::Stamps {
            created,
            updated: updated.filter(|u| *u >= created).unwrap_or(created),
        }
    }

    /// Overwrites the customer `current_id` with `c` (whose ID is `new_id`) and, when the file
    /// has mapping columns (`mapping` is `Some`), its Autotask mapping (`Some(None)`: not
    /// mapped), with one history entry for both. The customer as it was is kept for Undo.
    pub fn update(
        &mut self,
        current_id: &str,
        new_id: &str,
        c: &ValidCustomer,
        mapping: Option<Option<&Mapping>>,
    ) -> Result<()> {
        if !self.write {
            return Ok(());
        }
        let before = customers::get(self.conn, current_id)?;
        self.conn
            .prepare_cached(concat!(
                "INSERT INTO temp.import_before SELECT * FROM main.customers WHERE ",
                super::lookup::by_customer_id!("?1"),
                " AND id NOT IN (SELECT id FROM temp.import_before)"
            ))?
            .execute([current_id])?;
        customers::replace(self.conn, current_id, new_id, c)?;
        match mapping {
            Some(Some(m)) => super::customers::mapping::set_mapping(self.conn, new_id, m)?,
            Some(None) => super::customers::mapping::clear_mapping(self.conn, new_id)?,
            None => {}
        }
        let after = customers::get(self.conn, new_id)?;
        history::record_customer_edit(self.conn, &before, &after)
    }

    /// Bulk mode: drops the sort indexes and search triggers until [`ImportTx::finish`].
    fn begin_bulk(&mut self) -> Result<()> {
        self.dropped = Some(drop_rebuilt(self.conn)?);
        let mut stmt = self.conn.prepare("SELECT id_fold FROM customers")?;
        let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
        self.existing = Some(ids.collect::<rusqlite::Result<_>>()?);
        Ok(())
    }

    /// Leaves bulk mode: recreates what was dropped and rebuilds the search index.
    fn finish(&mut self) -> Result<()> {
        match self.dropped.take() {
            Some(sql) => recreate(self.conn, sql),
            None => Ok(()),
        }
    }
}

/// Drops the sort indexes and search triggers ([`REBUILT`]) and returns the SQL that made them.
fn drop_rebuilt(conn: &Connection) -> Result<Vec<String>> {
    let mut sql = Vec::new();
    for name in REBUILT {
        let (kind, text): (String, String) = conn.query_row(
            "SELECT type, sql FROM sqlite_master WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        conn.execute_batch(&format!("DROP {} {name}", kind.to_uppercase()))?;
        sql.push(text);
    }
    Ok(sql)
}

/// Recreates what [`drop_rebuilt`] dropped and rebuilds the search index.
fn recreate(conn: &Connection, sql: Vec<String>) -> Result<()> {
    for statement in sql {
        conn.execute_batch(&statement)?;
    }
    conn.execute_batch("INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')")?;
    Ok(())
}

/// The largest customer and history ids: an import's rows and entries are those above the ids
/// before it, and anything written after it moves the ids after it.
fn last_ids(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT coalesce(max(id), 0) FROM customers), \
                (SELECT coalesce(max(id), 0) FROM history)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// What an import wrote, kept by the store so that its Undo takes back exactly that: the
/// customers it added have ids above `before.0`, its history entries ids above `before.1`, and
/// the customers it changed are, as they were, in the writer's temporary table
/// `import_before` (which lives as long as the store, like the Undo offer).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImportMark {
    token: u64,
    before: (i64, i64),
    after: (i64, i64),
}

/// Numbers the imports whose Undo is offered, so an old offer never undoes a newer import.
static IMPORT_TOKENS: AtomicU64 = AtomicU64::new(1);

/// What an Undo of an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UndoneImport {
    /// Customers the import had added, now gone again.
    pub removed: u64,
    /// Customers the import had changed, now as they were before it.
    pub restored: u64,
}

impl Store {
    /// Runs one import. With `write` it runs in one immediate transaction on the writer, which
    /// `f` returning an error (a cancel, `--strict` with row errors, a full disk) rolls back
    /// whole; without, on the reader, writing nothing (a dry run or preview). `expected_rows`
    /// (an estimate) chooses bulk mode when the import is large next to the table. With the
    /// value comes the token of the import's Undo ([`Store::undo_import`]) when it wrote
    /// something.
    pub fn import_with<T>(
        &self,
        write: bool,
        expected_rows: u64,
        f: impl FnOnce(&mut ImportTx) -> Result<T>,
    ) -> Result<(T, Option<u64>)> {
        if !write {
            let run = |conn: &Connection| {
                f(&mut ImportTx {
                    conn,
                    write: false,
                    dropped: None,
                    existing: None,
                    at: String::new(),
                })
            };
            // A preview of a big file takes seconds: it reads on a connection of its own so
            // the list (on the shared reader) keeps scrolling and searching meanwhile.
            return match self.path() {
                Some(path) => {
                    let conn = super::reading_connection(path)?;
                    run(&conn)
                }
                None => self.read(run),
            }
            .map(|value| (value, None));
        }
        let large = expected_rows >= BULK_ROWS;
        let mut undo = None;
        let value = self
            .write_large(large, |tx| {
                let mut import = ImportTx {
                    conn: tx,
                    write: true,
                    dropped: None,
                    existing: None,
                    at: customers::now(tx)?,
                };
                let bulk = large && expected_rows.saturating_mul(2) >= import.count()?;
                if bulk {
                    import.begin_bulk()?;
                }
                tx.execute_batch(
                    "CREATE TEMP TABLE IF NOT EXISTS import_before AS \
                     SELECT * FROM main.customers WHERE 0; \
                     DELETE FROM temp.import_before;",
                )?;
                let before = last_ids(tx)?;
                let value = f(&mut import)?;
                import.finish()?;
                // Every inserted row (ids above the old maximum) gets the template's groups and its
                // history entry, set-based: one statement each, whatever the size.
                tx.execute(
                    "INSERT INTO groups (customer_ref, name, permissions) \
                     SELECT c.id, t.name, t.permissions FROM customers c, template_groups t \
                     WHERE c.id > ?1 ORDER BY c.id, t.id",
                    [before.0],
                )?;
                history::record_imported(tx, before.0)?;
                let after = last_ids(tx)?;
                let changed: i64 =
                    tx.query_row("SELECT count(*) FROM temp.import_before", [], |r| r.get(0))?;
                if after.0 > before.0 || changed > 0 {
                    undo = Some(ImportMark {
                        token: IMPORT_TOKENS.fetch_add(1, Ordering::Relaxed),
                        before,
                        after,
                    });
                }
                Ok((value, bulk))
            })
            .map_err(|mut e| {
                match &mut e {
                    Error::Database { context, .. } => {
                        *context =
                            format!("The import was not saved ({context}); nothing was changed");
                    }
                    Error::NotSaved { what, .. } => *what = "The import",
                    _ => {}
                }
                e
            })?;
        // The offer of the import before (if any) ends here: its changes are no longer the
        // last ones. An import that wrote nothing leaves nothing to undo.
        *lock(&self.last_import) = undo;
        Ok((value, undo.map(|m| m.token)))
    }

    /// Takes back the last import through this store (`token` is the one its report carried),
    /// if nothing has been written since: removes the customers it added, with their groups and
    /// history entries, and puts those it changed back exactly as they were — in one
    /// transaction, like the import itself.
    pub fn undo_import(&self, token: u64) -> Result<UndoneImport> {
        let mark = lock(&self.last_import)
            .filter(|m| m.token == token)
            .ok_or_else(|| {
                Error::Refused(
                    "That import can no longer be undone: it was undone already, or another \
                     import came after it."
                        .into(),
                )
            })?;
        let added = u64::try_from(mark.after.0 - mark.before.0).unwrap_or(0);
        let large = added >= BULK_ROWS;
        let done = self.write_large(large, |tx| {
            if last_ids(tx)? != mark.after {
                return Err(Error::Refused(
                    "The import can no longer be undone: customers have been added, changed or \
                     deleted since."
                        .into(),
                ));
            }
            // Taking back most of the table: as an import of as many rows would, drop the sort
            // indexes and search triggers and build them again for what is left.
            let count: u64 = tx.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
            let bulk = large && added.saturating_mul(2) >= count;
            let dropped = if bulk { Some(drop_rebuilt(tx)?) } else { None };
            let removed = tx.execute("DELETE FROM customers WHERE id > ?1", [mark.before.0])?;
            let restored = tx.execute(&restore_sql(tx)?, [])?;
            tx.execute("DELETE FROM history WHERE id > ?1", [mark.before.1])?;
            tx.execute("DELETE FROM temp.import_before", [])?;
            if let Some(sql) = dropped {
                recreate(tx, sql)?;
            }
            let done = UndoneImport {
                removed: removed as u64,
                restored: restored as u64,
            };
            Ok((done, bulk))
        })?;
        *lock(&self.last_import) = None;
        Ok(done)
    }

    /// A write that may be large (`large`: thousands of rows). Its commit then syncs the log
    /// to disk, and when `f` says it worked in bulk (its second value), the commit skips the
    /// checkpoint, which runs in the background afterwards (see `checkpoint.rs`).
    fn write_large<T>(
        &self,
        large: bool,
        f: impl FnOnce(&Transaction) -> Result<(T, bool)>,
    ) -> Result<T> {
        // SQLite allows this setting only outside a transaction: the checkpoint the commit no
        // longer runs was what made it safe from a power loss when it returned.
        if large {
            lock(&self.writer)
                .pragma_update(None, "synchronous", "FULL")
                .map_err(Error::db("Could not prepare the change"))?;
        }
        let mut bulk = false;
        let mut autocheckpoint = WAL_AUTOCHECKPOINT;
        let value = self.write(|tx| {
            let (value, in_bulk) = f(tx)?;
            if in_bulk {
                bulk = true;
                autocheckpoint = tx.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
                tx.pragma_update(None, "wal_autocheckpoint", 0)?;
            }
            Ok(value)
        });
        if large {
            self.after_large(bulk && value.is_ok(), autocheckpoint);
        }
        value
    }

    /// After a large write: the writer checkpoints on commit (every `autocheckpoint` pages)
    /// and syncs as usual again, and a committed bulk import's log is copied into the file in
    /// the background.
    fn after_large(&self, committed_bulk: bool, autocheckpoint: i64) {
        let conn = lock(&self.writer);
        let restored = conn
            .pragma_update(None, "wal_autocheckpoint", autocheckpoint)
            .and_then(|()| conn.pragma_update(None, "synchronous", "NORMAL"));
        drop(conn);
        if let Err(e) = restored {
            log::warn!("could not restore the writer's checkpoint and sync settings: {e}");
        }
        if let (true, Some(path)) = (committed_bulk, &self.path) {
            self.checkpoint.start(path.clone());
        }
    }

    /// Waits until the log of the last large import is copied into the file (it is, in the
    /// background, after the import returns). Nothing needs this for correctness: readers find
    /// the import's rows in the log meanwhile. The benchmark and tests use it.
    pub fn wait_for_checkpoint(&self) {
        self.checkpoint.wait();
    }

    /// Stops the statement running on the writer (a long import's index build); its
    /// transaction then rolls back. Harmless when nothing runs.
    pub fn interrupt_write(&self) {
        self.write_interrupt.interrupt();
    }
}

/// Sets every column of each customer the last import changed (but its id) back to the copy
/// `temp.import_before` holds.
fn restore_sql(conn: &Connection) -> Result<String> {
    let mut stmt =
        conn.prepare("SELECT name FROM pragma_table_info('customers') WHERE name <> 'id'")?;
    let columns = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let kept: Vec<String> = columns.iter().map(|c| format!("b.{c}")).collect();
    Ok(format!(
        "UPDATE main.customers SET ({}) = ({}) FROM temp.import_before AS b \
         WHERE customers.id = b.id",
        columns.join(", "),
        kept.join(", ")
    ))
}

/// A pragma of the writer connection (and, with `set`, set it first), for tests of what an
/// import leaves behind (`max_page_count` stands in for a full disk; `synchronous`,
/// `wal_autocheckpoint` must be as before).
#[doc(hidden)]
pub fn writer_pragma(store: &Store, name: &str, set: Option<i64>) -> Result<i64> {
    let conn = lock(&store.writer);
    if let Some(value) = set {
        conn.pragma_update(None, name, value)?;
    }
    Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
}

/// The schema SQL of every index and trigger, for tests that check bulk mode restores it.
#[doc(hidden)]
pub fn schema_of(store: &Store) -> Result<Vec<(String, String)>> {
    let conn = lock(&store.writer);
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('index', 'trigger') ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
