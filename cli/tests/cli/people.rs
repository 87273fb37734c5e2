//! The `clientbook` people commands on real files: users, groups, services, jobs, history and
//! copy — output shapes, exit codes and messages.

use crate::common::temp_db;
use crate::{assert_fails, assert_fields, assert_keys, clientbook, json, ok, stderr, stdout, Cli};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const STRONG: &str = "correct horse battery staple";

fn add_customer(db: &Path, name: &str) -> String {
    let out = ok(clientbook(db, &["add", "--name", name, "--country", "DE"]));
    stdout(&out).trim().to_owned()
}

fn add_jane(db: &Path, customer: &str) -> Output {
    Cli::on(
        db,
        &[
            "users",
            "add",
            customer,
            "--username",
            "jane",
            "--email",
            "jane@example.com",
            "--display-name",
            "Jane Doe",
            "--mobile",
            "0151 12345678",
            "--password-stdin",
        ],
    )
    .stdin(&format!("{STRONG}\r\n"))
    .output()
}

/// A customer "Acme Corp" (its ID returned) with the user jane, a member of `group`.
fn acme_with_jane_in(db: &Path, group: &str) -> String {
    let acme = add_customer(db, "Acme Corp");
    ok(add_jane(db, &acme));
    ok(clientbook(db, &["users", "add-group", "jane", group]));
    acme
}

/// `jobs add CUSTOMER --name NAME --service "Server backup"`, then `more`.
fn add_backup_job(db: &Path, customer: &str, name: &str, more: &[&str]) -> Output {
    let mut args = vec![
        "jobs",
        "add",
        customer,
        "--name",
        name,
        "--service",
        "Server backup",
    ];
    args.extend_from_slice(more);
    clientbook(db, &args)
}

/// The item of the JSON array `list` whose name is `name`.
fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    let items = list.as_array().expect("an array");
    let item = items.iter().find(|item| item["name"] == name);
    item.unwrap_or_else(|| panic!("no {name} in {list}"))
}

/// `users list CUSTOMER --json`, as JSON.
fn users_of(db: &Path, customer: &str) -> Value {
    json(clientbook(db, &["users", "list", customer, "--json"]))
}

/// `groups list CUSTOMER --json`, as JSON.
fn groups_of(db: &Path, customer: &str) -> Value {
    json(clientbook(db, &["groups", "list", customer, "--json"]))
}

/// `users set-password jane --password-stdin` with `password` on stdin.
fn set_janes_password(db: &Path, password: &str) -> Output {
    Cli::on(db, &["users", "set-password", "jane", "--password-stdin"])
        .stdin(password)
        .output()
}

#[test]
fn users_add_list_and_groups_decide_who_can_log_in() {
    let db = temp_db();
    let acme = add_customer(&db.path, "Acme Corp");

    let out = ok(add_jane(&db.path, &acme));
    assert!(stdout(&out).starts_with("jane  Jane Doe  jane@example.com"));
    assert!(stdout(&out).contains("can log in: no (the user is in no group)"));

    let bytes = std::fs::read(&db.path).unwrap();
    assert!(
        !bytes.windows(STRONG.len()).any(|w| w == STRONG.as_bytes()),
        "the database holds the clear-text password"
    );

    let users = users_of(&db.path, &acme);
    assert_eq!(users.as_array().unwrap().len(), 1);
    let jane = &users[0];
    assert_keys(
        jane,
        &[
            "username",
            "email",
            "display_name",
            "mobile",
            "active",
            "groups",
            "can_log_in",
            "missing",
        ],
    );
    assert_fields(
        jane,
        serde_json::json!({
            "username": "jane", "mobile": "+4915112345678", "active": true, "can_log_in": false,
        }),
    );
    assert!(jane["missing"]
        .as_array()
        .unwrap()
        .contains(&Value::from("the user is in no group")));

    let out = ok(clientbook(
        &db.path,
        &["users", "add-group", "jane", "Administrators"],
    ));
    assert!(stdout(&out).contains("groups: Administrators  can log in: yes"));
    let users = users_of(&db.path, &acme);
    assert_fields(
        &users[0],
        serde_json::json!({"can_log_in": true, "missing": [], "groups": ["Administrators"]}),
    );

    let out = ok(clientbook(&db.path, &["users", "list", &acme]));
    assert_eq!(
        stdout(&out),
        "jane  Jane Doe  jane@example.com  +4915112345678  groups: Administrators  can log in: yes\n"
    );

    ok(clientbook(
        &db.path,
        &["users", "remove-group", "jane", "Administrators"],
    ));
    let users = users_of(&db.path, &acme);
    assert_eq!(users[0]["can_log_in"], false);
}

