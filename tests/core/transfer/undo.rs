//! Undo of an import: everything back exactly, refused once something changed, a bulk import
//! undone, and an imported mapping change in the history.

use super::*;

/// Undo of an import: the customers it added go (with their groups and history entries), the
/// ones it changed — fields, Autotask mapping, Updated time — are exactly as before, its history
/// entries are gone, and the search index follows. Users of a changed customer stay.
#[test]
fn undo_takes_an_import_back_exactly() {
    let (db, store) = temp_store();
    add(&store, "Alpha Bau", "Köln");
    add(&store, "Beta Handel", "Bonn");
    let company = clientbook::autotask::Company {
        id: 7,
        name: "Beta Handel GmbH".into(),
        number: None,
        city: None,
        active: true,
    };
    store.map_customer("beta-handel", &company).unwrap();
    store
        .add_user(
            "alpha-bau",
            clientbook::model::UserFields {
                username: Some("jdoe".into()),
                password: Some("a long enough password".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let before = all_rows(&db.path);

    let csv = "Customer ID,Name,City,Autotask company ID,Autotask company,Autotask status\n\
               alpha-bau,Alpha Bau,Düsseldorf,,,\n\
               beta-handel,Beta Handel,Bonn,9,Beta Neu,renamed\n\
               gamma,Gamma Zeppelin,Aachen,,,\n\
               delta,Delta Werft,Kiel,,,\n";
    let report = run(&store, &write(&db, "u.csv", csv.as_bytes()), updating()).unwrap();
    assert_eq!((report.inserted, report.updated), (2, 2), "{report:?}");
    assert_eq!(search_ids(&store, "zeppelin"), ["gamma"]);
    assert_ne!(all_rows(&db.path), before);

    let undone = store
        .undo_import(report.undo.expect("an undo token"))
        .unwrap();
    assert_eq!(
        undone,
        clientbook::store::UndoneImport {
            removed: 2,
            restored: 2
        }
    );
    assert_eq!(all_rows(&db.path), before, "the database is as it was");
    assert!(search_ids(&store, "zeppelin").is_empty());
    assert_eq!(search_ids(&store, "köln"), ["alpha-bau"]);
    assert!(search_ids(&store, "düsseldorf").is_empty());
    search_index_is_consistent(&db.path);

    let again = store.undo_import(report.undo.unwrap()).unwrap_err();
    assert_eq!(again.kind(), "refused");
    assert_eq!(
        again.to_string(),
        "That import can no longer be undone: it was undone already, or another import came \
         after it."
    );
    assert_eq!(all_rows(&db.path), before);
}

/// A change after the import (here an edit of a customer it added) ends its Undo: the undo is
/// refused with a sentence and nothing is changed. A later import's Undo replaces an earlier
/// one's, and an import that wrote nothing offers none.
#[test]
fn undo_of_an_import_is_refused_once_something_changed_after_it() {
    let (db, store) = temp_store();
    let first = import(&store, &write(&db, "a.csv", b"Name\nAlpha\nBeta\n"));
    let after_first = all_rows(&db.path);
    let second = import(&store, &write(&db, "b.csv", b"Name\nGamma\n"));
    let err = store.undo_import(first.undo.unwrap()).unwrap_err();
    assert_eq!(err.kind(), "refused");
    store.undo_import(second.undo.unwrap()).unwrap();
    assert_eq!(
        all_rows(&db.path),
        after_first,
        "only the second import is gone"
    );

    let third = import(&store, &write(&db, "c.csv", b"Name\nDelta\n"));
    store
        .update_customer(
            "delta",
            CustomerFields {
                city: Some("Kiel".into()),
                ..named("Delta")
            },
        )
        .unwrap();
    let edited = all_rows(&db.path);
    let err = store.undo_import(third.undo.unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The import can no longer be undone: customers have been added, changed or deleted \
         since."
    );
    assert_eq!(all_rows(&db.path), edited, "nothing was changed");

    let nothing = import(&store, &write(&db, "d.csv", b"Name\n\n"));
    assert_eq!(nothing.undo, None);
    let dry = run(&store, &write(&db, "e.csv", b"Name\nEpsilon\n"), dry_run()).unwrap();
    assert_eq!(dry.undo, None);
}

/// A large import, undone: bulk mode again (indexes and search triggers dropped and made
/// again), and the schema, the rows and the search index are as before.
#[test]
fn undo_of_a_bulk_import_restores_schema_rows_and_search_index() {
    let (db, store) = temp_store();
    add(&store, "Alpha Bau", "Köln");
    let schema = schema_of(&store).unwrap();
    let before = all_rows(&db.path);
    let csv = db.dir.path().join("big.csv");
    clientbook::sample::write_csv(&csv, 20_000).unwrap();
    let report = import(&store, &csv);
    assert_eq!(report.inserted, 20_000);
    let undone = store.undo_import(report.undo.unwrap()).unwrap();
    assert_eq!((undone.removed, undone.restored), (20_000, 0));
    assert_eq!(schema_of(&store).unwrap(), schema);
    store.wait_for_checkpoint();
    assert_eq!(all_rows(&db.path), before);
    search_index_is_consistent(&db.path);
    assert_eq!(search_ids(&store, "köln"), ["alpha-bau"]);
}

/// An import that changes only a customer's Autotask mapping writes a history entry that shows
/// the change (it used to write none).
#[test]
fn an_imported_mapping_change_is_in_the_history() {
    let (db, store) = temp_store();
    add(&store, "Alpha Bau", "Köln");
    let csv = "Customer ID,Name,City,Autotask company ID,Autotask company,Autotask status\n\
               alpha-bau,Alpha Bau,Köln,12,Alpha AG,ok\n";
    let report = run(&store, &write(&db, "m.csv", csv.as_bytes()), updating()).unwrap();
    assert_eq!(report.updated, 1, "{report:?}");
    let history = store.history("alpha-bau", None, 10).unwrap();
    let edit = &history[0];
    assert_eq!(
        (edit.action.as_str(), edit.entity.as_str()),
        ("edit", "customer")
    );
    assert_eq!(
        edit.before.as_ref().unwrap()["autotask"],
        serde_json::Value::Null
    );
    assert_eq!(edit.after.as_ref().unwrap()["autotask"]["company_id"], 12);
}
