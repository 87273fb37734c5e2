//! End-to-end: importing a CSV file and exporting the list in the real window. Import… shows a
//! preview (counts, problems, columns; "Stop on any error", "Update existing"), saves an error
//! report, imports with a toast that can show the problems, and a second import is taken back with
//! Undo; Export… writes the list as shown (a search result, with a BOM). A large import shows
//! rows/s, goes on in the background while the list is searched, and Cancel leaves the database
//! as it was. The native dialogs answer through the test variables the shell reads; screenshots
//! land in `target/e2e-screenshots/import-*.png`.
//!
//! Needs a display (`scripts/test` provides Xvfb) and `tauri-driver` on PATH
//! (`scripts/setup test` installs it).

mod harness;

use harness::*;

/// How the preview lists the fixture's row with an unknown country.
const ATLANTIS_ERROR: &str = "Row 5, Country: 'Atlantis' is not a country.";

#[tokio::test(flavor = "multi_thread")]
async fn import_a_csv_file_and_export_the_list_through_the_window() {
    let (_turn, dir, db) = take_turn("import.clientbook").await;
    let csv = write_file(dir.path(), "customers.csv", IMPORT_FIXTURE);
    // The native dialogs answer with these files (see src-tauri/src/commands/transfer.rs).
    let saved = dir.path().join("saved.csv");
    let (_driver, port) = start_driver(&[
        ("CLIENTBOOK_TEST_OPEN_FILE", csv.as_os_str()),
        ("CLIENTBOOK_TEST_SAVE_FILE", saved.as_os_str()),
    ]);
    let client = open_new_database(port, &db).await;

    // Import… (Ctrl+I): the preview shows what would happen, with nothing written yet.
    press_ctrl(&client, "#grid", 'i').await;
    let counts = [
        ("#import-count-read", "5"),
        ("#import-count-add", "3"),
        ("#import-count-update", "0"),
        ("#import-count-duplicates", "1"),
        ("#import-count-invalid", "1"),
    ];
    eventually(&client, "the preview's counts", || async {
        if !is_open(&client, "#import-dialog").await {
            return None;
        }
        for (css, want) in counts {
            if text_of(&client, css).await? != want {
                return None;
            }
        }
        Some(())
    })
    .await;
    let errors = text_of(&client, "#import-errors").await.unwrap();
    assert_contains(&errors, ATLANTIS_ERROR, "error list: ");
    assert_contains(
        &errors,
        "Row 6, Customer ID: The customer ID 'acme' already appears in row 2",
        "error list: ",
    );
    let file = text_of(&client, "#import-file").await.unwrap();
    assert_contains(&file, "customers.csv", "file line: ");
    assert_contains(&file, "UTF-8", "file line: ");
    assert_contains(&file, "commas", "file line: ");
    let columns = text_of(&client, "#import-columns").await.unwrap();
    assert_contains(&columns, "ignored: Phone", "columns: ");
    assert_contains(
        &columns,
        "CreatedCreated",
        "the dates column feeds Created: ",
    );
    let commit = find(&client, "#import-commit").await;
    assert!(commit.is_enabled().await.unwrap(), "Import is enabled");
    assert_eq!(customer_count(&db), 1, "the preview writes nothing");
    shot(&client, "import-preview.png").await;

    // "Stop on any error": the preview runs again and says that nothing would be imported,
    // Import is off, and the problems stay listed. Off again, the three rows are back.
    click(&client, "#import-strict").await;
    let summary = text_when(&client, "the strict preview", "#import-summary", |t| {
        t.starts_with("Nothing will be imported")
    })
    .await;
    assert_eq!(
        summary,
        "Nothing will be imported: 2 rows have problems and “Stop on any error” is on. Fix \
         the file, or turn that option off to import the other rows."
    );
    assert!(!commit.is_enabled().await.unwrap(), "Import is off");
    let errors = text_of(&client, "#import-errors").await.unwrap();
    assert_contains(
        &errors,
        ATLANTIS_ERROR,
        "the strict preview lists the problems: ",
    );
    shot(&client, "import-strict.png").await;
    click(&client, "#import-strict").await;
    eventually(&client, "Import with the option off again", || async {
        let add = text_of(&client, "#import-count-add").await?;
        (add == "3" && commit.is_enabled().await.ok()?).then_some(())
    })
    .await;

    // Save error report (CSV)… writes the problems for the user to work through.
    after_click(&client, "#import-save-errors", "#import-note")
        .when("the error report to be saved", |t| {
            t == "Saved the error report to saved.csv."
        })
        .await;
    let report = std::fs::read_to_string(&saved).unwrap();
    assert!(
        report.starts_with("\u{feff}Row,Column,Message"),
        "report: {report}"
    );
    assert!(
        report.starts_with(
            "\u{feff}Row,Column,Message,Customer ID,Name,City,Country,Phone,Created\n"
        ),
        "the file's own columns follow: {report}"
    );
    assert!(
        report.contains(
            "\n5,Country,'Atlantis' is not a country.,atlantis,Lost City Traders,Poseidonia,Atlantis,,\n"
        ),
        "with the row's values: {report}"
    );

    // Import: the dialog closes, a toast sums up, the list shows the new customers.
    commit.click().await.unwrap();
    let toast = toast_starting(&client, "the import's toast", "Imported").await;
    assert_eq!(toast, "Imported: 3 added, 0 updated, 2 skipped.");
    assert!(
        !is_open(&client, "#import-dialog").await,
        "the dialog closed"
    );
    let actions = text_of(&client, "#toasts .toast").await.unwrap();
    assert!(
        actions.contains("Show errors") && actions.contains("Save error report (CSV)"),
        "toast: {actions}"
    );
    eventually(&client, "the imported rows in the list", || async {
        let ids = row_ids(&client).await;
        ["acme", "cafe-zurich", "nordwind"]
            .iter()
            .all(|id| ids.iter().any(|i| i == id))
            .then_some(())
    })
    .await;
    let cafe = cell_texts(&client, "cafe-zurich").await.unwrap();
    assert_eq!(cafe[0], "Café Zürich");
    assert_eq!(cafe[2], "Zürich");
    shot(&client, "import-done.png").await;

    // "Show errors" reopens the problems of the finished import.
    let show = client
        .find(Locator::XPath(
            "//div[@id='toasts']//button[.='Show errors']",
        ))
        .await
        .unwrap();
    show.click().await.unwrap();
    eventually(&client, "the report with its problems", || async {
        let errors = text_of(&client, "#import-dialog[open] #import-errors").await?;
        let added = text_of(&client, "#import-count-add").await?;
        (errors.contains("'Atlantis' is not a country") && added == "3").then_some(())
    })
    .await;
    cancel_import(&client).await;

    // The same file again with "Update existing": its three good rows match their customers
    // already, so there is nothing to import and Import is off.
    press_ctrl(&client, "#grid", 'i').await;
    eventually(&client, "the second preview", || async {
        (is_open(&client, "#import-dialog").await
            && text_of(&client, "#import-count-duplicates").await? == "1")
            .then_some(())
    })
    .await;
    click(&client, "#import-update").await;
    let summary = text_when(
        &client,
        "the preview with Update existing",
        "#import-summary",
        |t| t.starts_with("Nothing to change"),
    )
    .await;
    assert_eq!(
        summary,
        "Nothing to change: 3 rows already match their customers and will be left as they \
         are. 2 rows have problems, listed below."
    );
    assert_text(&client, "#import-count-unchanged", "3").await;
    assert_text(&client, "#import-count-update", "0").await;
    assert!(!commit.is_enabled().await.unwrap(), "Import is off");
    shot(&client, "import-unchanged.png").await;
    cancel_import(&client).await;

    // Search with or without the accent finds the imported customer.
    let search = find(&client, "#search").await;
    search_for(&client, "cafe", &["cafe-zurich"]).await;
    search.clear().await.unwrap();
    search_for(&client, "Café", &["cafe-zurich"]).await;

    // Export… (Ctrl+E, typed in the search box) writes the list as shown: here the one search
    // result, with a BOM for Excel.
    press_ctrl(&client, "#search", 'e').await;
    let what = eventually(&client, "the export dialog", || async {
        if !is_open(&client, "#export-dialog").await {
            return None;
        }
        text_of(&client, "#export-what").await
    })
    .await;
    assert!(
        what.starts_with("The 1 customer matching “Café”"),
        "export dialog: {what}"
    );
    let bom = find(&client, "#export-bom").await;
    if !bom.is_selected().await.unwrap() {
        bom.click().await.unwrap();
    }
    click(&client, "#export-confirm").await;
    let toast = toast_starting(&client, "the export's toast", "Exported").await;
    assert_eq!(toast, "Exported 1 customer to saved.csv.");
    let exported = std::fs::read_to_string(&saved).unwrap();
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(
        lines,
        [
            "\u{feff}Customer ID,Name,Street,ZIP,City,Country,URL,Comment,Validity,Own company,\
             Autotask company ID,Autotask company,Autotask status,Autotask checked,Created,Updated",
            "cafe-zurich,Café Zürich,,,Zürich,CH,,,valid,no,,,,,2021-06-30T09:15:00.000Z,\
             2021-06-30T09:15:00.000Z",
        ],
        "exported file, dated as the imported file said"
    );

    // A second import, taken back with Undo (Ctrl+Z) from its toast: the customer it added is
    // gone from the list and from the file. (Esc empties the search box and shows all.)
    search.send_keys(ESCAPE).await.unwrap();
    std::fs::write(&csv, "Name,City\nUndo Me GmbH,Ulm\n").unwrap();
    press_ctrl(&client, "#grid", 'i').await;
    eventually(&client, "the second file's preview", || async {
        (is_open(&client, "#import-dialog").await
            && text_of(&client, "#import-count-add").await? == "1"
            && commit.is_enabled().await.ok()?)
        .then_some(())
    })
    .await;
    commit.click().await.unwrap();
    eventually(&client, "the second import's toast and row", || async {
        let text = text_of(&client, "#toasts .toast-text").await?;
        let ids = row_ids(&client).await;
        (text == "Imported: 1 added, 0 updated, 0 skipped."
            && ids.iter().any(|i| i == "undo-me-gmbh"))
        .then_some(())
    })
    .await;
    let undo = text_of(&client, "#toasts button.undo").await;
    assert_eq!(undo.as_deref(), Some("Undo"), "the toast offers Undo");
    press_ctrl(&client, "#grid", 'z').await;
    let toast = toast_starting(&client, "the undo's toast", "Undid").await;
    assert_eq!(
        toast,
        "Undid the import of “customers.csv”: 1 customer removed."
    );
    eventually(&client, "the row to leave the list", || async {
        let ids = row_ids(&client).await;
        (!ids.iter().any(|i| i == "undo-me-gmbh") && ids.iter().any(|i| i == "acme")).then_some(())
    })
    .await;
    assert_eq!(
        customer_count(&db),
        4,
        "the own company and the first import's three"
    );
    shot(&client, "import-undone.png").await;

    client.close().await.unwrap();
}

