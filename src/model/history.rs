//! One entry of a customer's history: what changed, from what to what, and when.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Stable and increasing: the newest entry has the highest id.
    pub id: i64,
    /// `customer`, `user`, `group`, `service`, `job` or `mapping`.
    pub entity: String,
    /// The customer ID, username, group, service or job name the entry is about.
    pub entity_id: String,
    /// `create`, `edit`, `delete`, `restore`, `import`, `copy`, `map`, `unmap`, `check`, …
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// ISO 8601, UTC.
    pub at: String,
}

/// A deleted customer as Settings ▸ Deleted customers lists it; `entry` restores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletedCustomer {
    pub entry: i64,
    pub customer_id: String,
    pub name: String,
    pub deleted_at: String,
}
