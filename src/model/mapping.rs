//! A customer's mapping to its Autotask company, and what the last check found.

use serde::{Deserialize, Serialize};

/// What the last check of a mapping found (the rules are in `autotask::status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MappingStatus {
    /// The company exists, is active and has the cached name.
    Ok,
    /// The company exists and is active, but its name changed (the cache now has the new one).
    Renamed,
    /// Autotask does not know the company id.
    Missing,
    /// The company exists but is inactive, or this API user may not read it.
    Invalid,
}

impl MappingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MappingStatus::Ok => "ok",
            MappingStatus::Renamed => "renamed",
            MappingStatus::Missing => "missing",
            MappingStatus::Invalid => "invalid",
        }
    }

    pub fn parse(text: &str) -> Option<MappingStatus> {
        match text {
            "ok" => Some(MappingStatus::Ok),
            "renamed" => Some(MappingStatus::Renamed),
            "missing" => Some(MappingStatus::Missing),
            "invalid" => Some(MappingStatus::Invalid),
            _ => None,
        }
    }

    /// The tooltip text: what the status means for the person looking at it.
    pub fn meaning(self) -> &'static str {
        match self {
            MappingStatus::Ok => "The Autotask company exists, is active and has this name.",
            MappingStatus::Renamed => {
                "The Autotask company was renamed; the name shown is its new name."
            }
            MappingStatus::Missing => "Autotask has no company with this id any more.",
            MappingStatus::Invalid => {
                "The Autotask company is inactive, or this API user may not read it."
            }
        }
    }
}

/// A customer's Autotask company as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub company_id: i64,
    /// The company's name as last seen in Autotask.
    pub company_name: String,
    pub status: MappingStatus,
    /// When the mapping was last made or checked (ISO 8601 UTC).
    pub checked_at: String,
}

/// One mapping's result, as `clientbook autotask refresh --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingCheck {
    pub customer_id: String,
    pub company_id: i64,
    pub company_name: String,
    pub status: MappingStatus,
}
