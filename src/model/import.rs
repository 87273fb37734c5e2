//! What every import-like change (a CSV import, Autotask's companies pulled in) reports, shared by
//! the layers that make it and the front ends that show it: a problem row, and the `--json`
//! summary.

use serde::Serialize;

/// One problem of one row, worded to stand beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row's line in the file (the header is row 1); for companies pulled from Autotask,
    /// the company's id.
    pub row: u64,
    /// The column's header as the file names it; `None` when the whole row is wrong.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "Row {}, {c}: {}", self.row, self.message),
            None => write!(f, "Row {}: {}", self.row, self.message),
        }
    }
}

/// The `--json` summary every import-like command prints (CSV import, Autotask pull): exactly
/// `inserted`, `updated`, `skipped` and `errors`.
pub fn summary_json(
    inserted: u64,
    updated: u64,
    skipped: u64,
    errors: &[RowError],
) -> serde_json::Value {
    serde_json::json!({
        "inserted": inserted,
        "updated": updated,
        "skipped": skipped,
        "errors": errors,
    })
}