/// A large import shows its progress with rows/s, can go on in the background while the list is
/// searched, and a Cancel leaves the database exactly as it was.
#[tokio::test(flavor = "multi_thread")]
async fn a_large_import_shows_rows_per_second_lets_the_list_be_searched_and_cancels_cleanly() {
    let (_turn, dir, db) = take_turn("large.clientbook").await;
    let mut text = String::from("Name,Street,ZIP,City,Country,URL,Comment\n");
    for i in 0..500_000 {
        text += &format!(
            "Customer {i} GmbH,Hauptstraße {},{:05},Berlin,DE,https://c{i}.example,Row {i} of a big file\n",
            i % 300,
            i % 99_999
        );
    }
    let csv = write_file(dir.path(), "large.csv", text);
    let (_driver, port) = start_driver(&[("CLIENTBOOK_TEST_OPEN_FILE", csv.as_os_str())]);
    let client = open_new_database(port, &db).await;

    press_ctrl(&client, "#grid", 'i').await;
    // The preview (of the whole file) and the import take long in a debug build.
    let slow = Duration::from_secs(120);
    eventually_within(&client, "the preview's count", slow, || async {
        (text_of(&client, "#import-count-add").await? == "500,000").then_some(())
    })
    .await;
    click(&client, "#import-commit").await;

    // The bar counts rows and says how fast they go in.
    let progress = eventually_within(&client, "rows/s in the progress", slow, || async {
        let text = text_of(&client, "#import-progress-text").await?;
        let rate = text.split(" · ").any(|part| {
            part.strip_suffix(" rows/s")
                .is_some_and(|n| n.replace(',', "").parse::<u64>().is_ok_and(|n| n > 0))
        });
        (text.starts_with("Importing: ") && rate).then_some(text)
    })
    .await;
    shot(&client, "import-progress.png").await;

    // Continue in background: the dialog closes, the top bar shows the import, and the list can
    // be searched meanwhile.
    click(&client, "#import-background").await;
    eventually(&client, "the import in the top bar", || async {
        let open = is_open(&client, "#import-dialog").await;
        let strip = find(&client, "#import-status").await;
        (!open && strip.is_displayed().await.ok()?).then_some(())
    })
    .await;
    let strip = text_of(&client, "#import-status-text").await.unwrap();
    assert!(
        strip.starts_with("Importing ") && strip.ends_with(" rows/s"),
        "the top bar's short progress: {strip}"
    );
    search_for(&client, "my comp", &["my-company"]).await;
    shot(&client, "import-background.png").await;
    assert!(
        find(&client, "#import-status")
            .await
            .is_displayed()
            .await
            .unwrap(),
        "the import was still running during the search (after {progress})"
    );

    // Cancel import: rolled back whole.
    click(&client, "#import-status-cancel").await;
    eventually_within(&client, "the cancel's toast", slow, || async {
        let toasts = text_of(&client, "#toasts").await?;
        toasts
            .contains("Import cancelled — nothing was changed.")
            .then_some(())
    })
    .await;
    assert_eq!(customer_count(&db), 1, "a cancelled import writes nothing");
}
