//! File ▸ New database…, Open database…, Open recent, Save a copy…, Close database, and a
//! database file dropped on the window. Paths come only from the native dialogs, the drop and
//! the backend's own Recent list; the page gets names back. After a switch the page reloads.

use super::transfer::{pick_open, pick_save, Filters};
use crate::state::AppState;
use clientbook::recent::RecentFile;
use clientbook::Error;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, State};

const DATABASES: Filters = &[("Clientbook databases", &["clientbook", "db", "sqlite"])];
const NEW_DATABASE: Filters = &[("Clientbook databases", &["clientbook"])];

/// What a File action did: the file's name, or nothing when the dialog was cancelled.
#[derive(Serialize)]
pub struct Done {
    name: Option<String>,
}

fn done(path: Option<&Path>) -> Done {
    Done {
        name: path.map(crate::database_name),
    }
}

/// The window title and the Recent submenu follow the open database.
pub fn refresh_window(app: &AppHandle) {
    let state = app.state::<AppState>();
    let title = match state.path() {
        Some(path) => format!("{} — Clientbook", crate::database_name(&path)),
        None => "Clientbook".to_owned(),
    };
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&title);
    }
    if let Ok(menu) = crate::menu::build(app) {
        let _ = app.set_menu(menu);
    }
}

async fn switch(app: &AppHandle, path: PathBuf, create: bool) -> Result<Done, Error> {
    let handle = app.clone();
    let opened = path.clone();
    tauri::async_runtime::spawn_blocking(move || {
        handle
            .state::<AppState>()
            .switch(&opened, create)
            .map(|_| ())
    })
    .await
    .map_err(|e| Error::Refused(format!("Opening the database stopped unexpectedly: {e}")))??;
    refresh_window(app);
    Ok(done(Some(&path)))
}

/// File ▸ New database…: a new, empty Clientbook file (`.clientbook` unless named otherwise).
#[tauri::command]
pub async fn db_new(app: AppHandle) -> Result<Done, Error> {
    let Some(mut path) =
        pick_save(&app, "New database", "customers.clientbook", NEW_DATABASE).await
    else {
        return Ok(done(None));
    };
    if path.extension().is_none() {
        path.set_extension("clientbook");
    }
    switch(&app, path, true).await
}

/// File ▸ Open database…: any Clientbook file; anything else is refused unchanged.
#[tauri::command]
pub async fn db_open(app: AppHandle) -> Result<Done, Error> {
    let Some(path) = pick_open(&app, "Open database", DATABASES).await else {
        return Ok(done(None));
    };
    switch(&app, path, false).await
}

/// File ▸ Open recent ▸ entry `index`.
#[tauri::command]
pub async fn db_open_recent(
    app: AppHandle,
    state: State<'_, AppState>,
    index: usize,
) -> Result<Done, Error> {
    let path = state
        .recent_path(index)
        .ok_or_else(|| Error::NotFound("That recent database is no longer listed.".into()))?;
    switch(&app, path, false).await
}

/// Opens the database file dropped on the window (after the page asked).
#[tauri::command]
pub async fn db_open_dropped(app: AppHandle, state: State<'_, AppState>) -> Result<Done, Error> {
    let path = state
        .dropped_database()
        .ok_or_else(|| Error::NotFound("No database file was dropped.".into()))?;
    state.set_dropped_database(None);
    switch(&app, path, false).await
}

/// File ▸ Save a copy…: a consistent copy of the open database while the app keeps working.
#[tauri::command]
pub async fn db_save_copy(app: AppHandle, state: State<'_, AppState>) -> Result<Done, Error> {
    let store = state.store()?;
    let stem = state
        .path()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "customers".into());
    let suggested = format!("{stem} copy.clientbook");
    let Some(mut dest) = pick_save(
        &app,
        "Save a copy of the database",
        &suggested,
        NEW_DATABASE,
    )
    .await
    else {
        return Ok(done(None));
    };
    if dest.extension().is_none() {
        dest.set_extension("clientbook");
    }
    let target = dest.clone();
    crate::state::off_thread(move || store.backup_to(&target)).await?;
    log::info!("Saved a copy of the database as '{}'", dest.display());
    Ok(done(Some(&dest)))
}

/// File ▸ Close database: written out cleanly as one file; the window has no database then.
#[tauri::command]
pub async fn db_close(app: AppHandle) -> Result<(), Error> {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || handle.state::<AppState>().close_database())
        .await
        .map_err(|e| Error::Refused(format!("Closing the database stopped unexpectedly: {e}")))?;
    refresh_window(&app);
    Ok(())
}

/// A number that changes when another window or the CLI writes to the open database (see
/// `Store::outside_version`); `None` while this window writes, or with no database open.
#[tauri::command]
pub async fn db_outside_version(state: State<'_, AppState>) -> Result<Option<i64>, Error> {
    crate::state::blocking(&state, |store| Ok(store.outside_version())).await
}

/// Recent databases, newest first; missing ones are marked.
#[tauri::command]
pub fn db_recent(state: State<'_, AppState>) -> Vec<RecentFile> {
    state.recent()
}
