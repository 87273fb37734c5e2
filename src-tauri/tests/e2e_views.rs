//! End-to-end: the views built beside the customers list — Copy… a customer from its row (what
//! comes along and what never does), the Jobs view (jobs of active customers only), and
//! Settings (add an administrator, restore a deleted customer). The real window under Xvfb over
//! WebDriver; screenshots land in `target/e2e-screenshots/`.

mod harness;

use clientbook::model::{CustomerFields, Group, JobFields, Validity};
use harness::*;
use std::path::Path;

fn customer(store: &clientbook::Store, name: &str, city: &str, country: &str) {
    store
        .create_customer(CustomerFields {
            city: Some(city.into()),
            country: Some(country.into()),
            ..named(name)
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

/// The names of `groups`, in their order.
fn names_of(groups: &[Group]) -> Vec<String> {
    groups.iter().map(|g| g.name.clone()).collect()
}

/// Acme with a service, a user in one of its groups: what a copy must and must not take along.
fn prepare_acme(db: &Path) {
    let store = clientbook::Store::open(db).unwrap();
    customer(&store, "Acme", "Berlin", "DE");
    store
        .set_customer_service("acme", "Server backup", "Premium")
        .unwrap();
    store.add_user("acme", user("jdoe")).unwrap();
    if let Some(group) = store.groups("acme").unwrap().first() {
        store.add_user_to_group("jdoe", &group.name).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn copy_a_customer_through_the_window() {
    let (_turn, _dir, db) = take_turn("copy.clientbook").await;
    prepare_acme(&db);
    let (_driver, port) = start_driver(&[]);
    let client = connect(port, &db).await;

    click(&client, "tr[data-id='acme'] button.copy").await;
    let name = find(&client, "#copy-dialog[open] #copy-name").await;
    assert_eq!(value(&name).await, "Acme (copy)", "the name is prefilled");
    assert_text(&client, "#copy-title", "Copy “Acme”").await;
    text_when(
        &client,
        "the services to copy, with their plans",
        "#copy-dialog",
        |t| t.contains("Server backup (Premium)"),
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
    settled_shot(&client, "copy-dialog.png").await;
    click(&client, "#copy-submit").await;

    find(&client, "tr[data-id='acme-two']").await;
    assert!(!is_open(&client, "#copy-dialog").await, "the dialog closed");
    text_when(&client, "the copy's page", "#cp-name", |t| t == "Acme Two").await;
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
    let source = names_of(&store.groups("acme").unwrap());
    let groups = store.groups("acme-two").unwrap();
    assert_eq!(names_of(&groups), source, "the groups came along");
    assert!(
        groups.iter().all(|g| g.members.is_empty()),
        "copied groups have no members"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_view_hides_inactive_customers_and_settings_restore() {
    let (_turn, _dir, db) = take_turn("views.clientbook").await;
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
    let jobs = after_click(&client, "#nav-jobs", "#jobs-table tbody")
        .when("the active customer's job", |t| {
            t.contains("Fileserver nightly")
        })
        .await;
    assert_contains(&jobs, "Active Ltd", "jobs: ");
    assert!(
        !jobs.contains("Dormant"),
        "an inactive customer's job is hidden: {jobs}"
    );
    assert_text(&client, "#jobs-count", "1 job").await;
    settled_shot(&client, "jobs-view.png").await;

    // Settings: add an administrator.
    click(&client, "#nav-settings").await;
    type_text(&client, "#admin-name", "Ada Admin").await;
    type_text(&client, "#admin-email", "ada@example.com").await;
    after_click(&client, "#admin-add", "#admins-table tbody")
        .when("the new administrator in the table", |t| {
            t.contains("ada@example.com")
        })
        .await;

    // Settings: add a service. Without plans the error shows beside the plans input and the
    // name typed stays; with them the service joins the catalogue and the form is emptied.
    type_text(&client, "#service-name", "NAS backup").await;
    after_click(&client, "#service-add", "#service-plans-error")
        .when("the plans error beside its input", |t| {
            t.contains("at least one plan")
        })
        .await;
    assert_eq!(
        value(&find(&client, "#service-name").await).await,
        "NAS backup"
    );
    type_text(&client, "#service-plans", "Basic, Premium").await;
    let service = "#services-list li[data-service='NAS backup']";
    after_click(&client, "#service-add", service)
        .when("the new service in the catalogue", |t| {
            t.contains("Premium")
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
    after_click(
        &client,
        &format!("{item} button.history-toggle"),
        &format!("{item} ol.history"),
    )
    .when("the deleted customer's history", |t| t.contains("deleted"))
    .await;
    settled_shot(&client, "settings.png").await;
    after_click(&client, &format!("{item} button.restore"), "#deleted-list")
        .when("the restored customer gone from the list of deleted", |t| {
            !t.contains("Gone GmbH")
        })
        .await;

    click(&client, "#nav-customers").await;
    find(&client, "tr[data-id='gone-gmbh']").await;
    client.close().await.unwrap();

    let store = clientbook::Store::open(&db).unwrap();
    assert_eq!(store.customer("gone-gmbh").unwrap().name, "Gone GmbH");
}
