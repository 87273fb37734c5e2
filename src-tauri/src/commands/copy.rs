//! Copy… a customer: a new customer with, as chosen, the profile, services and groups.

use super::store_commands;
use clientbook::model::Customer;
use clientbook::store::CopyOptions;

store_commands! {
    fn customer_copy(source_id: String, options: CopyOptions) -> Customer =>
        |s| s.copy_customer(&source_id, options);
}
