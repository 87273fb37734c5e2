//! What every end-to-end test binary shares: tauri-driver, a WebDriver session with the app on a
//! database of the test's own, waiting, finding, typing, reading texts and cells, screenshots, and
//! the import dialog's fixture and steps.
#![allow(dead_code)] // each test binary uses its own part

use clientbook::model::{CustomerFields, UserFields};
pub use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::ffi::OsStr;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
pub use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(20);

/// WebDriver's Enter and Escape keys, for `send_keys`.
pub const ENTER: &str = "\u{e007}";
pub const ESCAPE: &str = "\u{e00c}";

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

/// This test's turn at the window (see [`one_window_at_a_time`]), a temporary folder of its own
/// and the path of its database, `db_name`, in it.
pub async fn take_turn(db_name: &str) -> (Turn, tempfile::TempDir, PathBuf) {
    let turn = one_window_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(db_name);
    (turn, dir, db)
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

/// [`settle`], then [`shot`].
pub async fn settled_shot(client: &Client, name: &str) {
    settle().await;
    shot(client, name).await;
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

/// Waits until the text of the first element matching `css` passes `accept`; returns that text.
pub async fn text_when(
    client: &Client,
    what: &str,
    css: &str,
    accept: impl Fn(&str) -> bool,
) -> String {
    eventually(client, what, || async {
        text_of(client, css).await.filter(|t| accept(t))
    })
    .await
}

/// The text of the first element matching `css` once `button` is clicked: see [`AfterClick::when`].
pub fn after_click<'a>(client: &'a Client, button: &'a str, css: &'a str) -> AfterClick<'a> {
    AfterClick {
        client,
        button,
        css,
    }
}

/// A click to make and the element whose text to wait for then (see [`after_click`]).
pub struct AfterClick<'a> {
    client: &'a Client,
    button: &'a str,
    css: &'a str,
}

impl AfterClick<'_> {
    /// Clicks the button, then waits until the element's text passes `accept` as [`text_when`]
    /// does; returns that text.
    pub async fn when(self, what: &str, accept: impl Fn(&str) -> bool) -> String {
        click(self.client, self.button).await;
        text_when(self.client, what, self.css, accept).await
    }
}

/// Asserts that `text` contains `part`; a failure shows `label` followed by `text`.
#[track_caller]
pub fn assert_contains(text: &str, part: &str, label: &str) {
    assert!(text.contains(part), "{label}{text}");
}

/// Asserts that the DOM text of the first element matching `css` is `want`.
pub async fn assert_text(client: &Client, css: &str, want: &str) {
    let text = text_of(client, css).await;
    assert_eq!(text.as_deref(), Some(want), "the text of {css}");
}

/// Waits for a toast whose text starts with `start`; returns its text.
pub async fn toast_starting(client: &Client, what: &str, start: &str) -> String {
    text_when(client, what, "#toasts .toast-text", |t| {
        t.starts_with(start)
    })
    .await
}

/// Waits until the list shows exactly the rows `ids`, top to bottom.
pub async fn until_rows(client: &Client, what: &str, ids: &[&str]) {
    eventually(client, what, || async {
        (row_ids(client).await == ids).then_some(())
    })
    .await;
}

/// Types `text` into the search box (after what it holds), then waits until the list shows
/// exactly the rows `ids`.
pub async fn search_for(client: &Client, text: &str, ids: &[&str]) {
    type_text(client, "#search", text).await;
    let what = format!("the search for “{text}” to show {ids:?}");
    until_rows(client, &what, ids).await;
}

/// Waits until the cells of the row of customer `id` pass `accept`; returns them.
pub async fn cells_when(
    client: &Client,
    what: &str,
    id: &str,
    accept: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    eventually(client, what, || async {
        cell_texts(client, id).await.filter(|cells| accept(cells))
    })
    .await
}

