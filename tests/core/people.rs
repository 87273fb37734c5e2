//! Inside a customer, on real database files: users (validation, argon2id-only passwords, the
//! can-log-in rule), groups and the template, services and jobs (the Jobs view shows active
//! customers only), Copy, and history (written with the change, kept and restored with a
//! deleted customer).

use crate::common::{job, named, temp_db};
use clientbook::model::{CustomerFields, JobFields, UserFields, Validity};
use clientbook::store::{CopyOptions, TemplateGroup, COPY_NOTE};
use clientbook::transfer::{self, ImportOptions};
use clientbook::{Error, Store};

const PASSWORD: &str = "correct horse battery staple";

fn user(username: &str) -> UserFields {
    UserFields {
        username: Some(username.into()),
        password: Some(PASSWORD.into()),
        ..Default::default()
    }
}

fn field_errors(err: Error) -> Vec<(String, String)> {
    match err {
        Error::Invalid(fields) => fields
            .into_iter()
            .map(|f| (f.field.to_owned(), f.message))
            .collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn actions(store: &Store, customer_id: &str) -> Vec<String> {
    store
        .history(customer_id, None, 1000)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {} {}", e.entity, e.entity_id, e.action))
        .collect()
}

#[test]
fn each_user_field_is_checked_and_every_problem_is_named() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    let err = store
        .add_user(
            &acme,
            UserFields {
                username: Some("j d".into()),
                email: Some("jane@localhost".into()),
                mobile: Some("0151 12345678".into()),
                password: Some("password1234".into()),
                display_name: Some("x".repeat(201)),
            },
        )
        .unwrap_err();
    let errors = field_errors(err);
    let message = |f: &str| {
        errors
            .iter()
            .find(|(field, _)| field == f)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("no error for {f}: {errors:?}"))
    };
    assert_eq!(
        message("username"),
        "' ' is not allowed; use letters, digits, '.', '_', '-' and '@'."
    );
    assert_eq!(
        message("email"),
        "'jane@localhost' is not an email address like name@example.com."
    );
    assert!(
        message("mobile").contains("no country code"),
        "{}",
        message("mobile")
    );
    assert!(
        message("password").starts_with("Too easy to guess"),
        "{}",
        message("password")
    );
    assert!(
        message("display_name").contains("at most 200"),
        "{}",
        message("display_name")
    );
    let short = field_errors(
        store
            .add_user(
                &acme,
                UserFields {
                    password: Some("short".into()),
                    ..user("jane")
                },
            )
            .unwrap_err(),
    );
    assert_eq!(
        short[0].1,
        "Too short: 5 characters; use at least 12 (a few unrelated words work well)."
    );
    let none = field_errors(
        store
            .add_user(
                &acme,
                UserFields {
                    password: None,
                    ..user("jane")
                },
            )
            .unwrap_err(),
    );
    assert!(none[0].1.starts_with("A password is required"), "{none:?}");
    assert!(store.users(&acme).unwrap().is_empty(), "nothing was saved");
}

