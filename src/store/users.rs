//! A customer's users: add, edit, passwords (argon2id hashes only), activation, deletion, and
//! their membership of the customer's groups. Every change writes its history entry in the same
//! transaction.

use super::history::record;
use super::lookup::{by_username, customer_ref, group_id, username_holder};
use super::{Store, NOW};
use crate::error::{Error, Result};
use crate::model::user::{login_missing, LoginFacts};
use crate::model::{User, UserFields};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};

fn user_not_found(username: &str) -> Error {
    Error::NotFound(format!("There is no user '{username}'."))
}

/// (user id, customer ref, stored username) of `username`.
fn user_ids(conn: &Connection, username: &str) -> Result<(i64, i64, String)> {
    conn.prepare_cached(concat!(
        "SELECT id, customer_ref, username FROM users WHERE ",
        by_username!("?1")
    ))?
    .query_row([username.trim()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()?
    .ok_or_else(|| user_not_found(username))
}

fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    let opt = |i: usize| -> rusqlite::Result<Option<String>> {
        Ok(Some(r.get::<_, String>(i)?).filter(|s| !s.is_empty()))
    };
    let groups: Vec<String> = r
        .get::<_, Option<String>>(6)?
        .map(|g| g.split('\u{1f}').map(str::to_owned).collect())
        .unwrap_or_default();
    let active: bool = r.get(4)?;
    let has_password: bool = r.get(5)?;
    let customer_active = r.get::<_, String>(7)? == "valid";
    let missing = login_missing(&LoginFacts {
        user_active: active,
        has_password,
        groups: groups.len(),
        customer_active,
    });
    Ok(User {
        username: r.get(0)?,
        email: opt(1)?,
        display_name: opt(2)?,
        mobile: opt(3)?,
        active,
        has_password,
        can_log_in: missing.is_empty(),
        groups,
        missing,
    })
}

const USER_SELECT: &str = "SELECT u.username, u.email, u.display_name, u.mobile, u.active, \
     u.password_hash != '', \
     (SELECT group_concat(name, char(31)) FROM (SELECT g.name FROM user_groups ug \
       JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = u.id ORDER BY g.name)), \
     c.validity FROM users u JOIN customers c ON c.id = u.customer_ref";

fn get_user(conn: &Connection, username: &str) -> Result<User> {
    conn.prepare_cached(&format!("{USER_SELECT} WHERE u.{}", by_username!("?1")))?
        .query_row([username], user_from_row)
        .optional()?
        .ok_or_else(|| user_not_found(username))
}

/// Records a change of the user `name` of the customer `cref` (its state before and after, as
/// [`user_json`] keeps it; `None`: it did not exist).
fn record_user(
    conn: &Connection,
    cref: i64,
    name: &str,
    action: &str,
    before: Option<&User>,
    after: Option<&User>,
) -> Result<i64> {
    let (before, after) = (before.map(user_json), after.map(user_json));
    record(
        conn,
        cref,
        "user",
        name,
        action,
        before.as_ref(),
        after.as_ref(),
    )
}

/// What history keeps of a user: never the hash, only whether there is one.
fn user_json(u: &User) -> Value {
    json!({
        "username": u.username, "email": u.email, "display_name": u.display_name,
        "mobile": u.mobile, "active": u.active, "has_password": u.has_password, "groups": u.groups,
    })
}

fn username_conflict(username: &str, holder: &str) -> Error {
    Error::Conflict {
        field: Some("username"),
        message: format!(
            "The username '{username}' is already taken by a user of {holder}; usernames are unique across all customers."
        ),
    }
}

impl Store {
    /// The customer's users, by username.
    pub fn users(&self, customer_id: &str) -> Result<Vec<User>> {
        self.read(|c| {
            let cref = customer_ref(c, customer_id)?;
            let mut stmt = c.prepare_cached(&format!(
                "{USER_SELECT} WHERE u.customer_ref = ?1 ORDER BY u.username"
            ))?;
            let rows = stmt.query_map([cref], user_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    pub fn user(&self, username: &str) -> Result<User> {
        self.read(|c| get_user(c, username.trim()))
    }

    /// Adds a user to the customer; the password is stored only as its argon2id hash.
    pub fn add_user(&self, customer_id: &str, fields: UserFields) -> Result<User> {
        let customer = self.customer(customer_id)?;
        let valid = fields.validate(true, customer.country.as_deref())?;
        let username = valid.username.clone().unwrap_or_default();
        self.write(|tx| {
            let cref = customer_ref(tx, &customer.customer_id)?;
            if let Some(holder) = username_holder(tx, &username)? {
                return Err(username_conflict(&username, &holder));
            }
            tx.execute(
                &format!(
                    "INSERT INTO users (customer_ref, username, username_fold, email, display_name, \
                     mobile, password_hash, created_at, updated_at) \
                     VALUES (?1, ?2, cb_fold(?2), ?3, ?4, ?5, ?6, {NOW}, {NOW})"
                ),
                (
                    cref,
                    &username,
                    valid.email.clone().unwrap_or_default(),
                    valid.display_name.clone().unwrap_or_default(),
                    valid.mobile.clone().unwrap_or_default(),
                    valid.password_hash.clone().unwrap_or_default(),
                ),
            )?;
            let user = get_user(tx, &username)?;
            record_user(tx, cref, &username, "create", None, Some(&user))?;
            Ok(user)
        })
    }

    /// Changes a user's email, display name and mobile (absent: kept; empty: cleared).
    pub fn update_user(&self, username: &str, fields: UserFields) -> Result<User> {
        let current = self.user(username)?;
        let region = self.read(|c| {
            Ok(c.query_row(
                concat!(
                    "SELECT c.country FROM users u JOIN customers c ON c.id = u.customer_ref \
                     WHERE u.",
                    by_username!("?1")
                ),
                [&current.username],
                |r| r.get::<_, String>(0),
            )?)
        })?;
        let keep = |new: Option<String>, old: &Option<String>| new.or_else(|| old.clone());
        let valid = UserFields {
            username: None,
            email: keep(fields.email, &current.email),
            display_name: keep(fields.display_name, &current.display_name),
            mobile: keep(fields.mobile, &current.mobile),
            password: None,
        }
        .validate(false, Some(region.as_str()).filter(|r| !r.is_empty()))?;
        self.write(|tx| {
            let (id, cref, name) = user_ids(tx, &current.username)?;
            let before = get_user(tx, &name)?;
            tx.execute(
                &format!(
                    "UPDATE users SET email = ?2, display_name = ?3, mobile = ?4, updated_at = {NOW} WHERE id = ?1"
                ),
                (
                    id,
                    valid.email.clone().unwrap_or_default(),
                    valid.display_name.clone().unwrap_or_default(),
                    valid.mobile.clone().unwrap_or_default(),
                ),
            )?;
            let after = get_user(tx, &name)?;
            record_user(tx, cref, &name, "edit", Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Replaces the user's password (there is no way to read one back).
    pub fn set_password(&self, username: &str, password: &str) -> Result<User> {
        let current = self.user(username)?;
        let mut context = vec![current.username.as_str()];
        context.extend(current.email.as_deref());
        context.extend(current.display_name.as_deref());
        if let Err(message) = crate::model::user::check_password(password, &context) {
            return Err(Error::Invalid(vec![crate::error::FieldError {
                field: "password",
                label: "Password",
                message,
            }]));
        }
        let hash = crate::model::user::hash_password(password)?;
        self.write(|tx| {
            let (id, cref, name) = user_ids(tx, &current.username)?;
            tx.execute(
                &format!("UPDATE users SET password_hash = ?2, updated_at = {NOW} WHERE id = ?1"),
                (id, &hash),
            )?;
            record_user(tx, cref, &name, "set-password", None, None)?;
            get_user(tx, &name)
        })
    }

    /// Whether `password` is the user's (for tests and a future login; never reveals the hash).
    pub fn check_user_password(&self, username: &str, password: &str) -> Result<bool> {
        self.read(|c| {
            let hash: String = c
                .query_row(
                    concat!("SELECT password_hash FROM users WHERE ", by_username!("?1")),
                    [username.trim()],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| user_not_found(username))?;
            Ok(crate::model::user::verify_password(password, &hash))
        })
    }

    pub fn set_user_active(&self, username: &str, active: bool) -> Result<User> {
        self.write(|tx| {
            let (id, cref, name) = user_ids(tx, username)?;
            let before = get_user(tx, &name)?;
            tx.execute(
                &format!("UPDATE users SET active = ?2, updated_at = {NOW} WHERE id = ?1"),
                (id, active),
            )?;
            let after = get_user(tx, &name)?;
            let action = if active { "activate" } else { "deactivate" };
            record_user(tx, cref, &name, action, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    pub fn delete_user(&self, username: &str) -> Result<User> {
        self.write(|tx| {
            let (id, cref, name) = user_ids(tx, username)?;
            let before = get_user(tx, &name)?;
            tx.execute("DELETE FROM users WHERE id = ?1", [id])?;
            record_user(tx, cref, &name, "delete", Some(&before), None)?;
            Ok(before)
        })
    }

    /// Adds the user to one of their customer's groups (no-op when already a member).
    pub fn add_user_to_group(&self, username: &str, group: &str) -> Result<User> {
        self.membership(username, group, true)
    }

    pub fn remove_user_from_group(&self, username: &str, group: &str) -> Result<User> {
        self.membership(username, group, false)
    }

    fn membership(&self, username: &str, group: &str, add: bool) -> Result<User> {
        self.write(|tx| {
            let (uid, cref, name) = user_ids(tx, username)?;
            let (gid, gname) = group_id(tx, cref, group)?;
            let before = get_user(tx, &name)?;
            let changed = if add {
                tx.execute(
                    "INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?1, ?2)",
                    (uid, gid),
                )?
            } else {
                tx.execute(
                    "DELETE FROM user_groups WHERE user_id = ?1 AND group_id = ?2",
                    (uid, gid),
                )?
            };
            let after = get_user(tx, &name)?;
            if changed > 0 {
                let action = if add {
                    "add-to-group"
                } else {
                    "remove-from-group"
                };
                record(
                    tx,
                    cref,
                    "user",
                    &name,
                    action,
                    Some(&json!({"group": gname, "groups": before.groups})),
                    Some(&json!({"group": gname, "groups": after.groups})),
                )?;
            }
            Ok(after)
        })
    }

    // ---- groups ------------------------------------------------------------------------------

    // ---- administrators and the template -----------------------------------------------------
}
