//! Commands of the import and export flows. File paths never come from the page: they come from
//! the native file dialogs or from a file dropped on the window (see `main.rs`), are kept here,
//! and the page refers to "the chosen file".

use crate::state::{blocking, AppState};
use clientbook::store::{ListQuery, UndoneImport};
use clientbook::transfer::{self, ExportOptions, ImportOptions, ImportReport, Progress, ReadAs};
use clientbook::Error;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

const CSV_IN: Filters = &[("CSV files", &["csv", "txt", "tsv"])];
const CSV_OUT: Filters = &[("CSV files", &["csv"])];
/// Set by the end-to-end test: the open dialog answers with this file instead of showing itself.
const TEST_OPEN_FILE: &str = "CLIENTBOOK_TEST_OPEN_FILE";
/// Set by the end-to-end test: the save dialog answers with this path.
const TEST_SAVE_FILE: &str = "CLIENTBOOK_TEST_SAVE_FILE";

/// The file the import flow works on.
#[derive(Serialize, Clone)]
pub struct Chosen {
    pub name: String,
    pub size: u64,
}

impl Chosen {
    pub fn of(path: &Path) -> Chosen {
        Chosen {
            name: crate::database_name(path),
            size: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        }
    }
}

/// Whether a dropped or chosen path looks like something the importer reads; the message says
/// what is wrong otherwise.
pub fn check_importable(paths: &[PathBuf]) -> Result<&Path, String> {
    match paths {
        // The same sentence shows on the overlay while dragging and in a toast after the drop.
        [] => Err("Only files can be dropped here; drop one CSV file.".into()),
        [one] => {
            let name = crate::database_name(one);
            if one.is_dir() {
                return Err(format!("'{name}' is a folder; drop one CSV file."));
            }
            let ext = one
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            match ext.as_deref() {
                Some("csv" | "txt" | "tsv") => Ok(one),
                _ => Err(format!(
                    "'{name}' is not a CSV file; drop a .csv or .txt file to import customers."
                )),
            }
        }
        many => Err(format!(
            "These are {} files; drop one CSV file at a time.",
            many.len()
        )),
    }
}

#[derive(Deserialize, Clone, Default)]
#[serde(default)]
pub struct ImportRequest {
    /// The file name the page shows, so that a file dropped meanwhile is never imported
    /// unseen.
    pub file: String,
    pub update: bool,
    pub strict: bool,
    /// The encoding and delimiter chosen in the dialog; absent or empty: detected.
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub delimiter: Option<String>,
}

/// The files a native dialog offers: `(label, extensions)`, then "All files".
pub type Filters<'a> = &'a [(&'a str, &'a [&'a str])];

/// The native open dialog with `filters` and an "All files" choice. `None` when cancelled.
pub async fn pick_open(app: &AppHandle, title: &str, filters: Filters<'_>) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(TEST_OPEN_FILE) {
        return Some(PathBuf::from(path));
    }
    let mut dialog = app.dialog().file().set_title(title);
    for (label, extensions) in filters {
        dialog = dialog.add_filter(*label, extensions);
    }
    let dialog = dialog.add_filter("All files", &["*"]);
    let file = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file()).await;
    file.ok().flatten().and_then(|f| f.into_path().ok())
}

/// The native save dialog, suggesting `suggested`, offering `filters`.
pub async fn pick_save(
    app: &AppHandle,
    title: &str,
    suggested: &str,
    filters: Filters<'_>,
) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(TEST_SAVE_FILE) {
        return Some(PathBuf::from(path));
    }
    let mut dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(suggested);
    for (label, extensions) in filters {
        dialog = dialog.add_filter(*label, extensions);
    }
    let file = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file()).await;
    file.ok().flatten().and_then(|f| f.into_path().ok())
}

