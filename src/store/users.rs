//! A customer's users and security groups, the MSP's administrators and the group template.
//! Every change writes its history entry in the same transaction.

use super::history::{customer_ref, record};
use super::{Store, NOW};
use crate::error::{Error, Result};
use crate::model::group::{join_permissions, split_permissions, validate_group};
use crate::model::text::identity;
use crate::model::user::{login_missing, LoginFacts};
use crate::model::{Group, User, UserFields};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// An MSP administrator: has access to every customer (shown read-only on each Users tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administrator {
    pub name: String,
    pub email: String,
}

/// A group of the template new customers start with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateGroup {
    pub name: String,
    pub permissions: Vec<String>,
}

/// Picks the user a typed username (the parameter `$p`) means: the one with that name as stored
/// (ignoring ASCII case), else the one whose identity it has (see `by_customer_id`).
macro_rules! by_username {
    ($p:literal) => {
        concat!(
            "id = (SELECT id FROM users WHERE username = ",
            $p,
            " UNION ALL SELECT id FROM users WHERE username_fold = cb_fold(",
            $p,
            ") LIMIT 1)"
        )
    };
}

/// "the customer 'Acme' (acme)" for a user that holds `username` or its identity, if any.
pub(crate) fn username_holder(conn: &Connection, username: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.name, c.customer_id FROM users u JOIN customers c ON c.id = u.customer_ref \
             WHERE u.username_fold = cb_fold(?1) OR u.username = ?1 LIMIT 1",
        )?
        .query_row([username], |r| {
            Ok(format!(
                "the customer \u{201c}{}\u{201d} ({})",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .optional()?)
}

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

/// What history keeps of a user: never the hash, only whether there is one.
fn user_json(u: &User) -> Value {
    json!({
        "username": u.username, "email": u.email, "display_name": u.display_name,
        "mobile": u.mobile, "active": u.active, "has_password": u.has_password, "groups": u.groups,
    })
}

fn group_id(conn: &Connection, cref: i64, name: &str) -> Result<(i64, String)> {
    conn.prepare_cached(
        "SELECT id, name FROM groups WHERE customer_ref = ?1 AND cb_fold(name) = cb_fold(?2)",
    )?
    .query_row((cref, name.trim()), |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("This customer has no group '{}'.", name.trim())))
}

/// Refuses `name` when the customer already has a group by that name (ignoring ASCII case).
fn refuse_taken_group_name(conn: &Connection, cref: i64, name: &str) -> Result<()> {
    let taken: bool = conn
        .prepare_cached(
            "SELECT count(*) FROM groups WHERE customer_ref = ?1 AND cb_fold(name) = cb_fold(?2)",
        )?
        .query_row((cref, name), |r| r.get(0))?;
    match taken {
        true => Err(Error::Conflict {
            field: Some("name"),
            message: format!("This customer already has a group '{name}'."),
        }),
        false => Ok(()),
    }
}

fn group_by_id(conn: &Connection, id: i64) -> Result<Group> {
    Ok(conn.query_row(
        "SELECT g.name, g.permissions, (SELECT group_concat(username, char(31)) FROM \
           (SELECT u.username FROM user_groups ug JOIN users u ON u.id = ug.user_id \
            WHERE ug.group_id = g.id ORDER BY u.username)) FROM groups g WHERE g.id = ?1",
        [id],
        |r| {
            Ok(Group {
                name: r.get(0)?,
                permissions: split_permissions(&r.get::<_, String>(1)?),
                members: r
                    .get::<_, Option<String>>(2)?
                    .map(|m| m.split('\u{1f}').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
        },
    )?)
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
            record(tx, cref, "user", &username, "create", None, Some(&user_json(&user)))?;
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
            record(tx, cref, "user", &name, "edit", Some(&user_json(&before)), Some(&user_json(&after)))?;
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
            record(tx, cref, "user", &name, "set-password", None, None)?;
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
            record(
                tx,
                cref,
                "user",
                &name,
                action,
                Some(&user_json(&before)),
                Some(&user_json(&after)),
            )?;
            Ok(after)
        })
    }

    pub fn delete_user(&self, username: &str) -> Result<User> {
        self.write(|tx| {
            let (id, cref, name) = user_ids(tx, username)?;
            let before = get_user(tx, &name)?;
            tx.execute("DELETE FROM users WHERE id = ?1", [id])?;
            record(
                tx,
                cref,
                "user",
                &name,
                "delete",
                Some(&user_json(&before)),
                None,
            )?;
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

    pub fn groups(&self, customer_id: &str) -> Result<Vec<Group>> {
        self.read(|c| {
            let cref = customer_ref(c, customer_id)?;
            let ids: Vec<i64> = {
                let mut stmt =
                    c.prepare("SELECT id FROM groups WHERE customer_ref = ?1 ORDER BY name")?;
                let rows = stmt.query_map([cref], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            ids.into_iter().map(|id| group_by_id(c, id)).collect()
        })
    }

    pub fn add_group(
        &self,
        customer_id: &str,
        name: &str,
        permissions: &[String],
    ) -> Result<Group> {
        let (name, permissions) = validate_group(name, permissions)?;
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            refuse_taken_group_name(tx, cref, &name)?;
            tx.execute(
                "INSERT INTO groups (customer_ref, name, permissions) VALUES (?1, ?2, ?3)",
                (cref, &name, join_permissions(&permissions)),
            )?;
            let group = group_by_id(tx, tx.last_insert_rowid())?;
            record(
                tx,
                cref,
                "group",
                &name,
                "create",
                None,
                Some(&json!(group)),
            )?;
            Ok(group)
        })
    }

    /// Renames a group and/or sets its permissions.
    pub fn update_group(
        &self,
        customer_id: &str,
        group: &str,
        new_name: &str,
        permissions: &[String],
    ) -> Result<Group> {
        let (new_name, permissions) = validate_group(new_name, permissions)?;
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            let (id, old) = group_id(tx, cref, group)?;
            if identity(&old) != identity(&new_name) {
                refuse_taken_group_name(tx, cref, &new_name)?;
            }
            let before = group_by_id(tx, id)?;
            tx.execute(
                "UPDATE groups SET name = ?2, permissions = ?3 WHERE id = ?1",
                (id, &new_name, join_permissions(&permissions)),
            )?;
            let after = group_by_id(tx, id)?;
            record(
                tx,
                cref,
                "group",
                &new_name,
                "edit",
                Some(&json!(before)),
                Some(&json!(after)),
            )?;
            Ok(after)
        })
    }

    /// Deletes a group; its members stay, without it.
    pub fn delete_group(&self, customer_id: &str, group: &str) -> Result<Group> {
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            let (id, name) = group_id(tx, cref, group)?;
            let before = group_by_id(tx, id)?;
            tx.execute("DELETE FROM groups WHERE id = ?1", [id])?;
            record(
                tx,
                cref,
                "group",
                &name,
                "delete",
                Some(&json!(before)),
                None,
            )?;
            Ok(before)
        })
    }

    // ---- administrators and the template -----------------------------------------------------

    pub fn administrators(&self) -> Result<Vec<Administrator>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT name, email FROM administrators ORDER BY name, email")?;
            let rows = stmt.query_map([], |r| {
                Ok(Administrator {
                    name: r.get(0)?,
                    email: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    pub fn add_administrator(&self, name: &str, email: &str) -> Result<Administrator> {
        let name = name.trim().to_owned();
        let email = email.trim().to_owned();
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(crate::error::FieldError {
                field: "name",
                label: "Name",
                message: "A name is required.".into(),
            });
        }
        if let Err(message) = crate::model::user::check_email(&email) {
            errors.push(crate::error::FieldError {
                field: "email",
                label: "Email",
                message,
            });
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        self.write(|tx| {
            let taken: bool = tx.query_row(
                "SELECT count(*) FROM administrators WHERE email = ?1",
                [&email],
                |r| r.get(0),
            )?;
            if taken {
                return Err(Error::Conflict {
                    field: Some("email"),
                    message: format!("'{email}' is already an administrator."),
                });
            }
            tx.execute(
                "INSERT INTO administrators (name, email) VALUES (?1, ?2)",
                (&name, &email),
            )?;
            Ok(Administrator {
                name: name.clone(),
                email: email.clone(),
            })
        })
    }

    pub fn delete_administrator(&self, email: &str) -> Result<()> {
        self.write(|tx| {
            match tx.execute(
                "DELETE FROM administrators WHERE email = ?1",
                [email.trim()],
            )? {
                0 => Err(Error::NotFound(format!(
                    "'{}' is not an administrator.",
                    email.trim()
                ))),
                _ => Ok(()),
            }
        })
    }

    /// The groups every new customer starts with.
    pub fn template_groups(&self) -> Result<Vec<TemplateGroup>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT name, permissions FROM template_groups ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                Ok(TemplateGroup {
                    name: r.get(0)?,
                    permissions: split_permissions(&r.get::<_, String>(1)?),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Replaces the template (existing customers keep their groups).
    pub fn set_template_groups(&self, groups: &[TemplateGroup]) -> Result<Vec<TemplateGroup>> {
        let mut valid = Vec::new();
        for g in groups {
            let (name, permissions) = validate_group(&g.name, &g.permissions)?;
            if valid
                .iter()
                .any(|v: &TemplateGroup| identity(&v.name) == identity(&name))
            {
                return Err(Error::Conflict {
                    field: Some("name"),
                    message: format!("The template lists the group '{name}' twice."),
                });
            }
            valid.push(TemplateGroup { name, permissions });
        }
        self.write(|tx| {
            tx.execute("DELETE FROM template_groups", [])?;
            for g in &valid {
                tx.execute(
                    "INSERT INTO template_groups (name, permissions) VALUES (?1, ?2)",
                    (&g.name, join_permissions(&g.permissions)),
                )?;
            }
            Ok(valid.clone())
        })
    }
}
