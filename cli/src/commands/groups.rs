//! `clientbook groups …`: a customer's security groups — list, add, delete.

use crate::cli::GroupsCommand;
use crate::output::{list_or_none, write_list, write_out};
use clientbook::model::Group;
use clientbook::{Error, Store};
use std::io::Write;

pub fn run(command: GroupsCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        GroupsCommand::List { customer, json } => {
            let groups = store.groups(&customer)?;
            write_list(out, json, &groups, group_json, group_line)?;
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

/// A group as one item of `groups list --json`.
fn group_json(g: &Group) -> serde_json::Value {
    serde_json::json!({
        "name": g.name,
        "permissions": g.permissions,
        "members": g.members,
    })
}

fn group_line(g: &Group) -> String {
    format!(
        "{}  permissions: {}  members: {}\n",
        g.name,
        list_or_none(&g.permissions),
        list_or_none(&g.members)
    )
}
