//! The customer page's Groups tab, the permissions a group can have, and Settings ▸ Group
//! template.

use super::Res;
use crate::state::{blocking, AppState};
use clientbook::model::{group::PERMISSIONS, Group};
use clientbook::store::TemplateGroup;
use tauri::State;

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