#[test]
fn a_mobile_number_is_stored_in_e164_using_the_customers_country() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let mut fields = named("Acme");
    fields.country = Some("DE".into());
    let acme = store.create_customer(fields).unwrap().customer_id;
    let u = store
        .add_user(
            &acme,
            UserFields {
                mobile: Some("0151 1234 5678".into()),
                ..user("jane")
            },
        )
        .unwrap();
    assert_eq!(u.mobile.as_deref(), Some("+4915112345678"));
    let u = store
        .update_user(
            "jane",
            UserFields {
                mobile: Some("+44 7911 123456".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(u.mobile.as_deref(), Some("+447911123456"));
}

#[test]
fn usernames_are_unique_across_all_customers() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    let globex = store.create_customer(named("Globex")).unwrap().customer_id;
    store.add_user(&acme, user("jane")).unwrap();
    let err = store.add_user(&globex, user("JANE")).unwrap_err();
    assert_eq!(err.kind(), "conflict");
    assert_eq!(err.field(), Some("username"));
    assert!(
        err.to_string().contains("the customer “Acme” (acme)"),
        "{err}"
    );
}

#[test]
fn passwords_exist_only_as_argon2id_hashes() {
    let db = temp_db();
    {
        let store = Store::open(&db.path).unwrap();
        let acme = store.create_customer(named("Acme")).unwrap().customer_id;
        store.add_user(&acme, user("jane")).unwrap();
        assert!(store.check_user_password("jane", PASSWORD).unwrap());
        let new = "purple elephant under seven moons";
        store.set_password("jane", new).unwrap();
        assert!(!store.check_user_password("jane", PASSWORD).unwrap());
        assert!(store.check_user_password("jane", new).unwrap());
        // Deleting keeps the user (hash included) in the delete entry: still no clear text.
        store.delete_customer(&acme).unwrap();
    }
    let mut bytes = std::fs::read(&db.path).unwrap();
    for side in ["-wal", "-shm"] {
        if let Ok(more) = std::fs::read(format!("{}{side}", db.path.display())) {
            bytes.extend(more);
        }
    }
    for clear in [PASSWORD, "purple elephant under seven moons"] {
        assert!(
            !bytes.windows(clear.len()).any(|w| w == clear.as_bytes()),
            "the database holds '{clear}' in clear"
        );
    }
    assert!(
        bytes.windows(10).any(|w| w == b"$argon2id$"),
        "the hash is there"
    );
}

#[test]
fn can_log_in_needs_active_user_password_group_and_active_customer() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    let jane = store.add_user(&acme, user("jane")).unwrap();
    assert!(!jane.can_log_in);
    assert_eq!(jane.missing, ["the user is in no group"]);
    let jane = store.add_user_to_group("jane", "Users").unwrap();
    assert!(jane.can_log_in && jane.missing.is_empty(), "{jane:?}");
    assert_eq!(jane.groups, ["Users"]);

    store
        .set_validity(&acme, Validity::InvalidTemporarily)
        .unwrap();
    assert_eq!(
        store.user("jane").unwrap().missing,
        ["the customer is not active"]
    );
    store.set_validity(&acme, Validity::Valid).unwrap();
    let jane = store.set_user_active("jane", false).unwrap();
    assert_eq!(jane.missing, ["the user is deactivated"]);
    store.set_user_active("jane", true).unwrap();
    let jane = store.remove_user_from_group("jane", "Users").unwrap();
    assert_eq!(jane.missing, ["the user is in no group"]);

    // A user without a password (a restored legacy row, say) says so, with the rest.
    store.set_validity(&acme, Validity::Invalid).unwrap();
    let jane = store.set_user_active("jane", false).unwrap();
    assert_eq!(
        jane.missing,
        [
            "the user is deactivated",
            "the user is in no group",
            "the customer is not active"
        ]
    );
}

#[test]
fn new_customers_start_with_the_template_groups() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    let groups = store.groups(&acme).unwrap();
    let names: Vec<_> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Administrators", "Users"]);
    assert_eq!(groups[1].permissions, ["view"]);
    store
        .set_template_groups(&[TemplateGroup {
            name: "Backup team".into(),
            permissions: vec!["manage backups".into(), "view".into()],
        }])
        .unwrap();
    let globex = store.create_customer(named("Globex")).unwrap().customer_id;
    let groups = store.groups(&globex).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].permissions, ["view", "manage-backups"]);
    assert_eq!(
        store.groups(&acme).unwrap().len(),
        2,
        "existing customers keep theirs"
    );

    let g = store
        .update_group(
            &acme,
            "users",
            "Staff",
            &["view".into(), "manage-billing".into()],
        )
        .unwrap();
    assert_eq!(g.name, "Staff");
    let err = store.add_group(&acme, "staff", &[]).unwrap_err();
    assert_eq!(err.kind(), "conflict");
    store.add_user(&acme, user("jane")).unwrap();
    store.add_user_to_group("jane", "Staff").unwrap();
    assert_eq!(store.groups(&acme).unwrap()[1].members, ["jane"]);
    store.delete_group(&acme, "Staff").unwrap();
    assert!(
        store.user("jane").unwrap().groups.is_empty(),
        "the member stays, without it"
    );
}