/// File ▸ Import customers…: the native open dialog. `None` when the user cancels.
#[tauri::command]
pub async fn import_pick(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<Chosen>, Error> {
    let Some(path) = pick_open(&app, "Import customers", CSV_IN).await else {
        return Ok(None);
    };
    let chosen = Chosen::of(&path);
    state.set_import_file(Some(path));
    Ok(Some(chosen))
}

/// Throttles progress to the page (a few messages a second) and notices a cancel.
fn reporter(state: &AppState, channel: Channel<Progress>) -> impl FnMut(&Progress) -> bool {
    let cancel = state.import_cancel.clone();
    let mut last = Instant::now() - Duration::from_secs(1);
    move |p: &Progress| {
        if last.elapsed() >= Duration::from_millis(100) || p.phase == transfer::Phase::Indexing {
            last = Instant::now();
            let _ = channel.send(*p);
        }
        !cancel.load(Ordering::SeqCst)
    }
}

/// Runs a preview (`dry_run`) or the import of the chosen file with the page's options.
async fn run_import(
    state: &State<'_, AppState>,
    request: ImportRequest,
    dry_run: bool,
    channel: Channel<Progress>,
) -> Result<ImportReport, Error> {
    let path = state.import_file().ok_or_else(|| {
        Error::Refused("Choose a CSV file first (File ▸ Import customers…).".into())
    })?;
    let name = crate::database_name(&path);
    if name != request.file {
        return Err(Error::Refused(format!(
            "The file to import changed to '{name}'; check its preview before importing."
        )));
    }
    let options = ImportOptions {
        update: request.update,
        strict: request.strict,
        dry_run,
        read_as: ReadAs::named(request.encoding.as_deref(), request.delimiter.as_deref())?,
    };
    state.import_cancel.store(false, Ordering::SeqCst);
    let mut progress = reporter(state, channel);
    let report = blocking(state, move |s| {
        transfer::import(s, &path, options, &mut progress)
    })
    .await?;
    if !dry_run {
        log::info!(
            "Imported '{name}': {} rows read, {} added, {} updated, {} unchanged, {} skipped{}",
            report.rows_read,
            report.inserted,
            report.updated,
            report.unchanged,
            report.skipped,
            if report.written {
                ""
            } else {
                "; nothing was written"
            }
        );
    }
    // The backend keeps the full path (the error report reads the file's rows again); the
    // page shows the file's name.
    state.set_last_report(report.clone());
    Ok(ImportReport {
        file: name,
        ..report
    })
}

/// Imports the chosen file: all valid rows in one transaction, or nothing; with `dry_run`, the
/// preview of what it would do, with nothing written.
#[tauri::command]
pub async fn import_file(
    state: State<'_, AppState>,
    options: ImportRequest,
    dry_run: bool,
    progress: Channel<Progress>,
) -> Result<ImportReport, Error> {
    run_import(&state, options, dry_run, progress).await
}

/// Takes back the last import (the Undo of its summary toast), unless something was written
/// after it.
#[tauri::command]
pub async fn import_undo(state: State<'_, AppState>, token: u64) -> Result<UndoneImport, Error> {
    blocking(&state, move |s| s.undo_import(token)).await
}

/// Stops the running preview or import; the database stays as it was.
#[tauri::command]
pub fn import_cancel(state: State<'_, AppState>) {
    state.import_cancel.store(true, Ordering::SeqCst);
    if let Ok(store) = state.store() {
        store.interrupt_write();
    }
}

/// Forgets the chosen file (the flow was closed).
#[tauri::command]
pub fn import_close(state: State<'_, AppState>) {
    state.set_import_file(None);
}

/// "Save error report (CSV)": the last preview's or import's row errors, through the native save
/// dialog. Returns the file name written, or `None` when the user cancels.
#[tauri::command]
pub async fn import_save_errors(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>, Error> {
    let report = state
        .last_report()
        .ok_or_else(|| Error::Refused("There is no import report to save yet.".into()))?;
    let stem = Path::new(&report.file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    let Some(path) = pick_save(
        &app,
        "Save error report",
        &format!("{stem}-errors.csv"),
        CSV_OUT,
    )
    .await
    else {
        return Ok(None);
    };
    let name = crate::database_name(&path);
    let database = state.path();
    tauri::async_runtime::spawn_blocking(move || {
        transfer::write_error_report(&path, &report, database.as_deref())
    })
    .await
    .map_err(|e| Error::Refused(format!("Saving the report stopped unexpectedly: {e}")))??;
    Ok(Some(name))
}

#[derive(Serialize)]
pub struct Exported {
    pub name: String,
    pub count: u64,
}

/// File ▸ Export customers…: the native save dialog, then the customers of `query` (the list as
/// shown: its search and filter, in its order). `None` when the user cancels.
#[tauri::command]
pub async fn export_customers(
    app: AppHandle,
    state: State<'_, AppState>,
    query: ListQuery,
    bom: bool,
) -> Result<Option<Exported>, Error> {
    let Some(path) = pick_save(&app, "Export customers", "customers.csv", CSV_OUT).await else {
        return Ok(None);
    };
    let name = crate::database_name(&path);
    let count = blocking(&state, move |s| {
        let count = transfer::export(s, &query, &path, ExportOptions { bom })?;
        log::info!("Exported {count} customers to '{}'", path.display());
        Ok(count)
    })
    .await?;
    Ok(Some(Exported { name, count }))
}

#[cfg(test)]
mod tests {
    use super::check_importable;
    use std::path::PathBuf;

    #[test]
    fn only_one_csv_or_text_file_is_importable_and_the_message_says_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("Customers.CSV");
        std::fs::write(&csv, "Name\nAcme\n").unwrap();
        assert_eq!(
            check_importable(std::slice::from_ref(&csv)),
            Ok(csv.as_path())
        );
        let pdf = PathBuf::from("/tmp/report.pdf");
        assert_eq!(
            check_importable(&[pdf]),
            Err(
                "'report.pdf' is not a CSV file; drop a .csv or .txt file to import customers."
                    .to_owned()
            )
        );
        assert_eq!(
            check_importable(&[csv.clone(), csv.clone(), csv]),
            Err("These are 3 files; drop one CSV file at a time.".to_owned())
        );
        assert!(check_importable(&[dir.path().to_owned()])
            .unwrap_err()
            .contains("is a folder"));
        assert!(check_importable(&[]).is_err());
    }
}
