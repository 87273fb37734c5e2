//! Services and jobs (src/store/services.rs, jobs.rs): a job needs its customer's service, one
//! plan per service, the Jobs view shows active customers only, and the list and a customer's
//! jobs filter by service.

use super::*;
use clientbook::model::JobFields;

#[test]
fn jobs_need_the_customers_service_and_the_jobs_view_shows_active_customers_only() {
    let (_db, store, acme) = with_acme();
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
fn the_list_filters_by_service_at_every_depth_with_search_and_active_filter() {
    use clientbook::store::{ActiveFilter, ListQuery, SortKey};
    let (_db, store) = temp_store();
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
    let scanned = crate::common::scanned(&store, &q);
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
    let (_db, store, acme) = with_acme();
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