#[test]
fn jobs_need_the_customers_service_and_the_jobs_view_shows_active_customers_only() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    let names: Vec<_> = store
        .services()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        names,
        [
            "Microsoft 365 backup",
            "Server backup",
            "Workstation backup"
        ]
    );
    let job = |name: &str| JobFields {
        name: name.into(),
        service: "Server backup".into(),
        schedule: Some("daily 22:00".into()),
        active: None,
    };
    let err = store.add_job(&acme, job("Nightly")).unwrap_err();
    assert!(
        err.to_string()
            .contains("not one of this customer's services"),
        "{err}"
    );
    store
        .set_customer_service(&acme, "server backup", "Premium")
        .unwrap();
    assert_eq!(store.customer_services(&acme).unwrap()[0].plan, "Premium");
    store
        .set_customer_service(&acme, "Server backup", "Basic")
        .unwrap();
    assert_eq!(
        store.customer_services(&acme).unwrap().len(),
        1,
        "one plan per service"
    );
    assert!(store
        .set_customer_service(&acme, "Server backup", "Gold")
        .unwrap_err()
        .to_string()
        .contains("no plan 'Gold'"));
    store.add_job(&acme, job("Nightly")).unwrap();
    store.add_job(&acme, job("Weekly")).unwrap();
    assert_eq!(
        store.customer(&acme).unwrap().jobs,
        2,
        "the list's Jobs column"
    );
    assert_eq!(store.jobs(None).unwrap().len(), 2);
    assert_eq!(store.jobs(Some("Workstation backup")).unwrap().len(), 0);

    store.set_validity(&acme, Validity::Invalid).unwrap();
    assert!(
        store.jobs(None).unwrap().is_empty(),
        "hidden while inactive"
    );
    assert_eq!(
        store.customer_jobs(&acme, None).unwrap().len(),
        2,
        "still the customer's"
    );
    store.set_validity(&acme, Validity::Valid).unwrap();
    assert_eq!(store.jobs(None).unwrap().len(), 2, "shown again");
    let err = store
        .remove_customer_service(&acme, "Server backup")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("used by 2 of this customer's jobs"),
        "{err}"
    );
}

