//! The history of every customer: one entry per create, edit, delete, restore, import, copy and
//! mapping change (and per change inside the customer: users, groups, services, jobs), written
//! in the transaction of the change itself, so a change that fails leaves no entry.
//!
//! Entries point at `customers.id`. Deleting a customer moves its entries to the negative id of
//! its delete entry — a customer created later can never inherit them — and the delete entry's
//! `before` holds the whole customer (users with their password hashes, groups, services, jobs),
//! from which Settings ▸ Deleted customers (or Undo) restores it and moves the entries back.

use super::{customers, Store, NOW};
use crate::error::{Error, Result};
use crate::model::{Customer, DeletedCustomer, HistoryEntry};
use rusqlite::{named_params, Connection, OptionalExtension};
use serde_json::{json, Value};

/// The row id of the customer `customer_id` (without regard to case: its identity form).
pub(crate) fn customer_ref(conn: &Connection, customer_id: &str) -> Result<i64> {
    conn.prepare_cached(concat!(
        "SELECT id FROM customers WHERE ",
        customers::by_customer_id!("?1")
    ))?
    .query_row([customer_id], |r| r.get(0))
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("There is no customer with the ID '{customer_id}'.")))
}

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
        record(
            conn,
            cref,
            "customer",
            &after.customer_id,
            "edit",
            Some(&b),
            Some(&a),
        )?;
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

/// Everything of one customer, for its delete entry: enough to restore it whole.
pub(crate) fn snapshot(conn: &Connection, cref: i64, customer: &Customer) -> Result<Value> {
    let rows =
        |sql: &str, f: fn(&rusqlite::Row) -> rusqlite::Result<Value>| -> Result<Vec<Value>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([cref], f)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
    let groups = rows(
        "SELECT name, permissions FROM groups WHERE customer_ref = ?1 ORDER BY id",
        |r| Ok(json!({"name": r.get::<_, String>(0)?, "permissions": r.get::<_, String>(1)?})),
    )?;
    let users = rows(
        "SELECT u.username, u.email, u.display_name, u.mobile, u.password_hash, u.active, \
         u.created_at, u.updated_at, \
         (SELECT json_group_array(g.name) FROM user_groups ug JOIN groups g ON g.id = ug.group_id \
          WHERE ug.user_id = u.id) \
         FROM users u WHERE u.customer_ref = ?1 ORDER BY u.id",
        |r| {
            Ok(json!({
                "username": r.get::<_, String>(0)?, "email": r.get::<_, String>(1)?,
                "display_name": r.get::<_, String>(2)?, "mobile": r.get::<_, String>(3)?,
                "password_hash": r.get::<_, String>(4)?, "active": r.get::<_, bool>(5)?,
                "created_at": r.get::<_, String>(6)?, "updated_at": r.get::<_, String>(7)?,
                "groups": serde_json::from_str::<Value>(&r.get::<_, String>(8)?).unwrap_or(Value::Null),
            }))
        },
    )?;
    let services = rows(
        "SELECT s.name, p.name FROM customer_services cs JOIN services s ON s.id = cs.service_id \
         JOIN plans p ON p.id = cs.plan_id WHERE cs.customer_ref = ?1 ORDER BY s.name",
        |r| Ok(json!({"service": r.get::<_, String>(0)?, "plan": r.get::<_, String>(1)?})),
    )?;
    let jobs = rows(
        "SELECT j.name, s.name, j.schedule, j.active, j.created_at FROM jobs j \
         JOIN services s ON s.id = j.service_id WHERE j.customer_ref = ?1 ORDER BY j.id",
        |r| {
            Ok(json!({
                "name": r.get::<_, String>(0)?, "service": r.get::<_, String>(1)?,
                "schedule": r.get::<_, String>(2)?, "active": r.get::<_, bool>(3)?,
                "created_at": r.get::<_, String>(4)?,
            }))
        },
    )?;
    Ok(json!({
        "customer": serde_json::to_value(customer).map_err(|e| Error::Refused(e.to_string()))?,
        "users": users, "groups": groups, "services": services, "jobs": jobs,
    }))
}

