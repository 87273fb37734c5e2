//! Reading a customer's history, newest first — also of a deleted one — as the History tab and
//! `clientbook history` show it: an import entry gets the customer as imported, and a password
//! hash never leaves the store.

use super::customers;
use super::history::customer_json;
use super::lookup::customer_ref;
use super::Store;
use crate::error::Result;
use crate::model::{Customer, HistoryEntry};
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

/// The fields an import entry shows: a customer's own (as [`customer_json`] has them), without
/// its Autotask mapping, which has entries of its own.
fn imported_json(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("autotask");
    }
    v
}

/// Gives an import entry of the customer `cref` written without its `after` the customer as
/// imported: the `before` of the first later edit of its fields, else the customer as its delete
/// entry kept it, else (it exists and was never edited) as it is now.
fn fill_imported(conn: &Connection, cref: i64, e: &mut HistoryEntry) -> Result<()> {
    if e.action != "import" || e.entity != "customer" || e.after.is_some() {
        return Ok(());
    }
    let next: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT action, before FROM history WHERE customer_ref = ?1 AND id > ?2 \
             AND entity = 'customer' AND action IN ('edit', 'delete') ORDER BY id LIMIT 1",
        )?
        .query_row((cref, e.id), |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let parsed = |text: &str| serde_json::from_str::<Value>(text).ok();
    let fields = match next {
        Some((action, Some(before))) if action == "edit" => parsed(&before),
        Some((_, Some(before))) => parsed(&before)
            .and_then(|snap| serde_json::from_value::<Customer>(snap["customer"].clone()).ok())
            .map(|c| customer_json(&c)),
        _ => conn
            .prepare_cached(&format!(
                "SELECT {} FROM customers c WHERE c.id = ?1",
                customers::COLUMNS
            ))?
            .query_row([cref], customers::from_row)
            .optional()?
            .map(|c| customer_json(&c)),
    };
    e.after = fields.map(imported_json);
    Ok(())
}

fn entry_from_row(r: &rusqlite::Row) -> rusqlite::Result<HistoryEntry> {
    let json = |i: usize| -> rusqlite::Result<Option<Value>> {
        Ok(r.get::<_, Option<String>>(i)?
            .and_then(|t| serde_json::from_str(&t).ok()))
    };
    Ok(HistoryEntry {
        id: r.get(0)?,
        entity: r.get(1)?,
        entity_id: r.get(2)?,
        action: r.get(3)?,
        before: json(4)?,
        after: json(5)?,
        at: r.get(6)?,
    })
}

/// A delete entry's `before` holds password hashes: they never leave the store.
fn scrub(mut e: HistoryEntry) -> HistoryEntry {
    for side in [&mut e.before, &mut e.after].into_iter().flatten() {
        if let Some(users) = side.get_mut("users").and_then(Value::as_array_mut) {
            for u in users {
                if let Some(o) = u.as_object_mut() {
                    let had = o.remove("password_hash").is_some_and(|h| h != "");
                    o.insert("has_password".into(), Value::Bool(had));
                }
            }
        }
        if let Some(o) = side.as_object_mut() {
            o.remove("password_hash");
        }
    }
    e
}

impl Store {
    /// A customer's history, newest first: at most `limit` entries older than `before` (an
    /// entry id; None = from the newest).
    pub fn history(
        &self,
        customer_id: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<HistoryEntry>> {
        self.read(|c| {
            let cref = customer_ref(c, customer_id)?;
            let mut stmt = c.prepare_cached(
                "SELECT id, entity, entity_id, action, before, after, at FROM history \
                 WHERE customer_ref = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
            )?;
            let rows = stmt.query_map((cref, before.unwrap_or(i64::MAX), limit), entry_from_row)?;
            let mut entries: Vec<HistoryEntry> = rows.collect::<rusqlite::Result<_>>()?;
            for e in &mut entries {
                fill_imported(c, cref, e)?;
            }
            Ok(entries.into_iter().map(scrub).collect())
        })
    }

    /// The history of a deleted customer (its delete entry is `entry`), newest first.
    pub fn deleted_history(&self, entry: i64) -> Result<Vec<HistoryEntry>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, entity, entity_id, action, before, after, at FROM history \
                 WHERE customer_ref = ?1 ORDER BY id DESC",
            )?;
            let rows = stmt.query_map([-entry], entry_from_row)?;
            let mut entries: Vec<HistoryEntry> = rows.collect::<rusqlite::Result<_>>()?;
            for e in &mut entries {
                fill_imported(c, -entry, e)?;
            }
            Ok(entries.into_iter().map(scrub).collect())
        })
    }
}