#[test]
fn weak_and_missing_passwords_are_refused() {
    let db = temp_db();
    let acme = add_customer(&db.path, "Acme Corp");

    let out = Cli::on(
        &db.path,
        &[
            "users",
            "add",
            &acme,
            "--username",
            "weak",
            "--password-stdin",
        ],
    )
    .stdin("password1234\n")
    .output();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Password:") || err.contains("Too easy to guess"),
        "{err}"
    );

    let out = clientbook(&db.path, &["users", "add", &acme, "--username", "nopass"]);
    assert_fails(&out, 1, "Password");

    let users = users_of(&db.path, &acme);
    assert_eq!(users, serde_json::json!([]));

    ok(add_jane(&db.path, &acme));
    let out = set_janes_password(&db.path, "password1234\n");
    assert_eq!(out.status.code(), Some(1));
    let out = ok(set_janes_password(
        &db.path,
        "another quite long passphrase here\n",
    ));
    assert_eq!(stdout(&out), "Changed the password of jane.\n");

    let out = clientbook(&db.path, &["users", "set-password", "jane"]);
    assert_eq!(out.status.code(), Some(2), "--password-stdin is required");
}

#[test]
fn usernames_are_unique_across_customers() {
    let db = temp_db();
    let acme = add_customer(&db.path, "Acme Corp");
    let beta = add_customer(&db.path, "Beta Ltd");
    ok(add_jane(&db.path, &acme));

    let out = add_jane(&db.path, &beta);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("already taken"), "{err}");
    assert!(err.contains("Acme Corp") || err.contains(&acme), "{err}");

    let out = ok(clientbook(&db.path, &["users", "delete", "jane"]));
    assert_eq!(stdout(&out), "Deleted the user jane.\n");
    ok(add_jane(&db.path, &beta));
    let out = clientbook(&db.path, &["users", "delete", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn groups_list_add_and_delete() {
    let db = temp_db();
    let acme = acme_with_jane_in(&db.path, "Users");

    let groups = groups_of(&db.path, &acme);
    let groups = groups.as_array().unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Administrators", "Users"]);
    for g in groups {
        assert_keys(g, &["name", "permissions", "members"]);
    }
    assert_eq!(groups[1]["members"], serde_json::json!(["jane"]));
    assert_eq!(groups[0]["members"], serde_json::json!([]));

    ok(clientbook(
        &db.path,
        &[
            "groups",
            "add",
            &acme,
            "Backup operators",
            "--permission",
            "view",
            "--permission",
            "manage-backups",
        ],
    ));
    let groups = groups_of(&db.path, &acme);
    let ops = named(&groups, "Backup operators");
    let mut permissions: Vec<&str> = ops["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    permissions.sort();
    assert_eq!(permissions, ["manage-backups", "view"]);

    let out = clientbook(
        &db.path,
        &["groups", "add", &acme, "Bad", "--permission", "fly"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));

    ok(clientbook(
        &db.path,
        &["groups", "delete", &acme, "Backup operators"],
    ));
    let groups = groups_of(&db.path, &acme);
    assert_eq!(groups.as_array().unwrap().len(), 2);
}

#[test]
fn services_jobs_and_the_jobs_view_of_active_customers() {
    let db = temp_db();
    let acme = add_customer(&db.path, "Acme Corp");

    let catalogue = json(clientbook(&db.path, &["services", "list", "--json"]));
    let server = named(&catalogue, "Server backup");
    assert_keys(server, &["name", "plans"]);

    // A job needs the service first.
    let out = add_backup_job(&db.path, &acme, "Nightly", &[]);
    assert_eq!(out.status.code(), Some(1));

    ok(clientbook(
        &db.path,
        &["services", "set", &acme, "Server backup", "Standard"],
    ));
    let mine = json(clientbook(&db.path, &["services", "list", &acme, "--json"]));
    assert_eq!(
        mine,
        serde_json::json!([{"service": "Server backup", "plan": "Standard"}])
    );
    let out = clientbook(
        &db.path,
        &["services", "set", &acme, "Server backup", "Gold"],
    );
    assert_eq!(out.status.code(), Some(1));

    ok(add_backup_job(
        &db.path,
        &acme,
        "Nightly",
        &["--schedule", "daily 22:00"],
    ));
    ok(add_backup_job(&db.path, &acme, "Spare", &["--inactive"]));

    let jobs = json(clientbook(&db.path, &["jobs", "list", &acme, "--json"]));
    let jobs = jobs.as_array().unwrap();
    assert_eq!(jobs.len(), 2);
    assert_fields(
        &jobs[0],
        serde_json::json!({"name": "Nightly", "schedule": "daily 22:00", "active": true}),
    );
    assert_fields(
        &jobs[1],
        serde_json::json!({"name": "Spare", "active": false, "schedule": null}),
    );

    let view = json(clientbook(
        &db.path,
        &["jobs", "list", "--service", "Server backup", "--json"],
    ));
    assert_eq!(view.as_array().unwrap().len(), 2);
    assert_eq!(view[0]["customer_id"], acme.as_str());
    assert_eq!(view[0]["customer_name"], "Acme Corp");
    let view = json(clientbook(
        &db.path,
        &["jobs", "list", "--service", "Workstation backup", "--json"],
    ));
    assert_eq!(view, serde_json::json!([]));

    // The Jobs view shows active customers only; the customer's own list still shows them.
    ok(clientbook(
        &db.path,
        &["edit", &acme, "--validity", "invalid"],
    ));
    let view = json(clientbook(&db.path, &["jobs", "list", "--json"]));
    assert_eq!(view, serde_json::json!([]));
    let jobs = json(clientbook(&db.path, &["jobs", "list", &acme, "--json"]));
    assert_eq!(jobs.as_array().unwrap().len(), 2);
}

#[test]
fn history_is_newest_first_and_copy_starts_without_members() {
    let db = temp_db();
    let acme = acme_with_jane_in(&db.path, "Administrators");
    ok(clientbook(
        &db.path,
        &["services", "set", &acme, "Server backup", "Basic"],
    ));

    let history = json(clientbook(&db.path, &["history", &acme, "--json"]));
    let entries = history.as_array().unwrap();
    assert!(entries.len() >= 3);
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let has = |entity: &str, id: &str, action: &str| {
        entries
            .iter()
            .any(|e| e["entity"] == entity && e["entity_id"] == id && e["action"] == action)
    };
    assert!(has("customer", &acme, "create"));
    assert!(has("user", "jane", "create"));
    let last = entries.last().unwrap();
    assert_eq!(last["entity"], "customer");
    assert_eq!(last["action"], "create");
    let text = serde_json::to_string(&history).unwrap();
    assert!(!text.contains(STRONG));
    assert!(!text.contains("password_hash"));

    let limited = json(clientbook(
        &db.path,
        &["history", &acme, "--json", "--limit", "1"],
    ));
    assert_eq!(limited.as_array().unwrap().len(), 1);
    assert_eq!(limited[0]["id"], entries[0]["id"]);

    let out = ok(clientbook(&db.path, &["history", &acme]));
    let first = stdout(&out).lines().next().unwrap().to_owned();
    assert!(
        first.ends_with(&format!(
            "  {} {} {}",
            entries[0]["action"].as_str().unwrap(),
            entries[0]["entity"].as_str().unwrap(),
            entries[0]["entity_id"].as_str().unwrap()
        )),
        "{first}"
    );

    let copy = json(clientbook(
        &db.path,
        &[
            "copy",
            &acme,
            "--name",
            "Acme Copy",
            "--services",
            "--groups",
            "--json",
        ],
    ));
    assert_fields(
        &copy,
        serde_json::json!({
            "name": "Acme Copy", "validity": "invalid-temporarily", "active": false,
        }),
    );
    assert!(copy["comment"]
        .as_str()
        .unwrap()
        .starts_with("Add users and activate"));
    let new_id = copy["customer_id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, acme);

    let groups = groups_of(&db.path, &new_id);
    let groups = groups.as_array().unwrap();
    assert!(!groups.is_empty());
    for g in groups {
        assert_eq!(g["members"], serde_json::json!([]), "{g}");
    }
    let users = users_of(&db.path, &new_id);
    assert_eq!(users, serde_json::json!([]));
    let services = json(clientbook(
        &db.path,
        &["services", "list", &new_id, "--json"],
    ));
    assert_eq!(
        services,
        serde_json::json!([{"service": "Server backup", "plan": "Basic"}])
    );

    let out = ok(clientbook(
        &db.path,
        &["copy", &acme, "--name", "Second", "--id", "second-copy"],
    ));
    assert_eq!(stdout(&out), "second-copy\n");
    let out = clientbook(
        &db.path,
        &["copy", &acme, "--name", "Again", "--id", "second-copy"],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = clientbook(&db.path, &["copy", "no-such-customer", "--name", "X"]);
    assert_eq!(out.status.code(), Some(1));
}