/// Waits for the dialog matching `dialog` to be closed.
pub async fn until_closed(client: &Client, dialog: &str, what: &str) {
    eventually(client, what, || async {
        (!is_open(client, dialog).await).then_some(())
    })
    .await;
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

/// Clicks `button`, then waits for the dialog matching `dialog` to be open.
pub async fn open_dialog(client: &Client, button: &str, dialog: &str) {
    click(client, button).await;
    find(client, &format!("{dialog}[open]")).await;
}

/// Types `text` into the element matching `css`, after what it holds.
pub async fn type_text(client: &Client, css: &str, text: &str) {
    find(client, css).await.send_keys(text).await.unwrap();
}

/// Types `text` into the element matching `css` in place of what it held.
pub async fn type_into(client: &Client, css: &str, text: &str) {
    let el = find(client, css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// [`type_into`] each field (its selector) its text, in order.
pub async fn fill(client: &Client, fields: &[(&str, &str)]) {
    for (css, text) in fields {
        type_into(client, css, text).await;
    }
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

/// The DOM text of the first element matching `css`, unless it is there but hidden.
pub async fn shown_text(client: &Client, css: &str) -> Option<String> {
    let el = client.find(Locator::Css(css)).await.ok()?;
    if el.attr("hidden").await.ok()?.is_some() {
        return None;
    }
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

/// The attribute `attr` of every element matching `css` that has it, or (`None`) their DOM texts.
async fn read_all(client: &Client, css: &str, attr: Option<&str>) -> Vec<String> {
    let mut found = Vec::new();
    for el in client.find_all(Locator::Css(css)).await.unwrap_or_default() {
        let read = match attr {
            Some(name) => el.attr(name).await,
            None => el.prop("textContent").await,
        };
        if let Ok(Some(v)) = read {
            found.push(v);
        }
    }
    found
}

/// The DOM texts of every element matching `css`.
pub async fn texts_of_all(client: &Client, css: &str) -> Vec<String> {
    read_all(client, css, None).await
}

/// The customer IDs of the list's rows, top to bottom.
pub async fn row_ids(client: &Client) -> Vec<String> {
    read_all(client, "#customers tbody tr[data-id]", Some("data-id")).await
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

/// Writes `contents` to the file `name` in `dir`; returns its path.
pub fn write_file(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// A customer with just a name, the other fields left to their defaults.
pub fn named(name: &str) -> CustomerFields {
    CustomerFields {
        name: Some(name.into()),
        ..Default::default()
    }
}

/// Opens the database at `db` (creating it) and adds the customer `fields`; returns the store.
pub fn store_with(db: &Path, fields: CustomerFields) -> clientbook::Store {
    let store = clientbook::Store::open(db).unwrap();
    store.create_customer(fields).unwrap();
    store
}

/// A user `username` with a password strong enough for the rules.
pub fn user(username: &str) -> UserFields {
    UserFields {
        username: Some(username.into()),
        password: Some("correct horse battery staple".into()),
        ..Default::default()
    }
}

/// The names of the customers in the database at `db`, in the list's order, read as another
/// process would.
pub fn customer_names(db: &Path) -> Vec<String> {
    let store = clientbook::Store::open(db).unwrap();
    let mut names = Vec::new();
    store
        .scan(&Default::default(), |c| {
            names.push(c.name.clone());
            Ok(())
        })
        .unwrap();
    names
}

/// How many customers the database at `db` holds, read as another process would.
pub fn customer_count(db: &Path) -> u64 {
    clientbook::Store::open(db)
        .unwrap()
        .count_customers()
        .unwrap()
}

/// The window on a new database, once its list shows the one customer it has: the own company.
pub async fn open_new_database(port: u16, db: &Path) -> Client {
    let client = connect(port, db).await;
    eventually(&client, "the list with the own company", || async {
        (row_ids(&client).await.len() == 1).then_some(())
    })
    .await;
    client
}

/// A file to import. Five rows: three good ones (one with accents), one with an unknown country,
/// one repeating a customer ID. The Phone column is not a customer field.
pub const IMPORT_FIXTURE: &str = "\
Customer ID,Name,City,Country,Phone,Created
acme,Acme Corp,Berlin,DE,+49 30 1234,2019-05-01
cafe-zurich,Café Zürich,Zürich,CH,+41 44 5678,2021-06-30 09:15
nordwind,Nordwind Logistik AG,Hamburg,DE,,
atlantis,Lost City Traders,Poseidonia,Atlantis,,
acme,Acme Again,Munich,DE,,
";

/// Cancel in the import dialog (a preview or a finished import's report), once it has closed.
pub async fn cancel_import(client: &Client) {
    click(client, "#import-cancel").await;
    until_closed(client, "#import-dialog", "the import dialog to close").await;
}
