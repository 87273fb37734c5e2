//! Identity and what people can see, on real database files: customer IDs, usernames, group,
//! job and service names are one thing without regard to case in every script (full Unicode
//! case folding, canonical forms), in the store, the import and the command line; what no one
//! can see or find is refused; an older file whose values already clash keeps them all.

use crate::common::{assert_starts_with, job, named, temp_store, user, with_id, write};
use clientbook::model::CustomerFields;
use clientbook::transfer::{self, ImportOptions};
use clientbook::{Error, Store};

/// Pairs that differ only in case (or in how the same letter is written) beyond ASCII.
const SAME: &[(&str, &str)] = &[
    ("straße", "STRASSE"),
    ("ǆemal", "ǅemal"),
    ("σίσυφος", "ΣΊΣΥΦΟΣ"),
    ("café", "CAFE\u{301}"),
    ("ångström", "\u{212b}NGSTRÖM"),
    ("ﬁrma", "FIRMA"),
    ("ärzte", "ÄRZTE"),
];

#[test]
fn customer_ids_that_differ_only_in_case_beyond_ascii_are_one_customer() {
    let (_db, store) = temp_store();
    for (i, (first, second)) in SAME.iter().enumerate() {
        store
            .create_customer(with_id(&format!("First {i}"), first))
            .unwrap();
        let err = store
            .create_customer(with_id(&format!("Second {i}"), second))
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{second}: {err:?}");
        assert!(err.to_string().contains("already used"), "{err}");
        // Found by either spelling; renaming onto it is refused too.
        assert_eq!(
            store.customer(second).unwrap().customer_id.as_str(),
            *first,
            "{second}"
        );
        let other = store.create_customer(named(&format!("Other {i}"))).unwrap();
        let err = store
            .update_customer(&other.customer_id, with_id(&other.name, second))
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{second}: {err:?}");
    }
    // Changing only the case of one's own ID is no clash.
    let changed = store
        .update_customer("straße", with_id("First 0", "Straße"))
        .unwrap();
    assert_eq!(changed.customer_id, "Straße");
}

#[test]
fn usernames_groups_jobs_and_services_compare_the_same_way() {
    let (_db, store) = temp_store();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    let beta = store.create_customer(named("Beta")).unwrap().customer_id;
    for (first, second) in SAME {
        let name = format!("{first}.user");
        store.add_user(&acme, user(&name)).unwrap();
        let err = store
            .add_user(&beta, user(&format!("{second}.USER")))
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{second}: {err:?}");
        assert_eq!(
            store.user(&format!("{second}.user")).unwrap().username,
            name
        );

        store
            .add_group(&acme, &format!("{first} group"), &[])
            .unwrap();
        let err = store
            .add_group(&acme, &format!("{second} GROUP"), &[])
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{second}: {err:?}");
    }
    store
        .set_customer_service(&acme, "Server backup", "Standard")
        .unwrap();
    store
        .add_job(&acme, job("Nächtlich", "SERVER BACKUP"))
        .unwrap();
    let err = store
        .add_job(&acme, job("NÄCHTLICH", "SERVER BACKUP"))
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    store
        .add_service("Übersicht", &["Standard".to_owned()])
        .unwrap();
    let err = store
        .add_service("ÜBERSICHT", &["Standard".to_owned()])
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
}

