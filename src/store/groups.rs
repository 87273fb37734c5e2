//! A customer's security groups and the template of groups new customers start with. Every
//! change to a customer's groups writes its history entry in the same transaction.

use super::history::Entry;
use super::lookup::{customer_ref, group_id, refuse_taken_name};
use super::Store;
use crate::error::{Error, Result};
use crate::model::group::{join_permissions, split_permissions, validate_group};
use crate::model::text::identity;
use crate::model::Group;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A group of the template new customers start with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateGroup {
    pub name: String,
    pub permissions: Vec<String>,
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

impl Store {
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
            refuse_taken_name(tx, "groups", "group", cref, &name)?;
            tx.execute(
                "INSERT INTO groups (customer_ref, name, permissions) VALUES (?1, ?2, ?3)",
                (cref, &name, join_permissions(&permissions)),
            )?;
            let group = group_by_id(tx, tx.last_insert_rowid())?;
            Entry::new(cref, "group", &name).created(tx, &json!(group))?;
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
                refuse_taken_name(tx, "groups", "group", cref, &new_name)?;
            }
            let before = group_by_id(tx, id)?;
            tx.execute(
                "UPDATE groups SET name = ?2, permissions = ?3 WHERE id = ?1",
                (id, &new_name, join_permissions(&permissions)),
            )?;
            let after = group_by_id(tx, id)?;
            Entry::new(cref, "group", &new_name).edited(tx, &json!(before), &json!(after))?;
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
            Entry::new(cref, "group", &name).deleted(tx, &json!(before))?;
            Ok(before)
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
