//! Security groups: a name and a set of permissions from a fixed list.

use super::field::required_line;
use crate::error::{Error, FieldErrors};
use serde::{Deserialize, Serialize};

const NAME_MAX: usize = 100;

/// The permissions a group can grant, in the order screens list them.
pub const PERMISSIONS: &[(&str, &str)] = &[
    ("view", "View"),
    ("manage-users", "Manage users"),
    ("manage-backups", "Manage backups"),
    ("manage-billing", "Manage billing"),
    ("admin", "Admin"),
];

/// A group as the Groups tab and `groups list --json` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    /// Permission words (see [`PERMISSIONS`]) in their fixed order.
    pub permissions: Vec<String>,
    /// Usernames of the members, sorted.
    pub members: Vec<String>,
}

/// `manage users`, `Manage-Users`, `manage_users` → `manage-users`.
pub fn parse_permission(input: &str) -> Option<&'static str> {
    let key: String = input
        .trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    PERMISSIONS.iter().map(|(w, _)| *w).find(|w| *w == key)
}

/// A checked group name and permission list (in the fixed order, no repeats).
pub fn validate_group(name: &str, permissions: &[String]) -> Result<(String, Vec<String>), Error> {
    let mut errors = FieldErrors::default();
    let name = required_line(
        name,
        "name",
        "Group name",
        NAME_MAX,
        "A group name is required.",
        &mut errors,
    );
    let mut words = Vec::new();
    for p in permissions {
        match parse_permission(p) {
            Some(w) => words.push(w),
            None => errors.report(
                "permissions",
                "Permissions",
                format!(
                    "'{p}' is not a permission; use {}.",
                    PERMISSIONS
                        .iter()
                        .map(|(w, _)| *w)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let ordered = PERMISSIONS
        .iter()
        .map(|(w, _)| *w)
        .filter(|w| words.contains(w))
        .map(str::to_owned)
        .collect();
    Ok((name, ordered))
}

/// The stored form: space-separated words.
pub fn join_permissions(p: &[String]) -> String {
    p.join(" ")
}

pub fn split_permissions(stored: &str) -> Vec<String> {
    stored.split_whitespace().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_parse_in_any_spelling_and_keep_their_order() {
        let (name, p) = validate_group(
            " Backup team ",
            &["Manage backups".into(), "view".into(), "view".into()],
        )
        .unwrap();
        assert_eq!(name, "Backup team");
        assert_eq!(p, ["view", "manage-backups"]);
        let err = validate_group("", &["fly".into()]).unwrap_err().to_string();
        assert!(err.contains("A group name is required."), "{err}");
        assert!(err.contains("'fly' is not a permission"), "{err}");
    }
}
