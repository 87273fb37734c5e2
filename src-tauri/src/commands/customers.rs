//! Commands of the customers screen: the list window, the create row and the edit dialog.

use super::store_commands;
use crate::state::AppState;
use clientbook::model::country::{self, Country};
use clientbook::model::{Customer, CustomerFields, Validity};
use clientbook::store::SCHEMA_VERSION;
use clientbook::store::{ListQuery, Window};
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

store_commands! {
    fn customers_window(query: ListQuery, start: u64, limit: u64) -> Window =>
        |s| s.window(&query, start, limit);
    fn customers_total(query: ListQuery) -> u64 => |s| s.view_total(&query);
    fn customer_position(query: ListQuery, customer_id: String) -> Option<u64> =>
        |s| s.position_of(&query, &customer_id);
    fn customer_get(customer_id: String) -> Customer => |s| s.customer(&customer_id);
    fn customer_suggest_id(name: String) -> String => |s| s.suggest_customer_id(&name);
    fn customer_create(fields: CustomerFields) -> Customer => |s| s.create_customer(fields);
    fn customer_update(customer_id: String, fields: CustomerFields) -> Customer =>
        |s| s.update_customer(&customer_id, fields);
    fn customer_set_active(customer_id: String, active: bool) -> Customer => |s| {
        let validity = match active {
            true => Validity::Valid,
            false => Validity::Invalid,
        };
        s.set_validity(&customer_id, validity)
    };
    fn customer_delete(customer_id: String) -> Customer => |s| s.delete_customer(&customer_id);
    fn customer_restore(customer: Customer) -> Customer => |s| s.restore_customer(&customer);
}
