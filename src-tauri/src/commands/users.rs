//! The customer page's Users tab: a customer's users, their passwords, activation and groups.

use super::store_commands;
use clientbook::model::{User, UserFields};

store_commands! {
    fn users_list(customer_id: String) -> Vec<User> => |s| s.users(&customer_id);
    fn user_add(customer_id: String, fields: UserFields) -> User => |s| s.add_user(&customer_id, fields);
    fn user_update(username: String, fields: UserFields) -> User => |s| s.update_user(&username, fields);
    fn user_set_password(username: String, password: String) -> User =>
        |s| s.set_password(&username, &password);
    fn user_set_active(username: String, active: bool) -> User =>
        |s| s.set_user_active(&username, active);
    fn user_delete(username: String) -> User => |s| s.delete_user(&username);
    fn user_set_group(username: String, group: String, member: bool) -> User => |s| match member {
        true => s.add_user_to_group(&username, &group),
        false => s.remove_user_from_group(&username, &group),
    };
}
