//! Settings ▸ Services (the catalogue) and the customer page's Services tab.

use super::Res;
use crate::state::{blocking, AppState};
use clientbook::model::{CustomerService, Service};
use tauri::State;

#[tauri::command]
pub async fn services_catalogue(state: State<'_, AppState>) -> Res<Vec<Service>> {
    blocking(&state, |s| s.services()).await
}

/// Adds a service with its plans to the catalogue (Settings ▸ Services).
#[tauri::command]
pub async fn service_add(
    state: State<'_, AppState>,
    name: String,
    plans: Vec<String>,
) -> Res<Service> {
    blocking(&state, move |s| s.add_service(&name, &plans)).await
}

#[tauri::command]
pub async fn customer_services(
    state: State<'_, AppState>,
    customer_id: String,
) -> Res<Vec<CustomerService>> {
    blocking(&state, move |s| s.customer_services(&customer_id)).await
}

#[tauri::command]
pub async fn customer_service_set(
    state: State<'_, AppState>,
    customer_id: String,
    service: String,
    plan: String,
) -> Res<CustomerService> {
    blocking(&state, move |s| {
        s.set_customer_service(&customer_id, &service, &plan)
    })
    .await
}

#[tauri::command]
pub async fn customer_service_remove(
    state: State<'_, AppState>,
    customer_id: String,
    service: String,
) -> Res<()> {
    blocking(&state, move |s| {
        s.remove_customer_service(&customer_id, &service)
    })
    .await
}
