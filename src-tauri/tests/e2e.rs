//! End-to-end: the real app window under Xvfb, driven over WebDriver (tauri-driver in front of
//! WebKitWebDriver). One user journey: add a customer, edit its city in the dialog, toggle
//! Active, search for it. Screenshots land in `target/e2e-screenshots/`.
//!
//! Needs a display (`scripts/test` provides Xvfb) and `tauri-driver` on PATH
//! (`scripts/setup test` installs it).

use clientbook::model::Validity;
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn start_driver() -> (Driver, u16) {
    let (port, native) = (free_port(), free_port());
    let child = Command::new("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("tauri-driver could not start ({e}); install it with `scripts/setup test`")
        });
    let driver = Driver(child);
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (driver, port)
}

async fn connect(port: u16, db: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({
            "application": env!("CARGO_BIN_EXE_clientbook-app"),
            "args": ["--db", db.to_str().expect("utf-8 temp path")],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session with the app")
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

async fn shot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshots().join(name), png).expect("write screenshot");
}

/// Polls `check` until it returns `Some`; after [`WAIT`] saves a screenshot of what the window
/// showed and fails the test with `what`.
async fn eventually<T, F, Fut>(client: &Client, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if Instant::now() >= deadline {
            shot(client, "failure.png").await;
            panic!("timed out waiting for: {what} (see target/e2e-screenshots/failure.png)");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn find(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
}

async fn value(el: &Element) -> String {
    el.prop("value").await.ok().flatten().unwrap_or_default()
}

async fn row_ids(client: &Client) -> Vec<String> {
    let mut ids = Vec::new();
    for row in client
        .find_all(Locator::Css("#customers tbody tr[data-id]"))
        .await
        .unwrap_or_default()
    {
        if let Ok(Some(id)) = row.attr("data-id").await {
            ids.push(id);
        }
    }
    ids
}

async fn cell_texts(client: &Client, id: &str) -> Option<Vec<String>> {
    let row = client
        .find(Locator::Css(&format!("tr[data-id='{id}']")))
        .await
        .ok()?;
    let mut texts = Vec::new();
    // The DOM text: WebKitWebDriver reports ellipsis-clipped table cells as empty.
    for cell in row.find_all(Locator::Css("td")).await.ok()? {
        texts.push(cell.prop("textContent").await.ok()??);
    }
    Some(texts)
}

#[tokio::test(flavor = "multi_thread")]
async fn add_edit_toggle_and_search_a_customer_through_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.clientbook");
    let (_driver, port) = start_driver();
    let client = connect(port, &db).await;

    // Add: the ID follows the name live; the new row appears selected.
    let name = find(&client, "#new-name").await;
    name.send_keys("Zephyr Networks GmbH").await.unwrap();
    let new_id = find(&client, "#new-id").await;
    eventually(&client, "the derived customer ID", || async {
        (value(&new_id).await == "zephyr-networks-gmbh").then_some(())
    })
    .await;
    find(&client, "#add-button").await.click().await.unwrap();
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
    find(&client, &format!("{row_css} button.edit"))
        .await
        .click()
        .await
        .unwrap();
    let city = find(&client, "#customer-dialog[open] #f-city").await;
    city.clear().await.unwrap();
    city.send_keys("Hamburg").await.unwrap();
    shot(&client, "02-edit-dialog.png").await;
    find(&client, "#dialog-save-close")
        .await
        .click()
        .await
        .unwrap();
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

    client.close().await.unwrap();
}
