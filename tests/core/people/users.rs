//! Users (src/store/users.rs): every field checked, a mobile number in E.164, usernames unique
//! across customers, passwords kept only as argon2id hashes, and the can-log-in rule.

use super::*;
use clientbook::model::UserFields;
use clientbook::Error;

fn field_errors(err: Error) -> Vec<(String, String)> {
    match err {
        Error::Invalid(fields) => fields
            .into_iter()
            .map(|f| (f.field.to_owned(), f.message))
            .collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[test]
fn each_user_field_is_checked_and_every_problem_is_named() {
    let (_db, store, acme) = with_acme();
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
    let (_db, store) = temp_store();
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
    let (_db, store, acme) = with_acme();
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
    let (db, store, acme) = with_acme();
    store.add_user(&acme, user("jane")).unwrap();
    assert!(store.check_user_password("jane", PASSWORD).unwrap());
    let new = "purple elephant under seven moons";
    store.set_password("jane", new).unwrap();
    assert!(!store.check_user_password("jane", PASSWORD).unwrap());
    assert!(store.check_user_password("jane", new).unwrap());
    // Deleting keeps the user (hash included) in the delete entry: still no clear text.
    store.delete_customer(&acme).unwrap();
    drop(store);
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
    let (_db, store, acme) = with_acme();
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
