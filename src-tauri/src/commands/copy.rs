//! Copy… a customer: a new customer with, as chosen, the profile, services and groups.

use super::Res;
use crate::state::{blocking, AppState};
use clientbook::model::Customer;
use clientbook::store::CopyOptions;
use tauri::State;

#[tauri::command]
pub async fn customer_copy(
    state: State<'_, AppState>,
    source_id: String,
    options: CopyOptions,
) -> Res<Customer> {
    blocking(&state, move |s| s.copy_customer(&source_id, options)).await
}
