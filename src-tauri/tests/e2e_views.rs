//! End-to-end: the views built beside the customers list — Copy… a customer from its row (what
//! comes along and what never does), the Jobs view (jobs of active customers only), and
//! Settings (add an administrator, restore a deleted customer). The real window under Xvfb over
//! WebDriver; screenshots land in `target/e2e-screenshots/`.

mod harness;

use clientbook::model::{CustomerFields, JobFields, UserFields, Validity};
use harness::*;
use std::path::Path;

fn customer(store: &clientbook::Store, name: &str, city: &str, country: &str) {
    store
        .create_customer(CustomerFields {
            name: Some(name.into()),
            city: Some(city.into()),
            country: Some(country.into()),
            ..Default::default()
        })
        .unwrap();
}

fn job(store: &clientbook::Store, customer_id: &str, name: &str) {
    store
        .set_customer_service(customer_id, "Server backup", "Premium")
        .unwrap();
    store
        .add_job(
            customer_id,
            JobFields {
                name: name.into(),
                service: "Server backup".into(),
                schedule: Some("daily 02:00".into()),
                active: Some(true),
            },
        )
        .unwrap();
}

/// Acme with a service, a user in one of its groups: what a copy must and must not take along.
fn prepare_acme(db: &Path) {
    let store = clientbook::Store::open(db).unwrap();
    customer(&store, "Acme", "Berlin", "DE");
    store
        .set_customer_service("acme", "Server backup", "Premium")
        .unwrap();
    store
        .add_user(
            "acme",
            UserFields {
                username: Some("jdoe".into()),
                password: Some("correct horse battery staple".into()),
                ..Default::default()
            },
        )
        .unwrap();
    if let Some(group) = store.groups("acme").unwrap().first() {
        store.add_user_to_group("jdoe", &group.name).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn copy_a_customer_through_the_window() {
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copy.clientbook");
    prepare_acme(&db);
    let (_driver, port) = start_driver(&[]);
    let client = connect(port, &db).await;

    click(&client, "tr[data-id='acme'] button.copy").await;
    let name = find(&client, "#copy-dialog[open] #copy-name").await;
    assert_eq!(value(&name).await, "Acme (copy)", "the name is prefilled");
    assert_eq!(
        text_of(&client, "#copy-title").await.as_deref(),
        Some("Copy “Acme”")
    );
    eventually(
        &client,
        "the services to copy, with their plans",
        || async {
            let text = text_of(&client, "#copy-dialog").await?;
            text.contains("Server backup (Premium)").then_some(())
        },
    )
    .await;
    name.clear().await.unwrap();
    name.send_keys("Acme Two").await.unwrap();
    eventually(
        &client,
        "the derived ID as the ID's placeholder",
        || async {
            let id = client.find(Locator::Css("#copy-customer_id")).await.ok()?;
            (id.attr("placeholder").await.ok()??.as_str() == "acme-two").then_some(())
        },
    )
    .await;
    settle().await;
    shot(&client, "copy-dialog.png").await;
    click(&client, "#copy-submit").await;

    find(&client, "tr[data-id='acme-two']").await;
    assert!(!is_open(&client, "#copy-dialog").await, "the dialog closed");
    eventually(&client, "the copy's page", || async {
        (text_of(&client, "#cp-name").await? == "Acme Two").then_some(())
    })
    .await;
    client.close().await.unwrap();

    let store = clientbook::Store::open(&db).unwrap();
    let copy = store.customer("acme-two").unwrap();
    assert_eq!(copy.validity, Validity::InvalidTemporarily);
    assert!(
        copy.comment
            .as_deref()
            .unwrap_or_default()
            .contains("Add users and activate"),
        "comment: {:?}",
        copy.comment
    );
    assert_eq!(
        copy.city.as_deref(),
        Some("Berlin"),
        "the profile came along"
    );
    let services = store.customer_services("acme-two").unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(
        (services[0].service.as_str(), services[0].plan.as_str()),
        ("Server backup", "Premium")
    );
    assert!(store.users("acme-two").unwrap().is_empty(), "no users");
    let source: Vec<String> = store
        .groups("acme")
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    let groups = store.groups("acme-two").unwrap();
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    assert_eq!(names, source, "the groups came along");
    assert!(
        groups.iter().all(|g| g.members.is_empty()),
        "copied groups have no members"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_view_hides_inactive_customers_and_settings_restore() {
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("views.clientbook");
    {
        let store = clientbook::Store::open(&db).unwrap();
        customer(&store, "Active Ltd", "Berlin", "DE");
        customer(&store, "Dormant Inc", "Paris", "FR");
        customer(&store, "Gone GmbH", "Wien", "AT");
        job(&store, "active-ltd", "Fileserver nightly");
        job(&store, "dormant-inc", "Dormant nightly");
        store
            .set_validity("dormant-inc", Validity::Invalid)
            .unwrap();
        store.delete_customer("gone-gmbh").unwrap();
    }
    let (_driver, port) = start_driver(&[]);
    let client = connect(port, &db).await;

    // Jobs: only the active customer's job.
    click(&client, "#nav-jobs").await;
    eventually(&client, "the active customer's job", || async {
        let text = text_of(&client, "#jobs-table tbody").await?;
        text.contains("Fileserver nightly").then_some(())
    })
    .await;
    let jobs = text_of(&client, "#jobs-table tbody").await.unwrap();
    assert!(jobs.contains("Active Ltd"), "jobs: {jobs}");
    assert!(
        !jobs.contains("Dormant"),
        "an inactive customer's job is hidden: {jobs}"
    );
    assert_eq!(
        text_of(&client, "#jobs-count").await.as_deref(),
        Some("1 job")
    );
    settle().await;
    shot(&client, "jobs-view.png").await;

    // Settings: add an administrator.
    click(&client, "#nav-settings").await;
    find(&client, "#admin-name")
        .await
        .send_keys("Ada Admin")
        .await
        .unwrap();
    find(&client, "#admin-email")
        .await
        .send_keys("ada@example.com")
        .await
        .unwrap();
    click(&client, "#admin-add").await;
    eventually(&client, "the new administrator in the table", || async {
        let text = text_of(&client, "#admins-table tbody").await?;
        text.contains("ada@example.com").then_some(())
    })
    .await;

    // Settings: add a service. Without plans the error shows beside the plans input and the
    // name typed stays; with them the service joins the catalogue and the form is emptied.
    find(&client, "#service-name")
        .await
        .send_keys("NAS backup")
        .await
        .unwrap();
    click(&client, "#service-add").await;
    eventually(&client, "the plans error beside its input", || async {
        let text = text_of(&client, "#service-plans-error").await?;
        text.contains("at least one plan").then_some(())
    })
    .await;
    assert_eq!(
        value(&find(&client, "#service-name").await).await,
        "NAS backup"
    );
    find(&client, "#service-plans")
        .await
        .send_keys("Basic, Premium")
        .await
        .unwrap();
    click(&client, "#service-add").await;
    eventually(&client, "the new service in the catalogue", || async {
        let text = text_of(&client, "#services-list li[data-service='NAS backup']").await?;
        text.contains("Premium").then_some(())
    })
    .await;
    assert_eq!(value(&find(&client, "#service-name").await).await, "");
    assert_eq!(
        text_of(&client, "#service-plans-error").await.as_deref(),
        Some(""),
        "the error went with the fix"
    );

    // Deleted customers: the one deleted above, with its history; restore it.
    let item = "#deleted-list li[data-id='gone-gmbh']";
    click(&client, &format!("{item} button.history-toggle")).await;
    eventually(&client, "the deleted customer's history", || async {
        let text = text_of(&client, &format!("{item} ol.history")).await?;
        text.contains("deleted").then_some(())
    })
    .await;
    settle().await;
    shot(&client, "settings.png").await;
    click(&client, &format!("{item} button.restore")).await;
    eventually(
        &client,
        "the restored customer gone from the list of deleted",
        || async {
            let text = text_of(&client, "#deleted-list").await?;
            (!text.contains("Gone GmbH")).then_some(())
        },
    )
    .await;

    click(&client, "#nav-customers").await;
    find(&client, "tr[data-id='gone-gmbh']").await;
    client.close().await.unwrap();

    let store = clientbook::Store::open(&db).unwrap();
    assert_eq!(store.customer("gone-gmbh").unwrap().name, "Gone GmbH");
}
