//! End-to-end: the real app window under Xvfb, driven over WebDriver (tauri-driver in front of
//! WebKitWebDriver). The user journeys: add a customer, edit its city in the dialog, toggle
//! Active, search for it; import a CSV file (preview, import), then export the list as shown;
//! test the Autotask connection in Settings ▸ Autotask; save credentials in the keychain, test
//! them, map a customer and export, forget them — then scan the database, the export and the
//! app's log for the three credential values; and map a customer to an Autotask company (search, choose, verify, refresh all,
//! clear, import companies) — against the core tests' fake Autotask server on 127.0.0.1.
//! Screenshots land in `target/e2e-screenshots/`.
//!
//! Needs a display (`scripts/test` provides Xvfb) and `tauri-driver` on PATH
//! (`scripts/setup test` installs it).

#[path = "../../tests/fake_autotask/mod.rs"]
mod fake_autotask;
mod harness;

use clientbook::model::Validity;
use fake_autotask::{FakeAutotask, Fault};
use harness::*;
use std::ffi::OsStr;

#[tokio::test(flavor = "multi_thread")]
async fn add_edit_toggle_and_search_a_customer_through_the_window() {
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.clientbook");
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
    let city = find(&client, "#customer-dialog[open] #f-city").await;
    city.clear().await.unwrap();
    city.send_keys("Hamburg").await.unwrap();
    shot(&client, "02-edit-dialog.png").await;
    click(&client, "#dialog-save-close").await;
    eventually(
        &client,
        "the dialog to close and the row to show Hamburg",
        || async {
            let open = client
                .find(Locator::Css("#customer-dialog[open]"))
                .await
                .is_ok();
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
    search.send_keys("zeph HAM").await.unwrap();
    eventually(
        &client,
        "the search to show exactly the customer",
        || async { (row_ids(&client).await == ["zephyr-networks-gmbh"]).then_some(()) },
    )
    .await;
    shot(&client, "03-search.png").await;

    search.clear().await.unwrap();
    search.send_keys("nothing-like-this").await.unwrap();
    eventually(&client, "the search to show no rows", || async {
        row_ids(&client).await.is_empty().then_some(())
    })
    .await;

    // Another process (this test, as the CLI would) imports into the open file: the list and
    // its count catch up by themselves, with nothing done in the window.
    search.clear().await.unwrap();
    search.send_keys("x\u{e003}").await.unwrap(); // and Backspace: the box's input event
    eventually(&client, "the whole list again", || async {
        (text_of(&client, "#status").await? == "2 customers").then_some(())
    })
    .await;
    // The selected customer stays selected though rows arrive above it.
    click(&client, &format!("{row_css} td")).await;
    let selected = || async {
        let row = client.find(Locator::Css("tr.selected")).await.ok()?;
        row.attr("data-id").await.ok()?
    };
    assert_eq!(selected().await.as_deref(), Some("zephyr-networks-gmbh"));
    let csv = dir.path().join("outside.csv");
    std::fs::write(&csv, "Name,City\nOutside One,Oslo\nOutside Two,Bergen\n").unwrap();
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

/// Five rows: three good ones (one with accents), one with an unknown country, one repeating a
/// customer ID. The Phone column is not a customer field.
const IMPORT_FIXTURE: &str = "\
Customer ID,Name,City,Country,Phone,Created
acme,Acme Corp,Berlin,DE,+49 30 1234,2019-05-01
cafe-zurich,Café Zürich,Zürich,CH,+41 44 5678,2021-06-30 09:15
nordwind,Nordwind Logistik AG,Hamburg,DE,,
atlantis,Lost City Traders,Poseidonia,Atlantis,,
acme,Acme Again,Munich,DE,,
";

/// Cancel in the import dialog (a preview or a finished import's report), once it has closed.
async fn cancel_import(client: &Client) {
    click(client, "#import-cancel").await;
    eventually(client, "the import dialog to close", || async {
        (!is_open(client, "#import-dialog").await).then_some(())
    })
    .await;
}

/// The window on a new database, once its list shows the one customer it has: the own company.
async fn open_new_database(port: u16, db: &std::path::Path) -> Client {
    let client = connect(port, db).await;
    eventually(&client, "the list with the own company", || async {
        (row_ids(&client).await.len() == 1).then_some(())
    })
    .await;
    client
}

#[tokio::test(flavor = "multi_thread")]
async fn import_a_csv_file_and_export_the_list_through_the_window() {
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("import.clientbook");
    let csv = dir.path().join("customers.csv");
    std::fs::write(&csv, IMPORT_FIXTURE).unwrap();
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
    assert!(
        errors.contains("Row 5, Country: 'Atlantis' is not a country."),
        "error list: {errors}"
    );
    assert!(
        errors.contains("Row 6, Customer ID: The customer ID 'acme' already appears in row 2"),
        "error list: {errors}"
    );
    let file = text_of(&client, "#import-file").await.unwrap();
    assert!(file.contains("customers.csv"), "file line: {file}");
    assert!(file.contains("UTF-8"), "file line: {file}");
    assert!(file.contains("commas"), "file line: {file}");
    let columns = text_of(&client, "#import-columns").await.unwrap();
    assert!(columns.contains("ignored: Phone"), "columns: {columns}");
    assert!(
        columns.contains("CreatedCreated"),
        "the dates column feeds Created: {columns}"
    );
    let commit = find(&client, "#import-commit").await;
    assert!(commit.is_enabled().await.unwrap(), "Import is enabled");
    assert_eq!(
        clientbook::Store::open(&db)
            .unwrap()
            .count_customers()
            .unwrap(),
        1,
        "the preview writes nothing"
    );
    shot(&client, "import-preview.png").await;

    // "Stop on any error": the preview runs again and says that nothing would be imported,
    // Import is off, and the problems stay listed. Off again, the three rows are back.
    click(&client, "#import-strict").await;
    let summary = eventually(&client, "the strict preview", || async {
        let text = text_of(&client, "#import-summary").await?;
        text.starts_with("Nothing will be imported").then_some(text)
    })
    .await;
    assert_eq!(
        summary,
        "Nothing will be imported: 2 rows have problems and “Stop on any error” is on. Fix \
         the file, or turn that option off to import the other rows."
    );
    assert!(!commit.is_enabled().await.unwrap(), "Import is off");
    let errors = text_of(&client, "#import-errors").await.unwrap();
    assert!(
        errors.contains("Row 5, Country: 'Atlantis' is not a country."),
        "the strict preview lists the problems: {errors}"
    );
    shot(&client, "import-strict.png").await;
    click(&client, "#import-strict").await;
    eventually(&client, "Import with the option off again", || async {
        let add = text_of(&client, "#import-count-add").await?;
        (add == "3" && commit.is_enabled().await.ok()?).then_some(())
    })
    .await;

    // Save error report (CSV)… writes the problems for the user to work through.
    click(&client, "#import-save-errors").await;
    eventually(&client, "the error report to be saved", || async {
        let note = text_of(&client, "#import-note").await?;
        (note == "Saved the error report to saved.csv.").then_some(())
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
    let toast = eventually(&client, "the import's toast", || async {
        let text = text_of(&client, "#toasts .toast-text").await?;
        text.starts_with("Imported").then_some(text)
    })
    .await;
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
    let summary = eventually(&client, "the preview with Update existing", || async {
        let text = text_of(&client, "#import-summary").await?;
        text.starts_with("Nothing to change").then_some(text)
    })
    .await;
    assert_eq!(
        summary,
        "Nothing to change: 3 rows already match their customers and will be left as they \
         are. 2 rows have problems, listed below."
    );
    assert_eq!(
        text_of(&client, "#import-count-unchanged").await.as_deref(),
        Some("3")
    );
    assert_eq!(
        text_of(&client, "#import-count-update").await.as_deref(),
        Some("0")
    );
    assert!(!commit.is_enabled().await.unwrap(), "Import is off");
    shot(&client, "import-unchanged.png").await;
    cancel_import(&client).await;

    // Search with or without the accent finds the imported customer.
    let search = find(&client, "#search").await;
    search.send_keys("cafe").await.unwrap();
    eventually(&client, "the search to show the café", || async {
        (row_ids(&client).await == ["cafe-zurich"]).then_some(())
    })
    .await;
    search.clear().await.unwrap();
    search.send_keys("Café").await.unwrap();
    eventually(&client, "the accented search to show the café", || async {
        (row_ids(&client).await == ["cafe-zurich"]).then_some(())
    })
    .await;

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
    let toast = eventually(&client, "the export's toast", || async {
        let text = text_of(&client, "#toasts .toast-text").await?;
        text.starts_with("Exported").then_some(text)
    })
    .await;
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
    search.send_keys("\u{E00C}").await.unwrap();
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
    let toast = eventually(&client, "the undo's toast", || async {
        let text = text_of(&client, "#toasts .toast-text").await?;
        text.starts_with("Undid").then_some(text)
    })
    .await;
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
        clientbook::Store::open(&db)
            .unwrap()
            .count_customers()
            .unwrap(),
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
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("large.clientbook");
    let csv = dir.path().join("large.csv");
    let mut text = String::from("Name,Street,ZIP,City,Country,URL,Comment\n");
    for i in 0..500_000 {
        text += &format!(
            "Customer {i} GmbH,Hauptstraße {},{:05},Berlin,DE,https://c{i}.example,Row {i} of a big file\n",
            i % 300,
            i % 99_999
        );
    }
    std::fs::write(&csv, text).unwrap();
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
    let search = find(&client, "#search").await;
    search.send_keys("my comp").await.unwrap();
    eventually(&client, "a search while the import runs", || async {
        (row_ids(&client).await == ["my-company"]).then_some(())
    })
    .await;
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
    assert_eq!(
        clientbook::Store::open(&db)
            .unwrap()
            .count_customers()
            .unwrap(),
        1,
        "a cancelled import writes nothing"
    );
}

/// Plays one step of a file drag over the window through the shell's real drop handler (the
/// `test_drag` command, enabled by CLIENTBOOK_TEST_DRAG): WebDriver cannot drag files in.
async fn drag(client: &Client, stage: &str, paths: &[&std::path::Path]) {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let outcome = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke('test_drag', { stage: arguments[0], paths: arguments[1] })
               .then(() => done(null), (e) => done(String(e)));",
            vec![stage.into(), serde_json::json!(paths)],
        )
        .await
        .unwrap();
    assert_eq!(outcome, serde_json::Value::Null, "drag {stage}");
}

/// Whether the drop overlay is up, and its title.
async fn overlay(client: &Client) -> Option<String> {
    let shown: bool = client
        .execute(
            "const o = document.getElementById('drop-overlay');
             return o.matches(':popover-open') || o.classList.contains('shown');",
            vec![],
        )
        .await
        .ok()?
        .as_bool()?;
    match shown {
        true => text_of(client, "#drop-title").await,
        false => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn drag_files_onto_the_window_one_csv_imports_anything_else_is_refused_by_name() {
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("drop.clientbook");
    let csv = dir.path().join("dropped.csv");
    std::fs::write(&csv, IMPORT_FIXTURE).unwrap();
    let pdf = dir.path().join("notes.pdf");
    std::fs::write(&pdf, b"%PDF-1.4").unwrap();
    let (_driver, port) = start_driver(&[("CLIENTBOOK_TEST_DRAG", OsStr::new("1"))]);
    let client = open_new_database(port, &db).await;

    // Hovering with one CSV shows the overlay; dropping it opens the import preview of that file.
    drag(&client, "enter", &[&csv]).await;
    let title = eventually(&client, "the drop overlay", || overlay(&client)).await;
    assert_eq!(title, "Drop a CSV to import");
    shot(&client, "drop-overlay.png").await;
    drag(&client, "drop", &[&csv]).await;
    eventually(&client, "the preview of the dropped file", || async {
        let file = text_of(&client, "#import-dialog[open] #import-file").await?;
        let added = text_of(&client, "#import-count-add").await?;
        (file.contains("dropped.csv") && added == "3").then_some(())
    })
    .await;
    assert_eq!(overlay(&client).await, None, "the overlay went away");
    cancel_import(&client).await;

    // Two files, or a file that is not a CSV: the overlay says what is wrong while hovering, and
    // the drop is refused with the same sentence; nothing is imported.
    let refusals: [(&[&std::path::Path], &str); 2] = [
        (
            &[&csv, &pdf],
            "These are 2 files; drop one CSV file at a time.",
        ),
        (
            &[&pdf],
            "'notes.pdf' is not a CSV file; drop a .csv or .txt file to import customers.",
        ),
    ];
    for (paths, message) in refusals {
        drag(&client, "enter", paths).await;
        let title = eventually(&client, "the refusing overlay", || overlay(&client)).await;
        assert_eq!(title, message);
        if paths.len() == 2 {
            shot(&client, "drop-refused.png").await;
        }
        drag(&client, "drop", paths).await;
        eventually(&client, "the refusal's toast", || async {
            let shown = client
                .execute(
                    "return [...document.querySelectorAll('#toasts .toast-text')]
                       .some((t) => t.textContent === arguments[0]);",
                    vec![message.into()],
                )
                .await
                .ok()?;
            (shown == serde_json::Value::Bool(true)).then_some(())
        })
        .await;
        assert!(!is_open(&client, "#import-dialog").await, "no import flow");
    }

    // A drag that leaves the window takes the overlay with it.
    drag(&client, "enter", &[&csv]).await;
    eventually(&client, "the overlay again", || overlay(&client)).await;
    drag(&client, "leave", &[]).await;
    eventually(&client, "the overlay to go", || async {
        overlay(&client).await.is_none().then_some(())
    })
    .await;
    assert_eq!(
        clientbook::Store::open(&db)
            .unwrap()
            .count_customers()
            .unwrap(),
        1,
        "nothing was imported"
    );

    // A short Windows-1250 list of names, some holding an unquoted comma: detection cannot tell
    // either. The preview's Encoding and "Values separated by" lists read it as the user says.
    let names = dir.path().join("names.csv");
    std::fs::write(&names, b"Name\nSz\xF5ke, Kft\n\xD5rs\xE9g Bt\n").unwrap();
    drag(&client, "drop", &[&names]).await;
    eventually(&client, "the preview of the list of names", || async {
        let file = text_of(&client, "#import-dialog[open] #import-file").await?;
        let invalid = text_of(&client, "#import-count-invalid").await?;
        (file.contains("names.csv") && invalid == "1").then_some(())
    })
    .await;
    let detected = text_of(&client, "#import-delimiter option[value='']").await;
    assert_eq!(detected.as_deref(), Some("Detect (commas)"));
    // The first row as read, beside its column: cut at the comma, "ő" read as "õ".
    let example = text_of(&client, "#import-columns td.example").await;
    assert_eq!(example.as_deref(), Some("Szõke"));
    let past = text_of(&client, "#import-columns tr.past-header td.example").await;
    assert_eq!(
        past.as_deref(),
        Some("Kft"),
        "the value past the header is shown"
    );
    shot(&client, "import-read-as-detected.png").await;
    find(&client, "#import-delimiter")
        .await
        .select_by_value(";")
        .await
        .unwrap();
    find(&client, "#import-encoding")
        .await
        .select_by_value("windows-1250")
        .await
        .unwrap();
    eventually(&client, "the preview read as chosen", || async {
        let file = text_of(&client, "#import-file").await?;
        let added = text_of(&client, "#import-count-add").await?;
        let ready = find(&client, "#import-commit")
            .await
            .is_enabled()
            .await
            .ok()?;
        let read_as = file.contains("Windows-1250 · values separated by semicolons");
        (read_as && added == "2" && ready).then_some(())
    })
    .await;
    let example = text_of(&client, "#import-columns td.example").await;
    assert_eq!(example.as_deref(), Some("Szőke, Kft"));
    shot(&client, "import-read-as.png").await;
    click(&client, "#import-commit").await;
    eventually(&client, "the import of the names", || async {
        (!is_open(&client, "#import-dialog").await && row_ids(&client).await.len() == 3)
            .then_some(())
    })
    .await;
    let store = clientbook::Store::open(&db).unwrap();
    let mut names = Vec::new();
    store
        .scan(&Default::default(), |c| {
            names.push(c.name.clone());
            Ok(())
        })
        .unwrap();
    assert!(names.contains(&"Szőke, Kft".to_owned()), "{names:?}");
    assert!(names.contains(&"Őrség Bt".to_owned()), "{names:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn test_the_autotask_connection_in_the_settings_dialog() {
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("autotask.clientbook");
    let fake = FakeAutotask::start(vec![fake_autotask::company(0, "Our MSP", "Berlin", true)]);
    let zone_url = fake.zone_url();
    let (_driver, port) = start_driver(&[
        (
            "CLIENTBOOK_AUTOTASK_USERNAME",
            OsStr::new(fake_autotask::USERNAME),
        ),
        (
            "CLIENTBOOK_AUTOTASK_SECRET",
            OsStr::new(fake_autotask::SECRET),
        ),
        (
            "CLIENTBOOK_AUTOTASK_INTEGRATION_CODE",
            OsStr::new(fake_autotask::INTEGRATION_CODE),
        ),
        ("CLIENTBOOK_AUTOTASK_ZONE_URL", OsStr::new(&zone_url)),
    ]);
    let client = connect(port, &db).await;

    // The top bar's Autotask… opens the dialog; the credentials come from the environment.
    click(&client, "#autotask-button").await;
    let source = eventually(
        &client,
        "the dialog saying where the credentials come from",
        || async {
            if !is_open(&client, "#autotask-dialog").await {
                return None;
            }
            let text = text_of(&client, "#at-source").await?;
            text.contains("environment").then_some(text)
        },
    )
    .await;
    assert!(source.contains(fake_autotask::USERNAME), "source: {source}");
    assert!(
        !find(&client, "#at-save").await.is_enabled().await.unwrap(),
        "Save is off"
    );
    assert!(
        !find(&client, "#at-forget")
            .await
            .is_enabled()
            .await
            .unwrap(),
        "Forget is off"
    );
    assert_eq!(
        value(&find(&client, "#at-username").await).await,
        fake_autotask::USERNAME
    );
    assert_eq!(
        value(&find(&client, "#at-secret").await).await,
        "",
        "the secret is never shown"
    );
    assert_eq!(
        value(&find(&client, "#at-code").await).await,
        "",
        "the code is never shown"
    );

    // Test connection: the zone of the fake.
    let test = find(&client, "#at-test").await;
    test.click().await.unwrap();
    let status = eventually(&client, "the connection to succeed", || async {
        let text = text_of(&client, "#at-status").await?;
        let idle = test.is_enabled().await.ok()?;
        (idle && text.starts_with("Connected")).then_some(text)
    })
    .await;
    let zone = zone_url.split("/lookup").next().unwrap();
    assert!(
        status.starts_with(&format!("Connected — zone {zone}/")),
        "status: {status}"
    );
    assert!(fake.api_requests() >= 1, "an authenticated call was made");
    settle().await;
    shot(&client, "autotask-settings.png").await;

    // Autotask refuses the secret: the message says so, beside the secret's field.
    fake.fail_next(Fault::Unauthorized);
    test.click().await.unwrap();
    let beside = eventually(&client, "the secret to be refused", || async {
        let text = text_of(&client, "#e-at-secret").await?;
        text.contains("HTTP 401").then_some(text)
    })
    .await;
    assert!(
        beside.contains("Check the secret"),
        "beside the field: {beside}"
    );
    assert!(
        !beside.contains(fake_autotask::SECRET),
        "the secret is never shown: {beside}"
    );
    let secret = find(&client, "#at-secret").await;
    assert_eq!(
        secret.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let status = text_of(&client, "#at-status").await.unwrap();
    assert_eq!(status, "Not connected: check the secret.");
    settle().await;
    shot(&client, "autotask-settings-error.png").await;

    // Esc closes the dialog.
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{e00c}")
        .await
        .unwrap();
    eventually(&client, "the dialog to close on Esc", || async {
        (!is_open(&client, "#autotask-dialog").await).then_some(())
    })
    .await;

    client.close().await.unwrap();
}

/// The environment that points the app at the fake Autotask server.
fn autotask_env(zone_url: &str) -> Vec<(&'static str, std::ffi::OsString)> {
    vec![
        (
            "CLIENTBOOK_AUTOTASK_USERNAME",
            fake_autotask::USERNAME.into(),
        ),
        ("CLIENTBOOK_AUTOTASK_SECRET", fake_autotask::SECRET.into()),
        (
            "CLIENTBOOK_AUTOTASK_INTEGRATION_CODE",
            fake_autotask::INTEGRATION_CODE.into(),
        ),
        ("CLIENTBOOK_AUTOTASK_ZONE_URL", zone_url.into()),
    ]
}

/// The texts of the Autotask company search's results.
async fn result_names(client: &Client) -> Vec<String> {
    let mut names = Vec::new();
    for el in client
        .find_all(Locator::Css("#atm-results .atm-r-name"))
        .await
        .unwrap_or_default()
    {
        if let Ok(Some(t)) = el.prop("textContent").await {
            names.push(t);
        }
    }
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn map_verify_refresh_clear_and_pull_autotask_companies_through_the_window() {
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mapping.clientbook");
    {
        let store = clientbook::Store::open(&db).unwrap();
        store
            .create_customer(clientbook::model::CustomerFields {
                name: Some("Acme".into()),
                city: Some("Berlin".into()),
                ..Default::default()
            })
            .unwrap();
    }
    let fake = FakeAutotask::start(vec![
        fake_autotask::company(101, "Acme Corporation", "Berlin", true),
        fake_autotask::company(102, "Acme Holding (old)", "Bonn", false),
        fake_autotask::company(103, "Globex", "Springfield", true),
    ]);
    let env = autotask_env(&fake.zone_url());
    let env: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
    let (_driver, port) = start_driver(&env);
    let client = connect(port, &db).await;

    // Open Acme's edit dialog and search Autotask: active companies only, then inactive too.
    click(&client, "tr[data-id='acme'] button.edit").await;
    click(&client, "#customer-dialog[open] #atm-find").await;
    let search = find(&client, "#atm-search").await;
    // Autotask is busy once: the wait it asks for is shown where the user waits.
    fake.fail_next(Fault::TooManyRequests {
        retry_after: Some(2),
    });
    search.send_keys("acme").await.unwrap();
    let waiting = eventually(&client, "the 429 wait to be shown", || async {
        let text = text_of(&client, "#atm-status").await?;
        text.contains("Autotask is busy").then_some(text)
    })
    .await;
    assert!(
        waiting.contains("trying again in 2 s (try 2 of 3)"),
        "wait: {waiting}"
    );
    eventually(&client, "the active company found", || async {
        (result_names(&client).await == ["Acme Corporation"]).then_some(())
    })
    .await;
    click(&client, "#atm-inactive").await;
    eventually(&client, "the inactive company listed too", || async {
        (result_names(&client).await.len() == 2).then_some(())
    })
    .await;
    settle().await;
    shot(&client, "autotask-map-search.png").await;

    // Choose it: the mapping is stored at once, with the status badge.
    click(&client, "#atm-results button[data-company-id='101']").await;
    let summary = eventually(&client, "the mapping shown in the dialog", || async {
        let text = text_of(&client, "#atm-summary").await?;
        text.contains("Acme Corporation").then_some(text)
    })
    .await;
    assert!(summary.contains("#101"), "summary: {summary}");
    find(&client, "#atm-summary .at-badge.at-ok").await;
    let status = text_of(&client, "#atm-status").await.unwrap();
    assert_eq!(status, "Mapped to “Acme Corporation” (Autotask id 101).");
    settle().await;
    shot(&client, "autotask-mapped.png").await;
    click(&client, "#dialog-cancel").await;
    let cells = eventually(&client, "the list's Autotask column", || async {
        let cells = cell_texts(&client, "acme").await?;
        (cells[5] == "Acme CorporationOK").then_some(cells)
    })
    .await;
    assert_eq!(cells[0], "Acme", "the customer's own name is untouched");
    let title = find(&client, "tr[data-id='acme'] .at-badge")
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        title.starts_with("The Autotask company exists, is active and has this name."),
        "tooltip: {title}"
    );

    // Autotask renames the company; Refresh all finds it in one batched query.
    fake.set_field(101, "companyName", "Acme Corp International".into());
    let before = fake.api_requests();
    click(&client, "#refresh-button").await;
    let done = eventually(&client, "the refresh to finish", || async {
        let text = text_of(&client, "#refresh-dialog[open] #refresh-text").await?;
        text.starts_with("Checked 1 mapped customer")
            .then_some(text)
    })
    .await;
    assert_eq!(done, "Checked 1 mapped customer with Autotask.");
    assert_eq!(fake.api_requests() - before, 1, "one batched query");
    let counts = text_of(&client, "#refresh-counts").await.unwrap();
    assert!(counts.contains("1 Renamed in Autotask"), "counts: {counts}");
    settle().await;
    shot(&client, "autotask-refresh-all.png").await;
    click(&client, "#refresh-close").await;
    eventually(&client, "the renamed mapping in the list", || async {
        let cells = cell_texts(&client, "acme").await?;
        (cells[5] == "Acme Corp InternationalRenamed" && cells[0] == "Acme").then_some(())
    })
    .await;

    // Verify in the dialog (the cache has the new name: OK), then Clear.
    click(&client, "tr[data-id='acme'] button.edit").await;
    click(&client, "#customer-dialog[open] #atm-verify").await;
    eventually(&client, "the verified mapping", || async {
        let text = text_of(&client, "#atm-status").await?;
        text.starts_with("OK:").then_some(())
    })
    .await;
    click(&client, "#atm-clear").await;
    eventually(&client, "the cleared mapping", || async {
        let text = text_of(&client, "#atm-summary").await?;
        (text == "Not mapped").then_some(())
    })
    .await;
    click(&client, "#dialog-cancel").await;
    eventually(&client, "the list without the mapping", || async {
        let cells = cell_texts(&client, "acme").await?;
        cells[5].is_empty().then_some(())
    })
    .await;

    // Import from Autotask: both active companies become mapped customers.
    click(&client, "#pull-button").await;
    let preview = eventually(&client, "the pull preview", || async {
        let text = text_of(&client, "#pull-dialog[open] #pull-text").await?;
        text.contains("to create").then_some(text)
    })
    .await;
    assert!(
        preview.starts_with("2 active customer companies in Autotask · 2 to create."),
        "preview: {preview}"
    );
    let rows = text_of(&client, "#pull-rows").await.unwrap();
    assert!(
        rows.contains("Globex") && rows.contains("globex"),
        "rows: {rows}"
    );
    settle().await;
    shot(&client, "autotask-pull-preview.png").await;
    let run = find(&client, "#pull-run").await;
    assert_eq!(run.text().await.unwrap(), "Import 2 customers");
    run.click().await.unwrap();
    eventually(&client, "Globex in the list, mapped", || async {
        let cells = cell_texts(&client, "globex").await?;
        (cells[5] == "GlobexOK").then_some(())
    })
    .await;
    assert!(!is_open(&client, "#pull-dialog").await);

    client.close().await.unwrap();
}

/// True when a Secret Service answers (`scripts/test` starts an unlocked gnome-keyring).
fn keychain_available(service: &str) -> bool {
    use clientbook::secrets::{Keychain, SecretStore};
    let keychain = Keychain::new(service);
    match keychain
        .set("probe", "x")
        .and_then(|()| keychain.delete("probe"))
    {
        Ok(_) => true,
        Err(e) => {
            eprintln!("no keychain: {e}");
            false
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_keychain_session_saves_tests_maps_exports_and_forgets_and_leaves_no_credential_in_any_file(
) {
    use clientbook::autotask::credentials;
    use clientbook::secrets::Keychain;
    let service = format!("clientbook-e2e-{}", std::process::id());
    if !keychain_available(&service) {
        // Like the core's keychain tests: fail loudly rather than pass without testing.
        if std::env::var_os("CLIENTBOOK_SKIP_KEYCHAIN_TESTS").is_some() {
            eprintln!("skipped: CLIENTBOOK_SKIP_KEYCHAIN_TESTS is set");
            return;
        }
        panic!(
            "no Secret Service on this D-Bus session: run under scripts/test (which starts one) \
             or set CLIENTBOOK_SKIP_KEYCHAIN_TESTS=1"
        );
    }
    let _turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("keychain.clientbook");
    clientbook::Store::open(&db)
        .unwrap()
        .create_customer(clientbook::model::CustomerFields {
            name: Some("Acme".into()),
            ..Default::default()
        })
        .unwrap();
    let fake = FakeAutotask::start(vec![
        fake_autotask::company(0, "Our MSP", "Berlin", true),
        fake_autotask::company(101, "Acme Corporation", "Berlin", true),
    ]);
    let zone_url = fake.zone_url();
    let empty = OsStr::new("");
    // The app's log goes to this test's own data folder, to be scanned at the end.
    let data = dir.path().join("data");
    let exported = dir.path().join("export.csv");
    let (_driver, port) = start_driver(&[
        ("XDG_DATA_HOME", data.as_os_str()),
        ("CLIENTBOOK_TEST_SAVE_FILE", exported.as_os_str()),
        ("CLIENTBOOK_KEYCHAIN_SERVICE", OsStr::new(&service)),
        ("CLIENTBOOK_AUTOTASK_ZONE_URL", OsStr::new(&zone_url)),
        // Empty values count as unset: the keychain is used.
        ("CLIENTBOOK_AUTOTASK_USERNAME", empty),
        ("CLIENTBOOK_AUTOTASK_SECRET", empty),
        ("CLIENTBOOK_AUTOTASK_INTEGRATION_CODE", empty),
    ]);
    let client = connect(port, &db).await;
    let keychain = Keychain::new(&service);

    click(&client, "#autotask-button").await;
    eventually(&client, "the dialog saying nothing is saved", || async {
        let text = text_of(&client, "#autotask-dialog[open] #at-source").await?;
        text.contains("No credentials are saved yet").then_some(())
    })
    .await;
    let save = find(&client, "#at-save").await;
    let forget = find(&client, "#at-forget").await;
    assert!(save.is_enabled().await.unwrap(), "Save is on");
    assert!(!forget.is_enabled().await.unwrap(), "nothing to forget");

    // Enter without the secret: the message stands beside the secret; nothing is saved.
    find(&client, "#at-username")
        .await
        .send_keys(fake_autotask::USERNAME)
        .await
        .unwrap();
    let code = find(&client, "#at-code").await;
    code.send_keys(fake_autotask::INTEGRATION_CODE)
        .await
        .unwrap();
    code.send_keys("\u{e007}").await.unwrap();
    let beside = eventually(&client, "the missing secret to be named", || async {
        let text = text_of(&client, "#e-at-secret").await?;
        (!text.is_empty()).then_some(text)
    })
    .await;
    assert_eq!(beside, "Enter the secret.");
    assert_eq!(
        text_of(&client, "#at-status").await.unwrap(),
        "Not saved: check the secret."
    );
    assert!(credentials::load_stored(&keychain).unwrap().is_none());

    // With the secret, Enter saves to the keychain and the typed values leave the page.
    let secret = find(&client, "#at-secret").await;
    secret.send_keys(fake_autotask::SECRET).await.unwrap();
    secret.send_keys("\u{e007}").await.unwrap();
    eventually(&client, "the credentials to be saved", || async {
        let text = text_of(&client, "#at-status").await?;
        text.starts_with("Saved in the OS keychain").then_some(())
    })
    .await;
    let stored = credentials::load_stored(&keychain).unwrap().expect("saved");
    assert_eq!(stored.username, fake_autotask::USERNAME);
    assert_eq!(stored.secret, fake_autotask::SECRET);
    assert_eq!(stored.integration_code, fake_autotask::INTEGRATION_CODE);
    assert_eq!(
        value(&secret).await,
        "",
        "the secret is not kept in the page"
    );
    let source = text_of(&client, "#at-source").await.unwrap();
    assert!(
        source.contains("saved in the OS keychain"),
        "source: {source}"
    );

    // Test connection with the saved values.
    let test = find(&client, "#at-test").await;
    test.click().await.unwrap();
    eventually(&client, "the connection to succeed", || async {
        let text = text_of(&client, "#at-status").await?;
        let idle = test.is_enabled().await.ok()?;
        (idle && text.starts_with("Connected — zone")).then_some(())
    })
    .await;
    settle().await;
    shot(&client, "autotask-keychain.png").await;

    // With the saved credentials: map Acme, then export the list.
    click(&client, "#at-close").await;
    click(&client, "tr[data-id='acme'] button.edit").await;
    click(&client, "#customer-dialog[open] #atm-find").await;
    find(&client, "#atm-search")
        .await
        .send_keys("acme")
        .await
        .unwrap();
    click(&client, "#atm-results button[data-company-id='101']").await;
    eventually(&client, "the mapping stored", || async {
        let text = text_of(&client, "#atm-summary").await?;
        text.contains("Acme Corporation").then_some(())
    })
    .await;
    click(&client, "#dialog-cancel").await;
    click(&client, "#export-button").await;
    click(&client, "#export-dialog[open] #export-confirm").await;
    eventually(&client, "the export written", || async {
        let text = std::fs::read_to_string(&exported).ok()?;
        text.contains("Acme Corporation").then_some(())
    })
    .await;

    // Forget asks first, then removes the entry.
    click(&client, "#autotask-button").await;
    let forget = find(&client, "#autotask-dialog[open] #at-forget").await;
    eventually(&client, "Forget to be on", || async {
        forget.is_enabled().await.ok()?.then_some(())
    })
    .await;
    forget.click().await.unwrap();
    click(&client, "#confirm-dialog[open] #confirm-ok").await;
    eventually(&client, "the credentials to be forgotten", || async {
        let text = text_of(&client, "#at-source").await?;
        text.contains("No credentials are saved yet").then_some(())
    })
    .await;
    assert!(credentials::load_stored(&keychain).unwrap().is_none());
    assert!(
        is_open(&client, "#autotask-dialog").await,
        "the dialog stays open"
    );
    client.close().await.unwrap();

    // The session is in the log — and no credential value is in the log, the database or the
    // export.
    let log = data.join("clientbook/logs/clientbook.log");
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    for line in [
        "Autotask credentials saved in the OS keychain",
        "Mapped customer 'acme' to Autotask company 101",
        "Exported 2 customers to", // Acme and the MSP's own company
        "Autotask credentials removed from the OS keychain",
    ] {
        assert!(logged.contains(line), "the log lacks “{line}”:\n{logged}");
    }
    let mut files = Vec::new();
    let mut folders = vec![dir.path().to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(files.contains(&log) && files.contains(&exported) && files.contains(&db));
    for file in &files {
        // The app may still be closing: its `-wal` and `-shm` go once the log is in the file.
        let bytes = match std::fs::read(file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            read => read.unwrap(),
        };
        for value in [
            fake_autotask::USERNAME,
            fake_autotask::SECRET,
            fake_autotask::INTEGRATION_CODE,
        ] {
            assert!(
                !bytes.windows(value.len()).any(|w| w == value.as_bytes()),
                "{} holds a credential value",
                file.display()
            );
        }
    }
}
