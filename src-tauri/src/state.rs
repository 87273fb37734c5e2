//! What the window's commands share: the open database, or why it could not be opened.

use clientbook::recent::{Recent, RecentFile};
use clientbook::transfer::ImportReport;
use clientbook::{Error, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

pub struct AppState {
    /// The database file shown (open, or the one that failed to open); `None` after Close.
    path: RwLock<Option<PathBuf>>,
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
    /// A database file dropped on the window, until the page says to open it.
    dropped_database: Mutex<Option<PathBuf>>,
    recent_file: PathBuf,
}

const CLOSED: &str = "No database is open. Use File ▸ New database… or Open database….";

impl AppState {
    pub fn open(path: PathBuf) -> AppState {
        let store = Store::open_checked(&path)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        let recent_file = clientbook::recent::default_location();
        if store.is_ok() {
            remember(&recent_file, &path);
        }
        AppState {
            path: RwLock::new(Some(path)),
            dropped_database: Mutex::default(),
            recent_file,
            store: RwLock::new(store),
            import_cancel: Arc::default(),
            autotask_cancel: Arc::default(),
            import_file: Mutex::default(),
            last_report: Mutex::default(),
        }
    }

    /// For the log: the database and how it is open.
    pub fn describe(&self) -> String {
        let Some(path) = self.path() else {
            return "no database is open".into();
        };
        let store = self.store.read().unwrap_or_else(|p| p.into_inner());
        match &*store {
            Ok(store) => describe_open(&path, store),
            Err(why) => format!("'{}' could not be opened: {why}", path.display()),
        }
    }

    pub fn path(&self) -> Option<PathBuf> {
        self.path.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Opens `path` (creating it when `create`) in place of the current database. If it cannot
    /// be opened, the current one stays open and nothing is lost.
    pub fn switch(&self, path: &Path, create: bool) -> Result<Arc<Store>, Error> {
        // A pipe, device or folder is refused here, by what it is, before anything opens it.
        let found = clientbook::files::database(path)?;
        if !create && !found.exists {
            return Err(Error::NotFound(format!(
                "'{}' is no longer there (moved or deleted?).",
                path.display()
            )));
        }
        if create && found.exists {
            return Err(Error::Refused(format!(
                "'{}' already exists. Use Open database… to open it, or choose a new name.",
                path.display()
            )));
        }
        let store = match Store::open_checked(path) {
            Ok(store) => Arc::new(store),
            Err(e) => {
                log::warn!("Could not open '{}': {}", path.display(), e.for_log());
                return Err(e);
            }
        };
        log::info!("{}", describe_open(path, &store));
        self.close();
        *self.store.write().unwrap_or_else(|p| p.into_inner()) = Ok(store.clone());
        *self.path.write().unwrap_or_else(|p| p.into_inner()) = Some(path.to_path_buf());
        self.set_import_file(None);
        remember(&self.recent_file, path);
        Ok(store)
    }

    /// File ▸ Close database: closes it cleanly; the window then has no database.
    pub fn close_database(&self) {
        self.close();
        *self.path.write().unwrap_or_else(|p| p.into_inner()) = None;
        *self.store.write().unwrap_or_else(|p| p.into_inner()) = Err(CLOSED.into());
    }

    pub fn recent(&self) -> Vec<RecentFile> {
        Recent::load(&self.recent_file).files()
    }

    pub fn recent_path(&self, index: usize) -> Option<PathBuf> {
        Recent::load(&self.recent_file)
            .get(index)
            .map(Path::to_path_buf)
    }

    pub fn set_dropped_database(&self, path: Option<PathBuf>) {
        *self
            .dropped_database
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = path;
    }

    pub fn dropped_database(&self) -> Option<PathBuf> {
        self.dropped_database
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
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
            let path = self.path().unwrap_or_default();
            if let Ok(store) = Arc::try_unwrap(store) {
                match store.close() {
                    Ok(()) => log::info!("Closed '{}'", path.display()),
                    Err(e) => log::error!("Closing '{}': {}", path.display(), e.for_log()),
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
    off_thread(move || work(&store)).await
}

/// Runs blocking core work (the store, the keychain, HTTP) off the UI thread and logs its
/// failure.
pub async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let result = tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| Error::Refused(format!("The operation stopped unexpectedly: {e}")))
        .and_then(|r| r);
    log_failure(&result);
    result
}

/// Logs a command's failure. A refused input is shown beside its field and a cancel is the
/// user's (or the next keystroke's) doing: neither is worth a log line.
pub fn log_failure<T>(result: &Result<T, Error>) {
    if let Err(e) = result {
        if !matches!(
            e,
            Error::Invalid(_) | Error::Conflict { .. } | Error::Cancelled
        ) {
            log::warn!("{}", e.for_log());
        }
    }
}

/// "Opened 'path' (read-only: why)" and the upgrade's backup, for the log.
fn describe_open(path: &Path, store: &Store) -> String {
    let mut line = format!("opened '{}'", path.display());
    match store.read_only() {
        Some(why) => line.push_str(&format!(" read-only because {why}")),
        None => line.push_str(" for reading and writing"),
    }
    if let Some(backup) = store.upgrade_backup() {
        line.push_str(&format!(
            "; upgraded, the file as it was is in '{}'",
            backup.display()
        ));
    }
    line
}

/// Puts `path` at the top of Recent databases (a failure to save the list is not worth a word).
fn remember(recent_file: &Path, path: &Path) {
    let mut recent = Recent::load(recent_file);
    recent.opened(path);
    let _ = recent.save(recent_file);
}
