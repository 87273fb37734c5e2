//! The customer page's History tab and Settings ▸ Deleted customers (their history, restore).

use super::Res;
use crate::state::{blocking, AppState};
use clientbook::model::{Customer, DeletedCustomer, HistoryEntry};
use tauri::State;

#[tauri::command]
pub async fn history_list(
    state: State<'_, AppState>,
    customer_id: String,
    before: Option<i64>,
    limit: u32,
) -> Res<Vec<HistoryEntry>> {
    blocking(&state, move |s| {
        s.history(&customer_id, before, limit.min(500))
    })
    .await
}

#[tauri::command]
pub async fn deleted_customers(state: State<'_, AppState>) -> Res<Vec<DeletedCustomer>> {
    blocking(&state, |s| s.deleted_customers()).await
}

#[tauri::command]
pub async fn deleted_history(state: State<'_, AppState>, entry: i64) -> Res<Vec<HistoryEntry>> {
    blocking(&state, move |s| s.deleted_history(entry)).await
}

#[tauri::command]
pub async fn deleted_restore(state: State<'_, AppState>, entry: i64) -> Res<Customer> {
    blocking(&state, move |s| s.restore_deleted_customer(entry)).await
}
