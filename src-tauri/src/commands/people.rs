//! Commands of the customer page (Users, Groups, Services, Jobs, History tabs), Copy…, the Jobs
//! view and the settings behind them (administrators, group template, service catalogue,
//! deleted customers). Each is one core call off the UI thread.

use crate::state::{blocking, AppState};
use clientbook::model::{
    group::PERMISSIONS, Customer, CustomerService, DeletedCustomer, Group, HistoryEntry, Job,
    JobFields, Service, User, UserFields,
};
use clientbook::store::{Administrator, CopyOptions, TemplateGroup};
use clientbook::Error;
use tauri::State;

type Res<T> = Result<T, Error>;

#[tauri::command]
pub async fn users_list(state: State<'_, AppState>, customer_id: String) -> Res<Vec<User>> {
    blocking(&state, move |s| s.users(&customer_id)).await
}

#[tauri::command]
pub async fn user_add(
    state: State<'_, AppState>,
    customer_id: String,
    fields: UserFields,
) -> Res<User> {
    blocking(&state, move |s| s.add_user(&customer_id, fields)).await
}

#[tauri::command]
pub async fn user_update(
    state: State<'_, AppState>,
    username: String,
    fields: UserFields,
) -> Res<User> {
    blocking(&state, move |s| s.update_user(&username, fields)).await
}

#[tauri::command]
pub async fn user_set_password(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Res<User> {
    blocking(&state, move |s| s.set_password(&username, &password)).await
}

#[tauri::command]
pub async fn user_set_active(
    state: State<'_, AppState>,
    username: String,
    active: bool,
) -> Res<User> {
    blocking(&state, move |s| s.set_user_active(&username, active)).await
}

#[tauri::command]
pub async fn user_delete(state: State<'_, AppState>, username: String) -> Res<User> {
    blocking(&state, move |s| s.delete_user(&username)).await
}

#[tauri::command]
pub async fn user_set_group(
    state: State<'_, AppState>,
    username: String,
    group: String,
    member: bool,
) -> Res<User> {
    blocking(&state, move |s| match member {
        true => s.add_user_to_group(&username, &group),
        false => s.remove_user_from_group(&username, &group),
    })
    .await
}

#[tauri::command]
pub async fn groups_list(state: State<'_, AppState>, customer_id: String) -> Res<Vec<Group>> {
    blocking(&state, move |s| s.groups(&customer_id)).await
}

#[tauri::command]
pub async fn group_add(
    state: State<'_, AppState>,
    customer_id: String,
    name: String,
    permissions: Vec<String>,
) -> Res<Group> {
    blocking(&state, move |s| {
        s.add_group(&customer_id, &name, &permissions)
    })
    .await
}

#[tauri::command]
pub async fn group_update(
    state: State<'_, AppState>,
    customer_id: String,
    group: String,
    name: String,
    permissions: Vec<String>,
) -> Res<Group> {
    blocking(&state, move |s| {
        s.update_group(&customer_id, &group, &name, &permissions)
    })
    .await
}

#[tauri::command]
pub async fn group_delete(
    state: State<'_, AppState>,
    customer_id: String,
    group: String,
) -> Res<Group> {
    blocking(&state, move |s| s.delete_group(&customer_id, &group)).await
}

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

/// A permission a group can hold: its word and its label.
#[derive(serde::Serialize)]
pub struct Permission {
    name: &'static str,
    label: &'static str,
}

/// The fixed permission list, in display order (the Groups tab's checkboxes).
#[tauri::command]
pub fn group_permissions() -> Vec<Permission> {
    PERMISSIONS
        .iter()
        .map(|&(name, label)| Permission { name, label })
        .collect()
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

#[tauri::command]
pub async fn customer_copy(
    state: State<'_, AppState>,
    source_id: String,
    options: CopyOptions,
) -> Res<Customer> {
    blocking(&state, move |s| s.copy_customer(&source_id, options)).await
}

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

#[tauri::command]
pub async fn template_groups(state: State<'_, AppState>) -> Res<Vec<TemplateGroup>> {
    blocking(&state, |s| s.template_groups()).await
}

#[tauri::command]
pub async fn template_groups_set(
    state: State<'_, AppState>,
    groups: Vec<TemplateGroup>,
) -> Res<Vec<TemplateGroup>> {
    blocking(&state, move |s| s.set_template_groups(&groups)).await
}