#[test]
fn an_import_finds_duplicates_and_stored_customers_by_identity() {
    let (db, store) = temp_store();
    store.create_customer(with_id("Stored", "straße")).unwrap();
    let csv = "Customer ID,Name\nSTRASSE,Row two\nǆemal,Row three\nǅemal,Row four\n";
    let path = write(&db, "ids.csv", csv.as_bytes());
    let report = transfer::import(&store, &path, ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!(report.inserted, 1, "{report:?}");
    let messages: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_starts_with(
        &messages,
        &[
            "Row 2, Customer ID: 'STRASSE' is taken",
            "Row 4, Customer ID: The customer ID 'ǅemal' already appears in row 3",
        ],
    );
    // With "Update existing", a row whose ID is the stored one only without regard to case
    // names the stored ID instead of overwriting it.
    let options = ImportOptions {
        update: true,
        ..Default::default()
    };
    let report = transfer::import(&store, &path, options, &mut |_| true).unwrap();
    assert_eq!(report.updated, 0, "{report:?}");
    assert_eq!(store.customer("straße").unwrap().name, "Stored");
}

/// Texts no one could see, or that no search finds, for a name, an ID, a username.
const UNSEEN: &[&str] = &[
    "\u{200b}",
    "\u{3164}",
    "\u{115f}\u{1160}",
    "\u{301}\u{301}",
    "\u{2800}",
    "!!!",
    "\u{feff}-\u{200d}",
];

#[test]
fn what_cannot_be_seen_or_found_is_refused_by_the_field_it_is_in() {
    let (_db, store) = temp_store();
    let acme = store.create_customer(named("Acme")).unwrap().customer_id;
    for text in UNSEEN {
        let err = store.create_customer(named(text)).unwrap_err();
        assert_eq!(err.field(), Some("name"), "{text:?}: {err}");
        let err = store.create_customer(with_id("Visible", text)).unwrap_err();
        assert_eq!(err.field(), Some("customer_id"), "{text:?}: {err}");
        let err = store
            .add_user(&acme, user(&format!("{text}{text}{text}")))
            .unwrap_err();
        assert_eq!(err.field(), Some("username"), "{text:?}: {err}");
        let err = store.add_group(&acme, text, &[]).unwrap_err();
        assert_eq!(err.field(), Some("name"), "{text:?}: {err}");
    }
    // An invisible letter inside an otherwise visible ID or username is refused too; in a
    // name, where it may belong to the script, it is kept.
    let err = store
        .create_customer(with_id("Visible", "ac\u{3164}me"))
        .unwrap_err();
    assert!(err.to_string().contains("U+3164"), "{err}");
    let err = store.add_user(&acme, user("ja\u{3164}ne")).unwrap_err();
    assert!(err.to_string().contains("U+3164"), "{err}");
    // A name made with an invisible letter gets an ID without it.
    let made = store
        .create_customer(named("\u{3164}Hangul Filler Ltd"))
        .unwrap();
    assert_eq!(made.customer_id, "hangul-filler-ltd");
}

#[test]
fn line_separators_and_direction_controls_are_refused_in_every_text_field() {
    let (_db, store) = temp_store();
    for bad in [
        "\u{2028}", "\u{2029}", "\u{85}", "\u{202e}", "\u{2066}", "\u{202a}",
    ] {
        let text = format!("Acme{bad}Corp");
        let fields = CustomerFields {
            name: Some(text.clone()),
            street: Some(text.clone()),
            city: Some(text.clone()),
            ..Default::default()
        };
        let Err(Error::Invalid(errors)) = store.create_customer(fields) else {
            panic!("{bad:?} accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "street", "city"], "{bad:?}");
    }
    // A comment may have line breaks, but no direction control.
    let fields = CustomerFields {
        comment: Some("line one\nline two".into()),
        ..named("Comments Ltd")
    };
    store.create_customer(fields).unwrap();
    let fields = CustomerFields {
        comment: Some("see \u{202e}txt.exe".into()),
        ..named("Trojan Ltd")
    };
    let err = store.create_customer(fields).unwrap_err();
    assert_eq!(err.field(), Some("comment"), "{err}");
    assert!(err.to_string().contains("U+202E"), "{err}");
}

#[test]
fn an_older_file_whose_values_clash_keeps_them_all_and_names_each_pair() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db/v5.clientbook");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.clientbook");
    std::fs::copy(&fixture, &path).unwrap();
    let store = Store::open(&path).unwrap();
    // Both stay, each found by its own spelling.
    assert_eq!(store.customer("STRASSE").unwrap().name, "Strasse Ltd");
    assert_eq!(store.customer("straße").unwrap().name, "Straße GmbH");
    assert_eq!(store.user("ǅemal").unwrap().username, "ǅemal");
    assert_eq!(store.user("ǆemal").unwrap().username, "ǆemal");
    let clashes = store.identity_clashes().unwrap();
    assert_eq!(
        clashes,
        [
            "The customer IDs 'STRASSE' and 'straße' are the same without regard to case, so \
             one of them cannot be found by its ID; give 'straße' another ID.",
            "The usernames 'ǅemal' and 'ǆemal' are the same without regard to case, so one of \
             them cannot be found by its name; delete 'ǆemal' and add that user again under \
             another username.",
        ]
    );
    // A new customer cannot take either identity.
    assert!(store.create_customer(with_id("New", "Strasse")).is_err());
    // Renaming one apart settles it.
    store
        .update_customer("straße", with_id("Straße GmbH", "strasse-wien"))
        .unwrap();
    assert_eq!(store.identity_clashes().unwrap().len(), 1);
    drop(store);
    // db check lists what is left, as a finding (exit 1).
    let report = clientbook::store::check(&path).unwrap();
    assert!(!report.is_ok());
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.starts_with("The usernames 'ǅemal' and 'ǆemal'")),
        "{:?}",
        report.findings
    );
}
