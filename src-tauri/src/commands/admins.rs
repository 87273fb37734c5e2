//! Settings ▸ Administrators: the MSP's people with access to every customer.

use super::Res;
use crate::state::{blocking, AppState};
use clientbook::store::Administrator;
use tauri::State;

#[tauri::command]
pub async fn administrators(state: State<'_, AppState>) -> Res<Vec<Administrator>> {
    blocking(&state, |s| s.administrators()).await
}

#[tauri::command]
pub async fn administrator_add(
    state: State<'_, AppState>,
    name: String,
    email: String,
) -> Res<Administrator> {
    blocking(&state, move |s| s.add_administrator(&name, &email)).await
}

#[tauri::command]
pub async fn administrator_delete(state: State<'_, AppState>, email: String) -> Res<()> {
    blocking(&state, move |s| s.delete_administrator(&email)).await
}
