//! End-to-end: Autotask in the real window, against the core tests' fake Autotask server on
//! 127.0.0.1. Test the connection in the Autotask dialog (credentials from the environment; a
//! refused secret named beside its field); map a customer to an Autotask company (search, choose,
//! verify, refresh all, clear, import companies); and a keychain session — save credentials in
//! the OS keychain, test them, map a customer and export, forget them — after which the database,
//! the export and the app's log are scanned for the three credential values. Screenshots land in
//! `target/e2e-screenshots/autotask-*.png`.
//!
//! Needs a display (`scripts/test` provides Xvfb), `tauri-driver` on PATH (`scripts/setup test`
//! installs it) and, for the keychain session, a Secret Service (`scripts/test` starts one).

#[path = "../../tests/fake_autotask/mod.rs"]
mod fake_autotask;
mod harness;

use fake_autotask::{FakeAutotask, Fault};
use harness::*;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Starts tauri-driver with the app pointed at the fake Autotask server at `zone_url`, the
/// credentials coming from the environment.
fn start_driver_for(zone_url: &str) -> (Driver, u16) {
    start_driver(&[
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
        ("CLIENTBOOK_AUTOTASK_ZONE_URL", OsStr::new(zone_url)),
    ])
}

/// Test connection in the Autotask dialog, once it is done and the status starts with `prefix`;
/// returns the status.
async fn test_connection(client: &Client, prefix: &str) -> String {
    let test = find(client, "#at-test").await;
    test.click().await.unwrap();
    eventually(client, "the connection to succeed", || async {
        let text = text_of(client, "#at-status").await?;
        let idle = test.is_enabled().await.ok()?;
        (idle && text.starts_with(prefix)).then_some(text)
    })
    .await
}

/// Opens Acme's edit dialog and its search of Autotask companies; returns the search box.
async fn search_companies_for_acme(client: &Client) -> Element {
    click(client, "tr[data-id='acme'] button.edit").await;
    click(client, "#customer-dialog[open] #atm-find").await;
    find(client, "#atm-search").await
}

/// Chooses Autotask company 101 among the search's results; returns the mapping's summary once
/// it shows the company.
async fn choose_acme_corporation(client: &Client, what: &str) -> String {
    click(client, "#atm-results button[data-company-id='101']").await;
    text_when(client, what, "#atm-summary", |t| {
        t.contains("Acme Corporation")
    })
    .await
}

