//! The schema's history: the migrations in order (append-only SQL files; the version is how
//! many a file has had, in `PRAGMA user_version`), each applied in a transaction of its own, and
//! the steps Rust takes inside a migration where SQL cannot compute (search keys, identities).

use super::open::check_not_newer;
use super::APPLICATION_ID;
use crate::error::{Error, Result};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::Path;

/// Migrations in order; the schema version is how many of them a file has had applied.
pub(super) const MIGRATIONS: &[&str] = &[
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

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
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
pub(super) fn apply_migrations_to(conn: &mut Connection, found: i64, to: i64) -> Result<()> {
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
