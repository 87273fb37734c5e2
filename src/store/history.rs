//! The history recorder, the one service every part of the store shares: one entry per create,
//! edit, delete, restore, import, copy and mapping change (and per change inside the customer:
//! users, groups, services, jobs), written in the transaction of the change itself, so a change
//! that fails leaves no entry. Entries point at `customers.id` (see `deletion.rs` for where they
//! go when a customer is deleted); `timeline.rs` reads them.

use super::lookup::customer_ref;
use super::NOW;
use crate::error::Result;
use crate::model::Customer;
use rusqlite::{named_params, Connection};
use serde_json::{json, Value};

/// Writes one entry; `before`/`after` are the JSON of the thing (None: it did not exist).
pub(crate) fn record(
    conn: &Connection,
    customer: i64,
    entity: &str,
    entity_id: &str,
    action: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO history (customer_ref, entity, entity_id, action, before, after, at) \
         VALUES (:c, :entity, :entity_id, :action, :before, :after, {NOW})"
    ))?
    .execute(named_params! {
        ":c": customer,
        ":entity": entity,
        ":entity_id": entity_id,
        ":action": action,
        ":before": before.map(Value::to_string),
        ":after": after.map(Value::to_string),
    })?;
    Ok(conn.last_insert_rowid())
}

/// One thing of one customer's (a group, a job, the customer itself…) whose creation, edit or
/// deletion is to be recorded: `Entry::new(cref, "group", &name).created(tx, &json!(group))`.
pub(crate) struct Entry<'a> {
    customer: i64,
    entity: &'a str,
    entity_id: &'a str,
}

impl<'a> Entry<'a> {
    pub(crate) fn new(customer: i64, entity: &'a str, entity_id: &'a str) -> Self {
        Entry {
            customer,
            entity,
            entity_id,
        }
    }

    fn write(
        &self,
        conn: &Connection,
        action: &str,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> Result<i64> {
        record(
            conn,
            self.customer,
            self.entity,
            self.entity_id,
            action,
            before,
            after,
        )
    }

    pub(crate) fn created(&self, conn: &Connection, after: &Value) -> Result<i64> {
        self.write(conn, "create", None, Some(after))
    }

    pub(crate) fn edited(&self, conn: &Connection, before: &Value, after: &Value) -> Result<i64> {
        self.write(conn, "edit", Some(before), Some(after))
    }

    pub(crate) fn deleted(&self, conn: &Connection, before: &Value) -> Result<i64> {
        self.write(conn, "delete", Some(before), None)
    }

    pub(crate) fn restored(&self, conn: &Connection, after: &Value) -> Result<i64> {
        self.write(conn, "restore", None, Some(after))
    }
}

/// A customer's fields as history shows them (the list-only `jobs` count left out).
pub(crate) fn customer_json(c: &Customer) -> Value {
    json!({
        "customer_id": c.customer_id, "name": c.name, "street": c.street, "zip": c.zip,
        "city": c.city, "country": c.country, "url": c.url, "comment": c.comment,
        "validity": c.validity.as_str(),
        "autotask": c.autotask,
    })
}

/// Records a change of a customer's own fields when something changed.
pub(crate) fn record_customer_edit(
    conn: &Connection,
    before: &Customer,
    after: &Customer,
) -> Result<()> {
    let (b, a) = (customer_json(before), customer_json(after));
    if b != a {
        let cref = customer_ref(conn, &after.customer_id)?;
        Entry::new(cref, "customer", &after.customer_id).edited(conn, &b, &a)?;
    }
    Ok(())
}

/// For an import: one `import` entry per customer the import inserted (every row above
/// `after_id`), set-based so that a million rows cost one statement.
///
/// The entry leaves `after` empty: a copy of every imported customer made a big import's file a
/// third bigger and its commit a second slower, and it is never needed — the customer as
/// imported is what the next change of its fields found, or the customer as it is now (see
/// [`fill_imported`]). Entries written before this still hold their copy, which is used as is.
pub(crate) fn record_imported(conn: &Connection, after_id: i64) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO history (customer_ref, entity, entity_id, action, at) \
             SELECT id, 'customer', customer_id, 'import', {NOW} \
             FROM customers WHERE id > ?1 ORDER BY id"
        ),
        [after_id],
    )?;
    Ok(())
}
