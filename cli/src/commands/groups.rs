//! `clientbook groups …`: a customer's security groups — list, add, delete.

use crate::cli::GroupsCommand;
use crate::output::{list_or_none, write_json, write_out};
use clientbook::{Error, Store};
use std::io::Write;

pub fn run(command: GroupsCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        GroupsCommand::List { customer, json } => {
            let groups = store.groups(&customer)?;
            if json {
                let items: Vec<serde_json::Value> = groups
                    .iter()
                    .map(|g| {
                        serde_json::json!({
                            "name": g.name,
                            "permissions": g.permissions,
                            "members": g.members,
                        })
                    })
                    .collect();
                write_json(out, &items)?;
            } else {
                for g in &groups {
                    write_out(
                        out,
                        &format!(
                            "{}  permissions: {}  members: {}\n",
                            g.name,
                            list_or_none(&g.permissions),
                            list_or_none(&g.members)
                        ),
                    )?;
                }
            }
        }
        GroupsCommand::Add {
            customer,
            name,
            permissions,
        } => {
            let group = store.add_group(&customer, &name, &permissions)?;
            write_out(
                out,
                &format!(
                    "Added the group {}  permissions: {}\n",
                    group.name,
                    list_or_none(&group.permissions)
                ),
            )?;
        }
        GroupsCommand::Delete { customer, name } => {
            let gone = store.delete_group(&customer, &name)?;
            write_out(out, &format!("Deleted the group {}.\n", gone.name))?;
        }
    }
    Ok(())
}
