//! What every end-to-end test binary shares: tauri-driver, a WebDriver session with the app on a
//! database of the test's own, waiting, finding, reading cells and screenshots.
#![allow(dead_code)] // each test binary uses its own part

pub use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::ffi::OsStr;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
pub use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(20);

/// The tests run one window at a time: two WebKit windows at once on a small machine make
/// each other's waits flaky.
pub static WINDOW_IN_USE: AtomicBool = AtomicBool::new(false);

pub struct Turn;

impl Drop for Turn {
    fn drop(&mut self) {
        WINDOW_IN_USE.store(false, Ordering::SeqCst);
    }
}

pub async fn one_window_at_a_time() -> Turn {
    while WINDOW_IN_USE
        .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Turn
}

pub struct Driver(pub Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// Starts tauri-driver; the app it launches inherits `env` (e.g. the test answers of the
/// native file dialogs).
pub fn start_driver(env: &[(&str, &OsStr)]) -> (Driver, u16) {
    let (port, native) = (free_port(), free_port());
    let child = Command::new("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .envs(env.iter().copied())
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

pub async fn connect(port: u16, db: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({
            "application": env!("CARGO_BIN_EXE_clientbook-app"),
            "args": ["--db", db.to_str().expect("utf-8 temp path")],
        }),
    );
    // WebKitWebDriver now and then drops the connection while it starts the app (seen once in
    // many CI runs: IncompleteMessage, the app not started at all). One more try tells that
    // apart from an app that cannot start, which fails both.
    let mut attempt = 1;
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => break client,
            Err(e) if attempt == 1 => {
                eprintln!("starting a WebDriver session failed ({e}); trying once more");
                attempt += 1;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => panic!("a WebDriver session with the app: {e}"),
        }
    };
    // A click before the page's modules have attached their handlers would be lost.
    find(&client, "html[data-ready='true']").await;
    client
}

pub fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

pub async fn shot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshots().join(name), png).expect("write screenshot");
}

/// Lets the window paint what the DOM already shows (a screenshot can lag a frame behind).
pub async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Polls `check` until it returns `Some`; after [`WAIT`] saves a screenshot of what the window
/// showed and fails the test with `what`.
pub async fn eventually<T, F, Fut>(client: &Client, what: &str, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    eventually_within(client, what, WAIT, check).await
}

/// [`eventually`] with a time limit of its own, for work that takes long on purpose.
pub async fn eventually_within<T, F, Fut>(
    client: &Client,
    what: &str,
    limit: Duration,
    mut check: F,
) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
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

pub async fn find(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
}

/// Clicks the element matching `css` once it is there.
pub async fn click(client: &Client, css: &str) {
    find(client, css).await.click().await.unwrap();
}

/// Presses Ctrl+`key` with the keyboard focus on the element matching `css`, as a person would
/// (WebDriver's Control key stays down until the NULL key releases it).
pub async fn press_ctrl(client: &Client, css: &str, key: char) {
    let keys = format!("\u{e009}{key}\u{e000}");
    find(client, css).await.send_keys(&keys).await.unwrap();
}

/// The DOM text of the first element matching `css`, if there is one.
pub async fn text_of(client: &Client, css: &str) -> Option<String> {
    let el = client.find(Locator::Css(css)).await.ok()?;
    el.prop("textContent").await.ok()?
}

pub async fn is_open(client: &Client, dialog: &str) -> bool {
    client
        .find(Locator::Css(&format!("{dialog}[open]")))
        .await
        .is_ok()
}

pub async fn value(el: &Element) -> String {
    el.prop("value").await.ok().flatten().unwrap_or_default()
}

pub async fn row_ids(client: &Client) -> Vec<String> {
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

pub async fn cell_texts(client: &Client, id: &str) -> Option<Vec<String>> {
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
