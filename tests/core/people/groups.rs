//! Groups (src/store/groups.rs): the template groups a new customer starts with, renaming,
//! deleting, and members.

use super::*;
use clientbook::store::TemplateGroup;

#[test]
fn new_customers_start_with_the_template_groups() {
    let (_db, store, acme) = with_acme();
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