#[test]
fn a_copy_takes_what_is_chosen_and_never_users_jobs_or_the_mapping() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store
        .create_customer(CustomerFields {
            city: Some("Berlin".into()),
            country: Some("DE".into()),
            comment: Some("Key account".into()),
            ..named("Acme")
        })
        .unwrap()
        .customer_id;
    store
        .set_customer_service(&acme, "Server backup", "Premium")
        .unwrap();
    store
        .add_group(&acme, "Backup team", &["manage backups".into()])
        .unwrap();
    store.add_user(&acme, user("jane")).unwrap();
    store.add_user_to_group("jane", "Backup team").unwrap();
    store
        .add_job(&acme, job("Nightly", "Server backup"))
        .unwrap();

    let copy = store
        .copy_customer(
            &acme,
            CopyOptions {
                name: "Acme Two".into(),
                profile: true,
                services: true,
                groups: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(copy.customer_id, "acme-two");
    assert_eq!(copy.validity, Validity::InvalidTemporarily);
    assert_eq!(copy.city.as_deref(), Some("Berlin"));
    assert_eq!(
        copy.comment.as_deref(),
        Some(format!("{COPY_NOTE}\n\nKey account").as_str())
    );
    assert!(
        store.users(&copy.customer_id).unwrap().is_empty(),
        "users are never copied"
    );
    assert_eq!(copy.jobs, 0, "jobs are not copied");
    assert!(copy.autotask.is_none());
    let groups = store.groups(&copy.customer_id).unwrap();
    assert_eq!(groups.len(), 3);
    assert!(
        groups.iter().all(|g| g.members.is_empty()),
        "copied groups have no members"
    );
    assert_eq!(
        store.customer_services(&copy.customer_id).unwrap()[0].plan,
        "Premium"
    );

    let bare = store
        .copy_customer(
            &acme,
            CopyOptions {
                name: "Acme Three".into(),
                customer_id: Some("a3".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(bare.customer_id, "a3");
    assert_eq!(bare.city, None);
    assert_eq!(bare.comment.as_deref(), Some(COPY_NOTE));
    assert!(store.customer_services("a3").unwrap().is_empty());
    let names: Vec<_> = store
        .groups("a3")
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(
        names,
        ["Administrators", "Users"],
        "a new customer's template groups"
    );
}

#[test]
fn history_is_written_with_each_change_and_a_failed_change_leaves_none() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    store
        .update_customer(
            &acme,
            CustomerFields {
                city: Some("Paris".into()),
                ..Default::default()
            },
        )
        .unwrap();
    store.add_user(&acme, user("jane")).unwrap();
    store
        .set_customer_service(&acme, "Server backup", "Basic")
        .unwrap();
    let before = actions(&store, &acme);
    assert_eq!(
        before,
        [
            "service Server backup create",
            "user jane create",
            "customer acme edit",
            "customer acme create"
        ]
    );
    let edit = &store.history(&acme, None, 10).unwrap()[2];
    assert_eq!(
        edit.before.as_ref().unwrap()["city"],
        serde_json::Value::Null
    );
    assert_eq!(edit.after.as_ref().unwrap()["city"], "Paris");

    // Refused changes write nothing.
    assert!(store
        .update_customer(
            &acme,
            CustomerFields {
                name: Some(String::new()),
                ..Default::default()
            }
        )
        .is_err());
    assert!(store.add_user(&acme, user("jane")).is_err());
    assert!(store
        .add_job(&acme, job("X", "Workstation backup"))
        .is_err());
    assert_eq!(actions(&store, &acme), before);
    // A user's history never holds the password or its hash.
    let all = serde_json::to_string(&store.history(&acme, None, 100).unwrap()).unwrap();
    assert!(!all.contains("argon2") && !all.contains(PASSWORD), "{all}");
}

#[test]
fn a_deleted_customer_keeps_its_history_and_comes_back_whole() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    store
        .set_customer_service(&acme, "Server backup", "Premium")
        .unwrap();
    store.add_user(&acme, user("jane")).unwrap();
    store.add_user_to_group("jane", "Users").unwrap();
    store
        .add_job(&acme, job("Nightly", "Server backup"))
        .unwrap();
    let deleted = store.delete_customer(&acme).unwrap();

    // A new customer with the same ID does not inherit the old history.
    store.create_customer(named("Acme")).unwrap();
    assert_eq!(actions(&store, "acme"), ["customer acme create"]);
    let gone = store.deleted_customers().unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].name, "Acme");
    let old = store.deleted_history(gone[0].entry).unwrap();
    assert_eq!(old[0].action, "delete");
    assert_eq!(old.len(), 6, "{old:?}");
    assert!(
        !serde_json::to_string(&old).unwrap().contains("argon2"),
        "no hash leaves the store"
    );
    // Restoring while the ID is taken is refused, and changes nothing.
    let err = store.restore_deleted_customer(gone[0].entry).unwrap_err();
    assert_eq!(err.kind(), "conflict");
    assert_eq!(store.deleted_customers().unwrap().len(), 1);

    store.delete_customer("acme").unwrap();
    let entry = store
        .deleted_customers()
        .unwrap()
        .into_iter()
        .find(|d| d.entry == gone[0].entry)
        .unwrap()
        .entry;
    let back = store.restore_deleted_customer(entry).unwrap();
    assert_eq!(back.created_at, deleted.created_at);
    assert_eq!(back.jobs, 1);
    let jane = store.user("jane").unwrap();
    assert!(jane.can_log_in, "{jane:?}");
    assert!(
        store.check_user_password("jane", PASSWORD).unwrap(),
        "the same password"
    );
    assert_eq!(store.customer_services("acme").unwrap()[0].plan, "Premium");
    let history = actions(&store, "acme");
    assert_eq!(history[0], "customer acme restore");
    assert_eq!(history[1], "customer acme delete");
    assert_eq!(history.last().unwrap(), "customer acme create");
    assert_eq!(
        store.deleted_customers().unwrap().len(),
        1,
        "the second Acme is still deleted"
    );

    // Undo (restore_customer with the deleted row) takes the same path.
    let again = store.delete_customer("acme").unwrap();
    store.restore_customer(&again).unwrap();
    assert!(store.user("jane").unwrap().can_log_in);
}

