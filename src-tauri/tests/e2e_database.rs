//! End-to-end: the database file in the real window — Save a copy… while working, Close (the
//! file is left as one self-contained file, no -wal/-shm), Open database… from the closed state,
//! and a write-protected file opening read-only with a banner that says why. The native dialogs
//! answer through the test variables the shell reads.

mod harness;

use harness::*;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn sidecars(db: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect()
}

/// A database file holding the one customer `name`, closed (no -wal/-shm beside it).
fn database_with(path: &Path, name: &str) {
    store_with(path, named(name)).close().unwrap();
}

/// The banner's text while it shows.
async fn banner(client: &Client) -> Option<String> {
    shown_text(client, "#banner").await
}

#[tokio::test(flavor = "multi_thread")]
async fn save_a_copy_close_and_open_a_database_through_the_window() {
    let (_turn, dir, db) = take_turn("work.clientbook").await;
    let copy = dir.path().join("carried.clientbook");
    database_with(&db, "Acme");
    let (_driver, port) = start_driver(&[
        ("CLIENTBOOK_TEST_SAVE_FILE", copy.as_os_str()),
        ("CLIENTBOOK_TEST_OPEN_FILE", copy.as_os_str()),
    ]);
    let client = connect(port, &db).await;
    find(&client, "tr[data-id='acme']").await;

    // Save a copy… from the Database dialog (the file name in the top bar opens it).
    open_dialog(&client, "#db-name", "#db-dialog").await;
    settled_shot(&client, "database-dialog.png").await;
    after_click(&client, "#db-copy", "#toasts")
        .when("the copy's toast", |t| {
            t.contains("Saved a copy as “carried.clientbook”")
        })
        .await;
    let copied = clientbook::Store::open(&copy).unwrap();
    assert!(copied.customer("acme").is_ok(), "the copy has the customer");
    copied.close().unwrap();

    // Close: the window has no database, and the file is one self-contained file again.
    click(&client, "#db-done").await;
    click(&client, "#db-name").await;
    click(&client, "#db-close").await;
    eventually(&client, "the closed-database banner", || async {
        banner(&client)
            .await
            .filter(|t| t.contains("No database is open"))
    })
    .await;
    assert_eq!(
        sidecars(&db),
        Vec::<PathBuf>::new(),
        "no -wal/-shm after Close"
    );

    // Open database… from the banner: the copy opens, with its customer.
    find(&client, "html[data-ready='true']").await;
    let open = client
        .find(Locator::XPath(
            "//div[@id='banner']//button[text()='Open database…']",
        ))
        .await
        .expect("the banner offers Open database…");
    open.click().await.unwrap();
    find(&client, "tr[data-id='acme']").await;
    assert_text(&client, "#db-name", "carried.clientbook").await;
    client.close().await.ok();
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_write_protected_database_opens_read_only_with_a_banner() {
    use std::os::unix::fs::PermissionsExt;
    let (_turn, _dir, db) = take_turn("protected.clientbook").await;
    database_with(&db, "Acme");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let (_driver, port) = start_driver(&[("CLIENTBOOK_TEST_UNUSED", OsStr::new(""))]);
    let client = connect(port, &db).await;
    find(&client, "tr[data-id='acme']").await;
    let text = eventually(&client, "the read-only banner", || async {
        banner(&client).await.filter(|t| t.contains("read-only"))
    })
    .await;
    assert_contains(&text, "the file is write-protected", "");
    // A change is refused in a sentence; nothing is written.
    type_text(&client, "#new-name", "Globex\u{E007}").await;
    eventually(&client, "the refusal", || async {
        let t = text_of(&client, "#toasts").await.unwrap_or_default()
            + &text_of(&client, "#new-name-error")
                .await
                .unwrap_or_default();
        t.contains("open read-only").then_some(())
    })
    .await;
    settled_shot(&client, "database-read-only.png").await;
    client.close().await.ok();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(std::fs::read(&db).unwrap(), before, "not a byte changed");
}

/// What the user points the window's dialogs at is never destroyed: Export… onto the open
/// database, Save a copy… onto it, Open database… on a pipe — each refused in a sentence, the
/// database open as it was, the pipe still a pipe.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn the_windows_dialogs_never_write_over_the_database_nor_open_a_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let (_turn, dir, db) = take_turn("work.clientbook").await;
    database_with(&db, "Acme");
    let pipe = dir.path().join("pipe.clientbook");
    assert!(std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap()
        .success());
    let (_driver, port) = start_driver(&[
        ("CLIENTBOOK_TEST_SAVE_FILE", db.as_os_str()),
        ("CLIENTBOOK_TEST_OPEN_FILE", pipe.as_os_str()),
    ]);
    let client = connect(port, &db).await;
    find(&client, "tr[data-id='acme']").await;

    // Export… whose save dialog answers with the open database.
    click(&client, "#export-button").await;
    click(&client, "#export-dialog[open] #export-confirm").await;
    let said = eventually(&client, "the export's refusal", || {
        shown_text(&client, "#export-problem")
    })
    .await;
    assert_contains(
        &said,
        "is the open database; writing there would destroy the database",
        "",
    );
    settled_shot(&client, "export-onto-the-database.png").await;
    click(&client, "#export-cancel").await;

    // Save a copy… onto the database itself.
    open_dialog(&client, "#db-name", "#db-dialog").await;
    after_click(&client, "#db-copy", "#toasts")
        .when("the copy's refusal", |t| {
            t.contains("work.clientbook' is the open database")
        })
        .await;

    // Open database… whose open dialog answers with a pipe.
    let said = after_click(&client, "#db-open", "#toasts")
        .when("the opening's refusal", |t| t.contains("pipe.clientbook"))
        .await;
    assert_contains(&said, "is a pipe (FIFO), not a database file", "");
    settled_shot(&client, "open-a-pipe.png").await;
    click(&client, "#db-done").await;
    // The database that was open stays open, with its customer.
    find(&client, "tr[data-id='acme']").await;
    assert_text(&client, "#db-name", "work.clientbook").await;
    client.close().await.ok();

    assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo());
    let store = clientbook::Store::open(&db).unwrap();
    assert_eq!(store.customer("acme").unwrap().name, "Acme");
    assert!(store.read_only().is_none());
}
