//! Settings ▸ Administrators: the MSP's people with access to every customer.

use super::store_commands;
use clientbook::store::Administrator;

store_commands! {
    fn administrators() -> Vec<Administrator> => |s| s.administrators();
    fn administrator_add(name: String, email: String) -> Administrator =>
        |s| s.add_administrator(&name, &email);
    fn administrator_delete(email: String) -> () => |s| s.delete_administrator(&email);
}
