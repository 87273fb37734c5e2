//! What the window's commands share: the open database, or why it could not be opened.

use clientbook::{Error, Store};
use std::path::PathBuf;
use std::sync::Arc;

pub struct AppState {
    pub path: PathBuf,
    store: Result<Arc<Store>, String>,
}

impl AppState {
    pub fn open(path: PathBuf) -> AppState {
        let store = Store::open(&path).map(Arc::new).map_err(|e| e.to_string());
        AppState { path, store }
    }

    /// The store, or the reason it is not available (shown in the window's banner).
    pub fn store(&self) -> Result<Arc<Store>, Error> {
        self.store.clone().map_err(Error::Refused)
    }

    pub fn open_error(&self) -> Option<&str> {
        self.store.as_ref().err().map(String::as_str)
    }
}

/// Runs store work off the UI thread; every command goes through here.
pub async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Store) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let store = state.store()?;
    tauri::async_runtime::spawn_blocking(move || work(&store))
        .await
        .map_err(|e| Error::Refused(format!("The operation stopped unexpectedly: {e}")))?
}
