//! Where Clientbook keeps its default database and its log: the OS data directory
//! (`~/.local/share/clientbook/customers.clientbook` and `…/clientbook/logs/` on Linux).

use std::path::PathBuf;

pub const DEFAULT_FILE_NAME: &str = "customers.clientbook";

/// Clientbook's folder in the OS data directory.
fn data_dir() -> PathBuf {
    dirs::data_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local").join("share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("clientbook")
}

/// The default database path shared by the app and the CLI.
pub fn default_database() -> PathBuf {
    data_dir().join(DEFAULT_FILE_NAME)
}

/// Where the app writes its log, `clientbook.log` (`~/.local/share/clientbook/logs` on Linux).
/// It belongs to the machine, not to a database, so it never travels with the file.
pub fn log_dir() -> PathBuf {
    data_dir().join("logs")
}

/// The log file's name in [`log_dir`], without its `.log` extension.
pub const LOG_FILE_STEM: &str = "clientbook";
