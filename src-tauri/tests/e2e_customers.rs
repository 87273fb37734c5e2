//! End-to-end: the customers list in the real window. Add a customer (its ID follows the name
//! live), edit its city in the dialog, toggle Active off in its row, search for it (prefix per
//! word, case-insensitive), and watch the list, its count and the selection follow rows that
//! another process writes into the open file. Screenshots land in `target/e2e-screenshots/`.
//!
//! Needs a display (`scripts/test` provides Xvfb) and `tauri-driver` on PATH
//! (`scripts/setup test` installs it).

mod harness;

use clientbook::model::Validity;
use harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn add_edit_toggle_and_search_a_customer_through_the_window() {
    let (_turn, dir, db) = take_turn("e2e.clientbook").await;
    let (_driver, port) = start_driver(&[]);
    let client = connect(port, &db).await;

    // Add: the ID follows the name live; the new row appears selected.
    let name = find(&client, "#new-name").await;
    name.send_keys("Zephyr Networks GmbH").await.unwrap();
    let new_id = find(&client, "#new-id").await;
    eventually(&client, "the derived customer ID", || async {
        (value(&new_id).await == "zephyr-networks-gmbh").then_some(())
    })
    .await;
    click(&client, "#add-button").await;
    let row_css = "tr[data-id='zephyr-networks-gmbh']";
    eventually(&client, "the new row, selected", || async {
        let row = client.find(Locator::Css(row_css)).await.ok()?;
        let class = row.attr("class").await.ok()??;
        class
            .split_whitespace()
            .any(|c| c == "selected")
            .then_some(())
    })
    .await;
    assert_eq!(value(&name).await, "", "the create row is cleared");
    shot(&client, "01-customer-added.png").await;

    // Edit the city in the dialog.
    click(&client, &format!("{row_css} button.edit")).await;
    type_into(&client, "#customer-dialog[open] #f-city", "Hamburg").await;
    shot(&client, "02-edit-dialog.png").await;
    click(&client, "#dialog-save-close").await;
    eventually(
        &client,
        "the dialog to close and the row to show Hamburg",
        || async {
            let open = is_open(&client, "#customer-dialog").await;
            let cells = cell_texts(&client, "zephyr-networks-gmbh").await?;
            (!open && cells.iter().any(|t| t == "Hamburg")).then_some(())
        },
    )
    .await;

    // Toggle Active off right in the row.
    let toggle = find(&client, &format!("{row_css} input.active-toggle")).await;
    assert!(
        toggle.is_selected().await.unwrap(),
        "a new customer starts active"
    );
    toggle.click().await.unwrap();
    eventually(&client, "the stored customer to become invalid", || async {
        let store = clientbook::Store::open(&db).ok()?;
        let c = store.customer("zephyr-networks-gmbh").ok()?;
        (c.validity == Validity::Invalid && c.city.as_deref() == Some("Hamburg")).then_some(())
    })
    .await;
    eventually(&client, "the row's checkbox to show inactive", || async {
        let toggle = client
            .find(Locator::Css(&format!("{row_css} input.active-toggle")))
            .await
            .ok()?;
        (!toggle.is_selected().await.ok()?).then_some(())
    })
    .await;

    // Search: prefix per word, case-insensitive; only the match remains.
    let search = find(&client, "#search").await;
    search_for(&client, "zeph HAM", &["zephyr-networks-gmbh"]).await;
    shot(&client, "03-search.png").await;

    search.clear().await.unwrap();
    search_for(&client, "nothing-like-this", &[]).await;

    // Another process (this test, as the CLI would) imports into the open file: the list and
    // its count catch up by themselves, with nothing done in the window.
    search.clear().await.unwrap();
    search.send_keys("x\u{e003}").await.unwrap(); // and Backspace: the box's input event
    text_when(&client, "the whole list again", "#status", |t| {
        t == "2 customers"
    })
    .await;
    // The selected customer stays selected though rows arrive above it.
    click(&client, &format!("{row_css} td")).await;
    let selected = || async {
        let row = client.find(Locator::Css("tr.selected")).await.ok()?;
        row.attr("data-id").await.ok()?
    };
    assert_eq!(selected().await.as_deref(), Some("zephyr-networks-gmbh"));
    let csv = write_file(
        dir.path(),
        "outside.csv",
        "Name,City\nOutside One,Oslo\nOutside Two,Bergen\n",
    );
    {
        let store = clientbook::Store::open(&db).unwrap();
        let options = clientbook::transfer::ImportOptions::default();
        let report = clientbook::transfer::import(&store, &csv, options, &mut |_| true).unwrap();
        assert_eq!(report.inserted, 2);
    }
    eventually(&client, "the rows another process added", || async {
        let ids = row_ids(&client).await;
        let status = text_of(&client, "#status").await?;
        (status == "4 customers" && ids.iter().any(|id| id == "outside-two")).then_some(())
    })
    .await;
    eventually(&client, "the selection to follow its customer", || async {
        (selected().await? == "zephyr-networks-gmbh").then_some(())
    })
    .await;
    shot(&client, "03b-written-from-outside.png").await;

    client.close().await.unwrap();
}
