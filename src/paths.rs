//! Where Clientbook keeps its default database: the OS data directory
//! (`~/.local/share/clientbook/customers.clientbook` on Linux).

use std::path::PathBuf;

pub const DEFAULT_FILE_NAME: &str = "customers.clientbook";

/// The default database path shared by the app and the CLI.
pub fn default_database() -> PathBuf {
    dirs::data_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local").join("share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("clientbook")
        .join(DEFAULT_FILE_NAME)
}
