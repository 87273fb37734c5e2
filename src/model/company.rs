//! An Autotask company as Clientbook keeps and shows it: what the client reads from Autotask and
//! what the store maps customers to and creates customers from.

use serde::Serialize;

/// A company as Clientbook shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub number: Option<String>,
    pub city: Option<String>,
    pub active: bool,
}
