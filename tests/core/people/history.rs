//! History (src/store/history.rs, timeline.rs): written with each change and never by a refused
//! one, kept and restored with a deleted customer, and one entry per customer an import adds —
//! holding no copy of it.

use super::*;
use crate::common::{in_city, write};
use clientbook::transfer::{self, ImportOptions};

fn actions(store: &Store, customer_id: &str) -> Vec<String> {
    store
        .history(customer_id, None, 1000)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {} {}", e.entity, e.entity_id, e.action))
        .collect()
}

#[test]
fn history_is_written_with_each_change_and_a_failed_change_leaves_none() {
    let (_db, store, acme) = with_acme();
    store.update_customer(&acme, in_city("Paris")).unwrap();
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
    assert!(store.update_customer(&acme, named("")).is_err());
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
    let (_db, store, acme) = with_acme();
    with_service_user_and_job(&store, &acme, "Users");
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
    let (db, store) = temp_store();
    let mut csv = String::from("Name,City\n");
    for i in 0..6000 {
        csv.push_str(&format!("Customer {i},Town {i}\n"));
    }
    let file = write(&db, "in.csv", csv.as_bytes());
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
    let (db, store) = temp_store();
    let csv = "Name,Street,City,Country,Active\n\
               Acme GmbH,Hauptstr. 1,Berlin,DE,yes\n\
               Beta AG,,Zürich,CH,no\n";
    let file = write(&db, "in.csv", csv.as_bytes());
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
        store.update_customer("acme-gmbh", in_city(city)).unwrap();
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