/// Whether the enabled state of the element matching `css` is on.
async fn enabled(client: &Client, css: &str) -> bool {
    find(client, css).await.is_enabled().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn test_the_autotask_connection_in_the_settings_dialog() {
    let (_turn, _dir, db) = take_turn("autotask.clientbook").await;
    let fake = FakeAutotask::start(vec![fake_autotask::company(0, "Our MSP", "Berlin", true)]);
    let zone_url = fake.zone_url();
    let (_driver, port) = start_driver_for(&zone_url);
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
    assert_contains(&source, fake_autotask::USERNAME, "source: ");
    assert!(!enabled(&client, "#at-save").await, "Save is off");
    assert!(!enabled(&client, "#at-forget").await, "Forget is off");
    assert_eq!(
        value(&find(&client, "#at-username").await).await,
        fake_autotask::USERNAME
    );
    for (css, what) in [("#at-secret", "secret"), ("#at-code", "code")] {
        assert_eq!(
            value(&find(&client, css).await).await,
            "",
            "the {what} is never shown"
        );
    }

    // Test connection: the zone of the fake.
    let status = test_connection(&client, "Connected").await;
    let zone = zone_url.split("/lookup").next().unwrap();
    assert!(
        status.starts_with(&format!("Connected — zone {zone}/")),
        "status: {status}"
    );
    assert!(fake.api_requests() >= 1, "an authenticated call was made");
    settled_shot(&client, "autotask-settings.png").await;

    // Autotask refuses the secret: the message says so, beside the secret's field.
    fake.fail_next(Fault::Unauthorized);
    click(&client, "#at-test").await;
    let beside = text_when(&client, "the secret to be refused", "#e-at-secret", |t| {
        t.contains("HTTP 401")
    })
    .await;
    assert_contains(&beside, "Check the secret", "beside the field: ");
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
    settled_shot(&client, "autotask-settings-error.png").await;

    // Esc closes the dialog.
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(ESCAPE)
        .await
        .unwrap();
    until_closed(&client, "#autotask-dialog", "the dialog to close on Esc").await;

    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn map_verify_refresh_clear_and_pull_autotask_companies_through_the_window() {
    let (_turn, _dir, db) = take_turn("mapping.clientbook").await;
    store_with(
        &db,
        clientbook::model::CustomerFields {
            city: Some("Berlin".into()),
            ..named("Acme")
        },
    );
    let fake = FakeAutotask::start(vec![
        fake_autotask::company(101, "Acme Corporation", "Berlin", true),
        fake_autotask::company(102, "Acme Holding (old)", "Bonn", false),
        fake_autotask::company(103, "Globex", "Springfield", true),
    ]);
    let (_driver, port) = start_driver_for(&fake.zone_url());
    let client = connect(port, &db).await;

    // Open Acme's edit dialog and search Autotask: active companies only, then inactive too.
    let search = search_companies_for_acme(&client).await;
    // Autotask is busy once: the wait it asks for is shown where the user waits.
    fake.fail_next(Fault::TooManyRequests {
        retry_after: Some(2),
    });
    search.send_keys("acme").await.unwrap();
    let waiting = text_when(&client, "the 429 wait to be shown", "#atm-status", |t| {
        t.contains("Autotask is busy")
    })
    .await;
    assert_contains(&waiting, "trying again in 2 s (try 2 of 3)", "wait: ");
    let results = "#atm-results .atm-r-name";
    eventually(&client, "the active company found", || async {
        (texts_of_all(&client, results).await == ["Acme Corporation"]).then_some(())
    })
    .await;
    click(&client, "#atm-inactive").await;
    eventually(&client, "the inactive company listed too", || async {
        (texts_of_all(&client, results).await.len() == 2).then_some(())
    })
    .await;
    settled_shot(&client, "autotask-map-search.png").await;

    // Choose it: the mapping is stored at once, with the status badge.
    let summary = choose_acme_corporation(&client, "the mapping shown in the dialog").await;
    assert_contains(&summary, "#101", "summary: ");
    find(&client, "#atm-summary .at-badge.at-ok").await;
    let status = text_of(&client, "#atm-status").await.unwrap();
    assert_eq!(status, "Mapped to “Acme Corporation” (Autotask id 101).");
    settled_shot(&client, "autotask-mapped.png").await;
    click(&client, "#dialog-cancel").await;
    let cells = cells_when(&client, "the list's Autotask column", "acme", |c| {
        c[5] == "Acme CorporationOK"
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
    let done = after_click(
        &client,
        "#refresh-button",
        "#refresh-dialog[open] #refresh-text",
    )
    .when("the refresh to finish", |t| {
        t.starts_with("Checked 1 mapped customer")
    })
    .await;
    assert_eq!(done, "Checked 1 mapped customer with Autotask.");
    assert_eq!(fake.api_requests() - before, 1, "one batched query");
    let counts = text_of(&client, "#refresh-counts").await.unwrap();
    assert_contains(&counts, "1 Renamed in Autotask", "counts: ");
    settled_shot(&client, "autotask-refresh-all.png").await;
    click(&client, "#refresh-close").await;
    cells_when(&client, "the renamed mapping in the list", "acme", |c| {
        c[5] == "Acme Corp InternationalRenamed" && c[0] == "Acme"
    })
    .await;

    // Verify in the dialog (the cache has the new name: OK), then Clear.
    click(&client, "tr[data-id='acme'] button.edit").await;
    after_click(&client, "#customer-dialog[open] #atm-verify", "#atm-status")
        .when("the verified mapping", |t| t.starts_with("OK:"))
        .await;
    after_click(&client, "#atm-clear", "#atm-summary")
        .when("the cleared mapping", |t| t == "Not mapped")
        .await;
    click(&client, "#dialog-cancel").await;
    cells_when(&client, "the list without the mapping", "acme", |c| {
        c[5].is_empty()
    })
    .await;

    // Import from Autotask: both active companies become mapped customers.
    let preview = after_click(&client, "#pull-button", "#pull-dialog[open] #pull-text")
        .when("the pull preview", |t| t.contains("to create"))
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
    settled_shot(&client, "autotask-pull-preview.png").await;
    let run = find(&client, "#pull-run").await;
    assert_eq!(run.text().await.unwrap(), "Import 2 customers");
    run.click().await.unwrap();
    cells_when(&client, "Globex in the list, mapped", "globex", |c| {
        c[5] == "GlobexOK"
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

/// Every file below `dir`, in its subfolders too.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
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
    files
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
    let (_turn, dir, db) = take_turn("keychain.clientbook").await;
    store_with(&db, named("Acme"));
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
    let nothing_saved = |t: &str| t.contains("No credentials are saved yet");
    text_when(
        &client,
        "the dialog saying nothing is saved",
        "#autotask-dialog[open] #at-source",
        nothing_saved,
    )
    .await;
    assert!(enabled(&client, "#at-save").await, "Save is on");
    assert!(!enabled(&client, "#at-forget").await, "nothing to forget");

    // Enter without the secret: the message stands beside the secret; nothing is saved.
    type_text(&client, "#at-username", fake_autotask::USERNAME).await;
    type_text(&client, "#at-code", fake_autotask::INTEGRATION_CODE).await;
    type_text(&client, "#at-code", ENTER).await;
    let beside = text_when(
        &client,
        "the missing secret to be named",
        "#e-at-secret",
        |t| !t.is_empty(),
    )
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
    secret.send_keys(ENTER).await.unwrap();
    text_when(&client, "the credentials to be saved", "#at-status", |t| {
        t.starts_with("Saved in the OS keychain")
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
    assert_contains(&source, "saved in the OS keychain", "source: ");

    // Test connection with the saved values.
    test_connection(&client, "Connected — zone").await;
    settled_shot(&client, "autotask-keychain.png").await;

    // With the saved credentials: map Acme, then export the list.
    click(&client, "#at-close").await;
    let search = search_companies_for_acme(&client).await;
    search.send_keys("acme").await.unwrap();
    choose_acme_corporation(&client, "the mapping stored").await;
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
    after_click(&client, "#confirm-dialog[open] #confirm-ok", "#at-source")
        .when("the credentials to be forgotten", nothing_saved)
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
    let files = files_under(dir.path());
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
