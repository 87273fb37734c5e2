//! Deleting a customer and bringing it back: the delete entry keeps the whole customer (users
//! with their password hashes, groups, services, jobs) and its history moves to the entry's
//! negative id, out of reach of a later customer with the same ID; Undo and Settings ▸ Deleted
//! customers restore it whole and move the history back.

use super::customers::{self, get, put_back};
use super::history::{customer_json, Entry};
use super::lookup::{customer_ref, username_holder};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{Customer, DeletedCustomer};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};

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
        if let Some(holder) = username_holder(conn, &username)? {
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
    Entry::new(cref, "customer", &restored.customer_id)
        .restored(conn, &customer_json(&restored))?;
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

impl Store {
    /// Deletes a customer and returns it as it was, for Undo.
    pub fn delete_customer(&self, customer_id: &str) -> Result<Customer> {
        self.write(|tx| {
            let current = get(tx, customer_id)?;
            if current.own {
                return Err(Error::Refused(format!(
                    "\u{201c}{}\u{201d} is your own company and cannot be deleted.",
                    current.name
                )));
            }
            let cref = customer_ref(tx, &current.customer_id)?;
            let snapshot = snapshot(tx, cref, &current)?;
            let entry =
                Entry::new(cref, "customer", &current.customer_id).deleted(tx, &snapshot)?;
            // The history stays with the deleted customer, out of reach of later ones.
            tx.execute(
                "UPDATE history SET customer_ref = ?1 WHERE customer_ref = ?2",
                (-entry, cref),
            )?;
            tx.execute("DELETE FROM customers WHERE id = ?1", [cref])?;
            Ok(current)
        })
    }

    /// Undo of a delete: puts the customer back exactly as it was — same ID, fields, timestamps
    /// and mapping, with its users, groups, services, jobs and history (from its delete entry).
    pub fn restore_customer(&self, customer: &Customer) -> Result<Customer> {
        if customer.own {
            return Err(Error::Refused(
                "The own company is never deleted, so it cannot be restored.".into(),
            ));
        }
        self.write(|tx| match deleted_entry_of(tx, &customer.customer_id)? {
            Some(entry) => restore_deleted(tx, entry),
            None => {
                put_back(tx, customer)?;
                get(tx, &customer.customer_id)
            }
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