/// Puts a snapshot's users, groups, services and jobs back under the customer `cref`.
fn restore_children(conn: &Connection, cref: i64, snap: &Value) -> Result<()> {
    let s = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let list = |k: &str| {
        snap.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for g in list("groups") {
        conn.execute(
            "INSERT INTO groups (customer_ref, name, permissions) VALUES (?1, ?2, ?3)",
            (cref, s(&g, "name"), s(&g, "permissions")),
        )?;
    }
    for sv in list("services") {
        conn.execute(
            "INSERT INTO customer_services (customer_ref, service_id, plan_id) \
             SELECT ?1, sv.id, p.id FROM services sv JOIN plans p ON p.service_id = sv.id \
             WHERE cb_fold(sv.name) = cb_fold(?2) AND cb_fold(p.name) = cb_fold(?3)",
            (cref, s(&sv, "service"), s(&sv, "plan")),
        )?;
    }
    for j in list("jobs") {
        conn.execute(
            "INSERT INTO jobs (customer_ref, name, service_id, schedule, active, created_at) \
             SELECT ?1, ?2, id, ?4, ?5, ?6 FROM services WHERE cb_fold(name) = cb_fold(?3)",
            (
                cref,
                s(&j, "name"),
                s(&j, "service"),
                s(&j, "schedule"),
                j.get("active").and_then(Value::as_bool).unwrap_or(true),
                s(&j, "created_at"),
            ),
        )?;
    }
    for u in list("users") {
        let username = s(&u, "username");
        if let Some(holder) = super::users::username_holder(conn, &username)? {
            return Err(Error::Conflict {
                field: Some("username"),
                message: format!(
                    "The user '{username}' cannot come back: that username now belongs to a user of {holder}. Rename or delete that user first."
                ),
            });
        }
        conn.execute(
            "INSERT INTO users (customer_ref, username, username_fold, email, display_name, mobile, \
             password_hash, active, created_at, updated_at) \
             VALUES (?1, ?2, cb_fold(?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            (
                cref,
                &username,
                s(&u, "email"),
                s(&u, "display_name"),
                s(&u, "mobile"),
                s(&u, "password_hash"),
                u.get("active").and_then(Value::as_bool).unwrap_or(true),
                s(&u, "created_at"),
                s(&u, "updated_at"),
            ),
        )?;
        let user_id = conn.last_insert_rowid();
        for g in u
            .get("groups")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            conn.execute(
                "INSERT INTO user_groups (user_id, group_id) \
                 SELECT ?1, id FROM groups WHERE customer_ref = ?2 AND cb_fold(name) = cb_fold(?3)",
                (user_id, cref, g.as_str().unwrap_or_default()),
            )?;
        }
    }
    Ok(())
}

/// Restores the customer deleted by history entry `entry`, in the current transaction.
pub(crate) fn restore_deleted(conn: &Connection, entry: i64) -> Result<Customer> {
    let before: Option<String> = conn
        .query_row(
            "SELECT before FROM history WHERE id = ?1 AND action = 'delete' AND customer_ref = -?1",
            [entry],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(before) = before else {
        return Err(Error::NotFound(
            "That deleted customer is no longer in the history (already restored?).".into(),
        ));
    };
    let snap: Value = serde_json::from_str(&before)
        .map_err(|e| Error::Refused(format!("The deleted customer's record is damaged: {e}")))?;
    let customer: Customer = serde_json::from_value(snap["customer"].clone())
        .map_err(|e| Error::Refused(format!("The deleted customer's record is damaged: {e}")))?;
    customers::put_back(conn, &customer)?;
    let cref = customer_ref(conn, &customer.customer_id)?;
    restore_children(conn, cref, &snap)?;
    conn.execute(
        "UPDATE history SET customer_ref = ?1 WHERE customer_ref = ?2",
        (cref, -entry),
    )?;
    let restored = customers::get(conn, &customer.customer_id)?;
    record(
        conn,
        cref,
        "customer",
        &restored.customer_id,
        "restore",
        None,
        Some(&customer_json(&restored)),
    )?;
    Ok(restored)
}

/// The latest still-deleted entry of a customer with this ID, if any.
pub(crate) fn deleted_entry_of(conn: &Connection, customer_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM history WHERE action = 'delete' AND customer_ref = -id \
             AND entity_id = ?1 COLLATE NOCASE ORDER BY id DESC LIMIT 1",
            [customer_id],
            |r| r.get(0),
        )
        .optional()?)
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

    /// Customers deleted and not restored, newest first.
    pub fn deleted_customers(&self) -> Result<Vec<DeletedCustomer>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, entity_id, json_extract(before, '$.customer.name'), at FROM history \
                 WHERE action = 'delete' AND customer_ref = -id ORDER BY id DESC",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(DeletedCustomer {
                    entry: r.get(0)?,
                    customer_id: r.get(1)?,
                    name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    deleted_at: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Brings a deleted customer back whole: fields, mapping, users (with their passwords),
    /// groups, services and jobs, and its history.
    pub fn restore_deleted_customer(&self, entry: i64) -> Result<Customer> {
        self.write(|tx| restore_deleted(tx, entry))
    }
}
