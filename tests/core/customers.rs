//! Customers on real database files: create, edit, delete and undo, the own company, and what
//! survives closing and reopening the file.

use crate::common::{add, bytes_of, named, temp_db, temp_store};
use clientbook::model::{CustomerFields, Validity};
use clientbook::store::ListQuery;
use clientbook::{Error, Store};

#[test]
fn a_new_database_holds_only_the_own_company() {
    let (_db, store) = temp_store();
    assert_eq!(store.count_customers().unwrap(), 1);
    let own = store.customer("my-company").unwrap();
    assert_eq!(own.name, "My company");
    assert!(own.own && own.active);
}

#[test]
fn create_derives_a_unique_id_and_persists() {
    let db = temp_db();
    {
        let store = Store::open(&db.path).unwrap();
        assert_eq!(store.suggest_customer_id("Acme Corp").unwrap(), "acme-corp");
        let first = store.create_customer(named("Acme Corp")).unwrap();
        assert_eq!(first.customer_id, "acme-corp");
        assert_eq!(
            store.suggest_customer_id("ACME corp.").unwrap(),
            "acme-corp-2"
        );
        let second = store.create_customer(named("ACME corp.")).unwrap();
        assert_eq!(second.customer_id, "acme-corp-2");
        // A name with no letter or digit could be seen by no one and found by no search.
        let nameless = store.create_customer(named("!!!")).unwrap_err();
        assert_eq!(nameless.field(), Some("name"), "{nameless}");
    }
    let reopened = Store::open(&db.path).unwrap();
    assert_eq!(reopened.count_customers().unwrap(), 3);
    assert_eq!(reopened.customer("acme-corp-2").unwrap().name, "ACME corp.");
}

#[test]
fn an_explicit_id_that_is_taken_is_refused_on_the_id_field() {
    let (_db, store) = temp_store();
    store.create_customer(named("Acme")).unwrap();
    let mut fields = named("Other");
    fields.customer_id = Some("ACME".into());
    let err = store.create_customer(fields).unwrap_err();
    assert_eq!(err.kind(), "conflict");
    assert_eq!(err.field(), Some("customer_id"));
    assert!(err.to_string().contains("already used by “Acme”"), "{err}");
    assert_eq!(store.count_customers().unwrap(), 2);
}