#[test]
fn an_import_writes_one_history_entry_and_the_template_groups_per_new_customer() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let file = db.dir.path().join("in.csv");
    let mut csv = String::from("Name,City\n");
    for i in 0..6000 {
        csv.push_str(&format!("Customer {i},Town {i}\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let report = transfer::import(&store, &file, ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!(report.inserted, 6000);
    let h = store.history("customer-5999", None, 10).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].action, "import");
    assert_eq!(h[0].after.as_ref().unwrap()["city"], "Town 5999");
    assert_eq!(store.groups("customer-0").unwrap().len(), 2);
    assert_eq!(
        store.groups("my-company").unwrap().len(),
        0,
        "existing customers are untouched"
    );
}

/// An import's history entry stores no copy of the customer (it would make a big import's file
/// a third bigger); the history still shows each customer as imported — after later edits,
/// after its delete, and after it is restored.
#[test]
fn an_import_entry_shows_the_customer_as_imported_without_storing_a_copy() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let file = db.dir.path().join("in.csv");
    std::fs::write(
        &file,
        "Name,Street,City,Country,Active\nAcme GmbH,Hauptstr. 1,Berlin,DE,yes\nBeta AG,,Zürich,CH,no\n",
    )
    .unwrap();
    let report = transfer::import(&store, &file, ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!(
        (report.inserted, report.errors.len()),
        (2, 0),
        "{:?}",
        report.errors
    );
    let stored: Vec<Option<String>> = rusqlite::Connection::open(&db.path)
        .unwrap()
        .prepare("SELECT after FROM history WHERE action = 'import'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored, [None, None], "no copy stored");

    let as_imported = serde_json::json!({
        "customer_id": "acme-gmbh", "name": "Acme GmbH", "street": "Hauptstr. 1", "zip": null,
        "city": "Berlin", "country": "DE", "url": null, "comment": null, "validity": "valid",
    });
    let import_entry = |entries: Vec<clientbook::model::HistoryEntry>| {
        let mut imports: Vec<_> = entries
            .into_iter()
            .filter(|e| e.action == "import")
            .collect();
        assert_eq!(imports.len(), 1);
        imports.pop().unwrap()
    };
    let shown = import_entry(store.history("acme-gmbh", None, 10).unwrap());
    assert_eq!(shown.before, None);
    assert_eq!(
        shown.after.as_ref(),
        Some(&as_imported),
        "never edited: as it is now"
    );
    assert_eq!(
        import_entry(store.history("beta-ag", None, 10).unwrap())
            .after
            .unwrap()["validity"],
        "invalid"
    );

    // Edited twice: the import entry still shows Berlin, the edits show what changed.
    for city in ["München", "Hamburg"] {
        store
            .update_customer(
                "acme-gmbh",
                CustomerFields {
                    city: Some(city.into()),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let entries = store.history("acme-gmbh", None, 10).unwrap();
    assert_eq!(entries[0].after.as_ref().unwrap()["city"], "Hamburg");
    assert_eq!(import_entry(entries).after.as_ref(), Some(&as_imported));

    // Deleted (its history then hangs off the delete entry), and restored.
    store.delete_customer("beta-ag").unwrap();
    store.delete_customer("acme-gmbh").unwrap();
    let gone = store.deleted_customers().unwrap();
    assert_eq!(gone[0].customer_id, "acme-gmbh");
    let old = store.deleted_history(gone[0].entry).unwrap();
    assert_eq!(import_entry(old).after.as_ref(), Some(&as_imported));
    let beta = store.deleted_history(gone[1].entry).unwrap();
    assert_eq!(
        import_entry(beta).after.unwrap()["city"],
        "Zürich",
        "from the delete entry"
    );
    store.restore_deleted_customer(gone[0].entry).unwrap();
    let back = store.history("acme-gmbh", None, 10).unwrap();
    assert_eq!(import_entry(back).after.as_ref(), Some(&as_imported));
}

#[test]
fn the_list_filters_by_service_at_every_depth_with_search_and_active_filter() {
    use clientbook::store::{ActiveFilter, ListQuery, SortKey};
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    // 700 customers (more than one anchor step); every third has Server backup, and every
    // seventh of those is inactive.
    let mut expected = Vec::new();
    for i in 0..700 {
        let name = format!("Shop {i:04}");
        let id = store.create_customer(named(&name)).unwrap().customer_id;
        if i % 3 == 0 {
            store
                .set_customer_service(&id, "Server backup", "Basic")
                .unwrap();
            if i % 7 == 0 {
                store.set_validity(&id, Validity::Invalid).unwrap();
            } else {
                expected.push(id.clone());
            }
        } else {
            store
                .set_customer_service(&id, "Workstation backup", "Basic")
                .unwrap();
        }
    }
    let q = ListQuery {
        filter: ActiveFilter::Active,
        service: Some("Server backup".into()),
        sort: SortKey::Name,
        descending: true,
        ..Default::default()
    };
    let mut want = expected.clone();
    want.reverse();
    let first = store.window(&q, 0, 50).unwrap();
    let ids = |w: &clientbook::store::Window| {
        w.rows
            .iter()
            .map(|c| c.customer_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), want[..50]);
    assert_eq!(store.view_total(&q).unwrap(), want.len() as u64);
    let deep = store.window(&q, 150, 50).unwrap();
    assert_eq!(ids(&deep), want[150..200]);
    assert_eq!(
        store.position_of(&q, &want[123]).unwrap(),
        Some(123),
        "position in the filtered list"
    );
    let other = store.create_customer(named("Shop extra")).unwrap();
    assert_eq!(store.position_of(&q, &other.customer_id).unwrap(), None);
    let mut scanned = Vec::new();
    store
        .scan(&q, |c| {
            scanned.push(c.customer_id.clone());
            Ok(())
        })
        .unwrap();
    assert_eq!(scanned, want, "export and the CLI see the same list");

    let searched = ListQuery {
        search: "shop 03".into(),
        ..q.clone()
    };
    let want_searched: Vec<_> = want
        .iter()
        .filter(|id| id.starts_with("shop-03"))
        .cloned()
        .collect();
    assert!(!want_searched.is_empty());
    assert_eq!(
        ids(&store.window(&searched, 0, 1000).unwrap()),
        want_searched
    );
    assert_eq!(
        store.view_total(&searched).unwrap(),
        want_searched.len() as u64
    );

    let unknown = ListQuery {
        service: Some("Tape backup".into()),
        ..Default::default()
    };
    let err = store.window(&unknown, 0, 50).unwrap_err().to_string();
    assert!(err.contains("no service 'Tape backup'"), "{err}");
}

#[test]
fn a_customers_jobs_filter_by_service() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    for (service, name) in [
        ("Server backup", "Nightly"),
        ("Workstation backup", "Laptops"),
    ] {
        store.set_customer_service(&acme, service, "Basic").unwrap();
        store.add_job(&acme, job(name, service)).unwrap();
    }
    let names = |s: Option<&str>| {
        store
            .customer_jobs(&acme, s)
            .unwrap()
            .into_iter()
            .map(|j| j.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(None), ["Laptops", "Nightly"]);
    assert_eq!(names(Some("Server backup")), ["Nightly"]);
    assert!(store
        .customer_jobs(&acme, Some("Tape backup"))
        .unwrap_err()
        .to_string()
        .contains("no service 'Tape backup'"));
}
