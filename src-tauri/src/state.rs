//! What the window's commands share: the open database, or why it could not be opened.

use clientbook::transfer::ImportReport;
use clientbook::{Error, Store};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

pub struct AppState {
    pub path: PathBuf,
    /// Taken out at exit (see [`AppState::close`]).
    store: RwLock<Result<Arc<Store>, String>>,
    /// Set to stop the running import or preview.
    pub import_cancel: Arc<AtomicBool>,
    /// Set to stop the running "Refresh all mappings".
    pub autotask_cancel: Arc<AtomicBool>,
    /// The file the import flow works on: chosen in the open dialog or dropped on the window.
    import_file: Mutex<Option<PathBuf>>,
    /// The last preview's or import's report, for "Save error report".
    last_report: Mutex<Option<ImportReport>>,
}

impl AppState {
    pub fn open(path: PathBuf) -> AppState {
        let store = Store::open(&path).map(Arc::new).map_err(|e| e.to_string());
        AppState {
            path,
            store: RwLock::new(store),
            import_cancel: Arc::default(),
            autotask_cancel: Arc::default(),
            import_file: Mutex::default(),
            last_report: Mutex::default(),
        }
    }

    pub fn import_file(&self) -> Option<PathBuf> {
        self.import_file
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set_import_file(&self, path: Option<PathBuf>) {
        *self.import_file.lock().unwrap_or_else(|p| p.into_inner()) = path;
    }

    pub fn last_report(&self) -> Option<ImportReport> {
        self.last_report
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set_last_report(&self, report: ImportReport) {
        *self.last_report.lock().unwrap_or_else(|p| p.into_inner()) = Some(report);
    }

    /// The store, or the reason it is not available (shown in the window's banner).
    pub fn store(&self) -> Result<Arc<Store>, Error> {
        self.store
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .map_err(Error::Refused)
    }

    pub fn open_error(&self) -> Option<String> {
        self.store
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .err()
            .cloned()
    }

    /// At exit: closes the database so that it is one self-contained file again (no -wal/-shm
    /// beside it). A command still running keeps its reference; the store then closes the same
    /// way when that command drops it.
    pub fn close(&self) {
        let taken = std::mem::replace(
            &mut *self.store.write().unwrap_or_else(|p| p.into_inner()),
            Err("Clientbook is closing the database.".into()),
        );
        if let Ok(store) = taken {
            if let Ok(store) = Arc::try_unwrap(store) {
                if let Err(e) = store.close() {
                    eprintln!("clientbook-app: {e}");
                }
            }
        }
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
