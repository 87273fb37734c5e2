//! The customer page's History tab and Settings ▸ Deleted customers (their history, restore).

use super::store_commands;
use clientbook::model::{Customer, DeletedCustomer, HistoryEntry};

store_commands! {
    fn history_list(customer_id: String, before: Option<i64>, limit: u32) -> Vec<HistoryEntry> =>
        |s| s.history(&customer_id, before, limit.min(500));
    fn deleted_customers() -> Vec<DeletedCustomer> => |s| s.deleted_customers();
    fn deleted_history(entry: i64) -> Vec<HistoryEntry> => |s| s.deleted_history(entry);
    fn deleted_restore(entry: i64) -> Customer => |s| s.restore_deleted_customer(entry);
}