#[test]
fn invalid_input_saves_nothing_and_names_every_field() {
    let (_db, store) = temp_store();
    let id = add(&store, "Acme", "Berlin");
    let before = store.customer(&id).unwrap();
    let fields = CustomerFields {
        country: Some("Atlantis".into()),
        city: Some("Hamburg".into()),
        ..named("")
    };
    let err = store.update_customer(&id, fields).unwrap_err();
    match err {
        Error::Invalid(fields) => {
            let names: Vec<_> = fields.iter().map(|f| f.field).collect();
            assert_eq!(names, ["name", "country"]);
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(store.customer(&id).unwrap(), before, "nothing was saved");
}

#[test]
fn edit_changes_fields_and_can_rename_the_id() {
    let (_db, store) = temp_store();
    let id = add(&store, "Acme", "Berlin");
    let fields = CustomerFields {
        city: Some("Hamburg".into()),
        country: Some("Germany".into()),
        url: Some("acme.example".into()),
        ..Default::default()
    };
    let edited = store.update_customer(&id, fields).unwrap();
    assert_eq!(edited.city.as_deref(), Some("Hamburg"));
    assert_eq!(edited.country.as_deref(), Some("DE"));
    assert_eq!(edited.url.as_deref(), Some("https://acme.example"));
    let renamed = store
        .update_customer(
            &id,
            CustomerFields {
                customer_id: Some("acme-gmbh".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(renamed.customer_id, "acme-gmbh");
    assert_eq!(store.customer(&id).unwrap_err().kind(), "not_found");
}

#[test]
fn the_active_toggle_switches_validity() {
    let (_db, store) = temp_store();
    let id = add(&store, "Acme", "Berlin");
    let off = store.set_validity(&id, Validity::Invalid).unwrap();
    assert!(!off.active);
    assert_eq!(off.validity, Validity::Invalid);
    assert!(store.set_validity(&id, Validity::Valid).unwrap().active);
}

#[test]
fn the_own_company_can_be_edited_but_never_deleted_or_deactivated() {
    let (_db, store) = temp_store();
    let renamed = store
        .update_customer(
            "my-company",
            CustomerFields {
                street: Some("Harbour Road 1".into()),
                ..named("Northwind IT")
            },
        )
        .unwrap();
    assert_eq!(renamed.name, "Northwind IT");
    assert!(renamed.own);

    let err = store.delete_customer("my-company").unwrap_err();
    assert_eq!(err.kind(), "refused");
    assert!(err.to_string().contains("Northwind IT"), "{err}");
    let err = store
        .set_validity("my-company", Validity::Invalid)
        .unwrap_err();
    assert_eq!(err.kind(), "refused");
    assert!(store.customer("my-company").unwrap().active);
    assert_eq!(store.count_customers().unwrap(), 1);
}

#[test]
fn delete_then_undo_restores_the_row_exactly() {
    let (_db, store) = temp_store();
    let fields = CustomerFields {
        street: Some("Hauptstr. 5".into()),
        zip: Some("80331".into()),
        city: Some("München".into()),
        country: Some("DE".into()),
        url: Some("https://mueller.example".into()),
        comment: Some("Key account\nsince 2019".into()),
        validity: Some("invalid-temporarily".into()),
        ..named("Müller & Söhne")
    };
    let created = store.create_customer(fields).unwrap();
    let deleted = store.delete_customer(&created.customer_id).unwrap();
    assert_eq!(deleted, created);
    assert_eq!(
        store.customer(&created.customer_id).unwrap_err().kind(),
        "not_found"
    );
    let search = ListQuery {
        search: "mull".into(),
        ..Default::default()
    };
    let found = || store.view_total(&search).unwrap();
    assert_eq!(found(), 0, "the search index forgot it");

    let restored = store.restore_customer(&deleted).unwrap();
    assert_eq!(restored, created, "same ID, fields and timestamps");
    assert_eq!(found(), 1, "and the search index has it back");
}

#[test]
fn undo_is_refused_when_the_id_was_taken_meanwhile() {
    let (_db, store) = temp_store();
    let id = add(&store, "Acme", "Berlin");
    let deleted = store.delete_customer(&id).unwrap();
    add(&store, "Acme", "Paris");
    let err = store.restore_customer(&deleted).unwrap_err();
    assert_eq!(err.kind(), "conflict");
}

#[test]
fn a_database_from_a_newer_clientbook_is_refused_untouched() {
    let db = temp_db();
    drop(Store::open(&db.path).unwrap());
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = bytes_of(&db.path);
    let err = Store::open(&db.path).err().expect("refused");
    assert_eq!(err.kind(), "newer_database");
    let message = err.to_string();
    assert!(
        message.contains("newer version of Clientbook") && message.contains("99"),
        "{message}"
    );
    assert_eq!(bytes_of(&db.path), before, "not a byte changed");
}

#[test]
fn other_files_are_refused_untouched() {
    let db = temp_db();
    let text = db.dir.path().join("notes.clientbook");
    std::fs::write(&text, "Name\nAcme Corp\n".repeat(100)).unwrap();
    let err = Store::open(&text).err().expect("refused");
    assert_eq!(err.kind(), "not_clientbook", "{err}");
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "Name\nAcme Corp\n".repeat(100)
    );

    let other = db.dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = bytes_of(&other);
    let err = Store::open(&other).err().expect("refused");
    assert_eq!(err.kind(), "not_clientbook");
    assert_eq!(bytes_of(&other), before);
}
