//! End-to-end: dragging files onto the real window. One CSV shows the drop overlay and opens the
//! import preview of that file; two files, or a file that is not a CSV, are refused by name while
//! hovering and on the drop; a drag that leaves takes the overlay with it. A dropped file that
//! detection cannot read right (Windows-1250, an unquoted comma) is read as the user chooses in
//! the preview's Encoding and "Values separated by" lists, then imported. The drags go through the
//! shell's real drop handler; screenshots land in `target/e2e-screenshots/`.
//!
//! Needs a display (`scripts/test` provides Xvfb) and `tauri-driver` on PATH
//! (`scripts/setup test` installs it).

mod harness;

use harness::*;
use std::ffi::OsStr;
use std::path::Path;

/// Plays one step of a file drag over the window through the shell's real drop handler (the
/// `test_drag` command, enabled by CLIENTBOOK_TEST_DRAG): WebDriver cannot drag files in.
async fn drag(client: &Client, stage: &str, paths: &[&Path]) {
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

/// Waits for the import preview of the file called `name`, once the count at `count_css` reads
/// `count`.
async fn until_preview_of(client: &Client, what: &str, name: &str, count_css: &str, count: &str) {
    eventually(client, what, || async {
        let file = text_of(client, "#import-dialog[open] #import-file").await?;
        let counted = text_of(client, count_css).await?;
        (file.contains(name) && counted == count).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn drag_files_onto_the_window_one_csv_imports_anything_else_is_refused_by_name() {
    let (_turn, dir, db) = take_turn("drop.clientbook").await;
    let csv = write_file(dir.path(), "dropped.csv", IMPORT_FIXTURE);
    let pdf = write_file(dir.path(), "notes.pdf", b"%PDF-1.4");
    let (_driver, port) = start_driver(&[("CLIENTBOOK_TEST_DRAG", OsStr::new("1"))]);
    let client = open_new_database(port, &db).await;

    // Hovering with one CSV shows the overlay; dropping it opens the import preview of that file.
    drag(&client, "enter", &[&csv]).await;
    let title = eventually(&client, "the drop overlay", || overlay(&client)).await;
    assert_eq!(title, "Drop a CSV to import");
    shot(&client, "drop-overlay.png").await;
    drag(&client, "drop", &[&csv]).await;
    until_preview_of(
        &client,
        "the preview of the dropped file",
        "dropped.csv",
        "#import-count-add",
        "3",
    )
    .await;
    assert_eq!(overlay(&client).await, None, "the overlay went away");
    cancel_import(&client).await;

    // Two files, or a file that is not a CSV: the overlay says what is wrong while hovering, and
    // the drop is refused with the same sentence; nothing is imported.
    let refusals: [(&[&Path], &str); 2] = [
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
    assert_eq!(customer_count(&db), 1, "nothing was imported");

    // A short Windows-1250 list of names, some holding an unquoted comma: detection cannot tell
    // either. The preview's Encoding and "Values separated by" lists read it as the user says.
    let names = write_file(
        dir.path(),
        "names.csv",
        b"Name\nSz\xF5ke, Kft\n\xD5rs\xE9g Bt\n",
    );
    drag(&client, "drop", &[&names]).await;
    until_preview_of(
        &client,
        "the preview of the list of names",
        "names.csv",
        "#import-count-invalid",
        "1",
    )
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
    for (list, choice) in [
        ("#import-delimiter", ";"),
        ("#import-encoding", "windows-1250"),
    ] {
        find(&client, list)
            .await
            .select_by_value(choice)
            .await
            .unwrap();
    }
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
    let names = customer_names(&db);
    assert!(names.contains(&"Szőke, Kft".to_owned()), "{names:?}");
    assert!(names.contains(&"Őrség Bt".to_owned()), "{names:?}");
}
