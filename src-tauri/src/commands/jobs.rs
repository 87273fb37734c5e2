//! The customer page's Jobs tab and the Jobs view (the jobs of active customers).

use super::Res;
use crate::state::{blocking, AppState};
use clientbook::model::{Job, JobFields};
use tauri::State;

#[tauri::command]
pub async fn jobs_of_customer(state: State<'_, AppState>, customer_id: String) -> Res<Vec<Job>> {
    blocking(&state, move |s| s.customer_jobs(&customer_id, None)).await
}

/// The Jobs view: jobs of active customers only.
#[tauri::command]
pub async fn jobs_view(state: State<'_, AppState>, service: Option<String>) -> Res<Vec<Job>> {
    blocking(&state, move |s| s.jobs(service.as_deref())).await
}

#[tauri::command]
pub async fn job_add(
    state: State<'_, AppState>,
    customer_id: String,
    fields: JobFields,
) -> Res<Job> {
    blocking(&state, move |s| s.add_job(&customer_id, fields)).await
}

#[tauri::command]
pub async fn job_update(
    state: State<'_, AppState>,
    customer_id: String,
    job: String,
    fields: JobFields,
) -> Res<Job> {
    blocking(&state, move |s| s.update_job(&customer_id, &job, fields)).await
}

#[tauri::command]
pub async fn job_delete(state: State<'_, AppState>, customer_id: String, job: String) -> Res<Job> {
    blocking(&state, move |s| s.delete_job(&customer_id, &job)).await
}
