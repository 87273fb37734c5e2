//! Copy (src/store/copy.rs): a copy takes the profile, services and groups as chosen, and never
//! users, jobs or the Autotask mapping.

use super::*;
use clientbook::store::{CopyOptions, COPY_NOTE};

#[test]
fn a_copy_takes_what_is_chosen_and_never_users_jobs_or_the_mapping() {
    let (_db, store, acme) = with_customer(CustomerFields {
        city: Some("Berlin".into()),
        country: Some("DE".into()),
        comment: Some("Key account".into()),
        ..named("Acme")
    });
    store
        .add_group(&acme, "Backup team", &["manage backups".into()])
        .unwrap();
    with_service_user_and_job(&store, &acme, "Backup team");

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
