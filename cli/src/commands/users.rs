//! `clientbook users …`: a customer's users — list, add, passwords (read from standard input),
//! groups, delete.

use crate::cli::UsersCommand;
use crate::output::{list_or_none, read_stdin_line, write_json, write_list, write_out};
use clientbook::model::{User, UserFields};
use clientbook::{Error, Store};
use std::io::Write;

pub fn run(command: UsersCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        UsersCommand::List { customer, json } => {
            let users = store.users(&customer)?;
            write_list(out, json, &users, user_json, user_line)?;
        }
        UsersCommand::Add {
            customer,
            username,
            email,
            display_name,
            mobile,
            password_stdin,
            json,
        } => {
            let password = if password_stdin {
                Some(read_stdin_line(
                    &format!("Password for {username}"),
                    "read the password from",
                )?)
            } else {
                None
            };
            let fields = UserFields {
                username: Some(username),
                email,
                display_name,
                mobile,
                password,
            };
            let user = store.add_user(&customer, fields)?;
            if json {
                write_json(out, &user_json(&user))?;
            } else {
                write_out(out, &user_line(&user))?;
            }
        }
        UsersCommand::SetPassword { username, .. } => {
            let password = read_stdin_line(
                &format!("Password for {username}"),
                "read the password from",
            )?;
            let user = store.set_password(&username, &password)?;
            write_out(
                out,
                &format!("Changed the password of {}.\n", user.username),
            )?;
        }
        UsersCommand::Delete { username } => {
            let gone = store.delete_user(&username)?;
            write_out(out, &format!("Deleted the user {}.\n", gone.username))?;
        }
        UsersCommand::AddGroup { username, group } => {
            let user = store.add_user_to_group(&username, &group)?;
            write_out(out, &user_line(&user))?;
        }
        UsersCommand::RemoveGroup { username, group } => {
            let user = store.remove_user_from_group(&username, &group)?;
            write_out(out, &user_line(&user))?;
        }
    }
    Ok(())
}

/// A user as one item of `users list --json`: everything but `has_password` (`missing` says
/// when there is none).
fn user_json(u: &User) -> serde_json::Value {
    serde_json::json!({
        "username": u.username,
        "email": u.email,
        "display_name": u.display_name,
        "mobile": u.mobile,
        "active": u.active,
        "groups": u.groups,
        "can_log_in": u.can_log_in,
        "missing": u.missing,
    })
}

fn user_line(u: &User) -> String {
    let mut parts = vec![u.username.as_str()];
    parts.extend(
        [&u.display_name, &u.email, &u.mobile]
            .into_iter()
            .filter_map(|v| v.as_deref()),
    );
    let groups = format!("groups: {}", list_or_none(&u.groups));
    parts.push(&groups);
    let deactivated = if u.active { "" } else { "  deactivated" };
    let login = if u.can_log_in {
        "can log in: yes".to_owned()
    } else {
        format!("can log in: no ({})", u.missing.join("; "))
    };
    format!("{}{deactivated}  {login}\n", parts.join("  "))
}
