//! The customer page's Users tab: a customer's users, their passwords, activation and groups.

use super::Res;
use crate::state::{blocking, AppState};
use clientbook::model::{User, UserFields};
use tauri::State;

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
