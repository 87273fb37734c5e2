//! Commands of the customers screen: the list window, the create row and the edit dialog.

use crate::state::{blocking, AppState};
use clientbook::model::country::{self, Country};
use clientbook::model::{Customer, CustomerFields, Validity};
use clientbook::store::{ListQuery, Window};
use clientbook::{store::SCHEMA_VERSION, Error};
use serde::Serialize;
use tauri::State;

#[derive(Serialize)]
pub struct AppInfo {
    /// Empty after File ▸ Close database.
    database_path: String,
    database_name: String,
    schema_version: i64,
    open_error: Option<String>,
    /// Why the database is open read-only (damaged, write-protected…), if it is.
    read_only: Option<String>,
    /// The copy written beside the file before this opening upgraded it.
    upgrade_backup: Option<String>,
    /// Customer IDs and usernames of an older file that are one identity without regard to
    /// case: a sentence per pair, saying what to do.
    identity_clashes: Vec<String>,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    let path = state.path();
    let store = state.store().ok();
    AppInfo {
        database_path: path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        database_name: path
            .as_deref()
            .map(crate::database_name)
            .unwrap_or_default(),
        schema_version: SCHEMA_VERSION,
        open_error: state.open_error(),
        read_only: store
            .as_ref()
            .and_then(|s| s.read_only().map(str::to_owned)),
        upgrade_backup: store
            .as_ref()
            .and_then(|s| s.upgrade_backup().map(|p| p.display().to_string())),
        identity_clashes: store
            .as_ref()
            .and_then(|s| s.identity_clashes().ok())
            .unwrap_or_default(),
    }
}

#[tauri::command]
pub fn countries() -> &'static [Country] {
    country::all()
}

#[tauri::command]
pub async fn customers_window(
    state: State<'_, AppState>,
    query: ListQuery,
    start: u64,
    limit: u64,
) -> Result<Window, Error> {
    blocking(&state, move |s| s.window(&query, start, limit)).await
}

#[tauri::command]
pub async fn customers_total(state: State<'_, AppState>, query: ListQuery) -> Result<u64, Error> {
    blocking(&state, move |s| s.view_total(&query)).await
}

#[tauri::command]
pub async fn customer_position(
    state: State<'_, AppState>,
    query: ListQuery,
    customer_id: String,
) -> Result<Option<u64>, Error> {
    blocking(&state, move |s| s.position_of(&query, &customer_id)).await
}

#[tauri::command]
pub async fn customer_get(
    state: State<'_, AppState>,
    customer_id: String,
) -> Result<Customer, Error> {
    blocking(&state, move |s| s.customer(&customer_id)).await
}

#[tauri::command]
pub async fn customer_suggest_id(
    state: State<'_, AppState>,
    name: String,
) -> Result<String, Error> {
    blocking(&state, move |s| s.suggest_customer_id(&name)).await
}

#[tauri::command]
pub async fn customer_create(
    state: State<'_, AppState>,
    fields: CustomerFields,
) -> Result<Customer, Error> {
    blocking(&state, move |s| s.create_customer(fields)).await
}

#[tauri::command]
pub async fn customer_update(
    state: State<'_, AppState>,
    customer_id: String,
    fields: CustomerFields,
) -> Result<Customer, Error> {
    blocking(&state, move |s| s.update_customer(&customer_id, fields)).await
}

#[tauri::command]
pub async fn customer_set_active(
    state: State<'_, AppState>,
    customer_id: String,
    active: bool,
) -> Result<Customer, Error> {
    let validity = if active {
        Validity::Valid
    } else {
        Validity::Invalid
    };
    blocking(&state, move |s| s.set_validity(&customer_id, validity)).await
}

#[tauri::command]
pub async fn customer_delete(
    state: State<'_, AppState>,
    customer_id: String,
) -> Result<Customer, Error> {
    blocking(&state, move |s| s.delete_customer(&customer_id)).await
}

#[tauri::command]
pub async fn customer_restore(
    state: State<'_, AppState>,
    customer: Customer,
) -> Result<Customer, Error> {
    blocking(&state, move |s| s.restore_customer(&customer)).await
}
