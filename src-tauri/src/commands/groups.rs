//! The customer page's Groups tab, the permissions a group can have, and Settings ▸ Group
//! template.

use super::store_commands;
use clientbook::model::{group::PERMISSIONS, Group};
use clientbook::store::TemplateGroup;

store_commands! {
    fn groups_list(customer_id: String) -> Vec<Group> => |s| s.groups(&customer_id);
    fn group_add(customer_id: String, name: String, permissions: Vec<String>) -> Group =>
        |s| s.add_group(&customer_id, &name, &permissions);
    fn group_update(customer_id: String, group: String, name: String, permissions: Vec<String>) -> Group =>
        |s| s.update_group(&customer_id, &group, &name, &permissions);
    fn group_delete(customer_id: String, group: String) -> Group => |s| s.delete_group(&customer_id, &group);
    fn template_groups() -> Vec<TemplateGroup> => |s| s.template_groups();
    fn template_groups_set(groups: Vec<TemplateGroup>) -> Vec<TemplateGroup> =>
        |s| s.set_template_groups(&groups);
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
