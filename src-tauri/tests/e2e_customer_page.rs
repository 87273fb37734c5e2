//! End-to-end: a customer's page in the real window. Open an inactive customer from the list, add
//! a user (a weak password is refused beside its field, then a strong one) in the "Users" group,
//! see why the user cannot log in yet, activate the customer and see that the user can; then the
//! History tab lists the user's creation; a service and a job on it are added, and Esc goes back
//! to the list, which counts the job. Screenshots land in
//! `target/e2e-screenshots/customer-page-*.png`.

mod harness;

use clientbook::model::CustomerFields;
use harness::*;

/// The text of jdoe's "Can log in" cell.
async fn login_text(client: &Client) -> Option<String> {
    text_of(client, "#cp-users tr[data-username='jdoe'] .cp-login").await
}

#[tokio::test(flavor = "multi_thread")]
async fn add_a_user_on_a_customer_page_and_see_when_they_can_log_in() {
    let (_turn, _dir, db) = take_turn("page.clientbook").await;
    let inactive = CustomerFields {
        validity: Some("invalid".into()),
        ..named("Acme")
    };
    store_with(&db, inactive)
        .add_service("Offsite Backup", &["Basic".into(), "Pro".into()])
        .unwrap();
    let (_driver, port) = start_driver(&[]);
    let client = connect(port, &db).await;

    // Open Acme's page from the list: select its row, Enter.
    click(&client, "tr[data-id='acme'] td.name").await;
    find(&client, "#grid").await.send_keys(ENTER).await.unwrap();
    eventually(&client, "Acme's page with its header", || async {
        let name = text_of(&client, "#cp-name").await?;
        let badge = text_of(&client, "#cp-validity").await?;
        (name == "Acme" && badge == "Inactive").then_some(())
    })
    .await;
    assert_text(&client, "#cp-id", "acme").await;
    assert_text(&client, "#cp-active", "Activate").await;

    // Users tab: add jdoe; a weak password is refused beside its field.
    click(&client, "#cp-tab-users").await;
    find(&client, "#cp-panel-users:not([hidden])").await;
    open_dialog(&client, "#cp-user-add", "#cp-user-dialog").await;
    fill(
        &client,
        &[
            ("#cp-u-username", "jdoe"),
            ("#cp-u-display_name", "Jane Doe"),
            ("#cp-u-email", "jdoe@example.com"),
            ("#cp-u-password", "password"),
            ("#cp-u-password2", "password"),
        ],
    )
    .await;
    click(&client, "#cp-u-groups input[value='Users']").await;
    click(&client, "#cp-user-submit").await;
    let refusal = eventually(&client, "the password's refusal beside it", || async {
        shown_text(&client, "#cp-ue-password")
            .await
            .filter(|t| !t.is_empty())
    })
    .await;
    assert_contains(&refusal, "Too short", "the backend's reason: ");
    assert!(
        is_open(&client, "#cp-user-dialog").await,
        "the dialog stays"
    );
    shot(&client, "customer-page-user-dialog.png").await;

    let strong = "correct horse battery staple";
    fill(
        &client,
        &[("#cp-u-password", strong), ("#cp-u-password2", strong)],
    )
    .await;
    click(&client, "#cp-user-submit").await;
    let login = eventually(&client, "jdoe's row, not able to log in", || async {
        if is_open(&client, "#cp-user-dialog").await {
            return None;
        }
        login_text(&client).await
    })
    .await;
    assert!(
        login.starts_with("Can log in: no") && login.contains("the customer is not active"),
        "why jdoe cannot log in: {login}"
    );
    let chip = find(
        &client,
        "#cp-users tr[data-username='jdoe'] .cp-chip input[data-key='group:Users']",
    )
    .await;
    assert!(chip.is_selected().await.unwrap(), "jdoe is in Users");
    let cells = text_of(&client, "#cp-users tr[data-username='jdoe']")
        .await
        .unwrap();
    assert!(cells.contains("Jane Doe") && cells.contains("jdoe@example.com"));

    settled_shot(&client, "customer-page-users-inactive.png").await;

    // Activate the customer: now jdoe can log in.
    click(&client, "#cp-active").await;
    eventually(&client, "jdoe able to log in", || async {
        (login_text(&client).await? == "Can log in: yes").then_some(())
    })
    .await;
    assert_text(&client, "#cp-validity", "Active").await;
    assert_text(&client, "#cp-active", "Deactivate").await;
    settled_shot(&client, "customer-page-users.png").await;
    let store = clientbook::Store::open(&db).unwrap();
    assert!(store.customer("acme").unwrap().active);
    drop(store);

    // Services: add one with its plan; Jobs: a job on it.
    click(&client, "#cp-tab-services").await;
    click(&client, "#cp-service-new option[value='Offsite Backup']").await;
    click(&client, "#cp-service-plan option[value='Pro']").await;
    click(&client, "#cp-service-submit").await;
    find(&client, "#cp-services tr[data-service='Offsite Backup']").await;
    click(&client, "#cp-tab-jobs").await;
    open_dialog(&client, "#cp-job-add", "#cp-job-dialog").await;
    fill(
        &client,
        &[("#cp-j-name", "Nightly"), ("#cp-j-schedule", "daily 22:00")],
    )
    .await;
    click(&client, "#cp-job-submit").await;
    let job = eventually(&client, "the new job's row", || async {
        text_of(&client, "#cp-jobs tr[data-job='Nightly']").await
    })
    .await;
    assert!(job.contains("Offsite Backup") && job.contains("daily 22:00"));
    settled_shot(&client, "customer-page-jobs.png").await;
    click(&client, "#cp-tab-groups").await;
    find(&client, "#cp-groups tr[data-group='Users']").await;
    settled_shot(&client, "customer-page-groups.png").await;

    // History: the user's creation is listed.
    after_click(&client, "#cp-tab-history", "#cp-history")
        .when("the History tab listing jdoe's creation", |t| {
            t.contains("User jdoe created")
        })
        .await;
    settled_shot(&client, "customer-page-history.png").await;

    // Another process (the CLI, a second window) renames Acme: the open page follows.
    clientbook::Store::open(&db)
        .unwrap()
        .update_customer("acme", named("Acme Holding"))
        .unwrap();
    text_when(
        &client,
        "the page's header to follow the rename",
        "#cp-name",
        |t| t == "Acme Holding",
    )
    .await;

    // Esc (focus on the tab, not in a text field) goes back to the list; while a toast shows, the
    // first Esc dismisses it.
    eventually(&client, "the list again after Esc", || async {
        let page = client.find(Locator::Css("#view-customer")).await.ok()?;
        if page.attr("hidden").await.ok()?.is_some() {
            return Some(());
        }
        let focused = client.active_element().await.ok()?;
        focused.send_keys(ESCAPE).await.ok()?;
        None
    })
    .await;
    assert!(text_of(&client, "#toasts")
        .await
        .unwrap_or_default()
        .is_empty());
    // The list behind caught up with the job.
    cells_when(&client, "Acme's row counting one job", "acme", |cells| {
        cells.iter().any(|t| t == "1")
    })
    .await;

    client.close().await.unwrap();
}
